"""Input shape and field validation only; the rules live in services."""

from __future__ import annotations

from django import forms

from saferplaces.accounts.models import Membership, Organisation
from saferplaces.accounts.validators import (
    MAX_LAD_CODES,
    MAX_LAD_CODES_TEXT,
    validate_lad_code,
    validate_lad_codes,
)


class SignInForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        error_messages={
            "required": "Enter your e-mail address",
            "invalid": "Enter an e-mail address in the correct format, like name@example.org",
        },
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": "Enter your password"},
    )


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Security code",
        max_length=16,
        help_text="The 6-digit code from your authenticator app, or one of your backup codes",
        error_messages={"required": "Enter the security code"},
    )

    def clean_token(self) -> str:
        return "".join(self.cleaned_data["token"].split())


class PartnershipForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the partnership's name"}
    )
    gss_code = forms.CharField(
        label="GSS code",
        max_length=9,
        help_text="The ONS code of the Community Safety Partnership, for example E22000170",
        error_messages={"required": "Enter the GSS code"},
    )
    lad_codes = forms.CharField(
        label="Local authority district codes",
        help_text="Separate codes with commas, for example E07000134",
        max_length=MAX_LAD_CODES_TEXT,
        error_messages={
            "required": "Enter at least one local authority district code",
            "max_length": f"Enter no more than {MAX_LAD_CODES} local authority district codes",
        },
    )
    police_force = forms.CharField(
        label="Police force",
        max_length=50,
        help_text="As used by data.police.uk, for example leicestershire",
        error_messages={"required": "Enter the police force"},
    )

    def clean_lad_codes(self) -> list[str]:
        codes = [c.strip().upper() for c in self.cleaned_data["lad_codes"].split(",") if c.strip()]
        for code in codes:
            validate_lad_code(code)
        validate_lad_codes(codes)  # how many, and each once
        return codes


class OrganisationForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=200,
        error_messages={"required": "Enter the organisation's name"},
    )
    type = forms.ChoiceField(
        label="Type of organisation",
        choices=Organisation.Type.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the type of organisation"},
    )
    statutory_status = forms.ChoiceField(
        label="Status in the partnership",
        choices=Organisation.StatutoryStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the organisation's status in the partnership"},
    )


ROLE_FIELD_ERRORS = {"required": "Select a role"}


class MemberInviteForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        error_messages={
            "required": "Enter the person's e-mail address",
            "invalid": "Enter an e-mail address in the correct format, like name@example.org",
        },
    )
    full_name = forms.CharField(label="Full name", max_length=150, required=False)
    organisation = forms.ChoiceField(
        label="Organisation", error_messages={"required": "Select an organisation"}
    )
    role = forms.ChoiceField(
        label="Role",
        choices=Membership.Role.choices,
        widget=forms.RadioSelect,
        error_messages=ROLE_FIELD_ERRORS,
    )

    def __init__(self, *args, organisations, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.fields["organisation"].choices = [("", "Choose an organisation")] + [
            (key, o.name) for key, o in self.organisations.items()
        ]

    def clean_organisation(self) -> Organisation:
        return self.organisations[self.cleaned_data["organisation"]]


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(
        label="Role",
        choices=Membership.Role.choices,
        widget=forms.RadioSelect,
        error_messages=ROLE_FIELD_ERRORS,
    )


class SwitchPartnershipForm(forms.Form):
    partnership = forms.ChoiceField(
        label="Partnership",
        widget=forms.RadioSelect,
        error_messages={"required": "Select a partnership"},
    )

    def __init__(self, *args, partnerships, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["partnership"].choices = [(str(p.pk), p.name) for p in partnerships]


class ReauthenticateForm(forms.Form):
    """Password re-entry before a change to the second factor (ASVS v5.0.0-6.4.x / 7.5.1)."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": "Enter your password"},
    )


class InvitationResponseForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", "Accept"), ("decline", "Decline")],
        error_messages={"required": "Choose whether to accept or decline"},
    )

"""Input shapes for the community pages; the rules that need the partnership are the services'."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone

from saferplaces.community.models import GroupKind, IssueStatus

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d-%m-%Y"]

CONSENT_WORDING = (
    "I agree that the community safety partnership may keep my name, e-mail address and phone "
    "number as the contact for this group, so that partners can get in touch about community "
    "safety in our area. My details will not be published. I can withdraw my consent at any "
    "time, and my details will then be removed at once."
)


def _date(label: str, what: str, *, required: bool = True, hint: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        help_text=hint or "For example, 31/03/2026",
        error_messages={
            "required": f"Enter {what}",
            "invalid": f"Enter {what} as a real date, for example 31/03/2026",
        },
    )


class GroupForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of group is it?",
        choices=GroupKind.choices,
        error_messages={"required": "Choose what kind of group it is"},
    )
    name = forms.CharField(
        label="Name",
        max_length=160,
        help_text="For a champion, a name for their role, for example 'Greenhill estate "
        "champion'. The public listing shows this name.",
        error_messages={"required": "Enter the name of the group, scheme or champion"},
    )
    description = forms.CharField(
        label="What the group does (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea,
        help_text="Shown on the public listing if the group agrees: do not name people.",
    )
    owner_organisation = forms.ChoiceField(
        label="Which organisation looks after this contact?",
        error_messages={"required": "Choose the organisation that looks after the contact"},
    )
    neighbourhood = forms.ChoiceField(
        label="Neighbourhood it covers (optional)",
        required=False,
        help_text="Choose a saved neighbourhood, or choose small areas below instead.",
    )
    lsoa_codes = forms.MultipleChoiceField(
        label="Small areas (LSOAs) it covers",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "%(value)s is not a small area of this partnership"},
    )
    members_count = forms.IntegerField(
        label="Number of members (optional)",
        required=False,
        min_value=0,
        max_value=100_000,
        help_text="How many households or people take part. Do not record their names.",
        error_messages={
            "invalid": "Enter the number of members as a whole number, for example 25",
            "min_value": "Enter the number of members as a whole number from 0 to 100,000",
            "max_value": "Enter the number of members as a whole number from 0 to 100,000",
        },
    )
    listed_publicly = forms.TypedChoiceField(
        label="Has the group agreed to be listed on the public website?",
        choices=[
            ("yes", "Yes: show its name, kind and area (never the coordinator)"),
            ("no", "No"),
        ],  # fmt: skip
        coerce=lambda value: value == "yes",
        initial="no",
        error_messages={"required": "Choose whether the group agreed to be listed"},
    )
    coordinator_name = forms.CharField(label="Coordinator's name", required=False, max_length=160)
    coordinator_email = forms.EmailField(
        label="Coordinator's e-mail address",
        required=False,
        error_messages={"invalid": "Enter an e-mail address like name@example.com"},
    )
    coordinator_phone = forms.CharField(
        label="Coordinator's phone number", required=False, max_length=40
    )
    consent_given_on = _date(
        "Date the coordinator gave consent",
        "the date the coordinator gave consent",
        required=False,
        hint="Needed before saving any of the coordinator's details. For example, 31/03/2026",
    )
    consent_wording = forms.CharField(
        label="The words the coordinator agreed to",
        required=False,
        widget=forms.Textarea,
        max_length=2000,
        initial=CONSENT_WORDING,
        help_text="Keep the words exactly as they were shown or read to the coordinator.",
    )
    review_date = _date(
        "Review date",
        "the review date",
        hint="When to check the contact is still right, for example 31/03/2027. If nobody "
        "reviews it, the coordinator's details are removed 6 months after this date.",
    )

    def __init__(
        self,
        *args: Any,
        organisations: list[Any],
        neighbourhoods: list[Any],
        lsoas: list[dict[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.neighbourhoods = {str(n.pk): n for n in neighbourhoods}
        self.fields["owner_organisation"].choices = [
            (k, o.name) for k, o in self.organisations.items()
        ]
        if len(organisations) == 1:
            self.fields["owner_organisation"].initial = next(iter(self.organisations))
        self.fields["neighbourhood"].choices = [("", "None: I will choose small areas")] + [
            (k, n.name) for k, n in self.neighbourhoods.items()
        ]
        self.fields["lsoa_codes"].choices = [(r["code"], r["name"]) for r in lsoas]
        if not self.is_bound and "review_date" not in self.initial:
            self.initial["review_date"] = (timezone.localdate() + timedelta(days=365)).strftime(
                "%d/%m/%Y"
            )

    def clean_owner_organisation(self) -> Any:
        return self.organisations[self.cleaned_data["owner_organisation"]]

    def clean_neighbourhood(self) -> Any:
        key = self.cleaned_data.get("neighbourhood") or ""
        if key and key not in self.neighbourhoods:
            raise forms.ValidationError("Choose a neighbourhood from the list")
        return self.neighbourhoods.get(key)


class WithdrawForm(forms.Form):
    """Nothing to fill in: the button is the confirmation (CSRF-protected POST)."""


class ForumForm(forms.Form):
    neighbourhood = forms.ChoiceField(
        label="Which neighbourhood is the forum for?",
        error_messages={"required": "Choose the neighbourhood"},
    )
    owner_organisation = forms.ChoiceField(
        label="Which organisation runs it?",
        error_messages={"required": "Choose the organisation that runs the forum"},
    )
    name = forms.CharField(
        label="Name (optional)",
        required=False,
        max_length=160,
        help_text="Left empty: the neighbourhood's name followed by 'neighbourhood forum'.",
    )

    def __init__(
        self, *args: Any, organisations: list[Any], neighbourhoods: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        self.neighbourhoods = {str(n.pk): n for n in neighbourhoods}
        self.fields["owner_organisation"].choices = [
            (k, o.name) for k, o in self.organisations.items()
        ]
        self.fields["neighbourhood"].choices = [("", "Choose a neighbourhood")] + [
            (k, n.name) for k, n in self.neighbourhoods.items()
        ]

    def clean_owner_organisation(self) -> Any:
        return self.organisations[self.cleaned_data["owner_organisation"]]

    def clean_neighbourhood(self) -> Any:
        key = self.cleaned_data.get("neighbourhood") or ""
        if key not in self.neighbourhoods:
            raise forms.ValidationError("Choose the neighbourhood")
        return self.neighbourhoods[key]


class MeetingForm(forms.Form):
    date = _date("Date of the meeting", "the date of the meeting")
    place = forms.CharField(
        label="Where was it held?",
        max_length=200,
        error_messages={"required": "Enter where the meeting was held"},
    )
    attendance = forms.IntegerField(
        label="How many residents came?",
        min_value=0,
        max_value=100_000,
        error_messages={
            "required": "Enter how many residents came",
            "invalid": "Enter how many residents came as a whole number, for example 23",
            "min_value": "Enter how many residents came as a whole number, for example 23",
            "max_value": "Enter how many residents came as a whole number, for example 23",
        },
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        widget=forms.Textarea,
        max_length=5000,
        help_text="Never shown to the public. Only partnership managers and the organisation "
        "that runs the forum can read them, and each reading is recorded.",
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())


class IssueForm(forms.Form):
    text = forms.CharField(
        label="What did residents raise?",
        max_length=300,
        help_text="In a few words, as residents would say it, for example 'Off-road bikes on "
        "the playing field'. Shown on the public page: do not name people.",
        error_messages={"required": "Enter what residents raised"},
    )
    raised_by = forms.IntegerField(
        label="How many residents raised it?",
        min_value=1,
        max_value=100_000,
        initial=1,
        error_messages={
            "required": "Enter how many residents raised it",
            "invalid": "Enter how many residents raised it as a whole number, for example 4",
            "min_value": "Enter how many residents raised it: at least 1",
            "max_value": "Enter how many residents raised it as a whole number, for example 4",
        },
    )
    votes = forms.IntegerField(
        label="Votes, if residents voted on priorities (optional)",
        required=False,
        min_value=0,
        max_value=100_000,
        error_messages={
            "invalid": "Enter the votes as a whole number, for example 12",
            "min_value": "Enter the votes as a whole number, for example 12",
            "max_value": "Enter the votes as a whole number, for example 12",
        },
    )
    priority = forms.ChoiceField(label="Plan priority it relates to (optional)", required=False)
    status = forms.ChoiceField(label="Status", choices=IssueStatus.choices, initial="open")
    we_did = forms.CharField(
        label="What we did (optional until it is done)",
        required=False,
        widget=forms.Textarea,
        max_length=2000,
        help_text="Shown to residents on the 'You said, we did' page: plain English, no names.",
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, priorities: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.priorities = {str(p.pk): p for p in priorities}
        self.fields["priority"].choices = [("", "Not linked to a priority")] + [
            (k, f"{p.title} ({p.plan.title} {p.plan.period_label})")
            for k, p in self.priorities.items()
        ]
        if not self.is_bound:
            self.initial.setdefault("submission_key", uuid.uuid4())

    def clean_priority(self) -> Any:
        key = self.cleaned_data.get("priority") or ""
        if key and key not in self.priorities:
            raise forms.ValidationError("Choose a priority from the list")
        return self.priorities.get(key)

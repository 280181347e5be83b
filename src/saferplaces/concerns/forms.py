"""Input shapes: one small form per question for residents, and the staff triage forms."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from saferplaces.concerns.categories import CHOICES as CATEGORY_CHOICES
from saferplaces.concerns.models import LocationMethod, Outcome, Status, TimeOfDay
from saferplaces.concerns.photos import MAX_BYTES, PhotoError, photo_clean
from saferplaces.core.public_forms import PublicFormMixin, plain_text

DESCRIPTION_MAX = 2000
PLACE_MAX = 500


class WhatForm(forms.Form):
    category = forms.ChoiceField(
        label="What is the concern about?",
        choices=CATEGORY_CHOICES,
        error_messages={
            "required": "Select what the concern is about",
            "invalid_choice": "Select what the concern is about",
        },
    )


class WhereForm(forms.Form):
    method = forms.ChoiceField(
        label="How do you want to tell us where it is?",
        choices=LocationMethod.choices,
        error_messages={
            "required": "Select how you want to tell us where it is",
            "invalid_choice": "Select how you want to tell us where it is",
        },
    )
    postcode = forms.CharField(label="Postcode", required=False, max_length=20)
    latitude = forms.FloatField(
        required=False, min_value=-90, max_value=90,
        error_messages={"invalid": "Enter the latitude as a number, like 52.7219",
                        "min_value": "Enter a latitude between -90 and 90",
                        "max_value": "Enter a latitude between -90 and 90"},
    )  # fmt: skip
    longitude = forms.FloatField(
        required=False, min_value=-180, max_value=180,
        error_messages={"invalid": "Enter the longitude as a number, like -1.3719",
                        "min_value": "Enter a longitude between -180 and 180",
                        "max_value": "Enter a longitude between -180 and 180"},
    )  # fmt: skip
    place_description = forms.CharField(
        label="Describe the place",
        required=False,
        max_length=PLACE_MAX,
        help_text="For example, the street and a landmark: “the alley behind the library”",
        error_messages={
            "max_length": f"The description of the place must be {PLACE_MAX} characters or fewer"
        },
    )

    def clean_place_description(self) -> str:
        return plain_text(self.cleaned_data.get("place_description") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        method = data.get("method")
        if method == LocationMethod.POSTCODE and not (data.get("postcode") or "").strip():
            self.add_error("postcode", "Enter a postcode, like LE65 1AA")
        if method == LocationMethod.PIN and (
            data.get("latitude") is None or data.get("longitude") is None
        ):
            self.add_error("method", "Put a pin on the map, or choose another way to tell us where")
        if method == LocationMethod.DESCRIPTION and not data.get("place_description"):
            self.add_error("place_description", "Describe the place")
        return data


class WhenForm(forms.Form):
    when = forms.ChoiceField(
        label="When did it happen?",
        choices=[("date", "On a particular day"), ("ongoing", "It is ongoing")],
        error_messages={
            "required": "Select when it happened",
            "invalid_choice": "Select when it happened",
        },
    )
    when_day = forms.IntegerField(required=False, min_value=1, max_value=31)
    when_month = forms.IntegerField(required=False, min_value=1, max_value=12)
    when_year = forms.IntegerField(required=False, min_value=2000, max_value=2100)
    time_of_day = forms.ChoiceField(
        label="What time of day?",
        choices=TimeOfDay.choices,
        error_messages={
            "required": "Select the time of day, or ‘I do not know’",
            "invalid_choice": "Select the time of day, or ‘I do not know’",
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("when") == "date":
            parts = [data.get("when_day"), data.get("when_month"), data.get("when_year")]
            if any(part is None for part in parts):
                self.add_error("when_day", "Enter the date it happened, like 27 3 2026")
                return data
            try:
                day = date(int(parts[2]), int(parts[1]), int(parts[0]))  # type: ignore[arg-type]
            except ValueError:
                self.add_error("when_day", "Enter a real date")
                return data
            if day > timezone.localdate():
                self.add_error("when_day", "The date must be today or in the past")
            data["happened_on"] = day
        return data


class DescriptionForm(forms.Form):
    description = forms.CharField(
        label="Describe the problem",
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea,
        help_text="What happens, how often and who is affected. Do not include anyone’s name "
        "unless it matters.",
        error_messages={
            "required": "Describe the problem",
            "max_length": f"The description must be {DESCRIPTION_MAX} characters or fewer",
        },
    )

    def clean_description(self) -> str:
        text = plain_text(self.cleaned_data["description"])
        if not text:
            raise forms.ValidationError("Describe the problem in words (web code is removed)")
        return text


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label="Upload a photo (optional)",
        required=False,
        help_text="A JPG or PNG photo, smaller than 5 MB",
    )

    def clean_photo(self) -> bytes | None:
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("The photo must be smaller than 5 MB")
        try:
            return photo_clean(upload.read())
        except PhotoError as error:
            raise forms.ValidationError(str(error)) from None


class ContactForm(forms.Form):
    anonymous = forms.ChoiceField(
        label="Do you want to give your contact details?",
        choices=[
            ("no", "Yes, so you can contact me and send me updates"),
            ("yes", "No, I want to stay anonymous"),
        ],
        error_messages={
            "required": "Select whether you want to give your contact details",
            "invalid_choice": "Select whether you want to give your contact details",
        },
    )
    name = forms.CharField(label="Full name", required=False, max_length=200)
    email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )
    phone = forms.CharField(label="Phone number (optional)", required=False, max_length=40)
    consent = forms.BooleanField(required=False)

    def clean_name(self) -> str:
        return plain_text(self.cleaned_data.get("name") or "")

    def clean_phone(self) -> str:
        phone = (self.cleaned_data.get("phone") or "").strip()
        if phone and not all(c.isdigit() or c in " +()-" for c in phone):
            raise forms.ValidationError("Enter a phone number, like 01530 454545")
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("anonymous") == "no":
            if not data.get("name"):
                self.add_error("name", "Enter your full name")
            if not data.get("email") and not data.get("phone") and "email" not in self.errors:
                self.add_error("email", "Enter an email address or a phone number")
            if not data.get("consent"):
                self.add_error("consent", "Confirm that you agree to us using your details")
        return data


class SubmitForm(PublicFormMixin):
    """The 'Check your answers' page's send button: honeypot and idempotency key only."""


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="Why do you want to reopen it?",
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea,
        error_messages={"required": "Tell us why you want to reopen the concern"},
    )

    def clean_reason(self) -> str:
        text = plain_text(self.cleaned_data["reason"])
        if not text:
            raise forms.ValidationError("Tell us why you want to reopen the concern")
        return text


class FindForm(PublicFormMixin):
    reference = forms.CharField(
        label="Reference number",
        max_length=20,
        help_text="For example, C-2026-00042",
        error_messages={"required": "Enter the reference number"},
    )
    email = forms.EmailField(
        label="Email address you gave",
        error_messages={
            "required": "Enter the email address you gave when you reported the concern",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )

    def clean_reference(self) -> str:
        return self.cleaned_data["reference"].strip().upper()


# --- Staff ---------------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any"), ("open", "Open (not closed)"), *Status.choices],
    )
    category = forms.ChoiceField(
        label="Category", required=False, choices=[("", "Any"), *CATEGORY_CHOICES]
    )
    area = forms.ChoiceField(label="Area", required=False, choices=[("", "Any")])
    organisation = forms.ChoiceField(label="Organisation", required=False, choices=[("", "Any")])

    def __init__(
        self, *args: Any, areas: list[tuple[str, str]], organisations: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", "Any"), *areas]
        self.fields["organisation"].choices = [
            ("", "Any"),
            ("none", "Not assigned yet"),
            *[(str(o.pk), o.name) for o in organisations],
        ]


class AssignForm(forms.Form):
    organisation = forms.ChoiceField(label="Organisation")
    officer = forms.ChoiceField(label="Officer (optional)", required=False)

    def __init__(
        self, *args: Any, organisations: list[Any], officers: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "Choose an organisation")] + [
            (str(o.pk), o.name) for o in organisations
        ]
        self.fields["officer"].choices = [("", "No one in particular")] + [
            (str(u.pk), u.full_name or u.email) for u in officers
        ]


class NoteForm(forms.Form):
    kind = forms.ChoiceField(
        label="Who is this for?",
        choices=[
            ("note", "An internal note (staff only)"),
            (
                "update",
                "A public update (shown on the status page and e-mailed to the "
                "resident if they agreed)",
            ),
        ],
    )
    text = forms.CharField(label="Text", widget=forms.Textarea, max_length=DESCRIPTION_MAX)

    def clean_text(self) -> str:
        return plain_text(self.cleaned_data["text"])


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[c for c in Outcome.choices if c[0] != Outcome.DUPLICATE],
        error_messages={"required": "Choose the outcome"},
    )
    public_outcome = forms.CharField(
        label="What we did (shown to the resident and, without details, on public pages)",
        widget=forms.Textarea,
        max_length=DESCRIPTION_MAX,
        error_messages={"required": "Say what was done, in words the resident will read"},
    )

    def clean_public_outcome(self) -> str:
        return plain_text(self.cleaned_data["public_outcome"])


class DuplicateForm(forms.Form):
    original = forms.CharField(label="Reference of the original concern", max_length=20)

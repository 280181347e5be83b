"""Input shapes: the resident's questions (one per page) and the staff forms."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from saferplaces.casereview.models import AppealDecision, ApplicantKind, DayKind
from saferplaces.core.public_forms import PublicFormMixin

POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
MAX_TEXT = 5000


class AreaForm(forms.Form):
    partnership = forms.ChoiceField(
        label="Which area is the problem in?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the area the problem is in"},
    )

    def __init__(self, *args: Any, partnerships: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partnership"].choices = [(str(p.pk), p.name) for p in partnerships]


class WhoForm(forms.Form):
    applicant_kind = forms.ChoiceField(
        label="Who is asking for the case review?",
        choices=ApplicantKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you are the victim or asking for someone else"},
    )
    victim_name = forms.CharField(
        label="If you are asking for someone else: their name",
        required=False,
        max_length=200,
        help_text="For example, a parent, a neighbour you support, or a client.",
    )
    consent = forms.BooleanField(
        label="They have agreed to me asking for a case review for them",
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("applicant_kind") == ApplicantKind.ON_BEHALF:
            if not (data.get("victim_name") or "").strip():
                self.add_error("victim_name", "Enter the name of the person you are asking for")
            if not data.get("consent"):
                self.add_error(
                    "consent",
                    "Confirm they have agreed: we can only review their case with their consent",
                )
        return data


class ProblemForm(forms.Form):
    problem = forms.CharField(
        label="What is the problem?",
        max_length=MAX_TEXT,
        widget=forms.Textarea,
        help_text=(
            "Tell us in your own words what has been happening, how often, and how it affects "
            "you. Do not include anyone's medical details."
        ),
        error_messages={
            "required": "Describe the problem",
            "max_length": f"The description must be {MAX_TEXT} characters or fewer",
        },
    )


class WhereForm(forms.Form):
    place = forms.CharField(
        label="Where is it happening?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The street, estate, park or building. For example, 'the flats on Mill Lane'.",
        error_messages={"required": "Say where the problem is happening"},
    )
    postcode = forms.CharField(
        label="Postcode (optional)", required=False, max_length=10,
        help_text="If you know it. For example, LE19 2AB.",
    )  # fmt: skip

    def clean_postcode(self) -> str:
        value = " ".join((self.cleaned_data.get("postcode") or "").upper().split())
        if value and not POSTCODE.match(value):
            raise forms.ValidationError("Enter a real postcode, like LE19 2AB, or leave it empty")
        return value


class SiteReportsForm(forms.Form):
    """Reports made on this site: by reference number, and (optionally) by e-mail address.

    The page never says what an e-mail address finds: anyone can type anyone's address, so the
    reports are looked up with the contact address the answer is sent to, when the request is
    sent, and only the e-mail to that address says how many were counted.
    """

    search_by_email = forms.BooleanField(
        label="Also count reports I made on this website with the e-mail address I give at the end",
        required=False,
    )
    site_references = forms.CharField(
        label="Reference numbers of reports on this website (optional)",
        required=False,
        max_length=300,
        help_text="If you have them, separated by commas. For example, C-2026-00042.",
    )

    def clean_site_references(self) -> list[str]:
        text = self.cleaned_data.get("site_references") or ""
        return [part.strip().upper() for part in re.split(r"[,;\s]+", text) if part.strip()][:20]


class DeclaredReportForm(forms.Form):
    agency = forms.CharField(
        label="Who did you report it to?",
        max_length=200,
        help_text="For example, the police, the council, or your housing association.",
        error_messages={"required": "Enter who you reported it to"},
    )
    day = forms.IntegerField(required=False, min_value=1, max_value=31)
    month = forms.IntegerField(required=False, min_value=1, max_value=12)
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)
    reference = forms.CharField(
        label="Their reference number (optional)", required=False, max_length=60
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        parts = [data.get("day"), data.get("month"), data.get("year")]
        if any(p is None for p in parts):
            self.add_error("day", "Enter the date you reported it, with a day, month and year")
            return data
        try:
            reported_on = date(data["year"], data["month"], data["day"])
        except ValueError:
            self.add_error("day", "Enter a real date")
            return data
        if reported_on > timezone.localdate():
            self.add_error("day", "The date you reported it must be today or in the past")
            return data
        data["reported_on"] = reported_on
        return data


class ContactForm(forms.Form):
    applicant_name = forms.CharField(
        label="Your full name", max_length=200,
        error_messages={"required": "Enter your name"},
    )  # fmt: skip
    email = forms.EmailField(
        label="Your e-mail address",
        help_text="We send the decision and the outcome here.",
        error_messages={
            "required": "Enter your e-mail address: we need it to answer you",
            "invalid": "Enter an e-mail address in the right format, like name@example.com",
        },
    )
    phone = forms.CharField(
        label="Your phone number (optional)", required=False, max_length=40,
        help_text="If you would like us to call you.",
    )  # fmt: skip
    consent = forms.BooleanField(
        label=(
            "I agree that the partnership may use these details to deal with my request and "
            "share them with the agencies taking part in the review"
        ),
        error_messages={"required": "You need to agree so that the agencies can look at your case"},
    )

    def clean_phone(self) -> str:
        value = (self.cleaned_data.get("phone") or "").strip()
        if value and not re.fullmatch(r"[0-9 +()-]{6,40}", value):
            raise forms.ValidationError("Enter a phone number, like 01162 123456")
        return value


class CheckForm(PublicFormMixin):
    """The "Check your answers" page: only the public-form guards."""


class AppealForm(PublicFormMixin):
    reason = forms.CharField(
        label="Why are you appealing?",
        max_length=MAX_TEXT,
        widget=forms.Textarea,
        help_text="Tell us what you think was wrong with how your case was dealt with.",
        error_messages={"required": "Tell us why you are appealing"},
    )


# --- staff ---------------------------------------------------------------------------------


class ThresholdForm(forms.Form):
    met = forms.TypedChoiceField(
        label="Does the request meet the threshold?",
        choices=[("yes", "Yes: hold a case review"), ("no", "No: write to the applicant")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the threshold is met"},
    )
    lead_organisation = forms.ChoiceField(
        label="Organisation leading the review", required=False,
        help_text="Needed when the threshold is met.",
    )  # fmt: skip
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 4}),
        help_text="In plain words: when the threshold is not met, the applicant reads this.",
        error_messages={"required": "Give the reason for the decision"},
    )  # fmt: skip

    def __init__(self, *args: Any, organisations: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_organisation"].choices = [("", "Choose an organisation")] + [
            (str(o.pk), o.name) for o in organisations
        ]


class ReviewForm(forms.Form):
    held_on = forms.DateField(
        label="Date the review was held",
        help_text="For example, 27 3 2026 or 2026-03-27.",
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y"],
        error_messages={"required": "Enter the date of the review", "invalid": "Enter a real date"},
    )
    agencies = forms.MultipleChoiceField(
        label="Agencies present",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick the agencies that took part in the review"},
    )
    other_agencies = forms.CharField(
        label="Other agencies present (optional)", required=False, max_length=300
    )
    findings = forms.CharField(
        label="Findings", widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Write the findings of the review"},
    )  # fmt: skip
    decision = forms.CharField(
        label="Decision of the review", widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write the decision of the review"},
    )  # fmt: skip

    def __init__(self, *args: Any, organisations: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agencies"].choices = [(str(o.pk), o.name) for o in organisations]


class RecommendationForm(forms.Form):
    text = forms.CharField(
        label="Recommendation", widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the recommendation"},
    )  # fmt: skip
    owner_organisation = forms.ChoiceField(
        label="Organisation responsible",
        error_messages={"required": "Choose the organisation responsible"},
    )
    due_date = forms.DateField(
        label="Due date",
        help_text="For example, 2026-06-30 or 30/06/2026.",
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y"],
        error_messages={"required": "Enter the due date", "invalid": "Enter a real date"},
    )

    def __init__(self, *args: Any, organisations: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_organisation"].choices = [("", "Choose an organisation")] + [
            (str(o.pk), o.name) for o in organisations
        ]


class OutcomeForm(forms.Form):
    outcome_text = forms.CharField(
        label="The outcome, in plain words",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=(
            "The applicant reads this in an e-mail, with the recommendations listed after it and "
            "how to appeal. Say what the agencies found and what will change."
        ),
        error_messages={"required": "Write the outcome for the applicant"},
    )


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision on the appeal",
        choices=AppealDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a decision"},
    )
    reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The applicant reads this.",
        error_messages={"required": "Give the reason for the decision"},
    )  # fmt: skip


class SettingsForm(forms.Form):
    reports_needed = forms.IntegerField(
        label="Reports needed", min_value=1, max_value=3,
        help_text="The statutory guidance allows at most 3.",
    )  # fmt: skip
    window_months = forms.IntegerField(
        label="Within how many months before the request", min_value=6, max_value=24,
        help_text="At least 6.",
    )  # fmt: skip
    day_kind = forms.ChoiceField(
        label="Count the time limits in", choices=DayKind.choices, widget=forms.RadioSelect
    )
    decision_days = forms.IntegerField(
        label="Days to decide whether the threshold is met", min_value=1, max_value=60
    )
    review_days = forms.IntegerField(
        label="Days to hold the review and send the outcome", min_value=1, max_value=120
    )
    appeal_days = forms.IntegerField(label="Days the applicant has to appeal", min_value=1,
                                     max_value=120)  # fmt: skip
    retention_years = forms.IntegerField(
        label="Remove applicants' details this many years after a case is closed",
        min_value=1, max_value=10,
    )  # fmt: skip
    signposting = forms.CharField(
        label="Where to get help (put in the letter when the threshold is not met)",
        widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
    )  # fmt: skip

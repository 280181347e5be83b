"""Input shapes for the assessment pages. Rules that need the data (is the period inside the
months held?) or the record (is it still a draft?) are the services' business."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from saferplaces.assessments.document import COMPARATORS, CRITERIA_LABELS, WEIGHT_NAMES
from saferplaces.assessments.services import REASON_NEEDED, RETURN_REASON_NEEDED

YES_NO = [("yes", "Yes"), ("no", "No")]
WEIGHT_LABELS = CRITERIA_LABELS
MONTH_HINT = "Enter the last month as a month and a year, for example 12 2025"


class AssessmentNewForm(forms.Form):
    """The guided build: the period, the comparator, harm on or off, and (rarely) weights."""

    last_month_month = forms.IntegerField(
        label="Month",
        required=False,
        min_value=1,
        max_value=12,
        error_messages={
            "min_value": "The month must be a number from 1 to 12",
            "max_value": "The month must be a number from 1 to 12",
            "invalid": MONTH_HINT,
        },
    )
    last_month_year = forms.IntegerField(
        label="Year",
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={
            "min_value": "Enter the year as four digits, for example 2025",
            "max_value": "Enter the year as four digits, for example 2025",
            "invalid": MONTH_HINT,
        },
    )
    months = forms.IntegerField(
        label="Months in the assessment period",
        min_value=1,
        max_value=24,
        initial=12,
        help_text="Usually 12: the latest year, compared with the 12 months before it",
        error_messages={
            "required": "Enter how many months the assessment covers",
            "min_value": "The assessment period must be between 1 and 24 months",
            "max_value": "The assessment period must be between 1 and 24 months",
            "invalid": "Enter the number of months as a whole number, like 12",
        },
    )
    trend_months = forms.IntegerField(
        label="Months of history for the trend",
        min_value=1,
        max_value=120,
        initial=36,
        help_text="Usually 36: three years show a trend and the seasons",
        error_messages={
            "required": "Enter how many months of history the trend uses",
            "min_value": "The trend history must be between 1 and 120 months",
            "max_value": "The trend history must be between 1 and 120 months",
            "invalid": "Enter the number of months as a whole number, like 36",
        },
    )
    comparator = forms.ChoiceField(
        label="Compare the partnership with",
        choices=list(COMPARATORS.items()),
        initial="rest-of-force",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what to compare the partnership with"},
    )
    include_harm = forms.ChoiceField(
        label="Include crime harm?",
        choices=YES_NO,
        initial="yes",
        widget=forms.RadioSelect,
        help_text="Harm weighs each crime by the typical sentence for it, so a robbery counts "
        "for more than a shoplifting",
        error_messages={"required": "Choose whether to include crime harm"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in WEIGHT_NAMES:
            self.fields[f"weight_{name}"] = forms.FloatField(
                label=WEIGHT_LABELS[name],
                required=False,
                min_value=0,
                max_value=10,
                error_messages={
                    "min_value": f"The {WEIGHT_LABELS[name].lower()} weight must be 0 to 10",
                    "max_value": f"The {WEIGHT_LABELS[name].lower()} weight must be 0 to 10",
                    "invalid": f"Enter the {WEIGHT_LABELS[name].lower()} weight as a number",
                },
            )

    def weight_fields(self) -> list[forms.BoundField]:
        return [self[f"weight_{name}"] for name in WEIGHT_NAMES]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        month, year = data.get("last_month_month"), data.get("last_month_year")
        if "last_month_month" in self.errors or "last_month_year" in self.errors:
            return data
        if (month is None) != (year is None):
            self.add_error("last_month_month", MONTH_HINT)
        data["last_month"] = date(year, month, 1) if month and year else None
        months, trend = data.get("months"), data.get("trend_months")
        if months and trend and trend < months:
            self.add_error(
                "trend_months", "The trend history must be at least as long as the period"
            )
        data["include_harm"] = data.get("include_harm") != "no"
        return data


class SectionForm(forms.Form):
    text = forms.CharField(
        label="Text",
        required=False,
        max_length=30_000,
        widget=forms.Textarea(attrs={"rows": 14}),
        error_messages={"max_length": "The text must be 30,000 characters or fewer"},
    )


class OverrideForm(forms.Form):
    score = forms.FloatField(
        label="New score",
        min_value=0,
        max_value=5,
        help_text="From 0 (lowest priority) to 5 (highest). The computed score stays beside it.",
        error_messages={
            "required": "Enter a score from 0 to 5",
            "min_value": "The score must be from 0 to 5",
            "max_value": "The score must be from 0 to 5",
            "invalid": "Enter the score as a number from 0 to 5, like 4.5",
        },
    )
    reason = forms.CharField(
        label="Reason for the change",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Say what evidence the score does not capture. Everyone who reads the "
        "assessment sees this reason.",
    )

    def clean_reason(self) -> str:
        reason = (self.cleaned_data.get("reason") or "").strip()
        if not reason:
            raise forms.ValidationError(REASON_NEEDED)
        return reason


class ReviewForm(forms.Form):
    APPROVE, RETURN = "approve", "return"

    decision = forms.ChoiceField(
        label="Your decision",
        choices=[
            (APPROVE, "Approve this version"),
            (RETURN, "Send it back to draft"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve it or send it back"},
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="If you send it back, say what needs to change. An approval note is kept "
        "with the version.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("decision") == self.RETURN and not (data.get("note") or "").strip():
            self.add_error("note", RETURN_REASON_NEEDED)
        return data


CONCERN_CHOICES = [("", "Not entered"), *[(str(n), str(n)) for n in range(1, 6)]]


class PublicConcernForm(forms.Form):
    """One select per priority (1–5 or "not entered") and where the scores come from."""

    source = forms.CharField(
        label="Where these scores come from",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the 2027 residents' survey and concerns reported on this site.",
    )

    def __init__(self, *args: Any, labels: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.labels = labels
        for category, label in labels.items():
            self.fields[category] = forms.ChoiceField(
                label=label, choices=CONCERN_CHOICES, required=False
            )

    def scores(self) -> dict[str, int | None]:
        return {
            category: int(self.cleaned_data[category]) if self.cleaned_data.get(category) else None
            for category in self.labels
        }

"""Input shapes for the plan pages. Rules that need the plan (dates inside its period, is it
frozen, who owns the action) are the services' business; forms check the shape only."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms

from saferplaces.plans.models import ActionStatus, InterventionLevel
from saferplaces.plans.services import DATES_ORDER, PERIOD_ORDER

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d-%m-%Y"]
DATE_HINT = "For example, 31/03/2027"


def _date(label: str, *, required: bool = True, what: str = "the date") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        help_text=DATE_HINT,
        error_messages={
            "required": f"Enter {what}",
            "invalid": f"Enter {what} as a real date, for example 31/03/2027",
        },
    )


def _year(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": "Enter the year as four digits, for example 2026",
            "min_value": "Enter the year as four digits between 2000 and 2100",
            "max_value": "Enter the year as four digits between 2000 and 2100",
        },
    )


class PlanForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={"required": "Enter a title"},
        help_text="For example, Community Safety Plan",
    )
    start_year = _year("First year")
    end_year = _year("Last year")
    vision = forms.CharField(
        label="Vision",
        required=False,
        widget=forms.Textarea,
        help_text="In plain English: what the partnership wants the area to be like",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", PERIOD_ORDER)
        return data


class PriorityForm(forms.Form):
    title = forms.CharField(
        label="Priority", max_length=200, error_messages={"required": "Enter the priority"}
    )
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea)
    lead_officer = forms.ModelChoiceField(
        label="Lead officer", queryset=None, required=False, empty_label="Not chosen yet"
    )
    lead_organisation = forms.ModelChoiceField(
        label="Lead organisation", queryset=None, required=False, empty_label="Not chosen yet"
    )

    def __init__(self, *args: Any, people: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_officer"].queryset = people
        self.fields["lead_officer"].label_from_instance = lambda u: u.full_name or u.email
        self.fields["lead_organisation"].queryset = organisations


class FromAssessmentForm(forms.Form):
    categories = forms.MultipleChoiceField(
        label="Priorities from the strategic assessment",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one priority from the assessment"},
    )

    def __init__(self, *args: Any, rows: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = [
            (row.category, f"{row.rank}. {row.label}") for row in rows if not row.already_in_plan
        ]


class ObjectiveForm(forms.Form):
    text = forms.CharField(
        label="Objective",
        widget=forms.Textarea,
        error_messages={"required": "Enter the objective"},
        help_text="What will be different, for example: fewer repeat victims of burglary",
    )


class ActionForm(forms.Form):
    key_activity = forms.CharField(
        label="Key activity",
        widget=forms.Textarea,
        error_messages={"required": "Enter the key activity"},
    )
    objective = forms.ModelChoiceField(
        label="Objective it serves", queryset=None, required=False, empty_label="None"
    )
    organisations = forms.ModelMultipleChoiceField(
        label="Organisations that own the action",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="Their partner officers post progress on it",
        error_messages={"required": "Choose at least one organisation that owns the action"},
    )
    responsible_officers = forms.ModelMultipleChoiceField(
        label="Responsible officers",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    intervention_level = forms.ChoiceField(
        label="Intervention level",
        choices=InterventionLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the intervention level"},
    )
    status = forms.ChoiceField(
        label="Status", choices=ActionStatus.choices, initial=ActionStatus.NOT_STARTED
    )
    start_date = _date("Start date", required=False, what="the start date")
    completion_date = _date("Completion date", required=False, what="the completion date")
    cost = forms.DecimalField(
        label="Cost in pounds",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        error_messages={
            "invalid": "Enter the cost as a number of pounds, for example 2500 or 2500.50",
            "min_value": "The cost cannot be negative",
            "max_decimal_places": "Enter the cost to the nearest penny",
        },
    )
    funding_source = forms.CharField(label="Funding source", max_length=200, required=False)

    def __init__(
        self, *args: Any, objectives: Any, organisations: Any, people: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = objectives
        self.fields["organisations"].queryset = organisations
        self.fields["responsible_officers"].queryset = people
        self.fields["responsible_officers"].label_from_instance = lambda u: u.full_name or u.email

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, completion = data.get("start_date"), data.get("completion_date")
        if start and completion and completion < start:
            self.add_error("completion_date", DATES_ORDER)
        return data


class MilestoneForm(forms.Form):
    title = forms.CharField(
        label="Milestone", max_length=200, error_messages={"required": "Enter the milestone"}
    )
    due_date = _date("Due date", what="the due date")
    done_date = _date("Date it was done", required=False, what="the date it was done")


class ProgressForm(forms.Form):
    on = _date("Date of the update", what="the date of the update")
    text = forms.CharField(
        label="What has been done",
        widget=forms.Textarea,
        error_messages={"required": "Enter what has been done"},
    )
    evidence_note = forms.CharField(
        label="Evidence",
        required=False,
        widget=forms.Textarea,
        help_text="Where the evidence is, for example the meeting minute or the report",
    )
    status = forms.ChoiceField(
        label="Status of the action now",
        choices=ActionStatus.choices,
    )
    # A one-time token: a double click sends the same token twice and saves the update once.
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(24)


class ApproveForm(forms.Form):
    minute = forms.CharField(
        label="The decision as minuted",
        widget=forms.Textarea,
        help_text="For example: Board meeting 12 March 2026, item 4, plan approved",
        error_messages={
            "required": "Enter the decision as minuted, for example the meeting, date and item"
        },
    )
    approved_on = _date("Date of the decision", what="the date of the decision")

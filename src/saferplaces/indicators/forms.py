"""Input shapes for indicators, values, overrides, exception notes and meetings.

Rules across fields (a target needs a baseline, dates in order) are the services' business, so
they hold for every caller; the forms parse and say what a field must look like.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django import forms

from crimestats.query import parse_month_text
from saferplaces.analytics.dashboard import category_choices
from saferplaces.indicators.compute import AREA_KINDS, MEASURES
from saferplaces.indicators.models import Direction, Frequency, Kind, MeetingItemKind

MONTH_HELP = "As year and month, for example 2025-12"


class MonthField(forms.CharField):
    """A month typed as YYYY-MM (the first of the month)."""

    def to_python(self, value: Any) -> date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_month_text(text, str(self.label or "month"))
        except ValueError:
            raise forms.ValidationError(
                f"Enter {str(self.label).lower()} as year and month, for example 2025-12"
            ) from None

    def prepare_value(self, value: Any) -> Any:
        return value.strftime("%Y-%m") if isinstance(value, date) else value


def new_token() -> str:
    return uuid.uuid4().hex


class IndicatorForm(forms.Form):
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the indicator's name"}
    )
    priority = forms.ChoiceField(label="Priority it measures", required=False)
    kind = forms.ChoiceField(
        label="Where the values come from", choices=Kind.choices, widget=forms.RadioSelect
    )
    area_kind = forms.ChoiceField(
        label="Area counted (computed indicators)",
        required=False,
        choices=[("", "Choose an area"), *AREA_KINDS.items()],
    )
    wards = forms.CharField(
        label="Ward codes",
        required=False,
        help_text="When the area is wards: codes separated by commas, for example E05010104, "
        "E05010105",
    )
    neighbourhood = forms.ChoiceField(label="Neighbourhood", required=False)
    categories = forms.ChoiceField(label="Crimes counted", required=False, choices=category_choices)
    measure = forms.ChoiceField(
        label="Measure", required=False, choices=[("", "Choose a measure"), *MEASURES.items()]
    )
    unit = forms.CharField(
        label="Unit",
        max_length=60,
        required=False,
        help_text="For example crimes, incidents, % of residents",
    )
    baseline_value = forms.FloatField(label="Baseline value", required=False)
    baseline_period = forms.CharField(
        label="Baseline period",
        max_length=60,
        required=False,
        help_text="For example 12 months to December 2025",
    )
    baseline_month = MonthField(
        label="Last month of the baseline", required=False, help_text=MONTH_HELP
    )
    target_value = forms.FloatField(label="Target value", required=False)
    target_date = MonthField(label="Target month", required=False, help_text=MONTH_HELP)
    direction = forms.ChoiceField(
        label="Which way is better", choices=Direction.choices, widget=forms.RadioSelect
    )
    frequency = forms.ChoiceField(label="How often it is reported", choices=Frequency.choices)
    source = forms.CharField(
        label="Source", max_length=300, required=False, help_text="Where the figures come from"
    )

    def __init__(
        self, *args: Any, priorities: list[Any], neighbourhoods: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["priority"].choices = [("", "Not linked to one priority")] + [
            (str(p.pk), p.title) for p in priorities
        ]
        self.fields["neighbourhood"].choices = [("", "Choose a neighbourhood")] + [
            (str(n.pk), n.name) for n in neighbourhoods
        ]
        self._priorities = {str(p.pk): p for p in priorities}
        self._neighbourhoods = {str(n.pk): n for n in neighbourhoods}

    def clean_wards(self) -> list[str]:
        text = self.cleaned_data.get("wards") or ""
        codes = [c.strip().upper() for c in text.replace(";", ",").split(",") if c.strip()]
        bad = [c for c in codes if not (c.startswith("E05") and len(c) == 9)]
        if bad:
            raise forms.ValidationError(
                f"Ward codes start E05 and have 9 characters; check {', '.join(bad)}"
            )
        return codes

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        measure: dict[str, Any] = {}
        if data["kind"] == Kind.BOUND:
            area: dict[str, Any] = {"kind": data.get("area_kind") or ""}
            if area["kind"] == "wards":
                area["wards"] = data.get("wards") or []
            if area["kind"] == "neighbourhood":
                chosen = self._neighbourhoods.get(data.get("neighbourhood") or "")
                area["neighbourhood_id"] = str(chosen.pk) if chosen else ""
                area["label"] = chosen.name if chosen else ""
            category = data.get("categories") or "all-crime"
            measure = {
                "area": area,
                "categories": None if category == "all-crime" else [category],
                "measure": data.get("measure") or "",
            }
        return {
            "name": data["name"].strip(),
            "priority": self._priorities.get(data.get("priority") or ""),
            "kind": data["kind"],
            "measure": measure,
            "unit": data.get("unit", ""),
            "baseline_value": data.get("baseline_value"),
            "baseline_period": data.get("baseline_period", ""),
            "baseline_month": data.get("baseline_month"),
            "target_value": data.get("target_value"),
            "target_date": data.get("target_date"),
            "direction": data["direction"],
            "frequency": data["frequency"],
            "source": data.get("source", ""),
        }


def indicator_initial(indicator: Any) -> dict[str, Any]:
    measure = indicator.measure or {}
    area = measure.get("area") or {}
    cats = measure.get("categories")
    return {
        "name": indicator.name,
        "priority": str(indicator.priority_id or ""),
        "kind": indicator.kind,
        "area_kind": area.get("kind", ""),
        "wards": ", ".join(area.get("wards") or []),
        "neighbourhood": area.get("neighbourhood_id", ""),
        "categories": cats[0] if cats else "all-crime",
        "measure": measure.get("measure", ""),
        "unit": indicator.unit,
        "baseline_value": indicator.baseline_value,
        "baseline_period": indicator.baseline_period,
        "baseline_month": indicator.baseline_month,
        "target_value": indicator.target_value,
        "target_date": indicator.target_date,
        "direction": indicator.direction,
        "frequency": indicator.frequency,
        "source": indicator.source,
    }


class ValueForm(forms.Form):
    month = MonthField(
        label="Month the figure is for",
        help_text=MONTH_HELP,
        error_messages={"required": "Enter the month the figure is for"},
    )
    value = forms.FloatField(
        label="Value",
        error_messages={"required": "Enter the value", "invalid": "Enter the value as a number"},
    )
    low = forms.FloatField(label="Low end of the interval (optional)", required=False)
    high = forms.FloatField(label="High end of the interval (optional)", required=False)
    note = forms.CharField(
        label="Source note",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Where the figure comes from, e.g. the partner return",
        error_messages={"required": "Say where the figure comes from"},
    )


class OverrideForm(forms.Form):
    colour = forms.ChoiceField(
        label="Colour to show",
        widget=forms.RadioSelect,
        choices=[
            ("green", "Green"),
            ("amber", "Amber"),
            ("red", "Red"),
            ("", "Use the computed colour"),
        ],
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown beside the colour in every board pack",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("colour") and not (data.get("reason") or "").strip():
            self.add_error("reason", "Give the reason for the override")
        return data


class ExceptionNoteForm(forms.Form):
    cause = forms.CharField(
        label="Cause",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe the cause"},
    )
    recovery_action = forms.CharField(
        label="Recovery action",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe the recovery action"},
    )
    recovery_date = forms.DateField(
        label="Date it will be back on track",
        help_text="For example 2026-06-30",
        error_messages={
            "required": "Enter the date it will be back on track",
            "invalid": "Enter the date as year-month-day, for example 2026-06-30",
        },
    )


class MeetingForm(forms.Form):
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the meeting's title"}
    )
    date = forms.DateField(
        label="Date",
        help_text="For example 2026-03-12",
        error_messages={
            "required": "Enter the meeting's date",
            "invalid": "Enter the date as year-month-day, for example 2026-03-12",
        },
    )
    plan = forms.ChoiceField(label="Plan reported on", required=False)
    agenda = forms.CharField(
        label="Agenda",
        required=False,
        help_text="One item a line",
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attendees = forms.MultipleChoiceField(
        label="Organisations attending", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, *args: Any, plans: list[Any], organisations: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [("", "No plan")] + [(str(p.pk), str(p.title)) for p in plans]
        self.fields["attendees"].choices = [(str(o.pk), o.name) for o in organisations]
        self._plans = {str(p.pk): p for p in plans}
        self._organisations = {str(o.pk): o for o in organisations}

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"].strip(),
            "date": data["date"],
            "plan": self._plans.get(data.get("plan") or ""),
            "agenda": data.get("agenda", ""),
            "attendees": [self._organisations[i] for i in data.get("attendees") or []],
        }


class MeetingItemForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind of item", choices=MeetingItemKind.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label="Item",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the item"},
    )
    owner = forms.CharField(label="Owner (actions)", max_length=200, required=False)
    due_date = forms.DateField(
        label="Due date (actions)", required=False, help_text="For example 2026-06-30"
    )


class ScrutinyForm(forms.Form):
    year = forms.IntegerField(
        label="Year reviewed",
        min_value=2000,
        max_value=2100,
        help_text="The first year of the review, e.g. 2026 for 2026–27",
        error_messages={"required": "Enter the year reviewed"},
    )
    plan = forms.ChoiceField(label="Plan reported on", required=False)
    committee = forms.CharField(
        label="Scrutiny committee",
        max_length=200,
        required=False,
        help_text="For example the council's Community Scrutiny Committee",
    )
    responsibilities = forms.CharField(
        label="Responsibilities met",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The statutory duties: strategic assessment, plan, information sharing…",
    )
    successes = forms.CharField(
        label="Successes", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    year_ahead = forms.CharField(
        label="The year ahead", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    recommendations = forms.CharField(
        label="The partnership's recommendations",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, plans: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [("", "The current plan")] + [
            (str(p.pk), str(p.title)) for p in plans
        ]
        self._plans = {str(p.pk): p for p in plans}

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["plan"] = self._plans.get(data.get("plan") or "")
        return data


class RecommendationForm(forms.Form):
    text = forms.CharField(
        label="The committee's recommendation",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write the committee's recommendation"},
    )


class ResponseForm(forms.Form):
    response = forms.CharField(
        label="The partnership's response",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write the partnership's response"},
    )


class ItemToActionForm(forms.Form):
    priority = forms.ChoiceField(
        label="Priority", error_messages={"required": "Choose the priority"}
    )
    organisations = forms.MultipleChoiceField(
        label="Organisations that own it",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one organisation"},
    )
    intervention_level = forms.ChoiceField(label="Intervention level", widget=forms.RadioSelect)

    def __init__(
        self, *args: Any, priorities: list[Any], organisations: list[Any], **kwargs: Any
    ) -> None:
        from saferplaces.plans.models import InterventionLevel

        super().__init__(*args, **kwargs)
        self.fields["priority"].choices = [("", "Choose a priority")] + [
            (str(p.pk), p.title) for p in priorities
        ]
        self.fields["organisations"].choices = [(str(o.pk), o.name) for o in organisations]
        self.fields["intervention_level"].choices = InterventionLevel.choices
        self._priorities = {str(p.pk): p for p in priorities}
        self._organisations = {str(o.pk): o for o in organisations}

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "priority": self._priorities.get(data["priority"]),
            "organisations": [self._organisations[i] for i in data["organisations"]],
            "intervention_level": data["intervention_level"],
        }

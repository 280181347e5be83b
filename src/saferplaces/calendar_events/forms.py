"""Input shapes for the calendar pages. Rules across fields (the end before the start, a time
that does not exist on a clock-change night) are checked by ``services.event_dates_problems``
here too, so the page shows them with the others; the service checks them again."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms

from saferplaces.audit.forms import GovukDateField, date_input_params
from saferplaces.calendar_events.models import Audience, EventKind
from saferplaces.calendar_events.services import TITLE_MISSING, event_dates_problems
from saferplaces.core.forms_govuk import error_summary_params

TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")
DATE_FIELDS = ("start_date", "end_date", "start_time", "end_time")
TIME_HINT = "Use the 24-hour clock, for example 09:30 or 14:00. Leave blank for all day"


class TimeField(forms.CharField):
    """A time typed as 14:00 or 9.30 (24-hour clock)."""

    def to_python(self, value: Any) -> dt.time | None:  # type: ignore[override]
        text = str(value or "").strip().lower()
        if not text:
            return None
        match = TIME.match(text)
        if match:
            hour, minute = int(match.group(1)), int(match.group(2))
            if hour < 24 and minute < 60:
                return dt.time(hour, minute)
        raise forms.ValidationError(
            f"{self.label} must be a real time on the 24-hour clock, like 09:30 or 14:00",
            code="invalid",
        )


class EventForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={
            "required": TITLE_MISSING,
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    kind = forms.ChoiceField(
        label="What kind of event is it?",
        choices=EventKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what kind of event it is"},
    )
    start_date = GovukDateField(label="Start date")
    start_time = TimeField(label="Start time", required=False)
    end_date = GovukDateField(label="End date", required=False)
    end_time = TimeField(label="End time", required=False)
    location = forms.CharField(
        label="Where",
        required=False,
        max_length=300,
        help_text="A venue and town, or 'Online'",
        error_messages={"max_length": "The place must be 300 characters or fewer"},
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": "The description must be 5,000 characters or fewer"},
    )
    owner_organisation = forms.ChoiceField(
        label="Organisation responsible",
        error_messages={"required": "Choose the organisation responsible for the event"},
    )
    audience = forms.ChoiceField(
        label="Who is it for?",
        choices=Audience.choices,
        widget=forms.RadioSelect,
        help_text="Public events appear in the partnership's public calendar feed, which anyone "
        "can subscribe to",
        error_messages={"required": "Choose who the event is for"},
    )

    def __init__(self, *args: Any, organisations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        choices = [(key, o.name) for key, o in self.organisations.items()]
        if len(choices) != 1:
            choices = [("", "Choose an organisation"), *choices]
        self.fields["owner_organisation"].choices = choices
        self.fields["start_date"].error_messages["required"] = "Enter the start date"

    def clean_title(self) -> str:
        title = (self.cleaned_data.get("title") or "").strip()
        if not title:
            raise forms.ValidationError(TITLE_MISSING)
        return title

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["owner_organisation"] = self.organisations.get(data.get("owner_organisation") or "")
        start = data.get("start_date")
        if start is not None and data.get("end_date") is None and "end_date" not in self.errors:
            data["end_date"] = start
        if any(name in self.errors for name in DATE_FIELDS):
            return data
        problems = event_dates_problems(
            start_date=start, end_date=data.get("end_date"),
            start_time=data.get("start_time"), end_time=data.get("end_time"),
        )  # fmt: skip
        for name, message in problems.items():
            self.add_error(name, message)
        return data

    def date_params(self, name: str) -> dict[str, Any]:
        hint = (
            "For example, 27 3 2026"
            if name == "start_date"
            else "Leave blank if it ends on the same day"
        )
        return date_input_params(self[name], hint=hint)

    def error_summary(self) -> dict[str, Any] | None:
        params = error_summary_params(self)
        if params is None:
            return None
        for name in ("start_date", "end_date"):
            field = self[name]
            for item in params["errorList"]:
                if item["href"] == f"#{field.auto_id}":
                    item["href"] = f"#{field.auto_id}-day"
        return params


class DeleteForm(forms.Form):
    """Nothing to fill in: the POST itself (with its CSRF token) confirms."""


def initial_from_event(event: Any) -> dict[str, Any]:
    def parts(day: dt.date) -> dict[str, str]:
        return {"day": str(day.day), "month": str(day.month), "year": str(day.year)}

    return {
        "title": event.title,
        "kind": event.kind,
        "start_date": parts(event.start_date),
        "end_date": parts(event.end_date) if event.end_date != event.start_date else None,
        "start_time": event.start_time.strftime("%H:%M") if event.start_time else "",
        "end_time": event.end_time.strftime("%H:%M") if event.end_time else "",
        "location": event.location,
        "description": event.description,
        "owner_organisation": str(event.owner_organisation_id),
        "audience": event.audience,
    }

"""The dashboard's filters: a GET form, so the address holds the view and can be bookmarked.

The form checks the input only: which periods, areas and categories exist comes from the caller
(the selectors read them from the data), so a bookmarked view of an area or month that is no
longer loaded gets a clear message instead of an error page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django import forms

from crimestats.months import add_months, as_month, month_label, month_range

PERIODS = {
    "rolling": "12 months to a month",
    "month": "One month",
    "custom": "From one month to another",
}
DEFAULT_PERIOD = "rolling"
PARTNERSHIP = "partnership"
DEFAULT_CATEGORY = "all-crime"
MONTH = re.compile(r"\d{4}-\d{2}")


def month_name(month: date) -> str:
    return month.strftime("%B %Y")


@dataclass(frozen=True, slots=True)
class AreaChoice:
    """An area a dashboard can show: ``spec`` is what ``crimestats`` resolves.

    ``value`` is what the address holds (``partnership``, a ward or LSOA code, or another app's
    own value such as a saved neighbourhood's), ``label`` what people read (name first).
    """

    value: str
    label: str
    kind: str  # "partnership", "ward", "lsoa" or an added kind (e.g. "neighbourhood")
    spec: Any
    name: str = ""  # for sentences ("Ashby Castle ward"); the label when empty

    @property
    def title(self) -> str:
        return self.name or self.label


@dataclass(frozen=True, slots=True)
class Filters:
    """A valid dashboard question."""

    period: str
    first: date
    last: date
    area: str
    category: str

    def params(self) -> dict[str, str]:
        """The query-string parameters that ask this question again."""
        params = {"period": self.period}
        if self.period == "custom":
            params.update(start=month_label(self.first), end=month_label(self.last))
        else:
            params["month"] = month_label(self.last)
        params.update(area=self.area, category=self.category)
        return params

    def query(self, **extra: str) -> str:
        return urlencode({**self.params(), **extra})

    @property
    def key(self) -> str:
        """For cache keys: the question in one line."""
        return self.query()


def period_of(
    kind: str, month: date | None, start: date | None, end: date | None
) -> tuple[date, date]:
    """The months a period choice covers (``month``: the last month for month and rolling)."""
    if kind == "custom":
        if start is None or end is None:
            raise ValueError("a period from one month to another needs both months")
        return start, end
    if month is None:
        raise ValueError("a month is needed")
    return (month, month) if kind == "month" else (add_months(month, -11), month)


class DashboardFilterForm(forms.Form):
    """Period, area and category; every value is checked against the data it will read."""

    period = forms.CharField(required=False, label="Period")
    month = forms.CharField(required=False, label="Month")
    start = forms.CharField(required=False, label="From")
    end = forms.CharField(required=False, label="To")
    area = forms.CharField(required=False, label="Area")
    category = forms.CharField(required=False, label="Crime type")

    def __init__(
        self,
        data: Mapping[str, Any] | None,
        *,
        held: Sequence[date],
        areas: Sequence[AreaChoice],
        categories: Sequence[tuple[str, str]],
        partnership_name: str,
        outside: Callable[[str], str | None] = lambda code: None,
    ) -> None:
        super().__init__(data)
        self.held = sorted(held)
        self.areas = {choice.value: choice for choice in areas}
        self.categories = dict(categories)
        self.partnership_name = partnership_name
        self.outside = outside
        self.first_held = self.held[0] if self.held else None
        self.last_held = self.held[-1] if self.held else None

    # --- field checks -------------------------------------------------------------------------

    def _month(self, name: str, default: date | None) -> date | None:
        raw = str(self.cleaned_data.get(name) or "").strip()
        if not raw:
            return default
        if not MONTH.fullmatch(raw):
            raise forms.ValidationError(
                f"{self.fields[name].label} must be a month written like 2025-03, not “{raw[:20]}”"
            )
        try:
            month = as_month(raw)
        except ValueError:
            raise forms.ValidationError(
                f"{self.fields[name].label} must be a real month, like 2025-03"
            ) from None
        if self.first_held and self.last_held and not self.first_held <= month <= self.last_held:
            raise forms.ValidationError(
                f"{month_name(month)} is outside the data: the police data held runs from "
                f"{month_name(self.first_held)} to {month_name(self.last_held)}"
            )
        return month

    def clean_period(self) -> str:
        value = str(self.cleaned_data.get("period") or "").strip() or DEFAULT_PERIOD
        if value not in PERIODS:
            raise forms.ValidationError(
                "Period must be one month, 12 months to a month, or from one month to another"
            )
        return value

    def clean_month(self) -> date | None:
        return self._month("month", self.last_held)

    def clean_start(self) -> date | None:
        return self._month("start", None)

    def clean_end(self) -> date | None:
        return self._month("end", None)

    def clean_area(self) -> str:
        value = str(self.cleaned_data.get("area") or "").strip() or PARTNERSHIP
        if value in self.areas:
            return value
        code = value.upper()
        if code in self.areas:
            return code
        elsewhere = self.outside(code)
        if elsewhere:
            raise forms.ValidationError(
                f"{elsewhere} ({code}) is outside {self.partnership_name}: choose an area "
                "inside the partnership"
            )
        raise forms.ValidationError(
            f"No ward or neighbourhood has the code “{value[:20]}”: choose an area from the list"
        )

    def clean_category(self) -> str:
        value = str(self.cleaned_data.get("category") or "").strip() or DEFAULT_CATEGORY
        if value not in self.categories:
            raise forms.ValidationError(
                f"“{value[:30]}” is not a crime type: choose one from the list"
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.first_held is None:
            raise forms.ValidationError("No police data has been loaded yet")
        if data.get("period") == "custom" and not self.errors:
            start, end = data.get("start"), data.get("end")
            if start is None:
                self.add_error("start", "Enter the first month of the period")
            if end is None:
                self.add_error("end", "Enter the last month of the period")
            if start and end and start > end:
                self.add_error(
                    "end",
                    f"The period must end after it starts: {month_name(end)} is before "
                    f"{month_name(start)}",
                )
        if not self.errors and data.get("period"):
            first, last = period_of(
                data["period"], data.get("month"), data.get("start"), data.get("end")
            )
            held = set(self.held)
            if not any(month in held for month in month_range(first, last)):
                where = "month" if data["period"] != "custom" else "start"
                self.add_error(
                    where,
                    f"The police data has no records for {month_name(first)}"
                    + ("" if first == last else f" to {month_name(last)}")
                    + ": those months are missing from the data. Choose another period",
                )
        return data

    # --- results ------------------------------------------------------------------------------

    def filters(self) -> Filters:
        """The checked question (call after ``is_valid()``)."""
        data = self.cleaned_data
        first, last = period_of(
            data["period"], data.get("month"), data.get("start"), data.get("end")
        )
        return Filters(data["period"], first, last, data["area"], data["category"])

    def error_summary(self) -> dict[str, Any] | None:
        from saferplaces.core.forms_govuk import error_summary_params

        return error_summary_params(self)

    def select(
        self, name: str, items: Sequence[tuple[str, str]], current: str, **extra: Any
    ) -> dict[str, Any]:
        """Parameters for ``govukSelect`` (the form's own fields are free text, so a crafted
        address is checked with a clear message rather than Django's "not a valid choice")."""
        field = self[name]
        params: dict[str, Any] = {
            "id": field.auto_id,
            "name": field.html_name,
            "label": {"text": str(field.label)},
            "items": [
                {"value": value, "text": text, "selected": value == current}
                for value, text in items
            ],
        }
        if field.errors:
            params["errorMessage"] = {"text": " ".join(str(e) for e in field.errors)}
        params.update(extra)
        return params

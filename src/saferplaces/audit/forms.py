from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from saferplaces.audit.registry import VERBS, Action
from saferplaces.core.forms_govuk import error_summary_params

PARTS = ("day", "month", "year")


class DatePartsWidget(forms.Widget):
    """The three boxes of the GOV.UK date input: ``<name>-day``, ``-month`` and ``-year``."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> dict[str, str]:
        return {part: str(data.get(f"{name}-{part}", "")).strip() for part in PARTS}

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(f"{name}-{part}" in data for part in PARTS)


class GovukDateField(forms.Field):
    """A date typed as day, month and year, with the GOV.UK Design System's error messages."""

    widget = DatePartsWidget

    def to_python(self, value: Any) -> date | None:
        parts = value if isinstance(value, dict) else {}
        if not any(parts.get(part) for part in PARTS):
            return None
        name = str(self.label)
        missing = [part for part in PARTS if not parts.get(part)]
        if missing:
            raise ValidationError(
                f"{name} must include a {' and '.join(missing)}", code="incomplete"
            )
        if not all(parts[part].isdigit() for part in PARTS):
            raise ValidationError(f"{name} must be a real date", code="invalid")
        if len(parts["year"]) != 4:
            raise ValidationError("Year must include 4 numbers", code="year")
        try:
            return date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except ValueError:
            raise ValidationError(f"{name} must be a real date", code="invalid") from None


def date_input_params(field: forms.BoundField, hint: str) -> dict[str, Any]:
    """Parameters for govukDateInput; only the boxes at fault are highlighted, as GOV.UK asks."""
    raw = field.value() if isinstance(field.value(), dict) else {}
    error = " ".join(str(e) for e in field.errors) if field.errors else None
    at_fault = set(_parts_at_fault(field)) if error else set()
    items = []
    for part in PARTS:
        width = "govuk-input--width-4" if part == "year" else "govuk-input--width-2"
        items.append(
            {
                "name": part,
                "value": raw.get(part, ""),
                "classes": width + (" govuk-input--error" if part in at_fault else ""),
            }
        )
    return {
        "id": field.auto_id,
        "namePrefix": field.html_name,
        "fieldset": {"legend": {"text": str(field.label), "classes": "govuk-fieldset__legend--s"}},
        "hint": {"text": hint},
        "errorMessage": {"text": error} if error else None,
        "items": items,
    }


def _parts_at_fault(field: forms.BoundField) -> list[str]:
    codes = {error.code for error in field.form.errors.as_data().get(field.name, [])}
    raw = field.value() if isinstance(field.value(), dict) else {}
    if codes == {"incomplete"}:
        return [part for part in PARTS if not raw.get(part)]
    if codes == {"year"}:
        return ["year"]
    return list(PARTS)


class AuditFilterForm(forms.Form):
    partnership = forms.ChoiceField(required=False, label="Partnership")
    action = forms.ChoiceField(required=False, label="Type of event")
    verb = forms.ChoiceField(required=False, label="Event")
    date_from = GovukDateField(required=False, label="From date")
    date_to = GovukDateField(required=False, label="To date")

    def __init__(self, *args: Any, partnerships: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partnerships = {str(p.pk): p for p in partnerships}
        self.fields["partnership"].choices = [("", "All you may see")] + [
            (key, p.name) for key, p in self.partnerships.items()
        ]
        self.fields["action"].choices = [("", "Any")] + [
            (a, a.replace("_", " ").capitalize()) for a in Action.ALL
        ]
        self.fields["verb"].choices = [("", "Any")] + [
            (verb, description) for verb, (_, description) in sorted(VERBS.items())
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "To date must be the same as or after the from date")
        data["partnership_obj"] = self.partnerships.get(data.get("partnership") or "")
        return data

    def date_params(self, name: str) -> dict[str, Any]:
        return date_input_params(self[name], hint="For example, 1 4 2025")

    def error_summary(self) -> dict[str, Any] | None:
        """The error summary, each date error linked to the first box at fault."""
        params = error_summary_params(self)
        if params is None:
            return None
        for name in ("date_from", "date_to"):
            field = self[name]
            if field.errors:
                href = f"#{field.auto_id}-{_parts_at_fault(field)[0]}"
                for item in params["errorList"]:
                    if item["href"] == f"#{field.auto_id}":
                        item["href"] = href
        return params

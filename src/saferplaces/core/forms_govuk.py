"""Turn Django bound fields into the parameter dicts that GOV.UK Frontend macros take.

Templates then call ``govukInput(govuk_field(form.email, type="email"))`` instead of
repeating Design System markup by hand.
"""

from __future__ import annotations

from typing import Any

from django import forms


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            base[key] = _merge(dict(base[key]), value)
        else:
            base[key] = value
    return base


def _error(field: forms.BoundField) -> dict[str, str] | None:
    if not field.errors:
        return None
    return {"text": " ".join(str(e) for e in field.errors)}


def field_params(field: forms.BoundField, **extra: Any) -> dict[str, Any]:
    """Parameters for govukInput / govukTextarea / govukPasswordInput."""
    value = field.value()
    params: dict[str, Any] = {
        "id": field.auto_id,
        "name": field.html_name,
        "label": {"text": str(field.label)},
        "errorMessage": _error(field),
    }
    if value not in (None, "") and not isinstance(field.field.widget, forms.PasswordInput):
        params["value"] = str(value)
    if field.help_text:
        params["hint"] = {"text": str(field.help_text)}
    return _merge(params, extra)


def choice_params(field: forms.BoundField, **extra: Any) -> dict[str, Any]:
    """Parameters for govukRadios / govukSelect / govukCheckboxes."""
    current = field.value()
    selected = {str(v) for v in current} if isinstance(current, list | tuple) else {str(current)}
    items = []
    for value, label in field.field.choices:
        if value == "" and not isinstance(field.field.widget, forms.Select):
            continue
        item = {
            "value": str(value),
            "text": str(label),
            "checked": str(value) in selected,
            "selected": str(value) in selected,
        }
        items.append(item)
    params: dict[str, Any] = {
        "idPrefix": field.auto_id,
        "id": field.auto_id,
        "name": field.html_name,
        "items": items,
        "errorMessage": _error(field),
        "fieldset": {"legend": {"text": str(field.label), "classes": "govuk-fieldset__legend--s"}},
        "label": {"text": str(field.label)},
    }
    if field.help_text:
        params["hint"] = {"text": str(field.help_text)}
    return _merge(params, extra)


def error_summary_params(form: forms.Form) -> dict[str, Any] | None:
    """Parameters for govukErrorSummary, or None when the form has no errors."""
    if not form.is_bound or not form.errors:
        return None
    error_list = []
    for message in form.non_field_errors():
        first = next(iter(form), None)
        error_list.append({"text": str(message), "href": f"#{first.auto_id}" if first else "#"})
    for field in form:
        for message in field.errors:
            error_list.append({"text": str(message), "href": f"#{field.auto_id}"})
    return {"titleText": "There is a problem", "errorList": error_list}


def posted(request: Any) -> Any:
    """Form data for a POST (even an empty one), None otherwise, so empty posts show errors."""
    return request.POST if request.method == "POST" else None

"""A service's refusal lands on the field it names, else the default, else above the form."""

from __future__ import annotations

from django import forms

from saferplaces.core.exceptions import ApplicationError


class _Form(forms.Form):
    title = forms.CharField()
    minute = forms.CharField()


def _errors(error: ApplicationError, default: str | None = None) -> dict[str, list[str]]:
    form = _Form({"title": "t", "minute": "m"})
    assert form.is_valid()
    error.add_to(form, default)
    return {key: list(value) for key, value in form.errors.items()}


def test_the_named_field_wins_over_the_default() -> None:
    error = ApplicationError("Enter the minute", {"field": "minute"})
    assert _errors(error, "title") == {"minute": ["Enter the minute"]}


def test_the_default_field_takes_an_unnamed_refusal() -> None:
    assert _errors(ApplicationError("Taken"), "title") == {"title": ["Taken"]}


def test_a_field_the_form_lacks_goes_above_the_form() -> None:
    error = ApplicationError("Dates out of order", {"field": "no_such_field"})
    assert _errors(error) == {"__all__": ["Dates out of order"]}

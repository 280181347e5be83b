from __future__ import annotations

from typing import Any

from django import forms

from saferplaces.audit.registry import VERBS, Action


class AuditFilterForm(forms.Form):
    partnership = forms.ChoiceField(required=False, label="Partnership")
    action = forms.ChoiceField(required=False, label="Type of event")
    verb = forms.ChoiceField(required=False, label="Event")
    date_from = forms.DateField(required=False, label="From", help_text="For example, 2025-04-01")
    date_to = forms.DateField(required=False, label="To", help_text="For example, 2025-04-30")

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
            self.add_error("date_to", "The end date must be the same as or after the start date")
        data["partnership_obj"] = self.partnerships.get(data.get("partnership") or "")
        return data

from __future__ import annotations

from typing import Any

from django import forms

from saferplaces.accounts.models import Partnership
from saferplaces.alerts import areas as area_rules
from saferplaces.alerts.models import Topic
from saferplaces.core.public_forms import PublicFormMixin

SEPARATOR = "|"


def signup_area_choices(partnerships: list[Partnership]) -> list[tuple[str, str]]:
    """Every public partnership's areas; the value carries the partnership."""
    many = len(partnerships) > 1
    return [
        (
            f"{p.pk}{SEPARATOR}{area.key}",
            f"{area.name} ({p.name})" if many and area.key != "all" else area.name,
        )
        for p in partnerships
        for area in area_rules.area_choices(p)
    ]


class AreaForm(forms.Form):
    area = forms.ChoiceField(
        label="Which area do you want alerts about?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the area you want alerts about",
            "invalid_choice": "Choose the area you want alerts about",
        },
    )

    def __init__(self, *args: Any, partnerships: list[Partnership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = signup_area_choices(partnerships)


class TopicsForm(forms.Form):
    topics = forms.MultipleChoiceField(
        label="What do you want alerts about?",
        help_text="Select all that apply.",
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one topic"},
    )


class EmailForm(PublicFormMixin, forms.Form):
    email = forms.EmailField(
        label="What is your e-mail address?",
        max_length=254,
        help_text="We will send a link to this address to check it is yours.",
        error_messages={
            "required": "Enter your e-mail address",
            "invalid": "Enter an e-mail address in the correct format, like name@example.com",
        },
    )
    consent = forms.BooleanField(
        label="I agree",
        error_messages={"required": "Confirm that you agree to get alerts by e-mail"},
    )


def split_area(value: str, partnerships: list[Partnership]) -> tuple[Partnership, str] | None:
    """``"<partnership id>|<area key>"`` → the partnership and the key, or None if unknown."""
    partnership_id, _, key = (value or "").partition(SEPARATOR)
    partnership = next((p for p in partnerships if str(p.pk) == partnership_id), None)
    return (partnership, key) if partnership is not None and key else None


class ManageForm(forms.Form):
    areas = forms.MultipleChoiceField(
        label="Which areas do you want alerts about?",
        help_text="Select all that apply.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one area"},
    )
    topics = forms.MultipleChoiceField(
        label="What do you want alerts about?",
        help_text="Select all that apply.",
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one topic"},
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].choices = [
            (area.key, area.name) for area in area_rules.area_choices(partnership)
        ]


class AlertForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=120,
        help_text="The e-mail's subject line, for example “Community meeting in Coalville”.",
        error_messages={"required": "Enter a title for the alert"},
    )
    body = forms.CharField(
        label="Message",
        widget=forms.Textarea,
        max_length=5000,
        help_text="Plain text. Do not name or describe people: this goes to residents.",
        error_messages={"required": "Enter the message"},
    )
    area = forms.ChoiceField(label="Area", error_messages={"required": "Choose an area"})
    topic = forms.ChoiceField(
        label="Topic",
        choices=Topic.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a topic"},
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [
            (area.key, area.name) for area in area_rules.area_choices(partnership)
        ]

"""Input shapes: the builder's forms and the resident's answer form (built from the questions)."""

from __future__ import annotations

from typing import Any

from django import forms

from saferplaces.core.public_forms import PublicFormMixin, plain_text
from saferplaces.surveys.models import (
    EQUALITY_QUESTIONS,
    Access,
    AreaQuestion,
    QuestionKind,
    Survey,
    SurveyKind,
)

DATE_HINT = "For example, 27 3 2027: opens at the start of the day, closes at the end"


class SurveyForm(forms.Form):
    title = forms.CharField(max_length=200, label="Title")
    purpose = forms.CharField(
        widget=forms.Textarea,
        label="What the answers will be used for",
        help_text="Residents see this before they answer.",
        max_length=2000,
    )
    kind = forms.ChoiceField(
        choices=SurveyKind.choices, widget=forms.RadioSelect, label="Kind of survey"
    )
    access = forms.ChoiceField(
        choices=Access.choices, widget=forms.RadioSelect, label="Who can answer"
    )
    opens_on = forms.DateField(
        label="Opens on (day/month/year)",
        help_text=DATE_HINT,
        input_formats=["%d/%m/%Y", "%d %m %Y", "%Y-%m-%d"],
    )
    closes_on = forms.DateField(
        label="Closes on (day/month/year)",
        help_text=DATE_HINT,
        input_formats=["%d/%m/%Y", "%d %m %Y", "%Y-%m-%d"],
    )
    area_question = forms.ChoiceField(
        choices=AreaQuestion.choices, widget=forms.RadioSelect, label="Ask where people live?"
    )
    area_names = forms.CharField(
        widget=forms.Textarea,
        required=False,
        max_length=4000,
        label="The areas to choose from, one on each line",
        help_text="Only when you ask which of the areas you list they live in.",
    )
    equality_monitoring = forms.BooleanField(
        required=False,
        label="Ask the optional equality monitoring questions",
        help_text="Age, sex, ethnic group, disability, religion and sexual orientation, each with "
        "'Prefer not to say'. Kept apart from the answers and deleted on the retention schedule.",
    )
    perception_items = forms.BooleanField(
        required=False,
        label="Start with the two perception questions",
        help_text="How safe do you feel walking alone in your area after dark, and during the day.",
    )
    baseline = forms.ChoiceField(required=False, label="Baseline survey (for a follow-up)")

    def __init__(self, *args: Any, baselines: list[Survey] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["baseline"].choices = [("", "None: this is not a follow-up")] + [
            (str(s.pk), s.title) for s in baselines or []
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", "The closing date must be on or after the opening date.")
        return data


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(
        choices=QuestionKind.choices, widget=forms.RadioSelect, label="Kind of question"
    )
    text = forms.CharField(
        max_length=300,
        label="Question",
        required=False,
        help_text="Left empty for a perception question, the standard wording is used.",
    )
    hint = forms.CharField(max_length=300, label="Hint (optional)", required=False)
    options = forms.CharField(
        widget=forms.Textarea,
        required=False,
        max_length=4000,
        label="Answers to choose from, one on each line",
        help_text="For 'choose one' and 'choose one or more'. For ranking, leave empty to use the "
        "priorities of the partnership's plan.",
    )
    required = forms.BooleanField(required=False, initial=True, label="An answer is required")
    publish = forms.BooleanField(
        required=False, initial=True, label="Publish this question's results (never for free text)"
    )


class InviteForm(forms.Form):
    emails = forms.CharField(
        widget=forms.Textarea, max_length=20000, label="E-mail addresses, one on each line"
    )

    def clean_emails(self) -> list[str]:
        field = forms.EmailField()
        addresses = [line.strip() for line in self.cleaned_data["emails"].splitlines()]
        out = []
        for address in filter(None, addresses):
            try:
                out.append(field.clean(address))
            except forms.ValidationError:
                raise forms.ValidationError(
                    f"“{address[:60]}” is not an e-mail address: check it and try again."
                ) from None
        if not out:
            raise forms.ValidationError("Enter at least one e-mail address.")
        return out


class AnswerForm(PublicFormMixin):
    """One field per question (``q1``, ``q2``…; a ranking has ``q5_<code>`` per priority), the
    area, and the equality questions (``eq_<name>``) when the survey asks them."""

    def __init__(
        self, *args: Any, survey: Survey, areas: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.survey = survey
        self.questions = list(survey.questions.all())
        self.rankings: dict[str, list[str]] = {}
        self.fields["website"].required = False
        for question in self.questions:
            name = question.field_name
            label = f"{question.position}. {question.text}"
            choices = [(str(c), str(lab)) for c, lab in question.options]
            missing = {"required": f"Answer question {question.position}: {question.text}"}
            if question.kind == QuestionKind.MULTIPLE:
                field: forms.Field = forms.MultipleChoiceField(
                    choices=choices,
                    widget=forms.CheckboxSelectMultiple,
                    required=question.required,
                    label=label,
                    error_messages=missing,
                )
            elif question.kind == QuestionKind.FREE_TEXT:
                field = forms.CharField(
                    widget=forms.Textarea,
                    required=question.required,
                    max_length=2000,
                    label=label,
                    error_messages=missing,
                )
            elif question.kind == QuestionKind.RANKING:
                ranks = [("", "Choose a rank")] + [
                    (str(n), str(n)) for n in range(1, len(choices) + 1)
                ]
                self.rankings[name] = []
                for code, option in choices:
                    sub = f"{name}_{code}"
                    self.fields[sub] = forms.ChoiceField(
                        choices=ranks,
                        required=question.required,
                        label=option,
                        error_messages={"required": f"Give “{option}” a rank"},
                    )
                    self.rankings[name].append(sub)
                continue
            else:
                field = forms.ChoiceField(
                    choices=choices,
                    widget=forms.RadioSelect,
                    required=question.required,
                    label=label,
                    error_messages=missing,
                )
            field.help_text = question.hint
            self.fields[name] = field
        if areas:
            self.fields["area"] = forms.ChoiceField(
                choices=[*areas, ("not_sure", "Somewhere else, or I am not sure")],
                widget=forms.RadioSelect,
                label="Which area do you live in?",
                error_messages={
                    "required": "Say which area you live in, or choose "
                    "'Somewhere else, or I am not sure'"
                },
            )
        if survey.equality_monitoring:
            for key, (text, options) in EQUALITY_QUESTIONS.items():
                self.fields[f"eq_{key}"] = forms.ChoiceField(
                    choices=[(str(c), str(lab)) for c, lab in options],
                    required=False,
                    widget=forms.RadioSelect,
                    label=text,
                )
        self.areas = dict(areas)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for _name, subs in self.rankings.items():
            given = [data.get(sub) for sub in subs if data.get(sub)]
            if given and len(set(given)) != len(given):
                self.add_error(subs[0], "Give each priority a different rank")
        return data

    def answers(self) -> dict[str, Any]:
        data = self.cleaned_data
        out: dict[str, Any] = {}
        for question in self.questions:
            name = question.field_name
            if question.kind == QuestionKind.RANKING:
                ranks = {
                    sub[len(name) + 1 :]: int(data[sub])
                    for sub in self.rankings[name]
                    if data.get(sub)
                }
                if ranks:
                    out[name] = ranks
            elif question.kind == QuestionKind.FREE_TEXT:
                # Stored as plain text with any markup removed; never published.
                text = plain_text(data.get(name) or "")
                if text:
                    out[name] = text
            elif data.get(name):
                out[name] = data[name]
        return out

    def area(self) -> tuple[str, str]:
        code = self.cleaned_data.get("area") or ""
        if code in ("", "not_sure"):
            return "", ""
        return code, self.areas.get(code, "")

    def equality(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(f"eq_{key}") or "" for key in EQUALITY_QUESTIONS}

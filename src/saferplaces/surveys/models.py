"""Surveys and consultations: the questions (as data), invitations, anonymous responses.

Equality monitoring answers (special category data, UK GDPR Article 9) sit in their own table,
linked to the response but never stored in it, so they can be deleted on their own schedule and
kept out of every view that does not need them.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from saferplaces.core.models import BaseModel


class SurveyKind(models.TextChoices):
    PERCEPTION = "perception", "Perception survey (how safe people feel)"
    CONSULTATION = "consultation", "Consultation (for example, on the partnership's priorities)"
    OTHER = "other", "Other"


class Access(models.TextChoices):
    PUBLIC = "public", "Anyone can answer (anonymous)"
    INVITATION = "invitation", "Only people we invite (one answer per invitation link)"


class AreaQuestion(models.TextChoices):
    NONE = "none", "Do not ask where people live"
    NEIGHBOURHOOD = "neighbourhood", "Ask which neighbourhood they live in"
    DISTRICT = "district", "Ask which district they live in"
    LISTED = "listed", "Ask which of the areas I list they live in (for example, towns or wards)"


class QuestionKind(models.TextChoices):
    SINGLE = "single", "Choose one answer"
    MULTIPLE = "multiple", "Choose one or more answers"
    LIKERT = "likert", "Agree or disagree (five-point scale)"
    RATING = "rating", "Rating from 1 to 5"
    RANKING = "ranking", "Rank the partnership's priorities"
    FREE_TEXT = "free_text", "Free text (never published)"
    SAFE_AFTER_DARK = "safe_after_dark", "How safe do you feel walking alone after dark?"
    SAFE_DAY = "safe_day", "How safe do you feel walking alone during the day?"


SAFETY_OPTIONS = [
    ["very_safe", "Very safe"],
    ["fairly_safe", "Fairly safe"],
    ["a_bit_unsafe", "A bit unsafe"],
    ["very_unsafe", "Very unsafe"],
]
UNSAFE_CODES = ("a_bit_unsafe", "very_unsafe")
LIKERT_OPTIONS = [
    ["strongly_agree", "Strongly agree"],
    ["agree", "Agree"],
    ["neither", "Neither agree nor disagree"],
    ["disagree", "Disagree"],
    ["strongly_disagree", "Strongly disagree"],
]
RATING_OPTIONS = [[str(n), str(n)] for n in range(1, 6)]
PERCEPTION_TEXT = {
    QuestionKind.SAFE_AFTER_DARK: "How safe do you feel walking alone in your area after dark?",
    QuestionKind.SAFE_DAY: "How safe do you feel walking alone in your area during the day?",
}
CHOICE_KINDS = {
    QuestionKind.SINGLE,
    QuestionKind.MULTIPLE,
    QuestionKind.LIKERT,
    QuestionKind.RATING,
    QuestionKind.SAFE_AFTER_DARK,
    QuestionKind.SAFE_DAY,
}


class Survey(BaseModel):
    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="surveys"
    )
    title = models.CharField(max_length=200)
    purpose = models.TextField(help_text="What the answers will be used for, shown to residents.")
    kind = models.CharField(max_length=20, choices=SurveyKind.choices)
    access = models.CharField(max_length=20, choices=Access.choices, default=Access.PUBLIC)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    area_question = models.CharField(
        max_length=20, choices=AreaQuestion.choices, default=AreaQuestion.NEIGHBOURHOOD
    )
    # For AreaQuestion.LISTED: [[code, name], ...]
    area_options = models.JSONField(default=list, blank=True)
    equality_monitoring = models.BooleanField(default=False)
    baseline = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="follow_ups"
    )
    results_published_at = models.DateTimeField(null=True, blank=True)
    # Demo surveys with generated answers say so on every page that shows them.
    generated = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="survey_closes_after_it_opens",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now: object = None) -> bool:
        moment = now or timezone.now()
        return bool(self.opens_at <= moment < self.closes_at)  # type: ignore[operator]

    @property
    def status(self) -> str:
        now = timezone.now()
        if now < self.opens_at:
            return "Not open yet"
        if now < self.closes_at:
            return "Open"
        return "Results published" if self.results_published_at else "Closed"

    @property
    def results_published(self) -> bool:
        return self.results_published_at is not None


class Question(BaseModel):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    text = models.CharField(max_length=300)
    hint = models.CharField(max_length=300, blank=True)
    # [[code, label], ...]: the answers offered (for ranking, the priorities to rank)
    options = models.JSONField(default=list, blank=True)
    required = models.BooleanField(default=True)
    # Published with the results after the survey closes; free text never is.
    publish = models.BooleanField(default=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="one_question_per_position")
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def field_name(self) -> str:
        return f"q{self.position}"

    @property
    def publishable(self) -> bool:
        return self.publish and self.kind != QuestionKind.FREE_TEXT

    def label_for(self, code: str) -> str:
        return dict((str(c), str(label)) for c, label in self.options).get(code, code)


def _token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(BaseModel):
    """A single-use link sent to one e-mail address (the only personal data this app holds)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "email"], name="one_invitation_per_address")
        ]

    def __str__(self) -> str:
        return f"Invitation to {self.survey}"


class Response(BaseModel):
    """One person's answers, anonymous: no name, e-mail or address is stored with them."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    submission_key = models.UUIDField(unique=True, null=True, editable=False)
    reference = models.CharField(max_length=20, unique=True)
    area_code = models.CharField(max_length=64, blank=True)  # a neighbourhood id or LAD code
    area_label = models.CharField(max_length=200, blank=True)
    answers = models.JSONField(default=dict)  # {"q1": "a_bit_unsafe", "q2": ["x", "y"], ...}
    # No link to the invitation used: the invitation is only marked used, so an answer can never
    # be traced back to the e-mail address it was sent to.

    class Meta:
        indexes = [models.Index(fields=["survey", "area_code"])]

    def __str__(self) -> str:
        return self.reference


PREFER_NOT = ["prefer_not_to_say", "Prefer not to say"]
EQUALITY_QUESTIONS: dict[str, tuple[str, list[list[str]]]] = {
    "age_band": (
        "What is your age?",
        [
            ["16_24", "16 to 24"],
            ["25_34", "25 to 34"],
            ["35_44", "35 to 44"],
            ["45_54", "45 to 54"],
            ["55_64", "55 to 64"],
            ["65_74", "65 to 74"],
            ["75_plus", "75 or over"],
            PREFER_NOT,
        ],
    ),
    "sex": ("What is your sex?", [["female", "Female"], ["male", "Male"], PREFER_NOT]),
    "ethnicity": (
        "What is your ethnic group?",
        [
            ["asian", "Asian or Asian British"],
            ["black", "Black, Black British, Caribbean or African"],
            ["mixed", "Mixed or multiple ethnic groups"],
            ["white", "White"],
            ["other", "Another ethnic group"],
            PREFER_NOT,
        ],
    ),
    "disability": (
        "Do you have a physical or mental health condition or illness lasting or expected to "
        "last 12 months or more?",
        [["yes", "Yes"], ["no", "No"], PREFER_NOT],
    ),
    "religion": (
        "What is your religion?",
        [
            ["none", "No religion"],
            ["christian", "Christian"],
            ["buddhist", "Buddhist"],
            ["hindu", "Hindu"],
            ["jewish", "Jewish"],
            ["muslim", "Muslim"],
            ["sikh", "Sikh"],
            ["other", "Any other religion"],
            PREFER_NOT,
        ],
    ),
    "sexual_orientation": (
        "Which of the following best describes your sexual orientation?",
        [
            ["straight", "Straight or heterosexual"],
            ["gay_lesbian", "Gay or lesbian"],
            ["bisexual", "Bisexual"],
            ["other", "Another sexual orientation"],
            PREFER_NOT,
        ],
    ),
}
EQUALITY_LABELS = {
    "age_band": "Age",
    "sex": "Sex",
    "ethnicity": "Ethnic group",
    "disability": "Long-term health condition or disability",
    "religion": "Religion",
    "sexual_orientation": "Sexual orientation",
}


class EqualityAnswers(BaseModel):
    """Equality monitoring answers: special category data, kept apart from the answers."""

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="equality")
    age_band = models.CharField(max_length=30, blank=True)
    sex = models.CharField(max_length=30, blank=True)
    ethnicity = models.CharField(max_length=30, blank=True)
    disability = models.CharField(max_length=30, blank=True)
    religion = models.CharField(max_length=30, blank=True)
    sexual_orientation = models.CharField(max_length=30, blank=True)

    def __str__(self) -> str:
        return f"Equality answers for {self.response}"

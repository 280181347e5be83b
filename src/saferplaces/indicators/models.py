"""Indicators of a community safety plan, their monthly values and RAG, exceptions and meetings.

A *bound* indicator is computed from the police.uk data by ``crimestats`` (its ``measure`` is a
small JSON spec: area, categories, count or rate); a *manual* one takes values people enter with
a source note. Values are kept per month as the rolling 12 months ending that month, so a board
reads "in the 12 months to March" rather than one noisy month. A month the store does not hold
is a row in the "no data" state, never a zero.

The RAG colour is computed by :mod:`saferplaces.indicators.rag` at each refresh and stored with
the rule's words; a manager may override it with a reason (the computed colour stays beside it).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from saferplaces.core.models import BaseModel


class Direction(models.TextChoices):
    LOWER = "lower", "Lower is better"
    HIGHER = "higher", "Higher is better"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    YEARLY = "yearly", "Yearly"


class Kind(models.TextChoices):
    BOUND = "bound", "Computed from the police.uk data"
    MANUAL = "manual", "Entered by hand"


class Colour(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"
    GREY = "grey", "Not judged"
    NO_DATA = "no_data", "No data"


class Indicator(BaseModel):
    Direction = Direction
    Frequency = Frequency
    Kind = Kind

    plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, related_name="indicators")
    priority = models.ForeignKey(
        "plans.Priority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
    )
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=60, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.BOUND)
    # {"area": {"kind": "partnership"|"wards"|"neighbourhood", "wards": [...],
    #  "neighbourhood_id": "..."}, "categories": [...] or null, "measure": "count"|"rate"}
    measure = models.JSONField(default=dict, blank=True)
    baseline_value = models.FloatField(null=True, blank=True)
    baseline_period = models.CharField(max_length=60, blank=True)
    baseline_month = models.DateField(
        null=True, blank=True, help_text="Last month of the baseline period (first of month)."
    )
    target_value = models.FloatField(null=True, blank=True)
    target_date = models.DateField(null=True, blank=True)
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.LOWER)
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    source = models.CharField(max_length=300, blank=True)
    order = models.PositiveIntegerField(default=0)
    # The latest computed status (refresh writes these; see rag.py for the rule).
    rag_colour = models.CharField(max_length=10, choices=Colour.choices, default=Colour.NO_DATA)
    rag_text = models.TextField(blank=True)
    rag_month = models.DateField(null=True, blank=True)
    rag_p = models.FloatField(null=True, blank=True)
    rag_computed_at = models.DateTimeField(null=True, blank=True)
    # A manager's override: the colour shown, with the reason; the computed one stays beside it.
    override_colour = models.CharField(max_length=10, choices=Colour.choices, blank=True)
    override_reason = models.TextField(blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    override_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The hidden token of the form that created it: a double click creates one indicator.
    form_token = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "name"], name="indicators_name_unique_in_plan"),
            models.CheckConstraint(
                condition=models.Q(kind__in=Kind.values), name="indicators_indicator_kind_valid"
            ),
            # A target needs a baseline to measure the trajectory from.
            models.CheckConstraint(
                condition=models.Q(target_value__isnull=True)
                | models.Q(baseline_value__isnull=False),
                name="indicators_target_needs_baseline",
            ),
            models.CheckConstraint(
                condition=~models.Q(override_colour__in=["green", "amber", "red"])
                | ~models.Q(override_reason=""),
                name="indicators_override_needs_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def shown_colour(self) -> str:
        return self.override_colour or self.rag_colour

    @property
    def is_bound(self) -> bool:
        return self.kind == Kind.BOUND

    @property
    def lower_is_better(self) -> bool:
        return self.direction == Direction.LOWER


class IndicatorValue(BaseModel):
    """One period's value: the rolling 12 months ending ``month`` (bound) or a figure entered."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    month = models.DateField(help_text="The period's last month (first of month).")
    # None with no_data=True: the store does not hold this period (shown "no data", never 0).
    value = models.FloatField(null=True, blank=True)
    low = models.FloatField(null=True, blank=True)
    high = models.FloatField(null=True, blank=True)
    n = models.IntegerField(null=True, blank=True)
    months_held = models.PositiveSmallIntegerField(null=True, blank=True)
    # The residents the rate is per (bound rates) and the single month's count (for the
    # dispersion estimate of the RAG rule).
    population = models.FloatField(null=True, blank=True)
    month_n = models.IntegerField(null=True, blank=True)
    no_data = models.BooleanField(default=False)
    source = models.TextField(blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["indicator", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "month"], name="indicators_one_value_per_month"
            ),
            models.CheckConstraint(
                condition=models.Q(no_data=True) | models.Q(value__isnull=False),
                name="indicators_value_or_no_data",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.month:%Y-%m}"


class ExceptionKind(models.TextChoices):
    RED = "indicator_red", "Indicator is red"
    MILESTONE = "milestone_missed", "Milestone missed"


class ExceptionStatus(models.TextChoices):
    OPEN = "open", "Waiting for a note"
    NOTED = "noted", "Note written"
    CLOSED = "closed", "Closed"


class PlanException(BaseModel):
    """Where progress is not being made: a red indicator or a missed milestone, with its note."""

    Kind = ExceptionKind
    Status = ExceptionStatus

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="plan_exceptions"
    )
    kind = models.CharField(max_length=20, choices=ExceptionKind.choices)
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, null=True, blank=True, related_name="exceptions"
    )
    milestone = models.ForeignKey(
        "plans.Milestone",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="exceptions",
    )
    # The month judged red (indicator) or the due date (milestone): one exception for each.
    period = models.DateField()
    summary = models.TextField()
    owners = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    status = models.CharField(
        max_length=10, choices=ExceptionStatus.choices, default=ExceptionStatus.OPEN
    )
    cause = models.TextField(blank=True)
    recovery_action = models.TextField(blank=True)
    recovery_date = models.DateField(null=True, blank=True)
    noted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    noted_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period"],
                condition=models.Q(indicator__isnull=False),
                name="indicators_one_exception_per_indicator_period",
            ),
            models.UniqueConstraint(
                fields=["milestone"],
                condition=models.Q(milestone__isnull=False),
                name="indicators_one_exception_per_milestone",
            ),
        ]

    def __str__(self) -> str:
        return self.summary


class Meeting(BaseModel):
    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="meetings"
    )
    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    date = models.DateField()
    title = models.CharField(max_length=200)
    agenda = models.TextField(blank=True, help_text="One agenda item a line.")
    attendees = models.ManyToManyField("accounts.Organisation", blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    form_token = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d %B %Y})"

    @property
    def agenda_items(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]


class MeetingItemKind(models.TextChoices):
    DECISION_NEEDED = "decision_needed", "Decision needed"
    DECISION = "decision", "Decision made"
    ACTION = "action", "Action arising"


class MeetingItem(BaseModel):
    """A decision needed or made, or an action arising from a meeting."""

    Kind = MeetingItemKind

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=20, choices=MeetingItemKind.choices)
    text = models.TextField()
    owner = models.CharField(max_length=200, blank=True)
    due_date = models.DateField(null=True, blank=True)
    plan_action = models.ForeignKey(
        "plans.Action", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text


class BoardPackStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to be made"
    READY = "ready", "Ready"
    FAILED = "failed", "Could not be made"


class BoardPack(BaseModel):
    """The pack for one meeting, kept: the HTML and the PDF as they were sent.

    The PDF bytes are in the database (a BinaryField, a few hundred kB) rather than a file under
    MEDIA_ROOT: it is then backed up with the rest of the record and needs no media serving.
    """

    Status = BoardPackStatus

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="packs")
    status = models.CharField(
        max_length=10, choices=BoardPackStatus.choices, default=BoardPackStatus.QUEUED
    )
    html = models.TextField(blank=True)
    pdf = models.BinaryField(null=True, blank=True)
    generated_at = models.DateTimeField(null=True, blank=True)
    error_message = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Board pack for {self.meeting}"


class ScrutinyStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SENT = "sent", "Sent to the scrutiny committee"


class ScrutinyReview(BaseModel):
    """The yearly review for the council's crime and disorder committee (Police and Justice Act
    2006 s.19): what the partnership did, how the plan went, and what comes next.

    The action plan progress and the indicators are filled in from the plan when the document is
    shown; the words are the partnership's.
    """

    Status = ScrutinyStatus

    partnership = models.ForeignKey(
        "accounts.Partnership", on_delete=models.PROTECT, related_name="scrutiny_reviews"
    )
    plan = models.ForeignKey(
        "plans.Plan", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    year = models.PositiveIntegerField(help_text="The year reviewed, e.g. 2026 for 2026–27.")
    committee = models.CharField(max_length=200, blank=True)
    responsibilities = models.TextField(blank=True)
    successes = models.TextField(blank=True)
    year_ahead = models.TextField(blank=True)
    recommendations = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=ScrutinyStatus.choices, default=ScrutinyStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "year"], name="indicators_one_scrutiny_review_a_year"
            ),
        ]

    def __str__(self) -> str:
        return f"Annual review {self.year}–{(self.year + 1) % 100:02d}"


class ScrutinyRecommendation(BaseModel):
    """A recommendation of the scrutiny committee and the partnership's response."""

    review = models.ForeignKey(
        ScrutinyReview, on_delete=models.CASCADE, related_name="committee_recommendations"
    )
    text = models.TextField()
    response = models.TextField(blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:80]

"""Reading surveys: visibility, the results tables (suppressed when they leave the staff pages),
the breakdowns, and the baseline/follow-up comparison."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from crimestats.methods.disclosure import (
    SUPPRESSED,
    percentage_shown,
    suppress_table,
    suppressed_note,
)
from crimestats.methods.proportions import ChangeInProportion, change_in_proportion
from saferplaces.accounts.permissions import roles_in_partnership
from saferplaces.surveys.models import (
    EQUALITY_LABELS,
    EQUALITY_QUESTIONS,
    PERCEPTION_TEXT,
    UNSAFE_CODES,
    Access,
    AreaQuestion,
    Question,
    QuestionKind,
    Response,
    Survey,
)
from saferplaces.surveys.permissions import can_view_surveys
from saferplaces_reports import charts
from saferplaces_reports.tables import Cell, Table

THRESHOLD = 5
MIN_BASE = 30
GENERATED_NOTE = (
    "These answers were generated for the demonstration: they are not real residents' views."
)
REPEAT_NOTE = (
    "Anonymous surveys cannot stop one person answering again from another browser or device, "
    "so a few people may have answered more than once."
)
SINGLE_KINDS = {
    QuestionKind.SINGLE,
    QuestionKind.LIKERT,
    QuestionKind.RATING,
    QuestionKind.SAFE_AFTER_DARK,
    QuestionKind.SAFE_DAY,
}
PERCEPTION_WHAT = {
    QuestionKind.SAFE_AFTER_DARK: "Feeling unsafe walking alone after dark",
    QuestionKind.SAFE_DAY: "Feeling unsafe walking alone during the day",
}


# --- visibility ------------------------------------------------------------------------------


def survey_list_visible(*, user: Any, partnership: Any, roles: Collection[str]) -> QuerySet[Survey]:
    if not can_view_surveys(user, roles=roles):
        return Survey.objects.none()
    return Survey.objects.filter(partnership=partnership).select_related("baseline")


def survey_get_for_user(*, user: Any, survey_id: Any) -> tuple[Survey, set[str]]:
    """A survey of a partnership the user reads; 404 otherwise (never says it exists)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404("No such page")
    survey = Survey.objects.select_related("partnership", "baseline").filter(pk=survey_id).first()
    if survey is None:
        raise Http404("No such page")
    roles = roles_in_partnership(user, survey.partnership)
    if not can_view_surveys(user, roles=roles):
        raise Http404("No such page")
    return survey, roles


def surveys_open_public(*, partnership: Any = None) -> QuerySet[Survey]:
    now = timezone.now()
    surveys = Survey.objects.filter(access=Access.PUBLIC, opens_at__lte=now, closes_at__gt=now)
    if partnership is not None:
        surveys = surveys.filter(partnership=partnership)
    return surveys.select_related("partnership").order_by("closes_at")


def surveys_published(*, partnership: Any = None) -> QuerySet[Survey]:
    surveys = Survey.objects.filter(
        results_published_at__isnull=False, closes_at__lte=timezone.now()
    )
    if partnership is not None:
        surveys = surveys.filter(partnership=partnership)
    return surveys.select_related("partnership").order_by("-closes_at")


def survey_get_public(survey_id: Any) -> Survey:
    """A survey by its link (public or by invitation: the view decides what to show)."""
    survey = Survey.objects.select_related("partnership").filter(pk=survey_id).first()
    if survey is None:
        raise Http404("No such page")
    return survey


def survey_get_published(survey_id: Any) -> Survey:
    survey = surveys_published().filter(pk=survey_id).first()
    if survey is None:
        raise Http404("No such page")
    return survey


# --- areas -----------------------------------------------------------------------------------


def area_choices(survey: Survey) -> list[tuple[str, str]]:
    """What a resident may pick as where they live (code, name), in name order."""
    if survey.area_question == AreaQuestion.NEIGHBOURHOOD:
        from saferplaces.neighbourhoods.models import Neighbourhood

        rows = Neighbourhood.objects.filter(
            partnership=survey.partnership, sharing__in=["partnership", "public"]
        ).order_by("name")
        return [(str(n.pk), n.name) for n in rows]
    if survey.area_question == AreaQuestion.LISTED:
        return [(str(code), str(name)) for code, name in survey.area_options]
    if survey.area_question == AreaQuestion.DISTRICT:
        from saferplaces.core.places import district_names

        codes = list(survey.partnership.lad_codes or [])
        names = district_names(codes)
        return sorted(((c, names.get(c, c)) for c in codes), key=lambda item: item[1])
    return []


# --- results ---------------------------------------------------------------------------------


@dataclass
class QuestionResult:
    question: Question
    n: int
    table: Table | None = None
    chart: charts.Chart | None = None
    area_table: Table | None = None
    group_table: Table | None = None
    free_text_count: int = 0
    any_suppressed: bool = False


@dataclass
class SurveyResults:
    survey: Survey
    publishable: bool
    n_responses: int
    area: str
    area_label: str
    group: str
    questions: list[QuestionResult] = field(default_factory=list)
    comparisons: list[ChangeInProportion] = field(default_factory=list)
    notes: tuple[str, ...] = ()

    @property
    def tables(self) -> list[Table]:
        out: list[Table] = []
        for result in self.questions:
            out += [t for t in (result.table, result.area_table, result.group_table) if t]
        return out

    def long_table(self) -> Table:
        """Every question's table in one (for the CSV): the same cells the page shows."""
        rows: list[tuple[Cell, ...]] = []
        for result in self.questions:
            if result.table is None:
                continue
            for row in result.table.rows:
                rows.append((result.question.text, *row))
        return Table(
            key="survey-results",
            title=f"{self.survey.title}: results",
            columns=("Question", "Answer", "Number", "Percentage"),
            rows=tuple(rows),
            notes=self.notes,
        )


def _responses(survey: Survey, area: str) -> list[Response]:
    responses = Response.objects.filter(survey=survey)
    if area:
        responses = responses.filter(area_code=area)
    return list(responses.select_related("equality").order_by("created_at"))


def _pct(value: float | None) -> Cell:
    return SUPPRESSED if value is None else round(value, 1)


def _column_table(
    question: Question, counts: Sequence[int], n: int, publishable: bool, notes: tuple[str, ...]
) -> tuple[Table, bool]:
    """Answer | Number | Percentage, with a total line for single-answer questions."""
    single = question.kind in SINGLE_KINDS
    labels = [str(label) for _, label in question.options]
    rows: list[tuple[Cell, ...]] = []
    if publishable:
        grid = suppress_table([[c] for c in counts] if counts else [[0]], threshold=THRESHOLD)
        base_hidden = n < THRESHOLD if not single else grid.grand_total
        for i, (label, count) in enumerate(zip(labels, counts, strict=True)):
            hidden = grid.cells[i][0] or base_hidden
            shown = percentage_shown(count, n, count_hidden=hidden, min_base=MIN_BASE)
            rows.append((label, SUPPRESSED if hidden else count, _pct(shown)))
        suppressed = grid.any_suppressed or base_hidden
    else:
        for label, count in zip(labels, counts, strict=True):
            rows.append((label, count, round(100 * count / n, 1) if n else None))
        suppressed = False
    total_label = "Total" if single else "People answering (each could choose several)"
    total: Cell = SUPPRESSED if publishable and n < THRESHOLD else n
    rows.append((total_label, total, 100.0 if single and total != SUPPRESSED and n else None))
    return (
        Table(
            key=f"question-{question.position}",
            title=f"Question {question.position}: {question.text}"[:200],
            columns=("Answer", "Number", "Percentage"),
            rows=tuple(rows),
            notes=notes,
        ),
        suppressed,
    )


def _cross_table(
    question: Question,
    responses: Sequence[Response],
    columns: Sequence[tuple[str, str]],
    column_of: Any,
    key: str,
    title: str,
    publishable: bool,
    notes: tuple[str, ...],
) -> Table | None:
    """Answers (rows) by area or group (columns), counts with totals; suppressed if published."""
    if not columns or question.kind not in SINGLE_KINDS:
        return None
    codes = [str(code) for code, _ in question.options]
    index = {code: i for i, (code, _) in enumerate(columns)}
    counts = [[0] * len(columns) for _ in codes]
    for response in responses:
        answer = response.answers.get(question.field_name)
        column = column_of(response)
        if answer in codes and column in index:
            counts[codes.index(answer)][index[column]] += 1
    header = ("Answer", *(label for _, label in columns), "Total")
    rows: list[tuple[Cell, ...]] = []
    if publishable:
        grid = suppress_table(counts, threshold=THRESHOLD)
        for i, (_, label) in enumerate(question.options):
            rows.append(
                (str(label), *(grid.cell(i, j) for j in range(len(columns))), grid.row_total(i))
            )
        rows.append(("Total", *(grid.column_total(j) for j in range(len(columns))), grid.total()))
    else:
        for i, (_, label) in enumerate(question.options):
            rows.append((str(label), *counts[i], sum(counts[i])))
        rows.append(
            (
                "Total",
                *(sum(r[j] for r in counts) for j in range(len(columns))),
                sum(map(sum, counts)),
            )
        )
    return Table(key=key, title=title[:200], columns=header, rows=tuple(rows), notes=notes)


def survey_results(
    survey: Survey, *, publishable: bool, area: str = "", group: str = ""
) -> SurveyResults:
    """The results of a survey, for staff (``publishable=False``: exact counts, not for
    publication) or for anything public or downloaded (``publishable=True``: suppressed, and
    only the questions marked for publication)."""
    responses = _responses(survey, area)
    areas = area_choices(survey)
    area_label = dict(areas).get(area, "") if area else ""
    closes = timezone.localtime(survey.closes_at)
    opens = timezone.localtime(survey.opens_at)
    notes: list[str] = [
        f"{survey.title}: {len(responses)} responses"
        + (f" from {area_label}" if area_label else "")
        + f", collected {opens:%d %B %Y} to {closes:%d %B %Y}.",
        REPEAT_NOTE,
    ]
    if publishable:
        notes.append(suppressed_note(THRESHOLD, MIN_BASE))
    else:
        notes.append("NOT FOR PUBLICATION: exact counts, small numbers not suppressed.")
    if survey.generated:
        notes.insert(0, GENERATED_NOTE)
    note_tuple = tuple(notes)
    results = SurveyResults(
        survey=survey,
        publishable=publishable,
        n_responses=len(responses),
        area=area,
        area_label=area_label,
        group=group if group in EQUALITY_QUESTIONS else "",
        notes=note_tuple,
    )
    for question in survey.questions.all():
        if publishable and not question.publishable:
            continue
        results.questions.append(
            _question_result(question, responses, areas, results.group, publishable, note_tuple)
        )
    results.comparisons = comparisons(survey) if not area else []
    return results


def _question_result(
    question: Question,
    responses: Sequence[Response],
    areas: Sequence[tuple[str, str]],
    group: str,
    publishable: bool,
    notes: tuple[str, ...],
) -> QuestionResult:
    name = question.field_name
    if question.kind == QuestionKind.FREE_TEXT:
        count = sum(1 for r in responses if str(r.answers.get(name) or "").strip())
        return QuestionResult(question=question, n=count, free_text_count=count)
    if question.kind == QuestionKind.RANKING:
        return _ranking_result(question, responses, publishable, notes)
    tally: Counter[str] = Counter()
    n = 0
    for response in responses:
        answer = response.answers.get(name)
        if answer in (None, "", []):
            continue
        n += 1
        for code in answer if isinstance(answer, list) else [answer]:
            tally[str(code)] += 1
    counts = [tally[str(code)] for code, _ in question.options]
    table, suppressed = _column_table(question, counts, n, publishable, notes)
    result = QuestionResult(question=question, n=n, table=table, any_suppressed=suppressed)
    labels = [
        f"{row[0]} {SUPPRESSED}" if row[1] == SUPPRESSED else str(row[0]) for row in table.rows[:-1]
    ]
    values = [row[2] if isinstance(row[2], int | float) else None for row in table.rows[:-1]]
    if n:
        result.chart = charts.bars(
            labels, values, title=question.text[:90], x_label="Percentage of people answering"
        )
    if areas:
        result.area_table = _cross_table(
            question,
            responses,
            list(areas),
            lambda r: r.area_code,
            f"question-{question.position}-by-area",
            f"{question.text}: by area",
            publishable,
            notes,
        )
    if group:
        label, options = EQUALITY_QUESTIONS[group]

        def group_of(response: Response) -> str:
            equality = getattr(response, "equality", None)
            return str(getattr(equality, group, "") or "") if equality else ""

        result.group_table = _cross_table(
            question,
            responses,
            [(str(c), str(lab)) for c, lab in options],
            group_of,
            f"question-{question.position}-by-{group.replace('_', '-')}",
            f"{question.text}: by {EQUALITY_LABELS[group].lower()}",
            publishable,
            notes,
        )
    return result


def _ranking_result(
    question: Question, responses: Sequence[Response], publishable: bool, notes: tuple[str, ...]
) -> QuestionResult:
    name = question.field_name
    firsts: Counter[str] = Counter()
    rank_sums: Counter[str] = Counter()
    n = 0
    for response in responses:
        ranks = response.answers.get(name)
        if not isinstance(ranks, dict) or not ranks:
            continue
        n += 1
        for code, rank in ranks.items():
            rank_sums[code] += int(rank)
            if int(rank) == 1:
                firsts[code] += 1
    codes = [str(code) for code, _ in question.options]
    counts = [firsts[c] for c in codes]
    grid = suppress_table([[c] for c in counts] or [[0]], threshold=THRESHOLD)
    rows: list[tuple[Cell, ...]] = []
    for i, (code, label) in enumerate(question.options):
        hidden = publishable and (grid.cells[i][0] or n < THRESHOLD)
        mean: Cell = round(rank_sums[str(code)] / n, 2) if n else None
        if publishable and n < MIN_BASE:
            mean = SUPPRESSED
        rows.append((str(label), SUPPRESSED if hidden else counts[i], mean))
    rows.append(("People answering", SUPPRESSED if publishable and n < THRESHOLD else n, None))
    table = Table(
        key=f"question-{question.position}",
        title=f"Question {question.position}: {question.text}"[:200],
        columns=("Priority", "Number ranking it first", "Average rank (1 = most important)"),
        rows=tuple(rows),
        notes=notes,
    )
    return QuestionResult(
        question=question, n=n, table=table, any_suppressed=publishable and grid.any_suppressed
    )


# --- perception: the share feeling unsafe, and the change from the baseline -----------------


def unsafe_share(survey: Survey, kind: str) -> tuple[int, int] | None:
    """(people feeling a bit or very unsafe, people answering) for a perception question."""
    question = survey.questions.filter(kind=kind).first()
    if question is None:
        return None
    answers = [
        r.get(question.field_name)
        for r in Response.objects.filter(survey=survey).values_list("answers", flat=True)
    ]
    given = [a for a in answers if a]
    if not given:
        return None
    return sum(1 for a in given if a in UNSAFE_CODES), len(given)


@dataclass(frozen=True)
class Comparison:
    kind: str
    question: str
    result: ChangeInProportion
    baseline: Survey
    follow_up: Survey


def comparisons(survey: Survey) -> list[ChangeInProportion]:
    """For a follow-up survey: the change in the share feeling unsafe for each perception item
    both surveys asked (empty when it names no baseline)."""
    if survey.baseline_id is None:
        return []
    out = []
    for kind in (QuestionKind.SAFE_AFTER_DARK, QuestionKind.SAFE_DAY):
        before = unsafe_share(survey.baseline, kind)  # type: ignore[arg-type]
        after = unsafe_share(survey, kind)
        if before is None or after is None:
            continue
        out.append(
            change_in_proportion(
                what=PERCEPTION_WHAT[kind],
                baseline_count=before[0],
                baseline_n=before[1],
                follow_up_count=after[0],
                follow_up_n=after[1],
                min_base=MIN_BASE,
            )
        )
    return out


def perception_question_texts() -> dict[str, str]:
    return {str(k): v for k, v in PERCEPTION_TEXT.items()}

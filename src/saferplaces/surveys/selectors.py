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


NOT_STATED = ("", "Somewhere else, or not said")
NOT_ANSWERED = ("", "Not answered")


def _pct(value: float | None) -> Cell:
    return SUPPRESSED if value is None else round(value, 1)


@dataclass
class _Linked:
    """One single-answer question's counts by area and by equality group, suppressed together.

    The overall table, the table by area, the table by group and the one-area view all come
    from these two grids, so they agree and cannot be differenced against each other: the grids
    share their row totals (the overall counts) and hide the same ones.
    """

    codes: list[str]
    area_columns: list[tuple[str, str]]
    area_counts: list[list[int]]
    area_grid: Any
    group_columns: list[tuple[str, str]]
    group_counts: list[list[int]] | None
    group_grid: Any


def _count(
    codes: Sequence[str],
    responses: Sequence[Response],
    name: str,
    columns: Sequence[tuple[str, str]],
    column_of: Any,
) -> list[list[int]]:
    index = {code: j for j, (code, _) in enumerate(columns)}
    counts = [[0] * len(columns) for _ in codes]
    rows = {code: i for i, code in enumerate(codes)}
    for response in responses:
        answer = response.answers.get(name)
        if answer in rows:
            counts[rows[answer]][index.get(column_of(response), index[""])] += 1
    return counts


def _group_of(group: str) -> Any:
    def column(response: Response) -> str:
        equality = getattr(response, "equality", None) if hasattr(response, "equality") else None
        return str(getattr(equality, group, "") or "") if equality else ""

    return column


def _linked(
    question: Question,
    responses: Sequence[Response],
    areas: Sequence[tuple[str, str]],
    group: str,
) -> _Linked:
    codes = [str(code) for code, _ in question.options]
    area_columns = [*areas, NOT_STATED]
    area_counts = _count(codes, responses, question.field_name, area_columns, lambda r: r.area_code)
    group_columns: list[tuple[str, str]] = []
    group_counts = None
    if group:
        group_columns = [(str(c), str(lab)) for c, lab in EQUALITY_QUESTIONS[group][1]]
        group_columns.append(NOT_ANSWERED)
        group_counts = _count(
            codes, responses, question.field_name, group_columns, _group_of(group)
        )
    hidden: list[bool] | None = None
    area_grid = group_grid = None
    for _ in range(len(codes) + 2):  # until the two grids hide the same row totals
        area_grid = suppress_table(area_counts, threshold=THRESHOLD, hidden_row_totals=hidden)
        combined = list(area_grid.row_totals)
        if group_counts is not None:
            group_grid = suppress_table(
                group_counts, threshold=THRESHOLD, hidden_row_totals=combined
            )
            combined = [a or b for a, b in zip(combined, group_grid.row_totals, strict=True)]
        if combined == list(area_grid.row_totals) and (
            group_grid is None or combined == list(group_grid.row_totals)
        ):
            break
        hidden = combined
    return _Linked(
        codes, area_columns, area_counts, area_grid, group_columns, group_counts, group_grid
    )


def _responses(survey: Survey) -> list[Response]:
    return list(
        Response.objects.filter(survey=survey).select_related("equality").order_by("created_at")
    )


def _column_table(
    question: Question,
    counts: Sequence[int],
    n: int,
    notes: tuple[str, ...],
    hidden: Sequence[bool] | None,
    total_hidden: bool,
) -> Table:
    """Answer | Number | Percentage, then a total line. ``hidden`` is None for exact figures."""
    single = question.kind in SINGLE_KINDS
    labels = [str(label) for _, label in question.options]
    rows: list[tuple[Cell, ...]] = []
    for i, (label, count) in enumerate(zip(labels, counts, strict=True)):
        if hidden is None:
            rows.append((label, count, round(100 * count / n, 1) if n else None))
            continue
        shown = percentage_shown(
            count, n, count_hidden=hidden[i], base_hidden=total_hidden, min_base=MIN_BASE
        )
        rows.append((label, SUPPRESSED if hidden[i] else count, _pct(shown)))
    total_label = "Total" if single else "People answering (each could choose several)"
    total: Cell = SUPPRESSED if hidden is not None and total_hidden else n
    rows.append((total_label, total, 100.0 if single and total != SUPPRESSED and n else None))
    return Table(
        key=f"question-{question.position}",
        title=f"Question {question.position}: {question.text}"[:200],
        columns=("Answer", "Number", "Percentage"),
        rows=tuple(rows),
        notes=notes,
    )


def _cross_table(
    question: Question,
    columns: Sequence[tuple[str, str]],
    counts: list[list[int]],
    grid: Any,
    key: str,
    title: str,
    notes: tuple[str, ...],
    publishable: bool,
) -> Table:
    """Answers (rows) by area or group (columns), counts with totals; suppressed if published."""
    header = ("Answer", *(label for _, label in columns), "Total")
    rows: list[tuple[Cell, ...]] = []
    for i, (_, label) in enumerate(question.options):
        if publishable:
            rows.append(
                (str(label), *(grid.cell(i, j) for j in range(len(columns))), grid.row_total(i))
            )
        else:
            rows.append((str(label), *counts[i], sum(counts[i])))
    if publishable:
        rows.append(("Total", *(grid.column_total(j) for j in range(len(columns))), grid.total()))
    else:
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
    only the questions marked for publication).

    With ``area`` the figures are those of one area. When publishable, a one-area view shows
    no breakdown by group (a group table for one area, set beside the one for all areas, would
    give away the small groups of the other areas by subtraction).
    """
    responses = _responses(survey)
    areas = area_choices(survey)
    area_label = dict(areas).get(area, "") if area else ""
    area = area if area_label else ""
    group = group if group in EQUALITY_QUESTIONS else ""
    if publishable and area:
        group = ""
    in_area = [r for r in responses if r.area_code == area] if area else responses
    closes = timezone.localtime(survey.closes_at)
    opens = timezone.localtime(survey.opens_at)
    notes: list[str] = [
        f"{survey.title}: {len(in_area)} responses"
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
        n_responses=len(in_area),
        area=area,
        area_label=area_label,
        group=group,
        notes=note_tuple,
    )
    for question in survey.questions.all():
        if publishable and not question.publishable:
            continue
        results.questions.append(
            _question_result(
                question, responses, in_area, areas, area, group, publishable, note_tuple
            )
        )
    results.comparisons = comparisons(survey) if not area else []
    return results


def _question_result(
    question: Question,
    responses: Sequence[Response],
    in_area: Sequence[Response],
    areas: Sequence[tuple[str, str]],
    area: str,
    group: str,
    publishable: bool,
    notes: tuple[str, ...],
) -> QuestionResult:
    name = question.field_name
    if question.kind == QuestionKind.FREE_TEXT:
        count = sum(1 for r in in_area if str(r.answers.get(name) or "").strip())
        return QuestionResult(question=question, n=count, free_text_count=count)
    if question.kind == QuestionKind.RANKING:
        return _ranking_result(question, responses, in_area, publishable, notes)
    if question.kind in SINGLE_KINDS:
        result = _single_result(question, responses, areas, area, group, publishable, notes)
    else:
        result = _multiple_result(question, responses, in_area, publishable, notes)
    table = result.table
    if table is not None and result.n:
        labels = [
            f"{row[0]} {SUPPRESSED}" if row[1] == SUPPRESSED else str(row[0])
            for row in table.rows[:-1]
        ]
        values = [row[2] if isinstance(row[2], int | float) else None for row in table.rows[:-1]]
        result.chart = charts.bars(
            labels, values, title=question.text[:90], x_label="Percentage of people answering"
        )
    return result


def _single_result(
    question: Question,
    responses: Sequence[Response],
    areas: Sequence[tuple[str, str]],
    area: str,
    group: str,
    publishable: bool,
    notes: tuple[str, ...],
) -> QuestionResult:
    linked = _linked(question, responses, areas, group)
    grid = linked.area_grid
    if area:
        j = [code for code, _ in linked.area_columns].index(area)
        counts = [row[j] for row in linked.area_counts]
        hidden = [grid.cells[i][j] for i in range(len(counts))] if publishable else None
        total_hidden = bool(grid.column_totals[j])
    else:
        counts = [sum(row) for row in linked.area_counts]
        hidden = list(grid.row_totals) if publishable else None
        total_hidden = bool(grid.grand_total)
    n = sum(counts)
    table = _column_table(question, counts, n, notes, hidden, total_hidden)
    result = QuestionResult(
        question=question, n=n, table=table, any_suppressed=bool(hidden) and any(hidden or [])
    )
    if areas and not area:
        result.area_table = _cross_table(
            question,
            linked.area_columns,
            linked.area_counts,
            grid,
            f"question-{question.position}-by-area",
            f"{question.text}: by area",
            notes,
            publishable,
        )
        result.any_suppressed |= publishable and grid.any_suppressed
    if group and linked.group_counts is not None:
        result.group_table = _cross_table(
            question,
            linked.group_columns,
            linked.group_counts,
            linked.group_grid,
            f"question-{question.position}-by-{group.replace('_', '-')}",
            f"{question.text}: by {EQUALITY_LABELS[group].lower()}",
            notes,
            publishable,
        )
    return result


def _complement_hidden(counts: Sequence[int], overall: Sequence[int]) -> list[bool]:
    """For one area's figures shown beside everyone's: hide a count that is small, or whose
    difference from everyone's (the rest of the areas) is small."""
    return [
        0 < c < THRESHOLD or 0 < (o - c) < THRESHOLD for c, o in zip(counts, overall, strict=True)
    ]


def _multiple_result(
    question: Question,
    responses: Sequence[Response],
    in_area: Sequence[Response],
    publishable: bool,
    notes: tuple[str, ...],
) -> QuestionResult:
    def tally(rows: Sequence[Response]) -> tuple[list[int], int]:
        counter: Counter[str] = Counter()
        n = 0
        for response in rows:
            answer = response.answers.get(question.field_name)
            if answer in (None, "", []):
                continue
            n += 1
            for code in answer if isinstance(answer, list) else [answer]:
                counter[str(code)] += 1
        return [counter[str(code)] for code, _ in question.options], n

    counts, n = tally(in_area)
    hidden: list[bool] | None = None
    total_hidden = False
    if publishable:
        # People may choose several answers, so no column of figures adds up to another: each
        # count is protected on its own (and against everyone's when one area is shown).
        hidden = [0 < c < THRESHOLD for c in counts]
        total_hidden = 0 < n < THRESHOLD
        if len(in_area) != len(responses):
            overall, n_all = tally(responses)
            hidden = [
                a or b for a, b in zip(hidden, _complement_hidden(counts, overall), strict=True)
            ]
            total_hidden = total_hidden or 0 < n_all - n < THRESHOLD
        if total_hidden:
            hidden = [True] * len(counts)
    table = _column_table(question, counts, n, notes, hidden, total_hidden)
    return QuestionResult(question=question, n=n, table=table, any_suppressed=any(hidden or []))


def _ranking_result(
    question: Question,
    responses: Sequence[Response],
    in_area: Sequence[Response],
    publishable: bool,
    notes: tuple[str, ...],
) -> QuestionResult:
    name = question.field_name
    codes = [str(code) for code, _ in question.options]

    def tally(rows: Sequence[Response]) -> tuple[list[int], Counter[str], int]:
        firsts: Counter[str] = Counter()
        sums: Counter[str] = Counter()
        n = 0
        for response in rows:
            ranks = response.answers.get(name)
            if not isinstance(ranks, dict) or not ranks:
                continue
            n += 1
            for code, rank in ranks.items():
                sums[code] += int(rank)
                firsts[code] += int(rank) == 1
        return [firsts[c] for c in codes], sums, n

    counts, rank_sums, n = tally(in_area)
    hidden = [False] * len(codes)
    if publishable:
        grid = suppress_table([[c] for c in counts] or [[0]], threshold=THRESHOLD)
        hidden = [grid.cells[i][0] or n < THRESHOLD for i in range(len(codes))]
        if len(in_area) != len(responses):
            overall, _, _ = tally(responses)
            hidden = [
                a or b for a, b in zip(hidden, _complement_hidden(counts, overall), strict=True)
            ]
    rows: list[tuple[Cell, ...]] = []
    for i, (code, label) in enumerate(question.options):
        mean: Cell = round(rank_sums[str(code)] / n, 2) if n else None
        if publishable and n < MIN_BASE:
            mean = SUPPRESSED
        rows.append((str(label), SUPPRESSED if hidden[i] else counts[i], mean))
    rows.append(("People answering", SUPPRESSED if publishable and n < THRESHOLD else n, None))
    table = Table(
        key=f"question-{question.position}",
        title=f"Question {question.position}: {question.text}"[:200],
        columns=("Priority", "Number ranking it first", "Average rank (1 = most important)"),
        rows=tuple(rows),
        notes=notes,
    )
    return QuestionResult(question=question, n=n, table=table, any_suppressed=any(hidden))


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

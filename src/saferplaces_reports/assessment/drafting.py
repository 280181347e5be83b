"""Drafted text that follows the priority ranking: the executive summary and recommendations.

Drafted again whenever the matrix is scored again (:func:`~saferplaces_reports.assessment
.rescore.rescore`), so the draft always matches the ranking; the analyst replaces it with their
own text in the web app.
"""

from __future__ import annotations

from collections.abc import Sequence

from saferplaces_reports.assessment.priority import CRITERION_LABELS, PriorityRow

TOP = 3
DRAFT_MARK = "DRAFT FOR THE ANALYST TO EDIT."


def _why(row: PriorityRow) -> str:
    scored = [(n, s) for n, s in row.scores.items() if s is not None and s >= 4]
    if not scored:
        return "no single criterion scores high; it ranks on the combined scores"
    return ", ".join(f"{CRITERION_LABELS[n].lower()} ({s:g} out of 5)" for n, s in scored)


def top_priorities(rows: Sequence[PriorityRow], n: int = TOP) -> list[PriorityRow]:
    return [r for r in rows if r.final is not None][:n]


def executive_summary(headline: str, rows: Sequence[PriorityRow]) -> str:
    top = top_priorities(rows)
    lines = [headline]
    if top:
        names = ", ".join(r.label for r in top)
        lines.append(f"The priority matrix ranks these first: {names}.")
        for row in top:
            score = f"{row.final:.1f}" if row.final is not None else "-"
            override = (
                f" (score set by the analyst: {row.override_reason})" if row.override_reason else ""
            )
            lines.append(f"{row.rank}. {row.label}: score {score} out of 5{override}; {_why(row)}.")
    return "\n\n".join(lines)


def recommendations(rows: Sequence[PriorityRow]) -> str:
    top = top_priorities(rows)
    lines = [
        DRAFT_MARK + " These recommendations are drafted from the priority ranking only; the "
        "partnership's knowledge of local problems, partners' data and residents' views should "
        "shape the final wording."
    ]
    for row in top:
        lines.append(
            f"Adopt {row.label.lower()} as a partnership priority for the coming year. "
            f"Evidence: {row.evidence.get('volume', '')} {row.evidence.get('trend', '')}".strip()
            + " Commission a problem profile of the hot spot neighbourhoods, agree an owner and "
            "measures of success, and review the tested change at the next assessment."
        )
    not_entered = [
        CRITERION_LABELS[n]
        for n in ("public_concern", "vulnerability")
        if rows and all(r.scores.get(n) is None for r in rows)
    ]
    if not_entered:
        lines.append(
            f"{' and '.join(not_entered)} {'was' if len(not_entered) == 1 else 'were'} not "
            "entered, so the ranking rests on recorded crime alone: enter them (from resident "
            "surveys and safeguarding partners) before the priorities are agreed."
        )
    return "\n\n".join(lines)

"""The priority matrix: which crime types the partnership should put first, and why.

MoRiLE-style (Management of Risk in Law Enforcement, College of Policing): each category gets a
score from 1 (low) to 5 (high) on each criterion, the scores are weighted, and the categories are
ranked by the weighted score. The rules are fixed, written here and in the analysis guide, so the
ranking can be audited: every score carries the evidence sentence it came from.

- **Volume**: the category's share of all recorded crime and anti-social behaviour in the period.
- **Trend**: only a *tested* change scores high. A rise that the change test or the trend test
  finds distinguishable from noise scores 4 (5 with strong evidence, p < 0.01); no change
  distinguishable from noise scores 2; a tested fall scores 1; nothing tested: no score.
- **Harm**: the category's share of the area's harm total (Cambridge Crime Harm Index weights);
  categories without a harm weight (anti-social behaviour, drugs, weapons) get no score.
- **Public concern**: entered by hand (1–5) until surveys exist; otherwise "not entered".
- **Vulnerability**: entered by hand (1–5), e.g. from safeguarding referrals; otherwise
  "not entered". Never estimated from the crime data.

A criterion without a score neither raises nor lowers a category: the weighted score is
``Σ weight × score / Σ weight`` over the scored criteria. An analyst may override a category's
score with a reason; the computed score stays beside it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from saferplaces_reports.assessment.options import CRITERIA, PriorityWeights

__all__ = [
    "CRITERION_LABELS",
    "CategoryEvidence",
    "PriorityRow",
    "score_priorities",
    "score_share",
    "score_trend",
]

CRITERION_LABELS: dict[str, str] = {
    "volume": "Volume",
    "trend": "Trend (tested)",
    "harm": "Harm",
    "public_concern": "Public concern",
    "vulnerability": "Vulnerability",
}

#: Share of the total (volume, harm) at or above which a score applies, highest first.
SHARE_BANDS: tuple[tuple[float, int], ...] = ((0.20, 5), (0.10, 4), (0.05, 3), (0.02, 2))
MIN_SCORE, MAX_SCORE = 0.0, 5.0
NOT_ENTERED = "not entered"


@dataclass(frozen=True)
class CategoryEvidence:
    """What the engine found for one category: the inputs of its row in the matrix.

    Attributes
    ----------
    category : str
        Crime type slug (``burglary``) or ``anti-social-behaviour``.
    label : str
        Name shown (``Burglary``).
    count : int or None
        Crimes (incidents for ASB) in the period; ``None`` when no month has data.
    share : float or None
        Share of all recorded crime and ASB in the period.
    change_direction : str or None
        ``rise``, ``fall`` or ``none`` from the two-period test; ``None`` when not tested.
    change_strong : bool
        The change test's p < 0.01.
    change_text : str
        The test's verdict in words, or why it was not run.
    trend_direction : str or None
        ``increasing``, ``decreasing`` or ``no clear trend`` from the trend test; ``None`` when
        not run.
    trend_text : str
    harm_share : float or None
        Share of the area's harm total; ``None`` when the category carries no harm weight.
    harm_text : str
    """

    category: str
    label: str
    count: int | None
    share: float | None
    change_direction: str | None = None
    change_strong: bool = False
    change_text: str = ""
    trend_direction: str | None = None
    trend_text: str = ""
    harm_share: float | None = None
    harm_text: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CategoryEvidence:
        return cls(**dict(data))


@dataclass(frozen=True)
class PriorityRow:
    """One category's row of the matrix.

    Attributes
    ----------
    category, label : str
    scores : dict
        Criterion → score 1–5, or ``None`` (not scored).
    evidence : dict
        Criterion → the sentence behind the score (or why there is none).
    weighted : float or None
        ``Σ weight × score / Σ weight`` over the scored criteria.
    rank : int
        1 = highest priority, by the final score (the override where there is one).
    override_score : float or None
    override_reason : str or None
    """

    category: str
    label: str
    scores: dict[str, float | None]
    evidence: dict[str, str]
    weighted: float | None
    rank: int
    override_score: float | None = None
    override_reason: str | None = None
    weights: dict[str, float] = field(default_factory=dict)

    @property
    def final(self) -> float | None:
        """The score the ranking uses: the override where there is one."""
        return self.override_score if self.override_score is not None else self.weighted

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PriorityRow:
        return cls(**dict(data))


def _percent(share: float) -> str:
    return f"{share * 100:.0f}%" if share >= 0.01 else "under 1%"


def score_share(share: float | None) -> int | None:
    """Score 1–5 for a share of the total (volume or harm), by :data:`SHARE_BANDS`.

    Examples
    --------
    >>> [score_share(s) for s in (0.25, 0.12, 0.05, 0.03, 0.01, None)]
    [5, 4, 3, 2, 1, None]
    """
    if share is None:
        return None
    for floor, score in SHARE_BANDS:
        if share >= floor:
            return score
    return 1


def score_trend(evidence: CategoryEvidence) -> tuple[int | None, str]:
    """Score 1–5 for the trend, from tested verdicts only, and the sentence behind it.

    Examples
    --------
    >>> e = CategoryEvidence("burglary", "Burglary", 120, 0.1, change_direction="none",
    ...                      trend_direction="no clear trend")
    >>> score_trend(e)[0]
    2
    """
    rising = evidence.change_direction == "rise" or evidence.trend_direction == "increasing"
    falling = evidence.change_direction == "fall" or evidence.trend_direction == "decreasing"
    tested = evidence.change_direction is not None or evidence.trend_direction is not None
    texts = [t for t in (evidence.change_text, evidence.trend_text) if t]
    detail = " ".join(t if t.endswith(".") else t + "." for t in texts)
    if rising and falling:
        return 3, "The tests disagree (one finds a rise, one a fall). " + detail
    if rising:
        strong = evidence.change_direction == "rise" and evidence.change_strong
        return (5 if strong else 4), detail
    if falling:
        return 1, detail
    if tested:
        return 2, detail
    return None, ("Not tested. " + detail).strip()


def _volume(evidence: CategoryEvidence) -> tuple[int | None, str]:
    noun = "incidents" if evidence.category == "anti-social-behaviour" else "crimes"
    if evidence.count is None:
        return None, "No month of the period has data."
    if evidence.count < 10:
        # Below 10 events no percentage is shown (it would look more precise than it is).
        return score_share(evidence.share), f"{evidence.count} {noun}: fewer than 10."
    share = evidence.share or 0.0
    return score_share(share), (
        f"{evidence.count:,} {noun}, {_percent(share)} of all recorded crime and anti-social "
        "behaviour."
    )


def _harm(evidence: CategoryEvidence) -> tuple[int | None, str]:
    if evidence.harm_share is None:
        return None, evidence.harm_text or "No harm weight for this category."
    text = evidence.harm_text or f"{_percent(evidence.harm_share)} of the area's harm total."
    return score_share(evidence.harm_share), text


def _entered(
    name: str, values: Mapping[str, float] | None, category: str
) -> tuple[float | None, str]:
    if not values or values.get(category) is None:
        return None, NOT_ENTERED.capitalize() + "."
    value = float(values[category])
    if not 1 <= value <= 5:
        raise ValueError(f"the {name} score for {category} must be between 1 and 5")
    return value, f"Entered by the analyst: {value:g} out of 5."


def score_priorities(
    evidence: Sequence[CategoryEvidence],
    weights: PriorityWeights,
    *,
    public_concern: Mapping[str, float] | None = None,
    overrides: Mapping[str, tuple[float, str]] | None = None,
    vulnerability: Mapping[str, float] | None = None,
    include_harm: bool = True,
) -> list[PriorityRow]:
    """Score and rank the categories (see the module notes for the rules).

    Parameters
    ----------
    evidence : sequence of CategoryEvidence
    weights : PriorityWeights
    public_concern : mapping, optional
        Category slug → score 1–5 entered by hand; missing means "not entered".
    overrides : mapping, optional
        Category slug → (score 0–5, reason). An override without a reason is refused.
    vulnerability : mapping, optional
        Category slug → score 1–5 entered by hand; missing means "not entered".
    include_harm : bool, default True
        ``False`` leaves the harm criterion unscored (harm switched off for the assessment).

    Returns
    -------
    list of PriorityRow
        Highest priority first; ties broken by volume, then name.

    Raises
    ------
    ValueError
        An override without a reason, an override for an unknown category, or a score outside
        its range.
    """
    known = {e.category for e in evidence}
    for category, (score, reason) in (overrides or {}).items():
        if category not in known:
            raise ValueError(f"no category {category!r} in the priority matrix to override")
        if not str(reason or "").strip():
            raise ValueError(f"the override of {category} needs a reason")
        if not MIN_SCORE <= float(score) <= MAX_SCORE:
            raise ValueError(f"the override of {category} must be between 0 and 5")
    weight_of = weights.as_mapping()
    unranked = []
    for item in evidence:
        scored: dict[str, tuple[float | None, str]] = {
            "volume": _volume(item),
            "trend": score_trend(item),
            "harm": _harm(item) if include_harm else (None, "Harm left out of this assessment."),
            "public_concern": _entered("public concern", public_concern, item.category),
            "vulnerability": _entered("vulnerability", vulnerability, item.category),
        }
        scores = {name: (None if s is None else float(s)) for name, (s, _t) in scored.items()}
        used = [n for n in CRITERIA if scores[n] is not None and weight_of[n] > 0]
        total_weight = sum(weight_of[n] for n in used)
        weighted = (
            round(sum(weight_of[n] * (scores[n] or 0.0) for n in used) / total_weight, 2)
            if total_weight
            else None
        )
        override = (overrides or {}).get(item.category)
        unranked.append(
            PriorityRow(
                category=item.category,
                label=item.label,
                scores=scores,
                evidence={name: text for name, (_s, text) in scored.items()},
                weighted=weighted,
                rank=0,
                override_score=float(override[0]) if override else None,
                override_reason=str(override[1]).strip() if override else None,
                weights=weight_of,
            )
        )
    counts = {e.category: e.count or 0 for e in evidence}
    ordered = sorted(
        unranked,
        key=lambda r: (-(r.final if r.final is not None else -1.0), -counts[r.category], r.label),
    )
    return [
        PriorityRow(**{**asdict(row), "rank": rank}) for rank, row in enumerate(ordered, start=1)
    ]

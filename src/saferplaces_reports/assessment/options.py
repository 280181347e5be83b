"""What an analyst chooses before an assessment is drafted: area, period, comparator, weights.

Frozen and plain (dates, strings, floats), so the web app can store the choice beside the
document it produced and a later draft can start from the same options.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

__all__ = ["CRITERIA", "AssessmentOptions", "PriorityWeights"]

#: The priority matrix's criteria, in the order the matrix shows them.
CRITERIA: tuple[str, ...] = ("volume", "trend", "harm", "public_concern", "vulnerability")


@dataclass(frozen=True)
class PriorityWeights:
    """How much each criterion counts in a category's weighted score (MoRiLE-style matrix).

    Weights are relative (they need not sum to 1): the weighted score is
    ``Σ weight × score / Σ weight`` over the criteria that have a score, so a criterion that
    was not entered neither raises nor lowers a category. A weight of 0 switches a criterion off.
    """

    volume: float = 1.0
    trend: float = 1.0
    harm: float = 1.5
    public_concern: float = 1.0
    vulnerability: float = 1.0

    def __post_init__(self) -> None:
        for name in CRITERIA:
            value = getattr(self, name)
            if not isinstance(value, int | float) or value != value or not 0 <= value <= 10:
                raise ValueError(f"the {name.replace('_', ' ')} weight must be between 0 and 10")
        if not any(getattr(self, name) for name in CRITERIA):
            raise ValueError("at least one priority weight must be above 0")

    def as_mapping(self) -> dict[str, float]:
        """Criterion → weight, in matrix order."""
        return {name: float(getattr(self, name)) for name in CRITERIA}

    def to_dict(self) -> dict[str, float]:
        return self.as_mapping()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PriorityWeights:
        return cls(**{name: float(data[name]) for name in CRITERIA if name in data})


@dataclass(frozen=True)
class AssessmentOptions:
    """The choices behind one assessment.

    Attributes
    ----------
    area : str
        A ``crimestats`` area spec: a CSP, district, ward or LSOA code, ``"districts:A,B"``,
        ``"lsoas:…"``.
    last_month : date or None
        Last month of the assessment year (first of the month); ``None``: the latest month held.
    months : int
        Length of the assessment period (default the latest 12 months against the previous 12).
    trend_months : int
        Months of history for the trend and seasonality (default 36: three years).
    comparator : str
        ``rest-of-force`` (default), ``force``, ``loaded`` or ``peers:CODE,CODE``.
    include_harm : bool
        Include the harm chapter and the harm criterion of the priority matrix.
    weights : PriorityWeights
    """

    area: str
    last_month: date | None = None
    months: int = 12
    trend_months: int = 36
    comparator: str = "rest-of-force"
    include_harm: bool = True
    weights: PriorityWeights = field(default_factory=PriorityWeights)

    def __post_init__(self) -> None:
        if not str(self.area).strip():
            raise ValueError("choose an area for the assessment")
        if self.last_month is not None and self.last_month.day != 1:
            object.__setattr__(self, "last_month", self.last_month.replace(day=1))
        if not 1 <= self.months <= 24:
            raise ValueError("the assessment period must be between 1 and 24 months")
        if not self.months <= self.trend_months <= 120:
            raise ValueError(
                "the trend history must be at least as long as the period and at most 120 months"
            )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["last_month"] = self.last_month.isoformat() if self.last_month else None
        data["weights"] = self.weights.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AssessmentOptions:
        last = data.get("last_month")
        return cls(
            area=str(data["area"]),
            last_month=date.fromisoformat(last) if last else None,
            months=int(data.get("months", 12)),
            trend_months=int(data.get("trend_months", 36)),
            comparator=str(data.get("comparator", "rest-of-force")),
            include_harm=bool(data.get("include_harm", True)),
            weights=PriorityWeights.from_dict(data.get("weights") or {}),
        )

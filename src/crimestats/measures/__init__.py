"""The measures: questions about an area and period, answered from the store.

Each measure is written once as Ibis expressions over the store's tables, so it runs on DuckDB
(default) and on Spark (:mod:`crimestats.engines`); the statistics on the small aggregated
results come from :mod:`crimestats.methods`. Every result is a frozen dataclass carrying a
:class:`crimestats.provenance.Provenance`. Every measure takes the engine and a
:class:`~crimestats.query.Query` (area, period, categories, forces, comparator).
"""

from crimestats.measures.change import ChangeResult, change, default_periods
from crimestats.measures.counts import CountsResult, MonthlyByCategory, counts, monthly_by_category
from crimestats.measures.harm import HarmMeasure, harm
from crimestats.measures.hotspots import HotspotsResult, area_adjacency, hotspots
from crimestats.measures.outcomes import OutcomesMeasure, outcomes
from crimestats.measures.population import PopulationChoice, choose_population_year
from crimestats.measures.quality import QualityResult, quality
from crimestats.measures.rates import ComparisonResult, RateMeasure, compare, rates
from crimestats.measures.trends import (
    ControlMeasure,
    SeasonalMeasure,
    TrendMeasure,
    control,
    seasonal,
    trend,
)
from crimestats.query import Query, parse_period

__all__ = [
    "ChangeResult",
    "ComparisonResult",
    "ControlMeasure",
    "CountsResult",
    "HarmMeasure",
    "HotspotsResult",
    "MonthlyByCategory",
    "OutcomesMeasure",
    "PopulationChoice",
    "Query",
    "QualityResult",
    "RateMeasure",
    "SeasonalMeasure",
    "TrendMeasure",
    "area_adjacency",
    "change",
    "choose_population_year",
    "compare",
    "control",
    "counts",
    "default_periods",
    "harm",
    "hotspots",
    "monthly_by_category",
    "outcomes",
    "parse_period",
    "quality",
    "rates",
    "seasonal",
    "trend",
]

"""The measures: questions about an area and period, answered from the store.

Each measure is written once as Ibis expressions over the store's tables, so it runs on DuckDB
(default) and on Spark (:mod:`crimestats.engines`); the statistics on the small aggregated
results come from :mod:`crimestats.methods`. Every result is a frozen dataclass carrying a
:class:`crimestats.provenance.Provenance`.
"""

from crimestats.measures.change import ChangeResult, change, default_periods
from crimestats.measures.counts import CountsResult, counts
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

__all__ = [
    "ChangeResult",
    "ComparisonResult",
    "ControlMeasure",
    "CountsResult",
    "HarmMeasure",
    "HotspotsResult",
    "OutcomesMeasure",
    "PopulationChoice",
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
    "outcomes",
    "quality",
    "rates",
    "seasonal",
    "trend",
]

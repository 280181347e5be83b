"""The readable terminal report of ``saferplaces stats``: rich renderables for a result.

Moved from ``crimestats.serialise`` (which keeps JSON and CSV): only the command line shows it.
:func:`to_report` turns a measure result (or a whole CSP profile) into short headed sections;
:func:`to_rich` is the generic field-and-table view other results fall back to. The numbers are
the result's own: nothing is computed here.
"""

from __future__ import annotations

from typing import Any

from crimestats.areas import Area
from crimestats.provenance import Provenance
from crimestats.serialise import RatesReport
from saferplaces_cli.report._format import (
    _footer,
    _header,
    _lines,
    _monthly,
    _shown_text,
    to_rich,
)
from saferplaces_cli.report._place import (
    _harm_sections,
    _hotspot_sections,
    _outcome_sections,
    _quality_lines,
)
from saferplaces_cli.report._series import (
    _change_lines,
    _comparison_lines,
    _control_lines,
    _counts_sections,
    _rate_lines,
    _seasonal_lines,
    _trend_lines,
)

__all__ = ["to_report", "to_rich"]

# ``to_report`` turns a measure result (or a whole CSP profile) into short headed sections an
# analyst can read: counts by category with harm beside them, the rate with its interval, the
# comparison as "0.78× the rest of …", the change with its verdict or the reason there is no test,
# hot spots, outcomes and data quality. Results of other types fall back to :func:`to_rich`.


def to_report(result: Any) -> list[Any]:
    """A readable terminal report (rich renderables) for a measure result or a CSP profile.

    Each question is a short headed section; results of other types fall back to
    :func:`to_rich`. The numbers are the result's own: nothing is computed here.
    """
    from crimestats import measures as m
    from crimestats.profile import ProfileResult

    if isinstance(result, ProfileResult):
        out = [_header(result.area, result.provenance, "CSP profile")]
        out += _counts_sections(result.counts, harm=result.harm, asb=result.asb)
        out.append(_lines("Rate", _rate_lines(result.rate)))
        out.append(_lines("Comparison", _comparison_lines(result.comparison)))
        out.append(_lines("Change: latest 12 months against the previous 12",
                          _change_lines(result.change)))  # fmt: skip
        out.append(_lines("Trend", _trend_lines(result.trend)))
        out.append(_lines("Seasonality", _seasonal_lines(result.seasonal)))
        out.append(_lines("Control chart (latest 12 months)", _control_lines(result.control)))
        out += _hotspot_sections(result.hotspots)
        out += _harm_sections(result.harm, with_categories=False)
        out += _outcome_sections(result.outcomes)
        out.append(_lines("Data quality", _quality_lines(result.quality)))
        pops = (result.rate.provenance, result.harm.provenance)
        out.append(_footer(result.provenance, *pops, shown=_shown_text(out)))
        return out
    simple: dict[type, tuple[str, Any]] = {
        m.RateMeasure: ("Rate", _rate_lines),
        m.ComparisonResult: ("Comparison", _comparison_lines),
        m.ChangeResult: ("Change", _change_lines),
        m.TrendMeasure: ("Trend", _trend_lines),
        m.SeasonalMeasure: ("Seasonality", _seasonal_lines),
        m.ControlMeasure: ("Control chart", _control_lines),
        m.QualityResult: ("Data quality", _quality_lines),
    }
    area = getattr(result, "area", None)
    provenance = getattr(result, "provenance", None)
    if not isinstance(area, Area) or not isinstance(provenance, Provenance):
        return to_rich(result)
    titles = {
        m.CountsResult: "Counts", m.RateMeasure: "Rate", m.ComparisonResult: "Comparison",
        m.ChangeResult: "Change", m.TrendMeasure: "Trend", m.SeasonalMeasure: "Seasonality",
        m.ControlMeasure: "Control chart", m.HotspotsResult: "Hot spots", m.HarmMeasure: "Harm",
        m.OutcomesMeasure: "Outcomes", m.QualityResult: "Data quality", RatesReport: "Rate",
    }  # fmt: skip
    head = [_header(area, provenance, titles.get(type(result), type(result).__name__))]
    if isinstance(result, RatesReport):
        body = [
            _lines("Rate", _rate_lines(result)),
            _lines("Comparison", _comparison_lines(result.comparison)),
        ]
        return [*head, *body, _footer(provenance, shown=_shown_text(body))]
    if type(result) in simple:
        title, lines = simple[type(result)]
        body = [_lines(title, lines(result))]
        if isinstance(result, m.TrendMeasure):
            body.append(_monthly(result.series, "Crimes by month"))
        if isinstance(result, m.ChangeResult):
            body.append(_monthly(result.by_month, "Crimes by month"))
    elif isinstance(result, m.CountsResult):
        body = _counts_sections(result)
    elif isinstance(result, m.HotspotsResult):
        body = _hotspot_sections(result)
    elif isinstance(result, m.HarmMeasure):
        body = _harm_sections(result)
    elif isinstance(result, m.OutcomesMeasure):
        body = _outcome_sections(result)
    else:
        return to_rich(result)
    return [*head, *body, _footer(provenance, shown=_shown_text(body))]

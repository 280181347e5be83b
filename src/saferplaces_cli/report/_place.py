"""Report sections for hot spots, harm, outcomes and data quality."""

from __future__ import annotations

from typing import Any

from crimestats.months import month_ranges
from crimestats.wording import plural
from saferplaces_cli.report._format import (
    _ci,
    _f,
    _grid,
    _harm_cell,
    _lines,
    _n,
    _pct,
)


def _hotspot_sections(result: Any) -> list[Any]:
    significant = result.significant.to_pylist()
    hot = sum(1 for r in significant if r["bin"] > 0)
    cold = sum(1 for r in significant if r["bin"] < 0)
    gi = result.gi
    labels = dict(zip(result.lsoas["lsoa21_code"].to_pylist(), result.lsoas["label"].to_pylist(),
                      strict=True))  # fmt: skip
    rows = [
        [str(r["rank"]), r["lsoa21_code"], r["lsoa21_name"] or "", _n(r["count"]),
         _ci(r["lower"], r["upper"], 0), _pct(r["share"]), labels.get(r["lsoa21_code"], "")]
        for r in result.top_by_count.to_pylist()
    ]  # fmt: skip
    untestable = gi.n - gi.n_testable
    if gi.reason is not None:
        head = f"Getis-Ord Gi* (of the LSOAs' ranks): no hot-spot test. {gi.reason[0].upper()}"
        head += gi.reason[1:] + "."
    elif gi.n_testable == 0:
        head = (
            "Getis-Ord Gi* (of the LSOAs' ranks): no hot-spot test. Every LSOA of the area "
            "borders every other one, so there is no neighbourhood to compare."
        )
    else:
        head = (
            f"Getis-Ord Gi* (of the LSOAs' ranks): {plural(hot, 'hot spot LSOA')} and "
            f"{plural(cold, 'cold spot LSOA')} of {gi.n_testable} tested. {gi.legend}"
            + (" (fewer than 30 LSOAs: weak approximation)" if gi.few_areas else "")
        )
        if untestable:
            head += (
                f" {plural(untestable, 'LSOA')} not testable (bordering every other LSOA of "
                "the area)."
            )
    summary = [head]
    c = result.concentration
    if c.gini is not None:
        summary.append(
            f"Concentration: Gini {c.gini:.2f}; {plural(c.k_25, 'LSOA')} "
            f"({_pct(c.share_units_25, 0)}) {'holds' if c.k_25 == 1 else 'hold'} 25 % of "
            f"crime, {c.k_50} ({_pct(c.share_units_50, 0)}) {'holds' if c.k_50 == 1 else 'hold'}"
            " 50 %"
        )
    if result.islands.num_rows:
        summary.append(f"LSOAs attached to their nearest LSOA: {result.islands.num_rows}")
    sections = [_lines("Hot spots", summary)]
    if significant:
        sections.append(
            _grid("Every hot and cold spot LSOA", ["LSOA", "Name", "Crimes", "Gi* z", "Level"],
                  [[r["lsoa21_code"], r["lsoa21_name"] or "", _n(r["count"]), _f(r["gi_z"], 2),
                    r["label"]] for r in significant])
        )  # fmt: skip
    sections += [
        _grid("Top LSOAs by count", ["#", "LSOA", "Name", "Crimes", "95 % CI", "Share", "Gi*"],
              rows, right=0),
    ]  # fmt: skip
    by_rate = [
        [str(r["rank"]), r["lsoa21_code"], r["lsoa21_name"] or "", _n(r["count"]),
         _f(r["rate"]), _ci(r["lower"], r["upper"]), "town centre?" if r["town_centre"] else ""]
        for r in result.top_by_rate.to_pylist()
    ]  # fmt: skip
    if by_rate:
        sections.append(
            _grid("Top LSOAs by rate per 1,000 residents (LSOAs with 10 or more crimes)",
                  ["#", "LSOA", "Name", "Crimes", "Rate", "95 % CI", "Flag"], by_rate)
        )  # fmt: skip
    points = [
        [str(r["rank"]), r["location"] or "", _n(r["count"]), f"{r['latitude']:.5f}, "
         f"{r['longitude']:.5f}"]
        for r in result.map_points.to_pylist()
    ]  # fmt: skip
    if points:
        sections.append(
            _grid("Top map points (snapped: a map point is not an address)",
                  ["#", "Location", "Crimes", "Lat, lon"], points)
        )  # fmt: skip
    return sections


def _harm_sections(result: Any, with_categories: bool = True) -> list[Any]:
    total = result.total
    interval = getattr(result, "interval", None)
    head = (
        f"Harm index {_f(total.total, 0)} {total.unit} ({result.weights_version}) over "
        f"{len(total.included)} categories"
    )
    if interval is not None and interval.lower is not None:
        head += f" (95 % CI {_ci(interval.lower, interval.upper, 0)})"
    lines = [head]
    if interval is not None and interval.variance_share:
        slug, share = next(iter(interval.variance_share.items()))
        lines.append(
            f"Uncertainty: {_pct(share, 0)} of the harm total's variance comes from "
            f"{slug.replace('-', ' ')}; dispersion used {interval.phi_star:.2f}"
        )
    if interval is not None and interval.driven_by_few:
        lines.append(
            f"Driven by few crimes: {plural(interval.events_driving, 'crime')} make up more "
            "than half of the harm total"
        )
    lines.append(
        "Not in the total: "
        + "; ".join(f"{slug} ({why})" for slug, why in sorted(total.excluded.items()))
    )
    lines.extend(total.warnings)
    sections = [_lines("Harm (beside counts, never instead of them)", lines)]
    if with_categories:
        rows = [
            [r["category"], _n(r["count"]), _f(r["weight"], 0),
             _harm_cell(r), _pct(r["harm_share"])]
            for r in result.by_category.to_pylist()
        ]  # fmt: skip
        sections.append(
            _grid("Harm by category", ["Category", "Crimes", "Weight", "Harm", "Harm share"], rows,
                  right=4)
        )  # fmt: skip
    top = result.by_lsoa.slice(0, 5).to_pylist()

    def rank(r: dict[str, Any]) -> str:
        if r.get("rank_best") is None:
            return str(r["rank"])
        span = f"{r['rank_best']}–{r['rank_worst']}"
        return f"{r['rank']} ({span})"

    def flag(r: dict[str, Any]) -> str:
        if r.get("driven_by_few"):
            return f"driven by {plural(r['events_driving'], 'crime')}"
        return ""

    sections.append(
        _grid(
            "Top LSOAs by harm (rank with its 95 % range)",
            ["#", "LSOA", "Name", "Crimes", "Harm", "95 % CI", "Harm share", "Quadrant", "Flag"],
            [[rank(r), r["lsoa21_code"], r["lsoa21_name"] or "", _n(r["count"]),
              _f(r["harm"], 0), _ci(r.get("harm_lower"), r.get("harm_upper"), 0),
              _pct(r["harm_share"]), r["quadrant"], flag(r)] for r in top],
        )
    )  # fmt: skip
    return sections


def _outcome_sections(result: Any) -> list[Any]:
    o = result.overall
    if not o.total:
        return [_lines("Outcomes", [f"No crimes with an outcome: {o.reason or 'none recorded'}"])]
    lines = [
        f"Positive outcome (charge or court, or out of court): {_pct(o.share)} of "
        f"{plural(o.total, 'crime')} (95 % CI {_ci(100 * o.lower, 100 * o.upper)} %)",
        f"{_pct(o.share_finalised)} {o.finalised_label} "
        f"({plural(o.finalised or 0, 'crime')}; 95 % CI "
        f"{_ci(100 * (o.lower_finalised or 0), 100 * (o.upper_finalised or 0))} %)",
    ]
    lines.extend(o.notes)  # unknown outcome strings are named in a note (not finalised)
    rows = [[r["group"].replace("_", " "), _n(r["count"]), _pct(r["share"])]
            for r in result.by_group.to_pylist() if r["count"]]  # fmt: skip
    return [
        _lines("Outcomes (last outcome; ASB has none)", lines),
        _grid("Crimes by outcome group", ["Group", "Crimes", "Share"], rows, right=2),
    ]


def _quality_lines(result: Any) -> list[str]:
    lines = []
    for force in result.forces:
        rows = [r for r in result.months.to_pylist() if r["force"] == force]
        ok = [r["month"] for r in rows if r["status"] == "ok"]
        gaps = [r["month"] for r in rows if r["status"] != "ok"]
        lines.append(
            f"{force}: {len(ok)} of {len(rows)} months present; missing: {month_ranges(gaps)}"
        )
    lines.append(
        f"Rows with no map point: {_n(result.unlocated_n)} ({_pct(result.unlocated_share)}); "
        f"rows whose LSOA is outside the loaded geography: {_n(result.outside_geography_n)}"
    )
    repeated = result.repeated_crime_ids.to_pylist()
    if repeated:
        ids = sum(r["crime_ids"] for r in repeated)
        lines.append(
            f"Crime IDs repeated within a force-month among the area's rows: {ids:,} "
            f"({', '.join(sorted({r['force'] for r in repeated}))})"
        )
    else:
        lines.append("No Crime ID repeated within a force-month among the area's rows")
    lines.extend(f"Note: {n}" for n in result.notes)
    return lines

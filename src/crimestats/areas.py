"""Areas and comparators: what "North West Leicestershire" means as a set of 2021 LSOAs.

Every measure works on a set of 2021 LSOA codes (the one analysis geography, ADR 0003). An
:class:`Area` is a CSP, a local authority district, a ward, an LSOA, a list of LSOAs or a drawn
polygon, resolved against the store's ``lsoa`` table. A :class:`Comparator` is what an area's rate
is compared with (methods reference §2.4): the force area, the rest of the force (default), all
loaded LSOAs, or a pooled peer group.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from crimestats.engines import Engine

__all__ = [
    "AREA_KINDS",
    "COMPARATOR_KINDS",
    "Area",
    "Comparator",
    "districts_area",
    "districts_spec",
    "force_label",
    "force_pfa",
    "lsoa_lookup",
    "principal_forces",
    "resolve_area",
    "resolve_comparator",
]

AREA_KINDS = ("csp", "lad", "lads", "ward", "lsoa", "lsoas", "polygon", "pfa")
_DISTRICTS = "lads:"
COMPARATOR_KINDS = ("rest-of-force", "force", "loaded", "peers")

# ONS code prefixes (England E, Wales W) → the lsoa-table column they are matched against.
_PREFIXES: tuple[tuple[str, str, str], ...] = (
    (r"[EW]22\d{6}", "csp", "csp_code"),
    (r"[EW]0[6789]\d{6}", "lad", "lad_code"),
    (r"[EW]05\d{6}", "ward", "ward_code"),
    (r"[EW]01\d{6}", "lsoa", "lsoa21_code"),
    (r"[EW]23\d{6}", "pfa", "pfa_code"),
)
_NAME_COLUMN = {
    "csp": "csp_name",
    "lad": "lad_name",
    "ward": "ward_name",
    "lsoa": "lsoa21_name",
    "pfa": "pfa_name",
}


@dataclass(frozen=True, slots=True)
class Area:
    """A set of 2021 LSOAs with a name.

    Attributes
    ----------
    code : str
        The code asked for (``E22000170``), or a label for a custom area.
    label : str
        Name to show (``North West Leicestershire``).
    kind : str
        One of :data:`AREA_KINDS`.
    lsoa_codes : tuple of str
        The 2021 LSOAs, sorted.
    pfa_codes : tuple of str
        Police force areas the LSOAs lie in (from the lookup).
    """

    code: str
    label: str
    kind: str
    lsoa_codes: tuple[str, ...]
    pfa_codes: tuple[str, ...] = ()

    @property
    def n_lsoas(self) -> int:
        """Number of LSOAs."""
        return len(self.lsoa_codes)


@dataclass(frozen=True, slots=True)
class Comparator:
    """What an area is compared with (§2.4).

    Attributes
    ----------
    kind : str
        ``rest-of-force`` (default), ``force``, ``loaded`` or ``peers``.
    label : str
        Plain-English name shown beside the rate ratio.
    forces : tuple of str
        Recording forces whose rows are counted (force kinds).
    lsoa_codes : tuple of str
        LSOAs whose population is the denominator.
    excluded_lsoa_codes : tuple of str
        The area's LSOAs, excluded from count and population for ``rest-of-force``.
    peers : tuple of Area
        Peer areas (``peers``); the pooled rate is ``Σx/ΣP``.
    """

    kind: str
    label: str
    forces: tuple[str, ...] = ()
    lsoa_codes: tuple[str, ...] = ()
    excluded_lsoa_codes: tuple[str, ...] = ()
    peers: tuple[Area, ...] = ()


def lsoa_lookup(engine: Engine) -> pa.Table:
    """The store's whole ``lsoa`` table as Arrow (cached per engine; ~35k rows nationally)."""
    return engine.cached("lsoa_lookup", lambda: engine.fetch(engine.geography("lsoa")))


def _centroids(engine: Engine) -> pa.Table:
    def build() -> pa.Table:
        geometry = engine.geography("lsoa_geometry")
        return engine.fetch(geometry.select("lsoa21_code", "centroid_lon", "centroid_lat"))

    return engine.cached("lsoa_centroids", build)


def force_label(force: str) -> str:
    """Display name of a force slug.

    Examples
    --------
    >>> force_label("devon-and-cornwall")
    'Devon and Cornwall'
    """
    words = force.replace("-", " ").split()
    return " ".join(w if w in {"and", "of"} else w.capitalize() for w in words)


def _area_from_rows(rows: pa.Table, code: str, label: str, kind: str) -> Area:
    codes = tuple(sorted(set(rows["lsoa21_code"].to_pylist())))
    pfas = tuple(sorted({p for p in rows["pfa_code"].to_pylist() if p}))
    return Area(code, label, kind, codes, pfas)


def districts_spec(codes: Iterable[str]) -> str:
    """The area specification for several local authority districts taken together.

    One spelling for a partnership of districts, used by the web app (its cache key) and the
    command line (``--area lads:…``); :func:`resolve_area` reads it back.

    Examples
    --------
    >>> districts_spec(["e07000134", "E07000130", "E07000134"])
    'lads:E07000130,E07000134'
    >>> districts_spec(["E07000134"])
    'E07000134'
    >>> districts_spec([])
    ''
    """
    wanted = sorted({str(code).strip().upper() for code in codes if str(code).strip()})
    if len(wanted) > 1:
        return _DISTRICTS + ",".join(wanted)
    return wanted[0] if wanted else ""


def districts_area(
    engine: Engine, codes: Iterable[str], *, code: str = "", label: str = ""
) -> Area:
    """Several local authority districts as one area (a community safety partnership).

    Parameters
    ----------
    engine : Engine
        The store to resolve against.
    codes : iterable of str
        LAD codes (E06/E07/E08/E09…). One code gives that district as it is (its own name).
    code : str, optional
        The partnership's own code (E22…) for an area of two or more districts; with no
        districts at all, this code is resolved instead.
    label : str, optional
        The partnership's name for an area of two or more districts (default: the districts'
        names joined).

    Returns
    -------
    Area
        Kind ``csp`` when ``code`` names the partnership, else ``lads``; the LSOAs and police
        force areas are the union of the districts'.

    Raises
    ------
    ValueError
        No districts and no code, or a district the loaded geography does not hold.
    """
    wanted = sorted({str(c).strip().upper() for c in codes if str(c).strip()})
    if not wanted:
        if not code:
            raise ValueError("a partnership area needs at least one district or its own code")
        return resolve_area(engine, code, label=label or None)
    if len(wanted) == 1:
        return resolve_area(engine, wanted[0])
    for district in wanted:
        if not re.fullmatch(r"[EW]0[6789]\d{6}", district):
            raise ValueError(f"{district} is not a local authority district code (E06…–E09…)")
    parts = [resolve_area(engine, district) for district in wanted]
    return Area(
        code=code or districts_spec(wanted),
        label=label or ", ".join(part.label for part in parts),
        kind="csp" if code else "lads",
        lsoa_codes=tuple(sorted({c for part in parts for c in part.lsoa_codes})),
        pfa_codes=tuple(sorted({c for part in parts for c in part.pfa_codes})),
    )


def _geometry_of(spec: Mapping[str, Any]) -> Any:
    kind = spec.get("type")
    if kind == "FeatureCollection":
        return shapely.union_all([_geometry_of(f) for f in spec.get("features", [])])
    if kind == "Feature":
        return _geometry_of(spec.get("geometry") or {})
    try:
        return shapely.from_geojson(json.dumps(spec))
    except Exception as error:  # shapely raises several types for bad GeoJSON
        raise ValueError(f"not a GeoJSON polygon: {error}") from error


def resolve_area(engine: Engine, spec: Any, *, label: str | None = None) -> Area:
    """Resolve an area specification to its 2021 LSOAs.

    Parameters
    ----------
    engine : Engine
        The store to resolve against (its ``lsoa`` and ``lsoa_geometry`` tables).
    spec : str, sequence of str, GeoJSON mapping or Area
        ``"E22000170"`` (CSP), ``"E07000134"`` (LAD), ``"E05…"`` (ward), ``"E01…"`` (LSOA),
        ``"E23…"`` (police force area), ``"lads:E07…,E07…"`` (several districts as one area,
        :func:`districts_area`), ``"lsoas:E01…,E01…"`` or a list of LSOA codes (custom
        list), or a GeoJSON geometry/Feature/FeatureCollection (the LSOAs whose centroid falls
        inside, using shapely).
    label : str, optional
        Name for a custom area.

    Returns
    -------
    Area

    Raises
    ------
    ValueError
        For an unknown code, a code the loaded geography does not hold, or an empty polygon.
    """
    if isinstance(spec, Area):
        return spec
    lookup = lsoa_lookup(engine)
    if isinstance(spec, Mapping):
        geometry = _geometry_of(spec)
        cents = _centroids(engine)
        points = shapely.points(
            np.asarray(cents["centroid_lon"]), np.asarray(cents["centroid_lat"])
        )
        inside = shapely.contains(geometry, points)
        codes = set(np.asarray(cents["lsoa21_code"].to_pylist(), dtype=object)[inside])
        rows = lookup.filter(pc.is_in(lookup["lsoa21_code"], pa.array(sorted(codes), pa.string())))
        if rows.num_rows == 0:
            raise ValueError("no LSOA centroid of the loaded geography falls inside the polygon")
        return _area_from_rows(
            rows, label or "custom polygon", label or "custom polygon", "polygon"
        )
    if isinstance(spec, str) and spec.lower().startswith(_DISTRICTS):
        return districts_area(engine, spec[len(_DISTRICTS) :].split(","), label=label or "")
    if isinstance(spec, str) and spec.lower().startswith("lsoas:"):
        spec = [part.strip() for part in spec[6:].split(",") if part.strip()]
    if isinstance(spec, Sequence) and not isinstance(spec, str):
        wanted = sorted({str(code).strip().upper() for code in spec})
        rows = lookup.filter(pc.is_in(lookup["lsoa21_code"], pa.array(wanted, pa.string())))
        unknown = sorted(set(wanted) - set(rows["lsoa21_code"].to_pylist()))
        if unknown or not wanted:
            raise ValueError(
                f"unknown 2021 LSOA codes (not in the loaded geography): {', '.join(unknown)}"
                if unknown
                else "an LSOA list needs at least one code"
            )
        name = label or f"{len(wanted)} LSOAs"
        return _area_from_rows(rows, name, name, "lsoas")
    if not isinstance(spec, str):
        raise ValueError(f"cannot read an area from {type(spec).__name__}")
    code = spec.strip().upper()
    for pattern, kind, column in _PREFIXES:
        if re.fullmatch(pattern, code):
            rows = lookup.filter(pc.equal(lookup[column], code))
            if rows.num_rows == 0:
                raise ValueError(
                    f"{kind.upper()} code {code} is not in the loaded geography "
                    "(run `saferplaces data geography` for its area, or check the code)"
                )
            names = [n for n in rows[_NAME_COLUMN[kind]].to_pylist() if n]
            return _area_from_rows(rows, code, label or (names[0] if names else code), kind)
    raise ValueError(
        f"unknown area {spec!r}: give a CSP (E22…), LAD (E06/E07/E08/E09…), ward (E05…), "
        "LSOA (E01…) or police force area (E23…) code, 'lads:CODE,CODE', 'lsoas:CODE,CODE', "
        "or a GeoJSON polygon"
    )


def force_pfa(engine: Engine) -> dict[str, str]:
    """Which police force area each recording force covers, read from the data.

    A force's PFA is the one holding most of its located rows in its latest month held (one
    small query over one file per force), so no hand-kept table of force names is needed. A
    force whose own area is not in the loaded geography (most of its rows fall outside it) gets
    no PFA: it can record rows inside an area, but its gaps are not the area's gaps.
    """

    def build() -> dict[str, str]:
        parts = engine.partitions("street")
        if parts.num_rows == 0:
            return {}
        latest = parts.group_by("force").aggregate([("month", "max")])
        pairs = zip(latest["force"].to_pylist(), latest["month_max"].to_pylist(), strict=True)
        # One query over every force's latest file (not one per force: 43 on a national store).
        rows = engine.street_partitions(pairs)
        rows = rows.filter(rows.lsoa_code.notnull())
        lsoa = engine.geography("lsoa").select("lsoa21_code", "pfa_code")
        joined = rows.left_join(lsoa, rows.lsoa21_code == lsoa.lsoa21_code)
        top = engine.fetch(joined.group_by(["force", "pfa_code"]).aggregate(n=joined.count()))
        by_force: dict[str, list[tuple[int, str | None]]] = {}
        for force, pfa, n in zip(
            top["force"].to_pylist(), top["pfa_code"].to_pylist(), top["n"].to_pylist(), strict=True
        ):
            by_force.setdefault(force, []).append((n, pfa))
        mapping: dict[str, str] = {}
        for force, found in by_force.items():
            # A tie is broken by the code, so the answer never depends on row order.
            n, pfa = max(found, key=lambda item: (item[0], item[1] or ""))
            if pfa is not None and n >= 0.5 * sum(count for count, _ in found):
                mapping[force] = pfa
        return mapping

    return engine.cached("force_pfa", build)


def principal_forces(engine: Engine, area: Area) -> tuple[str, ...]:
    """The forces whose force area holds the area: their missing months are the area's gaps."""
    mapping = force_pfa(engine)
    return tuple(sorted(f for f, pfa in mapping.items() if pfa in area.pfa_codes))


def _force_lsoas(engine: Engine, forces: tuple[str, ...]) -> tuple[str, ...]:
    mapping = force_pfa(engine)
    pfas = pa.array(sorted({mapping[f] for f in forces if f in mapping}), pa.string())
    lookup = lsoa_lookup(engine)
    return tuple(
        sorted(lookup.filter(pc.is_in(lookup["pfa_code"], pfas))["lsoa21_code"].to_pylist())
    )


def resolve_comparator(engine: Engine, area: Area, spec: Any = "rest-of-force") -> Comparator:
    """Resolve a comparator specification for ``area`` (§2.4).

    Parameters
    ----------
    engine : Engine
    area : Area
    spec : str or sequence, default "rest-of-force"
        ``"rest-of-force"`` (the force area without the area; the default because an area
        inside its comparator makes the test conservative), ``"force"`` (all rows whose force
        supplied them, population of the force's LSOAs), ``"loaded"`` (every LSOA of the loaded
        England and Wales geography), ``"peers:CODE,CODE"`` or a sequence of area specs (pooled
        rate ``Σx/ΣP``).

    Returns
    -------
    Comparator

    Raises
    ------
    ValueError
        Unknown comparator, no force found for the area, or an unknown peer.
    """
    if isinstance(spec, Comparator):
        return spec
    if isinstance(spec, str) and spec.lower().startswith("peers:"):
        spec = [part.strip() for part in spec[6:].split(",") if part.strip()]
    if isinstance(spec, Sequence) and not isinstance(spec, str):
        peers = tuple(resolve_area(engine, peer) for peer in spec)
        if not peers:
            raise ValueError("a peer group needs at least one area")
        codes = tuple(sorted({c for peer in peers for c in peer.lsoa_codes}))
        label = "peer group (pooled): " + ", ".join(peer.label for peer in peers)
        return Comparator("peers", label, (), codes, (), peers)
    if spec == "loaded":
        codes = tuple(sorted(lsoa_lookup(engine)["lsoa21_code"].to_pylist()))
        return Comparator("loaded", f"all loaded LSOAs ({len(codes):,})", (), codes)
    if spec in ("force", "rest-of-force"):
        forces = principal_forces(engine, area)
        if not forces:
            raise ValueError(
                f"no loaded force covers {area.label}: import its force's street files first"
            )
        names = " and ".join(force_label(f) for f in forces)
        codes = _force_lsoas(engine, forces)
        if spec == "force":
            return Comparator("force", f"{names} force area", forces, codes)
        inside = tuple(sorted(set(codes) & set(area.lsoa_codes)))
        rest = tuple(sorted(set(codes) - set(area.lsoa_codes)))
        return Comparator(
            "rest-of-force", f"rest of {names} force area (excluding {area.label})",
            forces, rest, inside,
        )  # fmt: skip
    raise ValueError(
        f"unknown comparator {spec!r}; use rest-of-force, force, loaded or peers:CODE,CODE"
    )

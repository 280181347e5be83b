"""The drafted assessment as data: sections, figures, charts, tables, the priority matrix.

A document is built once from the engine (:func:`~saferplaces_reports.assessment.build
.build_assessment`) and then rendered any number of times (HTML, PDF, XLSX) with the analyst's
narrative and overrides. ``to_dict``/``from_dict`` give plain JSON so the web app can store a
frozen snapshot of an approved version and render it again years later without the engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from saferplaces_reports.assessment.options import AssessmentOptions
from saferplaces_reports.assessment.priority import CategoryEvidence, PriorityRow
from saferplaces_reports.charts import Chart
from saferplaces_reports.tables import Cell, Table

__all__ = [
    "SCHEMA_VERSION",
    "AssessmentDocument",
    "ChartImage",
    "Figure",
    "Section",
    "table_from_dict",
    "table_to_dict",
]

#: Bumped when the stored shape changes; ``from_dict`` refuses a newer one.
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Figure:
    """A figure as a reader sees it, with where it came from.

    Attributes
    ----------
    key : str
        Stable name (``all-crime-count``), so tests and the web app can find it.
    label : str
        What it is (``Recorded crime``).
    text : str
        The figure in words (``6,697 crimes, January to December 2025``).
    value : float or None
        The number itself, where there is one.
    provenance : dict
        Data months, months missing, forces, method, population year, harm weights, engine and
        ``crimestats`` version (see :func:`saferplaces_reports.assessment.build.provenance_dict`).
    """

    key: str
    label: str
    text: str
    value: float | None = None
    provenance: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "text": self.text,
            "value": self.value,
            "provenance": self.provenance,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Figure:
        return cls(
            key=data["key"],
            label=data["label"],
            text=data["text"],
            value=data.get("value"),
            provenance=dict(data.get("provenance") or {}),
        )


@dataclass(frozen=True)
class ChartImage:
    """A stored SVG chart (or map) and its one-sentence description."""

    key: str
    title: str
    svg: str
    alt: str

    @property
    def data_url(self) -> str:
        return Chart(self.svg, self.alt).data_url

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title, "svg": self.svg, "alt": self.alt}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ChartImage:
        return cls(key=data["key"], title=data["title"], svg=data["svg"], alt=data["alt"])


def _cell_to_json(value: Cell) -> Any:
    if isinstance(value, datetime | date):
        return {"date": value.isoformat()[:10]}
    return value


def _cell_from_json(value: Any) -> Cell:
    if isinstance(value, dict) and set(value) == {"date"}:
        return date.fromisoformat(value["date"])
    return value  # type: ignore[no-any-return]


def table_to_dict(table: Table) -> dict[str, Any]:
    """A :class:`~saferplaces_reports.tables.Table` as plain JSON (dates tagged)."""
    return {
        "key": table.key,
        "title": table.title,
        "columns": list(table.columns),
        "rows": [[_cell_to_json(c) for c in row] for row in table.rows],
        "notes": list(table.notes),
    }


def table_from_dict(data: Mapping[str, Any]) -> Table:
    return Table(
        key=data["key"],
        title=data["title"],
        columns=tuple(data["columns"]),
        rows=tuple(tuple(_cell_from_json(c) for c in row) for row in data["rows"]),
        notes=tuple(data.get("notes") or ()),
    )


@dataclass
class Section:
    """One section (or chapter) of the assessment.

    Attributes
    ----------
    key : str
        Stable name: the web app stores the analyst's narrative under it (``executive-summary``,
        ``crime-burglary``).
    title : str
    narrative_default : str
        The drafted narrative, plain text (paragraphs separated by a blank line), which the
        analyst may replace.
    figures : list of Figure
    charts : list of ChartImage
    tables : list of Table
    children : list of Section
    """

    key: str
    title: str
    narrative_default: str = ""
    figures: list[Figure] = field(default_factory=list)
    charts: list[ChartImage] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)

    def walk(self) -> list[Section]:
        """This section and every section below it, in reading order."""
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out

    def figure(self, key: str) -> Figure:
        """The figure named ``key`` (KeyError naming it otherwise)."""
        for item in self.figures:
            if item.key == key:
                return item
        raise KeyError(f"no figure {key!r} in section {self.key!r}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "narrative_default": self.narrative_default,
            "figures": [f.to_dict() for f in self.figures],
            "charts": [c.to_dict() for c in self.charts],
            "tables": [table_to_dict(t) for t in self.tables],
            "children": [c.to_dict() for c in self.children],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Section:
        return cls(
            key=data["key"],
            title=data["title"],
            narrative_default=data.get("narrative_default", ""),
            figures=[Figure.from_dict(f) for f in data.get("figures", ())],
            charts=[ChartImage.from_dict(c) for c in data.get("charts", ())],
            tables=[table_from_dict(t) for t in data.get("tables", ())],
            children=[Section.from_dict(c) for c in data.get("children", ())],
        )


@dataclass
class AssessmentDocument:
    """A drafted strategic assessment.

    Attributes
    ----------
    title : str
    area_name, area_code, area_kind : str
    period : (date, date)
        The assessment period (first and last month).
    previous_period : (date, date)
        The period it is compared with.
    trend_period : (date, date)
        The months of history behind the trend and seasonality.
    options : AssessmentOptions
    sections : list of Section
        In reading order; the priority matrix section's table mirrors ``priorities``.
    priorities : list of PriorityRow
        Ranked, highest priority first.
    evidence : list of CategoryEvidence
        The engine's inputs to the matrix, kept so it can be scored again (new weights, public
        concern, overrides) without the engine: see :func:`rescore`.
    public_concern, vulnerability : dict
        Scores entered by hand (category → 1–5).
    caveats : list of str
    provenance : dict
        For the whole document: data months used and missing, forces, methods, population year,
        harm weights, engine and ``crimestats`` version, police.uk archives.
    built_at : datetime
    """

    title: str
    area_name: str
    area_code: str
    area_kind: str
    period: tuple[date, date]
    previous_period: tuple[date, date]
    trend_period: tuple[date, date]
    options: AssessmentOptions
    sections: list[Section] = field(default_factory=list)
    priorities: list[PriorityRow] = field(default_factory=list)
    evidence: list[CategoryEvidence] = field(default_factory=list)
    public_concern: dict[str, float] = field(default_factory=dict)
    vulnerability: dict[str, float] = field(default_factory=dict)
    caveats: list[str] = field(default_factory=list)
    provenance: dict[str, Any] = field(default_factory=dict)
    built_at: datetime | None = None

    def all_sections(self) -> list[Section]:
        """Every section and sub-section in reading order."""
        out: list[Section] = []
        for section in self.sections:
            out.extend(section.walk())
        return out

    def section(self, key: str) -> Section:
        """The section named ``key`` at any depth (KeyError naming it otherwise)."""
        for item in self.all_sections():
            if item.key == key:
                return item
        raise KeyError(f"no section {key!r} in the assessment")

    def narrative_keys(self) -> list[str]:
        """Keys of the sections whose narrative an analyst may edit, in reading order."""
        return [s.key for s in self.all_sections() if s.narrative_default]

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "title": self.title,
            "area_name": self.area_name,
            "area_code": self.area_code,
            "area_kind": self.area_kind,
            "period": [d.isoformat() for d in self.period],
            "previous_period": [d.isoformat() for d in self.previous_period],
            "trend_period": [d.isoformat() for d in self.trend_period],
            "options": self.options.to_dict(),
            "sections": [s.to_dict() for s in self.sections],
            "priorities": [p.to_dict() for p in self.priorities],
            "evidence": [e.to_dict() for e in self.evidence],
            "public_concern": dict(self.public_concern),
            "vulnerability": dict(self.vulnerability),
            "caveats": list(self.caveats),
            "provenance": self.provenance,
            "built_at": self.built_at.isoformat() if self.built_at else None,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AssessmentDocument:
        version = int(data.get("schema_version", 1))
        if version > SCHEMA_VERSION:
            raise ValueError(
                f"this assessment was stored by a newer version (schema {version}); "
                f"this one reads up to schema {SCHEMA_VERSION}"
            )

        def span(values: Any) -> tuple[date, date]:
            first, last = values
            return date.fromisoformat(first), date.fromisoformat(last)

        built = data.get("built_at")
        return cls(
            title=data["title"],
            area_name=data["area_name"],
            area_code=data["area_code"],
            area_kind=data.get("area_kind", ""),
            period=span(data["period"]),
            previous_period=span(data["previous_period"]),
            trend_period=span(data["trend_period"]),
            options=AssessmentOptions.from_dict(data["options"]),
            sections=[Section.from_dict(s) for s in data.get("sections", ())],
            priorities=[PriorityRow.from_dict(p) for p in data.get("priorities", ())],
            evidence=[CategoryEvidence.from_dict(e) for e in data.get("evidence", ())],
            public_concern={k: float(v) for k, v in (data.get("public_concern") or {}).items()},
            vulnerability={k: float(v) for k, v in (data.get("vulnerability") or {}).items()},
            caveats=list(data.get("caveats") or ()),
            provenance=dict(data.get("provenance") or {}),
            built_at=datetime.fromisoformat(built) if built else None,
        )

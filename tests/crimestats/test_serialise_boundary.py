"""crimestats writes results as data (JSON, CSV); the terminal report belongs to the CLI."""

from __future__ import annotations

import ast
from pathlib import Path

import crimestats
from crimestats import serialise

PACKAGE = Path(crimestats.__file__).parent


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_crimestats_module_imports_rich() -> None:
    offenders = sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if any(name == "rich" or name.startswith("rich.") for name in _imported_modules(path))
    )

    assert offenders == []


def test_serialise_keeps_only_data_formats() -> None:
    assert set(serialise.__all__) == {
        "RatesReport",
        "result_tables",
        "to_csv",
        "to_dict",
        "to_json",
    }
    assert not hasattr(serialise, "to_report")
    assert not hasattr(serialise, "to_rich")

"""The command line reaches crimestats only through its public modules (issue #12).

import-linter checks the ordinary imports (``[tool.importlinter]``); the modules the command
line imports on first use, by name, are invisible to it, so they are checked here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import saferplaces_cli

CLI = Path(saferplaces_cli.__file__).parent


def _module_names_imported_by_name(tree: ast.AST) -> list[str]:
    """String arguments of ``_OnFirstUse(...)`` and ``importlib.import_module(...)`` calls."""
    names = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        first = node.args[0]
        if called in {"_OnFirstUse", "import_module"} and isinstance(first, ast.Constant):
            names.append(str(first.value))
    return names


def test_modules_imported_on_first_use_are_public_crimestats_modules() -> None:
    found = {
        path.name: _module_names_imported_by_name(ast.parse(path.read_text(encoding="utf-8")))
        for path in sorted(CLI.glob("*.py"))
    }
    names = [name for names in found.values() for name in names]
    assert "crimestats.measures" in names, found  # the check sees the lazy imports at all
    private = [name for name in names if any(part.startswith("_") for part in name.split("."))]
    assert private == [], f"the command line imports private crimestats modules: {private}"


def test_the_check_recognises_a_private_module() -> None:
    tree = ast.parse('x = _OnFirstUse("crimestats.measures._scope")')
    assert _module_names_imported_by_name(tree) == ["crimestats.measures._scope"]

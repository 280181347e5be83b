"""Every audit verb lives in one place: the literal table in saferplaces.audit.registry."""

from __future__ import annotations

import ast
from pathlib import Path

from saferplaces.audit import registry

SRC = Path(registry.__file__).resolve().parents[1]  # src/saferplaces


def _registry_literal_verbs() -> set[str]:
    tree = ast.parse(Path(registry.__file__).read_text())
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "VERBS":
            assert isinstance(node.value, ast.Dict)
            return {key.value for key in node.value.keys if isinstance(key, ast.Constant)}
    raise AssertionError("registry.VERBS is not a literal table")


def _verbs_written_by_the_code() -> dict[str, str]:
    """Verb strings passed as ``verb=`` or held in a constant whose name mentions VERB."""
    found: dict[str, str] = {}
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts or path.name == "registry.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            values: list[ast.AST] = []
            if isinstance(node, ast.keyword) and node.arg == "verb":
                values = [node.value]
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if any("VERB" in getattr(t, "id", "") for t in targets) and node.value:
                    values = list(ast.walk(node.value))
            for value in values:
                text = value.value if isinstance(value, ast.Constant) else None
                if isinstance(text, str) and "." in text and " " not in text:
                    found[text] = str(path.relative_to(SRC))
    return found


def test_every_verb_the_code_writes_is_in_the_registry_table() -> None:
    written = _verbs_written_by_the_code()
    assert "invitation.sent" in written  # the scan does find the apps' verbs
    missing = {verb: where for verb, where in written.items() if verb not in registry.VERBS}
    assert not missing, f"Add to saferplaces.audit.registry.VERBS: {missing}"
    not_literal = set(written) - _registry_literal_verbs()
    assert not not_literal, f"Registered at start-up, not in the registry table: {not_literal}"


def test_no_app_adds_verbs_at_start_up() -> None:
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if path.name != "registry.py"
        and any(
            needle in path.read_text() for needle in ("VERBS.setdefault", "VERBS.update", "VERBS[")
        )
    ]
    assert offenders == []


def test_password_set_covers_both_links() -> None:
    description = registry.describe("auth.password_set").lower()
    assert "invitation" in description
    assert "manager" in description

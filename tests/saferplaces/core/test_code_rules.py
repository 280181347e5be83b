"""Rules about the code itself, checked on the source (issue #12)."""

from __future__ import annotations

import ast
from pathlib import Path

import saferplaces

SRC = Path(saferplaces.__file__).resolve().parent
BROAD = {"Exception", "BaseException"}


def _view_modules() -> list[Path]:
    files = [*SRC.glob("*/views.py"), *SRC.glob("*/views/*.py")]
    assert len(files) >= 4, files  # the glob still finds the views
    return sorted(files)


def _broad_handlers(path: Path, root: Path = SRC) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if not isinstance(node, ast.ExceptHandler):
            continue
        types = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
        names = {t.id for t in types if isinstance(t, ast.Name)}
        if node.type is None or names & BROAD:
            found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_views_catch_only_specific_exceptions() -> None:
    """A view that catches everything turns a programming error into a form message."""
    broad = [where for path in _view_modules() for where in _broad_handlers(path)]
    assert not broad, f"except Exception / bare except in views: {broad}"


def test_the_rule_sees_broad_handlers(tmp_path: Path) -> None:
    sample = tmp_path / "views.py"
    sample.write_text(
        "try:\n    pass\nexcept (ValueError, Exception):\n    pass\n"
        "try:\n    pass\nexcept:\n    pass\n"
        "try:\n    pass\nexcept ValueError:\n    pass\n"
    )
    assert _broad_handlers(sample, tmp_path) == ["views.py:3", "views.py:7"]

"""The SQL blocks of docs/admin-guide.md, so tests run exactly what the guide says to run."""

from __future__ import annotations

import re
from pathlib import Path

ADMIN_GUIDE = Path(__file__).resolve().parents[3] / "docs" / "admin-guide.md"


def sql_block(marker: str) -> list[str]:
    """The statements of the ```sql block that follows ``<!-- marker: ... -->``."""
    text = ADMIN_GUIDE.read_text(encoding="utf-8")
    match = re.search(rf"<!-- {re.escape(marker)}:[^>]*-->\s*```sql\n(.*?)```", text, re.DOTALL)
    assert match, f"no sql block marked {marker!r} in {ADMIN_GUIDE}"
    body = "\n".join(
        line for line in match.group(1).splitlines() if not line.strip().startswith("--")
    )
    return [statement.strip() for statement in body.split(";") if statement.strip()]

"""The decision records (docs/adr) say what the code does about two-factor authentication."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

ADR = Path(__file__).resolve().parents[3] / "docs" / "adr"


def _records() -> dict[str, str]:
    return {
        path.name[:4]: path.read_text() for path in sorted(ADR.glob("[0-9][0-9][0-9][0-9]-*.md"))
    }


def _superseded(text: str) -> bool:
    return bool(re.search(r"^Status: superseded", text, flags=re.MULTILINE | re.IGNORECASE))


def test_every_record_is_in_the_index() -> None:
    index = (ADR / "README.md").read_text()
    for path in ADR.glob("[0-9][0-9][0-9][0-9]-*.md"):
        assert f"({path.name})" in index, f"{path.name} is missing from docs/adr/README.md"


def test_a_record_that_supersedes_another_is_named_by_it() -> None:
    records = _records()
    for number, text in records.items():
        for old in re.findall(r"Supersedes[^\n]*?\[(\d{4})\]", text):
            assert _superseded(records[old]), f"{old} should say it is superseded by {number}"
            assert f"({number}-" in records[old].split("\n## ")[0]


def test_the_standing_records_require_two_factor_for_every_member() -> None:
    standing = {n: t for n, t in _records().items() if not _superseded(t)}
    assert not [n for n, t in standing.items() if "optional for staff" in t]
    current = [t for t in standing.values() if "SAFERPLACES_REQUIRE_2FA_FOR_ALL" in t]
    assert current, "no standing decision record covers two-factor for every member"
    assert "every" in current[0].lower()
    assert "production" in current[0].lower()
    assert "refuse" in current[0].lower()
    # The setting it names is real and on by default.
    assert settings.SAFERPLACES_REQUIRE_2FA_FOR_ALL is True

"""A fake "reports on this website" lookup (the concerns app registers the real one)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from saferplaces.core import resident_voice
from saferplaces.core.resident_voice import ResidentReport


class FakeReports:
    def __init__(self) -> None:
        self.reports: list[tuple[str, ResidentReport]] = []  # (e-mail, report)

    def add(self, email: str, reference: str, on: date) -> None:
        self.reports.append(
            (
                email,
                ResidentReport(
                    reference,
                    on,
                    "Noise or nuisance neighbours",
                    "Mill Lane",
                    "Closed: advice given",
                ),
            )  # fmt: skip
        )

    def __call__(self, partnership: Any, email: str, references: Any, since: date) -> list[Any]:
        refs = {r.upper() for r in references}
        return [
            report
            for owner, report in self.reports
            if report.reported_on >= since
            and ((email and owner.lower() == email.lower()) or report.reference in refs)
        ]


@pytest.fixture
def site_reports() -> Iterator[FakeReports]:
    fake = FakeReports()
    saved = dict(resident_voice._report_lookups)
    resident_voice._report_lookups.clear()
    resident_voice.resident_reports_register("fake", fake)
    yield fake
    resident_voice._report_lookups.clear()
    resident_voice._report_lookups.update(saved)

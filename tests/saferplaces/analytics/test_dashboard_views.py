"""The crime data dashboard: filters in the address, bad input, downloads and their audit."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from saferplaces.analytics.services import VERB_DASHBOARD_EXPORTED
from saferplaces.audit.models import AuditEvent
from saferplaces.audit.registry import Action

URL = "/staff/crime/"


@pytest.fixture
def nwl(real_store: Path) -> Any:
    from tests.saferplaces.factories import PartnershipFactory

    return PartnershipFactory(name="North West Leicestershire CSP", lad_codes=["E07000134"])


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&amp;", "&")


def _lead(html: str) -> str:
    start = html.index('id="dashboard-lead"')
    return _text(html[start : html.index("</p>", start)])


def _card(html: str) -> str:
    start = html.index('id="change-card"')
    return _text(html[start : html.index("</li>", start)])


def test_default_view_tests_jan_to_apr_2025_against_2024_as_crimestats_does(
    client: Any, sign_in_as: Any, nwl: Any
) -> None:
    from crimestats import Query, measures
    from crimestats.engines import open_engine
    from crimestats.query import parse_period
    from crimestats.store import Store

    sign_in_as(client, "analyst", partnership=nwl)
    html = client.get(URL).content.decode()

    card = _card(html)
    assert "Jan–Apr 2025 against Jan–Apr 2024, the longest span with no missing months" in card
    assert "Tested" in card
    with open_engine(Store(real_store_dir(client))) as engine:
        direct = measures.change(
            engine,
            Query("E07000134"),
            period_1=parse_period("2024-01", "2024-04"),
            period_2=parse_period("2025-01", "2025-04"),
        )
    assert direct.tested
    assert f"{direct.x2:,} crimes in Jan–Apr 2025; {direct.x1:,} crimes in Jan–Apr 2024" in card
    assert direct.test.verdict is not None
    assert direct.test.verdict.estimate_text in card
    assert "Not tested" not in card
    # The big figure is the estimate only for a real change (test_present.py covers noise).
    assert direct.test.verdict.significant
    big = direct.test.verdict.estimate_text.split(" (")[0]
    assert f"Change on a year before {big} " in card


def real_store_dir(client: Any) -> Path:
    from django.conf import settings

    return Path(settings.DATA_DIR)


def test_headline_states_the_comparators_own_rate_in_plain_words(
    client: Any, sign_in_as: Any, nwl: Any
) -> None:
    sign_in_as(client, "board_member", partnership=nwl)
    html = client.get(URL).content.decode()

    lead = _lead(html)
    assert re.search(
        r"All crime in North West Leicestershire: [\d,]+ in 2025, [\d.]+ per 1,000", lead
    )
    assert re.search(
        r"\d+% lower than the rest of Leicestershire force area "
        r"\(95% interval \d+% to \d+% lower: a real difference\)",
        lead,
    )
    assert re.search(r"The rate in the rest of Leicestershire force area is [\d.]+ per 1,000", lead)
    text = _text(html)
    assert " rows" not in text
    assert "§" not in text.split("How these figures were made")[0]
    assert "times the rate" not in text


def test_filters_round_trip_through_the_address(client: Any, sign_in_as: Any, nwl: Any) -> None:
    sign_in_as(client, "analyst", partnership=nwl)
    query = "period=month&month=2025-06&area=E05010091&category=burglary"
    response = client.get(f"{URL}?{query}")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Burglary in Ashby Castle ward: " in _lead(html)
    assert "in June 2025" in _lead(html)
    assert "?" + query.replace("&", "&amp;") + "&amp;format=csv&amp;table=crimes-by-month" in html
    assert '<option value="E05010091" selected' in html
    # Without JavaScript every period field shows; the script only hides the unused ones.
    assert 'id="period-range" data-period-range>' in html
    assert "/static/app/period-filter.js" in html

    custom = client.get(
        f"{URL}?period=custom&start=2025-02&end=2025-05&area=partnership&category=violence"
    )
    assert custom.status_code == 200
    assert (
        "?period=custom&amp;start=2025-02&amp;end=2025-05&amp;area=partnership&amp;"
        "category=violence&amp;format=xlsx"
    ) in custom.content.decode()
    assert "February to May 2025" in custom.content.decode()


def test_different_filters_give_different_figures(client: Any, sign_in_as: Any, nwl: Any) -> None:
    sign_in_as(client, "analyst", partnership=nwl)
    whole = _lead(client.get(URL).content.decode())
    ward = _lead(client.get(f"{URL}?area=E05010091").content.decode())
    assert whole != ward
    assert "Ashby Castle ward" in ward


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("area=E05999999", "No ward or neighbourhood has the code"),
        ("area=E01025610", "is outside North West Leicestershire"),  # an LSOA in Leicester
        ("period=month&month=2019-05", "May 2019 is outside the data"),
        ("period=month&month=2024-07", "has no records for July 2024"),
        ("period=custom&start=2025-06&end=2025-02", "The period must end after it starts"),
        ("period=custom&start=2025-06", "Enter the last month of the period"),
        ("period=weekly", "Period must be one month"),
        ("month=June", "Month must be a month written like 2025-03"),
        ("month=2025-13", "Month must be a real month"),
        ("category=murder", "is not a crime type"),
        ("format=docx", "is not a download"),
        ("format=csv&table=secrets", "There is no table called"),
    ],
)
def test_bad_queries_get_a_400_with_the_error_summary(
    client: Any, sign_in_as: Any, nwl: Any, query: str, message: str
) -> None:
    sign_in_as(client, "analyst", partnership=nwl)
    response = client.get(f"{URL}?{query}")

    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert message in _text(html)
    assert "<title>Error: " in html


def test_csv_of_a_table_is_the_table_on_the_page(client: Any, sign_in_as: Any, nwl: Any) -> None:
    sign_in_as(client, "analyst", partnership=nwl)
    page = client.get(URL).content.decode()

    response = client.get(f"{URL}?format=csv&table=crimes-by-category")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0] == "Category,Crimes,Share (%)"
    name, count, share = lines[1].split(",")
    row = re.search(rf">{name}</th>\s*<td[^>]*>([\d,]+)</td>\s*<td[^>]*>([\d.]+)</td>", page)
    assert row is not None
    assert row.group(1) == f"{int(count):,}"
    assert row.group(2) == share


def test_xlsx_holds_one_sheet_per_table(client: Any, sign_in_as: Any, nwl: Any) -> None:
    sign_in_as(client, "analyst", partnership=nwl)
    response = client.get(f"{URL}?format=xlsx")

    assert response.status_code == 200
    book = zipfile.ZipFile(io.BytesIO(response.content))
    sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/sheet")]
    tables = client.get(URL).content.decode().count("” as CSV</a>")
    assert tables == 5
    assert len(sheets) == tables + 1  # an "About" sheet, then one per table


def test_pdf_of_the_page_carries_the_headline(
    client: Any, sign_in_as: Any, nwl: Any, tmp_path: Path
) -> None:
    sign_in_as(client, "analyst", partnership=nwl)
    response = client.get(f"{URL}?format=pdf")

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    pdf = tmp_path / "dashboard.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = re.sub(r"\s+", " ", text)
    assert "All crime in North West Leicestershire, January to December 2025" in flat
    assert "Jan–Apr 2025 against Jan–Apr 2024" in flat
    assert "Show figures" not in flat  # the filter form is not printed


def test_each_download_is_audited_as_an_export(client: Any, sign_in_as: Any, nwl: Any) -> None:
    user = sign_in_as(client, "board_member", partnership=nwl)
    client.get(f"{URL}?category=burglary&format=csv&table=crimes-by-month")

    event = AuditEvent.objects.get(verb=VERB_DASHBOARD_EXPORTED)
    assert event.action == Action.EXPORT
    assert event.actor == user
    assert event.partnership == nwl
    assert event.summary["format"] == "csv"
    assert event.summary["table"] == "crimes-by-month"
    assert event.summary["filters"]["category"] == "burglary"


def test_a_refused_download_is_not_audited_as_an_export(
    client: Any, sign_in_as: Any, nwl: Any
) -> None:
    sign_in_as(client, "analyst", partnership=nwl)
    client.get(f"{URL}?format=csv&table=nope")
    assert not AuditEvent.objects.filter(verb=VERB_DASHBOARD_EXPORTED).exists()

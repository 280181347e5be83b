"""The pages: create from the list, read the profile, download CSV, XLSX and PDF; audit rows."""

from __future__ import annotations

import io
import json
import re
import subprocess
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from saferplaces.audit.models import AuditEvent
from saferplaces.neighbourhoods import services
from saferplaces.neighbourhoods.models import Neighbourhood
from tests.conftest import mark_second_factor_verified
from tests.saferplaces.neighbourhoods.conftest import GREENHILL, LEICESTER_LSOA

LIST = "/staff/neighbourhoods/"


def _sign_in(client: Any, user: Any) -> None:
    client.force_login(user)
    mark_second_factor_verified(client, user)


def _post(client: Any, council: Any, **extra: Any) -> Any:
    data = {
        "name": "Greenhill and Agar Nook", "owner_organisation": str(council.pk),
        "sharing": "partnership", "baseline_month": "2024-01-01", "method": "list",
        "lsoa_codes": GREENHILL,
    }  # fmt: skip
    data.update(extra)
    return client.post(reverse("neighbourhoods:create"), data)


@pytest.fixture
def greenhill(real_store: Path, analyst: Any, council: Any) -> Neighbourhood:
    return services.neighbourhood_create(
        by=analyst, partnership=council.partnership, owner_organisation=council,
        name="Greenhill and Agar Nook", baseline_month=date(2024, 1, 1), lsoa_codes=GREENHILL,
    )  # fmt: skip


def test_urls() -> None:
    assert reverse("neighbourhoods:list") == LIST
    assert reverse("neighbourhoods:create") == LIST + "new/"


def test_the_form_lists_the_small_areas_by_ward(
    client: Any, real_store: Path, analyst: Any
) -> None:
    _sign_in(client, analyst)
    html = client.get(reverse("neighbourhoods:create")).content.decode()
    assert "Greenhill" in html
    assert "Castle Rock" in html
    assert 'value="E01025932"' in html
    assert LEICESTER_LSOA not in html  # only the partnership's own small areas
    # The map to pick on: hidden until its script runs, fed by the crime map's GeoJSON.
    assert f'data-lsoa-picker data-geojson-url="{reverse("analytics:map_geojson")}" hidden' in html
    assert "/static/app/lsoa-picker.js" in html


def test_an_analyst_creates_one_from_the_list_and_reads_its_profile(
    client: Any, real_store: Path, analyst: Any, council: Any
) -> None:
    _sign_in(client, analyst)
    response = _post(client, council)
    neighbourhood = Neighbourhood.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "neighbourhoods:profile", kwargs={"neighbourhood_id": neighbourhood.pk}
    )

    html = client.get(response["Location"]).content.decode()
    assert '<h1 class="govuk-heading-l">Greenhill and Agar Nook</h1>' in html
    assert "times the North West Leicestershire rate (95% interval" in html
    assert "Leicestershire force area" in html
    assert "Change since the baseline" in html
    assert "January to April 2024" in html
    assert "Aged 65 years and over" in html
    assert "Repeat locations" in html
    assert AuditEvent.objects.filter(verb=services.VERB_VIEWED).count() == 1


def test_a_bad_upload_shows_an_error_summary_and_saves_nothing(
    client: Any, real_store: Path, analyst: Any, council: Any
) -> None:
    _sign_in(client, analyst)
    upload = SimpleUploadedFile("area.geojson", b'{"type": "Point", "coordinates": [0, 0]}')
    response = _post(client, council, method="polygon", lsoa_codes=[], geojson=upload)
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "The file holds a Point, not a polygon" in html
    assert "<title>Error: " in html
    assert not Neighbourhood.objects.exists()


def test_an_oversized_upload_is_refused_by_the_form(
    client: Any, real_store: Path, analyst: Any, council: Any
) -> None:
    _sign_in(client, analyst)
    upload = SimpleUploadedFile("big.geojson", b" " * (1024 * 1024 + 10))
    html = _post(client, council, method="polygon", geojson=upload).content.decode()
    assert "the largest file you can upload is 1 MB" in html
    assert not Neighbourhood.objects.exists()


def test_choosing_nothing_is_an_error(
    client: Any, real_store: Path, analyst: Any, council: Any
) -> None:
    _sign_in(client, analyst)
    html = _post(client, council, lsoa_codes=[]).content.decode()
    assert "Choose at least one small area (LSOA)" in html
    assert 'href="#id_lsoa_codes"' in html
    assert 'id="id_lsoa_codes"' in html


def test_the_workbook_has_a_sheet_per_table(
    client: Any, greenhill: Neighbourhood, member: Any
) -> None:
    _sign_in(client, member)
    url = reverse("neighbourhoods:xlsx", kwargs={"neighbourhood_id": greenhill.pk})
    response = client.get(url)
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as book:
        workbook = book.read("xl/workbook.xml").decode()
        strings = book.read("xl/sharedStrings.xml").decode()
    sheets = re.findall(r'<sheet name="([^"]+)"', workbook)
    assert sheets[0] == "About"
    assert any(name.startswith("Crime and anti-social") for name in sheets)
    assert "Burglary" in strings
    assert "Greenhill and Agar Nook" in strings
    event = AuditEvent.objects.get(verb=services.VERB_EXPORTED)
    assert event.summary["format"] == "xlsx"


def test_a_csv_per_table(client: Any, greenhill: Neighbourhood, member: Any) -> None:
    _sign_in(client, member)
    url = reverse(
        "neighbourhoods:csv", kwargs={"neighbourhood_id": greenhill.pk, "table": "categories"}
    )
    text = client.get(url).content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith('Category,Crimes,"Rate per 1,000 residents"')
    assert "Anti-social behaviour" in text
    missing = reverse(
        "neighbourhoods:csv", kwargs={"neighbourhood_id": greenhill.pk, "table": "nonsense"}
    )
    assert client.get(missing).status_code == 404


def test_the_pdf_renders(client: Any, greenhill: Neighbourhood, member: Any) -> None:
    _sign_in(client, member)
    url = reverse("neighbourhoods:pdf", kwargs={"neighbourhood_id": greenhill.pk})
    response = client.get(url)
    body = response.content
    assert response["Content-Type"] == "application/pdf"
    assert body.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=body, capture_output=True, check=True
    ).stdout.decode()
    assert "Greenhill and Agar Nook" in text
    assert "Page 2 of" in text


def test_an_organisation_only_neighbourhood_is_hidden_from_other_members(
    client: Any, greenhill: Neighbourhood, member: Any
) -> None:
    greenhill.sharing = "organisation"
    greenhill.save()
    _sign_in(client, member)
    url = reverse("neighbourhoods:profile", kwargs={"neighbourhood_id": greenhill.pk})
    assert client.get(url).status_code == 404
    assert "Greenhill" not in client.get(LIST).content.decode()
    assert AuditEvent.objects.filter(verb="access.hidden_object").exists()


def test_an_analyst_changes_and_deletes_it(
    client: Any, greenhill: Neighbourhood, analyst: Any, council: Any
) -> None:
    _sign_in(client, analyst)
    edit = reverse("neighbourhoods:edit", kwargs={"neighbourhood_id": greenhill.pk})
    assert 'value="E01025932" checked' in client.get(edit).content.decode()
    response = client.post(
        edit, {"name": "Greenhill", "owner_organisation": str(council.pk), "sharing":
               "partnership", "baseline_month": "2025-01-01", "method": "list",
               "lsoa_codes": GREENHILL[:2]},
    )  # fmt: skip
    assert response.status_code == 302
    greenhill.refresh_from_db()
    assert greenhill.lsoa_codes == GREENHILL[:2]
    delete = reverse("neighbourhoods:delete", kwargs={"neighbourhood_id": greenhill.pk})
    assert client.post(delete).status_code == 302
    assert not Neighbourhood.objects.exists()
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {services.VERB_CREATED, services.VERB_CHANGED, services.VERB_DELETED} <= verbs


def test_without_data_the_profile_says_so(
    client: Any, empty_store: Path, analyst: Any, council: Any
) -> None:
    neighbourhood = Neighbourhood.objects.create(
        partnership=council.partnership, owner_organisation=council, name="Somewhere",
        lsoa_codes=GREENHILL, baseline_month=date(2024, 1, 1), sharing="partnership",
    )  # fmt: skip
    _sign_in(client, analyst)
    url = reverse("neighbourhoods:profile", kwargs={"neighbourhood_id": neighbourhood.pk})
    assert "No crime data has been loaded yet" in client.get(url).content.decode()
    pdf = reverse("neighbourhoods:pdf", kwargs={"neighbourhood_id": neighbourhood.pk})
    assert client.get(pdf).status_code == 404
    assert json.dumps(neighbourhood.lsoa_codes)

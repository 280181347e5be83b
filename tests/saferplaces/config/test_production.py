"""Production settings serve pages after `collectstatic`; `make run` settings hide debug pages.

Each test runs the real settings modules in separate processes, as a deployment does: the
pytest-django test settings would hide exactly the differences these tests are about
(ManifestStaticFilesStorage, DEBUG off, HTTPS-only cookies, the data folder's modes).
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.saferplaces.config.test_settings import PRODUCTION, ROOT, _manage

PROBE = Path(__file__).with_name("_probe_pages.py")
BUILD = ROOT / "build" / "static"
# Production with its worker backend chosen explicitly (see test_tasks_* below).
INLINE_TASKS = {"SAFERPLACES_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}


@pytest.fixture(scope="module")
def built_assets() -> Path:
    if not (BUILD / "app" / "app.css").is_file():
        pytest.fail(
            "Front-end assets are not built: run `npm ci && npm run build` (or `make assets`).",
            pytrace=False,
        )
    return BUILD


def _probe(env: dict[str, str | None]) -> dict:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    merged = {k: v for k, v in {**clean, **env}.items() if v is not None}
    result = subprocess.run(
        [sys.executable, str(PROBE)],
        cwd=ROOT,
        env=merged,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def _ok(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]


def test_production_collectstatic_then_public_and_staff_pages(
    tmp_path: Path, built_assets: Path
) -> None:
    static_root = tmp_path / "static"
    env: dict[str, str | None] = {
        **PRODUCTION,
        **INLINE_TASKS,
        "ALLOWED_HOSTS": "testserver",
        "SAFERPLACES_DATA_DIR": str(tmp_path / "data"),
        "SAFERPLACES_STATIC_ROOT": str(static_root),
        "DATABASE_URL": None,  # the embedded SQLite database in the temporary data folder
    }
    _ok(_manage("collectstatic", "--noinput", env=env))
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    assert "app/app.css" in manifest
    assert "govuk/govuk-frontend.min.js" in manifest
    _ok(_manage("migrate", "--noinput", env=env))

    pages = _probe(env)
    assert pages["debug"] is False
    assert pages["storage"].endswith("ManifestStaticFilesStorage")
    for name in ("home", "sign_in", "staff_home"):
        assert pages[name]["status"] == 200, (name, pages[name]["body"][-3000:])
        # Hashed file names from the manifest, not the plain ones.
        css = f"/static/{manifest['app/app.css']}"
        assert css in pages[name]["body"], name
    assert "Probe Community Safety Partnership" in pages["home"]["body"]
    assert "What needs your attention" in pages["staff_home"]["body"]
    for path, page in {**pages["cycle"], **pages["public"]}.items():
        assert page["status"] == 200, (path, page["body"][-3000:])
        assert f"/static/{manifest['app/app.css']}" in page["body"], path
    for script in (
        "app/crime-map.js",
        "app/lsoa-picker.js",
        "app/period-filter.js",
        "app/concerns.js",
    ):
        assert script in manifest, script
    assert pages["not_found"]["status"] == 404
    assert "Page not found" in pages["not_found"]["body"]

    # Static files carry the same security headers as pages, HSTS included.
    static = pages["static"]
    assert static["status"] == 200
    for header in ("Content-Security-Policy", "X-Frame-Options", "Strict-Transport-Security"):
        assert static["headers"][header] == pages["home"]["headers"][header], header
    assert static["headers"]["X-Content-Type-Options"] == "nosniff"
    assert "max-age=31536000" in static["headers"]["Strict-Transport-Security"]


def test_production_refuses_to_run_tasks_inside_requests_by_default(tmp_path: Path) -> None:
    env: dict[str, str | None] = {
        **PRODUCTION,
        "SAFERPLACES_DATA_DIR": str(tmp_path),
        "SAFERPLACES_TASKS_BACKEND": None,
    }
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "saferplaces.E001" in result.stderr
    # The WSGI module (what gunicorn imports) refuses too: no silent fallback.
    clean = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    wsgi = subprocess.run(
        [sys.executable, "-c", "import saferplaces.config.wsgi"],
        cwd=ROOT,
        env={
            k: v
            for k, v in {**clean, **env, "PYTHONPATH": str(ROOT / "src")}.items()
            if v is not None
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert wsgi.returncode != 0
    assert "saferplaces.E001" in wsgi.stderr

    # Choosing the immediate backend by name is a decision, not a fallback.
    _ok(_manage("check", env={**env, **INLINE_TASKS}))


def test_data_folder_0700_and_database_0600_when_created(tmp_path: Path) -> None:
    data = tmp_path / "new" / "data"
    env = {"SAFERPLACES_ENV": "development", "SAFERPLACES_DATA_DIR": str(data)}
    env_clean = {**env, "DATABASE_URL": None}
    _ok(_manage("check", env=env_clean))
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "saferplaces.sqlite3").stat().st_mode) == 0o600
    assert stat.S_IMODE((data / "secret_key").stat().st_mode) == 0o600

    # An existing folder of ours is tightened; so is the production database.
    loose = tmp_path / "loose"
    loose.mkdir(mode=0o755)
    loose.chmod(0o755)
    (loose / "saferplaces.sqlite3").touch(mode=0o644)
    (loose / "saferplaces.sqlite3").chmod(0o644)
    prod = {**PRODUCTION, **INLINE_TASKS, "SAFERPLACES_DATA_DIR": str(loose), "DATABASE_URL": None}
    _ok(_manage("check", env=prod))
    assert stat.S_IMODE(loose.stat().st_mode) == 0o700
    assert stat.S_IMODE((loose / "saferplaces.sqlite3").stat().st_mode) == 0o600


def test_make_run_settings_show_the_404_page_not_the_url_list(
    tmp_path: Path, built_assets: Path
) -> None:
    """`make run` (development settings, no SAFERPLACES_DEBUG) must not show Django's debug 404."""
    env = {
        "SAFERPLACES_ENV": "development",
        "SAFERPLACES_DATA_DIR": str(tmp_path),
        "SAFERPLACES_DEBUG": None,
        "DATABASE_URL": None,
        "ALLOWED_HOSTS": "testserver",
    }
    _ok(_manage("migrate", "--noinput", env=env))
    pages = _probe(env)
    assert pages["debug"] is False
    missing = pages["not_found"]
    assert missing["status"] == 404
    assert "Page not found" in missing["body"]
    assert "govuk-generic-header" in missing["body"]
    assert "URLconf" not in missing["body"]
    assert "staff/audit/" not in missing["body"]
    # Static files are still served (WhiteNoise from the build, no collectstatic).
    assert pages["static"]["status"] == 200
    assert pages["home"]["status"] == 200

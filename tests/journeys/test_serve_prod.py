"""The documented production path, tested: `make serve-prod` (scripts/serve-prod.sh) serves the
site with production settings and gunicorn on loopback, and a browser can use it.

The fixture starts the same script `make serve-prod` runs, on a free port, with a temporary data
folder and static root; nothing here touches the test database.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import APIResponse, Browser, Response, expect

from tests.journeys.conftest import (
    DESKTOP,
    REPO_ROOT,
    axe_check,
    expect_reflow,
    save_screenshot,
)

pytestmark = [pytest.mark.journey]

SCRIPT = REPO_ROOT / "scripts" / "serve-prod.sh"
START_TIMEOUT = 120  # collectstatic and migrate on a busy two-core machine


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def serve_prod(tmp_path_factory: pytest.TempPathFactory, static_build: Path) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("serve-prod")
    port = _free_port()
    leaked = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "SECRET_KEY"}
    env = {k: v for k, v in os.environ.items() if k not in leaked}
    env.update(
        BIN=str(Path(sys.executable).parent),
        PORT=str(port),
        SAFERPLACES_DATA_DIR=str(folder / "data"),
        SAFERPLACES_STATIC_ROOT=str(folder / "static"),
        GUNICORN_WORKERS="1",
    )
    log = (folder / "serve-prod.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - our own script
        [str(SCRIPT)],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"

    def output() -> str:
        return (folder / "serve-prod.log").read_text()

    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"serve-prod stopped:\n{output()}")
            try:
                with urllib.request.urlopen(url + "/", timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"serve-prod did not answer:\n{output()}")
            time.sleep(0.5)
        yield url
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()
    assert (folder / "data" / "secret_key").stat().st_mode & 0o077 == 0


def _expect_security_headers(response: Response | APIResponse | None) -> dict[str, str]:
    assert response is not None
    headers = response.all_headers() if isinstance(response, Response) else response.headers
    assert "base-uri 'none'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "unsafe-inline" not in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert headers["server"].startswith("gunicorn")
    return headers


def test_serve_prod_serves_the_public_home_and_sign_in(browser: Browser, serve_prod: str) -> None:
    context = browser.new_context(viewport=DESKTOP, locale="en-GB", service_workers="block")
    context.route(
        re.compile(r"^(?!https?://(localhost|127\.0\.0\.1)[:/]).*"), lambda route: route.abort()
    )
    page = context.new_page()
    static: list[Response] = []
    page.on("response", lambda r: static.append(r) if "/static/" in r.url else None)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page_headers = _expect_security_headers(page.goto(serve_prod + "/"))
        expect(page.get_by_role("heading", level=1)).to_contain_text("SaferPlaces")
        expect(page.get_by_role("link", name="Staff sign in")).to_be_visible()
        # The stylesheet and scripts load, with hashed names from collectstatic's manifest.
        page.wait_for_load_state("networkidle")
        assert page.evaluate("() => document.body.classList.contains('js-enabled')")
        font = page.evaluate("() => getComputedStyle(document.querySelector('h1')).fontFamily")
        assert "arial" in font.lower(), font
        names = {r.url.rsplit("/static/", 1)[1]: r for r in static}
        assert any(re.fullmatch(r"app/app\.[0-9a-f]{12}\.css", name) for name in names), names
        assert any(re.fullmatch(r"app/init\.[0-9a-f]{12}\.js", name) for name in names), names
        failed = [f"{r.status} {r.url}" for r in static if r.status >= 400]
        assert not failed, failed
        for response in static:
            headers = _expect_security_headers(response)
            assert headers["content-security-policy"] == page_headers["content-security-policy"]
        save_screenshot(page, "serve-prod-home")
        expect_reflow(page, name="serve-prod-home")
        axe_check(page)

        page.get_by_role("link", name="Staff sign in").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
        _expect_security_headers(page.context.request.get(page.url))
        # The production cookies (Secure, __Host- names) work on loopback: the form posts.
        page.get_by_label("E-mail address").fill("nobody@example.org")
        page.get_by_label("Password", exact=True).fill("not the password")
        page.get_by_role("button", name="Sign in").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Enter a correct e-mail address and password"
        )
        save_screenshot(page, "serve-prod-sign-in")
        expect_reflow(page, name="serve-prod-sign-in")
        axe_check(page)
        assert not errors, errors
    finally:
        context.close()

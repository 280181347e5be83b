"""Browser journeys: Playwright (sync API) driving Debian's chromium, with axe-core checks.

Run with ``.venv/bin/pytest -m journey tests/journeys -q``. Needs the built front-end assets
(``npm ci && npm run build``) and ``/usr/bin/chromium`` (``apt-get install chromium``). Never run
``playwright install``: we use the distribution's browser so no binary is downloaded at test time.

See docs/testing.md ("Browser journeys") for how to read axe failures and the screenshots.
"""

from __future__ import annotations

import json
import os
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio event loop in this thread; Django would otherwise refuse
# database access from the test body ("You cannot call this from an async context").
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import (  # noqa: E402
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Response,
    sync_playwright,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
STATIC_BUILD = REPO_ROOT / "build" / "static"
AXE_JS = STATIC_BUILD / "axe" / "axe.min.js"
SCREENSHOTS = REPO_ROOT / "test-results" / "screenshots"

CHROMIUM = Path(os.environ.get("SAFERPLACES_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# WCAG 1.4.10 Reflow: content must fit 320 CSS px without scrolling in two directions.
NARROW = {"width": 320, "height": 720}

# WCAG 2.0, 2.1 and 2.2 at levels A and AA: the standard the Public Sector Bodies Accessibility
# Regulations and GDS monitoring apply.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
AXE_FAILING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="session")
def static_build() -> Path:
    """The compiled front-end assets; the live server serves them at /static/."""
    needed = [STATIC_BUILD / "app" / "app.css", STATIC_BUILD / "app" / "init.js", AXE_JS]
    missing = [str(path.relative_to(REPO_ROOT)) for path in needed if not path.is_file()]
    if missing:
        pytest.fail(
            f"Front-end assets are not built (missing {', '.join(missing)}). "
            "Run `npm ci && npm run build` at the repository root, then run the journeys again.",
            pytrace=False,
        )
    return STATIC_BUILD


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright, static_build: Path) -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail(
            f"{CHROMIUM} not found. Install Debian's browser with "
            "`apt-get install -y chromium` (do not run `playwright install`).",
            pytrace=False,
        )
    browser = playwright_instance.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@dataclass
class PageProblems:
    """What the browser complained about while a page was open (reported, not swallowed)."""

    console_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    missing_icons: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)


@dataclass
class Journey:
    """A browser context on the live server, with helpers shared by every journey."""

    browser: Browser
    context: BrowserContext
    page: Page
    base_url: str
    problems: PageProblems
    viewport: dict[str, int]
    javascript: bool

    def url(self, path: str) -> str:
        return self.base_url + path

    def check(self, name: str) -> None:
        """Screenshot the current page as ``<name>.png``, check it reflows at 320 px
        (``expect_reflow``) and fail on serious axe violations."""
        save_screenshot(self.page, name)
        expect_reflow(self.page, name=name)
        if self.javascript:
            axe_check(self.page)
            return
        # axe cannot run where JavaScript is off. Open the same page, with the same session, in a
        # context that has JavaScript but whose copies of our scripts are empty: the DOM is then
        # the one the no-JavaScript user got (no js-enabled class, nothing enhanced).
        shadow = self.browser.new_context(
            viewport=self.viewport, storage_state=self.context.storage_state()
        )
        try:
            shadow.route(
                re.compile(r".*/static/(app/init\.js|govuk/govuk-frontend\.min\.js)$"),
                lambda route: route.fulfill(body="", content_type="text/javascript"),
            )
            page = shadow.new_page()
            page.goto(self.page.url)
            assert not page.evaluate("() => document.body.classList.contains('js-enabled')"), (
                "the no-JavaScript copy of the page was enhanced"
            )
            axe_check(page)
        finally:
            shadow.close()


REFLOW_SCRIPT = """() => {
    const root = document.documentElement;
    const regions = [...document.querySelectorAll('.app-table-scroll')].map((el) => ({
        role: el.getAttribute('role'), label: el.getAttribute('aria-label'),
        tabindex: el.getAttribute('tabindex'),
    }));
    // What sticks out, to say where the problem is (outside the labelled scroll regions).
    const wide = [...document.body.querySelectorAll('*')]
        .filter((el) => !el.closest('.app-table-scroll'))
        .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1)
        .slice(0, 5)
        .map((el) => el.tagName.toLowerCase() + (el.getAttribute('class') ? '.' +
            el.getAttribute('class').trim().split(/\\s+/).join('.') : '') + ' ' +
            Math.round(el.getBoundingClientRect().right));
    return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, regions, wide};
}"""


def expect_reflow(page: Page, *, name: str | None = None) -> None:
    """WCAG 1.4.10: at 320 CSS px nothing scrolls sideways except a table in its own region.

    Resizes the page to 320 px wide, measures ``document.documentElement.scrollWidth``, saves a
    ``<name>-320.png`` screenshot when ``name`` is given, and puts the viewport back. Every
    ``.app-table-scroll`` region must be labelled and keyboard-focusable.
    """
    before = page.viewport_size
    page.set_viewport_size(NARROW)
    try:
        page.wait_for_function("() => document.documentElement.clientWidth <= 320")
        measured = page.evaluate(REFLOW_SCRIPT)
        if name:
            save_screenshot(page, f"{name}-320")
    finally:
        if before:
            page.set_viewport_size(before)
    assert measured["scrollWidth"] <= NARROW["width"], (
        f"{page.url} is {measured['scrollWidth']} px wide at {NARROW['width']} px "
        f"(scrolls sideways); widest: {measured['wide']}"
    )
    for region in measured["regions"]:
        needs = f"{page.url}: a table scroll region needs role=region, aria-label and tabindex=0"
        assert region["role"] == "region", f"{needs}: {region}"
        assert region["label"], f"{needs}: {region}"
        assert region["tabindex"] == "0", f"{needs}: {region}"


def _watch(page: Page, problems: PageProblems) -> None:
    def on_console(message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        text = message.text
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            problems.csp_violations.append(text)
        elif "Failed to load resource" not in text:  # reported once, with the URL, below
            problems.console_errors.append(text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.page_errors.append(str(error)))

    def on_response(response: Response) -> None:
        if response.status < 400 or "/static/" not in response.url:
            return
        # Favicons and the web manifest load as type "other": a missing one is a branding
        # problem, not a broken page, so it is reported as a warning rather than a failure.
        if response.request.resource_type == "other":
            problems.missing_icons.append(f"{response.status} {response.url}")
        else:
            problems.failed_requests.append(
                f"{response.status} {response.request.resource_type} {response.url}"
            )

    page.on("response", on_response)


@pytest.fixture
def open_journey(browser: Browser, live_server) -> Iterator[Callable[..., Journey]]:
    """Factory: ``open_journey(viewport=PHONE, javascript=False)`` gives a fresh browser context.

    Contexts keep the real Content-Security-Policy (no ``bypass_csp``): axe-core is loaded from
    /static/ like any other script, which 'self' allows, so a CSP violation in our own pages still
    shows up as a failure.
    """
    contexts: list[tuple[BrowserContext, PageProblems]] = []

    def make(*, viewport: dict[str, int] = DESKTOP, javascript: bool = True) -> Journey:
        context = browser.new_context(
            viewport=viewport,
            java_script_enabled=javascript,
            locale="en-GB",
            timezone_id="Europe/London",
            service_workers="block",
        )
        context.set_default_timeout(10_000)
        # No network in tests: anything not on the live server is refused.
        context.route(
            re.compile(r"^(?!https?://(localhost|127\.0\.0\.1)[:/]).*"),
            lambda route: route.abort(),
        )
        page = context.new_page()
        problems = PageProblems()
        _watch(page, problems)
        contexts.append((context, problems))
        return Journey(
            browser=browser,
            context=context,
            page=page,
            base_url=live_server.url,
            problems=problems,
            viewport=viewport,
            javascript=javascript,
        )

    yield make

    for context, problems in contexts:
        context.close()
        # Do not hide what the browser reported: failing static files or CSP violations mean a
        # page behaves differently in production than it looks here.
        if problems.missing_icons:
            warnings.warn(f"Icons not found: {sorted(set(problems.missing_icons))}", stacklevel=1)
        assert not problems.failed_requests, f"Static files failed: {problems.failed_requests}"
        assert not problems.csp_violations, f"CSP violations: {problems.csp_violations}"
        assert not problems.page_errors, f"JavaScript errors: {problems.page_errors}"


def _format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe-core found {len(violations)} serious/critical violation(s) on {url}:"]
    for violation in violations:
        lines.append("")
        lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"][:10]:
            lines.append(f"    - {' '.join(node['target'])}")
            lines.append(f"      {node['html'][:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n        ")
            if summary:
                lines.append(f"        {summary}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    ... and {len(violation['nodes']) - 10} more")
    return "\n".join(lines)


def save_screenshot(page: Page, name: str) -> Path:
    """Full-page PNG in test-results/screenshots/<name>.png (overwritten on every run)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def axe_check(page: Page, *, name: str | None = None) -> list[dict]:
    """Run axe-core (WCAG 2.0/2.1/2.2 A and AA) on the current page; fail on serious/critical.

    Also saves a full-page screenshot (``save_screenshot``) when ``name`` is given. Returns the
    minor/moderate violations so a journey can print them if it wants to.

    axe.min.js is added as ``<script src="/static/axe/axe.min.js">`` from the live server, so the
    page's CSP (script-src 'self') allows it and we never need ``bypass_csp``. (``add_script_tag(
    path=...)`` would inline the file, which the CSP correctly blocks.) A page opened with
    JavaScript disabled cannot run axe: check it in a JavaScript-enabled context instead.
    """
    if name:
        save_screenshot(page, name)

    if not page.evaluate("() => typeof window.axe === 'object'"):
        origin = page.evaluate("() => window.location.origin")
        page.add_script_tag(url=f"{origin}/static/axe/axe.min.js")
    results = page.evaluate(
        """async (tags) => {
            const results = await window.axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            return results.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({
                    target: n.target.map(String), html: n.html, failureSummary: n.failureSummary,
                })),
            }));
        }""",
        AXE_TAGS,
    )
    failing = [v for v in results if v["impact"] in AXE_FAILING_IMPACTS]
    others = [v for v in results if v["impact"] not in AXE_FAILING_IMPACTS]
    if others:
        print(f"axe-core minor/moderate on {page.url}:", json.dumps([v["id"] for v in others]))
    assert not failing, _format_violations(page.url, failing)
    return others


@pytest.fixture(name="axe_check")
def axe_check_fixture() -> Callable[..., list[dict]]:
    return axe_check

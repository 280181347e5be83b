"""Load benchmark: residents' public forms under concurrent clients, on SQLite and PostgreSQL.

For each database the benchmark prepares a fresh site (SQLite in a temporary data folder, or a
throwaway PostgreSQL database with a unique name, dropped afterwards), starts the production
server exactly as ``make serve-prod`` does (``scripts/serve-prod.sh``: production settings,
``collectstatic``, ``migrate``, gunicorn bound to 127.0.0.1), makes the demo partnership
(``saferplaces_setup_demo``) and its open survey and report form, then lets ``--clients``
threads, each with its own cookie jar like a browser, work through a shuffled queue of
``--reports`` reports of a concern (the whole multi-page flow) and ``--responses`` survey
responses. Every page is fetched, its form read with :mod:`html.parser` (CSRF token, the
idempotency ``submission_key``, the questions) and posted back as a browser would.

A share of final submissions is sent twice with the same key: once again after the first answer
(a retry or a resubmitted page), and at the same moment from two threads (a double click). At the
end the database is read: every submission the clients saw confirmed must be stored exactly once
under its key (none lost, none duplicated), and no other rows may appear.

Run: ``python -m benchmarks.load [--db sqlite|postgres|both] [--reports 1000]
[--responses 5000] [--clients 20] [--workers N]``; prints a markdown section (progress on
stderr). ``make bench`` runs it through ``benchmarks.run``.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import math
import os
import platform
import queue
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SERVE_PROD = REPO / "scripts" / "serve-prod.sh"
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
# All clients share 127.0.0.1, so the per-address limit (60 posts an hour by default) would
# refuse nearly everything: the benchmark raises it, and says so in its output.
RATE = "1000000/h"
START_TIMEOUT = 300.0  # collectstatic and migrate on a busy two-core machine
REQUEST_TIMEOUT = 120.0
CONFIRMATION = "govuk-panel--confirmation"
ERROR_SUMMARY = "govuk-error-summary"
HONEYPOT = "website"
KEY = "submission_key"


def _log(message: str) -> None:
    sys.stderr.write(f"[load {time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


# --------------------------------------------------------------------------------------------
# HTML forms (pure)


@dataclass(slots=True)
class Field:
    """One control of a form: ``kind`` is the input type, ``select`` or ``textarea``."""

    kind: str
    name: str
    value: str = ""
    checked: bool = False
    options: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Form:
    """A form as a browser sees it: where it posts and its controls in page order."""

    action: str
    method: str
    enctype: str = ""
    fields: list[Field] = field(default_factory=list)

    def names(self) -> set[str]:
        return {f.name for f in self.fields if f.name}

    def value(self, name: str) -> str | None:
        for f in self.fields:
            if f.name == name and f.kind not in {"radio", "checkbox", "submit"}:
                return f.value
        return None


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._option: str | None = None
        self._option_text: list[str] = []
        self._textarea: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = Form(
                action=a.get("action", ""),
                method=(a.get("method") or "get").lower(),
                enctype=a.get("enctype", ""),
            )
            self.forms.append(self._form)
            return
        if self._form is None or "disabled" in a:
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            value = a.get("value", "on" if kind in {"radio", "checkbox"} else "")
            self._form.fields.append(Field(kind, a.get("name", ""), value, "checked" in a))
        elif tag == "button":
            kind = (a.get("type") or "submit").lower()
            if kind == "submit":
                self._form.fields.append(Field("submit", a.get("name", ""), a.get("value", "")))
        elif tag == "select":
            self._select = Field("select", a.get("name", ""))
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = a.get("value")
            self._option_text = []
            if "selected" in a:
                self._select.value = a.get("value", "")
        elif tag == "textarea":
            self._textarea = Field("textarea", a.get("name", ""))
            self._form.fields.append(self._textarea)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data
        if self._option is not None or self._select is not None:
            self._option_text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "option" and self._select is not None:
            value = self._option if self._option is not None else "".join(self._option_text)
            self._select.options.append(value.strip())
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def parse_forms(html: str) -> list[Form]:
    """Every form on a page with its controls."""
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def main_form(forms: list[Form]) -> Form | None:
    """The page's question form: a POST form, the one with the idempotency key if any,
    else the one with the most controls (not the sign-out or cookie-banner forms)."""
    posts = [f for f in forms if f.method == "post"]
    if not posts:
        return None
    keyed = [f for f in posts if KEY in f.names()]
    return max(keyed or posts, key=lambda f: len(f.fields))


def error_summary(html: str) -> str:
    """The messages of a GOV.UK error summary, joined: why a form refused the answers."""
    match = re.search(r'govuk-error-summary__list">(.*?)</ul>', html, re.S)
    if not match:
        return "an error summary"
    items = re.findall(r"<li>(.*?)</li>", match.group(1), re.S)
    return "; ".join(" ".join(re.sub(r"<[^>]+>", " ", i).split()) for i in items)


RANKING = re.compile(r"^(q\d+)_.+$")
QUESTION = re.compile(r"^q\d+$")  # a survey's question, answered in a text box


def fill(
    form: Form, rng: random.Random, answers: dict[str, str | list[str]] | None = None
) -> list[tuple[str, str]]:
    """What a person answering at random would send: hidden values kept, the honeypot empty,
    one option per radio group, one box per checkbox group, a line of text in text areas and
    in a survey question's text box (``q<n>``); other text boxes keep their value.

    ``answers`` fixes a field's value(s) by name (a list repeats the name). Groups of fields
    named ``q<n>_<option>`` (a ranking question) get the ranks 1..n in a random order, each once.
    The first named submit button is sent, as the button a person presses.
    """
    answers = answers or {}
    out: list[tuple[str, str]] = []
    done: set[str] = set()
    groups: dict[str, list[Field]] = {}
    for f in form.fields:
        if f.name:
            groups.setdefault(f.name, []).append(f)
    ranking: dict[str, list[str]] = {}
    for name, members in groups.items():
        match = RANKING.match(name)
        if match and members[0].kind in {"select", "number", "text"} and name not in answers:
            ranking.setdefault(match.group(1), []).append(name)
    ranks: dict[str, str] = {}
    for names in ranking.values():
        if len(names) < 2:
            continue
        order = list(range(1, len(names) + 1))
        rng.shuffle(order)
        ranks.update({n: str(r) for n, r in zip(names, order, strict=True)})
    pressed = False
    for f in form.fields:
        name = f.name
        if not name or name in done:
            continue
        if f.kind == "submit":
            if not pressed:
                out.append((name, f.value))
                pressed = True
            continue
        if name == HONEYPOT:
            out.append((name, ""))
            done.add(name)
            continue
        if name in answers:
            given = answers[name]
            out += [(name, v) for v in (given if isinstance(given, list) else [given])]
            done.add(name)
            continue
        if name in ranks:
            out.append((name, ranks[name]))
            done.add(name)
            continue
        members = groups[name]
        if f.kind in {"radio", "checkbox"}:
            values = [m.value for m in members if m.kind == f.kind]
            out.append((name, rng.choice(values)))
        elif f.kind == "select":
            options = [o for o in f.options if o] or [""]
            out.append((name, rng.choice(options)))
        elif f.kind in {"hidden", "file", "image", "reset", "button"}:
            if f.kind == "hidden":
                out.append((name, f.value))
        elif f.kind == "textarea" or (f.kind in {"text", "search"} and QUESTION.match(name)):
            out.append((name, f.value or "Load test: a group gathers by the shops at night."))
        elif f.kind in {"text", "search"}:
            # Other text boxes (a date's day, a map pin's latitude) are often revealed only by
            # another answer: a person leaves them as they are unless told (``answers``).
            out.append((name, f.value))
        elif f.kind == "number":
            out.append((name, f.value or "1"))
        elif f.kind == "email":
            out.append((name, f.value or "resident@example.org"))
        else:
            out.append((name, f.value))
        done.add(name)
    return out


# --------------------------------------------------------------------------------------------
# Figures (pure)


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank ``q``-th percentile (0 < q <= 100); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def latency(values: list[float]) -> dict[str, float]:
    """p50, p95 and max of ``values`` (seconds)."""
    return {
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "max": max(values) if values else float("nan"),
        "n": len(values),
    }


def exactly_once(confirmed: set[str], unconfirmed: set[str], stored: list[str | None]) -> dict:
    """Compare the keys the clients sent with the keys of the rows the load added.

    ``confirmed``: keys whose submission the client saw confirmed; ``unconfirmed``: keys sent
    whose answer was an error (each may be stored once or not at all); ``stored``: the key of
    every row added during the load (None for a row stored without a key).
    """
    counts = Counter(stored)
    sent = confirmed | unconfirmed
    return {
        "confirmed": len(confirmed),
        "rows": len(stored),
        "lost": sorted(confirmed - set(counts)),
        "duplicated": sorted(k for k, n in counts.items() if k is not None and n > 1),
        "unknown": sorted(str(k) for k in counts if k is None or k not in sent),
        "unconfirmed_stored": len(unconfirmed & set(counts)),
        "unconfirmed": len(unconfirmed),
    }


# --------------------------------------------------------------------------------------------
# A browser-like client


@dataclass(slots=True)
class Reply:
    method: str
    path: str
    status: int
    location: str
    body: str
    seconds: float


class ErrorLog:
    """Answers outside 2xx/3xx and transport failures, shared by every client."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.counts: Counter[str] = Counter()
        self.requests = 0

    def count(self, what: str | None) -> None:
        with self._lock:
            self.requests += 1
            if what:
                self.counts[what] += 1


def _template(path: str) -> str:
    """A path with ids folded, so errors group by page: /surveys/<id>/."""
    path = path.split("?", 1)[0]
    return re.sub(r"/[0-9a-f-]{32,36}(?=/|$)|/\d+(?=/|$)", "/<id>", path)


class Client:
    """One resident's browser: its own cookie jar, forms posted with their CSRF token.

    Browsers treat http://127.0.0.1 as a secure context and keep ``Secure`` cookies for it
    (production names them ``__Host-…``); this jar does the same.
    """

    def __init__(self, host: str, port: int, errors: ErrorLog) -> None:
        self.host, self.port, self.errors = host, port, errors
        self.cookies: dict[str, str] = {}
        self._lock = threading.Lock()

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _store_cookies(self, headers: list[str]) -> None:
        with self._lock:
            for header in headers:
                pair, *attrs = header.split(";")
                name, _, value = pair.strip().partition("=")
                gone = any(a.strip().lower() in {"max-age=0"} for a in attrs) or (
                    value in {"", '""'}
                )
                if gone:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value

    def request(
        self, method: str, path: str, fields: list[tuple[str, str]] | None = None,
        referer: str | None = None,
    ) -> Reply:  # fmt: skip
        body = urllib.parse.urlencode(fields or []).encode() if method == "POST" else None
        with self._lock:
            cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers = {
            "Host": f"{self.host}:{self.port}",
            "User-Agent": "SaferPlaces load benchmark",
            "Accept": "text/html",
        }
        if cookie:
            headers["Cookie"] = cookie
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
        if referer:
            headers["Referer"] = self.origin + referer
        started = time.perf_counter()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
        except (OSError, http.client.HTTPException) as error:
            self.errors.count(f"{method} {_template(path)}: {type(error).__name__}")
            raise
        finally:
            connection.close()
        seconds = time.perf_counter() - started
        self._store_cookies(response.headers.get_all("Set-Cookie") or [])
        status = response.status
        self.errors.count(None if status < 400 else f"{method} {_template(path)}: {status}")
        location = response.headers.get("Location", "")
        if location.startswith(self.origin):
            location = location[len(self.origin) :]
        return Reply(method, path, status, location, text, seconds)

    def follow(self, reply: Reply, limit: int = 5) -> Reply:
        """GET redirect targets until a page (a browser after a POST)."""
        while reply.status in {301, 302, 303, 307, 308} and reply.location and limit:
            target = urllib.parse.urljoin(reply.path, reply.location)
            reply = self.request("GET", target, referer=reply.path)
            limit -= 1
        return reply


# --------------------------------------------------------------------------------------------
# Flows


class FlowError(Exception):
    """A flow could not be completed as a person would (an error page, a form it cannot fill)."""


@dataclass(slots=True)
class Outcome:
    """What one submission's flow saw."""

    form: str
    key: str | None = None
    confirmed: bool = False
    flow_seconds: float = 0.0
    final_seconds: list[float] = field(default_factory=list)
    repost: str = ""  # "", "after" or "together"
    repost_ok: bool = True
    failure: str = ""


@dataclass(frozen=True, slots=True)
class FlowSpec:
    """One public form: where a person starts, how to answer, where its rows are stored."""

    name: str
    title: str
    start: str  # path of the first page
    model: str  # app_label.ModelName of the stored submission
    # The answers a person gives to fields that need a particular value (by field name; a list
    # repeats the name, an empty list sends nothing); other fields are answered at random.
    answers: Callable[[random.Random], dict[str, str | list[str]]] = lambda rng: {}
    is_final: Callable[[Reply, Form], bool] = lambda reply, form: KEY in form.names()
    max_pages: int = 25


def run_flow(client: Client, spec: FlowSpec, rng: random.Random, outcome: Outcome) -> Outcome:
    """Answer one form from its first page to the confirmation panel, as a person would.

    ``outcome.repost``: "after" sends the final submission again with the same key once its
    answer came back; "together" sends it twice at the same moment from two threads. The
    outcome is filled as the flow goes, so a failure keeps the key it had sent.
    """
    repost = outcome.repost
    began = time.perf_counter()
    reply = client.follow(client.request("GET", spec.start))
    for _ in range(spec.max_pages):
        if reply.status >= 400:
            raise FlowError(f"{reply.status} on {reply.method} {_template(reply.path)}")
        if CONFIRMATION in reply.body:
            outcome.confirmed = True
            break
        form = main_form(parse_forms(reply.body))
        if form is None:
            raise FlowError(f"no form on {_template(reply.path)}")
        fields = fill(form, rng, spec.answers(rng))
        action = urllib.parse.urljoin(reply.path, form.action or reply.path)
        final = spec.is_final(reply, form)
        if final:
            outcome.key = dict(fields).get(KEY)
        page = reply.path
        if final and repost == "together":
            replies = _together(client, action, fields, page)
            outcome.final_seconds += [r.seconds for r in replies]
            first, second = replies
            outcome.repost_ok = second.status < 400
        else:
            first = client.request("POST", action, fields, referer=page)
            if final:
                outcome.final_seconds.append(first.seconds)
        if final and repost == "after":
            again = client.request("POST", action, fields, referer=page)
            outcome.final_seconds.append(again.seconds)
            outcome.repost_ok = again.status < 400
        if first.status == 200 and ERROR_SUMMARY in first.body:
            sent = sorted({n for n, _ in fields} - {"csrfmiddlewaretoken"})
            raise FlowError(
                f"{_template(page)} refused the answers ({error_summary(first.body)}; "
                f"sent {', '.join(sent)})"
            )
        reply = client.follow(first)
    else:
        raise FlowError(f"no confirmation after {spec.max_pages} pages")
    outcome.flow_seconds = time.perf_counter() - began
    return outcome


def _together(client: Client, action: str, fields: list[tuple[str, str]], page: str) -> list:
    """Two POSTs of the same body at the same moment (a double click), both answers."""
    barrier = threading.Barrier(2)
    replies: list[Reply | BaseException] = [RuntimeError("not sent")] * 2

    def send(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            replies[i] = client.request("POST", action, fields, referer=page)
        except BaseException as error:  # noqa: BLE001 - reported below as the flow's failure
            replies[i] = error

    threads = [threading.Thread(target=send, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for r in replies:
        if isinstance(r, BaseException):
            raise FlowError(f"double click: {type(r).__name__}: {r}")
    return replies  # type: ignore[return-value]


# --------------------------------------------------------------------------------------------
# The site under test

FLOWS_NOTE = "(the public flows are described in the concerns and surveys apps)"


def _surveys_spec(client: Client) -> FlowSpec:
    """The demo's open public survey, found on /surveys/ as a resident would."""
    listing = client.request("GET", "/surveys/")
    found = re.findall(r'href="(/surveys/[0-9a-f-]{36}/)"', listing.body)
    if listing.status != 200 or not found:
        raise FlowError(f"no open survey on /surveys/ (status {listing.status})")
    return FlowSpec(
        name="survey",
        title="survey responses",
        start=found[0],
        model="surveys.Response",
    )


# Real North West Leicestershire postcodes (the demo partnership), as a resident types them.
POSTCODES = ("LE65 1AA", "LE67 3AA", "LE67 5AA", "LE12 5BA", "DE74 0AE")


def _concern_answers(rng: random.Random) -> dict[str, str | list[str]]:
    """A place by postcode, an ongoing problem, anonymous: the path most residents take."""
    return {
        "method": "postcode",
        "postcode": rng.choice(POSTCODES),
        "when": "ongoing",
        "anonymous": "yes",
        "name": "",
        "email": "",
        "phone": "",
        "consent": [],
        "place_description": "",
        "latitude": "",
        "longitude": "",
    }


def _concerns_spec(client: Client) -> FlowSpec:
    """Report a concern: what, where, when, description, photo (none), contact, check, send."""
    return FlowSpec(
        name="concern",
        title="reports of a concern",
        start="/concerns/what/",
        model="concerns.Concern",
        answers=_concern_answers,
        is_final=lambda reply, form: reply.path.rstrip("/").endswith("/check"),
    )


@dataclass(slots=True)
class Site:
    """A running production server with its own database."""

    db: str
    port: int
    env: dict[str, str]
    workers: int
    process: subprocess.Popen | None = None
    log_path: Path | None = None
    pg_name: str | None = None

    def manage(self, *args: str, timeout: float = 600) -> str:
        done = subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, str(REPO / "manage.py"), *args], cwd=REPO, env=self.env,
            capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed: {done.stderr[-2000:]}")
        return done.stdout

    def log_tail(self, lines: int = 20) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres(action: str, name: str) -> None:
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as connection:
        if action == "create":
            connection.execute(f'CREATE DATABASE "{name}"')  # a name made below, not input
        else:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def running_site(db: str, workers: int, tmp: Path, static_root: Path) -> Iterator[Site]:
    """Start ``scripts/serve-prod.sh`` on a fresh database; stop it and drop the database after."""
    data = tmp / f"data-{db}"
    port = _free_port()
    leaked = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "SECRET_KEY"}
    env = {k: v for k, v in os.environ.items() if k not in leaked}
    env.update(
        BIN=str(Path(sys.executable).parent),
        PORT=str(port),
        SAFERPLACES_ENV="production",
        SAFERPLACES_DATA_DIR=str(data),
        SAFERPLACES_STATIC_ROOT=str(static_root),
        SECRET_KEY=secrets.token_urlsafe(64),
        GUNICORN_WORKERS=str(workers),
        SAFERPLACES_PUBLIC_FORM_RATE=RATE,
        SAFERPLACES_SSL_REDIRECT="0",
        # Confirmation e-mails stay in the worker's memory: no SMTP server on the machine.
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        # What serve-prod.sh chooses without django-tasks-db, chosen here too for manage.py.
        SAFERPLACES_TASKS_BACKEND=os.environ.get(
            "SAFERPLACES_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"
        ),
        PYTHONPATH=str(REPO / "src"),
    )
    site = Site(db=db, port=port, env=env, workers=workers, log_path=tmp / f"serve-{db}.log")
    if db == "postgres":
        site.pg_name = f"saferplaces_load_{uuid.uuid4().hex[:12]}"
        _postgres("create", site.pg_name)
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{site.pg_name}"
    log = site.log_path.open("w")  # type: ignore[union-attr]
    try:
        _log(f"{db}: starting scripts/serve-prod.sh on port {port} with {workers} workers")
        site.process = subprocess.Popen(  # noqa: S603 - our own script
            [str(SERVE_PROD)], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        _wait_until_up(site)
        yield site
    finally:
        if site.process is not None and site.process.poll() is None:
            os.killpg(site.process.pid, signal.SIGTERM)
            try:
                site.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(site.process.pid, signal.SIGKILL)
                site.process.wait()
        log.close()
        # The server's log outlives the temporary folder, for reading when a run fails.
        kept = Path(tempfile.gettempdir()) / f"saferplaces-load-{db}.log"
        shutil.copyfile(site.log_path, kept)  # type: ignore[arg-type]
        _log(f"{db}: server log kept in {kept}")
        if site.pg_name:
            _postgres("drop", site.pg_name)
            _log(f"{db}: dropped database {site.pg_name}")


def _wait_until_up(site: Site) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if site.process is not None and site.process.poll() is not None:
            raise RuntimeError(f"serve-prod stopped:\n{site.log_tail()}")
        try:
            probe = http.client.HTTPConnection("127.0.0.1", site.port, timeout=5)
            probe.request("GET", "/")
            if probe.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            probe.close()
        if time.monotonic() > deadline:
            raise RuntimeError(f"serve-prod did not answer in {START_TIMEOUT:.0f} s")
        time.sleep(0.5)


COUNT_CODE = """
import json, sys
from django.apps import apps
out = {}
for label in sys.argv[1:]:
    model = apps.get_model(label)
    out[label] = [None if k is None else str(k) for k in model._default_manager.values_list(
        "submission_key", flat=True)]
print(json.dumps(out))
"""


def stored_keys(site: Site, models: list[str]) -> dict[str, list[str | None]]:
    """The submission key of every stored row of each model (read through Django)."""
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", "import django; django.setup()\n" + COUNT_CODE, *models],
        cwd=REPO, capture_output=True, text=True, timeout=600,
        env={**site.env, "DJANGO_SETTINGS_MODULE": "saferplaces.config.settings.production"},
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"counting failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# An open public survey like the demo's "Have your say", made through the surveys app's services
# when the demo command has not left one: every kind of question a resident meets, the area and
# the optional equality questions.
SURVEY_CODE = """
from datetime import timedelta
from django.utils import timezone
from saferplaces.accounts.models import Partnership, User
from saferplaces.accounts.permissions import roles_in_partnership
from saferplaces.surveys import services
from saferplaces.surveys.models import Survey
now = timezone.now()
open_now = Survey.objects.filter(access="public", opens_at__lte=now, closes_at__gt=now)
if not open_now.exists():
    partnership = Partnership.objects.get(gss_code="E22000170")
    by = User.objects.get(email="manager@demo.saferplaces.test")
    roles = roles_in_partnership(by, partnership)
    survey = services.survey_create(
        by=by, roles=roles, partnership=partnership, title="Load benchmark survey",
        purpose="Answers sent by the load benchmark.", kind="consultation", access="public",
        opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=30),
        area_question="district", equality_monitoring=True, add_perception_items=True,
    )
    for kind, text, options, required in (
        ("likert", "The partnership listens to residents.", "", True),
        ("multiple", "What worries you most?", "Drugs\\nSpeeding\\nLitter\\nNoise", True),
        ("rating", "Rate street lighting where you live.", "", True),
        ("ranking", "Rank these priorities.", "Violence\\nBurglary\\nAnti-social behaviour", True),
        ("free_text", "Anything else?", "", False),
    ):
        services.question_add(survey=survey, by=by, roles=roles, kind=kind, text=text,
                              options_text=options, required=required)
"""


def prepare(site: Site, *, survey: bool) -> None:
    """The demo partnership, and an open public survey (the demo's, else one made here)."""
    _log(f"{site.db}: the demo partnership" + (" and an open survey" if survey else ""))
    site.manage("saferplaces_setup_demo")
    if survey:
        with contextlib.suppress(RuntimeError):  # absent before the surveys demo is merged
            site.manage("saferplaces_demo_surveys")
        site.manage("shell", "-c", SURVEY_CODE)


# --------------------------------------------------------------------------------------------
# The load


@dataclass(slots=True)
class DbResult:
    db: str
    workers: int
    clients: int
    seconds: float = 0.0
    outcomes: list[Outcome] = field(default_factory=list)
    failures: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    requests: int = 0
    checks: dict[str, dict] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    problem: str = ""
    load_end: float = float("nan")  # 1-minute load average when the load ended


def run_load(
    site: Site, *, reports: int, responses: int, clients: int, after: float, together: float,
    seed: int = 15,
) -> DbResult:  # fmt: skip
    """Shuffle the submissions into one queue and let ``clients`` threads work through it."""
    result = DbResult(site.db, site.workers, clients)
    errors = ErrorLog()
    scout = Client("127.0.0.1", site.port, errors)
    specs: dict[str, FlowSpec] = {}
    if responses:
        specs["survey"] = _surveys_spec(scout)
    if reports:
        specs["concern"] = _concerns_spec(scout)
    result.titles = {k: s.title for k, s in specs.items()}
    before = stored_keys(site, [s.model for s in specs.values()])
    rng = random.Random(seed)
    jobs: list[tuple[str, str]] = [("concern", "")] * reports + [("survey", "")] * responses
    jobs = [(name, _repost(rng, after, together)) for name, _ in jobs]
    rng.shuffle(jobs)
    work: queue.Queue = queue.Queue()
    for i, job in enumerate(jobs):
        work.put((i, *job))
    lock = threading.Lock()
    _log(f"{site.db}: warming up each client once (not measured)")
    _warm_up(site, specs, clients)
    errors.counts.clear()
    errors.requests = 0
    progress = {"done": 0}

    def client_loop(n: int) -> None:
        browser = Client("127.0.0.1", site.port, errors)
        while True:
            try:
                i, name, repost = work.get_nowait()
            except queue.Empty:
                return
            job_rng = random.Random(seed * 1_000_003 + i)
            outcome = Outcome(name, repost=repost)
            try:
                run_flow(browser, specs[name], job_rng, outcome)
            except (FlowError, OSError, http.client.HTTPException) as error:
                outcome.failure = f"{type(error).__name__}: {error}"[:300]
            with lock:
                result.outcomes.append(outcome)
                if outcome.failure:
                    result.failures[f"{name}: {outcome.failure[:160]}"] += 1
                progress["done"] += 1
                if progress["done"] % 500 == 0:
                    _log(f"{site.db}: {progress['done']} of {len(jobs)} submissions")

    began = time.perf_counter()
    threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.perf_counter() - began
    result.errors = errors.counts
    result.requests = errors.requests
    after_keys = stored_keys(site, [s.model for s in specs.values()])
    for name, spec in specs.items():
        added = list((Counter(after_keys[spec.model]) - Counter(before[spec.model])).elements())
        mine = [o for o in result.outcomes if o.form == name]
        confirmed = {o.key for o in mine if o.confirmed and o.key}
        unconfirmed = {o.key for o in mine if not o.confirmed and o.key} - confirmed
        check = exactly_once(confirmed, unconfirmed, added)
        check["submissions"] = len(mine)
        check["after"] = sum(1 for o in mine if o.repost == "after")
        check["together"] = sum(1 for o in mine if o.repost == "together")
        check["repost_refused"] = sum(1 for o in mine if not o.repost_ok)
        check["no_key"] = sum(1 for o in mine if o.confirmed and not o.key)
        result.checks[name] = check
    return result


def _repost(rng: random.Random, after: float, together: float) -> str:
    roll = rng.random()
    if roll < after:
        return "after"
    if roll < after + together:
        return "together"
    return ""


def _warm_up(site: Site, specs: dict[str, FlowSpec], clients: int) -> None:
    """Every worker imports its views and templates before the clock starts."""
    warm = Client("127.0.0.1", site.port, ErrorLog())
    for _ in range(max(clients, 2 * site.workers)):
        for spec in specs.values():
            with contextlib.suppress(OSError, http.client.HTTPException):
                warm.request("GET", spec.start)


# --------------------------------------------------------------------------------------------
# Report


def _ms(seconds: float) -> str:
    return "–" if math.isnan(seconds) else f"{seconds * 1000:,.0f} ms"


def machine_facts() -> dict[str, str]:
    cpu = platform.processor() or "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    gunicorn_version = "?"
    with contextlib.suppress(Exception):
        import gunicorn

        gunicorn_version = gunicorn.__version__
    postgres_version = ""
    with contextlib.suppress(Exception):
        import psycopg

        with psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=5) as connection:
            row = connection.execute("SHOW server_version").fetchone()
            postgres_version = str(row[0]).split()[0] if row else ""
    import sqlite3

    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "python": platform.python_version(),
        "gunicorn": gunicorn_version,
        "postgres": postgres_version,
        "sqlite": sqlite3.sqlite_version,
    }


def render(results: list[DbResult], facts: dict[str, str], args: argparse.Namespace) -> str:
    """The markdown section: what was run, stored exactly once?, latency and throughput."""
    workers = results[0].workers if results else args.workers
    db_names = {
        "sqlite": f"SQLite {facts['sqlite']}",
        "postgres": f"PostgreSQL {facts['postgres']}",
    }
    lines = [
        "## Residents' forms under load",
        "",
        f"Measured {facts['date']} on {facts['cpu']}, {facts['cores']} cores (the clients run on "
        f"the same machine as the server); load average {facts['load_start']} at the start, "
        f"{facts['load_end']} at the end. {args.clients} concurrent clients (threads, each with "
        "its own cookie jar) fetch every page and post its form back as a browser does (CSRF "
        "token, idempotency key, empty honeypot) to the production server started by "
        f"`scripts/serve-prod.sh` (gunicorn {facts['gunicorn']}, {workers} sync workers, "
        f"production settings, Python {facts['python']}) on 127.0.0.1, one fresh database per "
        "run. All clients share the address 127.0.0.1, so the per-address limit on public forms "
        f"was raised (`SAFERPLACES_PUBLIC_FORM_RATE={RATE}`); e-mails went to memory. "
        f"{args.after:.0%} of final submissions were sent again with the same key after their "
        f"answer (a retry), {args.together:.0%} twice at the same moment (a double click). "
        f"Database connections: `DATABASE_CONN_MAX_AGE={_conn_max_age()}`"
        + (
            " (a new connection for every request)."
            if _conn_max_age() == "0"
            else " (production's default keeps a connection open between requests)."
        )
        + f" Run: `python -m benchmarks.load --db {args.db} --reports {args.reports} "
        f"--responses {args.responses} --clients {args.clients} --workers {workers}`.",
        "",
        *_busy_note(facts),
        "### Stored exactly once",
        "",
        "| database | form | submissions | same key again (after / at once) | confirmed | rows "
        "stored | lost | duplicated | unexpected rows | flows failed | answers outside 2xx/3xx |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        if r.problem:
            lines.append(f"| {db_names[r.db]} | not measured: {r.problem} | | | | | | | | | |")
            continue
        for name, c in r.checks.items():
            failed = sum(1 for o in r.outcomes if o.form == name and o.failure)
            bad = sum(n for what, n in r.errors.items() if _form_of(what, name))
            lines.append(
                f"| {db_names[r.db]} | {r.titles[name]} | {c['submissions']:,} | "
                f"{c['after']} / {c['together']} | {c['confirmed']:,} | {c['rows']:,} | "
                f"{len(c['lost'])} | {len(c['duplicated'])} | {len(c['unknown'])} | {failed} | "
                f"{bad} |"
            )
    lines += [
        "",
        "### Latency and throughput",
        "",
        "| database | form | final submit POST p50 | p95 | max | whole flow p50 | p95 | max |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        if r.problem:
            continue
        for name in r.checks:
            mine = [o for o in r.outcomes if o.form == name and o.confirmed]
            final = latency([s for o in mine for s in o.final_seconds])
            flow = latency([o.flow_seconds for o in mine])
            lines.append(
                f"| {db_names[r.db]} | {r.titles[name]} | {_ms(final['p50'])} | "
                f"{_ms(final['p95'])} | {_ms(final['max'])} | {_ms(flow['p50'])} | "
                f"{_ms(flow['p95'])} | {_ms(flow['max'])} |"
            )
    lines.append("")
    for r in results:
        if r.problem:
            continue
        done = sum(1 for o in r.outcomes if o.confirmed)
        lines.append(
            f"- {db_names[r.db]}: {len(r.outcomes):,} submissions in {r.seconds:.0f} s: "
            f"{done / max(r.seconds, 1e-9):.1f} confirmed submissions/s, "
            f"{r.requests / max(r.seconds, 1e-9):.0f} "
            f"requests/s ({r.requests:,} requests); 1-minute load average at its end "
            f"{r.load_end:.1f}."
        )
        for what, n in r.errors.most_common(8):
            lines.append(f"  - {n} × {what}")
        for what, n in r.failures.most_common(5):
            lines.append(f"  - flow failed {n} ×: {what}")
        for name, c in r.checks.items():
            if c["lost"] or c["duplicated"] or c["unknown"]:
                lines.append(
                    f"  - {r.titles[name]}: lost {c['lost'][:3]}, duplicated "
                    f"{c['duplicated'][:3]}, unexpected {c['unknown'][:3]}"
                )
            if c["unconfirmed"]:
                lines.append(
                    f"  - {r.titles[name]}: {c['unconfirmed']} sent without a confirmation, "
                    f"{c['unconfirmed_stored']} of them stored (once)"
                )
    return "\n".join(lines) + "\n"


def _conn_max_age() -> str:
    # What the production settings use when the environment does not say.
    return os.environ.get("DATABASE_CONN_MAX_AGE", "60")


def _busy_note(facts: dict[str, str]) -> list[str]:
    """A warning when other work shared the CPUs: the latencies then include waiting for them.

    The run itself keeps every core busy (its server's workers and its clients), so during and
    at the end of a run a 1-minute load average up to twice the cores is its own; above that,
    or above the cores before it began, something else was running.
    """
    cores = int(facts["cores"] or 1)
    before = float(facts["load_start"].split("/")[0])
    during = [float(facts["load_end"].split("/")[0])]
    during += [float(x) for x in facts.get("load_runs", "").split() if x]
    if before <= cores and max(during) <= 2 * cores:
        return []
    return [
        f"> Other work shared the machine during this run (1-minute load average "
        f"{before:.1f} before it and up to {max(during):.1f} during it on {cores} cores; the "
        f"run's own server and clients account for about {cores}), so the latencies include "
        "waiting for the CPU; compare runs only under similar load.",
        "",
    ]


def _form_of(what: str, name: str) -> bool:
    path = what.split(" ", 1)[1] if " " in what else what
    return path.startswith("/surveys/") if name == "survey" else not path.startswith("/surveys/")


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f}/{five:.1f} (1/5 min)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--responses", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument(
        "--workers", type=int, default=2 * (os.cpu_count() or 1) + 1,
        help="gunicorn workers (default 2 x cores + 1, gunicorn's own advice)",
    )  # fmt: skip
    parser.add_argument("--after", type=float, default=0.05, help="share re-posted after")
    parser.add_argument("--together", type=float, default=0.02, help="share posted twice at once")
    parser.add_argument(
        "--strict", action="store_true",
        help="exit 1 when a database was not measured or a submission was lost or duplicated",
    )  # fmt: skip
    args = parser.parse_args(argv)
    facts = machine_facts()
    facts["load_start"] = _load()
    dbs = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    results = []
    with tempfile.TemporaryDirectory(prefix="saferplaces-load-") as folder:
        tmp = Path(folder)
        for db in dbs:
            try:
                with running_site(db, args.workers, tmp, tmp / "static") as site:
                    prepare(site, survey=args.responses > 0)
                    _log(f"{db}: {args.reports} reports and {args.responses} responses")
                    result = run_load(
                        site, reports=args.reports, responses=args.responses,
                        clients=args.clients, after=args.after, together=args.together,
                    )  # fmt: skip
                    _log(f"{db}: done in {result.seconds:.0f} s")
                    result.load_end = os.getloadavg()[0]
                    results.append(result)
            except Exception as error:  # noqa: BLE001 - the section says why, the other db runs
                _log(f"{db}: not measured: {error}")
                failed = DbResult(db, args.workers, args.clients)
                failed.problem = " ".join(str(error).split())[:300] or type(error).__name__
                results.append(failed)
    facts["load_end"] = _load()
    facts["load_runs"] = " ".join(f"{r.load_end:.2f}" for r in results if not r.problem)
    print(render(results, facts, args))  # noqa: T201 - the benchmark's report
    if args.strict and any(_broken(r) for r in results):
        return 1
    return 0  # the section says what went wrong; benchmarks.run keeps it either way


def _broken(result: DbResult) -> bool:
    return bool(result.problem) or any(
        c["lost"] or c["duplicated"] or c["unknown"] for c in result.checks.values()
    )


if __name__ == "__main__":
    sys.exit(main())

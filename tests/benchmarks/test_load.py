"""The load benchmark's pure parts: reading forms, answering them, percentiles, exactly once."""

from __future__ import annotations

import random

from benchmarks.load import (
    Client,
    ErrorLog,
    exactly_once,
    fill,
    latency,
    main_form,
    parse_forms,
    percentile,
)

PAGE = """
<form method="post" action="/sign-out/"><input type="hidden" name="csrfmiddlewaretoken"
 value="tok"><button>Sign out</button></form>
<form method="post" novalidate>
  <input type="hidden" name="csrfmiddlewaretoken" value="tok">
  <input type="hidden" name="submission_key" value="3f1c8a52-1c43-4a5e-9d7e-2a1f6c1b9e00">
  <input class="govuk-input" name="website" type="text" value="">
  <input type="radio" name="q1" value="very_safe"><input type="radio" name="q1" value="very_unsafe">
  <input type="checkbox" name="q2" value="a"><input type="checkbox" name="q2" value="b">
  <select name="q3_police"><option value="">Choose</option><option value="1">1</option>
    <option value="2">2</option><option value="3">3</option></select>
  <select name="q3_council"><option value="">Choose</option><option value="1">1</option>
    <option value="2">2</option><option value="3">3</option></select>
  <select name="q3_fire"><option value="">Choose</option><option value="1">1</option>
    <option value="2">2</option><option value="3">3</option></select>
  <select name="area"><option value="">Choose</option><option>not_sure</option></select>
  <textarea name="q4">kept &amp; shown</textarea>
  <input type="text" name="postcode" value="">
  <input type="text" name="q5" value="">
  <input type="text" name="when_day" value="">
  <input type="text" name="disabled_one" disabled>
  <button class="govuk-button" name="action" value="send">Send</button>
  <button class="govuk-button" name="action" value="save">Save</button>
</form>
<form method="get" action="/search/"><input name="q"></form>
"""


def test_parse_forms_reads_every_control_of_every_form() -> None:
    forms = parse_forms(PAGE)
    assert [(f.method, f.action) for f in forms] == [
        ("post", "/sign-out/"),
        ("post", ""),
        ("get", "/search/"),
    ]
    form = forms[1]
    assert form.value("submission_key") == "3f1c8a52-1c43-4a5e-9d7e-2a1f6c1b9e00"
    assert form.value("q4") == "kept & shown"
    assert "disabled_one" not in form.names()
    area = next(f for f in form.fields if f.name == "area")
    assert area.options == ["", "not_sure"]


def test_main_form_is_the_one_with_the_idempotency_key() -> None:
    form = main_form(parse_forms(PAGE))
    assert form is not None
    assert "submission_key" in form.names()
    assert main_form(parse_forms('<form method="get"><input name="q"></form>')) is None


def test_fill_answers_like_a_person_and_leaves_the_honeypot_empty() -> None:
    form = main_form(parse_forms(PAGE))
    assert form is not None
    sent = fill(form, random.Random(1), {"postcode": "LE67 3FJ"})
    values: dict[str, list[str]] = {}
    for name, value in sent:
        values.setdefault(name, []).append(value)
    assert values["csrfmiddlewaretoken"] == ["tok"]
    assert values["submission_key"] == ["3f1c8a52-1c43-4a5e-9d7e-2a1f6c1b9e00"]
    assert values["website"] == [""]
    assert len(values["q1"]) == len(values["q2"]) == 1
    assert values["q1"][0] in {"very_safe", "very_unsafe"}
    assert values["q2"][0] in {"a", "b"}
    ranks = sorted(values[n][0] for n in ("q3_police", "q3_council", "q3_fire"))
    assert ranks == ["1", "2", "3"]  # a ranking: each rank once
    assert values["area"] == ["not_sure"]  # never the empty "Choose" option
    assert values["q4"] == ["kept & shown"]
    assert values["postcode"] == ["LE67 3FJ"]
    assert values["q5"][0].startswith("Load test")  # a survey question's text box
    assert values["when_day"] == [""]  # a box revealed by another answer, left as it is
    assert values["action"] == ["send"]  # the first button, as pressed
    assert "disabled_one" not in values


def test_fill_repeats_a_name_for_a_list_of_answers() -> None:
    form = main_form(parse_forms(PAGE))
    assert form is not None
    sent = fill(form, random.Random(2), {"q2": ["a", "b"]})
    assert [v for n, v in sent if n == "q2"] == ["a", "b"]


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 95) == 95.0
    assert percentile([3.0], 95) == 3.0
    assert percentile([], 50) != percentile([], 50)  # NaN
    row = latency([0.2, 0.1, 0.4, 0.3])
    assert (row["p50"], row["p95"], row["max"], row["n"]) == (0.2, 0.4, 0.4, 4)


def test_exactly_once_finds_lost_duplicated_and_unexpected_rows() -> None:
    ok = exactly_once({"a", "b"}, {"c"}, ["a", "b"])
    assert (ok["lost"], ok["duplicated"], ok["unknown"]) == ([], [], [])
    assert ok["unconfirmed_stored"] == 0
    bad = exactly_once({"a", "b", "d"}, {"c"}, ["a", "a", "c", None, "z"])
    assert bad["lost"] == ["b", "d"]
    assert bad["duplicated"] == ["a"]
    assert bad["unknown"] == ["None", "z"]
    assert bad["unconfirmed_stored"] == 1


def test_the_cookie_jar_keeps_secure_cookies_and_forgets_deleted_ones() -> None:
    client = Client("127.0.0.1", 1, ErrorLog())
    client._store_cookies(
        [
            "__Host-csrftoken=abc; expires=Sat, 04 Dec 2027 23:00:00 GMT; Max-Age=31449600; "
            "Path=/; SameSite=Lax; Secure",
            "__Host-sessionid=s1; HttpOnly; Path=/; SameSite=Lax; Secure",
        ]
    )
    assert client.cookies == {"__Host-csrftoken": "abc", "__Host-sessionid": "s1"}
    client._store_cookies(['__Host-sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0'])
    assert client.cookies == {"__Host-csrftoken": "abc"}


def test_the_section_shows_what_was_stored_and_the_latencies() -> None:
    import argparse

    from benchmarks.load import DbResult, Outcome, exactly_once, render

    result = DbResult("sqlite", 5, 20, seconds=10.0, requests=30, load_end=5.5)
    result.titles = {"survey": "survey responses"}
    result.outcomes = [
        Outcome("survey", key="a", confirmed=True, flow_seconds=0.2, final_seconds=[0.1]),
        Outcome(
            "survey",
            key="b",
            confirmed=True,
            flow_seconds=0.4,
            final_seconds=[0.3, 0.2],
            repost="after",
        ),  # fmt: skip
        Outcome("survey", key="c", failure="FlowError: 500 on POST /surveys/<id>/"),
    ]
    result.errors.update({"POST /surveys/<id>/: 500": 1})
    check = exactly_once({"a", "b"}, {"c"}, ["a", "b"])
    check.update(submissions=3, after=1, together=0, repost_refused=0, no_key=0)
    result.checks = {"survey": check}
    failed = DbResult("postgres", 5, 20, problem="serve-prod did not answer in 300 s")
    args = argparse.Namespace(
        db="both", reports=0, responses=3, clients=20, workers=5, after=0.05, together=0.02
    )
    facts = {
        "cpu": "AMD EPYC", "cores": "2", "date": "2026-12-05 23:59 UTC", "python": "3.11.7",
        "gunicorn": "27.0.1", "postgres": "15.20", "sqlite": "3.40.1",
        "load_start": "1.0/1.0 (1/5 min)", "load_end": "1.5/1.0 (1/5 min)", "load_runs": "5.50",
    }  # fmt: skip
    text = render([result, failed], facts, args)
    assert "| SQLite 3.40.1 | survey responses | 3 | 1 / 0 | 2 | 2 | 0 | 0 | 0 | 1 | 1 |" in text
    latencies = "| 200 ms | 300 ms | 300 ms | 200 ms | 400 ms | 400 ms |"  # final POSTs, flows
    assert f"| SQLite 3.40.1 | survey responses {latencies}" in text
    assert "PostgreSQL 15.20 | not measured: serve-prod did not answer in 300 s" in text
    assert "1 × POST /surveys/<id>/: 500" in text
    assert "1 sent without a confirmation, 0 of them stored" in text
    assert "up to 5.5 during it on 2 cores" in text  # others shared the machine


def test_a_quiet_machine_gets_no_warning_and_a_busy_one_does() -> None:
    from benchmarks.load import _busy_note

    quiet = {"cores": "2", "load_start": "0.5/0.4 (1/5 min)", "load_end": "3.2/2.0 (1/5 min)"}
    assert _busy_note({**quiet, "load_runs": "3.90"}) == []  # the run's own work only
    assert _busy_note({**quiet, "load_start": "6.0/5.0 (1/5 min)"})  # busy before it began
    assert _busy_note({**quiet, "load_runs": "4.50"})  # more than the run itself explains

"""``saferplaces audit verify``: 0 and the head hash when intact, 1 and the first break if not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.saferplaces.audit.tampering import TABLE, drop_append_only_triggers, execute
from typer.testing import CliRunner

from saferplaces.audit.models import AuditEvent
from saferplaces.audit.services import audit_record
from saferplaces_cli.main import app

runner = CliRunner()


def _three_events() -> list[AuditEvent]:
    return [audit_record(actor=None, verb="auth.signed_out") for _ in range(3)]


def test_verify_intact_chain_exits_0(db: Any) -> None:
    events = _three_events()
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "Audit chain intact: 3 events" in result.output
    assert events[-1].row_hash in result.output


def test_verify_names_the_changed_row_and_exits_1(db: Any) -> None:
    events = _three_events()
    drop_append_only_triggers()
    execute(f"UPDATE {TABLE} SET summary = %s WHERE sequence = 2", ['{"forged": true}'])  # noqa: S608

    result = runner.invoke(app, ["audit", "verify"])

    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert f"event #2 (id {events[1].pk}" in lines[0]


def test_verify_detects_a_deleted_row(db: Any) -> None:
    _three_events()
    drop_append_only_triggers()
    execute(f"DELETE FROM {TABLE} WHERE sequence = 1")  # noqa: S608
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert "event #1 before it is missing" in result.output


def test_verify_has_help() -> None:
    result = runner.invoke(app, ["audit", "verify", "--help"])
    assert result.exit_code == 0
    assert "hash chain" in result.output


def test_cli_without_audit_does_not_load_django() -> None:
    code = "import sys, saferplaces_cli.main; print('django' in sys.modules)"
    src = str(Path(__file__).resolve().parents[2] / "src")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    ).stdout
    assert out.strip() == "False"


def test_every_audit_command_is_documented() -> None:
    from saferplaces_cli.audit import audit_app

    guide = (Path(__file__).resolve().parents[2] / "docs" / "admin-guide.md").read_text("utf-8")
    for command in audit_app.registered_commands:
        name = command.name or command.callback.__name__.replace("_", "-")
        assert f"saferplaces audit {name}" in guide

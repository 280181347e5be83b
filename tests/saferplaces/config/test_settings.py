"""Deployment checks run as separate processes with the real settings modules."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _manage(*args: str, env: dict[str, str | None]) -> subprocess.CompletedProcess[str]:
    """Run manage.py with ``env`` over this process's environment (``None`` removes a name)."""
    # The browser-test conftest sets DJANGO_ALLOW_ASYNC_UNSAFE here; a deployment never has it.
    leaked = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in leaked}
    merged = {k: v for k, v in {**clean, **env}.items() if v is not None}
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=merged,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "SAFERPLACES_ENV": "production",
    "SECRET_KEY": "a-production-like-secret-key-" + "k7Qx9vB2mN4pL8sR1tY6wE3uI0oA5dF" * 2,
    "ALLOWED_HOSTS": "saferplaces.example.org",
    "SAFERPLACES_FEEDBACK_EMAIL": "community.safety@example.org",
}


def test_check_deploy_passes_in_production(tmp_path: Path) -> None:
    env = {
        **PRODUCTION,
        "SAFERPLACES_DATA_DIR": str(tmp_path),
        # Without django-tasks-db the in-request backend must be chosen by name (saferplaces.E001).
        "SAFERPLACES_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
    }
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = {**PRODUCTION, "SECRET_KEY": "", "SAFERPLACES_DATA_DIR": str(tmp_path)}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_models_and_migrations_agree(tmp_path: Path) -> None:
    env = {"SAFERPLACES_ENV": "development", "SAFERPLACES_DATA_DIR": str(tmp_path)}
    result = _manage("makemigrations", "--check", "--dry-run", env=env)
    assert result.returncode == 0, result.stdout + result.stderr

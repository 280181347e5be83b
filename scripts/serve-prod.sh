#!/usr/bin/env bash
# Serve SaferPlaces with its PRODUCTION settings and gunicorn on loopback only
# (http://127.0.0.1:$PORT/): what `make serve-prod` runs, and what the browser journey
# tests/journeys/test_serve_prod.py starts. See docs/admin-guide.md ("Production server").
#
# Steps: a secret key (kept in the data folder if SECRET_KEY is not set), the start-up checks,
# collectstatic (hashed file names, compressed copies), migrate, then gunicorn in the foreground.
#
# Environment (all optional): BIN (folder of the virtualenv's programs, default .venv/bin),
# PORT (8000), SAFERPLACES_DATA_DIR (./var), SAFERPLACES_STATIC_ROOT (./staticfiles),
# SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, SAFERPLACES_TASKS_BACKEND, GUNICORN_WORKERS (2).
# Loopback has no TLS, so Django's HTTP->HTTPS redirect is off here; a real deployment puts a
# TLS-terminating reverse proxy in front and keeps it on (and gets HSTS).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${BIN:-$ROOT/.venv/bin}
PORT=${PORT:-8000}
export SAFERPLACES_ENV=production
export SAFERPLACES_DATA_DIR=${SAFERPLACES_DATA_DIR:-$ROOT/var}
export PYTHONPATH="$ROOT/src${PYTHONPATH:+:$PYTHONPATH}"
export SAFERPLACES_SSL_REDIRECT=${SAFERPLACES_SSL_REDIRECT:-0}

# The data folder and the secret key are private to this account (0700 / 0600).
mkdir -p "$SAFERPLACES_DATA_DIR"
chmod 700 "$SAFERPLACES_DATA_DIR"
if [ -z "${SECRET_KEY:-}" ]; then
  key_file="$SAFERPLACES_DATA_DIR/secret_key"
  if [ ! -s "$key_file" ]; then
    (umask 077 && "$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(64))' > "$key_file")
    echo "serve-prod: generated a secret key into $key_file (keep it; it signs sessions)"
  fi
  SECRET_KEY=$(cat "$key_file")
  export SECRET_KEY
fi

# Without the django-tasks-db worker backend, tasks (e-mails) run inside the request. Production
# refuses that unless chosen by name (check saferplaces.E001); on loopback we choose it, loudly.
if [ -z "${SAFERPLACES_TASKS_BACKEND:-}" ] && ! "$BIN/python" -c 'import django_tasks_db' 2>/dev/null; then
  export SAFERPLACES_TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend
  echo "serve-prod: no worker backend installed; background tasks run inside requests"
fi

manage() { "$BIN/python" "$ROOT/manage.py" "$@"; }
manage check
manage collectstatic --noinput --verbosity 0
manage migrate --noinput --verbosity 0

echo "serve-prod: SaferPlaces (production settings) on http://127.0.0.1:$PORT/ (Ctrl+C to stop)"
# No access log: request lines carry IP addresses and are not needed (docs/security.md).
exec "$BIN/gunicorn" saferplaces.config.wsgi:application \
  --bind "127.0.0.1:$PORT" \
  --workers "${GUNICORN_WORKERS:-2}" \
  --chdir "$ROOT" \
  --no-control-socket \
  --error-logfile - \
  --capture-output

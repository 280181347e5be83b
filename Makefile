# SaferPlaces: the everyday verbs. `make help` lists them.
# Two commands matter to a newcomer: `make run` and `make test` (see README.md).

SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
DATA_DIR ?= $(CURDIR)/var
SHARED_DATA ?= $(abspath $(CURDIR)/../shared/data)
HOST ?= 127.0.0.1
PORT ?= 8000
export SAFERPLACES_DATA_DIR := $(DATA_DIR)
export SAFERPLACES_SHARED_DATA := $(SHARED_DATA)

.PHONY: help run setup venv assets system-libs chromium migrate demo-data demo-code serve serve-prod worker test lint \
	migrations-check unit journeys spark bench calibration fmt clean

help:  ## List targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

run: setup demo-data serve  ## Set everything up (idempotent) and serve on http://127.0.0.1:8000

setup: system-libs venv assets migrate  ## Virtual environment, front-end assets, database migrations, demo partnership
	$(BIN)/python manage.py saferplaces_setup_demo

# The venv is rebuilt only when the lock file changes, so a second `make run` is fast.
venv: $(VENV)/.installed
$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==25.3"
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# Front-end assets (GOV.UK Frontend, Leaflet, axe-core) come from npm and are built into build/static.
assets: build/static/.build-stamp
build/static/.build-stamp: package-lock.json package.json $(shell find frontend scripts -type f 2>/dev/null)
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build

# PDFs are drawn by WeasyPrint, which needs Pango (Debian's libpango); the tests read PDFs back with
# poppler's pdftotext. Install them once if absent.
system-libs:
	@{ ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' && fc-list 2>/dev/null | grep -qi 'Liberation Sans' && command -v pdftotext >/dev/null; } || { \
		echo "Installing Debian's Pango for PDF documents (WeasyPrint)"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation poppler-utils >/dev/null; }

# Browser tests drive Debian's chromium; install it once if this machine lacks it.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

migrate: venv  ## Apply database migrations to the embedded default (or DATABASE_URL)
	$(BIN)/python manage.py migrate --noinput

demo-data: venv  ## Load real police.uk data from ../shared/data if present, else generated demo data
	$(BIN)/python manage.py saferplaces_load_demo_data
	$(BIN)/python manage.py saferplaces_demo_neighbourhood
	$(BIN)/python manage.py saferplaces_demo_assessment
	$(BIN)/python manage.py saferplaces_demo_plan
	$(BIN)/python manage.py saferplaces_demo_indicators
	$(BIN)/python manage.py saferplaces_demo_calendar
	$(BIN)/python manage.py saferplaces_demo_community
	$(BIN)/python manage.py saferplaces_demo_concerns
	$(BIN)/python manage.py saferplaces_demo_casereview
	$(BIN)/python manage.py saferplaces_demo_surveys
	$(BIN)/python manage.py saferplaces_demo_alerts

demo-code: venv  ## Print the demo users' current two-factor code (development only)
	@$(BIN)/python manage.py saferplaces_demo_code

serve: ## Serve on http://127.0.0.1:8000 (the embedded default)
	@cat $(DATA_DIR)/demo-credentials.txt 2>/dev/null || true
	@echo "SaferPlaces is running on http://$(HOST):$(PORT)/ (demo sign-in details above; Ctrl+C to stop)"
	$(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

# Production settings and gunicorn on loopback only: collectstatic, migrate, then serve.
# SECRET_KEY is kept in $(DATA_DIR)/secret_key unless set; see docs/admin-guide.md.
serve-prod: venv assets  ## Production settings and gunicorn on http://127.0.0.1:8000 (PORT=… for another)
	BIN=$(abspath $(BIN)) PORT=$(PORT) scripts/serve-prod.sh

worker: venv  ## Run the background task worker (imports, reports)
	$(BIN)/python manage.py db_worker

fmt: venv  ## Format and auto-fix
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

lint: venv  ## Lint, format check, types (mypy, strict on crimestats) and import contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

migrations-check: venv  ## Fail if models and migrations disagree
	SAFERPLACES_DATA_DIR=$$(mktemp -d) $(BIN)/python manage.py makemigrations --check --dry-run

unit: system-libs venv assets  ## Everything except browser journeys and Spark
	$(BIN)/pytest -q -n 2 -m "not journey and not spark" --doctest-modules src/crimestats tests

spark: venv  ## The measures on PySpark (local mode) compared with DuckDB
	$(BIN)/pytest -q -m spark tests

journeys: system-libs venv assets chromium  ## Browser journeys with axe-core accessibility checks
	$(BIN)/pytest -q -m journey tests/journeys

test: lint migrations-check unit spark journeys  ## The whole suite: what the README and CI run

bench: venv  ## Benchmarks against DuckDB, pandas, Polars and esda; writes docs/benchmarks.md
	$(BIN)/python -m benchmarks.run --shared-data $(SHARED_DATA) --out docs/benchmarks.md
	$(MAKE) calibration

calibration: venv  ## Simulate every verdict on the §10.6 grid; writes docs/calibration.md (~20 min)
	$(BIN)/python -m crimestats.calibration --sims 2000 --out docs/calibration.md

clean:  ## Remove the virtual environment, built assets and the data folder
	rm -rf $(VENV) build node_modules var

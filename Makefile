# Two commands for a newcomer: `make run` (the site, a Celery worker and beat) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Two processes on a 2-core machine; `make test PYTEST_ARGS=` runs in one.
PYTEST_ARGS ?= -n 2
export PYTEST_ARGS

.PHONY: run test test-all install install-dev migrate seed lint format check clean messages bench api-schema

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

messages: install
	$(BIN)/python bin/compile_translations.py

# Development: DEBUG on, SQLite and the embedded broker unless DATABASE_URL / CELERY_BROKER_URL say otherwise.
run: export DEBUG ?= true
# Links in emails point at this run (its PORT) unless SITE_URL says otherwise; mail goes to the
# console unless EMAIL_URL is set (settings' default), so a development run never mails anyone.
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: install messages
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py federation_dev  # "Log in with your university" against a development-only provider
	@echo ""
	@echo "  KLOSS-Net runs at http://127.0.0.1:$(PORT)/   (Ctrl-C stops the web server, worker and beat)"
	@echo "  Demo logins (password for all: kloss-demo-2026):"
	@$(BIN)/python manage.py seed_demo --logins
	@echo ""
	PORT=$(PORT) $(BIN)/honcho start

# The quick loop: everything but the browser tests and the slow ones (real workers, fuzzing).
test: install-dev messages
	$(BIN)/pytest -m "not browser and not slow" $(PYTEST_ARGS)

# Everything, as CI runs it: fast, slow and browser tests in three phases (bin/test-all).
test-all: install-dev messages
	bin/test-all

# The load benchmark (not part of the tests): gunicorn with DEBUG off on the local PostgreSQL, K times
# the network's data (K = 10 and K = 1), each key page with wrk (20 connections), then 20 members'
# read-only load and the same with 5 % writes (RSVP, profile, draft report; every write checked).
# It uses nothing tests or CI use: its own redis-server on port 6390 (DB 0 cache, DB 1 broker;
# started and stopped by the bench), gunicorn on port 8765, databases kloss_bench_k10/_k1.
# One scale: `make bench BENCH_ARGS="--scale 1"`; every option: `.venv/bin/python bench/run.py --help`.
BENCH_ARGS ?= --explain
bench: install messages
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && apt-get install -y -qq wrk >/dev/null; } \
		|| { echo "bench: wrk is missing (Debian: apt-get install wrk)"; exit 2; }
	@command -v redis-server >/dev/null || { echo "bench: redis-server is missing (Debian: apt-get install redis-server)"; exit 2; }
	$(BIN)/python bench/run.py $(BENCH_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install-dev
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

# The API's OpenAPI schema, committed (kloss_site/tests/test_api_schema.py fails when it is stale):
# regenerate it after changing an endpoint, a serializer or a filter set.
api-schema: install
	DEBUG=true $(BIN)/python manage.py spectacular --validate --fail-on-warn --lang en --file docs/api/openapi.yaml

clean:
	rm -rf $(VENV) var/*.sqlite3* var/celery* var/static

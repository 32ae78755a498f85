# Two commands for a newcomer: `make run` (the demo on http://127.0.0.1:8000) and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Reinstall the dependencies only when pyproject.toml changes.
STAMP := $(VENV)/.installed-stamp
HOST_PORT ?= 127.0.0.1:8000

.PHONY: help venv run test lint bench messages clean

help:
	@echo "make run    - demo site on http://$(HOST_PORT) (SQLite and in-process tasks unless DATABASE_URL/REDIS_URL are set)"
	@echo "make test   - ruff, import layers, mypy, migration check and the whole pytest suite against PostgreSQL and Redis"
	@echo "make venv   - create .venv and install the dependencies"
	@echo "make lint   - ruff, import layers, mypy and Django's system checks"
	@echo "make bench  - run the benchmarks (benchmarks/__main__.py)"
	@echo "make clean  - remove caches and collected static files (keeps .venv and db.sqlite3)"

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -e '.[test]'
	touch $@

# Compiled translations; skipped (with a note) where gettext's msgfmt is not installed.
messages: export DJANGO_DEBUG := 1
messages: venv
	@if command -v msgfmt >/dev/null 2>&1; then \
		$(PY) manage.py compilemessages --ignore=$(VENV) --ignore=node_modules; \
	else \
		echo "msgfmt not found (apt-get install gettext): pages stay in Chinese only"; \
	fi

run: export DJANGO_DEBUG := 1
run: venv messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_jurisdictions
	$(PY) manage.py seed_demo
	@mkdir -p tmp
	@if [ -n "$$DATABASE_URL" ] && [ -n "$$REDIS_URL" ]; then \
		$(VENV)/bin/celery -A config worker -B --schedule tmp/celerybeat-schedule --loglevel=INFO \
			>tmp/worker.log 2>&1 & worker=$$!; \
		trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
		echo "PostgreSQL and Redis: Celery worker (with beat) started as pid $$worker, log in tmp/worker.log"; \
		$(PY) manage.py runserver $(HOST_PORT); \
	else \
		echo "No DATABASE_URL/REDIS_URL: SQLite (db.sqlite3) and tasks run in-process"; \
		$(PY) manage.py runserver $(HOST_PORT); \
	fi

# The environment wins over these defaults, so parallel runs can use their own database.
test: export DJANGO_DEBUG := 1
test: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/awards
# Tests clear the cache and purge queues, so they get Redis database 9 of their own even when the
# shell's REDIS_URL points at the one `make run` uses; TEST_REDIS_URL picks another.
test: export REDIS_URL := $(or $(TEST_REDIS_URL),redis://127.0.0.1:6379/9)
test: venv messages
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy
	$(PY) manage.py makemigrations --check --dry-run
	@# Exit status 5 means pytest found no tests: a broken collection, so it stays a failure.
	@$(VENV)/bin/pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing"; fi; \
	exit $$status

lint: export DJANGO_DEBUG := 1
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy
	$(PY) manage.py check

# Production settings (DEBUG off, a throwaway key), the benchmark's own databases (awards_bench*)
# and Redis database 8. The served suite collects its static files; the in-process ones skip the manifest.
bench: export DJANGO_DEBUG := 0
bench: export DJANGO_SECRET_KEY ?= benchmark-only-not-a-secret
bench: export DJANGO_ALLOWED_HOSTS ?= 127.0.0.1,localhost,testserver
bench: export DJANGO_MANIFEST_STATIC := 0
bench: export DATABASE_URL := $(or $(BENCH_DATABASE_URL),postgres://postgres@127.0.0.1:5432/awards_bench)
bench: export REDIS_URL := $(or $(BENCH_REDIS_URL),redis://127.0.0.1:6379/8)
bench: venv
	@if [ -f benchmarks/__main__.py ]; then \
		$(PY) -m benchmarks; \
	else \
		echo "no benchmarks yet (benchmarks/__main__.py)"; \
	fi

clean:
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -print0 | xargs -0 rm -rf
	rm -rf .pytest_cache .ruff_cache .mypy_cache staticfiles tmp *.egg-info

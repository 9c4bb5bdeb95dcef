# Two commands set everything up on a fresh machine:
#   make run   — install, migrate, load countries and seeds, serve http://127.0.0.1:8000 (SQLite, in-process tasks)
#   make test  — install and run the whole suite (PostgreSQL on 127.0.0.1 by default; override DATABASE_URL)

VENV      ?= .venv
PYTHON    := $(VENV)/bin/python
PIP       := $(VENV)/bin/pip
MANAGE    := $(PYTHON) manage.py
HOST      ?= 127.0.0.1
PORT      ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/tracker
SQLITE_TEST_URL := sqlite:///$(CURDIR)/var/tracker.sqlite3

.PHONY: install run serve worker beat test test-sqlite lint format check bench bench-polling clean chromium compose

# Development installs both files (tests, lint, training); the production image installs requirements.txt alone.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -d $(VENV) || python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

var:
	mkdir -p var

# The embedded default: an SQLite file in var/, tasks run in-process, DEBUG on, a local admin account.
run: install var
	DEBUG=1 $(MANAGE) migrate --no-input
	DEBUG=1 $(MANAGE) load_seeds
	DEBUG=1 $(MANAGE) ensure_dev_admin --address $(HOST):$(PORT)
	DEBUG=1 $(MANAGE) runserver $(HOST):$(PORT)

# The same entry points docker-compose.yml uses.
# gunicorn.conf.py: three workers, access log, and the shared directory of the Prometheus metrics of every worker.
serve: install
	$(PYTHON) -m gunicorn tracker.wsgi:application --config gunicorn.conf.py --bind 0.0.0.0:$(PORT)

# One worker serves the default queue and `long` (documents over INGEST_LONG_DOCUMENT_BYTES), so nothing is left
# unserved; then both its slots may be parsing long documents at once. docker-compose.yml runs a worker per queue
# (WORKER_QUEUES=celery, and WORKER_QUEUES=long WORKER_CONCURRENCY=1), so that short articles never wait on long ones.
WORKER_QUEUES ?= celery,long
WORKER_CONCURRENCY ?= 2
# A pool process is replaced after this many tasks, or after a task that left it above this many KiB (about 300 MB):
# one 20 MB document left a process at 718 MB, and Python rarely gives such memory back.
WORKER_RECYCLE := --max-tasks-per-child 1000 --max-memory-per-child 300000

worker: install
	$(PYTHON) -m celery -A tracker worker --loglevel INFO --queues $(WORKER_QUEUES) --concurrency $(WORKER_CONCURRENCY) $(WORKER_RECYCLE)

beat: install
	$(PYTHON) -m celery -A tracker beat --loglevel INFO --schedule var/celerybeat-schedule

# Browser tests drive Debian's Chromium (never a browser downloaded by `playwright install`).
chromium:
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium)

# The Compose test validates docker-compose.yml with `docker compose config`, or Debian's docker-compose without the
# plugin.
compose:
	docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null || (apt-get update && apt-get install -y docker-compose)

test: install var chromium compose
	DATABASE_URL="$(or $(DATABASE_URL),$(TEST_DATABASE_URL))" $(PYTHON) -m pytest $(PYTEST_ARGS)

test-sqlite: install var chromium compose
	DATABASE_URL=$(SQLITE_TEST_URL) $(PYTHON) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=1 $(MANAGE) makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: lint test

bench: install
	$(PYTHON) bench/bench_extraction.py 1000 3

# One poll cycle over 200 local feeds x 50 entries, then a second with nothing new (PostgreSQL, redis-server).
bench-polling: install
	DATABASE_URL="$(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/tracker_polling_bench)" $(PYTHON) bench/bench_polling.py

clean:
	rm -rf var staticfiles .pytest_cache

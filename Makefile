# Two commands matter: `make run` serves the demo community, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint migrate seed clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	bin/serve

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest

migrate: $(STAMP)
	$(PY) manage.py migrate --noinput

seed: $(STAMP)
	$(PY) manage.py seed_demo

clean:
	rm -rf $(VENV) var

# The events benchmark (bench/README.md): SQLite and PostgreSQL in one run, writes docs/benchmarks.md.
.PHONY: bench
bench: $(STAMP)
	$(PY) -m bench.events_bench

# The chat fan-out benchmark (bench/README.md, "The chat benchmark"): product, tutorial baseline and bare floor on
# the in-memory layer (SQLite) and on Redis (PostgreSQL); writes its section of docs/benchmarks.md.
.PHONY: bench-chat
bench-chat: $(STAMP)
	$(PY) -m bench.chat_bench

# The metrics benchmark (bench/README.md, "The metrics benchmark"): programme figures, CSV export, a member's
# dashboard and check-in recording at 1,000 and 10,000 members, against a Python loop and hand-written SQL, on SQLite
# and PostgreSQL in one run; writes its section of docs/benchmarks.md.
.PHONY: bench-metrics
bench-metrics: $(STAMP)
	$(PY) -m bench.metrics_bench

# Reliability (docs/reliability.md): the long runs (API and socket fuzzing at full size, load and soak, faults, races
# on PostgreSQL), each writing its figures to var/reliability/, then the report. Needs PostgreSQL and Redis (the
# addresses below are the defaults CI uses).
.PHONY: reliability
reliability: $(STAMP)
	mkdir -p var/reliability
	DATABASE_URL=$${DATABASE_URL:-postgres://root@127.0.0.1:5432/test} REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/1} \
		$(VENV)/bin/pytest -p no:cacheprovider --timeout=3600 -m long tests/reliability
	DATABASE_URL=$${DATABASE_URL:-postgres://root@127.0.0.1:5432/test} REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/1} \
		$(VENV)/bin/pytest -p no:cacheprovider tests/reliability/test_production_smoke.py \
		tests/reliability/test_faults_huey.py tests/reliability/test_races.py
	$(PY) -m tests.reliability.report

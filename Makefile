# The two commands: `make run` and `make test`. Everything else is for developers.
SHELL := /bin/sh
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint fmt migrations-check bench assets clean help

help:
	@echo "make run    - set up and start the portal on http://127.0.0.1:8000 (web, Celery worker, beat)"
	@echo "make test   - run the whole test suite"
	@echo "make lint | fmt | migrations-check | bench | assets | clean"

$(PY):
	@PY_BIN=$$(sh scripts/find_python.sh) || exit 1; \
	echo "Creating $(VENV) with $$PY_BIN"; \
	"$$PY_BIN" -m venv $(VENV)

$(STAMP): $(PY) requirements.txt requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

run: $(STAMP)
	$(PY) scripts/run_local.py

# Two workers (pytest-xdist; worksteal, as a few tests run far longer than the rest). `make test XDIST=` runs the
# suite in one process.
XDIST ?= -n 2 --dist worksteal

test: $(STAMP)
	$(PY) -m pytest $(XDIST) $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(PY) -m pytest $(XDIST) -m "not browser and not postgres and not redis" $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: $(STAMP)
	$(PY) manage.py makemigrations --check --dry-run

bench: $(STAMP)
	$(PY) -m pip install --quiet -r benchmarks/requirements.txt
	$(PY) benchmarks/matching.py

# Rebuild the committed NHS.UK front-end assets (needs Node; `make run` and CI do not).
assets:
	sh frontend/build.sh

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache

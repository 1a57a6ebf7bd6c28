# The two commands a newcomer runs: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run serve test lint types pytest clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

## Set everything up, load the templates, the seed report and the demo data, and serve.
run: setup
	$(BIN)/parstat init --demo
	$(BIN)/parstat runserver --insecure $(HOST):$(PORT)

## Serve without reloading data.
serve: setup
	$(BIN)/parstat runserver --insecure $(HOST):$(PORT)

## Lint, type-check and run the whole suite (SQLite unless DATABASE_URL says otherwise).
test: lint types pytest

lint: setup
	$(BIN)/ruff check .

types: setup
	$(BIN)/mypy parstat

pytest: setup
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

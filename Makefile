# The two commands a newcomer runs: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup system-deps run serve test lint types pytest clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP) system-deps

## Debian packages the browser tests and PDF exports use (Chromium, fonts, poppler), and
## LibreOffice Writer, which renders the Word documents to PNG in the tests as Word users see
## them (measured: about 18 s to install on Debian 12 with the lists already fetched). The PDF's
## Times New Roman resolves to Liberation Serif 2 (fonts-liberation2), whose line breaks the
## export-content test holds. Installed when missing and we may (root); otherwise the tests that
## need them say what to install and skip.
SYSTEM_PACKAGES := chromium fonts-liberation fonts-liberation2 poppler-utils libreoffice-writer-nogui
system-deps:
	@if [ ! -x /usr/bin/chromium ] || [ ! -d /usr/share/fonts/truetype/liberation2 ] || \
	    [ ! -x /usr/bin/soffice ] || [ ! -x /usr/bin/pdftoppm ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	  else \
	    echo "note: install $(SYSTEM_PACKAGES) (Debian) for the browser tests, PDF fonts and Word rendering"; \
	  fi; \
	fi

## Set everything up, load the templates, the seed report and the demo data, and serve it the
## way production does (gunicorn, static files by WhiteNoise).
run: setup
	$(BIN)/parstat init --demo
	$(BIN)/parstat serve --host $(HOST) --port $(PORT)

## Serve without reloading data.
serve: setup
	$(BIN)/parstat serve --host $(HOST) --port $(PORT)

## Lint, type-check and run the whole suite (SQLite unless DATABASE_URL says otherwise).
test: lint types pytest

lint: setup
	$(BIN)/ruff check .

types: setup
	$(BIN)/mypy parstat

pytest: setup
	$(BIN)/pytest -q

## Import speed of .docx/.xlsx against python-docx and openpyxl alone (not part of the tests).
.PHONY: bench
bench: setup
	$(BIN)/python bench/import_bench.py

## The entry form and one cell save against the bare sign-in page, on the demo (not a test).
.PHONY: bench-form
bench-form: setup
	$(BIN)/python bench/form_bench.py

## Consolidation at national scale on SQLite and PostgreSQL (needs PostgreSQL at 127.0.0.1).
.PHONY: bench-consolidation
bench-consolidation: setup
	$(BIN)/python bench/consolidation_bench.py

## The consolidators' pages on the dataset bench-consolidation kept (`--keep`), against the bare
## sign-in page (not a test; see bench/pages_bench.py).
.PHONY: bench-pages
bench-pages: setup
	$(BIN)/python bench/pages_bench.py

## The quality page of a province of 400 departments against the bare sign-in page, on a
## scratch SQLite database (not a test; see bench/quality_bench.py).
.PHONY: bench-quality
bench-quality: setup
	$(BIN)/python bench/quality_bench.py

## Import fidelity on the generated corpus: right / wrong / refused / proposed / lost per file;
## exit status 1 on any value stored wrong or lost (not part of the tests; they assert it too).
.PHONY: bench-fidelity
bench-fidelity: setup
	$(BIN)/python bench/fidelity.py

## PDF exports with the old table layout against today's, pixel-compared (on the demo: run
## `parstat init --demo` first; not a test; see bench/pdf_bench.py).
.PHONY: bench-pdf
bench-pdf: setup
	$(BIN)/python bench/pdf_bench.py

## Start-up of a read-only command against Django's own set-up (not part of the tests).
.PHONY: bench-startup
bench-startup: setup
	$(BIN)/python bench/startup.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

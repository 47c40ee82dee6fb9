# Samråd: the two Quick start commands are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test test-sqlite test-postgres lint install translations bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

translations: install
	$(FLASK) translations compile

## Install, build the SQLite database, load demo data and serve on http://127.0.0.1:5000, with the mail worker
## beside the server (stopped with it: Ctrl-C ends both)
run: translations
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	$(FLASK) mail-worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

lint: install
	$(BIN)/ruff check .

## Install and run every test: lint, SQLite, then PostgreSQL (when one answers on 127.0.0.1:5432)
test: translations lint
	bash .ci/ensure-chromium
	bash .ci/test-all

bench: install
	$(BIN)/python tests/bench/run_all.py

# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
HOST   ?= 127.0.0.1
PORT   ?= 5000
CORPUS ?= corpus
INDEX  ?= var/index
WORKERS ?= 2
PYTEST_ARGS ?=
BENCH_SIZES ?= 10000,100000
BENCH_ARGS ?=

BIN := $(VENV)/bin
export OVERSIGHT_CORPUS_DIR := $(CORPUS)
export OVERSIGHT_INDEX_DIR := $(INDEX)

.PHONY: run serve index test lint bench relevance loadtest browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

## run: install, build the index if missing or stale, serve with gunicorn on HOST:PORT
run: $(VENV)/.installed
	$(BIN)/python -m indexer build --corpus '$(CORPUS)' --index '$(INDEX)'
	$(BIN)/flask --app 'portal:create_app()' warm
	$(BIN)/gunicorn --workers $(WORKERS) --bind '$(HOST):$(PORT)' 'portal:create_app()'

## index: rebuild the index from CORPUS into INDEX, then precompute the curated themes
index: $(VENV)/.installed
	$(BIN)/python -m indexer build --corpus '$(CORPUS)' --index '$(INDEX)' --force
	$(BIN)/flask --app 'portal:create_app()' warm

## loadtest: gunicorn on loopback over a copy of INDEX, 16 clients for 60 s, a rebuild mid-run
loadtest: $(VENV)/.installed
	$(BIN)/python tools/loadtest.py --corpus '$(CORPUS)' --index '$(INDEX)' \
	  --clients 16 --duration 60 --workers $(WORKERS)

## browser: install Debian's Chromium for the browser tests (root only)
browser:
	@if [ -x /usr/bin/chromium ]; then echo "chromium: present"; \
	elif [ "$$(id -u)" = 0 ]; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	  || echo "chromium: apt-get install failed; the browser tests will be skipped"; \
	else echo "chromium: missing and not root, so not installed; the browser tests will be skipped"; fi

## test: install with the test extra and run every test
test: $(VENV)/.installed browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## lint: ruff check and format check
lint: $(VENV)/.installed
	$(BIN)/ruff check indexer portal tests
	$(BIN)/ruff format --check indexer portal tests

## bench: relevance (nDCG@10, MRR), then portal vs SQLite FTS5 on generated corpora
bench: $(VENV)/.installed relevance
	$(BIN)/python -m bench --sizes '$(BENCH_SIZES)' --readme $(BENCH_ARGS)

## relevance: nDCG@10 and MRR of the judged researcher queries over the seed corpus
relevance: $(VENV)/.installed
	$(BIN)/python -m bench.relevance

clean:
	rm -rf $(VENV) var .pytest_cache

# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
HOST   ?= 127.0.0.1
PORT   ?= 5000
CORPUS ?= corpus
INDEX  ?= var/index
WORKERS ?= 2
PYTEST_ARGS ?=
# Test processes: one per core (`auto`); 0 runs every test in this process.
TEST_WORKERS ?= auto
BENCH_SIZES ?= 10000,100000
BENCH_ARGS ?=

BIN := $(VENV)/bin
export OVERSIGHT_CORPUS_DIR := $(CORPUS)
export OVERSIGHT_INDEX_DIR := $(INDEX)

.PHONY: run serve index test lint bench relevance loadtest replicas browser axe ocr deploy-tools clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Serving needs the runtime dependencies only; the test extra (Playwright,
# Hypothesis, ruff, ...) comes with `make test`.
$(VENV)/.installed-serve: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-serve

# BASE_URL defaults to where `make run` serves; set OVERSIGHT_BASE_URL for a public name.
run: export OVERSIGHT_BASE_URL ?= http://$(HOST):$(PORT)
## run: install, build the index if missing or stale, serve with gunicorn (gthread) on HOST:PORT
run: $(VENV)/.installed-serve ocr
	$(BIN)/python -m indexer build --corpus '$(CORPUS)' --index '$(INDEX)'
	$(BIN)/flask --app 'portal:create_app()' warm
	@echo "Serving the portal: open http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	$(BIN)/gunicorn -c python:portal.gunicorn_conf --workers $(WORKERS) \
	  --bind '$(HOST):$(PORT)' 'portal:create_app()'

## index: rebuild the index from CORPUS into INDEX, then precompute the curated themes
index: $(VENV)/.installed-serve ocr
	$(BIN)/python -m indexer build --corpus '$(CORPUS)' --index '$(INDEX)' --force
	$(BIN)/flask --app 'portal:create_app()' warm

## loadtest: gunicorn on loopback over a copy of INDEX, 16 clients for 60 s beside
## 4 idle and 4 slowloris connections held open, a rebuild mid-run
loadtest: $(VENV)/.installed
	$(BIN)/python -m tools.loadtest --corpus '$(CORPUS)' --index '$(INDEX)' \
	  --clients 16 --duration 60 --workers $(WORKERS) --idle 4 --slowloris 4

## replicas: build CORPUS, ship it with rsync to two gunicorn replicas behind nginx
##           (deploy/nginx-replicas.conf), ship a new generation under load, check it
replicas: $(VENV)/.installed deploy-tools
	$(BIN)/python -m tools.replicas --corpus '$(CORPUS)'

## deploy-tools: install Debian's rsync and nginx, which ship and balance replicas (root only)
deploy-tools:
	@missing=""; for tool in rsync nginx; do \
	  command -v $$tool >/dev/null || [ -x /usr/sbin/$$tool ] || missing="$$missing $$tool"; done; \
	if [ -z "$$missing" ]; then echo "rsync, nginx: present"; \
	elif [ "$$(id -u)" = 0 ]; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing) \
	  || echo "$$missing: apt-get install failed; the replica and nginx tests will be skipped"; \
	else echo "$$missing: missing and not root, so not installed; run 'sudo apt-get install$$missing' (the replica and nginx tests are skipped without them)"; fi

## browser: install Debian's Chromium for the browser tests (root only)
browser:
	@if [ -x /usr/bin/chromium ]; then echo "chromium: present"; \
	elif [ "$$(id -u)" = 0 ]; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	  || echo "chromium: apt-get install failed; the browser tests will be skipped"; \
	else echo "chromium: missing and not root, so not installed; the browser tests will be skipped"; fi

## ocr: install Debian's Tesseract, which reads scanned PDFs (root only)
ocr:
	@if command -v tesseract >/dev/null; then echo "tesseract: present"; \
	elif [ "$$(id -u)" = 0 ]; then \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-eng) \
	  || echo "tesseract: apt-get install failed; scanned PDFs will be named in the build summary, not indexed"; \
	else echo "tesseract: missing and not root, so not installed; run 'sudo apt-get install tesseract-ocr' to index scanned PDFs"; fi

## axe: install axe-core from npm for the accessibility tests (npm from apt when root)
axe: node_modules/axe-core/axe.min.js

node_modules/axe-core/axe.min.js: package.json
	@if ! command -v npm >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; \
	  else echo "npm: missing and not root; install Node.js and npm, then run make test again"; exit 1; fi; \
	fi
	npm install --no-audit --no-fund --silent
	touch $@

## test: install with the test extra, run every test and report coverage, one
##       test process per core, each test file kept on one process so its
##       module fixtures are built once (TEST_WORKERS=0: all in this process)
##       (quick run without the slow tests: make test PYTEST_ARGS='-m "not slow"')
test: $(VENV)/.installed browser ocr axe deploy-tools
	mkdir -p var
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile \
	  --cov --cov-report=term $(PYTEST_ARGS)

## lint: ruff check and format check
lint: $(VENV)/.installed
	$(BIN)/ruff check indexer portal tests bench tools
	$(BIN)/ruff format --check indexer portal tests bench tools

## bench: relevance (nDCG@10, MRR), then portal vs SQLite FTS5 on generated corpora
# Cold figures only (the portal's answer memo off; the memo timed on its own line).
# BENCH_SIZES=1000000 works but takes hours on 2 cores and wants 16 GB of memory and
# about 10 GB free under var/bench/ (README, "Performance"); run it on an idle machine.
bench: $(VENV)/.installed relevance
	$(BIN)/python -m bench --sizes '$(BENCH_SIZES)' --readme $(BENCH_ARGS)

## relevance: nDCG@10 and MRR of the judged researcher queries over the seed corpus
relevance: $(VENV)/.installed
	$(BIN)/python -m bench.relevance

clean:
	rm -rf $(VENV) var .pytest_cache node_modules

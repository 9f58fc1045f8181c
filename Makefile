# Smart Médias ENT: set-up and checks (docs/development.md).
#   make run    create .venv, install the platform and the example plugin, load demo data, serve
#   make test   install the test extra, run ruff, then the core's and the example plugin's tests
# Both work on a fresh clone; re-running them only reinstalls when the packaging files changed.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
EXAMPLE := docs/examples/ent-noticeboard
HOST ?= 127.0.0.1
PORT ?= 5000
# Two workers: one per core of the reference machine; `make test PYTEST_WORKERS=auto` elsewhere.
PYTEST_WORKERS ?= 2
# Extra pytest arguments, e.g. make test PYTEST_ARGS='-m "not browser"'
PYTEST_ARGS ?=

# Reinstall when packaging or message catalogues change (catalogues compile at install).
INSTALL_INPUTS := pyproject.toml setup.py $(wildcard $(EXAMPLE)/pyproject.toml $(EXAMPLE)/setup.py) \
	$(shell find ent_core plugins $(EXAMPLE) -name '*.po' 2>/dev/null)

.PHONY: help run test lint pytest install install-test demo serve
# Steps run in the order written even under `make -j`.
.NOTPARALLEL:

help:
	@echo "make run   - install, migrate the SQLite database, load demo data, serve on http://$(HOST):$(PORT)/"
	@echo "make test  - install the test extra, ruff check, pytest (core + example plugin)"
	@echo "make lint | pytest | demo | serve  - the single steps"

run: demo serve

test: install-test lint pytest

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; run: make PYTHON=python3.12 ...")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(INSTALL_INPUTS) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e . -e $(EXAMPLE)
	touch $@

# The test extra is a superset of the runtime install, so it satisfies `make run` too.
$(VENV)/.installed-test: $(INSTALL_INPUTS) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]' -e $(EXAMPLE)
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

# The independent verifier of the training plugin's credentials (node + Digital Bazaar's libraries).
VERIFIER := plugins/training/tests/verifier

install-test: $(VENV)/.installed-test $(VERIFIER)/node_modules/.package-lock.json

$(VERIFIER)/node_modules/.package-lock.json: $(VERIFIER)/package.json $(VERIFIER)/package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the credential verifier tests (apt-get install nodejs npm)"; exit 1; }
	npm ci --prefix $(VERIFIER) --no-audit --no-fund
	touch $@

# The demo runs before anything serves: it names the address `serve` will answer on, so the links
# it writes (certificates' verification addresses, mails) follow `make run PORT=...` too.
demo serve: export ENT_BASE_URL ?= http://$(HOST):$(PORT)

demo: install
	$(BIN)/ent demo

serve: install
	$(BIN)/ent serve --host $(HOST) --port $(PORT)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Two pytest sessions, not one: each project's session-wide fixtures (the app and its plugin
# modules) must be built from its own conftest. pytest's exit code 5 (no test ran) fails too.
pytest: install-test
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS) tests plugins
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS) $(EXAMPLE)/tests

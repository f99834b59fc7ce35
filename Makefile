# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: run test lint format typecheck unit bench docs clean chromium pango package-check

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv || true

# uv is much faster; pip is the fallback when uv cannot be had.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/uv pip install --python $(BIN)/python --quiet --compile-bytecode -e . || $(BIN)/pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/uv pip install --python $(BIN)/python --quiet --compile-bytecode -e '.[dev]' || $(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP) $@

## make run: install, load the demo into koers.db (once), show the dashboard, start the server
HOST ?= 127.0.0.1
PORT ?= 8000
run: $(STAMP) pango
	@$(BIN)/koers init >/dev/null
	@$(BIN)/koers demo 2>/dev/null || echo "(koers.db already holds data; showing it)"
	@$(BIN)/koers status
	@$(BIN)/koers serve --demo --host $(HOST) --port $(PORT)

## make test: dev dependencies, lint, type check and the whole suite (browser tests use Debian's chromium)
test: $(DEV_STAMP) lint chromium pango
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

# The browser tests drive Debian's chromium through Playwright; never a downloaded browser.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "installing Debian's chromium for the browser tests"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# WeasyPrint (PDF reports) loads Pango, HarfBuzz's subsetter and fontconfig from the system, and needs a font.
PANGO_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
pango:
	@dpkg -s $(PANGO_PACKAGES) >/dev/null 2>&1 || { \
		echo "installing Debian's Pango for the PDF reports"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(PANGO_PACKAGES) >/dev/null; }

lint: $(DEV_STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

## make package-check: build the wheel, install it into a fresh virtualenv outside the tree, smoke-test it
package-check: | $(BIN)/python
	$(PYTHON) .ci/wheel-smoke

format: $(DEV_STAMP)
	$(BIN)/ruff check --fix src tests bench
	$(BIN)/ruff format src tests bench

unit: $(DEV_STAMP)
	$(BIN)/python -m pytest -q tests/unit

bench: $(DEV_STAMP)
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

docs: $(DEV_STAMP)
	$(BIN)/python -m koers.cli.reference > docs/cli.md

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info src/*.egg-info

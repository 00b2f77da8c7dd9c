# paper-archive: `make build` then `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev

.DEFAULT_GOAL := help
.PHONY: help build serve check test lint golden clean

help: ## Show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-8s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(RUN_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(DEV_STAMP): $(RUN_STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

build: $(RUN_STAMP) ## Create the venv if needed, generate the pages, build site/
	$(BIN)/paper-archive build

serve: $(RUN_STAMP) ## Live preview on http://127.0.0.1:8000/ (saving a paper file updates the page)
	$(BIN)/paper-archive serve

check: $(RUN_STAMP) ## Validate papers/ and print every problem as file:line; write nothing
	$(BIN)/paper-archive check

test: $(DEV_STAMP) ## Run the whole test suite (browser tests need /usr/bin/chromium)
	$(BIN)/python -m pytest

lint: $(DEV_STAMP) ## Ruff lint and format check
	$(BIN)/ruff check generator tests
	$(BIN)/ruff format --check generator tests

golden: $(DEV_STAMP) ## Regenerate tests/golden/ from tests/fixtures/archive/ (review the diff!)
	$(BIN)/python -m tests.update_golden

clean: ## Remove generated pages, the site and caches (keeps .venv)
	rm -rf build site .pytest_cache .ruff_cache

# paper-archive: `make build` then `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev

.DEFAULT_GOAL := help
.PHONY: help build serve check test lint golden clean
.PHONY: deploy bench examples lock
REMOTE ?= origin

help: ## Show this help
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-8s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# Every package comes from a lock with hashes (requirements/, made by `make lock`), so two
# installs a month apart build the same site; the tool itself goes on top without resolving.
LOCK := requirements/lock.txt
DEV_LOCK := requirements/dev-lock.txt
LOCK_ARGS ?=
UV_COMPILE = $(BIN)/uv pip compile pyproject.toml --quiet --universal --python-version 3.11.5 \
  --generate-hashes $(LOCK_ARGS)

$(RUN_STAMP): pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(DEV_STAMP): $(RUN_STAMP) pyproject.toml $(DEV_LOCK)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(DEV_LOCK)
	touch $@

build: $(RUN_STAMP) ## Create the venv if needed, generate the pages, build site/
	$(BIN)/paper-archive build

serve: $(RUN_STAMP) ## Live preview on http://127.0.0.1:8000/ (saving a paper file updates the page)
	$(BIN)/paper-archive serve

check: $(RUN_STAMP) ## Validate papers/ and print every problem as file:line; write nothing
	$(BIN)/paper-archive check

test: $(DEV_STAMP) ## Run the whole test suite in random order (browser tests need /usr/bin/chromium)
	$(BIN)/python -m pytest

lint: $(DEV_STAMP) ## Ruff lint and format check
	$(BIN)/ruff check generator tests
	$(BIN)/ruff format --check generator tests

# Not a test: timings depend on the machine. Record a run in BENCHMARKS.md. BENCH_ARGS="--sizes 1000"
# runs the small archive only; "--compare main --runs 3" times main's code too, alternating.
BENCH_ARGS ?=
bench: $(DEV_STAMP) ## Time generate/build/preview/search at 1,000 and 10,000 synthetic papers (~20 min)
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

golden: $(DEV_STAMP) ## Regenerate tests/golden/ from tests/fixtures/archive/ (review the diff!)
	$(BIN)/python -m tests.update_golden

# Maintainers of the bundled archive only: after adding or editing an example paper, so that
# `paper-archive remove-examples` recognises it. In an archive of your own it would list your papers.
examples: $(RUN_STAMP) ## Record papers/*.yaml as the bundled examples (papers/_examples.sha256)
	$(BIN)/python scripts/list_examples.py

# For a gh-pages branch instead of GitHub Actions. ghp-import (a MkDocs dependency) commits
# the built site/ on top of REMOTE's gh-pages, so history is kept and a rival push is refused.
deploy: $(RUN_STAMP) ## Build for SITE_URL, push site/ to gh-pages on REMOTE (default origin)
	@test -n "$$SITE_URL" || { echo 'make deploy: set the public address, e.g. make deploy SITE_URL=https://USER.github.io/REPO/' >&2; exit 1; }
	$(BIN)/paper-archive build
	git fetch --quiet $(REMOTE) gh-pages 2>/dev/null || true
	$(BIN)/ghp-import --no-jekyll --push --remote $(REMOTE) --branch gh-pages \
	  --message "Deploy site/ built from $$(git rev-parse --short HEAD 2>/dev/null || echo 'uncommitted files')" site

# After changing a pin in pyproject.toml: what the lock already holds stays unless the pins
# move it; LOCK_ARGS=--upgrade takes every newest release the pins allow (Dependabot proposes
# updates weekly). The dev lock is held to the run lock, so both install the same versions.
lock: $(DEV_STAMP) ## Re-resolve requirements/*.txt from pyproject.toml (hashes; Python 3.11-3.13)
	$(UV_COMPILE) -o $(LOCK)
	$(UV_COMPILE) --extra dev --constraint $(LOCK) -o $(DEV_LOCK)

clean: ## Remove generated pages, the site and caches (keeps .venv)
	rm -rf build site .pytest_cache .ruff_cache

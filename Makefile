# souverain_nlp — every target sets itself up on a fresh clone (creates .venv/ and installs
# the project with its pinned spaCy model from the package registry).

PYTHON ?= $(shell command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CORPUS ?= corpus
OUT    ?= outputs
GOLD   ?= dev/gold

.PHONY: setup run test eval lint bench clean report browser screenshot mutants

$(STAMP): pyproject.toml setup.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/souverain-nlp run $(CORPUS) --out $(OUT)

test: setup browser
	$(BIN)/python -m pytest -q

# Headless Chromium and ChromeDriver for the report's browser tests (Debian's packages,
# installed when missing; the tests fail, never skip, without them).
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium and chromium-driver for tests/test_report.py"; \
	    apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else \
	    echo "warning: no chromium/chromedriver and no apt-get: the report's browser tests will fail"; \
	  fi; \
	fi

$(OUT)/events.parquet:
	$(MAKE) run

# Every dev set of dev/ (seeds, pages, orangesum, orangesum_tech, web_fr; .txt and .html):
# runs the pipeline on each into $(OUT)/eval/ and prints the table of scores.
eval: setup
	$(BIN)/souverain-nlp eval-dev --out $(OUT)/eval --json $(OUT)/eval/report.json

lint: setup
	$(BIN)/ruff check src tests

# Mutation check (slow, ~15 min on 2 cores; not part of make test): tools/mutants.py breaks a
# copy of the source in known ways (no events extracted, cleaning keeps every line, perfect
# scorers, group ids from hash(), pairwise grouping, tables written in place) and runs the
# tests that guard each; prints mutation, tests run, caught yes/no, and fails when one is
# not caught.
mutants: setup
	$(BIN)/python tools/mutants.py

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache build dist src/*.egg-info

# Speed and memory against bare nlp.pipe (takes ~15 min on 2 cores); JSON in bench/results/.
bench: setup
	$(BIN)/python bench/bench.py --json bench/results/bench.json

report: setup $(OUT)/events.parquet
	$(BIN)/souverain-nlp report --out $(OUT)

# docs/report.png, the README's screenshot, from the report of a run (headless Chromium).
CHROMIUM_PROFILE := .cache/chromium-profile
screenshot: report browser
	rm -rf $(CHROMIUM_PROFILE)
	chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	  --disable-background-networking --disable-component-update --disable-sync \
	  --user-data-dir=$(CURDIR)/$(CHROMIUM_PROFILE) --hide-scrollbars --window-size=1400,2400 \
	  --screenshot=$(CURDIR)/docs/report.png file://$(CURDIR)/$(OUT)/report.html
	rm -rf $(CHROMIUM_PROFILE)

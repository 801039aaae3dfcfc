"""Quality gate: dev-set scores must stay at or above the floors in eval_floor.json.

Floors only go up: raise them in the same commit as an improvement, never lower them.
"""

from __future__ import annotations

import pytest
from conftest import CORPUS, GOLD, PAGES, ROOT

from souverain_nlp.devsets import clean_scores, dev_set
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
    "published_accuracy",
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


#: Sets whose cleaning (snippets, publication dates) is held by a floor without spaCy.
CLEANING_SETS = [f"{name}_{form}" for name in ("web_fr", "orangesum", "orangesum_tech")
                 for form in ("txt", "html")]


@pytest.mark.parametrize("name", CLEANING_SETS)
def test_cleaning_scores_hold_the_floor(floors, name):
    """ingest + clean alone on the page sets of dev/: keep / drop snippets, dates."""
    report = clean_scores(ROOT, dev_set(name))
    floor = floors[name]
    for key in ("keep_rate", "drop_rate", "published_accuracy"):
        if key in floor:
            assert report[key] >= floor[key], (
                f"{key}: {report[key]} < floor {floor[key]}; {report['snippet_misses'][:10]}"
                f" {report['published_wrong'][:10]}")


#: Real-article sets whose events are held by a floor (the whole pipeline, real model).
EVENT_SETS = [f"{name}_{form}" for name in ("orangesum", "orangesum_tech")
              for form in ("txt", "html")]


@pytest.fixture(scope="session")
def real_reports(tmp_path_factory):
    from souverain_nlp.devsets import evaluate_sets

    return evaluate_sets(ROOT, tmp_path_factory.mktemp("real_sets"), EVENT_SETS)


@pytest.mark.parametrize("name", EVENT_SETS)
def test_real_article_event_scores_hold_the_floor(real_reports, floors, name):
    """The annotated real pages: events, their attributes and the parties named."""
    report = real_reports[name]
    _check(report, floors[name])
    floor = floors[name].get("party_coverage")
    if floor is not None:
        assert report["party_coverage"] >= floor, report["parties_missing"]

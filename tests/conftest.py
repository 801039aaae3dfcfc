"""Session fixtures: the pipeline is run once per corpus and its tables shared by tests."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from souverain_nlp.pipeline import run
from souverain_nlp.store import write_tables

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
GOLD = ROOT / "dev" / "gold"
PAGES = ROOT / "dev" / "pages"
FLOORS = Path(__file__).with_name("eval_floor.json")
SEED_GOLD = GOLD / "seeds.jsonl"
#: Required events of the seed gold (dev/gold/seeds.jsonl); the seed floor finds them all.
SEED_REQUIRED_EVENTS = 19


def _run(corpus: Path, out: Path) -> tuple[Path, object]:
    tables, summary = run(corpus)
    write_tables(out, tables.__dict__)
    return out, summary


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory):
    """Tables of the shipped corpus, written to a temporary folder."""
    return _run(CORPUS, tmp_path_factory.mktemp("seed_outputs"))


@pytest.fixture(scope="session")
def pages_runs(tmp_path_factory):
    """Tables of the dev pages, one run per form (txt, html)."""
    return {
        form: _run(PAGES / form, tmp_path_factory.mktemp(f"pages_{form}"))[0]
        for form in ("txt", "html")
    }


def assert_seed_events(out: Path, extra_events: bool = False) -> None:
    """The tables in ``out`` hold every required event of the seed gold, named by its parties
    (dev/gold/seeds.jsonl), and no other event of the seed articles unless ``extra_events``.

    Known content for the tests that compare two runs: two empty runs are equal too.
    """
    from souverain_nlp.evaluate import load_gold, load_rows, score_events

    gold = load_gold(SEED_GOLD)
    assert sum(e.get("required", True) for g in gold for e in g["events"]) == (
        SEED_REQUIRED_EVENTS
    )
    score = score_events(gold, load_rows(out, "events"), load_rows(out, "articles"))
    missed = [d["missed"] for d in score.details if "missed" in d]
    assert not missed, f"seed gold events missing from {out}: {missed}"
    assert score.tp == SEED_REQUIRED_EVENTS
    if not extra_events:
        extra = [d["false_positive"] for d in score.details if "false_positive" in d]
        assert not extra, f"events of the seed articles that the gold does not have: {extra}"


@pytest.fixture(scope="session", autouse=True)
def no_process_left_behind():
    """After the whole session, no worker process (ours or a CLI run's) is still running.

    multiprocessing's resource tracker of this very process is allowed: it ends with it.
    """
    yield
    import time

    import psutil

    def left() -> list[psutil.Process]:
        out = []
        for p in psutil.Process().children(recursive=True):
            try:
                if p.status() != psutil.STATUS_ZOMBIE and (
                    p.ppid() != os.getpid() or "resource_tracker" not in " ".join(p.cmdline())
                ):
                    out.append(p)
            except psutil.NoSuchProcess:
                pass
        return out

    deadline = time.monotonic() + 15
    while left() and time.monotonic() < deadline:
        time.sleep(0.5)
    stray = [(p.pid, " ".join(p.cmdline())[:120]) for p in left()]
    assert not stray, f"processes left behind by the test session: {stray}"


@pytest.fixture(scope="session")
def floors():
    """Quality floors that make test holds (raise them when scores improve)."""
    return json.loads(FLOORS.read_text(encoding="utf-8"))

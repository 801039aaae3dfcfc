"""Engines (souverain_nlp.parallel) and streaming runs: same tables whatever runs the batches."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import assert_seed_events

from souverain_nlp.parallel import (
    DaskEngine,
    ProcessEngine,
    materialise_rules,
    ordered_map,
    rule_bundle,
)
from souverain_nlp.pipeline import analyse_batch, run, run_to, stream_clean
from souverain_nlp.settings import Settings
from souverain_nlp.store import TABLES

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"


def _tables(out: Path) -> dict[str, list[dict]]:
    return {name: pq.read_table(out / f"{name}.parquet").to_pylist() for name in TABLES}


def test_ordered_map_keeps_order_and_bounds_inflight():
    def slow(x: int) -> int:
        time.sleep(0.01 * (5 - x % 5))
        return x * x

    with ThreadPoolExecutor(4) as pool:
        inflight = []

        def submit(x: int):
            inflight.append(sum(1 for f in futures if not f.done()))
            fut = pool.submit(slow, x)
            futures.append(fut)
            return fut

        futures: list = []
        got = list(ordered_map(submit, range(12), inflight=3))
    assert max(inflight) <= 3
    assert got == [(x, x * x) for x in range(12)]


@pytest.fixture(scope="module")
def seed_batches():
    _, cleans = stream_clean(CORPUS, Settings())
    cleans = list(cleans)
    return [cleans[:2], cleans[2:]]


def _events(analyses):
    return [(e.event_id, e.kind, e.status, e.date, e.purpose) for a in analyses for e in a.events]


def test_worker_processes_give_the_inline_results(seed_batches):
    settings = Settings(workers=2)
    inline = [analyse_batch(b, settings) for b in seed_batches]
    engine = ProcessEngine(settings, 2)
    try:
        remote = [f.result() for f in [engine.submit(b) for b in seed_batches]]
    finally:
        engine.close()
    assert [_events(a) for a in remote] == [_events(a) for a in inline]
    parties = {frozenset(p.entity_id for p in e.parties)
               for batch in inline for analysis in batch for e in analysis.events}
    # known deals of the seed gold, in both batches
    assert {frozenset({"orange", "capgemini", "microsoft"}), frozenset({"ovhcloud", "google"}),
            frozenset({"sap", "deutsche_telekom", "deutsche_bank"})} <= parties


def test_dask_gives_the_local_events(tmp_path):
    settings = Settings(batch_size=2, workers=1)
    run_to(CORPUS, tmp_path / "local", settings)
    engine = DaskEngine(settings, workers=1, processes=False)  # a small in-process cluster
    try:
        from souverain_nlp import parallel

        original = parallel.make_engine
        parallel.make_engine = lambda s: engine
        try:
            run_to(CORPUS, tmp_path / "dask", replace(settings, engine="dask"))
        finally:
            parallel.make_engine = original
    finally:
        engine.close()
    assert _tables(tmp_path / "dask") == _tables(tmp_path / "local")
    assert_seed_events(tmp_path / "dask")


def test_streamed_tables_equal_the_in_memory_ones(tmp_path):
    tables, summary = run(CORPUS, Settings(batch_size=2, workers=1))
    run_to(CORPUS, tmp_path, Settings(batch_size=2, workers=1))
    written = _tables(tmp_path)
    assert summary.articles == len(written["articles"]) == 5
    from souverain_nlp.store import write_tables

    write_tables(tmp_path / "mem", tables.__dict__)
    assert _tables(tmp_path / "mem") == written
    assert_seed_events(tmp_path)


def test_rule_files_travel_to_workers_that_do_not_share_our_disk(tmp_path):
    """Dask workers get the content of models/ and read it from a folder of their own."""
    models = Settings().models_dir
    bundle = rule_bundle(models)
    assert "gazetteer.jsonl" in bundle and "triggers.yaml" in bundle
    dest = materialise_rules(bundle, tmp_path)
    assert dest != models
    for name, data in bundle.items():
        assert (dest / name).read_bytes() == data
    assert materialise_rules(bundle, tmp_path) == dest  # written once
    changed = dict(bundle, **{"triggers.yaml": bundle["triggers.yaml"] + b"\n# edited\n"})
    assert materialise_rules(changed, tmp_path) != dest  # another version, another folder
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".partial")]

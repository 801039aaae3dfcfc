"""Interrupted runs leave the previous outputs intact; two runs give identical tables."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import CORPUS, ROOT, assert_seed_events

from souverain_nlp.store import TABLES

BENCH = ROOT.parent / "shared" / "bench" / "orangesum_2000.jsonl"


def _start(corpus: Path, out: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen(
        [sys.executable, "-m", "souverain_nlp", "run", str(corpus), "--out", str(out),
         "--quiet", "--no-cache"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


def _snapshot(out: Path) -> dict[str, bytes]:
    return {name: (out / f"{name}.parquet").read_bytes() for name in TABLES}


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory):
    """The seeds plus real articles: long enough a run to be killed in the middle."""
    corpus = tmp_path_factory.mktemp("big")
    for f in CORPUS.iterdir():
        shutil.copy(f, corpus / f.name)
    lines = BENCH.read_text(encoding="utf-8").splitlines()[:300] if BENCH.exists() else []
    if not lines:
        pytest.skip("the shared bench corpus is not beside the repository")
    (corpus / "more.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return corpus


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_killed_run_leaves_previous_outputs_intact(seed_run, big_corpus, tmp_path, sig):
    seed_out, _ = seed_run
    out = tmp_path / "outputs"
    shutil.copytree(seed_out, out)
    before = _snapshot(out)
    proc = _start(big_corpus, out)
    time.sleep(8)  # model loaded, articles in flight, tables not written yet
    proc.send_signal(sig)
    proc.wait(timeout=120)
    assert _snapshot(out) == before
    for name in TABLES:
        assert pq.read_table(out / f"{name}.parquet").num_rows >= 0


def test_two_runs_give_identical_tables(seed_run, tmp_path):
    seed_out, _ = seed_run
    out = tmp_path / "again"
    proc = _start(CORPUS, out)
    assert proc.wait(timeout=600) == 0, proc.stderr.read().decode()
    for name in TABLES:
        first = pq.read_table(seed_out / f"{name}.parquet").to_pylist()
        second = pq.read_table(out / f"{name}.parquet").to_pylist()
        assert first == second, name
    assert_seed_events(out)  # the same tables, and the seed events in them

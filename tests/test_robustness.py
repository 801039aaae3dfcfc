"""Killed runs: the previous outputs stay intact, no process outlives the run, nothing is left
behind; two runs give identical tables.

The runs are killed while their tables are being written: small row groups
(``SOUVERAIN_ROW_GROUP_ROWS``) make the writer flush after the first batches, and the signal
is sent once a table file exists in the run's temporary folder, so a writer that wrote
straight into the final files would fail these tests.  The corpus (the seeds and the ~300
real pages of dev/orangesum*/txt) ships with the repository.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pyarrow.parquet as pq
import pytest
from conftest import CORPUS, ROOT, assert_seed_events

from souverain_nlp.store import TABLES

DEV_TXT = [ROOT / "dev" / "orangesum" / "txt", ROOT / "dev" / "orangesum_tech" / "txt"]
#: Exit codes of the CLI for each signal (README): killed, Ctrl-C, terminated.
EXIT = {signal.SIGKILL: -signal.SIGKILL, signal.SIGINT: 130, signal.SIGTERM: 143}
#: Longest wait for a run to start writing its tables (model loading included).
START_TIMEOUT = 300


def _start(corpus: Path, out: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "SOUVERAIN_ROW_GROUP_ROWS": "50"}
    return subprocess.Popen(
        [sys.executable, "-m", "souverain_nlp", "run", str(corpus), "--out", str(out),
         "--quiet", "--no-cache", *extra],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the cleanup below can find it
    )


def _snapshot(out: Path) -> dict[str, bytes]:
    return {name: (out / f"{name}.parquet").read_bytes() for name in TABLES}


def _tmp_dirs(out: Path) -> list[Path]:
    return sorted(p for p in out.glob(".tmp-*") if p.is_dir())


def _gone(procs: list[psutil.Process], timeout: float) -> list[psutil.Process]:
    """The processes still running after ``timeout`` seconds (zombies count as gone)."""
    deadline = time.monotonic() + timeout
    while True:
        alive = []
        for p in procs:
            try:
                if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                    alive.append(p)
            except psutil.NoSuchProcess:
                pass
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.2)


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory):
    """The seeds plus ~300 real pages: long enough a run to be killed while it writes."""
    corpus = tmp_path_factory.mktemp("big")
    for f in CORPUS.iterdir():
        shutil.copy(f, corpus / f.name)
    n = 0
    for folder in DEV_TXT:
        assert folder.is_dir(), f"{folder} is part of the repository and must be present"
        for f in sorted(folder.glob("*.txt")):
            shutil.copy(f, corpus / f"{folder.parent.name}_{f.name}")
            n += 1
    assert n >= 250, f"only {n} dev pages found under dev/orangesum*/txt"
    return corpus


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT, signal.SIGTERM],
                         ids=["SIGKILL", "SIGINT", "SIGTERM"])
def test_run_killed_while_writing_keeps_outputs_and_leaves_no_process(
    seed_run, big_corpus, tmp_path, sig
):
    seed_out, _ = seed_run
    out = tmp_path / "outputs"
    shutil.copytree(seed_out, out)
    before = _snapshot(out)
    proc = _start(big_corpus, out, "--workers", "2", "--batch-size", "8")
    tree: list[psutil.Process] = []
    try:
        started = time.monotonic()
        while not any(t.glob("*.parquet") for t in _tmp_dirs(out)):
            assert proc.poll() is None, ("the run ended before writing", proc.stderr.read())
            assert time.monotonic() - started < START_TIMEOUT, "no table written in time"
            time.sleep(0.1)
        main = psutil.Process(proc.pid)
        tree = [main, *main.children(recursive=True)]
        workers = [p for p in tree[1:] if "spawn_main" in " ".join(p.cmdline())]
        assert len(workers) == 2, [p.cmdline() for p in tree]
        assert any("resource_tracker" in " ".join(p.cmdline()) for p in tree[1:])
        proc.send_signal(sig)  # to the main process only, as `kill PID` does
        assert proc.wait(timeout=120) == EXIT[sig], proc.stderr.read()
        # every worker and the resource tracker end with it, whatever the signal
        left = _gone(tree, timeout=15)
        assert not left, [(p.pid, p.cmdline()) for p in left]
        assert _snapshot(out) == before  # byte for byte: the kill came while writing
        if sig == signal.SIGKILL:
            # nothing can clean up after SIGKILL: the next run writing here does
            assert _tmp_dirs(out)
            again = _start(CORPUS, out, "--workers", "1")
            assert again.wait(timeout=600) == 0, again.stderr.read()
        assert not _tmp_dirs(out)
    finally:
        for p in _gone(tree, timeout=0):
            p.kill()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


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

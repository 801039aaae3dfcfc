"""The README runs as written: every ``sql`` and ``python`` block on the seed outputs, user
sections before developer material, no path outside the repository."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT

README = ROOT / "README.md"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def _blocks(lang: str) -> list[str]:
    return [code for kind, code in BLOCK.findall(README.read_text(encoding="utf-8"))
            if kind == lang]


@pytest.fixture(scope="module")
def in_repo_like_folder(seed_run, tmp_path_factory) -> Path:
    """A folder whose outputs/ holds the seed tables, as the repository's after `make run`."""
    work = tmp_path_factory.mktemp("readme")
    shutil.copytree(seed_run[0], work / "outputs")
    return work


def test_readme_has_duckdb_and_polars_queries():
    assert len(_blocks("sql")) >= 2
    python = "\n".join(_blocks("python"))
    assert "import polars" in python and "souverain_nlp.load" in python
    text = README.read_text(encoding="utf-8")
    assert "`end` is a reserved word" in text
    assert any('"end"' in sql for sql in _blocks("sql"))


@pytest.mark.parametrize("index", range(len(_blocks("sql"))))
def test_sql_blocks_run_in_duckdb(in_repo_like_folder, monkeypatch, index):
    import duckdb

    monkeypatch.chdir(in_repo_like_folder)
    rows = duckdb.sql(_blocks("sql")[index]).fetchall()
    assert rows, "the query returns rows on the seed outputs"


@pytest.mark.parametrize("index", range(len(_blocks("python"))))
def test_python_blocks_run(in_repo_like_folder, monkeypatch, index):
    monkeypatch.chdir(in_repo_like_folder)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(_blocks("python")[index], f"README.md python block {index}", "exec"), {})
    assert printed.getvalue().strip(), "the snippet prints its result"


def test_polars_query_counts_deals(in_repo_like_folder, monkeypatch):
    import polars as pl

    monkeypatch.chdir(in_repo_like_folder)
    namespace: dict = {}
    code = next(b for b in _blocks("python") if "import polars" in b)
    with contextlib.redirect_stdout(io.StringIO()):
        exec(code, namespace)
    top = namespace["top"]
    assert isinstance(top, pl.DataFrame) and top.height > 0
    assert top["deals"].to_list() == sorted(top["deals"].to_list(), reverse=True)


def test_user_sections_come_first():
    heads = re.findall(r"^## (.+)$", README.read_text(encoding="utf-8"), re.MULTILINE)
    order = ["Install", "Two commands", "Command line", "Outputs", "Notebook",
             "For developers"]
    assert [h for h in heads if h in order] == order
    assert heads[-1] == "For developers", "developer material (bench, floors) last"


def test_no_path_outside_the_repository():
    text = README.read_text(encoding="utf-8")
    assert "../" not in text
    assert not re.search(r"(?<![\w:/.])/(?:work|tmp|home|root|usr|opt|path|Users)/", text)

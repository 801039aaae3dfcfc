"""Parquet tables of the output contract (souverain_nlp.store)."""

import os
from datetime import date

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from souverain_nlp.store import (
    SCHEMAS,
    TABLES,
    date_bounds,
    iso_day,
    read_problems,
    to_table,
    write_problems,
    write_tables,
)

CONTRACT = {
    "articles": ["article_id", "source", "title", "published", "published_from", "text_clean",
                 "n_chars_raw", "n_chars_clean", "status", "error"],
    "blocks": ["article_id", "block_index", "start", "end", "kept", "reason"],
    "mentions": ["article_id", "sentence_index", "start", "end", "text", "label", "entity_id"],
    "entities": ["entity_id", "name", "type", "country", "bloc", "aliases", "n_mentions",
                 "n_articles"],
    "events": ["event_id", "article_id", "kind", "status", "who", "with_whom", "party_ids",
               "date", "date_text", "date_granularity", "purpose", "trigger", "sentence",
               "start", "end", "confidence", "event_group", "countries", "axis"],
}


@pytest.mark.parametrize("name", TABLES)
def test_schemas_hold_the_contract_columns(name):
    assert set(CONTRACT[name]) <= set(SCHEMAS[name].names)


def test_empty_tables_keep_their_columns(tmp_path):
    write_tables(tmp_path, {})
    for name in TABLES:
        table = pq.read_table(tmp_path / f"{name}.parquet")
        assert table.num_rows == 0
        assert table.schema.names == SCHEMAS[name].names


def test_round_trip_lists_and_nulls(tmp_path):
    row = {"entity_id": "x-acme", "name": "Acme", "type": "ORG", "country": None,
           "bloc": None, "aliases": ["Acme", "ACME SA"], "n_mentions": 2, "n_articles": 1}
    write_tables(tmp_path, {"entities": [row]})
    back = pq.read_table(tmp_path / "entities.parquet").to_pylist()[0]
    assert back["aliases"] == ["Acme", "ACME SA"]
    assert back["country"] is None


def test_unknown_column_is_an_error():
    with pytest.raises(ValueError, match="not in the schema"):
        to_table("blocks", [{"article_id": "a", "colour": "red"}])


def test_previous_outputs_survive_a_failed_write(tmp_path):
    entity = {"entity_id": "x-acme", "name": "Acme", "type": "ORG", "aliases": ["Acme"],
              "n_mentions": 1, "n_articles": 1}
    write_tables(tmp_path, {"entities": [entity]})
    before = {name: (tmp_path / f"{name}.parquet").read_bytes() for name in TABLES}
    with pytest.raises(ValueError):  # the last table is bad: none of the five may change
        write_tables(tmp_path, {"articles": [{"article_id": "a", "source": "a.txt"}],
                                "events": [{"event_id": "e", "nonsense": 1}]})
    assert {name: (tmp_path / f"{name}.parquet").read_bytes() for name in TABLES} == before
    assert pq.read_table(tmp_path / "entities.parquet").to_pylist()[0]["name"] == "Acme"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]


def test_streamed_row_groups_equal_one_write(tmp_path):
    from souverain_nlp.store import TableWriter

    rows = [{"article_id": f"a{i}", "block_index": i, "start": 0, "end": i, "kept": True,
             "reason": "content"} for i in range(25)]
    with TableWriter(tmp_path / "stream", row_group_rows=10) as writer:
        for i in range(0, 25, 7):
            writer.add("blocks", rows[i : i + 7])
    write_tables(tmp_path / "once", {"blocks": rows})
    streamed = pq.ParquetFile(tmp_path / "stream" / "blocks.parquet")
    assert streamed.metadata.num_row_groups == 2  # flushed at 14 rows, then the last 11
    once = pq.read_table(tmp_path / "once" / "blocks.parquet")
    assert streamed.read().to_pylist() == once.to_pylist()
    for name in TABLES:
        table = pq.read_table(tmp_path / "stream" / f"{name}.parquet")
        assert table.schema.names == SCHEMAS[name].names


def test_streaming_write_is_all_or_nothing(tmp_path):
    from souverain_nlp.store import TableWriter

    write_tables(tmp_path, {"entities": []})
    before = (tmp_path / "blocks.parquet").read_bytes()
    with pytest.raises(RuntimeError), TableWriter(tmp_path, row_group_rows=1) as writer:
        writer.add("blocks", [{"article_id": "a", "block_index": 0, "start": 0, "end": 1,
                               "kept": True, "reason": "content"}] * 3)
        raise RuntimeError("interrupted")
    assert (tmp_path / "blocks.parquet").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]


@pytest.mark.parametrize(
    ("prefix", "start", "end"),
    [
        ("2020-08-12", date(2020, 8, 12), date(2020, 8, 12)),
        ("2020-09", date(2020, 9, 1), date(2020, 9, 30)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2020", date(2020, 1, 1), date(2020, 12, 31)),
        ("201", date(2010, 1, 1), date(2019, 12, 31)),
        ("XXXX-06-04", None, None),
        ("XXXX-06", None, None),
        ("2020-13", None, None),
        ("2021-02-30", None, None),
        ("", None, None),
        (None, None, None),
    ],
)
def test_date_bounds(prefix, start, end):
    assert date_bounds(prefix) == (start, end)


def test_iso_day():
    assert iso_day("2021-05-28") == date(2021, 5, 28)
    assert iso_day("2021-05-28T10:00:00") == date(2021, 5, 28)
    assert iso_day("2021-05") is None and iso_day(None) is None and iso_day("XXXX-05-28") is None


LABELS = {
    "articles": ("status", "published_from"),
    "blocks": ("reason",),
    "mentions": ("label",),
    "entities": ("type", "bloc"),
    "events": ("kind", "status", "axis", "date_granularity"),
}


def test_the_files_carry_typed_columns(seed_run):
    out, _ = seed_run
    for name, labels in LABELS.items():
        schema = pq.read_schema(out / f"{name}.parquet")
        for col in labels:
            assert pa.types.is_dictionary(schema.field(col).type), (name, col)
    events = pq.read_table(out / "events.parquet")
    for col in ("date_start", "date_end", "published_date"):
        assert events.schema.field(col).type == pa.date32()
    rows = events.to_pylist()
    assert any(r["date_start"] for r in rows)
    for r in rows:
        assert (r["date_start"], r["date_end"]) == date_bounds(r["date"])
        assert r["published_date"] == iso_day(r["published"])
        assert r["parties"] == ("; ".join(r["who"] + r["with_whom"]) or None)
    articles = {a["article_id"]: a for a in pq.read_table(out / "articles.parquet").to_pylist()}
    assert any(a["published_date"] for a in articles.values())
    for a in articles.values():
        assert a["published_date"] == iso_day(a["published"])
    for r in rows:
        assert r["published"] == articles[r["article_id"]]["published"]


def test_duckdb_reads_dates_and_labels_as_such(seed_run):
    import duckdb

    out, _ = seed_run
    path = (out / "events.parquet").as_posix()
    types = {row[0]: row[1] for row in duckdb.sql(f"DESCRIBE SELECT * FROM '{path}'").fetchall()}
    assert types["date_start"] == "DATE" and types["published_date"] == "DATE"
    assert types["kind"] == "VARCHAR"
    with pytest.raises(duckdb.ConversionException):
        duckdb.sql(f"SELECT CAST(date AS DATE) FROM '{path}'").fetchall()  # "2020-09"
    n = duckdb.sql(
        f"SELECT count(*) FROM '{path}' WHERE date_start <= date_end "
        "AND date_start >= DATE '2010-01-01'"
    ).fetchall()[0][0]
    assert n == sum(1 for r in pq.read_table(path).to_pylist() if r["date_start"])


def test_problems_file_round_trip(tmp_path):
    assert read_problems(tmp_path) == []
    rows = [{"source": "a, b.txt", "status": "skipped", "reason": 'empty "file"'}]
    path = write_problems(tmp_path, rows)
    assert path.name == "problems.csv"
    assert read_problems(tmp_path) == rows
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]
def test_temporary_folders_of_dead_runs_are_removed(tmp_path):
    import subprocess
    import sys

    from souverain_nlp.settings import OUTPUT_MARKER

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    stale = [tmp_path / f".tmp-{dead}-abc", tmp_path / ".tmp-old_naming"]
    live = tmp_path / f".tmp-{os.getpid()}-live"  # this process: a run in progress
    for folder in (*stale, live):
        folder.mkdir()
        (folder / "events.parquet").write_bytes(b"partial")
    write_tables(tmp_path, {})
    assert not any(p.exists() for p in stale)
    assert live.exists()
    assert (tmp_path / OUTPUT_MARKER).is_file()  # a corpus holding it never reads it

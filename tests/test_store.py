"""Parquet tables of the output contract (souverain_nlp.store)."""

import pyarrow.parquet as pq
import pytest

from souverain_nlp.store import SCHEMAS, TABLES, to_table, write_tables

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
    write_tables(tmp_path, {"entities": []})
    before = (tmp_path / "events.parquet").read_bytes()
    with pytest.raises(ValueError):
        write_tables(tmp_path, {"events": [{"event_id": "e", "nonsense": 1}]})
    assert (tmp_path / "events.parquet").read_bytes() == before
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

"""End to end: the pipeline over the shipped corpus writes the five contract tables."""

from __future__ import annotations

import pyarrow.parquet as pq

from souverain_nlp.store import SCHEMAS, TABLES


def test_five_tables_with_contract_columns(seed_run):
    out, summary = seed_run
    for name in TABLES:
        table = pq.read_table(out / f"{name}.parquet")
        assert table.schema.names == SCHEMAS[name].names
    assert summary.articles == 5
    assert summary.errors == 0


def test_articles_are_cleaned_and_dated(seed_run):
    out, _ = seed_run
    articles = pq.read_table(out / "articles.parquet").to_pylist()
    assert all(a["status"] == "ok" for a in articles)
    assert all(len(a["article_id"]) == 16 for a in articles)
    assert all(0 < a["n_chars_clean"] <= a["n_chars_raw"] for a in articles)
    by_source = {a["source"]: a for a in articles}
    assert by_source["002_5e6dd8e330b6790f.txt"]["published"] == "2021-05-28"
    assert by_source["002_5e6dd8e330b6790f.txt"]["published_from"] == "byline"


def test_every_block_has_a_decision(seed_run):
    out, _ = seed_run
    blocks = pq.read_table(out / "blocks.parquet").to_pylist()
    assert blocks
    assert all(b["reason"] for b in blocks)
    assert {b["kept"] for b in blocks} == {True, False}


def test_events_point_into_text_clean(seed_run):
    out, _ = seed_run
    articles = {a["article_id"]: a for a in pq.read_table(out / "articles.parquet").to_pylist()}
    events = pq.read_table(out / "events.parquet").to_pylist()
    assert len(events) >= 10
    for e in events:
        text = articles[e["article_id"]]["text_clean"]
        assert text[e["start"] : e["end"]].strip() == e["sentence"]
        assert len(e["who"]) + len(e["with_whom"]) >= 2
        assert len(e["countries"]) == len(e["party_ids"])
        assert 0 < e["confidence"] <= 1


def test_mentions_point_into_text_clean(seed_run):
    out, _ = seed_run
    articles = {a["article_id"]: a for a in pq.read_table(out / "articles.parquet").to_pylist()}
    mentions = pq.read_table(out / "mentions.parquet").to_pylist()
    assert mentions
    for m in mentions:
        assert articles[m["article_id"]]["text_clean"][m["start"] : m["end"]] == m["text"]


def test_entities_have_ids_and_blocs(seed_run):
    out, _ = seed_run
    entities = pq.read_table(out / "entities.parquet").to_pylist()
    by_name = {e["name"]: e for e in entities}
    assert len({e["entity_id"] for e in entities}) == len(entities)
    assert by_name["Microsoft"]["bloc"] == "US"
    assert by_name["Alibaba"]["country"] == "CN"


def test_ovhcloud_google_deal_is_one_group_across_articles(seed_run):
    out, _ = seed_run
    events = pq.read_table(out / "events.parquet").to_pylist()
    groups = {
        e["event_group"]
        for e in events
        if {"ovhcloud", "google"} <= {p.lower() for p in e["party_ids"]}
    }
    assert len(groups) == 1
    assert max(e["group_n_articles"] for e in events) >= 2

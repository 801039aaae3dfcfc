"""Loading the output tables as typed DataFrames (souverain_nlp.load)."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq
import pytest
from conftest import SEED_REQUIRED_EVENTS

import souverain_nlp
from souverain_nlp.load import (
    Dataset,
    date_start,
    event_parties,
    load,
    load_entities,
    load_events,
    load_table,
)
from souverain_nlp.store import TABLES, write_tables


@pytest.fixture(scope="module")
def seed_data(seed_run) -> Dataset:
    out_dir, _ = seed_run
    return load(out_dir)


def _event(**values):
    row = {
        "event_id": "e1",
        "article_id": "a1",
        "source": "a.txt",
        "kind": "partnership",
        "status": "announced",
        "who": ["Orange"],
        "with_whom": ["Google"],
        "party_ids": ["orange", "google"],
        "party_texts": ["Orange", "Google Cloud"],
        "date": "2020-07",
        "sentence": "Orange a signé un partenariat avec Google Cloud.",
        "start": 0,
        "end": 48,
        "confidence": 0.9,
        "event_group": "g1",
        "group_n_articles": 1,
        "countries": ["FR", "US"],
        "axis": "EU-US",
    }
    row.update(values)
    return row


def test_top_level_exports():
    assert souverain_nlp.load is load
    assert souverain_nlp.load_events is load_events
    assert callable(souverain_nlp.event_parties)


def test_load_returns_every_table_with_its_rows(seed_run, seed_data):
    out_dir, _ = seed_run
    assert list(seed_data) == list(TABLES)
    for name in TABLES:
        raw = pq.read_table(out_dir / f"{name}.parquet")
        frame = seed_data[name]
        assert len(frame) == raw.num_rows
        assert set(raw.schema.names) <= set(frame.columns), "contract columns are kept"
    assert seed_data.as_dict()["events"] is seed_data.events
    with pytest.raises(KeyError, match="no table"):
        seed_data["nope"]


def test_dtypes_of_the_events(seed_data):
    events = seed_data.events
    assert len(events) > 0
    for col in ("kind", "status", "axis", "date_granularity"):
        assert isinstance(events[col].dtype, pd.CategoricalDtype), col
    assert list(events["kind"].cat.categories[:2]) == ["partnership", "agreement"]
    for col in ("who", "with_whom", "party_ids", "party_texts", "countries"):
        assert all(isinstance(v, list) for v in events[col]), col
    assert pd.api.types.is_datetime64_any_dtype(events["date_start"])
    assert pd.api.types.is_datetime64_any_dtype(events["published_date"])
    assert str(events["date_year"].dtype) == "Int64"
    dated = events[events["date"].notna() & ~events["date"].astype(str).str.startswith("X")]
    assert dated["date_start"].notna().all()
    assert (dated["date_start"].dt.year == dated["date"].str[:4].astype(int)).all()
    assert events.loc[events["date"].isna(), "date_start"].isna().all()


def test_dtypes_of_the_other_tables(seed_data):
    assert isinstance(seed_data.entities["bloc"].dtype, pd.CategoricalDtype)
    assert all(isinstance(v, list) for v in seed_data.entities["aliases"])
    assert isinstance(seed_data.mentions["label"].dtype, pd.CategoricalDtype)
    assert isinstance(seed_data.blocks["reason"].dtype, pd.CategoricalDtype)
    articles = seed_data.articles
    assert isinstance(articles["status"].dtype, pd.CategoricalDtype)
    with_date = articles["published"].notna()
    assert articles.loc[with_date, "published_date"].notna().all()
    assert (
        articles.loc[with_date, "published_date"].dt.strftime("%Y-%m-%d")
        == articles.loc[with_date, "published"]
    ).all()


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("2020", "2020-01-01"),
        ("2020-09", "2020-09-01"),
        ("2020-08-12", "2020-08-12"),
        ("XXXX-06-04", None),
        ("2020-13", None),
        ("2021-02-30", None),
        ("", None),
        (None, None),
    ],
)
def test_date_start(prefix, expected):
    value = date_start(prefix)
    if expected is None:
        assert value is pd.NaT
    else:
        assert value == pd.Timestamp(expected)


def test_unknown_labels_are_kept_as_categories(tmp_path):
    write_tables(tmp_path, {"events": [_event(kind="merger", date="XXXX-06-04")]})
    events = load_events(tmp_path)
    assert events.loc[0, "kind"] == "merger"
    assert "merger" in events["kind"].cat.categories
    assert events.loc[0, "date"] == "XXXX-06-04", "the contract column is kept as it is"
    assert events.loc[0, "date_start"] is pd.NaT


def test_null_lists_become_empty_lists(tmp_path):
    write_tables(tmp_path, {"events": [_event(with_whom=None)]})
    assert load_table(tmp_path, "events").loc[0, "with_whom"] == []


def test_empty_tables_load_with_their_dtypes(tmp_path):
    write_tables(tmp_path, {})
    data = load(tmp_path)
    assert data.events.empty
    assert pd.api.types.is_datetime64_any_dtype(data.events["date_start"])
    assert isinstance(data.events["kind"].dtype, pd.CategoricalDtype)
    assert load_entities(tmp_path).empty


def test_missing_folder_says_to_run_the_pipeline(tmp_path):
    with pytest.raises(FileNotFoundError, match="make run"):
        load(tmp_path / "nowhere")
    with pytest.raises(FileNotFoundError, match="events.parquet"):
        load(tmp_path)
    with pytest.raises(ValueError, match="unknown table"):
        load_table(tmp_path, "nope")


def test_event_parties_has_one_row_per_party(seed_data):
    parties = event_parties(seed_data.events, seed_data.entities)
    assert len(parties) == sum(len(ids) for ids in seed_data.events["party_ids"])
    assert set(parties["role"].astype(str)) <= {"who", "with_whom"}
    names = dict(zip(seed_data.entities["entity_id"], seed_data.entities["name"], strict=True))
    assert all(names[p] == n for p, n in zip(parties["entity_id"], parties["party_name"],
                                             strict=True))
    for _, ev in seed_data.events.iterrows():
        rows = parties[parties["event_id"] == ev["event_id"]]
        assert sorted(rows.loc[rows["role"] == "who", "party_name"]) == sorted(ev["who"])
    # known content: the joint venture of the seed gold (002: Orange, Capgemini, Microsoft)
    jv = parties[(parties["source"] == "002_5e6dd8e330b6790f.txt")
                 & (parties["kind"].astype(str) == "joint_venture")]
    assert dict(zip(jv["party_name"], jv["party_country"], strict=True)) == {
        "Orange": "FR", "Capgemini": "FR", "Microsoft": "US"}
    assert len(parties) >= 2 * SEED_REQUIRED_EVENTS  # every seed event has two parties or more

"""souverain-nlp export: CSV, JSON lines and XLSX that pandas reads back equal."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from souverain_nlp.cli import app
from souverain_nlp.export import (
    EVENT_COLUMNS,
    FORMATS,
    PARTY_COLUMNS,
    events_frame,
    export_events,
    read_export,
)
from souverain_nlp.load import load
from souverain_nlp.store import write_tables


@pytest.fixture(scope="module")
def seed_data(seed_run):
    return load(seed_run[0])


@pytest.mark.parametrize("per_party", [False, True])
@pytest.mark.parametrize("fmt", FORMATS)
def test_export_reads_back_equal(seed_run, seed_data, tmp_path, fmt, per_party):
    path = export_events(seed_run[0], fmt, tmp_path / f"events.{fmt}", per_party=per_party)
    expected = events_frame(seed_data, per_party=per_party)
    pd.testing.assert_frame_equal(read_export(path), expected)
    # and with pandas' own defaults the rows and columns are all there
    plain = {"csv": pd.read_csv, "xlsx": pd.read_excel,
             "jsonl": lambda p: pd.read_json(p, lines=True)}[fmt](path)
    assert list(plain.columns) == list(expected.columns)
    assert list(plain["event_id"]) == list(expected["event_id"])


def test_one_row_per_event_with_parties_as_text(seed_data):
    frame = events_frame(seed_data)
    events = seed_data.events
    assert list(frame.columns) == list(EVENT_COLUMNS)
    assert len(frame) == len(events)
    for row, (_, ev) in zip(frame.itertuples(), events.iterrows(), strict=True):
        assert row.who == ("; ".join(ev["who"]) or None)
        assert row.with_whom == ("; ".join(ev["with_whom"]) or None)
        assert row.parties == ("; ".join([*ev["who"], *ev["with_whom"]]) or None)
    dated = frame[frame["date"].notna() & ~frame["date"].fillna("").str.startswith("X")]
    assert (dated["date_start"].str[:4] == dated["date"].str[:4]).all()
    assert frame["published"].notna().any()


def test_per_party_rows(seed_data):
    frame = events_frame(seed_data, per_party=True)
    assert list(frame.columns) == list(EVENT_COLUMNS + PARTY_COLUMNS)
    assert len(frame) == sum(len(ids) for ids in seed_data.events["party_ids"])
    assert set(frame["role"]) <= {"who", "with_whom"}


def test_awkward_text_survives_every_format(tmp_path):
    row = {
        "event_id": "e1", "article_id": "a1", "source": "x.txt", "kind": "partnership",
        "status": "announced", "who": ["NA"], "with_whom": ["Ã§a; \"Quote\", Inc."],
        "party_ids": ["na", "q"], "date": "2020", "sentence": "Ligne 1\nligne 2\x07.",
        "start": 0, "end": 10, "confidence": 0.123456789, "event_group": "g1",
        "group_n_articles": 1, "countries": [None, "US"], "axis": "EU-US",
    }
    write_tables(tmp_path, {"events": [row]})
    for fmt in FORMATS:
        back = read_export(export_events(tmp_path, fmt))
        assert back.loc[0, "who"] == "NA" and back.loc[0, "date"] == "2020"
        assert back.loc[0, "with_whom"] == "Ã§a; \"Quote\", Inc."
        assert back.loc[0, "countries"] == "; US"
        assert back.loc[0, "confidence"] == 0.123, fmt
        expected = "Ligne 1\nligne 2." if fmt == "xlsx" else "Ligne 1\nligne 2\x07."
        assert back.loc[0, "sentence"] == expected
        assert back.loc[0, "title"] is None


def test_cli_export(seed_run, tmp_path):
    dest = tmp_path / "deals.xlsx"
    result = CliRunner().invoke(
        app, ["export", "-o", str(seed_run[0]), "--format", "xlsx", "--dest", str(dest)]
    )
    assert result.exit_code == 0, result.output
    assert dest.is_file() and str(dest) in result.stdout
    result = CliRunner().invoke(
        app, ["export", "-o", str(seed_run[0]), "--format", "csv", "--per-party",
              "--dest", str(tmp_path / "p.csv")]
    )
    assert result.exit_code == 0, result.output
    assert "party_name" in (tmp_path / "p.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    bad = CliRunner().invoke(app, ["export", "-o", str(seed_run[0]), "--format", "ods"])
    assert bad.exit_code == 2 and "csv, jsonl, xlsx" in bad.stderr
    missing = CliRunner().invoke(app, ["export", "-o", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "make run" in missing.stderr

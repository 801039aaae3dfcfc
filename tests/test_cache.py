"""Incremental runs (souverain_nlp.cache): unchanged articles are not analysed again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import assert_seed_events

from souverain_nlp import nlp as nlp_module
from souverain_nlp.cache import AnalysisCache, pipeline_key
from souverain_nlp.pipeline import run_to
from souverain_nlp.settings import Settings
from souverain_nlp.store import TABLES

ROOT = Path(__file__).resolve().parents[1]


def _tables(out: Path) -> dict[str, list[dict]]:
    return {name: pq.read_table(out / f"{name}.parquet").to_pylist() for name in TABLES}


@pytest.fixture
def corpus(tmp_path):
    dest = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", dest)
    return dest


def _settings(out: Path) -> Settings:
    return Settings(workers=1, cache_dir=out / ".cache")


def test_unchanged_rerun_uses_the_cache_without_spacy(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    first = run_to(corpus, out, _settings(out))
    assert first.analysed == 5 and first.cached == 0
    before = _tables(out)

    def no_model(*args, **kwargs):
        raise AssertionError("the model was loaded on an unchanged corpus")

    monkeypatch.setattr(nlp_module, "_load", no_model)
    again = run_to(corpus, out, _settings(out))
    assert again.analysed == 0 and again.cached == 5 and again.workers == 0
    assert _tables(out) == before
    assert_seed_events(out)


def test_changed_article_alone_is_analysed_and_outputs_match_a_fresh_run(corpus, tmp_path):
    out = tmp_path / "out"
    run_to(corpus, out, _settings(out))
    changed = sorted(corpus.glob("*.txt"))[0]
    changed.write_text(
        changed.read_text(encoding="utf-8")
        + "\nOVHcloud a signé un partenariat avec Google Cloud en mars 2021.\n",
        encoding="utf-8",
    )
    (corpus / "new.txt").write_text(
        "Capgemini et Orange s'allient\nCapgemini a conclu un accord avec Orange.\n",
        encoding="utf-8",
    )
    again = run_to(corpus, out, _settings(out))
    assert again.analysed == 2 and again.cached == 4
    fresh = tmp_path / "fresh"
    run_to(corpus, fresh, Settings(workers=1))
    assert _tables(out) == _tables(fresh)
    assert_seed_events(out, extra_events=True)
    added = {(e["source"], frozenset(e["party_ids"]), e["date"]) for e in _tables(out)["events"]}
    assert (changed.name, frozenset({"ovhcloud", "google"}), "2021-03") in added
    assert ("new.txt", frozenset({"capgemini", "orange"}), None) in added


def test_keys_depend_on_the_parse_mode_and_rules(tmp_path):
    gated = pipeline_key(Settings())
    assert pipeline_key(Settings(full_parse=True)) != gated
    models = tmp_path / "models"
    shutil.copytree(Settings().models_dir, models)
    assert pipeline_key(Settings(models_dir=models)) == gated
    (models / "triggers.yaml").write_text(
        (models / "triggers.yaml").read_text(encoding="utf-8") + "\n# edited\n",
        encoding="utf-8",
    )
    assert pipeline_key(Settings(models_dir=models)) != gated


def test_cache_round_trip(tmp_path):
    from souverain_nlp.pipeline import Analysis
    from souverain_nlp.records import CleanDoc

    cache = AnalysisCache(tmp_path, Settings())
    doc = CleanDoc(article_id="a1", source="a.txt", text_clean="Texte.")
    assert cache.get_many([doc]) == {}
    cache.put_many([(doc, Analysis("a1", reference="2020-01-01"))])
    got = cache.get_many([doc])
    assert list(got.values())[0].reference == "2020-01-01"
    cache.close()


def test_unchanged_rerun_does_not_clean_again(corpus, tmp_path, monkeypatch):
    from souverain_nlp import clean as clean_stage

    out = tmp_path / "out"
    run_to(corpus, out, _settings(out))
    before = _tables(out)

    def no_clean(*args, **kwargs):
        raise AssertionError("an unchanged article was cleaned again")

    monkeypatch.setattr(clean_stage, "clean", no_clean)
    run_to(corpus, out, _settings(out))
    assert _tables(out) == before
    assert_seed_events(out)


def test_new_recurring_lines_clean_every_article_again(corpus, tmp_path):
    """Cleaning depends on lines that recur across the corpus: when an added article makes
    a line recurrent, the others are cleaned again, as a fresh run would."""
    out = tmp_path / "out"
    run_to(corpus, out, _settings(out))
    line = "Abonnez-vous à notre lettre d'information quotidienne gratuite"
    for n in range(4):
        (corpus / f"promo{n}.txt").write_text(
            f"Titre numéro {n}\nUn texte différent pour l'article {n} sur le marché.\n{line}\n",
            encoding="utf-8",
        )
    run_to(corpus, out, _settings(out))
    fresh = tmp_path / "fresh"
    run_to(corpus, fresh, Settings(workers=1))
    assert _tables(out) == _tables(fresh)
    assert_seed_events(out)
    promos = [a for a in _tables(out)["articles"] if a["source"].startswith("promo")]
    assert len(promos) == 4
    for a in promos:  # the line that became recurrent is dropped, the rest kept
        assert line not in a["text_clean"] and "Un texte différent" in a["text_clean"]


def test_a_torn_cache_file_is_replaced_not_fatal(tmp_path):
    from souverain_nlp.cache import CACHE_FILE
    from souverain_nlp.records import CleanDoc

    (tmp_path / CACHE_FILE).write_bytes(b"not a database" * 100)
    cache = AnalysisCache(tmp_path, Settings())
    doc = CleanDoc(article_id="a1", source="a.txt", text_clean="Texte.")
    assert cache.get_many([doc]) == {}
    cache.close()


def test_identical_copies_share_one_cache_entry(tmp_path):
    from souverain_nlp.records import CleanDoc

    cache = AnalysisCache(tmp_path, Settings())
    one = CleanDoc(article_id="a1", source="a.txt", text_clean="Texte.", content_hash="h")
    copy = CleanDoc(article_id="a2", source="b.txt", text_clean="Texte.", content_hash="h")
    assert cache.key(one) == cache.key(copy)
    cache.close()

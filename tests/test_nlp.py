"""The spaCy stage (souverain_nlp.nlp): gated parsing gives the reference annotations."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from souverain_nlp.gazetteer import load_gazetteer
from souverain_nlp.nlp import WINDOW_PAD_TOKENS, annotate, get_nlp, windows
from souverain_nlp.pipeline import analyse_doc
from souverain_nlp.rules import load_rules

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def seed_cleans():
    """Cleaned dev articles: the seed corpus and the dev pages (txt and html)."""
    from souverain_nlp import ingest
    from souverain_nlp.pipeline import clean_corpus

    out = []
    pages = ROOT / "dev" / "pages"
    for folder in (ROOT / "corpus", pages / "txt", pages / "html"):
        out += [c for c in clean_corpus(ingest.iter_corpus(folder)) if c.status == "ok"]
    return out


@pytest.fixture(scope="module")
def nlp():
    return get_nlp()


@pytest.fixture(scope="module")
def both(nlp, seed_cleans):
    texts = [c.text_clean for c in seed_cleans]
    return list(annotate(nlp, texts, full_parse=True)), list(annotate(nlp, texts))


def test_windows_merge_neighbours_and_pad(nlp):
    doc = nlp.make_doc("Un. Deux deux. Trois trois trois. Quatre. Cinq cinq. Six. Sept sept.")
    nlp.get_pipe("souverain_sentences")(doc)
    sents = list(doc.sents)
    assert len(sents) == 7
    # [0..5] merged into one window: three sentences before, two after, and the lead
    (pad_lo, lo, hi, pad_hi), = windows(doc, [2, 3])
    assert (lo, hi) == (sents[0].start, sents[5].end)
    assert pad_lo == max(0, lo - WINDOW_PAD_TOKENS) and pad_hi == min(len(doc), hi + 8)


def test_lemmatizer_index_is_a_set(nlp):
    table = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
    assert isinstance(table.get("noun"), frozenset)


def test_same_sentences_entities_and_window_parses(both):
    full, gated = both
    parsed = 0
    for a, b in zip(full, gated, strict=True):
        assert [(s.start, s.end) for s in a.sents] == [(s.start, s.end) for s in b.sents]
        assert [(e.start, e.end, e.label_, e.ent_id_) for e in a.ents] == [
            (e.start, e.end, e.label_, e.ent_id_) for e in b.ents
        ]
        for ta, tb in zip(a, b, strict=True):
            if tb.dep_:
                parsed += 1
                assert (tb.dep_, tb.head.i, tb.pos_, tb.lemma_, str(tb.morph)) == (
                    ta.dep_, ta.head.i, ta.pos_, ta.lemma_, str(ta.morph)
                )
    assert parsed > 0


def test_events_identical_to_full_parse(both, seed_cleans):
    gaz, rules = load_gazetteer(), load_rules()
    full, gated = both
    n = 0
    for clean, a, b in zip(seed_cleans, full, gated, strict=True):
        ea = [dataclasses.asdict(e) for e in analyse_doc(clean, a, gaz, rules).events]
        eb = [dataclasses.asdict(e) for e in analyse_doc(clean, b, gaz, rules).events]
        assert ea == eb, clean.source
        n += len(ea)
    assert n >= 10


def test_text_without_trigger_is_still_tagged_for_the_matcher(nlp):
    (doc,) = annotate(nlp, ["Il fait beau à Paris. Les enfants jouent."])
    assert doc.has_annotation("POS")

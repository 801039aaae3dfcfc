"""The spaCy stage (souverain_nlp.nlp): the model runs on the scope windows only, and the
events are those of a whole-text pass (``--full-parse``) and of ``--all-mentions``."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from souverain_nlp.gazetteer import load_gazetteer
from souverain_nlp.nlp import (
    GAZETTEER_SPANS,
    OUTSIDE_SPANS,
    SCOPE_KEY,
    WINDOW_PAD_TOKENS,
    all_entities,
    annotate,
    get_nlp,
    in_scope,
    windows,
)
from souverain_nlp.pipeline import analyse_doc
from souverain_nlp.rules import load_rules

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def seed_cleans():
    """Cleaned articles of every dev set (seeds, pages, orangesum, orangesum_tech, web_fr;
    .txt and .html), one per distinct cleaned text."""
    from souverain_nlp import ingest
    from souverain_nlp.devsets import DEV_SETS
    from souverain_nlp.pipeline import clean_corpus

    out, seen = [], set()
    for s in DEV_SETS:
        for c in clean_corpus(ingest.iter_corpus(ROOT / s.corpus)):
            if c.status == "ok" and c.text_clean not in seen:
                seen.add(c.text_clean)
                out.append(c)
    return out


@pytest.fixture(scope="module")
def nlp():
    return get_nlp()


@pytest.fixture(scope="module")
def both(nlp, seed_cleans):
    texts = [c.text_clean for c in seed_cleans]
    return list(annotate(nlp, texts, full_parse=True)), list(annotate(nlp, texts))


@pytest.fixture(scope="module")
def every_mention(nlp, seed_cleans):
    return list(annotate(nlp, [c.text_clean for c in seed_cleans], all_mentions=True))


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


def test_events_identical_to_full_parse(both, every_mention, seed_cleans):
    """On every dev set: the default mode, --full-parse and --all-mentions give the same
    events (--all-mentions more mentions)."""
    gaz, rules = load_gazetteer(), load_rules()
    full, gated = both
    n = 0
    more = 0
    for clean, a, b, c in zip(seed_cleans, full, gated, every_mention, strict=True):
        ea = [dataclasses.asdict(e) for e in analyse_doc(clean, a, gaz, rules).events]
        default, every = analyse_doc(clean, b, gaz, rules), analyse_doc(clean, c, gaz, rules)
        eb = [dataclasses.asdict(e) for e in default.events]
        ec = [dataclasses.asdict(e) for e in every.events]
        assert ea == eb == ec, clean.source
        more += len(every.mentions) - len(default.mentions)
        n += len(ea)
    assert n >= 150
    # names seen by the NER outside the scope (a name may also absorb a shorter one:
    # "Hauts de France" is no mention of France)
    assert more > 100


def test_scope_gets_the_model_and_the_gazetteer_sees_every_line(nlp):
    text = ("Le constructeur Renault a présenté ses résultats.\nIl fait beau.\n"
            "Le ciel est bleu.\nLa météo de Bretagne sera clémente selon Jean Dupont.\n"
            "La bourse de Tokyo a fermé en hausse, a dit Sony.\n"
            "Les enfants jouent dans le jardin.\nLe marché était calme.\n"
            "Le football reprend samedi.\nLa pluie revient.\n"
            "Mardi, Renault a signé un partenariat avec Google.")
    (doc,) = annotate(nlp, [text])
    scope = doc.user_data[SCOPE_KEY]
    assert scope and not in_scope(doc, 0, len(doc))  # windows, not the whole text
    sony = next(t for t in doc if t.text == "Sony")
    assert not in_scope(doc, sony.i, sony.i + 1)
    # outside the scope: no tags, no parse, no statistical entity; gazetteer names kept
    assert not sony.pos_ and not sony.dep_
    assert [e.ent_id_ for e in doc.ents if e.text == "Sony"] == [
        e.ent_id_ for e in doc.spans[GAZETTEER_SPANS] if e.text == "Sony"
    ]
    assert not any(e.text == "Jean Dupont" for e in doc.ents)
    google = next(t for t in doc if t.text == "Google")
    assert google.pos_ and google.dep_ and in_scope(doc, google.i, google.i + 1)
    # --all-mentions: the NER ran on every line; its entities outside the scope are set
    # aside for the mentions table, the relation rules read the same Doc
    (every,) = annotate(nlp, [text], all_mentions=True)
    assert [(e.start, e.end, e.label_) for e in every.ents] == [
        (e.start, e.end, e.label_) for e in doc.ents
    ]
    assert any(e.text == "Jean Dupont" for e in every.spans[OUTSIDE_SPANS])
    whole = nlp(text)
    assert [(e.start, e.end, e.label_) for e in all_entities(every).ents] == [
        (e.start, e.end, e.label_) for e in whole.ents
    ]


def test_text_without_candidate_sentence_never_meets_the_model(nlp):
    from souverain_nlp.ingest import doc_from_text
    from souverain_nlp.pipeline import clean_corpus

    text = "Il fait beau à Paris. Les enfants jouent avec Orange et Google."
    [clean] = clean_corpus([doc_from_text(text, "calm.txt")])
    (doc,) = annotate(nlp, [clean.text_clean])
    assert doc.user_data[SCOPE_KEY] == []
    assert not doc.has_annotation("POS") and not doc.has_annotation("DEP")
    assert {e.text for e in doc.ents} <= {e.text for e in doc.spans.get(GAZETTEER_SPANS, ())}
    # the rules run on it (no Matcher error on an untagged Doc) and find no event
    analysis = analyse_doc(clean, doc, load_gazetteer(), load_rules())
    assert analysis.events == []

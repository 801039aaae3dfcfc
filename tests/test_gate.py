"""The sentence gate (souverain_nlp.gate): a cheap superset of the trigger matches."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from souverain_nlp.gate import SentenceGate, lemma_forms, relax_pattern
from souverain_nlp.nlp import get_gate, get_nlp
from souverain_nlp.rules import load_rules
from souverain_nlp.triggers import find_triggers

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
def seed_texts(seed_cleans):
    return [c.text_clean for c in seed_cleans]


@pytest.fixture(scope="module")
def nlp():
    return get_nlp()


@pytest.mark.parametrize(
    ("lemma", "form"),
    [("signer", "signé"), ("signer", "signeront"), ("conclure", "conclu"),
     ("prendre", "pris"), ("choisir", "choisit"), ("s'associer", "associent")],
)
def test_lemma_forms_invert_the_lemmatizer(nlp, lemma, form):
    assert form in lemma_forms(nlp, [lemma])[lemma]


def test_relaxed_pattern_keeps_lexical_constraints_only(nlp):
    pattern = [{"LEMMA": "signer", "POS": "VERB"}, {"LOWER": {"IN": ["un", "une"]}}]
    relaxed = relax_pattern(pattern, lemma_forms(nlp, ["signer"]), True)
    assert "POS" not in relaxed[0] and "signé" in relaxed[0]["LOWER"]["IN"]
    assert relaxed[1] == {"LOWER": {"IN": ["un", "une"]}}


def test_building_the_gate_leaves_the_rule_data_unchanged(nlp):
    rules = load_rules()
    before = copy.deepcopy({t.id: t.patterns for t in rules.triggers.values()})
    SentenceGate(nlp, rules)
    assert {t.id: t.patterns for t in rules.triggers.values()} == before


@pytest.mark.parametrize(
    ("text", "gated"),
    [
        ("Le temps était beau. Orange a signé un partenariat avec Google. Rien d'autre.", [1]),
        ("Le groupe travaille avec Microsoft depuis 2019.", [0]),  # lemma via the lookup table
        ("Il est entré au capital de la start-up.", [0]),
        ("Il est entré dans la salle. Le capital est là.", []),  # sequence, not a bag of words
        ("Aucun mot utile ici. Ni là.", []),
    ],
)
def test_gated_sentences(nlp, text, gated):
    doc = nlp(text)
    assert get_gate(nlp).sentences(doc) == gated


def test_gate_is_a_superset_of_the_trigger_matches(nlp, seed_texts):
    rules = load_rules()
    gate = get_gate(nlp)
    for doc in nlp.pipe(seed_texts):
        sents = list(doc.sents)
        sent_of = {t.i: si for si, s in enumerate(sents) for t in s}
        real = {sent_of[span.start] for _, span in find_triggers(doc, rules)}
        assert real <= set(gate.sentences(doc))

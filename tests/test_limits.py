"""Per-article limits of the NLP stages (souverain_nlp.limits, nlp.annotate)."""

from __future__ import annotations

import time

import pytest

from souverain_nlp.ingest import doc_from_text
from souverain_nlp.limits import nlp_text, split_parts
from souverain_nlp.nlp import LIMITS_KEY, SCOPE_KEY, annotate, get_nlp
from souverain_nlp.pipeline import analyse_batch, clean_corpus
from souverain_nlp.settings import (
    NLP_MAX_PARAGRAPH_CHARS,
    NLP_MAX_SENTENCE_TOKENS,
    NLP_MAX_TRIGGER_SENTENCES,
    Settings,
)


@pytest.mark.parametrize(("text", "size", "cuts"), [
    ("court", 10, [(0, 5)]),
    ("un deux.\ntrois quatre.\ncinq", 14, [(0, 9), (9, 23), (23, 27)]),  # after line breaks
    ("Un mot. Deux mots. Trois mots.", 20, [(0, 19), (19, 30)]),  # after a sentence end
    ("aaaa bbbb cccc dddd", 10, [(0, 10), (10, 19)]),  # after a space
    ("x" * 25, 10, [(0, 10), (10, 20), (20, 25)]),  # nothing to cut on
])
def test_split_parts(text, size, cuts):
    assert split_parts(text, size) == cuts
    assert "".join(text[a:b] for a, b in cuts) == text


def test_nlp_text_keeps_length_and_breaks_long_paragraphs_at_sentence_ends():
    sentence = "Orange signe avec Google. "
    text = "Titre\n" + sentence * 2000 + "\nFin."
    out, limits = nlp_text(text)
    assert len(out) == len(text)
    assert limits.paragraphs_broken == 1
    assert max(len(line) for line in out.split("\n")) <= NLP_MAX_PARAGRAPH_CHARS
    assert all(a == b or (a == " " and b == "\n") for a, b in zip(text, out, strict=True))
    assert nlp_text("Un texte normal.\nDeux lignes.") == ("Un texte normal.\nDeux lignes.",
                                                          limits.__class__())


def test_nlp_text_blanks_symbol_runs():
    text = "Avant " + "😀" * 80 + " après (sic)."
    out, limits = nlp_text(text)
    assert limits.symbol_runs == 1 and len(out) == len(text)
    assert out.startswith("Avant ") and out.endswith(" après (sic).") and "😀" not in out


def test_long_sentences_and_candidates_past_the_budget_are_not_searched():
    nlp = get_nlp(Settings())
    flood = " ".join(["partenariat"] * (NLP_MAX_SENTENCE_TOKENS + 10)) + "."
    deals = " ".join(f"Orange signe un accord avec Google {i}." for i in range(150))
    docs = list(annotate(nlp, [flood, deals]))
    assert docs[0].user_data[LIMITS_KEY].long_sentences == 1
    assert docs[0].user_data[SCOPE_KEY] == []  # nothing left to search
    assert docs[1].user_data[LIMITS_KEY].over_budget == 150 - NLP_MAX_TRIGGER_SENTENCES
    # texts of one article share its budget
    docs = list(annotate(nlp, [deals, deals], groups=["a", "a"]))
    assert docs[1].user_data[LIMITS_KEY].over_budget == 150
    assert LIMITS_KEY not in next(iter(annotate(nlp, ["Orange signe avec Google."]))).user_data


@pytest.mark.parametrize("text", [
    "partenariat " * 50_000,
    "Orange a signé un partenariat avec Google. " * 7_000,
    "(" * 100_000 + " Orange a signé un partenariat avec Google.",
])
def test_adversarial_texts_take_bounded_time_and_say_so(text):
    [clean] = clean_corpus([doc_from_text(text, "adversarial.txt")])
    started = time.monotonic()
    [analysis] = analyse_batch([clean], Settings())
    assert time.monotonic() - started < 120  # measured: 5 to 25 s; unbounded: > 10 min
    assert analysis.notes  # the article says which limit applied

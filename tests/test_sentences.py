"""Rule-based sentence boundaries and the glued-full-stop tokenizer rule (sentences.py)."""

from __future__ import annotations

import pytest
import spacy

from souverain_nlp.sentences import set_sentence_starts, split_glued_sentences  # noqa: F401


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("fr")
    split_glued_sentences(nlp)
    nlp.add_pipe("souverain_sentences")
    return nlp


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Le groupe a signé hier. La banque a suivi.",
            ["Le groupe a signé hier.", "La banque a suivi."],
        ),
        (
            "Il a rencontré M. Durand à Lyon. Puis il est parti.",
            ["Il a rencontré M. Durand à Lyon.", "Puis il est parti."],
        ),
        ("Une première ligne\nUne deuxième ligne", ["Une première ligne", "Une deuxième ligne"]),
        (
            "Les ventes ont grimpé en 2019.Elles reculent depuis.",
            ["Les ventes ont grimpé en 2019.", "Elles reculent depuis."],
        ),
        (
            "« Nous signerons. » Le ministre l'a dit.",
            ["« Nous signerons. »", "Le ministre l'a dit."],
        ),
        (
            "Le prix est de 3.5 euros et les U.S.A. suivent.",
            ["Le prix est de 3.5 euros et les U.S.A. suivent."],
        ),
    ],
)
def test_sentence_boundaries(nlp, text, expected):
    assert [s.text.strip() for s in nlp(text).sents] == expected

"""Scoring functions (souverain_nlp.evaluate) on small hand-made records."""

import pytest

from souverain_nlp.evaluate import events_match, fold, purpose_overlap, score_events


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("L’État", "etat"),
        ("le Pétrolier Français", "petrolier francais"),
        ("  OVHcloud ", "ovhcloud"),
    ],
)
def test_fold(text, expected):
    assert fold(text) == expected


def test_purpose_overlap_counts_words_of_three_letters():
    assert purpose_overlap("améliorer la logistique", "Améliorer la logistique") == 1.0
    assert purpose_overlap("vendre", "acheter du pain") == 0.0
    assert purpose_overlap(None, "x") == 0.0


def _event(who, with_whom, texts=None, **kw):
    return {
        "who": who,
        "with_whom": with_whom,
        "party_texts": texts or who + with_whom,
        "article_id": "a",
        "kind": "partnership",
        "status": "announced",
        "date": None,
        "purpose": None,
        "sentence": "s",
        **kw,
    }


def test_match_needs_every_party_both_ways():
    gold = {"parties": [["Renault"], ["Google", "Alphabet"]]}
    assert events_match(_event(["Renault"], ["Alphabet"]), gold)
    assert not events_match(_event(["Renault"], ["Google", "Apple"]), gold)
    assert not events_match(_event(["Renault"], []), gold)


def test_surface_form_covers_a_gold_alias():
    gold = {"parties": [["le constructeur"], ["Google"]]}
    assert events_match(_event(["Renault"], ["Google"], texts=["Le constructeur", "Google"]), gold)


def test_non_required_matches_are_neither_rewarded_nor_penalised():
    gold = [
        {
            "source": "a.txt",
            "events": [
                {
                    "parties": [["A"], ["B"]],
                    "required": False,
                    "kind": "partnership",
                    "status": "announced",
                    "date": None,
                    "purpose": None,
                }
            ],
            "must_not_pair": [["A", "C"]],
        }
    ]
    preds = [_event(["A"], ["B"]), _event(["A"], ["C"])]
    score = score_events(gold, preds, [{"source": "a.txt", "article_id": "a"}])
    assert (score.tp, score.fp, score.fn) == (0, 1, 0)
    assert score.must_not_pair_violations == 1

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


def test_score_snippets_counts_a_missing_article_as_lost():
    from souverain_nlp.evaluate import score_snippets

    gold = [
        {"source": "a.txt", "keep_snippets": ["un accord signé"], "drop_snippets": ["Menu"]},
        {"source": "b.txt", "keep_snippets": ["deux lignes", "du corps"], "drop_snippets": []},
    ]
    articles = [{"source": "a.txt", "text_clean": "Le texte : un accord signé."}]
    report = score_snippets(gold, articles)
    assert report["keep_rate"] == round(1 / 3, 4) and report["drop_rate"] == 1.0
    assert "b.txt missing from the tables" in report["snippet_misses"]


def test_score_published_counts_a_missing_article_as_wrong():
    from souverain_nlp.evaluate import score_published

    gold = [{"source": "a.txt", "published": "XXXX-06-04"},
            {"source": "b.txt", "published": "2021-03-12"},
            {"source": "c.txt", "published": None}]
    articles = [{"source": "a.txt", "published": "2020-06-04", "published_from": "byline"}]
    report = score_published(gold, articles)
    assert report["published_right"] == "1/2" and report["published_accuracy"] == 0.5


def test_gold_in_corpus_keeps_the_pages_of_the_folder(tmp_path):
    from souverain_nlp.evaluate import gold_in_corpus

    (tmp_path / "page_01.html").write_text("<p>x</p>", encoding="utf-8")
    gold = [{"source": "page_01.txt"}, {"source": "page_02.txt"}]
    assert gold_in_corpus(gold, tmp_path) == [{"source": "page_01.txt"}]
    assert gold_in_corpus(gold, None) == gold

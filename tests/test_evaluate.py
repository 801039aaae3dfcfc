"""Scoring functions (souverain_nlp.evaluate) on small hand-made records."""

import pytest

from souverain_nlp.evaluate import (
    events_match,
    fold,
    purpose_overlap,
    score_boilerplate_lines,
    score_events,
    score_snippets,
)


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


# -- cleaning scorers: line level on the seed format, snippets on the pages format ----------

RAW = "Site\n\nPremier paragraphe.\nDeuxième paragraphe.\nA lire aussi\n"
#: (start, end) of the four non-empty lines of RAW (lines 1, 3, 4, 5)
SPANS = [(0, 4), (6, 25), (26, 46), (47, 59)]


def _line_scores(tmp_path, kept, boilerplate=(1, 5), articles=None):
    (tmp_path / "a.txt").write_text(RAW, encoding="utf-8")
    gold = [{"source": "a.txt", "boilerplate_lines": list(boilerplate)}]
    blocks = [{"article_id": "a", "start": s, "end": e, "kept": k}
              for (s, e), k in zip(SPANS, kept, strict=True)]
    if articles is None:
        articles = [{"source": "a.txt", "article_id": "a"}]
    return score_boilerplate_lines(gold, articles, blocks, tmp_path)


def test_line_scores_of_a_perfect_cleaning(tmp_path):
    assert RAW[SPANS[1][0] : SPANS[1][1]] == "Premier paragraphe."
    got = _line_scores(tmp_path, [False, True, True, False])
    assert got == {"boilerplate_precision": 1.0, "boilerplate_recall": 1.0,
                   "content_lines_lost": 0, "lost": []}


def test_line_scores_count_each_kind_of_error(tmp_path):
    # line 1 (boilerplate) kept, line 3 (content) dropped, line 5 (boilerplate) dropped
    got = _line_scores(tmp_path, [True, False, True, False])
    assert got["boilerplate_precision"] == 0.5  # 2 lines dropped, 1 of them boilerplate
    assert got["boilerplate_recall"] == 0.5  # 1 of the 2 boilerplate lines dropped
    assert got["content_lines_lost"] == 1 and got["lost"] == ["a.txt:3"]


def test_line_scores_of_a_cleaning_that_keeps_everything(tmp_path):
    got = _line_scores(tmp_path, [True] * 4)
    assert got["boilerplate_recall"] == 0.0 and got["content_lines_lost"] == 0


def test_line_scores_of_a_cleaning_that_drops_everything(tmp_path):
    got = _line_scores(tmp_path, [False] * 4, boilerplate=(1, 2, 5))  # line 2 is empty
    assert got["boilerplate_precision"] == 0.5 and got["boilerplate_recall"] == 1.0
    assert got["lost"] == ["a.txt:3", "a.txt:4"]


def test_line_scores_count_a_missing_article_as_lost(tmp_path):
    got = _line_scores(tmp_path, [False, True, True, False], articles=[])
    assert got["boilerplate_recall"] == 0.0
    assert got["content_lines_lost"] == 2 and got["lost"] == ["a.txt:3", "a.txt:4"]


def test_snippet_scores_of_present_articles():
    gold = [
        {"source": "p1.txt", "keep_snippets": ["a signé un accord", "à tous l'été",
                                               "absent du texte"],
         "drop_snippets": ["Lire aussi", "Vos réactions"]},
        {"source": "p2.html", "keep_snippets": ["Le corps"], "drop_snippets": ["Menu"]},
    ]
    articles = [
        {"source": "p1.html",
         "text_clean": "Orange a  signé\nun accord.\nà tous l’été\nLire aussi"},
        {"source": "p2.html", "text_clean": "Le corps de l'article."},
    ]
    got = score_snippets(gold, articles)  # matched by file stem: p1.txt is p1.html
    assert got["keep_rate"] == 0.75  # 3 of 4: whitespace and apostrophes normalised
    assert got["drop_rate"] == round(2 / 3, 4)
    assert got["snippet_misses"] == ["p1.txt lost: absent du texte", "p1.txt kept: Lire aussi"]


@pytest.mark.parametrize(
    ("pred", "gold", "right"),
    [
        ("2020-05-05", "2020-05-05", True),
        ("2020-07-16", "XXXX-07-16", True),  # a page that gives day and month only
        ("2020-05-06", "2020-05-05", False),
        ("2021-07-16", "2020-07-16", False),
        (None, "2020-05-05", False),
    ],
)
def test_published_dates_against_the_gold(pred, gold, right):
    from souverain_nlp.evaluate import score_published

    got = score_published([{"source": "a.txt", "published": gold}],
                          [{"source": "a.txt", "published": pred, "published_from": "byline"}])
    assert got["published_right"] == ("1/1" if right else "0/1")


def test_an_inferred_publication_date_is_not_a_right_one():
    from souverain_nlp.evaluate import score_published

    got = score_published([{"source": "a.txt", "published": "2020-05-05"}],
                          [{"source": "a.txt", "published": "2020-05-05",
                            "published_from": "inferred"}])
    assert got["published_right"] == "0/1"

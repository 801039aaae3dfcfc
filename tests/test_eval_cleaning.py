"""Tests of the cleaning scores used by the evaluate command."""

from __future__ import annotations

import pytest

from souverain_nlp.eval_cleaning import (
    date_matches,
    normalise_for_match,
    score_seed_lines,
    score_snippets,
)
from souverain_nlp.records import Block, CleanDoc

RAW = "Site\n\nPremier paragraphe.\nDeuxième paragraphe.\nA lire aussi\n"


def _doc(kept: list[bool], reasons: list[str]) -> CleanDoc:
    spans, pos = [], 0
    for line in RAW.split("\n"):
        if line.strip():
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    blocks = [Block(i, s, e, k, r) for i, ((s, e), k, r) in enumerate(zip(spans, kept, reasons,
                                                                         strict=True))]
    text = "\n".join(RAW[b.start:b.end] for b in blocks if b.kept)
    return CleanDoc(article_id="a", source="a.txt", text_clean=text, blocks=blocks)


def test_score_seed_lines_perfect() -> None:
    cd = _doc([False, True, True, False], ["site_name", "content", "content", "related_marker"])
    r = score_seed_lines(RAW, cd, [1, 5])
    assert r["n_boilerplate"] == 2 and r["n_boilerplate_dropped"] == 2
    assert r["n_content"] == 2 and r["n_content_kept"] == 2
    assert r["precision"] == 1.0 and r["recall"] == 1.0
    assert r["boilerplate_kept_lines"] == [] and r["content_dropped_lines"] == []


def test_score_seed_lines_errors() -> None:
    cd = _doc([True, False, True, False], ["content", "byline", "content", "related_marker"])
    r = score_seed_lines(RAW, cd, [1, 5])
    assert r["boilerplate_kept_lines"] == [1] and r["content_dropped_lines"] == [3]
    assert r["recall"] == 0.5 and r["precision"] == 0.5


def test_score_snippets_normalises_quotes_and_spaces() -> None:
    cd = CleanDoc(article_id="a", source="p", text_clean="Il a dit « bonjour »\nà  tous l’été.")
    r = score_snippets(cd, ['a dit "bonjour"', "à tous l'été", "absent"], ["Lire aussi", "tous"])
    assert r["n_keep_found"] == 2 and r["keep_share"] == pytest.approx(2 / 3)
    assert r["keep_missing"] == ["absent"]
    assert r["drop_present"] == ["tous"] and r["drop_share"] == 0.5
    assert normalise_for_match(" a \n b ") == "a b"


@pytest.mark.parametrize(("pred", "gold", "ok"), [
    ("2020-05-05", "2020-05-05", True),
    ("2020-07-16", "XXXX-07-16", True),
    ("XXXX-07-16", "XXXX-07-16", True),
    ("XXXX-07-16", "2020-07-16", False),
    ("2020-05-06", "2020-05-05", False),
    (None, None, True),
    (None, "2020-05-05", False),
    ("2020-05-05", None, False),
])
def test_date_matches(pred: str | None, gold: str | None, ok: bool) -> None:
    assert date_matches(pred, gold) is ok

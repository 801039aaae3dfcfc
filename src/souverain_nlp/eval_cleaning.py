"""Scores of the clean stage against the gold files (used by the project's ``evaluate``).

* :func:`score_seed_lines`: line-level boilerplate decisions on a seed article whose gold gives
  the 1-based numbers of the raw file's boilerplate lines (``seeds.jsonl``);
* :func:`score_snippets`: keep / drop snippets of a real page (``pages.jsonl``);
* :func:`date_matches`: a predicted publication date against a gold one that may lack a year.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from souverain_nlp.records import CleanDoc

_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "«": '"', "»": '"',
                         "“": '"', "”": '"', "„": '"'})
_SPACES = re.compile(r"\s+")


def normalise_for_match(text: str) -> str:
    """NFC, straight quotes, one space between words, quotes stripped of inner spaces."""
    text = unicodedata.normalize("NFC", text).translate(_QUOTES)
    text = re.sub(r'"\s+', '"', text)
    text = re.sub(r'\s+"', '"', text)
    return _SPACES.sub(" ", text).strip()


def _line_numbers(raw_text: str) -> list[int]:
    """1-based line number of each character offset's line start, as a sorted list of starts."""
    starts = [0]
    for i, ch in enumerate(raw_text):
        if ch == "\n":
            starts.append(i + 1)
    return starts


def score_seed_lines(raw_text: str, clean: CleanDoc, boilerplate_lines: list[int]) -> dict:
    """Line-level scores of one seed article.

    Every non-empty line of ``raw_text`` (1-based numbering, ``\\n``-separated) is boilerplate
    when its number is in ``boilerplate_lines`` and content otherwise.  A line counts as
    dropped when no kept block overlaps it.  Returns counts, precision / recall of the
    "dropped" decision over boilerplate lines, and the line numbers of each kind of error.
    """
    import bisect

    starts = _line_numbers(raw_text)
    kept_lines: set[int] = set()
    for block in clean.blocks:
        if block.kept:
            first = bisect.bisect_right(starts, block.start)
            last = bisect.bisect_right(starts, max(block.start, block.end - 1))
            kept_lines.update(range(first, last + 1))
    gold = set(boilerplate_lines)
    raw_lines = raw_text.split("\n")
    nonempty = [i + 1 for i, line in enumerate(raw_lines) if line.strip()]
    bp = [n for n in nonempty if n in gold]
    content = [n for n in nonempty if n not in gold]
    bp_dropped = [n for n in bp if n not in kept_lines]
    content_kept = [n for n in content if n in kept_lines]
    dropped = [n for n in nonempty if n not in kept_lines]
    return {
        "n_boilerplate": len(bp),
        "n_boilerplate_dropped": len(bp_dropped),
        "n_content": len(content),
        "n_content_kept": len(content_kept),
        "precision": (len(bp_dropped) / len(dropped)) if dropped else 1.0,
        "recall": (len(bp_dropped) / len(bp)) if bp else 1.0,
        "boilerplate_kept_lines": [n for n in bp if n in kept_lines],
        "content_dropped_lines": [n for n in content if n not in kept_lines],
    }


def score_snippets(clean: CleanDoc, keep_snippets: Iterable[str],
                   drop_snippets: Iterable[str]) -> dict:
    """Share of keep snippets found in ``text_clean`` and of drop snippets absent from it.

    Matching is on :func:`normalise_for_match` forms (whitespace, curly / straight quotes).
    """
    text = normalise_for_match(clean.text_clean)
    keep = [normalise_for_match(s) for s in keep_snippets]
    drop = [normalise_for_match(s) for s in drop_snippets]
    kept = [s for s in keep if s in text]
    gone = [s for s in drop if s not in text]
    return {
        "n_keep": len(keep),
        "n_keep_found": len(kept),
        "keep_share": len(kept) / len(keep) if keep else 1.0,
        "n_drop": len(drop),
        "n_drop_gone": len(gone),
        "drop_share": len(gone) / len(drop) if drop else 1.0,
        "keep_missing": [s for s in keep if s not in text],
        "drop_present": [s for s in drop if s in text],
    }


def date_matches(predicted: str | None, gold: str | None) -> bool:
    """True when the predicted date agrees with the gold one.

    ``X`` in the gold value is a wildcard digit, so "2020-07-16" and "XXXX-07-16" both match a
    gold "XXXX-07-16" (a page stating day and month only); a predicted "XXXX-07-16" does not
    match a gold "2020-07-16" (the year was lost).  None matches only None.
    """
    if predicted is None or gold is None:
        return predicted is None and gold is None
    if len(predicted) != len(gold):
        return False
    return all(p == g or g == "X" for p, g in zip(predicted, gold, strict=True))

"""Per-article limits of the NLP stages: long texts in parts, and the text spaCy reads.

Hostile input must not stop a run nor make it hang: spaCy refuses texts over 1,000,000
characters (error E088), its tokenizer takes quadratic time on long runs of punctuation, and
the relation rules' cost grows with the length of a paragraph and the number of candidate
sentences.  The bounds (``settings``: ``NLP_PART_CHARS``, ``NLP_MAX_PARAGRAPH_CHARS``,
``NLP_MAX_SYMBOL_RUN``, and in ``nlp``: ``NLP_MAX_SENTENCE_TOKENS``,
``NLP_MAX_TRIGGER_SENTENCES``) are far above anything real news shows, so real articles are
analysed exactly as before; when one applies, the article says so in its ``notes``.

Everything here keeps offsets: a part is a slice of the cleaned text, and the text the NLP
reads has the same length as the slice (a line break replaces a space, blanks replace a run
of symbols), so every offset found in it is an offset in ``text_clean``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .settings import NLP_MAX_PARAGRAPH_CHARS, NLP_MAX_SYMBOL_RUN, NLP_PART_CHARS

#: A sentence end followed by the space that may become a line break.
_SENTENCE_END = re.compile(r"[.!?…][»\"”’)\]]*( )")
_SPACE = re.compile(r"[ \t]")


@dataclass
class TextLimits:
    """What the text-level limits changed in the text of one part (counts)."""

    paragraphs_broken: int = 0
    symbol_runs: int = 0


def _last(pattern: re.Pattern[str], text: str, lo: int, hi: int) -> int | None:
    """Offset of group 1 (else of the match) of the last match of ``pattern`` in [lo, hi)."""
    found = None
    for m in pattern.finditer(text, lo, hi):
        found = m.start(1) if m.groups() else m.start()
    return found


def split_parts(text: str, max_chars: int = NLP_PART_CHARS) -> list[tuple[int, int]]:
    """[start, end) ranges covering ``text``, each at most ``max_chars`` long.

    A part ends after the last line break before the limit, else after the last sentence
    end, else at the last space; a text without any is cut at the limit.  Cut points are
    looked for in the second half of the window, so no part is shorter than half the limit
    (except the last).
    """
    if max_chars < 2:
        raise ValueError(f"max_chars must be at least 2, not {max_chars}")
    n = len(text)
    if n <= max_chars:
        return [(0, n)]
    parts = []
    start = 0
    while n - start > max_chars:
        lo, hi = start + max_chars // 2, start + max_chars
        cut = text.rfind("\n", lo, hi)
        if cut >= 0:
            cut += 1
        else:
            at = _last(_SENTENCE_END, text, lo, hi)
            if at is None:
                at = _last(_SPACE, text, lo, hi)
            cut = at + 1 if at is not None else hi
        parts.append((start, cut))
        start = cut
    parts.append((start, n))
    return parts


def _break_points(line: str, base: int, max_chars: int) -> list[int]:
    """Offsets (in the whole text) of spaces that become line breaks in an over-long line."""
    points = []
    pos = 0
    n = len(line)
    while n - pos > max_chars:
        lo, hi = pos + max_chars // 2, pos + max_chars
        at = _last(_SENTENCE_END, line, lo, hi)
        if at is None:
            at = _last(_SPACE, line, lo, hi)
        if at is None:
            pos = hi  # one huge token: nothing to break on
            continue
        points.append(base + at)
        pos = at + 1
    return points


def nlp_text(
    text: str,
    max_paragraph: int = NLP_MAX_PARAGRAPH_CHARS,
    max_symbol_run: int = NLP_MAX_SYMBOL_RUN,
) -> tuple[str, TextLimits]:
    """The text the NLP reads for ``text``: same length, same offsets.

    Paragraphs (lines) longer than ``max_paragraph`` are broken at sentence ends (a line
    break replaces the space after the full stop; at a space when a stretch has no sentence
    end); runs of ``max_symbol_run`` or more punctuation / symbol characters are blanked.
    """
    limits = TextLimits()
    runs = re.compile(rf"[^\w\s]{{{max(1, max_symbol_run)},}}")
    if runs.search(text):
        def blank(m: re.Match[str]) -> str:
            limits.symbol_runs += 1
            return " " * len(m.group())

        text = runs.sub(blank, text)
    if len(text) <= max_paragraph:
        return text, limits
    points: list[int] = []
    start = 0
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if end - start > max_paragraph:
            found = _break_points(text[start:end], start, max_paragraph)
            if found:
                limits.paragraphs_broken += 1
                points.extend(found)
        start = end + 1
    if not points:
        return text, limits
    pieces = []
    prev = 0
    for at in points:
        pieces.append(text[prev:at])
        pieces.append("\n")
        prev = at + 1
    pieces.append(text[prev:])
    return "".join(pieces), limits


def part_notes(n_chars: int, n_parts: int, limits: TextLimits) -> list[str]:
    """Notes for the article (``articles.notes``) about the text-level limits applied."""
    notes = []
    if n_parts > 1:
        notes.append(
            f"text of {n_chars:,} characters analysed in {n_parts} parts of at most "
            f"{NLP_PART_CHARS:,} (cut at paragraph ends)"
        )
    if limits.paragraphs_broken:
        notes.append(
            f"{limits.paragraphs_broken} paragraph(s) over {NLP_MAX_PARAGRAPH_CHARS:,} "
            "characters broken at sentence ends for the NLP"
        )
    if limits.symbol_runs:
        notes.append(
            f"{limits.symbol_runs} run(s) of {NLP_MAX_SYMBOL_RUN}+ punctuation or symbol "
            "characters ignored by the NLP"
        )
    return notes

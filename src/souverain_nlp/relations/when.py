"""The date of an event: the nearest point date of its clause.

Never a target ("d'ici 2025"), a range of years, a date after the reference date, nor a
date in another clause (relative clause, apposition); inherited from the sentence an
anaphoric subject was resolved into.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from ..dates import find_dates
from ..records import DateMention
from .context import Context


def event_date(
    ctx: Context, si: int, lo_char: int, hi_char: int, anchor_char: int, antecedent: int | None
) -> DateMention | None:
    sent = ctx.sents[si]
    cands = _point_dates(ctx, sent.start_char, sent.end_char)
    cands = [
        d
        for d in cands
        if lo_char <= d.start < hi_char and not _in_other_clause(ctx, d, anchor_char)
    ]
    if not cands and antecedent is not None:
        prev = ctx.sents[antecedent]
        cands = _point_dates(ctx, prev.start_char, prev.end_char)
    if not cands:
        return None
    return min(cands, key=lambda d: abs(d.start - anchor_char))


def _in_other_clause(ctx: Context, d: DateMention, anchor_char: int) -> bool:
    """A date inside a relative clause or apposition that does not hold the trigger."""
    span = ctx.doc.char_span(d.start, d.end, alignment_mode="expand")
    trig = ctx.doc.char_span(anchor_char, anchor_char + 1, alignment_mode="expand")
    if span is None or trig is None:
        return False
    tok, steps = span.root, 0
    while tok.head.i != tok.i and steps < 8:
        if tok.dep_ in ("acl:relcl", "appos") and not (
            tok.left_edge.i <= trig.start <= tok.right_edge.i
        ):
            return True
        tok = tok.head
        steps += 1
    return False


_YEAR_RANGE = ("-", "–", "/")


#: Words of dates relative to the day of writing.
DAY_WORDS = frozenset(
    {
        "lundi",
        "mardi",
        "mercredi",
        "jeudi",
        "vendredi",
        "samedi",
        "dimanche",
        "hier",
        "aujourd'hui",
        "aujourd’hui",
        "demain",
        "avant-hier",
        "semaine",
    }
)


def _point_dates(ctx: Context, start: int, end: int) -> list[DateMention]:
    text = ctx.doc.text[start:end]
    out = []
    for d in find_dates(text, ctx.reference):
        if d.role != "point":
            continue
        if d.relative and not ctx.reference_exact and DAY_WORDS & set(d.text.lower().split()):
            continue  # "jeudi" against a reference inferred from the text: unknown day
        before = text[d.start - 1] if d.start > 0 else ""
        after = text[d.end] if d.end < len(text) else ""
        if (before in _YEAR_RANGE and d.start > 1 and text[d.start - 2].isdigit()) or (
            after in _YEAR_RANGE and d.end + 1 < len(text) and text[d.end + 1].isdigit()
        ):
            continue  # "la période 2020-2024": a span of years, not the date of the deal
        if ctx.reference is not None and _after(d.value, ctx.reference):
            continue  # a date after the article was written is a plan or a target
        # shift offsets into the doc
        out.append(replace(d, start=d.start + start, end=d.end + start))
    return out


def _after(value: str, ref: date) -> bool:
    if value.startswith("X"):
        return False
    parts = value.split("-")
    try:
        year = int(parts[0])
        if year != ref.year:
            return year > ref.year
        if len(parts) > 1:
            month = int(parts[1])
            if month != ref.month:
                return month > ref.month
            if len(parts) > 2:
                return int(parts[2]) > ref.day
    except ValueError:
        return False
    return False

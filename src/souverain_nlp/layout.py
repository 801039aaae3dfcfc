"""Layout of a parsed article shared by the actors and relations stages.

Sentences, the sentence of every token and the paragraph of every sentence (our cleaned
text holds one paragraph per line), and small token helpers (folded lower case, a token
sequence at a position).
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Span, Token

#: ``doc.user_data`` key of the folded lower case of every token (``lowered``).
LOWERED_KEY = "souverain_lowered"


def lower(tok: Token) -> str:
    return tok.lower_.replace("’", "'")


def lowered(doc: Doc) -> list[str]:
    """``lower`` of every token of a Doc, computed once per Doc (the rules test token
    sequences at every position)."""
    words = doc.user_data.get(LOWERED_KEY)
    if words is None or len(words) != len(doc):
        words = [t.lower_.replace("’", "'") for t in doc]
        doc.user_data[LOWERED_KEY] = words
    return words  # type: ignore[no-any-return]


def seq_at(doc: Doc, i: int, seq: Sequence[str]) -> bool:
    """Whether the (lower-cased) token sequence ``seq`` stands at position ``i``."""
    n = len(seq)
    if i < 0 or not n or i + n > len(doc):
        return i >= 0 and not n and i <= len(doc)
    words = lowered(doc) if isinstance(doc, Doc) else [lower(t) for t in doc]
    if words[i] != seq[0].replace("’", "'"):
        return False
    return all(words[i + k] == seq[k].replace("’", "'") for k in range(1, n))


def doc_layout(doc: Doc) -> tuple[list[Span], dict[int, int], list[int]]:
    """Sentences, sentence index of every token, paragraph index of every sentence."""
    sents = list(doc.sents)
    sent_of = {}
    for si, sent in enumerate(sents):
        for i in range(sent.start, sent.end):
            sent_of[i] = si
    return sents, sent_of, paragraphs(doc, sents)


def paragraphs(doc: Doc, sents: list[Span]) -> list[int]:
    """Paragraph index of every sentence (a line break between two sentences, including
    the trailing whitespace the previous sentence holds, starts a paragraph)."""
    out = []
    para = 0
    for n, sent in enumerate(sents):
        if n and break_before(doc, sents[n - 1].start, sent.start):
            para += 1
        out.append(para)
    return out


def break_before(doc: Doc, prev_start: int, start: int) -> bool:
    """Whether the whitespace between the last word before ``start`` (not before
    ``prev_start``) and ``start`` holds a line break."""
    j = start - 1
    while j >= prev_start:
        tok = doc[j]
        if "\n" in tok.whitespace_:
            return True
        if not tok.is_space:
            return False
        if "\n" in tok.text:
            return True
        j -= 1
    return False

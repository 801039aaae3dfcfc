"""Layout of a parsed article shared by the actors and relations stages.

Sentences, the sentence of every token and the paragraph of every sentence (our cleaned
text holds one paragraph per line), and small token helpers (folded lower case, a token
sequence at a position).
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Span, Token


def lower(tok: Token) -> str:
    return tok.lower_.replace("’", "'")


def seq_at(doc: Doc, i: int, seq: Sequence[str]) -> bool:
    if i < 0 or i + len(seq) > len(doc):
        return False
    return all(lower(doc[i + k]) == s.replace("’", "'") for k, s in enumerate(seq))


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

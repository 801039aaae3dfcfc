"""The purpose of an event.

A "pour / afin de / visant à + infinitive" clause of the event, else "L'objectif : ..."
in the next sentences, else the predicate of a following sentence that names both
partners, else what the partners work on ("travailler sur X").
"""

from __future__ import annotations

from spacy.tokens import Span

from ..actors.model import ActorMention
from ..layout import lower, seq_at
from ..triggers import find_triggers
from .context import CLITICS, Context, is_infinitive, usable

#: Sentences after the event searched for the purpose ("L'objectif : ...").  Kind cues
#: (capital sharing -> joint venture) are searched in the rest of the paragraph and the next.
PURPOSE_WINDOW = 2


def _clause_from(ctx: Context, i: int, end: int) -> str | None:
    """Text from token i to the first stop (comma, gerund, quote...), at most max_tokens."""
    doc = ctx.doc
    stops = ctx.rules.cue_words("purpose", "stops")
    max_tokens = int(ctx.rules.cues["purpose"]["max_tokens"])
    k = i
    while k < end and k - i < max_tokens:
        t = doc[k]
        if t.is_space or t.text in (",", ".", "!", "?", "…") or lower(t) in stops:
            break
        if (
            t.lower_ == "en"
            and k + 1 < end
            and "Part" in doc[k + 1].morph.get("VerbForm")
            and ("Pres" in doc[k + 1].morph.get("Tense") or doc[k + 1].lower_.endswith("ant"))
        ):
            break  # gerund: "en utilisant ..."
        k += 1
    if k <= i:
        return None
    text = doc[i:k].text.strip(" \"'“”«»-–—")
    return text or None


def _infinitive_after(ctx: Context, i: int, end: int) -> int | None:
    doc = ctx.doc
    k = i
    while k < end and k - i <= 3 and lower(doc[k]) in CLITICS:
        k += 1
    if k < end and is_infinitive(doc[k]):
        return k
    return None


def _purpose_in(
    ctx: Context, lo: int, hi: int, anchor: int, trig_span: Span | None = None
) -> str | None:
    """A purpose clause (marker + infinitive) in doc[lo:hi], nearest after the anchor first;
    never the deal's own verb ("donné le feu vert pour confier à X ...")."""
    doc = ctx.doc
    markers = ctx.rules.cue_sequences("purpose", "markers")
    found: list[tuple[int, int]] = []
    for k in range(lo, hi):
        for seq in markers:
            if seq_at(doc, k, seq):
                inf = _infinitive_after(ctx, k + len(seq), hi)
                if inf is not None:
                    found.append((k, inf))
                break
    for k in range(lo, hi):
        if doc[k].lemma_ == "permettre" and k >= anchor:
            for j in range(k + 1, min(hi, k + 16)):
                if lower(doc[j]) in ("de", "d'"):
                    inf = _infinitive_after(ctx, j + 1, hi)
                    if inf is not None:
                        found.append((k, inf))
                        break
    if trig_span is not None:
        found = [f for f in found if not trig_span.start <= f[1] < trig_span.end]
    found.sort()
    if not found:
        return None
    after = [f for f in found if f[0] >= anchor]
    k, inf = (after or found)[0]
    return _clause_from(ctx, inf, hi)


def _objective_sentence(ctx: Context, sj: int) -> str | None:
    """'L'objectif : X' / 'Cet accord a pour objectif de X' / 'permettra à Y de X'."""
    doc = ctx.doc
    sent = ctx.sents[sj]
    openers = ctx.rules.cue_sequences("purpose", "objective_openers")
    trig_nouns = any(
        t.lower_ in ("ce", "cet", "cette", "l'", "l’", "le", "la", "ces")
        and t.i + 1 < sent.end
        and _trigger_noun(ctx, t.i + 1, sent.end)
        for t in sent[:4]
    )
    for k in range(sent.start, sent.end):
        for seq in openers:
            if not seq_at(doc, k, seq):
                continue
            at_start = k - sent.start <= 1
            if not at_start and not trig_nouns:
                continue
            j = k + len(seq)
            if seq[-1] in ("permettra", "permettront") or seq[-1].startswith("permettre"):
                pass
            # "permettra à Total de X": skip the beneficiary
            if j < sent.end and lower(doc[j]) in ("à", "au", "aux"):
                jj = j
                while jj < sent.end and jj - j < 6 and lower(doc[jj]) not in ("de", "d'"):
                    jj += 1
                j = jj + 1
            inf = _infinitive_after(ctx, j, sent.end)
            if inf is None and seq[-1] == ":":
                inf = j
            if inf is not None:
                return _clause_from(ctx, inf, sent.end)
    # "permettra à X de Y" after an anaphoric trigger noun subject
    if trig_nouns:
        for k in range(sent.start, sent.end):
            if doc[k].lemma_ == "permettre":
                j = k + 1
                while j < sent.end and j - k < 7 and lower(doc[j]) not in ("de", "d'"):
                    j += 1
                inf = _infinitive_after(ctx, j + 1, sent.end)
                if inf is not None:
                    return _clause_from(ctx, inf, sent.end)
    return None


def _has_trigger(ctx: Context, sj: int) -> bool:
    """The sentence tells a deal of its own (its predicate is not a purpose)."""
    return bool(find_triggers(ctx.sents[sj], ctx.rules))


def _trigger_noun(ctx: Context, i: int, end: int) -> bool:
    for trig, span in find_triggers(ctx.doc[i:end], ctx.rules):
        return span.start == i and trig.pos == "noun"
    return False


def _main_predicate(ctx: Context, sj: int, after: int | None = None) -> str | None:
    """The predicate of a sentence, past light verbs ("s'occupe de former" -> "former ...")."""
    sent = ctx.sents[sj]
    light = ctx.rules.cue_words("purpose", "light_verbs")
    root = sent.root
    if root.pos_ not in ("VERB", "AUX"):
        verbs = [t for t in sent if t.pos_ == "VERB" and (after is None or t.i >= after)]
        if not verbs:
            return None
        root = verbs[0]
    cur = root
    for _ in range(4):
        if cur.lemma_.lower() not in light:
            break
        nxt = next(
            (
                c
                for c in cur.children
                if c.dep_ in ("xcomp", "ccomp", "obj") and c.pos_ == "VERB" and c.i > cur.i
            ),
            None,
        )
        if nxt is None:
            break
        cur = nxt
    if cur.lemma_.lower() in light and cur is root:
        return None
    return _clause_from(ctx, cur.i, sent.end)


def event_purpose(
    ctx: Context,
    si: int,
    lo: int,
    hi: int,
    anchor: int,
    parties: list[ActorMention],
    antecedent: int | None,
    trig_span: Span | None = None,
) -> tuple[str | None, int]:
    """The purpose of an event and how strong the evidence is (3 marker, 2 topic or
    objective sentence, 1 predicate of a related sentence, 0 none)."""
    found = _purpose_in(ctx, lo, hi, anchor, trig_span)
    if found:
        return found, 3
    para = ctx.para_of_sent[si]
    keys = {p.key for p in parties}
    for sj in range(si + 1, min(si + 1 + PURPOSE_WINDOW, len(ctx.sents))):
        if ctx.para_of_sent[sj] != para:
            break
        found = _objective_sentence(ctx, sj)
        if found:
            return found, 2
        named_here = {
            m.key for m in ctx.mentions if m.sent == sj and m.alias_of is None and usable(m)
        }
        if len(keys) >= 2 and len(keys & named_here) >= 2 and not _has_trigger(ctx, sj):
            found = _main_predicate(ctx, sj)
            if found:
                return found, 1
    found = _topic_complement(ctx, trig_span, hi)
    if found:
        return found, 2
    if antecedent is not None and antecedent < si:
        found = _main_predicate(ctx, antecedent)
        if found:
            return found, 1
    return None, 0


TOPIC_PREPS = (("sur",), ("autour", "de"), ("autour", "du"), ("autour", "des"))


def _topic_complement(ctx: Context, tspan: Span | None, hi: int) -> str | None:
    """'travailler sur le projet', 'collaborer autour de l'IA': what the partners work on."""
    if tspan is None or tspan.root.pos_ != "VERB":
        return None
    doc = ctx.doc
    k = tspan.end
    while k < hi and doc[k].pos_ == "ADV":
        k += 1
    for seq in TOPIC_PREPS:
        if seq_at(doc, k, seq):
            rest = _clause_from(ctx, k, hi)
            if rest:
                return f"{tspan.text} {rest}"
    return None

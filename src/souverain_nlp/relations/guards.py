"""Guards that keep non-deals out.

Nominal uses of verb triggers, idioms ("se mettre d'accord", "se confier à"), acquisitions
("un accord pour racheter X"), political alliances, and diplomacy between states with no
economic or technical topic.
"""

from __future__ import annotations

from spacy.tokens import Span

from ..actors.model import ActorMention
from ..layout import lower, seq_at
from ..rules import Trigger
from .context import PUBLIC_TYPES, REFLEXIVE, Context, governing_chain, is_infinitive, usable
from .roles import after_prep


def blocked(ctx: Context, trig: Trigger, tspan: Span) -> bool:
    doc = ctx.doc
    if trig.pos == "noun":
        for seq in ctx.rules.noun_blockers:
            if seq_at(doc, tspan.end, seq):
                return True
    if trig.id in ("s_allier", "s_associer", "collaborer", "cooperer", "s_unir") and (
        tspan.root.pos_ not in ("VERB", "AUX")
    ):
        return True  # "allié", "associé" as nouns
    reflexive = any(lower(t) in REFLEXIVE for t in doc[max(0, tspan.start - 4) : tspan.start])
    if trig.requires_reflexive and not reflexive:
        # "un moteur associé à une boîte", "alliant design et technologie": not a deal,
        # except the participle of an alliance ("l'université alliée au laboratoire X")
        root = tspan.root
        participle = (
            "Part" in root.morph.get("VerbForm")
            and tspan.end < len(doc)
            and (lower(doc[tspan.end]) in ("à", "au", "aux", "avec"))
        )
        if not (trig.id == "s_allier" and participle):
            return True
    if trig.id == "confier":
        if reflexive:
            return True  # "se confier à": to confide in someone
        if not any(c.dep_ == "obj" and c.pos_ in ("NOUN", "PROPN") for c in tspan.root.children):
            return True  # "confiait au Figaro avoir dû ...": told, not entrusted
    if (
        trig.id == "accord"
        and tspan.start >= 2
        and lower(doc[tspan.start - 1]) == "d'"
        and (
            doc[tspan.start - 2].lemma_.lower() in ("mettre", "tomber", "être", "rester")
            or lower(doc[tspan.start - 2]) in ("pas", "tout", "bien", "plutôt")
        )
    ):
        return True  # "se mettre d'accord", "être d'accord": to agree, not a deal
    return False


def political(ctx: Context, parties: list[ActorMention], si: int) -> bool:
    political_ctx = ctx.rules.cue_words("not_events", "political_context")
    sent_words = {t.lower_ for t in ctx.sents[si]}
    return bool(sent_words & political_ctx) and any(
        p.named is not None and p.named.entry is None for p in parties
    )


def diplomacy(ctx: Context, parties: list[tuple[ActorMention, str]], si: int) -> bool:
    """Only states or international bodies, and nothing economic or technical around."""
    for p, _ in parties:
        named = p.named
        if named is None or named.entry is None or named.entry.type not in PUBLIC_TYPES:
            return False
    topics = ctx.rules.cue_words("not_events", "state_topics")
    words = {t.lower_ for t in ctx.sents[si]}
    if words & ctx.rules.cue_words("not_events", "public_finance"):
        return True  # a state and the IMF negotiating a loan: public finance, not a deal
    return not (words & topics)


def acquisition(ctx: Context, tspan: Span) -> bool:
    lemmas = ctx.rules.cue_words("not_events", "acquisition_lemmas")
    for t in governing_chain(tspan.root)[1:3]:
        if t.lemma_.lower() in lemmas:
            return True
    for t in ctx.doc[tspan.end : min(tspan.end + 8, tspan.sent.end)]:
        if t.lemma_.lower() in lemmas and is_infinitive(t):
            obj = after_prep(ctx, t.i + 1, min(t.i + 6, tspan.sent.end))
            partners = {
                m.key
                for m in ctx.mentions
                if tspan.end <= m.start < t.i and usable(m) and m.alias_of is None
            }
            if obj is not None and partners <= {obj.key}:
                return True  # "un accord pour racheter X"; not "s'associer à Y pour racheter X"
    return False

"""Kind of an event: the trigger's, refined by context.

States that associate or cooperate -> alliance (a treaty, an accord or a partnership noun
stays one); shared
capital -> joint venture; a deal told by a verb takes the kind of the noun that names it in
the next sentences.
"""

from __future__ import annotations

from spacy.tokens import Span

from ..actors.model import ActorMention
from ..layout import seq_at
from ..records import Event
from ..rules import Trigger
from .context import Context, Found, mention_at, usable


def event_kind(ctx: Context, trig: Trigger, parties: list[ActorMention], si: int) -> str:
    kind = trig.kind
    named = [p.named for p in parties]
    if named and all(
        n is not None and (n.kind == "state" or (n.entry is not None and n.entry.type == "STATE"))
        for n in named
    ):
        # states that associate or cooperate form an alliance; a treaty or an accord between
        # states stays an agreement
        if kind in ("collaboration", "alliance") or (
            kind in ("agreement", "partnership") and trig.pos == "verb"
        ):
            return "alliance"
    if kind in ("partnership", "collaboration", "agreement", "alliance"):
        cues = ctx.rules.cue_sequences("kind", "joint_venture_cues")
        names = {p.key for p in parties}
        para = ctx.para_of_sent[si]
        for sj in range(si, len(ctx.sents)):
            if ctx.para_of_sent[sj] > para + 1:
                break
            sent = ctx.sents[sj]
            if sj != si and not any(m.sent == sj and m.key in names for m in ctx.mentions):
                continue
            for k in range(sent.start, sent.end):
                if any(seq_at(ctx.doc, k, cue) for cue in cues) and not _describes_party(ctx, k):
                    return "joint_venture"
    return kind


def _describes_party(ctx: Context, k: int) -> bool:
    """'FCA Bank, joint venture détenu par ...': the cue says what a party is, not the deal."""
    doc = ctx.doc
    sent = doc[k].sent
    before = doc[sent.start : k]
    if sum(t.text == "(" for t in before) > sum(t.text == ")" for t in before):
        return True  # inside parentheses: an aside about one of the actors
    j = k - 1
    while j >= 0 and k - j <= 3 and doc[j].pos_ in ("DET", "ADJ"):
        j -= 1
    return j >= 1 and doc[j].text in (",", "(") and mention_at(ctx, j - 1) is not None


GENERIC_KINDS = frozenset({"partnership", "collaboration", "alliance", "agreement"})


#: Sentences after an event searched for the noun that names the deal.
NAMED_DEAL_WINDOW = 3


def kind_from_named_deal(
    ctx: Context,
    found: list[Found],
    events: list[Event],
    triggers: list[tuple[Trigger, Span]],
    sent_of: dict[int, int],
) -> None:
    """A deal told with a verb ("X s'allie à Y", "de concert avec Y") and then named by a
    noun that carries no parties of its own ("Un partenariat inédit", "l'accord prévoit"):
    the noun gives the kind."""
    used = {f.tspan.start for f in found}
    nouns = [
        (sent_of[span.start], trig)
        for trig, span in triggers
        if trig.pos == "noun" and span.start not in used and trig.kind in GENERIC_KINDS
    ]
    verb_events = {ev.sentence_index: ev for ev in events}
    for f in found:
        if f.trig.pos != "verb" or f.si not in verb_events:
            continue
        ev = verb_events[f.si]
        if ev.kind not in GENERIC_KINDS:
            continue
        keys = {p.key for p in (*f.who, *f.partners)}
        for si, trig in nouns:
            if not f.si < si <= f.si + NAMED_DEAL_WINDOW:
                continue
            others = {
                m.key for m in ctx.mentions if m.sent == si and usable(m) and m.alias_of is None
            }
            if others <= keys:  # the noun's sentence speaks of these partners only
                ev.kind = trig.kind
                break

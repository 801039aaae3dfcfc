"""The relations stage: partnership events from a parsed article and its actors.

One module per step: ``triggers`` (the Matcher of ``models/triggers.yaml``), ``roles``
(who, with whom, lists), ``status``, ``kind``, ``when`` (date), ``purpose`` and
``guards`` (what is not a deal); ``extract_events`` here wires them.  Actor mentions and
what they stand for come from the actors stage (``souverain_nlp.actors``).

Everything here is a pure function of the spaCy ``Doc`` and the rule data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import date

from spacy.tokens import Doc

from ..actors import find_actors
from ..actors.model import ActorMention
from ..gazetteer import Gazetteer
from ..layout import doc_layout
from ..records import Event, Party
from ..rules import RuleData
from ..triggers import triggers_of
from .context import Context, Found
from .frames import ADJUNCT_TRIGGERS, compounds, participle_of, role_noun
from .guards import acquisition, blocked, consent, diplomacy, merger, political, trade_partners
from .kind import GENERIC_KINDS, event_kind, kind_from_named_deal
from .purpose import event_purpose
from .roles import apposed_partner_noun, roles_for, split_clauses
from .status import event_status
from .when import event_date

# Confidence: trigger weight x evidence factor x status factor.  The factors express how
# often each kind of evidence was right when reading the seed and bench outputs by hand.
ROLE_FACTOR = {"dep": 1.0, "surface": 0.85, "anaphora": 0.85, "context": 0.7}


STATUS_FACTOR = {
    "announced": 1.0,
    "planned": 0.9,
    "negated": 0.9,
    "reported": 0.8,
    "hypothetical": 0.7,
}


def _event_id(article_id: str, sentence_index: int, keys: Iterable[str], trigger: str) -> str:
    raw = f"{article_id}|{sentence_index}|{'|'.join(sorted(keys))}|{trigger}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


def _to_party(doc: Doc, m: ActorMention, role: str) -> Party:
    named = m.named
    return Party(
        text=m.text,
        start=doc[m.start].idx,
        end=doc[m.end - 1].idx + len(doc[m.end - 1]),
        label=m.label,
        role=role,
        resolved_text=named.text if named is not None and named is not m else None,
        entity_id=named.entry.id if named is not None and named.entry is not None else None,
        country=named.country if named is not None else None,
    )


def _headline_sentences(ctx: Context) -> set[int]:
    """Sentences that are a headline: alone in the first paragraph, no final punctuation."""
    first = [si for si, para in enumerate(ctx.para_of_sent) if para == 0]
    if len(first) == 1 and len(ctx.para_of_sent) > 1:
        words = [t for t in ctx.sents[first[0]] if not t.is_space]
        if words and words[-1].text not in (".", "!", "?", "…", "»", '"'):
            return {first[0]}
    return set()


def extract_events(
    doc: Doc,
    article_id: str,
    gaz: Gazetteer,
    rules: RuleData,
    reference: date | str | None = None,
    sentence_filter: Sequence[int] | None = None,
    reference_exact: bool = True,
    actors: list[ActorMention] | None = None,
    triggers: list | None = None,
    layout: tuple | None = None,
) -> tuple[list[Event], list[ActorMention]]:
    """All partnership events of one parsed article, and the actor mentions they read.

    ``actors``: the article's resolved actor mentions (``souverain_nlp.actors.find_actors``;
    found here when not given), ``triggers`` and ``layout`` the trigger matches and layout
    they were found with.

    ``reference`` anchors relative dates (publication date, or a date inferred from the
    text); when it was inferred (``reference_exact`` False), dates relative to a day
    ("jeudi", "hier", "la semaine dernière") are not resolved: only the publication date can
    say which Thursday.
    """
    layout = layout or doc_layout(doc)
    sents, sent_of, paras = layout
    if triggers is None:
        triggers = triggers_of(doc, rules)
    mentions = actors if actors is not None else find_actors(doc, gaz, rules, layout, triggers)
    by_token: dict[int, ActorMention] = {}
    for m in mentions:
        if m.how == "possessive" or m.part_of is not None:
            continue  # an owner, or a part of a compound name: read by the rules that
            # look for one, never a slot filler
        for i in range(m.start, m.end):
            by_token[i] = m
    ctx = Context(
        doc,
        sents,
        paras,
        mentions,
        by_token,
        gaz,
        rules,
        reference,
        reference_exact,
    )

    found: list[Found] = []
    for n, (trig, tspan) in enumerate(triggers):
        si = sent_of[tspan.start]
        if (
            blocked(ctx, trig, tspan)
            or acquisition(ctx, tspan, trig)
            or consent(ctx, trig, tspan)
            or merger(ctx, trig, tspan, si)
        ):
            continue
        nxt = next(
            (
                s.start
                for t, s in triggers[n + 1 :]
                if sent_of[s.start] == si
                and (t.pos == "noun" or t.needs_partner_prep)
                and not apposed_partner_noun(tspan, s)
                and not (trig.pos == "noun" and s.root.head.i == tspan.root.i
                         and s.root.dep_ == "nmod")  # "partenaires de l'Alliance (A, B)"
            ),
            sents[si].end,
        )
        framed = role_noun(ctx, trig, tspan, si, nxt)
        if framed is None:
            framed = compounds(ctx, trig, tspan, si, nxt)
        found.extend(framed if framed is not None else roles_for(ctx, trig, tspan, si, nxt))
    split_clauses(ctx, found)

    noun_at = {span.root.i: trig for trig, span in triggers if trig.pos == "noun"}
    events: list[Event] = []
    seen: dict[frozenset[str], Event] = {}
    keys_of: dict[int, frozenset[str]] = {}
    strengths: dict[frozenset[str], int] = {}
    # Body sentences first: a headline restates a deal the body tells in full.
    headline = _headline_sentences(ctx)
    found.sort(key=lambda f: (f.si in headline, f.si, f.tspan.start))
    # Events made from one trigger (a list of partners) and the earlier event each was
    # merged into: when one partner of a list already had a deal with the same actor,
    # the whole list describes that deal (same date and purpose).
    siblings: dict[int, list[Event]] = {}
    joined: dict[int, Event] = {}
    for f in found:
        parties = [*f.who, *f.partners]
        keys: list[str] = []
        uniq: list[tuple[ActorMention, str]] = []
        for p, role in [(p, "who") for p in f.who] + [(p, "with") for p in f.partners]:
            if p.key in keys or p.named is None:
                continue
            keys.append(p.key)
            uniq.append((p, role))
        if len(uniq) < 2 or political(ctx, parties, f.si) or diplomacy(ctx, uniq, f.si) \
                or trade_partners(ctx, uniq, f.tspan):
            continue
        key = frozenset(keys)
        sent = sents[f.si]
        lo_char = doc[f.lo].idx if f.lo < len(doc) else sent.start_char
        hi_char = doc[f.hi - 1].idx + len(doc[f.hi - 1]) if f.hi > f.lo else sent.end_char
        stop = next((t.idx for t in doc[f.tspan.end : f.hi] if t.text in (":", ";")), None)
        if stop is not None:
            hi_char = min(hi_char, stop)  # what follows a colon is another statement
        own = f.own_clause or (
            (f.trig.id in ADJUNCT_TRIGGERS or f.tspan.root.dep_.startswith("acl"))
            and participle_of(f.tspan) is not None
        )  # a participle clause ("X, associée à Y, espère"): its own status
        status = event_status(ctx, f.tspan, f.lo, f.hi, f.trig, own)
        kind = event_kind(ctx, f.trig, [p for p, _ in uniq], f.si)
        if f.trig.pos == "verb" and kind == f.trig.kind:
            # "X a signé avec Y un partenariat": the noun object names the deal
            named = next(
                (noun_at[c.i] for c in f.tspan.root.children if c.dep_ == "obj" and c.i in noun_at),
                None,
            )
            if named is not None:
                kind = named.kind
        when = event_date(
            ctx, f.si, lo_char, hi_char, f.tspan.start_char, f.antecedent, f.tspan,
            frozenset(keys), planned=status == "planned", own_clause=own,
        )
        purpose, strength = event_purpose(
            ctx, f.si, f.lo, f.hi, f.tspan.end, [p for p, _ in uniq], f.antecedent, f.tspan
        )
        if purpose:
            # the tokenizer keeps a final stop on some words ("la 5G."): not the purpose's
            purpose = purpose.rstrip(" .;,:") or None
        confidence = round(
            f.trig.weight * ROLE_FACTOR.get(f.evidence, 0.8) * STATUS_FACTOR.get(status, 0.8), 3
        )
        if key in seen:
            prev = seen[key]
            if f.tspan.start not in joined and prev.trigger != f.tspan.text:
                joined[f.tspan.start] = prev
            prev.date = prev.date or (when.value if when else None)
            if prev.date_text is None and when is not None:
                prev.date_text, prev.date_granularity = when.text, when.granularity
            if strength > strengths[key]:
                prev.purpose, strengths[key] = purpose, strength
            continue
        ev = Event(
            event_id=_event_id(article_id, f.si, keys, f.trig.id),
            article_id=article_id,
            kind=kind,
            status=status,
            parties=[_to_party(doc, p, role) for p, role in uniq],
            trigger=f.tspan.text,
            sentence=sent.text.strip(),
            sentence_index=f.si,
            start=sent.start_char,
            end=sent.end_char,
            date=when.value if when else None,
            date_text=when.text if when else None,
            date_granularity=when.granularity if when else None,
            purpose=purpose,
            confidence=confidence,
        )
        seen[key] = ev
        keys_of[id(ev)] = key
        strengths[key] = strength
        events.append(ev)
        siblings.setdefault(f.tspan.start, []).append(ev)
    kind_from_named_deal(ctx, found, events, triggers, sent_of)
    for start, frame in joined.items():
        for ev in siblings.get(start, []):
            if not keys_of[id(frame)] & keys_of[id(ev)]:
                continue  # "les alliances A/B et C/D": separate deals
            if frame.date:
                ev.date, ev.date_text = frame.date, frame.date_text
                ev.date_granularity = frame.date_granularity
            if frame.purpose:
                ev.purpose = frame.purpose
            if ev.kind in GENERIC_KINDS and frame.kind in GENERIC_KINDS:
                ev.kind = frame.kind  # one deal, one kind
    events.sort(key=lambda e: (e.sentence_index, e.start))
    return events, mentions

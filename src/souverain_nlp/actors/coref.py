"""What each descriptor stands for (coreference without a statistical model).

The coreference library spaCy users reach for (coreferee) ships no French model that
installs here; descriptors are linked instead to the nearest compatible named actor
(country and sector agree), in the same paragraph first, then the previous paragraph's
subjects.
"""

from __future__ import annotations

from spacy.tokens import Doc

from ..layout import lower
from .model import ActorMention
from .names import norm

#: Descriptors of a young company: the gazetteer lists established actors, so a
#: "start-up" is an actor it does not know (unless the entry itself is called one).
YOUNG_HEADS = ("start up", "startup", "jeune pousse", "pepite")


def _compatible(desc: ActorMention, cand: ActorMention) -> bool:
    if cand.kind == "desc" or cand.alias_of is not None:
        return False
    if (
        cand.entry is not None
        and any(h in norm(desc.text) for h in YOUNG_HEADS)
        and not any(any(h in norm(d) for h in YOUNG_HEADS) for d in cand.entry.descriptors)
    ):
        return False
    if cand.kind == "state" or (cand.entry is not None and cand.entry.type == "STATE"):
        return False
    if desc.country and cand.country and desc.country != cand.country:
        return False
    if desc.countries and cand.country not in desc.countries:
        return False
    if desc.country and not cand.country:
        return False
    if desc.sectors:
        cand_sectors = cand.sectors
        if cand_sectors and not (cand_sectors & desc.sectors):
            return False
        if not cand_sectors and cand.entry is not None:
            return False
    return True


def resolve_descriptors(doc: Doc, mentions: list[ActorMention]) -> None:
    """Link each descriptor to the named actor it stands for, in place.

    Candidates, in this order, the first one compatible in country and sector winning:
    names of the same paragraph before the descriptor (nearest first); names after it up to
    the next sentence, except those in a partner or source slot ("avec Google", "selon Les
    Echos": another actor); then the previous paragraph, its subjects first (the actor it
    was about), nearest first.  A descriptor already resolved stands for its actor where it
    is ("le laboratoire tricolore ... le groupe"); sources are never candidates.
    """
    for m in mentions:
        if m.kind != "desc":
            continue
        if m.entry is not None:
            m.resolved = ActorMention(
                m.start,
                m.end,
                m.entry.name,
                "name",
                "ORG",
                m.sent,
                m.para,
                entry=m.entry,
                country=m.entry.country,
            )
            continue
        # (position, sentence, paragraph, is a subject, the named mention it stands for)
        cands = [
            (c.start, c.sent, c.para, _is_subject(doc, c), c if c.kind == "name" else c.resolved)
            for c in mentions
            if c is not m
            and c.alias_of is None
            and not c.source
            and (c.kind == "name" or (c.kind == "desc" and c.resolved is not None))
        ]
        before = [c for c in cands if c[0] < m.start and c[2] == m.para]
        after = [
            c
            for c in cands
            if c[0] >= m.end
            and c[2] == m.para
            and c[1] <= m.sent + 1
            and c[4].kind == "name"
            and not _partner_slot(doc, c[0])
        ]
        prev_para = [c for c in cands if c[2] == m.para - 1 and c[1] >= m.sent - 3]
        prev_para.sort(key=lambda c: (not c[3], -c[0]))
        for pool in (sorted(before, key=lambda c: -c[0]), after, prev_para):
            found = next((c[4] for c in pool if _compatible(m, c[4])), None)
            if found is not None:
                m.resolved = found
                break


def _is_subject(doc: Doc, m: ActorMention) -> bool:
    """The mention is a subject, or in apposition to one ("Le laboratoire français Sanofi")."""
    return any(
        t.dep_.startswith("nsubj")
        or t.dep_ in ("appos", "flat:name", "flat", "nmod", "compound", "amod")
        and t.head.dep_.startswith("nsubj")
        for t in doc[m.start : m.end]
    )


def _partner_slot(doc: Doc, start: int) -> bool:
    """A name right after "avec", "entre", "selon"... (within three words)."""
    return any(
        lower(t) in ("avec", "entre", "selon", "d'après", "auprès")
        for t in doc[max(0, start - 3) : start]
    )

"""The events stage: the same deal reported by several articles is grouped.

Two events of different articles share an ``event_group`` when they have the same resolved
parties, compatible kinds and compatible dates.  Kinds are compatible when equal or both in
the family of generic cooperation words (partnership, agreement, alliance, collaboration) that
journalists use interchangeably for one deal; dates are compatible when one is a prefix of the
other or either is unknown.  Grouping is a union-find over events bucketed by party set, so it
is linear in the number of events.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence

GENERIC_KINDS = frozenset({"partnership", "agreement", "alliance", "collaboration"})


def kinds_compatible(a: str, b: str) -> bool:
    """Same kind, or both generic cooperation kinds."""
    return a == b or (a in GENERIC_KINDS and b in GENERIC_KINDS)


def dates_compatible(a: str | None, b: str | None) -> bool:
    """Unknown dates are compatible with anything; known ones when one prefixes the other."""
    if not a or not b:
        return True
    a2, b2 = a.replace("XXXX", ""), b.replace("XXXX", "")
    if a.startswith("XXXX") or b.startswith("XXXX"):
        return a2.endswith(b2) or b2.endswith(a2)
    return a.startswith(b) or b.startswith(a)


def group_events(
    party_ids: Sequence[Sequence[str]],
    kinds: Sequence[str],
    dates: Sequence[str | None],
    article_ids: Sequence[str],
    event_ids: Sequence[str] | None = None,
) -> list[str]:
    """The ``event_group`` id of every event (same order as the inputs).

    The id is a hash of the members' event ids (their positions when none are given), so it
    is stable across runs over the same corpus.
    """
    ids = list(event_ids) if event_ids is not None else [str(i) for i in range(len(party_ids))]
    n = len(party_ids)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    buckets: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, parties in enumerate(party_ids):
        buckets[tuple(sorted(set(parties)))].append(i)
    for members in buckets.values():
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                if article_ids[i] == article_ids[j]:
                    continue
                if kinds_compatible(kinds[i], kinds[j]) and dates_compatible(dates[i], dates[j]):
                    parent[find(j)] = find(i)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        groups[find(i)].append(i)
    out = [""] * n
    for members in groups.values():
        key = ",".join(sorted(ids[m] for m in members))
        gid = "g-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
        for m in members:
            out[m] = gid
    return out

"""The events stage: the same deal reported by several articles is grouped.

Two events of different articles share an ``event_group`` when they have the same resolved
parties, compatible kinds and compatible dates.  Kinds are compatible when equal or both in
the family of generic cooperation words (partnership, agreement, alliance, collaboration) that
journalists use interchangeably for one deal; dates are compatible when one is a prefix of the
other or either is unknown.  Grouping is a union-find over events bucketed by party set and
kind family, linking date values rather than comparing events pairwise, so it is linear in
the number of events.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Sequence

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

    Groups are the connected components of "compatible and from different articles".  They
    are found without comparing events pairwise (one party set may be told by thousands of
    articles): events are bucketed by party set and kind family, then by date value, and
    only date values that are compatible are linked (see ``_link_dates``).

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

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        if ri != rj:
            parent[max(ri, rj)] = min(ri, rj)

    buckets: dict[tuple[tuple[str, ...], str], dict[str, list[int]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for i, parties in enumerate(party_ids):
        family = "generic" if kinds[i] in GENERIC_KINDS else kinds[i]
        buckets[(tuple(sorted(set(parties))), family)][dates[i] or ""].append(i)
    for by_date in buckets.values():
        _link_dates(by_date, article_ids, union)
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


def _suffixes(value: str) -> list[str]:
    """"-05-03" and "-03" for "2020-05-03" (what an unknown-year date can end with)."""
    parts = value.split("-")
    return ["-" + "-".join(parts[k:]) for k in range(1, len(parts))]


def _link_dates(
    by_date: dict[str, list[int]],
    article_ids: Sequence[str],
    union: Callable[[int, int], None],
) -> None:
    """Union the events of one bucket (same parties, same kind family) as pairwise
    comparison would, working on date values instead of events.

    Events with one date value are pairwise compatible: linked when they come from at least
    two articles.  Two compatible values a and b have an edge between their events unless
    all of them come from one article; and an event that has any edge is linked to every
    event of the other value that is not from its article, so then both values form one
    component.  Compatible values are found by index: the unknown date goes with every
    value, a value with its prefixes ("2020" for "2020-05"), an unknown year with the dates
    ending like it ("XXXX-05-03" with "2021-05-03").
    """
    articles = {d: {article_ids[i] for i in members} for d, members in by_date.items()}
    linked = {d for d, arts in articles.items() if len(arts) > 1}

    def link(a: str, b: str) -> None:
        if len(articles[a]) == 1 and articles[a] == articles[b]:
            return  # every pair is from the same article
        union(by_date[a][0], by_date[b][0])
        linked.update((a, b))

    known = [d for d in by_date if d]
    if "" in by_date:
        for d in known:
            link("", d)
    by_suffix: dict[str, list[str]] = defaultdict(list)
    for d in known:
        for suffix in _suffixes(d):
            by_suffix[suffix].append(d)
    for d in known:
        if d.startswith("XXXX"):
            own = d[len("XXXX"):]
            for other in by_suffix.get(own, ()):
                if other != d:
                    link(d, other)
        else:
            parts = d.split("-")
            for k in range(1, len(parts)):
                prefix = "-".join(parts[:k])
                if prefix in by_date:
                    link(d, prefix)
    for d in linked:
        first = by_date[d][0]
        for i in by_date[d][1:]:
            union(first, i)

"""The record of the actors stage: one mention of an actor and what it stands for."""

from __future__ import annotations

from dataclasses import dataclass

from ..gazetteer import GazetteerEntry


@dataclass(eq=False)
class ActorMention:
    """A span that can be a party: a name, a state phrase or a descriptor."""

    start: int  # token indices in the doc
    end: int
    text: str
    kind: str  # name | state | desc
    label: str
    sent: int
    para: int
    entry: GazetteerEntry | None = None
    country: str | None = None  # from the gazetteer or a nationality word next to the name
    sectors: frozenset[str] = frozenset()
    alias_of: ActorMention | None = None  # "(CIO)" after "Comité International Olympique"
    source: bool = False  # "selon Reuters": who reports, never a party
    countries: frozenset[str] = frozenset()  # "le groupe franco-italien": FR or IT
    resolved: ActorMention | None = None  # named mention a descriptor stands for
    descriptor_text: str | None = None  # "le Chinois" in "le Chinois Alibaba"

    @property
    def named(self) -> ActorMention | None:
        """The named mention this one stands for (itself for names and state phrases)."""
        if self.kind == "desc":
            return self.resolved
        return self

    @property
    def key(self) -> str:
        """Identity used to tell parties apart inside one article."""
        named = self.named
        if named is None:
            return f"?{self.text.lower()}"
        if named.entry is not None:
            return named.entry.id
        return named.text.lower()

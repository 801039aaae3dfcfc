"""The record of the actors stage: one mention of an actor and what it stands for."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..gazetteer import GazetteerEntry

#: How a mention was found or resolved (the ``mentions.resolved_by`` column).
HOW = (
    "name",  # a name (statistical NER or gazetteer ruler), possibly repaired
    "name_in_slot",  # a capitalised name the NER missed, in a slot where a party stands
    "acronym",  # an acronym the text defines in parentheses
    "institution",  # "l'université d'Oxford", "la mairie de Nice": a head noun and a name
    "state_phrase",  # "le gouvernement allemand", "Bercy", "l'Hexagone"
    "metonym",  # a capital standing for its state ("Washington a signé")
    "demonym",  # "les Croates", "aux Américains": a plural demonym standing for its state
    "person",  # a person acting for no organisation (an artist, a designer)
    "person_role",  # a person, or a role noun, acting for an organisation or a state
    "descriptor",  # "le pétrolier français", "le constructeur au lion"
    "pronoun",  # "il", "elle", "ce dernier"
    "possessive",  # "sa collaboration avec X": the owner of a deal noun
    "plural_anaphor",  # "les deux groupes": the actors it stands for are ``members``
)


@dataclass(eq=False)
class ActorMention:
    """A span that can be a party: a name, a state phrase, a person, a descriptor, a
    pronoun or a plural anaphor, with what it stands for."""

    start: int  # token indices in the doc
    end: int
    text: str
    kind: str  # name | state | desc | person | pronoun | group
    label: str
    sent: int
    para: int
    entry: GazetteerEntry | None = None
    country: str | None = None  # from the gazetteer or a nationality word next to the name
    sectors: frozenset[str] = frozenset()
    alias_of: ActorMention | None = None  # "(CIO)" after "Comité International Olympique"
    source: bool = False  # "selon Reuters": who reports, never a party
    countries: frozenset[str] = frozenset()  # "le groupe franco-italien": FR or IT
    resolved: ActorMention | None = None  # named mention a descriptor / pronoun stands for
    descriptor_text: str | None = None  # "le Chinois" in "le Chinois Alibaba"
    how: str = "name"  # see HOW
    members: list[ActorMention] = field(default_factory=list)  # plural anaphor: its actors
    metonym: bool = False  # a capital: a party only as the agent or partner of a deal
    independent: bool = False  # a person acting for no organisation (an artist)
    group_size: int = 0  # plural anaphor: how many actors ("les deux groupes": 2)
    group_head: str | None = None  # plural anaphor: its head noun ("groupes", "pays")
    part_of: ActorMention | None = None  # "Nissan" in "Renault-Nissan-Mitsubishi"
    parts: list[ActorMention] = field(default_factory=list)  # the compound's known parts
    char_span: tuple[int, int] | None = None  # offsets in the text when not its tokens'
    of_person: int | None = None  # "le gouvernement de X": token where the person X starts
    same_as: ActorMention | None = None  # "Oxford" after "l'université Oxford": its long form

    @property
    def named(self) -> ActorMention | None:
        """The named mention this one stands for (itself for names and state phrases).

        Descriptors, pronouns and persons stand for what they were resolved to; a person
        acting for no organisation stands for herself; a plural anaphor for none (its
        ``members`` are the actors).
        """
        if self.kind in ("desc", "pronoun"):
            return self.resolved.named if self.resolved is not None else None
        if self.kind == "person":
            if self.resolved is not None:
                return self.resolved.named
            return self if self.independent else None
        if self.kind == "group":
            return None
        return self.same_as if self.same_as is not None else self

    @property
    def key(self) -> str:
        """Identity used to tell parties apart inside one article."""
        named = self.named
        if named is None:
            return f"?{self.text.lower()}"
        if named.entry is not None:
            return named.entry.id
        return named.text.lower()

    @property
    def actors(self) -> list[ActorMention]:
        """The mentions this one counts as when it is a party: its members for a plural
        anaphor, itself otherwise."""
        return list(self.members) if self.kind == "group" else [self]

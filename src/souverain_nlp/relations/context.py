"""What every relation rule reads: the article's actors and layout, and shared helpers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from spacy.tokens import Doc, Span, Token

from ..actors.model import ActorMention
from ..gazetteer import Gazetteer
from ..rules import RuleData, Trigger

#: Pronouns that stand for the subject of the previous sentence (resolved by the actors
#: stage; listed here for pronouns the tagger did not tag as such).
SUBJECT_PRONOUNS = frozenset({"il", "elle", "ils", "elles"})


RELATIVE_PRONOUNS = frozenset({"qui"})


#: Prepositions after which a mention is not a bare subject ("pour Uber", "chez Orange").
PREPOSITIONS = frozenset(
    {
        "de",
        "d'",
        "d’",
        "du",
        "des",
        "pour",
        "par",
        "à",
        "au",
        "aux",
        "chez",
        "vers",
        "sur",
        "dans",
        "avec",
        "entre",
        "selon",
        "contre",
        "sans",
        "comme",
        "en",
        "auprès",
        "face",
    }
)


#: Largest number of descriptor words allowed between a preposition and the partner's name
#: ("avec le groupe pharmaceutique et agrochimique allemand Bayer": 6).
MAX_DESCRIPTOR_GAP = 8


#: Farthest a name inside a complement ("c'était au tour d'Accor de signer") may stand
#: before its trigger to be taken as its subject (tokens); bare subjects have no limit.
MAX_SURFACE_DISTANCE = 25


#: Largest gap (words) between two coordinated names of one list.
MAX_COORD_GAP = 6


@dataclass
class Context:
    doc: Doc
    sents: list[Span]
    para_of_sent: list[int]
    mentions: list[ActorMention]
    by_token: dict[int, ActorMention]
    gaz: Gazetteer
    rules: RuleData
    reference: date | str | None  # "XXXX-MM-DD": the year is unknown
    reference_exact: bool = True


REFLEXIVE = frozenset({"s'", "se", "nous", "vous"})


#: Gazetteer types of public actors (an event between these only is diplomacy unless its
#: sentence is about the economy or technology, see cues.yaml state_topics).
PUBLIC_TYPES = frozenset({"STATE", "INTL", "GOV"})


#: Nouns that carry a deal noun as their complement ("la création d'une coentreprise").
NOMINAL_SUPPORTS = frozenset(
    {
        "création",
        "signature",
        "conclusion",
        "lancement",
        "annonce",
        "constitution",
        "formation",
        "renouvellement",
        "prolongation",
        "extension",
        "officialisation",
        "mise",
    }
)


#: Plural indefinite determiners of a generic group of partners ("différents acteurs").
GENERIC_DETS = frozenset(
    {
        "différents",
        "différentes",
        "plusieurs",
        "divers",
        "diverses",
        "des",
        "de",
        "nombreux",
        "nombreuses",
        "certains",
        "certaines",
    }
)


#: Openers of a sentence that lists the members of a group just mentioned.
LIST_OPENERS = (
    ("ces", "derniers"),
    ("ces", "dernières"),
    ("parmi", "eux"),
    ("parmi", "elles"),
    ("il", "s'agit"),
    ("il", "s’agit"),
    ("ce", "sont"),
    ("parmi", "lesquels"),
    ("parmi", "lesquelles"),
)


def mention_at(ctx: Context, i: int) -> ActorMention | None:
    m = ctx.by_token.get(i)
    if m is not None and m.alias_of is not None:
        return m.alias_of
    return m


def usable(m: ActorMention | None) -> bool:
    """A mention that can be a party: it stands for an actor (or, a plural anaphor, for
    several) and is not a source."""
    return m is not None and not m.source and (m.named is not None or bool(m.members))


def flatten(ms: list[ActorMention]) -> list[ActorMention]:
    """Parties with every plural anaphor replaced by the actors it stands for."""
    out: list[ActorMention] = []
    for m in ms:
        for a in m.actors:
            if a not in out:
                out.append(a)
    return out


#: Possessives of one owner: "signer son contrat" is someone's own contract, not a deal
#: between the subjects ("leur contrat" may be).
OWN_DETS = frozenset({"son", "sa", "ses", "mon", "ma", "mes", "ton", "ta", "tes", "notre",
                      "nos", "votre", "vos"})


#: Parts of speech a coordinated list of names is made of.
LIST_POS = frozenset({"PUNCT", "CCONJ", "DET", "ADJ", "NOUN", "PROPN", "SPACE", "X"})


def governing_chain(tok: Token) -> list[Token]:
    """The trigger and the verbs that govern it, up to the main clause."""
    out = [tok]
    cur = tok
    steps = 0
    while cur.head.i != cur.i and steps < 6:
        cur = cur.head
        out.append(cur)
        steps += 1
        if cur.dep_ in ("ROOT", "parataxis", "acl:relcl", "advcl") or (
            cur.pos_ == "VERB" and cur.dep_ == "ccomp"
        ):
            break  # the clause of the trigger ends here
    return out


CLITICS = frozenset(
    {
        "se",
        "s'",
        "s’",
        "en",
        "y",
        "le",
        "la",
        "les",
        "l'",
        "l’",
        "lui",
        "leur",
        "nous",
        "vous",
        "ne",
        "pas",
        "me",
        "m'",
        "m’",
        "te",
        "t'",
        "t’",
    }
)


def is_infinitive(tok: Token) -> bool:
    if "Inf" in tok.morph.get("VerbForm"):
        return True
    return tok.pos_ in ("VERB", "AUX") and tok.lower_.endswith(("er", "ir", "re", "oir"))


@dataclass
class Found:
    trig: Trigger
    tspan: Span
    si: int
    who: list[ActorMention]
    partners: list[ActorMention]
    evidence: str
    antecedent: int | None
    lo: int  # token segment of the clause this event owns
    hi: int
    own_clause: bool = False  # an apposition or fronted phrase: main-clause verbs don't apply


def passive(tok: Token) -> bool:
    return any(c.dep_ == "aux:pass" for c in tok.children) or "Pass" in tok.morph.get("Voice")

"""The relations stage: partnership events from a parsed article.

For every trigger of ``models/triggers.yaml`` found in a sentence, the rules find:

- the parties: the subject of the clause that governs the trigger (dependency parse, with the
  relative pronoun "qui", personal pronouns and descriptors such as "le pétrolier français"
  resolved to the named actor they stand for), and the partners introduced by "avec", "entre",
  "aux côtés de"..., with coordinated lists expanded ("Orange et Capgemini ... avec Microsoft"
  is one event with three parties) and elliptical coordination split ("X a signé avec Y en
  2018, et Z avec W en 2019" is two events);
- the kind (trigger, then context: states only -> alliance, capital sharing -> joint venture);
- the status (negated, hypothetical, reported, planned, announced) from the verbs governing
  the trigger, their mood and tense, and attribution cues;
- the date (closest point date of the clause, never a target such as "d'ici 2025" nor a date
  after the article's reference date), inherited from the sentence that introduced the actor
  when the event sentence refers back to it with a pronoun;
- the purpose (a "pour / afin de / visant à + infinitive" clause, else "L'objectif : ..." in the
  next sentence, else the predicate of a following sentence that names both partners).

Everything here is a pure function of the spaCy ``Doc`` and the rule data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token

from .dates import find_dates
from .gazetteer import Gazetteer, GazetteerEntry
from .nlp import PARSED_KEY
from .records import DateMention, Event, Party
from .rules import RuleData, Trigger

#: Entity labels of spaCy fr that can be parties (persons never are: a minister signs for
#: the state, and the state phrase is found separately).
PARTY_LABELS = frozenset({"ORG", "LOC", "MISC", "GPE"})
#: Pronouns that stand for the subject of the previous sentence.
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
MAX_COORD_GAP = 5
#: Sentences after the event searched for the purpose ("L'objectif : ...").  Kind cues
#: (capital sharing -> joint venture) are searched in the rest of the paragraph and the next.
PURPOSE_WINDOW = 2

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


@dataclass(eq=False)
class PartyMention:
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
    alias_of: PartyMention | None = None  # "(CIO)" after "Comité International Olympique"
    source: bool = False  # "selon Reuters": who reports, never a party
    countries: frozenset[str] = frozenset()  # "le groupe franco-italien": FR or IT
    resolved: PartyMention | None = None  # named mention a descriptor stands for
    descriptor_text: str | None = None  # "le Chinois" in "le Chinois Alibaba"

    @property
    def named(self) -> PartyMention | None:
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


@dataclass
class _Roles:
    who: list[PartyMention] = field(default_factory=list)
    partners: list[PartyMention] = field(default_factory=list)
    evidence: str = "dep"
    antecedent_sent: int | None = None  # sentence an anaphoric subject was resolved into
    distribute: bool = False
    partners_end: int | None = None  # token index after the partner list


@dataclass
class _Context:
    doc: Doc
    sents: list[Span]
    para_of_sent: list[int]
    mentions: list[PartyMention]
    by_token: dict[int, PartyMention]
    gaz: Gazetteer
    rules: RuleData
    reference: date | None
    reference_exact: bool = True


# --------------------------------------------------------------------------- matchers


_MATCHERS: dict[tuple[int, int], Matcher] = {}


def _trigger_matcher(rules: RuleData, vocab: object) -> Matcher:
    key = (id(vocab), id(rules))
    matcher = _MATCHERS.get(key)
    if matcher is None:
        matcher = Matcher(vocab)  # type: ignore[arg-type]
        for trig in rules.triggers.values():
            matcher.add(trig.id, trig.patterns)
        _MATCHERS[key] = matcher
    return matcher


def find_triggers(doc: Doc | Span, rules: RuleData) -> list[tuple[Trigger, Span]]:
    """Trigger matches in text order, longest first where two overlap."""
    matcher = _trigger_matcher(rules, doc.vocab)
    spans = []
    offset = doc.start if isinstance(doc, Span) else 0
    for match_id, start, end in matcher(doc):
        start, end = start + offset, end + offset
        trig = rules.triggers[doc.vocab.strings[match_id]]
        spans.append((start, end, trig))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out: list[tuple[Trigger, Span]] = []
    taken: set[int] = set()
    for start, end, trig in sorted(spans, key=lambda s: -(s[1] - s[0])):
        if any(i in taken for i in range(start, end)):
            continue
        taken.update(range(start, end))
        span = doc[start:end] if isinstance(doc, Doc) else doc.doc[start:end]
        out.append((trig, span))
    out.sort(key=lambda ts: ts[1].start)
    return out


def _triggers_of(doc: Doc, rules: RuleData) -> list[tuple[Trigger, Span]]:
    """Triggers of a Doc; of its parsed windows only when it was parsed in windows
    (``PARSED_KEY``): no trigger can match elsewhere, and the Matcher is costly."""
    parsed = doc.user_data.get(PARSED_KEY)
    if parsed is None:
        return find_triggers(doc, rules)
    return [ts for lo, hi in parsed for ts in find_triggers(doc[lo:hi], rules)]


# --------------------------------------------------------------------------- mentions


def _lower(tok: Token) -> str:
    return tok.lower_.replace("’", "'")


def _seq_at(doc: Doc, i: int, seq: Sequence[str]) -> bool:
    if i < 0 or i + len(seq) > len(doc):
        return False
    return all(_lower(doc[i + k]) == s.replace("’", "'") for k, s in enumerate(seq))


def _nationality(gaz: Gazetteer, word: str) -> str | None:
    try:
        return gaz.nationality(word)
    except Exception:  # noqa: BLE001 - a lexicon miss is not an error
        return None


def _descriptor_sectors(gaz: Gazetteer, word: str) -> frozenset[str]:
    try:
        return frozenset(gaz.descriptor_sectors(word) or ())
    except Exception:  # noqa: BLE001
        return frozenset()


def _state_entry(gaz: Gazetteer, country: str | None) -> GazetteerEntry | None:
    if not country:
        return None
    return _states_by_country(gaz).get(country)


_GAZ_INDEX: dict[tuple[int, str], dict[str, GazetteerEntry]] = {}


def _states_by_country(gaz: Gazetteer) -> dict[str, GazetteerEntry]:
    cached = _GAZ_INDEX.get((id(gaz), "states"))
    if cached is not None:
        return cached
    out: dict[str, GazetteerEntry] = {}
    for entry in gaz.entries.values():
        if entry.type == "STATE" and entry.country and entry.country not in out:
            out[entry.country] = entry
    _GAZ_INDEX[(id(gaz), "states")] = out
    return out


def _descriptor_phrases(gaz: Gazetteer) -> dict[str, GazetteerEntry]:
    """Known descriptor phrases of the gazetteer ("le créateur de Windows" -> Microsoft)."""
    from .gazetteer import normalise_name

    cached = _GAZ_INDEX.get((id(gaz), "descriptors"))
    if cached is not None:
        return cached
    out: dict[str, GazetteerEntry] = {}
    for entry in gaz.entries.values():
        for phrase in getattr(entry, "descriptors", ()) or ():
            out.setdefault(normalise_name(phrase), entry)
    _GAZ_INDEX[(id(gaz), "descriptors")] = out
    return out


def _known_descriptor(
    gaz: Gazetteer, doc: Doc, i: int, end: int, covered: set[int]
) -> tuple[int, GazetteerEntry] | None:
    """A gazetteer descriptor phrase starting at the determiner i ("le créateur de
    Windows", "la firme de Redmond"), longest first: (end token, entry)."""
    phrases = _descriptor_phrases(gaz)
    heads = _descriptor_heads(gaz)
    if i + 1 >= end or _lower(doc[i + 1]) not in heads:
        return None
    # "du créateur de Windows" is written "le créateur de Windows" in the gazetteer
    det = {"du": "le", "au": "le", "des": "les", "aux": "les"}.get(doc[i].lower_)
    for k in range(min(end, i + 7), i + 1, -1):
        if any(x in covered for x in range(i, k)):
            continue
        text = f"{det} {doc[i + 1 : k].text}" if det else doc[i:k].text
        entry = phrases.get(_norm(text))
        if entry is not None:
            return k, entry
    return None


def _descriptor_heads(gaz: Gazetteer) -> frozenset[str]:
    """Second words of the gazetteer descriptor phrases ("créateur", "géant")."""
    cached = _HEADS.get(id(gaz))
    if cached is None:
        heads = set()
        for entry in gaz.entries.values():
            for phrase in getattr(entry, "descriptors", ()) or ():
                words = phrase.replace("’", "'").replace("'", "' ").split()
                if len(words) >= 2:
                    heads.add(words[1].lower())
        cached = _HEADS[id(gaz)] = frozenset(heads)
    return cached


_HEADS: dict[int, frozenset[str]] = {}


CONTRACTED_DETS = frozenset({"du", "des", "au", "aux"})
REFLEXIVE = frozenset({"s'", "se", "nous", "vous"})
#: Gazetteer types of public actors (an event between these only is diplomacy unless its
#: sentence is about the economy or technology, see cues.yaml state_topics).
PUBLIC_TYPES = frozenset({"STATE", "INTL", "GOV"})
#: Words that introduce who reports a fact ("selon Reuters", "d'après Le Parisien").
SOURCE_MARKERS = frozenset({"selon", "d'après", "d’après"})
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
STATE_HEADS = frozenset(
    {"gouvernement", "état", "etat", "exécutif", "autorités", "pays", "ministère"}
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


def _layout(doc: Doc) -> tuple[list[Span], dict[int, int], list[int]]:
    """Sentences, sentence index of every token, paragraph index of every sentence."""
    sents = list(doc.sents)
    sent_of = {}
    for si, sent in enumerate(sents):
        for i in range(sent.start, sent.end):
            sent_of[i] = si
    return sents, sent_of, _paragraphs(doc, sents)


def find_mentions(
    doc: Doc,
    gaz: Gazetteer,
    rules: RuleData,
    layout: tuple[list[Span], dict[int, int], list[int]] | None = None,
    triggers: list[tuple[Trigger, Span]] | None = None,
) -> list[PartyMention]:
    """Names (NER + gazetteer), state phrases and descriptors, in text order.

    ``triggers``: the article's trigger matches; a one-word name the NER tags as a person is
    taken as a company only right after one ("un partenariat avec Regeneron").
    """
    sents, sent_of, para_of_sent = layout or _layout(doc)
    if triggers is None:
        triggers = _triggers_of(doc, rules)
    deal_slots = {
        k
        for _, span in triggers
        for k in range(span.end, min(span.end + TRIGGER_SLOT, span.sent.end))
    }
    political = {n.lower() for n in rules.cue_words("not_events", "political_names")}

    mentions: list[PartyMention] = []
    covered: set[int] = set()
    surnames = {
        e[-1].text for e in doc.ents if e.label_ == "PER" and len(e) >= 2
    }  # persons are introduced with their first name: "Kylian Mbappé", then "Mbappé"
    trigger_sents = {sent_of.get(span.start) for _, span in triggers}
    for ent in doc.ents:
        if ent.label_ == "PER" and _company_in_pair(gaz, doc, ent, surnames, trigger_sents,
                                                    sent_of):
            pass  # "Accor et Huazhu ont signé": an unknown company the NER took for a person
        elif ent.label_ not in PARTY_LABELS:
            continue
        text = ent.text.strip()
        if not text or text.lower() in political:
            continue
        entry = gaz.lookup(text)
        if entry is not None:
            entry = gaz.canonical(entry)  # a division (Google Cloud) is its group (Google)
        if text.islower() and _nationality(gaz, text):
            continue  # "le groupe suisse X": a nationality adjective, not the country
        state = _state_ref(gaz, ent)
        if entry is None and state is not None:
            state_entry = _state_entry(gaz, state)
            if state_entry is not None:
                si = sent_of.get(ent.start, 0)
                mentions.append(
                    PartyMention(
                        ent.start,
                        ent.end,
                        text,
                        "state",
                        "LOC",
                        si,
                        para_of_sent[si],
                        entry=state_entry,
                        country=state,
                    )
                )
                covered.update(range(ent.start, ent.end))
            continue
        if ent.label_ in ("LOC", "GPE") and (entry is None or entry.type != "STATE"):
            # cities and regions are not parties, but the statistical NER also tags some
            # companies LOC: keep those introduced as one ("le japonais X", "le groupe X")
            if entry is not None or not _company_apposition(gaz, doc, ent.start):
                continue
        if ent.label_ == "MISC" and entry is None:
            continue  # products, events, programmes
        if entry is None and not any(t.is_alpha and t.text[:1].isupper() for t in ent):
            continue
        country = entry.country if entry is not None else None
        # Nationality word right before the name: "le Chinois Alibaba", "l'éditeur français X".
        desc_text = None
        j = ent.start - 1
        while j >= 0 and j >= ent.start - 6 and doc[j].pos_ in ("ADJ", "NOUN", "DET", "CCONJ"):
            nat = _nationality(gaz, doc[j].text)
            if nat and country is None:
                country = nat
            j -= 1
        if j + 1 < ent.start:
            desc_text = doc[j + 1 : ent.start].text
        si = sent_of.get(ent.start, 0)
        m = PartyMention(
            start=ent.start,
            end=ent.end,
            text=text,
            kind="name",
            label=ent.label_,
            sent=si,
            para=para_of_sent[si],
            entry=entry,
            country=country,
            sectors=frozenset({entry.sector})
            if entry is not None and entry.sector
            else frozenset(),
            descriptor_text=desc_text,
        )
        mentions.append(m)
        covered.update(range(ent.start, ent.end))

    # Acronyms and aliases in parentheses right after a name are the same actor.
    for a, b in zip(mentions, mentions[1:], strict=False):
        if (
            b.start - a.end == 1
            and doc[a.end].text == "("
            and b.end < len(doc)
            and doc[b.end].text == ")"
        ):
            b.alias_of = a
        elif (
            a.start >= 1
            and doc[a.start - 1].text == "("
            and b.start - a.end == 1
            and doc[a.end].text == ")"
        ):
            pass

    # Names the statistical NER missed, in the slots where a party is expected: right after
    # "avec" / "entre" ("avec Rivian"), and after a company descriptor ("la biotech
    # française Cellectis", handled in the descriptor loop below).
    for tok in doc:
        if tok.lower_ not in ("avec", "entre") or tok.i + 1 >= len(doc):
            continue
        j = tok.i + 1
        if doc[j].pos_ == "DET" and j + 1 < len(doc):
            j += 1
        nat = _nationality(gaz, doc[j].text)
        if nat:
            # "avec le chinois Wahaha": a single unknown name (a first and last name would
            # be a person) that the NER tagged PER or LOC, or missed, is the company
            k = j + 1
            if k < len(doc) and _lone_name(doc, k, covered) and gaz.lookup(doc[k].text) is None:
                si = sent_of.get(k, 0)
                mentions.append(
                    PartyMention(
                        k, k + 1, doc[k].text, "name", "ORG", si, para_of_sent[si], country=nat
                    )
                )
                covered.add(k)
            continue
        run = _name_run(doc, j, covered)
        if run is None and tok.i in deal_slots and _lone_name(doc, j, covered):
            run = (j, j + 1)  # "avec Regeneron": the NER tags unknown one-word names PER
        if run is not None and doc[run[0] : run[1]].text in surnames:
            run = None  # "avec Mbappé" after "Kylian Mbappé": a person
        if run is not None:
            si = sent_of.get(j, 0)
            mentions.append(
                PartyMention(
                    run[0], run[1], doc[run[0] : run[1]].text, "name", "ORG", si, para_of_sent[si]
                )
            )
            covered.update(range(*run))

    # State phrases and descriptors: DET + head noun + modifiers, not followed by a name.
    for si, sent in enumerate(sents):
        i = sent.start
        while i < sent.end:
            tok = doc[i]
            if i in covered or not (tok.pos_ == "DET" or tok.lower_ in CONTRACTED_DETS):
                i += 1
                continue
            if "Yes" in tok.morph.get("Poss"):
                i += 1  # "sa chaîne", "leur filiale": something the actor owns
                continue
            if "Ind" in tok.morph.get("Definite") or tok.lower_ in ("un", "une"):
                i += 1  # "une start-up": a new, unnamed actor, not one named before
                continue
            known = _known_descriptor(gaz, doc, i, sent.end, covered)
            if known is not None:
                k, entry = known  # "le créateur de Windows": the gazetteer says who
                mentions.append(
                    PartyMention(
                        i, k, doc[i:k].text, "desc", "DESC", si, para_of_sent[si],
                        entry=entry, country=entry.country,
                    )
                )
                covered.update(range(i, k))
                i = k
                continue
            j = i + 1
            while j < sent.end and doc[j].pos_ == "ADJ" and j - i < 3:
                j += 1
            if j >= sent.end or j in covered:
                i += 1
                continue
            head = doc[j]
            head_l = head.lower_
            if (
                j + 2 < sent.end
                and doc[j + 1].text == "-"
                and not head.whitespace_
                and not doc[j + 1].whitespace_
            ):
                compound = doc[j : j + 3].text.lower()  # "start-up", "joint-venture"
                if _descriptor_sectors(gaz, compound):
                    head_l, j = compound, j + 2
                    head = doc[j]
            is_state = head_l in STATE_HEADS and head.pos_ in ("NOUN", "PROPN")
            sectors = _descriptor_sectors(gaz, head_l) or _descriptor_sectors(gaz, head.lemma_)
            if not is_state and not sectors:
                i += 1
                continue
            # Modifiers: adjectives, nationality words, "de + noun" complements.
            k = j + 1
            country = None
            extra: set[str] = set()
            while k < sent.end and k - j <= 6 and k not in covered:
                t = doc[k]
                if t.text[:1].isupper() and not _nationality(gaz, t.text):
                    break  # a name after the descriptor ("la biotech française Cellectis")
                if t.pos_ == "ADJ" or (
                    t.lower_ == "et" and k + 1 < sent.end and doc[k + 1].pos_ == "ADJ"
                ):
                    k += 1
                    continue
                if (
                    t.lower_ in ("de", "du", "des", "d'", "d’", "en")
                    and k + 1 < sent.end
                    and (doc[k + 1].pos_ == "NOUN" and k + 1 not in covered)
                ):
                    k += 2
                    continue
                if (
                    t.lower_ in ("de", "d'", "d’")
                    and k + 1 < sent.end
                    and k + 1 not in covered
                    and (_descriptor_phrases(gaz).get(_norm(doc[i : k + 2].text)))
                ):
                    k += 2  # "le géant de Redmond", "le créateur de Windows"
                    continue
                if t.lower_ in ("spécialisé", "spécialisée", "spécialisés") and k + 2 < sent.end:
                    k += 1
                    continue
                break
            span_tokens = doc[i:k]
            compound: frozenset[str] = frozenset()
            for t in span_tokens:
                nat = _nationality(gaz, t.text)
                if nat:
                    country = country or nat
                elif "-" in t.text:
                    compound = frozenset(gaz.nationality_codes(t.text))  # "franco-italien"
                if t.i > j and t.pos_ in ("NOUN", "ADJ"):
                    extra |= _descriptor_sectors(gaz, t.lower_) | gaz.topic_sectors(t.lower_)
            extra |= _descriptor_sectors(gaz, span_tokens.text)
            if k < sent.end and (k in covered or (k + 1 in covered and not doc[k].is_punct)):
                # "le géant américain Amazon", "le groupe sino-espagnol X": apposition, the
                # name is the mention.
                i = k
                continue
            run = _name_run(doc, k, covered, frozenset()) if k < sent.end else None
            if run is not None and not is_state:
                # a name the NER missed, introduced by a descriptor: the name is the mention
                mentions.append(
                    PartyMention(
                        run[0],
                        run[1],
                        doc[run[0] : run[1]].text,
                        "name",
                        "ORG",
                        si,
                        para_of_sent[si],
                        country=country,
                        descriptor_text=text_of(doc[i:k]),
                    )
                )
                covered.update(range(*run))
                i = run[1]
                continue
            if not is_state and (
                tok.lower_ in ("les", "des", "ces", "aux", "leurs", "nos", "vos")
                or head.morph.get("Number") == ["Plur"]
            ):
                i = k  # "les géants américains": a set of actors, not one
                continue
            text = span_tokens.text
            if is_state:
                if head_l in ("pays",):
                    i = k
                    continue
                if country is None and head_l in (
                    "gouvernement",
                    "état",
                    "etat",
                    "exécutif",
                    "ministère",
                ):
                    if any(t.lower_ in ("français", "française") for t in span_tokens) or (
                        k - j == 1
                    ):
                        country = "FR"  # unqualified "l'État" in French news: France
                entry = _state_entry(gaz, country)
                if entry is None:
                    i = k
                    continue
                mentions.append(
                    PartyMention(
                        i,
                        k,
                        text,
                        "state",
                        "LOC",
                        si,
                        para_of_sent[si],
                        entry=entry,
                        country=country,
                    )
                )
                covered.update(range(i, k))
                i = k
                continue
            known = _descriptor_phrases(gaz).get(_norm(text))
            mentions.append(
                PartyMention(
                    i,
                    k,
                    text,
                    "desc",
                    "DESC",
                    si,
                    para_of_sent[si],
                    entry=known,
                    country=country,
                    sectors=(sectors | extra) - {"any"},
                    countries=compound,
                )
            )
            covered.update(range(i, k))
            i = k
    mentions.sort(key=lambda m: m.start)
    for m in mentions:
        j = m.start - 1
        while j >= 0 and doc[j].pos_ == "DET":
            j -= 1
        if j >= 0 and _lower(doc[j]) in SOURCE_MARKERS:
            m.source = True
    return mentions


MONTHS_DAYS = frozenset(
    {
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
        "lundi",
        "mardi",
        "mercredi",
        "jeudi",
        "vendredi",
        "samedi",
        "dimanche",
    }
)


def text_of(span: Span) -> str:
    """Text of a span without surrounding spaces."""
    return span.text.strip()


def _name_run(
    doc: Doc, j: int, covered: set[int], refuse: frozenset[str] = frozenset({"PER"})
) -> tuple[int, int] | None:
    """A run of capitalised words starting at token j that no party mention covers
    ("Rivian", "Kantox"), or None.  The statistical NER often tags such unknown companies
    LOC or PER; ``refuse`` lists the NER labels not taken in this slot (after "avec",
    "avec Olivier Véran" is a person; after "la fintech", any name is a company)."""
    k = j
    while k < len(doc) and k - j < 4:
        t = doc[k]
        if k in covered or t.ent_type_ in refuse or t.is_sent_start and k == j:
            break
        if not (t.text[:1].isupper() or (k > j and t.text.isupper())) or not t.is_alpha:
            if not (k > j and t.text in ("-", "&")):
                break
        if t.lower_ in MONTHS_DAYS:
            break
        k += 1
    while k > j and not doc[k - 1].is_alpha:
        k -= 1
    if k == j:
        return None
    return j, k


#: Tokens after a trigger where "avec" / "entre" opens its partner slot ("un accord de
#: distribution avec", "négocie avec").
TRIGGER_SLOT = 5


def _company_in_pair(
    gaz: Gazetteer,
    doc: Doc,
    ent: Span,
    surnames: set[str],
    trigger_sents: set[int | None],
    sent_of: dict[int, int],
) -> bool:
    """A one-word PER entity coordinated with a known company ("Accor et Huazhu", "Huazhu
    et Accor") in a sentence that holds a trigger, and no person of that surname."""
    if len(ent) != 1 or ent.text in surnames or sent_of.get(ent.start) not in trigger_sents:
        return False
    if not _lone_name(doc, ent.start, set()):
        return False
    for a, b in ((ent.start - 2, ent.start - 1), (ent.start + 2, ent.start + 1)):
        if 0 <= a < len(doc) and doc[b].lower_ == "et":
            other = next((e for e in doc.ents if e.start <= a < e.end), None)
            entry = gaz.lookup(other.text) if other is not None else None
            if entry is not None and entry.type == "ORG" and other.label_ == "ORG":
                return True
    return False


def _lone_name(doc: Doc, j: int, covered: set[int]) -> bool:
    """A single capitalised word (not a first and last name, not a date word) at j."""
    tok = doc[j]
    nxt = doc[j + 1] if j + 1 < len(doc) else None
    return (
        j not in covered
        and tok.is_alpha
        and tok.text[:1].isupper()
        and not tok.is_sent_start
        and tok.lower_ not in MONTHS_DAYS
        and not (nxt is not None and nxt.is_alpha and nxt.text[:1].isupper())
    )


def _company_apposition(gaz: Gazetteer, doc: Doc, start: int) -> bool:
    """A nationality noun or company descriptor right before a name ("le japonais X")."""
    if (
        start < 2
        or doc[start - 2].pos_ not in ("DET",)
        and doc[start - 2].lower_ not in ("du", "au", "des", "aux")
    ):
        return False
    word = doc[start - 1].text
    return bool(_nationality(gaz, word)) or bool(_descriptor_sectors(gaz, word.lower()))


def _state_ref(gaz: Gazetteer, ent: Span) -> str | None:
    """Country of a state phrase recognised as an entity ("le gouvernement", "Bercy").

    Capitals are not taken here: "Washington" as a place is far more common than as the
    agent of a deal.
    """
    try:
        ref = gaz.state_phrase(ent.text)
    except Exception:  # noqa: BLE001
        return None
    if ref is None or ref.context == "metonym":
        return None
    return ref.country


def _norm(text: str) -> str:
    from .gazetteer import normalise_name

    return normalise_name(text)


def _paragraphs(doc: Doc, sents: list[Span]) -> list[int]:
    """Paragraph index of every sentence (a line break between two sentences, including
    the trailing whitespace the previous sentence holds, starts a paragraph)."""
    out = []
    para = 0
    for n, sent in enumerate(sents):
        if n and _break_before(doc, sents[n - 1].start, sent.start):
            para += 1
        out.append(para)
    return out


def _break_before(doc: Doc, prev_start: int, start: int) -> bool:
    """Whether the whitespace between the last word before ``start`` (not before
    ``prev_start``) and ``start`` holds a line break."""
    j = start - 1
    while j >= prev_start:
        tok = doc[j]
        if "\n" in tok.whitespace_:
            return True
        if not tok.is_space:
            return False
        if "\n" in tok.text:
            return True
        j -= 1
    return False


#: Descriptors of a young company: the gazetteer lists established actors, so a
#: "start-up" is an actor it does not know (unless the entry itself is called one).
YOUNG_HEADS = ("start up", "startup", "jeune pousse", "pepite")


def _compatible(desc: PartyMention, cand: PartyMention) -> bool:
    if cand.kind == "desc" or cand.alias_of is not None:
        return False
    if (
        cand.entry is not None
        and any(h in _norm(desc.text) for h in YOUNG_HEADS)
        and not any(any(h in _norm(d) for h in YOUNG_HEADS) for d in cand.entry.descriptors)
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


def resolve_descriptors(ctx: _Context) -> None:
    """Link each descriptor to the named actor it stands for, in place.

    Candidates, in this order, the first one compatible in country and sector winning:
    names of the same paragraph before the descriptor (nearest first); names after it up to
    the next sentence, except those in a partner or source slot ("avec Google", "selon Les
    Echos": another actor); then the previous paragraph, its subjects first (the actor it
    was about), nearest first.  A descriptor already resolved stands for its actor where it
    is ("le laboratoire tricolore ... le groupe"); sources are never candidates.
    """
    doc = ctx.doc
    for m in ctx.mentions:
        if m.kind != "desc":
            continue
        if m.entry is not None:
            m.resolved = PartyMention(
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
            for c in ctx.mentions
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


def _is_subject(doc: Doc, m: PartyMention) -> bool:
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
        _lower(t) in ("avec", "entre", "selon", "d'après", "auprès")
        for t in doc[max(0, start - 3) : start]
    )


# --------------------------------------------------------------------------- roles


def _mention_at(ctx: _Context, i: int) -> PartyMention | None:
    m = ctx.by_token.get(i)
    if m is not None and m.alias_of is not None:
        return m.alias_of
    return m


def _usable(m: PartyMention | None) -> bool:
    return m is not None and m.named is not None and not m.source


def _expand_group(ctx: _Context, m: PartyMention, limit_end: int) -> list[PartyMention]:
    """A mention and the names coordinated with it ("X, Y et Z", "X ainsi que Y")."""
    doc = ctx.doc
    group = [m]
    ordered = [x for x in ctx.mentions if x.alias_of is None]
    idx = ordered.index(m) if m in ordered else -1
    if idx < 0:
        return group
    # rightwards
    cur = m
    for nxt in ordered[idx + 1 :]:
        if nxt.start >= limit_end or nxt.sent != m.sent or nxt.source:
            break
        gap = doc[cur.end : nxt.start]
        if not _coordination_gap(gap, ctx):
            break
        group.append(nxt)
        cur = nxt
    # leftwards
    cur = m
    for prv in reversed(ordered[:idx]):
        if prv.sent != m.sent or prv.source:
            break
        gap = doc[prv.end : cur.start]
        if not _coordination_gap(gap, ctx):
            break
        group.insert(0, prv)
        cur = prv
    return group


def _coordination_gap(gap: Span, ctx: _Context) -> bool:
    words = [t for t in gap if not t.is_space]
    if not words:
        return False
    has_coord = any(t.lower_ in (",", "et", "ou", "ainsi") for t in words)
    if not has_coord:
        return False
    pairs = zip(words, words[1:], strict=False)
    if any(a.text == "," and b.lower_ in ("et", "mais") for a, b in pairs):
        return False  # French lists have no comma before "et": ", et" joins two clauses
    allowed_pos = {"PUNCT", "CCONJ", "DET", "ADJ", "NOUN"}
    content = 0
    inside = False
    for t in words:
        if (
            t.text == "("
            and ctx.by_token.get(t.i + 1) is not None
            and (ctx.by_token[t.i + 1].alias_of is not None)
        ):
            inside = True  # "X (ACRONYME) et Y": the acronym restates X
            continue
        if inside:
            inside = t.text != ")"
            continue
        if t.text in (",",) or t.lower_ in ("et", "ou", "ainsi", "que"):
            continue
        if (
            t.lower_ in ("de", "du", "des", "d'", "d’", "avec", "à", "au", "aux")
            and t.i > 0
            and (t.nbor(-1).lower_ in ("et", "ou", ","))
        ):
            continue  # "aux côtés de X et de Y", "avec X et avec Y"
        if t.text in ("(", ")", ";", ":", "«", "»"):
            return False
        if t.pos_ not in allowed_pos:
            return False
        content += 1
    return content <= MAX_COORD_GAP


def _after_prep(ctx: _Context, i: int, end: int) -> PartyMention | None:
    """The first party mention at token i or after a few descriptor words."""
    doc = ctx.doc
    k = i
    while k < end and k - i <= MAX_DESCRIPTOR_GAP:
        m = _mention_at(ctx, k)
        if m is not None:
            return m
        t = doc[k]
        if t.pos_ in ("DET", "ADJ", "NOUN", "NUM") or t.lower_ in ("et",) or t.is_space:
            k += 1
            continue
        if t.pos_ in ("PROPN", "X") and t.text[:1].islower():
            k += 1  # a descriptor noun tagged as a proper noun ("le mastodonte X")
            continue
        if t.text == "-" and not t.whitespace_ and k > i and not doc[k - 1].whitespace_:
            k += 1  # "la start-up X": the hyphen of a compound descriptor
            continue
        return None
    return None


def _partner_list(
    ctx: _Context, trig: Trigger, tspan: Span, stop: int
) -> tuple[list[PartyMention], int | None, str | None]:
    """Partners introduced after the trigger by avec / entre / aux côtés de ..."""
    doc = ctx.doc
    preps = trig.partner_preps or ctx.rules.partner_preps
    # A trigger that ends with its preposition ("en partenariat avec", "avec l'aide de").
    i = tspan.start if tspan[-1].lower_ in ("avec", "de", "du", "des", "d'", "d’") else tspan.end
    if i == tspan.start:
        m = _after_prep(ctx, tspan.end, stop)
        if m is not None and _usable(m):
            group = _expand_group(ctx, m, stop)
            return group, group[-1].end, "with"
        i = tspan.end
    while i < stop:
        for seq in preps:
            if _seq_at(doc, i, seq):
                m = _after_prep(ctx, i + len(seq), stop)
                if m is not None and _usable(m):
                    group = _expand_group(ctx, m, stop)
                    return group, group[-1].end, "entre" if seq[0] == "entre" else "with"
                if i == tspan.end and trig.pos == "verb" and seq[0] != "entre":
                    # "se sont associés à cet appel": the verb's partner is not an actor
                    listed = (
                        _listed_in_next_sentence(ctx, doc[i].sent)
                        if (i + 1 < stop and _lower(doc[i + 1]) in GENERIC_DETS)
                        else []
                    )
                    if listed:
                        return listed, None, "listed"
                    return [], None, "non_party"
        if (
            i + 1 < len(doc)
            and any(_seq_at(doc, i, seq) for seq in preps)
            and _lower(doc[i + 1]) in GENERIC_DETS
        ):
            listed = _listed_in_next_sentence(ctx, doc[i].sent)
            if listed:
                return listed, None, "listed"
        tok = doc[i]
        if tok.pos_ == "VERB" and tok.i > tspan.end + 1 and tok.dep_ not in ("acl", "amod"):
            # a new clause begins; partners of this trigger stand before it
            if tok.morph.get("VerbForm") in (["Fin"],) and not tok.dep_.startswith("acl"):
                break
        i += 1
    return [], None, None


def _listed_in_next_sentence(ctx: _Context, sent: Span) -> list[PartyMention]:
    """'... travailleront avec différents acteurs. Ces derniers comprennent A, B et C.'"""
    si = ctx.sents.index(sent)
    if si + 1 >= len(ctx.sents):
        return []
    nxt = ctx.sents[si + 1]
    if not any(_seq_at(ctx.doc, nxt.start, seq) for seq in LIST_OPENERS):
        return []
    return [
        m
        for m in ctx.mentions
        if m.sent == si + 1 and m.kind == "name" and m.alias_of is None and _usable(m)
    ]


def _object_partner(ctx: _Context, tspan: Span) -> list[PartyMention]:
    root = tspan.root
    for child in root.children:
        if child.dep_ in ("obj", "iobj", "obl:arg") or (
            child.dep_.startswith("obl")
            and any(c.lower_ in ("à", "au", "aux") for c in child.children)
        ):
            m = _mention_at(ctx, child.i) or _after_prep(
                ctx, child.left_edge.i, child.right_edge.i + 1
            )
            if m is not None and _usable(m):
                return _expand_group(ctx, m, _object_end(child, m.end))
    # surface: the first mention right after the verb
    m = _after_prep(ctx, tspan.end, min(tspan.end + 6, tspan.sent.end))
    if m is not None and _usable(m):
        return [m]
    return []


def _object_end(obj: Token, mention_end: int) -> int:
    """Where the names coordinated with an object may run to.  The parser often hangs the
    second conjunct elsewhere ("a choisi X et Rolls-Royce": conj of the verb; "Naval Group
    et Y": two objects), so the limit is the first token that cannot belong to a list of
    names: a verb, a preposition, or the subject of a new clause ("X, et Y a choisi Z")."""
    doc = obj.doc
    k = max(obj.right_edge.i + 1, mention_end)
    while k < obj.sent.end:
        t = doc[k]
        if t.dep_.startswith("nsubj") or t.pos_ not in LIST_POS:
            break
        k += 1
    return k


#: Possessives of one owner: "signer son contrat" is someone's own contract, not a deal
#: between the subjects ("leur contrat" may be).
OWN_DETS = frozenset({"son", "sa", "ses", "mon", "ma", "mes", "ton", "ta", "tes", "notre",
                      "nos", "votre", "vos"})
#: Parts of speech a coordinated list of names is made of.
LIST_POS = frozenset({"PUNCT", "CCONJ", "DET", "ADJ", "NOUN", "PROPN", "SPACE", "X"})


def _ending_noun(tok: Token) -> bool:
    """A noun that ends what follows ("la fin du partenariat", "mettre fin à l'accord"),
    not a date ("fin mars", "fin 2020"): a determiner or "mettre" before it, "de" or "à"
    after it."""
    doc = tok.doc
    before = doc[tok.i - 1] if tok.i > 0 else None
    after = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    return (
        before is not None
        and (
            before.pos_ == "DET"
            or before.lower_ in CONTRACTED_DETS
            or before.lemma_.lower() == "mettre"
        )
        and after is not None
        and _lower(after) in ("de", "du", "des", "d'", "à", "au", "aux")
    )


def _clause_verb(tok: Token) -> Token:
    v = tok
    steps = 0
    while v.pos_ not in ("VERB", "AUX") and v.head is not v and steps < 4:
        v = v.head
        steps += 1
    return v


def _dep_subject(v: Token) -> Token | None:
    steps = 0
    cur = v
    while steps < 4:
        for child in cur.children:
            if child.dep_ in ("nsubj", "nsubj:pass", "expl:subj") and child.lower_ not in (
                "ce",
                "c'",
                "c’",
                "cela",
                "ça",
                "on",
            ):
                return child
        if cur.dep_ in ("xcomp", "ccomp", "advcl", "conj", "acl") and cur.head is not cur:
            cur = cur.head
            steps += 1
            continue
        break
    return None


def _previous_subject(ctx: _Context, si: int) -> PartyMention | None:
    """The subject of the previous sentence, when it is a party (for "il", "elle")."""
    if si == 0:
        return None
    prev = ctx.sents[si - 1]
    cands = [m for m in ctx.mentions if m.sent == si - 1 and m.alias_of is None and _usable(m)]
    main_subject = next((c for c in prev.root.children if c.dep_.startswith("nsubj")), None)
    if main_subject is not None and _mention_at(ctx, main_subject.i) is None:
        return None  # "Il" is the person or thing the previous sentence is about
    for m in cands:
        root = ctx.doc[m.start : m.end].root
        if root.dep_.startswith("nsubj"):
            return m
    bare = [m for m in cands if not _after_preposition(ctx, m)]
    if bare and bare[0].start - prev.start < 8:
        return bare[0]
    return None


def _after_preposition(ctx: _Context, m: PartyMention) -> bool:
    doc = ctx.doc
    j = m.start - 1
    while j >= 0 and doc[j].pos_ in ("DET", "ADJ", "NOUN") and m.start - j <= 6:
        if doc[j].lower_ in PREPOSITIONS:
            return True
        j -= 1
    return j >= 0 and doc[j].lower_ in PREPOSITIONS


def _subject_roles(
    ctx: _Context, tspan: Span, si: int, exclude: set[PartyMention], lo: int
) -> tuple[list[PartyMention], str, int | None]:
    """Who: dependency subject of the governing clause, else the nearest name on the left."""
    doc = ctx.doc
    sent = ctx.sents[si]
    only_bare = False
    v = _clause_verb(tspan.root)
    subj = _dep_subject(v)
    if subj is not None and subj.i >= _clause_start(doc, tspan.start, max(lo, sent.start)):
        low = subj.lower_
        if low in RELATIVE_PRONOUNS:
            # antecedent: the mention right before "qui"
            m = _mention_at(ctx, subj.i - 1) or _mention_at(ctx, subj.head.head.i)
            if m is not None and _usable(m) and m not in exclude:
                return [m], "dep", None
        elif low in SUBJECT_PRONOUNS:
            m = _previous_subject(ctx, si)
            if m is not None and m not in exclude:
                return [m], "anaphora", si - 1
            return [], "anaphora", None  # a person or a thing: no actor to name
        elif subj.ent_type_ == "PER" and _mention_at(ctx, subj.i) is None:
            return [], "dep", None  # a person acts (for whom, the text does not say here)
        else:
            m = _mention_at(ctx, subj.i)
            if m is None:
                for child in subj.subtree:
                    m = _mention_at(ctx, child.i)
                    if m is not None:
                        break
            if m is not None and _usable(m) and m not in exclude:
                group = [g for g in _expand_group(ctx, m, tspan.start) if g not in exclude]
                ev = (
                    "anaphora"
                    if m.kind == "desc" and m.resolved and m.resolved.sent != si
                    else "dep"
                )
                ante = m.resolved.sent if m.kind == "desc" and m.resolved else None
                return group, ev, ante if ante is not None and ante < si else None
            if m is None and subj.pos_ in ("NOUN", "PROPN") and subj.i < tspan.start:
                # "OVHcloud, premier acteur du cloud, a signé": apposition of a name
                j = subj.left_edge.i - 1
                if j >= lo and doc[j].text == ",":
                    app = _mention_at(ctx, j - 1)
                    if app is not None and _usable(app) and app not in exclude:
                        return _expand_group(ctx, app, tspan.start), "dep", None
                # otherwise the subject is a non-actor noun ("Ce partenariat", "le projet"):
                # only a bare name further left can still be the actor
                only_bare = True
    # Surface fallback: nearest bare name on the left, else nearest name, else a pronoun.
    clause_start = _clause_start(doc, tspan.start, max(lo, sent.start))
    left = [
        m
        for m in ctx.mentions
        if m.sent == si
        and m.end <= tspan.start
        and m.start >= clause_start
        and m.alias_of is None
        and m not in exclude
        and _usable(m)
    ]
    bare = [m for m in left if not _after_preposition(ctx, m)]
    # a name inside a complement ("depuis TikTok") is only taken when close to the trigger
    left = [m for m in left if tspan.start - m.end <= MAX_SURFACE_DISTANCE]
    subject_like = [m for m in bare if _subject_like(ctx, m, tspan.start)]
    for pool in (subject_like, bare) if only_bare else (subject_like, bare, left):
        if pool:
            m = pool[-1]
            group = [g for g in _expand_group(ctx, m, tspan.start) if g not in exclude]
            ante = m.resolved.sent if m.kind == "desc" and m.resolved else None
            return group, "surface", ante if ante is not None and ante < si else None
    for t in doc[max(sent.start, lo) : tspan.start]:
        if t.lower_ in SUBJECT_PRONOUNS or t.lower_ in ("qu'il", "qu’il", "qu'elle", "qu’elle"):
            m = _previous_subject(ctx, si)
            if m is not None and m not in exclude:
                return [m], "anaphora", si - 1
    return [], "surface", None


def _clause_start(doc: Doc, end: int, lo: int) -> int:
    """Where the statement holding token ``end`` starts: after a semicolon or a lone dash
    ("Nokia en embuscade - Une start-up a signé ..."); paired dashes are a parenthetical."""
    k = end - 1
    while k >= lo:
        if doc[k].text == ";":
            return k + 1
        if _is_dash(doc[k]):
            pair = next(
                (j for j in range(k - 1, max(lo, k - 20) - 1, -1) if _is_dash(doc[j])), None
            )
            if pair is None:
                return k + 1
            k = pair  # "- Kassoum Ayouba, Marie Breuillé -": skip the parenthetical
        k -= 1
    return lo


def _is_dash(tok: Token) -> bool:
    """A dash used as punctuation (spaced on one side at least), not a hyphen nor a dash
    inside a name ("Assistance publique - Hôpitaux de Paris")."""
    if tok.ent_type_:
        return False
    spaced = bool(tok.whitespace_) or (tok.i > 0 and bool(tok.doc[tok.i - 1].whitespace_))
    return tok.text in ("–", "—") or (tok.text == "-" and spaced)


def _subject_like(ctx: _Context, m: PartyMention, limit: int) -> bool:
    """A name (or list of names) directly followed by its verb: "X, d'une part, a signé"."""
    doc = ctx.doc
    group = _expand_group(ctx, m, limit)
    k = group[-1].end
    if k < limit and doc[k].text == ",":
        close = next((j for j in range(k + 1, min(k + 10, limit)) if doc[j].text == ","), None)
        if close is None:
            return False
        k = close + 1
    while k < limit and (doc[k].pos_ == "ADV" or _lower(doc[k]) in CLITICS):
        k += 1
    return k < limit and doc[k].pos_ in ("VERB", "AUX")


def _context_partner(ctx: _Context, si: int, exclude: set[str], tspan: Span) -> PartyMention | None:
    """For an intransitive reciprocal verb with one party ("X s'est tourné vers Y, qui a
    accepté de collaborer"): the subject of another clause of the sentence."""
    for m in ctx.mentions:
        if m.sent != si or m.alias_of is not None or not _usable(m) or m.key in exclude:
            continue
        root = ctx.doc[m.start : m.end].root
        if root.dep_.startswith("nsubj") and root.head.i != tspan.root.i:
            return m
    return None


# --------------------------------------------------------------------------- attributes


def _chain(tok: Token) -> list[Token]:
    """The trigger and the verbs that govern it, up to the main clause."""
    out = [tok]
    cur = tok
    steps = 0
    while cur.head is not cur and steps < 6:
        cur = cur.head
        out.append(cur)
        steps += 1
        if cur.dep_ in ("ROOT", "parataxis", "acl:relcl", "advcl") or (
            cur.pos_ == "VERB" and cur.dep_ == "ccomp"
        ):
            break  # the clause of the trigger ends here
    return out


def _status(ctx: _Context, tspan: Span, lo: int, hi: int, trig: Trigger) -> str:
    doc = ctx.doc
    rules = ctx.rules
    chain = _chain(tspan.root)
    verbs = [t for t in chain if t.pos_ in ("VERB", "AUX")]
    auxes = [c for v in verbs for c in v.children if c.dep_.startswith("aux")]
    neg_verbs = rules.cue_words("status", "negating_verbs")
    hyp_verbs = rules.cue_words("status", "hypothetical_verbs")
    hyp_words = rules.cue_words("status", "hypothetical_words")
    window = doc[lo:hi]
    words = [_lower(t) for t in window]
    text = " " + " ".join(words) + " "

    # negated
    for v in verbs:
        if v.lemma_.lower() in neg_verbs:
            return "negated"
        if any(
            c.lower_ in ("pas", "jamais", "plus", "aucunement", "guère") for c in v.children
        ) and any(c.lower_ in ("ne", "n'", "n’") for c in v.children):
            return "negated"
    neg_forms = rules.cue_words("status", "negating_forms")
    for t in window:
        if t.lower_ in ("aucun", "aucune", "sans") and t.i < tspan.start and tspan.start - t.i <= 3:
            return "negated"
        if (
            t.i < tspan.start
            and tspan.start - t.i <= 4
            and (t.lower_ in neg_forms or t.lemma_.lower() in neg_verbs)
        ):
            return "negated"
    neg_nouns = rules.cue_words("status", "negating_nouns")
    for t in doc[max(lo, tspan.start - 3) : tspan.start]:
        if t.lower_ in neg_nouns and _ending_noun(t):
            return "negated"
    # hypothetical
    for v in verbs + auxes:
        lemma = v.lemma_.lower()
        if lemma in hyp_verbs and lemma != "pouvoir":
            return "hypothetical"
        if lemma == "pouvoir" and "Cnd" in v.morph.get("Mood"):
            return "hypothetical"
    near_words = " " + " ".join(_lower(t) for t in doc[max(lo, tspan.start - 3) : tspan.end]) + " "
    clause_before = " " + " ".join(_lower(t) for t in doc[lo : tspan.start]) + " "
    for w in hyp_words:
        if w == "si":
            continue
        if f" {w} " in near_words or (" " in w and f" {w} " in clause_before):
            return "hypothetical"
    if any(
        t.lower_ == "si"
        and t.dep_ == "mark"
        and t.i < tspan.start
        and not any(_lower(u) in ("que", "qu'") for u in doc[t.i + 1 : tspan.start])
        for t in window
    ):
        # "Si X signe un accord": hypothetical; not "Si vous aimez..., sachez que X a signé"
        return "hypothetical"
    # reported
    for v in verbs + auxes:
        if "Cnd" in v.morph.get("Mood") and v.lemma_ not in ("devoir",):
            return "reported"
    if any(f" {w} " in text for w in ("selon", "d'après", "à en croire")):
        return "reported"
    # planned
    for v in verbs + auxes:
        if "Fut" in v.morph.get("Tense") or _future_form(v):
            return "planned"
        if v.lemma_ == "aller" and v.morph.get("Tense") == ["Pres"] and v.i < tspan.end:
            return "planned"
        if v.lemma_ == "devoir" and "Cnd" in v.morph.get("Mood"):
            return "planned"
        if v.lemma_ in ("prévoir", "compter", "projeter", "envisager") and v.i < tspan.start:
            return "planned"
    for t in window:
        if (
            t.lemma_ == "aller"
            and "Pres" in t.morph.get("Tense")
            and t.i < tspan.start
            and (
                t.i + 1 < len(doc)
                and "Inf" in doc[t.i + 1].morph.get("VerbForm", [])
                or t.i + 2 < len(doc)
                and "Inf" in doc[t.i + 2].morph.get("VerbForm", [])
            )
        ):
            return "planned"
    near = {_lower(t) for t in doc[max(lo, tspan.start - 2) : tspan.start]}
    if near & {"futur", "future", "futurs", "futures", "prochain", "prochaine"} or (
        " prochainement " in text
    ):
        if trig.kind != "letter_of_intent":
            return "planned"
    return "announced"


def _kind(ctx: _Context, trig: Trigger, parties: list[PartyMention], si: int) -> str:
    kind = trig.kind
    named = [p.named for p in parties]
    if named and all(
        n is not None and (n.kind == "state" or (n.entry is not None and n.entry.type == "STATE"))
        for n in named
    ):
        if kind in ("partnership", "collaboration", "alliance", "agreement"):
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
                if any(_seq_at(ctx.doc, k, cue) for cue in cues) and not _describes_party(ctx, k):
                    return "joint_venture"
    return kind


def _describes_party(ctx: _Context, k: int) -> bool:
    """'FCA Bank, joint venture détenu par ...': the cue says what a party is, not the deal."""
    doc = ctx.doc
    sent = doc[k].sent
    before = doc[sent.start : k]
    if sum(t.text == "(" for t in before) > sum(t.text == ")" for t in before):
        return True  # inside parentheses: an aside about one of the actors
    j = k - 1
    while j >= 0 and k - j <= 3 and doc[j].pos_ in ("DET", "ADJ"):
        j -= 1
    return j >= 1 and doc[j].text in (",", "(") and _mention_at(ctx, j - 1) is not None


def _event_date(
    ctx: _Context, si: int, lo_char: int, hi_char: int, anchor_char: int, antecedent: int | None
) -> DateMention | None:
    sent = ctx.sents[si]
    cands = _point_dates(ctx, sent.start_char, sent.end_char)
    cands = [
        d
        for d in cands
        if lo_char <= d.start < hi_char and not _in_other_clause(ctx, d, anchor_char)
    ]
    if not cands and antecedent is not None:
        prev = ctx.sents[antecedent]
        cands = _point_dates(ctx, prev.start_char, prev.end_char)
    if not cands:
        return None
    return min(cands, key=lambda d: abs(d.start - anchor_char))


def _in_other_clause(ctx: _Context, d: DateMention, anchor_char: int) -> bool:
    """A date inside a relative clause or apposition that does not hold the trigger."""
    span = ctx.doc.char_span(d.start, d.end, alignment_mode="expand")
    trig = ctx.doc.char_span(anchor_char, anchor_char + 1, alignment_mode="expand")
    if span is None or trig is None:
        return False
    tok, steps = span.root, 0
    while tok.head is not tok and steps < 8:
        if tok.dep_ in ("acl:relcl", "appos") and not (
            tok.left_edge.i <= trig.start <= tok.right_edge.i
        ):
            return True
        tok = tok.head
        steps += 1
    return False


_YEAR_RANGE = ("-", "–", "/")
#: Words of dates relative to the day of writing.
DAY_WORDS = frozenset(
    {
        "lundi",
        "mardi",
        "mercredi",
        "jeudi",
        "vendredi",
        "samedi",
        "dimanche",
        "hier",
        "aujourd'hui",
        "aujourd’hui",
        "demain",
        "avant-hier",
        "semaine",
    }
)


def _point_dates(ctx: _Context, start: int, end: int) -> list[DateMention]:
    text = ctx.doc.text[start:end]
    out = []
    for d in find_dates(text, ctx.reference):
        if d.role != "point":
            continue
        if d.relative and not ctx.reference_exact and DAY_WORDS & set(d.text.lower().split()):
            continue  # "jeudi" against a reference inferred from the text: unknown day
        before = text[d.start - 1] if d.start > 0 else ""
        after = text[d.end] if d.end < len(text) else ""
        if (before in _YEAR_RANGE and d.start > 1 and text[d.start - 2].isdigit()) or (
            after in _YEAR_RANGE and d.end + 1 < len(text) and text[d.end + 1].isdigit()
        ):
            continue  # "la période 2020-2024": a span of years, not the date of the deal
        if ctx.reference is not None and _after(d.value, ctx.reference):
            continue  # a date after the article was written is a plan or a target
        # shift offsets into the doc
        out.append(
            DateMention(
                d.text, d.start + start, d.end + start, d.value, d.granularity, d.role, d.relative
            )
        )
    return out


def _after(value: str, ref: date) -> bool:
    if value.startswith("X"):
        return False
    parts = value.split("-")
    try:
        year = int(parts[0])
        if year != ref.year:
            return year > ref.year
        if len(parts) > 1:
            month = int(parts[1])
            if month != ref.month:
                return month > ref.month
            if len(parts) > 2:
                return int(parts[2]) > ref.day
    except ValueError:
        return False
    return False


# --------------------------------------------------------------------------- purpose

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


def _is_infinitive(tok: Token) -> bool:
    if "Inf" in tok.morph.get("VerbForm"):
        return True
    return tok.pos_ in ("VERB", "AUX") and tok.lower_.endswith(("er", "ir", "re", "oir"))


def _clause_from(ctx: _Context, i: int, end: int) -> str | None:
    """Text from token i to the first stop (comma, gerund, quote...), at most max_tokens."""
    doc = ctx.doc
    stops = ctx.rules.cue_words("purpose", "stops")
    max_tokens = int(ctx.rules.cues["purpose"]["max_tokens"])
    k = i
    while k < end and k - i < max_tokens:
        t = doc[k]
        if t.is_space or t.text in (",", ".", "!", "?", "…") or _lower(t) in stops:
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


def _infinitive_after(ctx: _Context, i: int, end: int) -> int | None:
    doc = ctx.doc
    k = i
    while k < end and k - i <= 3 and _lower(doc[k]) in CLITICS:
        k += 1
    if k < end and _is_infinitive(doc[k]):
        return k
    return None


def _purpose_in(ctx: _Context, lo: int, hi: int, anchor: int) -> str | None:
    """A purpose clause (marker + infinitive) in doc[lo:hi], nearest after the anchor first."""
    doc = ctx.doc
    markers = ctx.rules.cue_sequences("purpose", "markers")
    found: list[tuple[int, int]] = []
    for k in range(lo, hi):
        for seq in markers:
            if _seq_at(doc, k, seq):
                inf = _infinitive_after(ctx, k + len(seq), hi)
                if inf is not None:
                    found.append((k, inf))
                break
    for k in range(lo, hi):
        if doc[k].lemma_ == "permettre" and k >= anchor:
            for j in range(k + 1, min(hi, k + 16)):
                if _lower(doc[j]) in ("de", "d'"):
                    inf = _infinitive_after(ctx, j + 1, hi)
                    if inf is not None:
                        found.append((k, inf))
                        break
    found.sort()
    if not found:
        return None
    after = [f for f in found if f[0] >= anchor]
    k, inf = (after or found)[0]
    return _clause_from(ctx, inf, hi)


def _objective_sentence(ctx: _Context, sj: int) -> str | None:
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
            if not _seq_at(doc, k, seq):
                continue
            at_start = k - sent.start <= 1
            if not at_start and not trig_nouns:
                continue
            j = k + len(seq)
            if seq[-1] in ("permettra", "permettront") or seq[-1].startswith("permettre"):
                pass
            # "permettra à Total de X": skip the beneficiary
            if j < sent.end and _lower(doc[j]) in ("à", "au", "aux"):
                jj = j
                while jj < sent.end and jj - j < 6 and _lower(doc[jj]) not in ("de", "d'"):
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
                while j < sent.end and j - k < 7 and _lower(doc[j]) not in ("de", "d'"):
                    j += 1
                inf = _infinitive_after(ctx, j + 1, sent.end)
                if inf is not None:
                    return _clause_from(ctx, inf, sent.end)
    return None


def _has_trigger(ctx: _Context, sj: int) -> bool:
    """The sentence tells a deal of its own (its predicate is not a purpose)."""
    return bool(find_triggers(ctx.sents[sj], ctx.rules))


def _trigger_noun(ctx: _Context, i: int, end: int) -> bool:
    for trig, span in find_triggers(ctx.doc[i:end], ctx.rules):
        return span.start == i and trig.pos == "noun"
    return False


def _main_predicate(ctx: _Context, sj: int, after: int | None = None) -> str | None:
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


def _purpose(
    ctx: _Context,
    si: int,
    lo: int,
    hi: int,
    anchor: int,
    parties: list[PartyMention],
    antecedent: int | None,
    trig_span: Span | None = None,
) -> tuple[str | None, int]:
    """The purpose of an event and how strong the evidence is (3 marker, 2 topic or
    objective sentence, 1 predicate of a related sentence, 0 none)."""
    found = _purpose_in(ctx, lo, hi, anchor)
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
            m.key for m in ctx.mentions if m.sent == sj and m.alias_of is None and _usable(m)
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


def _topic_complement(ctx: _Context, tspan: Span | None, hi: int) -> str | None:
    """'travailler sur le projet', 'collaborer autour de l'IA': what the partners work on."""
    if tspan is None or tspan.root.pos_ != "VERB":
        return None
    doc = ctx.doc
    k = tspan.end
    while k < hi and doc[k].pos_ == "ADV":
        k += 1
    for seq in TOPIC_PREPS:
        if _seq_at(doc, k, seq):
            rest = _clause_from(ctx, k, hi)
            if rest:
                return f"{tspan.text} {rest}"
    return None


# --------------------------------------------------------------------------- events


def _blocked(ctx: _Context, trig: Trigger, tspan: Span) -> bool:
    doc = ctx.doc
    if trig.pos == "noun":
        for seq in ctx.rules.noun_blockers:
            if _seq_at(doc, tspan.end, seq):
                return True
    if trig.id in ("s_allier", "s_associer", "collaborer", "cooperer", "s_unir") and (
        tspan.root.pos_ not in ("VERB", "AUX")
    ):
        return True  # "allié", "associé" as nouns
    reflexive = any(_lower(t) in REFLEXIVE for t in doc[max(0, tspan.start - 4) : tspan.start])
    if trig.requires_reflexive and not reflexive:
        # "un moteur associé à une boîte", "alliant design et technologie": not a deal,
        # except the participle of an alliance ("l'université alliée au laboratoire X")
        root = tspan.root
        participle = (
            "Part" in root.morph.get("VerbForm")
            and tspan.end < len(doc)
            and (_lower(doc[tspan.end]) in ("à", "au", "aux", "avec"))
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
        and _lower(doc[tspan.start - 1]) == "d'"
        and (
            doc[tspan.start - 2].lemma_.lower() in ("mettre", "tomber", "être", "rester")
            or _lower(doc[tspan.start - 2]) in ("pas", "tout", "bien", "plutôt")
        )
    ):
        return True  # "se mettre d'accord", "être d'accord": to agree, not a deal
    return False


def _political(ctx: _Context, parties: list[PartyMention], si: int) -> bool:
    political_ctx = ctx.rules.cue_words("not_events", "political_context")
    sent_words = {t.lower_ for t in ctx.sents[si]}
    return bool(sent_words & political_ctx) and any(
        p.named is not None and p.named.entry is None for p in parties
    )


def _diplomacy(ctx: _Context, parties: list[tuple[PartyMention, str]], si: int) -> bool:
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


def _acquisition(ctx: _Context, tspan: Span) -> bool:
    lemmas = ctx.rules.cue_words("not_events", "acquisition_lemmas")
    for t in _chain(tspan.root)[1:3]:
        if t.lemma_.lower() in lemmas:
            return True
    for t in ctx.doc[tspan.end : min(tspan.end + 8, tspan.sent.end)]:
        if t.lemma_.lower() in lemmas and _is_infinitive(t):
            obj = _after_prep(ctx, t.i + 1, min(t.i + 6, tspan.sent.end))
            partners = {
                m.key
                for m in ctx.mentions
                if tspan.end <= m.start < t.i and _usable(m) and m.alias_of is None
            }
            if obj is not None and partners <= {obj.key}:
                return True  # "un accord pour racheter X"; not "s'associer à Y pour racheter X"
    return False


def _event_id(article_id: str, sentence_index: int, keys: Iterable[str], trigger: str) -> str:
    raw = f"{article_id}|{sentence_index}|{'|'.join(sorted(keys))}|{trigger}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


def _to_party(doc: Doc, m: PartyMention, role: str) -> Party:
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


@dataclass
class _Found:
    trig: Trigger
    tspan: Span
    si: int
    who: list[PartyMention]
    partners: list[PartyMention]
    evidence: str
    antecedent: int | None
    lo: int  # token segment of the clause this event owns
    hi: int


def _roles_for(ctx: _Context, trig: Trigger, tspan: Span, si: int, stop: int) -> list[_Found]:
    sent = ctx.sents[si]
    if trig.object_partner and _passive(tspan.root):
        # "X a été choisi par Y": Y chooses X
        agent = next(
            (k for k in range(tspan.end, min(tspan.end + 4, stop)) if ctx.doc[k].lower_ == "par"),
            None,
        )
        chooser = _after_prep(ctx, agent + 1, stop) if agent is not None else None
        chosen, evidence, antecedent = _subject_roles(ctx, tspan, si, set(), sent.start)
        if chooser is None or not _usable(chooser) or not chosen:
            return []
        return [
            _Found(trig, tspan, si, [chooser], chosen, evidence, antecedent, sent.start, sent.end)
        ]
    partners, pend, how = _partner_list(ctx, trig, tspan, stop)
    if trig.object_partner and not partners:
        partners = _object_partner(ctx, tspan)
        pend = partners[-1].end if partners else None
    if trig.needs_partner_prep and not partners:
        return []
    exclude = set(partners)
    who, evidence, antecedent = _subject_roles(ctx, tspan, si, exclude, sent.start)
    agent = _agent_before(ctx, tspan, sent.start)
    if agent is not None and agent not in exclude and trig.id in ("en_partenariat", "de_concert"):
        # "une voiture conçue par X en collaboration avec Y": X is the partner of Y
        who, evidence, antecedent = [agent], "dep", None
    found: list[_Found] = []
    hi = sent.end
    elliptic: list[_Found] = []
    if pend is not None:
        elliptic = _elliptic_events(ctx, trig, tspan, si, pend)
        if elliptic:
            hi = elliptic[0].lo
    if how == "entre":
        # "l'alliance nouée entre X et Y": the "entre" list is the whole set of parties
        if len(partners) < 2:
            return found + elliptic
        who, partners, evidence = partners[:1], partners[1:], "dep"
    keys_who = {m.key for m in who}
    partners = [p for p in partners if p.key not in keys_who]
    plural = tspan.root.morph.get("Number") == ["Plur"]
    argument = (
        trig.pos == "verb"
        or tspan.root.dep_.split(":")[0]
        in ("obj", "nsubj", "obl", "ROOT", "conj", "appos", "xcomp")
        or (tspan.root.dep_ == "nmod" and tspan.root.head.lemma_.lower() in NOMINAL_SUPPORTS)
    )
    mutual = trig.reciprocal or (
        trig.pos == "noun"
        and tspan.root.dep_ == "obj"
        and tspan.root.head.lemma_.lower() in ctx.rules.mutual_support_verbs
        and not any(c.dep_ == "det" and c.lower_ in OWN_DETS for c in tspan.root.children)
    )
    if not partners and how != "non_party":
        if (
            mutual
            and argument
            and len({m.key for m in who}) >= 2
            and not (trig.pos == "noun" and plural)
        ):
            found.append(_Found(trig, tspan, si, who, [], evidence, antecedent, sent.start, hi))
        elif trig.reciprocal and trig.pos == "verb" and len(who) == 1:
            other = _context_partner(ctx, si, keys_who, tspan)
            if other is not None:
                found.append(
                    _Found(trig, tspan, si, [other], who, "context", antecedent, sent.start, hi)
                )
    elif who and partners:
        if len(partners) >= 2 and (
            plural or how == "listed" or _listing_cue(ctx, tspan.end, partners[0].start)
        ):
            for p in partners:
                found.append(
                    _Found(trig, tspan, si, who, [p], evidence, antecedent, sent.start, hi)
                )
        else:
            found.append(
                _Found(trig, tspan, si, who, partners, evidence, antecedent, sent.start, hi)
            )
    elif len(partners) >= 2 and how == "entre":
        found.append(
            _Found(trig, tspan, si, partners[:1], partners[1:], evidence, None, sent.start, hi)
        )
    return found + elliptic


def _agent_before(ctx: _Context, tspan: Span, lo: int) -> PartyMention | None:
    """The agent of a participle right before the trigger ("développé par X en ...")."""
    doc = ctx.doc
    for k in range(tspan.start - 1, max(lo, tspan.start - 8) - 1, -1):
        if doc[k].lower_ == "par":
            m = _after_prep(ctx, k + 1, tspan.start)
            return m if m is not None and _usable(m) else None
        if (
            doc[k].text in (",", ";")
            or doc[k].pos_ == "VERB"
            and "Fin" in doc[k].morph.get("VerbForm")
        ):
            return None
    return None


def _passive(tok: Token) -> bool:
    return any(c.dep_ == "aux:pass" for c in tok.children) or "Pass" in tok.morph.get("Voice")


def _listing_cue(ctx: _Context, lo: int, hi: int) -> bool:
    return any(t.lower_ in ("notamment", "comme", "dont", "tels", "telles") for t in ctx.doc[lo:hi])


def _elliptic_events(
    ctx: _Context, trig: Trigger, tspan: Span, si: int, after: int
) -> list[_Found]:
    """'..., et (d'autre part,) X avec Y (en 2019)': the same trigger for another pair."""
    doc = ctx.doc
    sent = ctx.sents[si]
    preps = [seq for seq in (trig.partner_preps or ctx.rules.partner_preps) if seq[0] != "entre"]
    out: list[_Found] = []
    k = after
    seen_break = False
    while k < sent.end:
        t = doc[k]
        if t.text in (",", ";") or t.lower_ in ("et", "tandis", "puis", "alors"):
            seen_break = True
        if t.pos_ in ("VERB",) and "Fin" in t.morph.get("VerbForm"):
            return out
        m = _mention_at(ctx, k)
        if m is not None and seen_break and _usable(m):
            j = m.end
            while (
                j < sent.end and j - m.end <= 3 and not any(_seq_at(doc, j, seq) for seq in preps)
            ):
                if doc[j].pos_ in ("VERB", "AUX") or doc[j].lower_ == "et":
                    break
                j += 1
            prep = next((seq for seq in preps if _seq_at(doc, j, seq)), None)
            if j < sent.end and prep is not None:
                p = _after_prep(ctx, j + len(prep), sent.end)
                if p is not None and _usable(p) and p.key != m.key:
                    if out:
                        out[-1].hi = m.start
                    out.append(
                        _Found(trig, tspan, si, [m], [p], "surface", None, m.start, sent.end)
                    )
                    k = p.end
                    seen_break = False
                    continue
        k += 1
    return out


GENERIC_KINDS = frozenset({"partnership", "collaboration", "alliance", "agreement"})
#: Sentences after an event searched for the noun that names the deal.
NAMED_DEAL_WINDOW = 3


def _kind_from_named_deal(
    ctx: _Context,
    found: list[_Found],
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
                m.key for m in ctx.mentions if m.sent == si and _usable(m) and m.alias_of is None
            }
            if others <= keys:  # the noun's sentence speaks of these partners only
                ev.kind = trig.kind
                break


def _apposed_partner_noun(tspan: Span, nxt: Span) -> bool:
    """"avec son partenaire X", "avec leurs partenaires X et Y": a possessive noun right in
    the partner slot of the trigger describes the partner, it is not another deal."""
    doc = tspan.doc
    first = doc[nxt.start - 1] if nxt.start > 0 else None
    return (
        first is not None
        and "Yes" in first.morph.get("Poss")
        and nxt.start - tspan.end <= 3
        and nxt.text.lower().startswith("partenaire")
    )


#: Endings of the simple future (3rd person) the morphologizer sometimes tags as a past
#: participle ("signera"); "-ra" alone would also catch passé simple forms ("montra").
#: Only that mis-tag is corrected: a finite form keeps the tagger's tense.
FUTURE_ENDINGS = ("era", "eront", "ira", "iront", "ura", "uront", "dra", "dront", "rra",
                  "rront", "aura", "auront")


def _future_form(v: Token) -> bool:
    return (
        v.pos_ in ("VERB", "AUX")
        and "Part" in v.morph.get("VerbForm")
        and v.lower_.endswith(FUTURE_ENDINGS)
        and v.lower_ != v.lemma_.lower()
    )


def _split_clauses(ctx: _Context, found: list[_Found]) -> None:
    """Two deals of one sentence with their own subjects ("X a choisi Y, et Z a retenu W
    pour ..."): the first one's clause ends before the second one's subject, so the
    second's date and purpose are not given to the first."""
    for a in found:
        for b in found:
            if b.si != a.si or b.tspan.start <= a.tspan.end or not b.who:
                continue
            if {m.key for m in b.who} & {m.key for m in a.who}:
                continue
            start = min(m.start for m in b.who)
            if not a.tspan.end < start < a.hi:
                continue
            cut = next(
                (
                    k
                    for k in range(start - 1, a.tspan.end - 1, -1)
                    if ctx.doc[k].text in (",", ";") or ctx.doc[k].lower_ in ("et", "mais")
                ),
                None,
            )
            if cut is not None:
                a.hi = min(a.hi, cut)


def _headline_sentences(ctx: _Context) -> set[int]:
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
    reference: date | None = None,
    sentence_filter: Sequence[int] | None = None,
    reference_exact: bool = True,
) -> tuple[list[Event], list[PartyMention]]:
    """All partnership events of one parsed article, and the party mentions found.

    ``reference`` anchors relative dates (publication date, or a date inferred from the
    text); when it was inferred (``reference_exact`` False), dates relative to a day
    ("jeudi", "hier", "la semaine dernière") are not resolved: only the publication date can
    say which Thursday.
    """
    layout = _layout(doc)
    sents, sent_of, paras = layout
    triggers = _triggers_of(doc, rules)
    mentions = find_mentions(doc, gaz, rules, layout, triggers)
    by_token: dict[int, PartyMention] = {}
    for m in mentions:
        for i in range(m.start, m.end):
            by_token[i] = m
    ctx = _Context(
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
    resolve_descriptors(ctx)

    found: list[_Found] = []
    for n, (trig, tspan) in enumerate(triggers):
        si = sent_of[tspan.start]
        if _blocked(ctx, trig, tspan) or _acquisition(ctx, tspan):
            continue
        nxt = next(
            (
                s.start
                for t, s in triggers[n + 1 :]
                if sent_of[s.start] == si
                and (t.pos == "noun" or t.needs_partner_prep)
                and not _apposed_partner_noun(tspan, s)
            ),
            sents[si].end,
        )
        found.extend(_roles_for(ctx, trig, tspan, si, nxt))
    _split_clauses(ctx, found)

    noun_at = {span.root.i: trig for trig, span in triggers if trig.pos == "noun"}
    events: list[Event] = []
    seen: dict[frozenset[str], Event] = {}
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
        uniq: list[tuple[PartyMention, str]] = []
        for p, role in [(p, "who") for p in f.who] + [(p, "with") for p in f.partners]:
            if p.key in keys or p.named is None:
                continue
            keys.append(p.key)
            uniq.append((p, role))
        if len(uniq) < 2 or _political(ctx, parties, f.si) or _diplomacy(ctx, uniq, f.si):
            continue
        key = frozenset(keys)
        sent = sents[f.si]
        lo_char = doc[f.lo].idx if f.lo < len(doc) else sent.start_char
        hi_char = doc[f.hi - 1].idx + len(doc[f.hi - 1]) if f.hi > f.lo else sent.end_char
        stop = next((t.idx for t in doc[f.tspan.end : f.hi] if t.text in (":", ";")), None)
        if stop is not None:
            hi_char = min(hi_char, stop)  # what follows a colon is another statement
        status = _status(ctx, f.tspan, f.lo, f.hi, f.trig)
        kind = _kind(ctx, f.trig, [p for p, _ in uniq], f.si)
        if f.trig.pos == "verb" and kind == f.trig.kind:
            # "X a signé avec Y un partenariat": the noun object names the deal
            named = next(
                (noun_at[c.i] for c in f.tspan.root.children if c.dep_ == "obj" and c.i in noun_at),
                None,
            )
            if named is not None:
                kind = named.kind
        when = _event_date(ctx, f.si, lo_char, hi_char, f.tspan.start_char, f.antecedent)
        purpose, strength = _purpose(
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
        strengths[key] = strength
        events.append(ev)
        siblings.setdefault(f.tspan.start, []).append(ev)
    _kind_from_named_deal(ctx, found, events, triggers, sent_of)
    for start, frame in joined.items():
        for ev in siblings.get(start, []):
            if frame.date:
                ev.date, ev.date_text = frame.date, frame.date_text
                ev.date_granularity = frame.date_granularity
            if frame.purpose:
                ev.purpose = frame.purpose
            if ev.kind in GENERIC_KINDS and frame.kind in GENERIC_KINDS:
                ev.kind = frame.kind  # one deal, one kind
    events.sort(key=lambda e: (e.sentence_index, e.start))
    return events, mentions

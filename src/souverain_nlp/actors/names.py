"""Finding actor mentions in a parsed article.

Passes, in this order (each takes only tokens no earlier pass took):

1. institutions named by a head noun and a place or person name ("l'université d'Oxford",
   "le château de Versailles", "l'aéroport Guglielmo Marconi");
2. names of the statistical NER and the gazetteer ruler, repaired first: fragments of one
   name joined ("Red" + "Bull Advanced Technologies"), names continued by the words that end
   company names ("Kia Motors UK", "EON Productions", "Porsche Cars North America") so that
   a known name never swallows a longer unknown one, all-caps words before a name kept
   ("BANDAI NAMCO Entertainment"); states, capitals (a metonym, a party only as the agent
   or partner of a deal), and persons (kept for the coreference step);
3. acronyms the text defines in parentheses, after a name or a lower-case phrase ("le
   centre hospitalier territorial (CHT)");
4. names the NER missed in the slots where a party stands: after "avec" / "entre", after a
   trigger, in a list of names coordinated with a known one, after a descriptor;
5. state phrases ("le gouvernement allemand", "les autorités de l'Oregon"), role nouns of
   a state ("le Premier ministre israélien") and descriptors ("le pétrolier français",
   "le créateur de Windows");
6. pronouns and plural anaphors ("il", "ce dernier", "sa collaboration", "les deux
   groupes"), resolved by :mod:`souverain_nlp.actors.coref`.

Each mention records how it was found (``ActorMention.how``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from ..gazetteer import Gazetteer, GazetteerEntry, normalise_name
from ..layout import doc_layout, lower, seq_at
from ..rules import RuleData, Trigger
from ..triggers import triggers_of
from .model import ActorMention

#: Entity labels of spaCy fr that can be parties (persons are found as persons and stand
#: for the organisation or state they act for, see coref).
PARTY_LABELS = frozenset({"ORG", "LOC", "MISC", "GPE"})
#: Largest number of capitalised words a name is continued by ("Porsche Cars North
#: America": 3); a longer run is more likely a title or a list.
MAX_NAME_EXTENSION = 4
CONTRACTED_DETS = frozenset({"du", "des", "au", "aux"})
#: Words that introduce who reports a fact ("selon Reuters", "d'après Le Parisien").
SOURCE_MARKERS = frozenset({"selon", "d'après", "d’après"})
STATE_HEADS = frozenset(
    {"gouvernement", "état", "etat", "exécutif", "autorités", "pays", "ministère", "armée",
     "armées", "troupes", "forces", "administration", "diplomatie", "présidence"}
)
#: State heads that stand for the state the article is about when they have no
#: nationality word ("l'État", "le gouvernement").
CONTEXT_STATE_HEADS = frozenset(
    {"gouvernement", "état", "etat", "exécutif", "ministère", "administration", "autorités"}
)
PREPS_OF = frozenset({"de", "d'", "d’", "du", "des"})
#: Institution heads that also describe companies: with a place name they are no
#: institution ("la société Paris"), with a person's name they are ("le groupe Bolloré").
COMPANY_HEADS = frozenset({"groupe", "société", "compagnie", "maison", "banque"})
#: Prepositions of place: a capital after them is a place, never its government.
PLACE_PREPS = frozenset({"à", "a", "au", "aux", "en", "de", "d'", "du", "des", "depuis", "vers",
                         "sur", "dans", "près", "pour", "par", "via", "jusqu'à", "outre"})
MONTHS_DAYS = frozenset(
    {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
     "octobre", "novembre", "décembre", "lundi", "mardi", "mercredi", "jeudi", "vendredi",
     "samedi", "dimanche"}
)
#: Tokens after a trigger where "avec" / "entre" opens its partner slot ("un accord de
#: distribution avec", "négocie avec").
TRIGGER_SLOT = 5
#: Words that open a list of names after a deal noun ("des partenaires, dont A, B et C").
LIST_CUES = frozenset({"dont", "comme", "notamment", "tels", "telles", "parmi", ":", "("})


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


_GAZ_INDEX: dict[tuple[int, str], dict[str, GazetteerEntry]] = {}


def states_by_country(gaz: Gazetteer) -> dict[str, GazetteerEntry]:
    """The gazetteer's state entry of every country code."""
    cached = _GAZ_INDEX.get((id(gaz), "states"))
    if cached is not None:
        return cached
    out: dict[str, GazetteerEntry] = {}
    for entry in gaz.entries.values():
        if entry.type == "STATE" and entry.country and entry.country not in out:
            out[entry.country] = entry
    for entry in gaz.entries.values():  # the EU for "EU": a union that acts like a state
        if entry.type == "INTL" and entry.parent is None and entry.country and (
            entry.country not in out
        ):
            out[entry.country] = entry
    _GAZ_INDEX[(id(gaz), "states")] = out
    return out


def state_entry(gaz: Gazetteer, country: str | None) -> GazetteerEntry | None:
    """The state entry of a country code (None when unknown)."""
    if not country:
        return None
    return states_by_country(gaz).get(country)


def _descriptor_phrases(gaz: Gazetteer) -> dict[str, GazetteerEntry]:
    """Known descriptor phrases of the gazetteer ("le créateur de Windows" -> Microsoft)."""
    cached = _GAZ_INDEX.get((id(gaz), "descriptors"))
    if cached is not None:
        return cached
    out: dict[str, GazetteerEntry] = {}
    for entry in gaz.entries.values():
        for phrase in getattr(entry, "descriptors", ()) or ():
            out.setdefault(normalise_name(phrase), entry)
    _GAZ_INDEX[(id(gaz), "descriptors")] = out
    return out


_HEADS: dict[int, frozenset[str]] = {}


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


def norm(text: str) -> str:
    """The gazetteer's matching key of a text."""
    return normalise_name(text)


def text_of(span: Span) -> str:
    """Text of a span without surrounding spaces."""
    return span.text.strip()


@dataclass
class _Builder:
    """The mentions found so far and the tokens they cover."""

    doc: Doc
    gaz: Gazetteer
    rules: RuleData
    sents: list[Span]
    sent_of: dict[int, int]
    para_of_sent: list[int]
    mentions: list[ActorMention] = field(default_factory=list)
    covered: set[int] = field(default_factory=set)

    def free(self, start: int, end: int) -> bool:
        return not any(i in self.covered for i in range(start, end))

    def add(self, start: int, end: int, kind: str, label: str, **kw: object) -> ActorMention:
        si = self.sent_of.get(start, 0)
        text = kw.pop("text", None) or text_of(self.doc[start:end])
        m = ActorMention(start, end, str(text), kind, label, si, self.para_of_sent[si], **kw)
        self.mentions.append(m)
        self.covered.update(range(start, end))
        return m


# --------------------------------------------------------------------------- names


def _capitalised(tok: object) -> bool:
    """A word written like a name: capitalised, or camel case ("eClassics", "iRobot")."""
    text = tok.text  # type: ignore[attr-defined]
    if not any(c.isalpha() for c in text):
        return False
    return bool(text[:1].isupper()) or (
        text[:1].islower() and any(c.isupper() for c in text[1:]) and text.isalnum()
    )


def _acronym_word(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return 2 <= len(letters) <= 8 and all(c.isupper() for c in letters) and text[:1].isalpha()


def _continues(tok: object, suffixes: frozenset[str]) -> bool:
    """A word that ends company names ("Motors", "Group", "UK", "SDI"), not a model code
    ("DB5", "Q4")."""
    text = tok.text  # type: ignore[attr-defined]
    if any(c.isdigit() for c in text):
        return False
    return _capitalised(tok) and (text.lower() in suffixes or _acronym_word(text))


#: Suffix words that are also place names: they continue a name ("Coca-Cola France") but
#: do not make a place or a person a company.
PLACE_SUFFIXES = frozenset({"france", "europe", "canada", "india", "china", "japan", "america",
                            "americas", "africa", "asia", "uk", "usa", "germany",
                            "deutschland", "italia", "españa", "espana", "centre", "center"})
#: Heads that a proper name follows directly as part of the institution's name ("lycée
#: Château d'Épluches", "aéroport Guglielmo Marconi").
_NAMING_HEADS = frozenset({"lycée", "lycee", "collège", "college", "aéroport", "aeroport",
                           "université", "universite", "institut", "musée", "stade", "hôpital",
                           "clinique", "école", "ecole", "château", "fondation", "théâtre"})
#: Capitalised heads of an institution that a place or event entity starts with ("Château
#: de Versailles", "Institut Image", "Semaine de la critique").
_EVENT_HEADS = frozenset({"semaine", "journée", "journee", "festival", "salon", "mois"})


def _relabel(doc: Doc, start: int, end: int, label: str, rules: RuleData) -> str:
    """The label a repaired entity should carry: a place, event or 'person' that ends with
    a company word, holds an all-caps word or a split possessive is a company ("Silverstone
    Auctions", "Jaguar Enthusiasts' Club", "RM Sotheby's"); one that starts with an
    institution head is an institution ("Château de Versailles", "Semaine de la critique")."""
    suffixes = rules.actor_words("name_suffixes") - PLACE_SUFFIXES
    toks = doc[start:end]
    last = toks[-1].lower_
    if label == "PER" and _company_like_person(doc, start, end, suffixes):
        return "ORG"
    if label in ("LOC", "MISC") and end - start >= 2 and last in suffixes:
        return "ORG"
    first = toks[0].lower_
    if label in ("LOC", "MISC") and end - start >= 2 and toks[0].text[:1].isupper() and (
        first in rules.actor_words("institution_heads") - {"ville", "région", "region", "port",
                                                            "maison", "groupe", "société"}
        or first in _EVENT_HEADS
    ):
        return "ORG"
    return label


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """An entity without a leading participle or preposition the NER glued to it
    ("Intitulée Cinébalcon", "Développé"), a lower-case descriptor in apposition before the
    name ("école de cinéma Femis": not "mairie de Paris"), nor a trailing participle after a
    name ("eClassics spécialisée")."""
    if doc[start].text[:1].islower():
        k = next((i for i in range(start, end) if _capitalised(doc[i])), None)
        if (
            k is not None
            and k > start
            and doc[k - 1].pos_ in ("NOUN", "ADJ")
            and lower(doc[k - 1]) not in PREPS_OF
            and lower(doc[k - 1]) not in _NAMING_HEADS
        ):
            start = k
    while end - start > 1 and doc[start].pos_ in ("VERB", "ADP", "ADV") and doc[
        start
    ].is_sent_start:
        start += 1
    while (
        end - start > 1
        and doc[end - 1].text[:1].islower()
        and (doc[end - 1].pos_ == "VERB" or "Part" in doc[end - 1].morph.get("VerbForm"))
        and _capitalised(doc[end - 2])
    ):
        end -= 1
    while end - start > 1 and doc[end - 1].like_num and len(doc[end - 1].text) == 4 and doc[
        end - 1
    ].text[:2] in ("19", "20"):
        end -= 1  # "Journée de la femme digitale 2018": the edition of an event
    return start, end


def repaired_spans(
    doc: Doc, gaz: Gazetteer, rules: RuleData, trigger_sents: set[int | None] | None = None,
    sent_of: dict[int, int] | None = None,
) -> list[tuple[int, int, str]]:
    """Entity spans of the NER and the gazetteer ruler, with names made whole.

    Each entity is trimmed (a glued participle or adjective) and relabelled (a "person" or
    "place" that ends with a company word is a company); adjacent fragments of one name are
    joined ("Red" "Bull Advanced Technologies"), unless both are known actors of their own;
    a company name is continued over capitalised words when they end in a word that ends
    company names ("Kia Motors UK", "EON Productions", "Coca-Cola France"), over "&" + name
    ("Johnson & Johnson") and over a split possessive ("Sotheby'" + "s"); capitalised
    words right before a company name belong to it ("BANDAI NAMCO", "Blue Sky Studios").
    A one-word "person" coordinated with a company in a sentence that holds a trigger is a
    company too ("Gilead et McKesson ont signé").
    """
    suffixes = rules.actor_words("name_suffixes")
    surnames = {e[-1].text for e in doc.ents if e.label_ == "PER" and len(e) >= 2}
    ents = []
    for e in _split_lines(doc, sorted(doc.ents, key=lambda e: e.start)):
        start, end = _trim(doc, e.start, e.end)
        while end - start > 1 and _model_code(doc[end - 1].text) and gaz.lookup(
            doc[start : end - 1].text
        ) is not None:
            end -= 1  # "Aston Martin DB5": the maker (the model code is its product)
        label = _relabel(doc, start, end, e.label_, rules)
        if label == "PER" and trigger_sents and _company_in_pair(
            gaz, doc, start, end, surnames, trigger_sents, sent_of or {}
        ):
            label = "ORG"  # "Accor et Huazhu ont signé": a company taken for a person
        ents.append((start, end, label))
    out: list[list] = []
    for start, end, label in ents:
        if out and out[-1][1] == start and _joinable(doc, gaz, rules, out[-1], (start, end, label)):
            prev = out[-1]
            if label == "ORG" or (prev[2] == "PER") != (label == "PER"):
                prev[2] = "ORG"
            prev[1] = end
            continue
        out.append([start, end, label])
    taken = {i for s, e, _ in out for i in range(s, e)}
    spans = []
    for start, end, label in out:
        if label != "PER":
            while start > 0 and start - 1 not in taken and _name_before(doc, start - 1, gaz):
                start -= 1
            end = _extend(doc, end, taken, suffixes)
        spans.append((start, end, label))
        taken.update(range(start, end))
    return spans


def _split_lines(doc: Doc, ents: list[Span]) -> list[Span]:
    """Entities cut at line breaks: a name never runs from a title into the body."""
    out = []
    for e in ents:
        start = e.start
        for k in range(e.start, e.end):
            if "\n" in doc[k].whitespace_ or "\n" in doc[k].text:
                end = k if doc[k].is_space else k + 1
                if end > start:
                    out.append(Span(doc, start, end, label=e.label_))
                start = k + 1
        if start < e.end:
            out.append(Span(doc, start, e.end, label=e.label_))
    return out


def _name_before(doc: Doc, i: int, gaz: Gazetteer) -> bool:
    """A word right before a name that belongs to it: an all-caps word ("BANDAI NAMCO"), or
    a capitalised proper noun that is no sentence start, nationality or date word ("Blue"
    in "Blue Sky Studios")."""
    t = doc[i]
    if t.is_punct or t.lower_ in MONTHS_DAYS or _nationality(gaz, t.text):
        return False
    if any(c.isdigit() for c in t.text):
        return False
    if _acronym_word(t.text):
        return True
    return t.text[:1].isupper() and not t.is_sent_start and t.pos_ in ("PROPN", "X") and (
        i == 0 or not doc[i - 1].text[:1].isupper()
    )


#: Country words that end a company's name ("Coca-Cola France", "McKesson Canada").
COUNTRY_SUFFIXES = frozenset({"france", "europe", "uk", "usa", "america", "canada", "india",
                              "china", "japan", "germany", "deutschland", "italia", "españa",
                              "espana", "africa", "asia"})


def _joinable(doc: Doc, gaz: Gazetteer, rules: RuleData, a: list,
              b: tuple[int, int, str]) -> bool:
    """Two entities with nothing between them are one name, unless one is no name (a
    lower-case adjective), one is a person and the other not, or both are known actors of
    their own (a country after a company continues its name: "Coca-Cola France")."""
    if doc[a[1] - 1].whitespace_ == "" and doc[a[1] - 1].is_punct:
        return False
    if not _capitalised(doc[a[0]]) or not _capitalised(doc[b[0]]):
        return False
    if (a[2] == "PER") != (b[2] == "PER"):
        # "McKesson Canada": a one-word "person" continued by a country that ends company
        # names is a company's national arm (a person's surname is never a country)
        return (a[2] == "PER" and a[1] - a[0] == 1 and b[1] - b[0] == 1
                and doc[b[0]].lower_ in COUNTRY_SUFFIXES
                and doc[b[0]].lower_ in rules.actor_words("name_suffixes"))
    if any(t.is_punct and t.text not in ("&", "-") for t in doc[b[0] : b[0] + 1]):
        return False
    first, second = doc[a[0] : a[1]].text, doc[b[0] : b[1]].text
    if gaz.lookup(first) is not None and gaz.lookup(second) is not None:
        return b[1] - b[0] == 1 and second.lower() in rules.actor_words("name_suffixes") and (
            a[2] == "ORG"
        )
    return True


def _extend(doc: Doc, end: int, taken: set[int], suffixes: frozenset[str]) -> int:
    """Where a company name ends once continued (see :func:`repaired_spans`)."""
    best = end
    k = end
    while k < len(doc) and k - end < MAX_NAME_EXTENSION and k not in taken:
        t = doc[k]
        if t.text in ("s", "S") and not doc[k - 1].whitespace_ and doc[k - 1].text.endswith(
            ("'", "’")
        ):
            best = k = k + 1  # "Sotheby'" + "s"
            continue
        if t.text == "&" and k + 1 < len(doc) and _capitalised(doc[k + 1]):
            if k + 1 in taken:
                break
            best = k = k + 2
            continue
        if t.is_sent_start or not _capitalised(t) or t.lower_ in MONTHS_DAYS:
            break
        if doc[k - 1].whitespace_ == "" and doc[k - 1].is_punct:
            break
        if not t.whitespace_ and k + 1 < len(doc) and doc[k + 1].text in ("-", "/"):
            break  # "AM-RB 003": a model code, not the end of a name
        k += 1
        if _continues(t, suffixes):
            best = k
    return best


def _company_like_person(doc: Doc, start: int, end: int, suffixes: frozenset[str]) -> bool:
    """A 'person' of the NER that is a company: an all-caps word or a possessive in it, or a
    company suffix at its end ("RM Sotheby's", "Gordon Murray Automotive")."""
    toks = doc[start:end]
    if any(_acronym_word(t.text) for t in toks):
        return True
    if any(t.text in ("s", "S") and t.i > start and doc[t.i - 1].text.endswith(("'", "’"))
           for t in toks):
        return True
    return len(toks) >= 2 and toks[-1].lower_ in suffixes and toks[-1].lower_ not in (
        COUNTRY_SUFFIXES
    )


def _noise(rules: RuleData, text: str) -> bool:
    """NER noise that is no actor: section words, sentence openers, titles ("Miss X"),
    names cut before their complement ("Club de")."""
    folded = text.lower().strip()
    if folded in rules.actor_words("not_names"):
        return True
    words = folded.replace("’", "'").split()
    if not words:
        return True
    if words[0] in rules.actor_words("not_name_starts") and len(words) > 1:
        return True
    return words[-1] in ("de", "du", "des", "d'", "la", "le", "les", "et", "à")


def _entities(b: _Builder, spans: list[tuple[int, int, str]], triggers: list) -> list[tuple]:
    """Names, states and capitals from the repaired entity spans; returns the person spans
    (start, end) for the persons pass."""
    doc, gaz, rules = b.doc, b.gaz, b.rules
    political = {n.lower() for n in rules.cue_words("not_events", "political_names")}
    persons = []
    for start, end, label in spans:
        if not b.free(start, end):
            continue
        text = text_of(doc[start:end]).strip("-–—")
        if label == "PER":
            persons.append((start, end))
            continue
        if label not in PARTY_LABELS:
            continue
        if not text or text.lower() in political or _noise(rules, text):
            continue
        if end - start == 1 and doc[start].is_sent_start and doc[start].pos_ in (
            "NOUN", "VERB", "ADJ", "ADV"
        ) and gaz.lookup(text) is None:
            continue  # "Entreprises ou alliances", "Surnommée": a word opening a sentence
        if doc[start].text[:1].islower() and _role_head(rules, doc, start, end):
            continue  # "ministre de l'Economie": a role of the state, found as a state phrase
        entry = gaz.lookup(text)
        if entry is not None:
            entry = gaz.canonical(entry)  # a division (Google Cloud) is its group (Google)
        if entry is not None and entry.type == "ORG" and _product_reading(doc, start, end):
            continue  # "cette Porsche 911", "une Renault": the car, not the company
        if entry is None and _brand_model(gaz, rules, doc, start, end):
            continue  # "la VW Jetta GLI", "la Lamborghini Essenza SCV12": a product
        if text.islower() and _nationality(gaz, text):
            continue  # "le groupe suisse X": a nationality adjective, not the country
        ref = _state_ref(gaz, text)
        if entry is None and ref is not None:
            country, context = ref
            if (context == "metonym" or text[:1].isupper()) and _place_reading(doc, start):
                continue  # "à Washington", "à la Maison Blanche": the place, not its government
            if context == "metonym" and not _government_slot(doc, start, end):
                continue  # "a quitté Paris": the city
            st = state_entry(gaz, country)
            if st is not None:
                b.add(start, end, "state", "LOC", entry=st, country=country,
                      how="metonym" if context == "metonym" else "state_phrase",
                      metonym=context == "metonym")
            continue
        if label in ("LOC", "GPE") and (entry is None or entry.type not in ("STATE", "INTL")):
            # cities and regions are not parties, but the statistical NER also tags some
            # companies LOC: keep those introduced as one ("le japonais X", "le groupe X")
            # or paired with a company ("Oxford/AstraZeneca")
            if entry is not None and entry.type in ("GOV", "ORG"):
                pass  # a known actor the NER took for a place
            elif entry is not None or not (
                _company_apposition(gaz, doc, start) or _paired(b, start, end, spans)
            ):
                continue
        if label == "ORG":
            end = _with_place(b, start, end, spans)
            text = text_of(doc[start:end]).strip("-–—")
        if label == "MISC" and entry is None and not _party_slot(b, start, end):
            continue  # products, events, programmes (unless where a party stands)
        if entry is None and not any(_capitalised(t) for t in doc[start:end]):
            continue
        country = entry.country if entry is not None else None
        # Nationality word right before the name: "le Chinois Alibaba", "l'éditeur français X".
        desc_text = None
        j = start - 1
        while j >= 0 and j >= start - 6 and doc[j].pos_ in ("ADJ", "NOUN", "DET", "CCONJ"):
            nat = _nationality(gaz, doc[j].text)
            if nat and country is None:
                country = nat
            j -= 1
        if j + 1 < start:
            desc_text = doc[j + 1 : start].text
        b.add(
            start, end, "name", label, text=text, entry=entry, country=country,
            sectors=frozenset({entry.sector}) if entry is not None and entry.sector
            else frozenset(),
            descriptor_text=desc_text,
        )
    return persons


#: Nouns whose "de" complement is an actor, a capital included ("partenaire d'Islamabad").
ROLE_NOUNS = frozenset({"partenaire", "partenaires", "allié", "alliés", "alliée", "alliées",
                        "alliance", "accord", "accords", "coopération", "partenariat",
                        "sponsor", "mécène", "fournisseur", "client", "homologue", "voisin"})


def _government_slot(doc: Doc, start: int, end: int) -> bool:
    """Where a capital stands for its government: the subject of a verb ("Washington a
    signé", "Paris et Berlin veulent"), after "avec" / "entre" / "et", or the complement of
    a role noun ("partenaire d'Islamabad")."""
    before = lower(doc[start - 1]) if start > 0 else ""
    after = doc[end] if end < len(doc) else None
    subject = (doc[start].is_sent_start or before in (",", "et", "«", '"', "-")) and (
        after is not None and (after.pos_ in ("VERB", "AUX") or lower(after) in ("et", ","))
    )
    return (
        subject
        or before in ("avec", "entre", "et")
        or (start > 0 and _role_complement(doc, start - 1))
        or doc[start].dep_.startswith("nsubj")
    )


def _place_reading(doc: Doc, start: int) -> bool:
    """A capital or a seat of government after a preposition of place ("à Washington",
    "à la Maison Blanche"): the place, not its government (unless it is the "de" of a role
    noun: "partenaire d'Islamabad")."""
    k = start - 1
    if k >= 0 and lower(doc[k]) in ("la", "le", "l'", "les"):
        k -= 1
    return k >= 0 and lower(doc[k]) in PLACE_PREPS and not _role_complement(doc, k)


def _role_complement(doc: Doc, prep: int) -> bool:
    """The preposition at ``prep`` is the "de" of a role or deal noun ("partenaires de")."""
    if lower(doc[prep]) not in ("de", "d'", "du", "des"):
        return False
    k = prep - 1
    while k >= 0 and doc[k].pos_ in ("ADJ", "ADV") and prep - k <= 3:
        k -= 1
    return k >= 0 and lower(doc[k]) in ROLE_NOUNS


def _party_slot(b: _Builder, start: int, end: int) -> bool:
    """A product-or-event entity of the NER that stands where a party does: after "par",
    "avec", "entre", "partenaire(s) de", or coordinated with a recognised name."""
    doc = b.doc
    j = start - 1
    while j >= 0 and doc[j].pos_ == "DET":
        j -= 1
    if j >= 0 and lower(doc[j]) in ("avec", "entre"):
        return True
    if end + 2 < len(doc) and doc[end].text == "," and any(
        lower(t) in ROLE_NOUNS for t in doc[end + 1 : min(len(doc), end + 5)]
    ):
        return True  # "CodeGen, l'un des partenaires techniques de X"
    if j >= 1 and lower(doc[j]) in PREPS_OF and doc[j - 1].lemma_.lower() in (
        "partenaire", "sponsor", "mécène", "allié"
    ):
        return True
    if j >= 0 and lower(doc[j]) in ("et", ",") and j - 1 in b.covered:
        return True
    return end < len(doc) and lower(doc[end]) == "et" and end + 1 in b.covered


def _paired(b: _Builder, start: int, end: int, spans: list[tuple[int, int, str]]) -> bool:
    """A place name joined to a company by a slash or a hyphen ("Oxford/AstraZeneca"): a
    pair of partners, the place names a university or a city government."""
    doc = b.doc
    others = {s: lab for s, _e, lab in spans} | {e: lab for _s, e, lab in spans}
    if end + 1 < len(doc) and doc[end].text in ("/", "-") and not doc[end - 1].whitespace_:
        return others.get(end + 1) == "ORG"
    if start >= 2 and doc[start - 1].text in ("/", "-") and not doc[start - 2].whitespace_:
        return others.get(start - 1) == "ORG"
    return False


def _with_place(b: _Builder, start: int, end: int, spans: list[tuple[int, int, str]]) -> int:
    """An institution name continued by the place it stands in or what it is for:
    "Institut Hospitalo-Universitaire" + "de Marseille", "Fondation Gan" + "pour le
    Cinéma"."""
    doc = b.doc
    heads = b.rules.actor_words("institution_heads")
    if doc[start].lower_ not in heads or end + 1 >= len(doc):
        return end
    if lower(doc[end]) == "pour" and end + 2 < len(doc) and lower(doc[end + 1]) in (
        "le", "la", "l'", "les"
    ) and doc[end + 2].text[:1].isupper():
        k = end + 2
        while k < len(doc) and doc[k].text[:1].isupper() and k - end <= 5:
            k += 1
        if b.free(end, k):
            return k
    if lower(doc[end]) not in PREPS_OF:
        return end
    place = next((sp for sp in spans if sp[0] == end + 1 and sp[2] == "LOC"), None)
    if place is None or not b.free(place[0], place[1]):
        return end
    return place[1]


#: Determiners that make a brand name a product ("une Renault", "cette Porsche 911").
PRODUCT_DETS = frozenset({"une", "un", "cette", "ce", "ces", "sa", "son", "ses", "leur",
                          "leurs", "ma", "mon", "notre", "votre", "chaque"})


def _brand_model(gaz: Gazetteer, rules: RuleData, doc: Doc, start: int, end: int) -> bool:
    """A known company name followed by model words and no company suffix, after an
    article or a product determiner: the product ("la VW Jetta GLI")."""
    if start == 0 or lower(doc[start - 1]) not in PRODUCT_DETS | {"la", "le", "l'", "les"}:
        return False
    suffixes = rules.actor_words("name_suffixes")
    for k in range(end - 1, start, -1):
        if not doc[k - 1].whitespace_:
            continue  # "AP-HM": one name, no brand and model
        brand = gaz.lookup(doc[start:k].text)
        if brand is not None and brand.type == "ORG":
            rest = doc[k:end]
            if any(t.is_punct for t in rest):
                return False
            return not any(t.lower_ in suffixes and not _model_code(t.text) for t in rest)
    return False


def _model_code(text: str) -> bool:
    """A model designation: digits in a short word ("911", "DB5", "i8", "Q4", "A320")."""
    return any(c.isdigit() for c in text) and len(text) <= 8


def _product_reading(doc: Doc, start: int, end: int) -> bool:
    """A company name used for one of its products: after a determiner that no company
    name takes ("une Renault", "cette Bugatti"), or after an article and before a model
    code ("la Porsche 911")."""
    if start == 0:
        return False
    det = lower(doc[start - 1])
    nxt = doc[end].text if end < len(doc) else ""
    if det in PRODUCT_DETS:
        return True
    return det in ("la", "les", "des", "le", "l'") and _model_code(nxt)


def _state_ref(gaz: Gazetteer, text: str) -> tuple[str, str] | None:
    """(country, context) of a state phrase or capital recognised as an entity ("Bercy",
    "le gouvernement", "Washington")."""
    try:
        ref = gaz.state_phrase(text)
    except Exception:  # noqa: BLE001
        return None
    if ref is None:
        return None
    return ref.country, ref.context


def _company_in_pair(
    gaz: Gazetteer,
    doc: Doc,
    start: int,
    end: int,
    surnames: set[str],
    trigger_sents: set[int | None],
    sent_of: dict[int, int],
) -> bool:
    """A one-word PER entity coordinated with a company or an unknown name ("Accor et
    Huazhu", "Alpine et Tissot") in a sentence that holds a trigger, and no person of that
    surname (persons are introduced with their first name)."""
    if end - start != 1 or doc[start].text in surnames or sent_of.get(start) not in trigger_sents:
        return False
    if not lone_name(doc, start, set()):
        return False
    for a, c in ((start - 2, start - 1), (start + 2, start + 1)):
        if 0 <= a < len(doc) and doc[c].lower_ == "et":
            other = next((e for e in doc.ents if e.start <= a < e.end), None)
            if other is None or other.label_ == "PER":
                continue
            entry = gaz.lookup(other.text)
            if (entry is not None and entry.type == "ORG") or (
                entry is None and (other.label_ == "ORG" or len(other) >= 2 or
                                   other.label_ in ("LOC", "MISC"))
            ):
                return True
    return False


def lone_name(doc: Doc, j: int, covered: set[int]) -> bool:
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


def name_run(
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


# --------------------------------------------------------------------------- institutions


def _institutions(b: _Builder, spans: list[tuple[int, int, str]]) -> None:
    """A head noun of an institution and the place or person that names it: "l'université
    d'Oxford", "le château de Versailles", "l'aéroport Guglielmo Marconi de Bologne", "la
    mairie de Nice".  A known company after the head is a descriptor and a name ("la banque
    Lazard"), not an institution; company heads ("le groupe", "la société") make one only
    with a person's name ("le groupe Bolloré")."""
    doc, gaz = b.doc, b.gaz
    heads = b.rules.actor_words("institution_heads")
    by_start = {s: (s, e, lab) for s, e, lab in spans}
    for tok in doc:
        if tok.i in b.covered or lower(tok) not in heads or not tok.text[:1].islower():
            continue
        if tok.i == 0 or not (doc[tok.i - 1].pos_ == "DET" or lower(doc[tok.i - 1]) in
                              CONTRACTED_DETS | {"l'"}):
            continue
        quoted = _quoted_name(doc, tok.i + 1)
        if quoted is not None and b.free(*quoted):
            # "l'association « Des voitures & des hommes »": the quoted name
            b.add(quoted[0], quoted[1], "name", "ORG", how="institution")
            continue
        own = by_start.get(tok.i)
        if own is not None and own[2] in ("LOC", "MISC", "ORG") and own[1] - own[0] >= 3:
            # the NER took head and name together: "château de Versailles"
            if b.free(own[0], own[1]):
                b.add(own[0], own[1], "name", "ORG", how="institution")
            continue
        k = tok.i + 1
        while k < len(doc) and doc[k].pos_ == "ADJ" and k - tok.i <= 3 and not _capitalised(
            doc[k]
        ):
            k += 1
        if k < len(doc) and lower(doc[k]) in PREPS_OF:
            k += 1
            if k < len(doc) and lower(doc[k]) in ("la", "l'"):
                k += 1
        span = by_start.get(k)
        if span is None and k > tok.i + 1 and lower(doc[k - 1]) in PREPS_OF | {"la", "l'"}:
            # "la ville de Lyon" when the NER cut the span after "de": the capitalised run
            e = k
            while e < len(doc) and _capitalised(doc[e]) and doc[e].pos_ in ("PROPN", "X") and (
                e - k < 4
            ):
                e += 1
            span = (k, e, "LOC") if e > k else None
        if span is None:
            continue
        start, end, label = span
        entry = gaz.lookup(doc[start:end].text)
        if entry is not None and entry.type != "STATE":
            continue  # "la banque Lazard": a descriptor and a known name
        if label == "ORG" or (lower(tok) in COMPANY_HEADS and label != "PER"):
            continue
        if end + 1 < len(doc) and lower(doc[end]) in PREPS_OF:
            place = by_start.get(end + 1)
            if place is not None and place[2] == "LOC" and label == "PER":
                end = place[1]  # "l'aéroport Guglielmo Marconi de Bologne"
        if b.free(tok.i, end):
            b.add(tok.i, end, "name", "ORG", how="institution")


def _quoted_name(doc: Doc, i: int) -> tuple[int, int] | None:
    """The tokens of a short name in quotes starting at token i ("« Des voitures & des
    hommes »"), capitalised first word, at most eight words."""
    if i >= len(doc) or doc[i].text not in ("«", '"', "“"):
        return None
    close = {"«": "»", '"': '"', "“": "”"}[doc[i].text]
    for k in range(i + 2, min(len(doc), i + 10)):
        if doc[k].text == close:
            if doc[i + 1].text[:1].isupper():
                return i + 1, k
            return None
        if doc[k].is_punct and doc[k].text not in ("&", "-", "'"):
            return None
    return None


def _glued_pairs(b: _Builder) -> None:
    """Known names glued by hyphens or slashes that the ruler left out as one compound
    ("France-Inde", "Sanofi/GSK"): a compound mention whose parts are the names."""
    doc, gaz = b.doc, b.gaz
    i = 0
    while i < len(doc):
        j = i
        pieces = [i]
        while (
            j + 2 < len(doc)
            and doc[j + 1].text in ("-", "/")
            and not doc[j].whitespace_
            and not doc[j + 1].whitespace_
        ):
            j += 2
            pieces.append(j)
        if len(pieces) >= 2 and b.free(i, j + 1):
            entries = [gaz.lookup(doc[k].text) for k in pieces]
            if all(e is not None for e in entries) and len({e.id for e in entries}) == len(
                entries
            ):
                b.add(i, j + 1, "name", "ORG", how="name")
                i = j + 1
                continue
        i += 1


def _parts(b: _Builder) -> None:
    """The actors a compound name joins: "Renault-Nissan-Mitsubishi", "France-Inde",
    "Pfizer/BioNTech" are mentions of each of their known parts (``part_of``), beside the
    mention of the compound."""
    gaz = b.gaz
    for m in list(b.mentions):
        if m.kind not in ("name", "state") or not any(c in m.text for c in "-/"):
            continue
        pieces = [p for p in m.text.replace("/", "-").split("-") if p]
        if len(pieces) < 2:
            continue
        entries = [gaz.lookup(p) for p in pieces]
        known = [e for e in entries if e is not None]
        if len(known) < 2 or len({e.id for e in known}) < len(known):
            continue  # "Mercedes-Benz": one name
        if any(e is None and not (p[:1].isupper() and p.isalpha()) for p, e in
               zip(pieces, entries, strict=True)):
            continue
        whole = gaz.lookup(m.text)
        if whole is not None and (
            whole.type == "STATE"
            or any(whole.id in {a.id for a in gaz.ancestors(e)} for e in known)
        ):
            continue  # "Air France-KLM": the group of its parts, not a pair of partners
        offset = b.doc[m.start].idx
        pos = 0
        for piece, entry in zip(pieces, entries, strict=True):
            at = m.text.find(piece, pos)
            pos = at + len(piece)
            is_state = entry is not None and entry.type == "STATE"
            part = ActorMention(m.start, m.end, piece, "state" if is_state else "name",
                                "LOC" if is_state else "ORG", m.sent, m.para,
                                entry=gaz.canonical(entry) if entry is not None else None,
                                country=entry.country if entry is not None else None,
                                how=m.how, part_of=m,
                                char_span=(offset + at, offset + at + len(piece)))
            m.parts.append(part)
            b.mentions.append(part)


# --------------------------------------------------------------------------- acronyms


def _acronyms(b: _Builder) -> None:
    """Acronyms and aliases in parentheses right after a name are the same actor; an
    acronym after a lower-case phrase of its initials defines a name ("le centre hospitalier
    territorial (CHT)")."""
    doc = b.doc
    ms = sorted(b.mentions, key=lambda m: m.start)
    for a, c in zip(ms, ms[1:], strict=False):
        if (
            c.start - a.end == 1
            and doc[a.end].text == "("
            and c.end < len(doc)
            and doc[c.end].text == ")"
        ):
            c.alias_of = a
    ends = {m.end: m for m in b.mentions if m.kind == "name"}
    for tok in doc:
        if tok.text != "(" or tok.i + 2 >= len(doc) or doc[tok.i + 2].text != ")":
            continue
        acro = doc[tok.i + 1]
        if not _acronym_word(acro.text):
            continue
        existing = next((m for m in b.mentions if m.start == tok.i + 1 and m.end == tok.i + 2
                         and m.kind == "name" and m.entry is None), None)
        if tok.i + 1 in b.covered and existing is None:
            continue
        letters = [c.lower() for c in acro.text if c.isalpha()]
        named = ends.get(tok.i)
        if named is not None:
            # "l'Institut Hospitalo-Universitaire de Marseille (IHU)": initials of its words
            words = [w for w in named.text.replace("-", " ").replace("'", " ").split()
                     if w.lower() not in ("de", "du", "des", "d", "la", "le", "l", "et")]
            if existing is None and "".join(w[0].lower() for w in words).startswith(
                "".join(letters)
            ):
                short = b.add(tok.i + 1, tok.i + 2, "name", "ORG", how="acronym")
                short.alias_of = named
            continue
        # the lower-case phrase before it: content words whose initials spell the acronym
        j = tok.i - 1
        initials: list[str] = []
        while j >= 0 and len(initials) < len(letters) and tok.i - j <= len(letters) * 2 + 2:
            t = doc[j]
            if j in b.covered or t.is_punct or t.pos_ == "DET":
                break
            if t.lower_ not in ("de", "du", "des", "d'", "la", "le", "l'", "et", "pour", "à"):
                initials.insert(0, t.lower_[:1])
            j -= 1
        if initials != letters:
            continue
        long_form = b.add(j + 1, tok.i, "name", "ORG", how="acronym")
        short = existing or b.add(tok.i + 1, tok.i + 2, "name", "ORG")
        short.alias_of, short.how = long_form, "acronym"


# --------------------------------------------------------------------------- slots


def _slot_names(b: _Builder, triggers: list, surnames: set[str]) -> None:
    """Names the statistical NER missed, in the slots where a party is expected: right
    after "avec" / "entre" ("avec Rivian"), after a nationality word ("avec le chinois
    Wahaha"), and in a list of names after a deal noun ("des partenaires (Akrapovič,
    Brembo et Sabelt)")."""
    doc, gaz = b.doc, b.gaz
    deal_slots = {
        k for _, span in triggers for k in range(span.end, min(span.end + TRIGGER_SLOT,
                                                                 span.sent.end))
    }
    for tok in doc:
        if tok.lower_ not in ("avec", "entre") or tok.i + 1 >= len(doc):
            continue
        j = tok.i + 1
        if doc[j].pos_ == "DET" and j + 1 < len(doc):
            j += 1
        nat = _nationality(gaz, doc[j].text)
        if nat:
            k = j + 1
            if k < len(doc) and lone_name(doc, k, b.covered) and gaz.lookup(doc[k].text) is None:
                b.add(k, k + 1, "name", "ORG", country=nat, how="name_in_slot")
            continue
        run = name_run(doc, j, b.covered)
        if run is None and tok.i in deal_slots and lone_name(doc, j, b.covered):
            run = (j, j + 1)  # "avec Regeneron": the NER tags unknown one-word names PER
        if run is not None and doc[run[0] : run[1]].text in surnames:
            run = None  # "avec Mbappé" after "Kylian Mbappé": a person
        if run is not None:
            ref = _state_ref(gaz, doc[run[0] : run[1]].text)
            st = state_entry(gaz, ref[0]) if ref is not None else None
            if st is not None:  # "avec Rabat": a capital as a partner, its state
                b.add(run[0], run[1], "state", "LOC", entry=st, country=st.country,
                      how="metonym" if ref[1] == "metonym" else "state_phrase",
                      metonym=ref[1] == "metonym")
            else:
                b.add(run[0], run[1], "name", "ORG", how="name_in_slot")
    dets = CONTRACTED_DETS | {"l'"}
    for tok in doc:
        # "le japonais Denso", "l'américain Kantox": a nationality noun and an unknown name
        i = tok.i
        if not (tok.pos_ == "DET" or lower(tok) in dets) or i + 2 >= len(doc):
            continue
        nat = _nationality(gaz, doc[i + 1].text)
        k = i + 2
        if nat and doc[i + 1].text[:1].islower() and lone_name(doc, k, b.covered) and (
            gaz.lookup(doc[k].text) is None and doc[k].text not in surnames
        ):
            b.add(k, k + 1, "name", "ORG", country=nat, how="name_in_slot",
                  descriptor_text=doc[i : i + 2].text)
    _capitals(b)
    for trig, span in triggers:
        _list_names(b, span, surnames)
        if trig.pos == "verb":
            _verb_subject_name(b, span, surnames)


def _verb_subject_name(b: _Builder, span: Span, surnames: set[str]) -> None:
    """"Zagato collabore depuis 58 ans avec ...": a capitalised subject of a deal verb that
    the NER missed is a name (not a person's surname, a date or a sentence word)."""
    doc = b.doc
    subj = next((c for c in span.root.children if c.dep_ in ("nsubj", "nsubj:pass")), None)
    if subj is None or subj.i in b.covered or subj.pos_ not in ("PROPN", "NOUN", "X"):
        return
    if not subj.text[:1].isupper() or subj.lower_ in MONTHS_DAYS or subj.text in surnames:
        return
    if subj.ent_type_ == "PER" or _nationality(b.gaz, subj.text):
        return
    roles = (b.rules.actor_words("executive_roles") | b.rules.actor_words("state_roles")
             | b.rules.actor_words("independent_roles"))
    if subj.lower_ in b.rules.actor_words("not_names") | roles:
        return  # "Le PDG de X a signé": a role, the person acting for X
    k = subj.i + 1
    while k < span.start and _capitalised(doc[k]) and k not in b.covered:
        k += 1
    b.add(subj.i, k, "name", "ORG", how="name_in_slot")


#: Words before "les" / "aux" + a plural demonym where a state stands as a party.
DEMONYM_SLOTS = frozenset({"avec", "entre", "et", ",", ":", "que", "qu'", "qu’", "les"})


def _demonyms(b: _Builder) -> None:
    """"les Français discutent avec les Croates", "s'allier aux Américains": a capitalised
    plural demonym after "les" / "aux" stands for its state where a party stands (opening a
    clause, after avec / entre / et, or as a subject), never "les Allemands de BMW" (the
    company) nor "des Français" (some people)."""
    doc, gaz = b.doc, b.gaz
    for tok in doc:
        i = tok.i
        if i == 0 or i in b.covered or not tok.text[:1].isupper() or tok.text.isupper():
            continue
        det = lower(doc[i - 1])
        if det not in ("les", "aux") or not tok.lower_.endswith(("s", "x")):
            continue
        nat = _nationality(gaz, tok.text)
        if not nat or gaz.lookup(tok.text) is not None:
            continue
        nxt = doc[i + 1] if i + 1 < len(doc) else None
        if nxt is not None and (lower(nxt) in PREPS_OF or _capitalised(nxt)):
            continue
        before = lower(doc[i - 2]) if i >= 2 else ""
        slot = (det == "aux" or doc[i - 1].is_sent_start or before in DEMONYM_SLOTS
                or tok.dep_.startswith("nsubj"))
        st = state_entry(gaz, nat)
        if slot and st is not None:
            b.add(i, i + 1, "state", "LOC", entry=st, country=nat, how="demonym")


def _in_state_list(b: _Builder, i: int) -> bool:
    """"avec les Etats-Unis, l'Europe, la Russie": a metonym listed right after a state."""
    doc = b.doc
    j = i - 1
    while j >= 0 and doc[j].pos_ == "DET" and i - j <= 2:
        j -= 1
    if j < 1 or doc[j].text not in (",", "et"):
        return False
    return any(m.end == j and m.kind == "state" for m in b.mentions) or any(
        m.end == j and m.entry is not None and m.entry.type == "STATE" for m in b.mentions
    )


def _capitals(b: _Builder) -> None:
    """Capitals the NER missed, where a government acts: opening a sentence before its
    verb ("Rabat a signé"), or after avec / entre / et ("avec Rabat")."""
    doc, gaz = b.doc, b.gaz
    for tok in doc:
        i = tok.i
        if i in b.covered or not tok.text[:1].isupper():
            continue
        for size in (3, 2, 1):
            if i + size > len(doc) or not b.free(i, i + size) or doc[i + size - 1].is_punct:
                continue
            ref = _state_ref(gaz, doc[i : i + size].text)
            if ref is None or ref[1] != "metonym":
                continue
            before = lower(doc[i - 1]) if i > 0 else ""
            after = doc[i + size] if i + size < len(doc) else None
            agent = (tok.is_sent_start or before in (",", "et")) and after is not None and (
                after.pos_ in ("VERB", "AUX") or lower(after) in ("et", ",")
            )
            if agent or before in ("avec", "entre") or _in_state_list(b, i):
                st = state_entry(gaz, ref[0])
                if st is not None:
                    b.add(i, i + size, "state", "LOC", entry=st, country=st.country,
                          how="metonym", metonym=True)
            break


def _list_names(b: _Builder, span: Span, surnames: set[str]) -> None:
    """Capitalised items of a list that follows a deal noun through a list cue, when the
    list holds at least one recognised name: each item is a name."""
    doc = b.doc
    sent = span.sent
    k = span.end
    while k < sent.end and k - span.end <= 12 and doc[k].text not in LIST_CUES:
        k += 1
    if k >= sent.end or doc[k].text not in LIST_CUES:
        return
    items: list[tuple[int, int]] = []
    known = 0
    j = k + 1
    while j < sent.end:
        t = doc[j]
        if t.text in (",", "et", "ou") or t.pos_ == "DET" or t.lower_ in ("encore", "aussi"):
            j += 1
            continue
        if j in b.covered:
            m = next((m for m in b.mentions if m.start <= j < m.end), None)
            if m is not None:
                known += 1
                j = m.end
                continue
        run = name_run(doc, j, b.covered, frozenset())
        if run is None or doc[run[0] : run[1]].text in surnames:
            break
        items.append(run)
        j = run[1]
    if known and items:
        for start, end in items:
            if b.free(start, end):
                b.add(start, end, "name", "ORG", how="name_in_slot")


# --------------------------------------------------------------------------- descriptors


def _known_descriptor(
    gaz: Gazetteer, doc: Doc, i: int, end: int, covered: set[int]
) -> tuple[int, GazetteerEntry] | None:
    """A gazetteer descriptor phrase starting at the determiner i ("le créateur de
    Windows", "la firme de Redmond"), longest first: (end token, entry)."""
    phrases = _descriptor_phrases(gaz)
    heads = _descriptor_heads(gaz)
    if i + 1 >= end or lower(doc[i + 1]) not in heads:
        return None
    # "du créateur de Windows" is written "le créateur de Windows" in the gazetteer
    det = {"du": "le", "au": "le", "des": "les", "aux": "les"}.get(doc[i].lower_)
    for k in range(min(end, i + 7), i + 1, -1):
        if any(x in covered for x in range(i, k)):
            continue
        text = f"{det} {doc[i + 1 : k].text}" if det else doc[i:k].text
        entry = phrases.get(norm(text))
        if entry is not None:
            return k, entry
    return None


def _indefinite_apposition(b: _Builder, i: int, end: int) -> int:
    """"une start-up, Dreev, a signé", "un éditeur américain, Kantox,": the name in
    apposition after an indefinite descriptor is a company the NER may have missed.
    Returns the token to go on from."""
    doc, gaz = b.doc, b.gaz
    j = i + 1
    while j < end and doc[j].pos_ == "ADJ" and j - i < 3:
        j += 1
    if j >= end:
        return i + 1
    head = lower(doc[j])
    if j + 2 < end and doc[j + 1].text == "-" and not doc[j].whitespace_:
        head, j = doc[j : j + 3].text.lower(), j + 2
    if not _descriptor_sectors(gaz, head):
        return i + 1
    k, country, _extra, _codes = _modifiers(b, i, j, end)
    if k >= end or doc[k].text != ",":
        return i + 1
    run = name_run(doc, k + 1, b.covered, frozenset())
    if run is None or _person_span(doc, run[0]) or run[1] >= end or doc[run[1]].text not in (
        ",", ")"
    ):
        return i + 1
    b.add(run[0], run[1], "name", "ORG", country=country, descriptor_text=text_of(doc[i:k]),
          how="name_in_slot")
    return run[1]


def _role_head(rules: RuleData, doc: Doc, j: int, end: int) -> int:
    """Length of a state role noun at token j ("Premier ministre", "chef de l'État"), 0 if
    none."""
    roles = rules.actor_words("state_roles")
    for size in (4, 3, 2, 1):
        if j + size <= end and " ".join(lower(t) for t in doc[j : j + size]) in roles:
            return size
    return 0


#: Heads a possessive turns into the company of the one who speaks or leads it ("le
#: responsable a salué l'association de son groupe avec X"), unlike "sa filiale" or "sa
#: chaîne" (something the actor owns).
OWN_COMPANY_HEADS = frozenset({"groupe", "entreprise", "société", "firme", "compagnie",
                               "laboratoire"})


def _descriptors(b: _Builder, context_state: str | None) -> None:
    """State phrases and descriptors: DET + head noun + modifiers, not followed by a name.

    ``context_state``: the country the article is about, the reading of "l'État" or "le
    gouvernement" with no nationality word.
    """
    doc, gaz, rules = b.doc, b.gaz, b.rules
    for sent in b.sents:
        i = sent.start
        while i < sent.end:
            tok = doc[i]
            if i in b.covered or not (tok.pos_ == "DET" or tok.lower_ in CONTRACTED_DETS):
                i += 1
                continue
            if "Yes" in tok.morph.get("Poss") and not (
                i + 1 < sent.end and _role_head(rules, doc, i + 1, sent.end)
            ) and not (i + 1 < sent.end and lower(doc[i + 1]) in OWN_COMPANY_HEADS):
                i += 1  # "sa chaîne", "leur filiale": something the actor owns
                continue  # (not "son homologue israélien": a state)
            if "Ind" in tok.morph.get("Definite") or tok.lower_ in ("un", "une"):
                # "une start-up": a new actor, unnamed unless a name follows in apposition
                i = _indefinite_apposition(b, i, sent.end)
                continue
            known = _known_descriptor(gaz, doc, i, sent.end, b.covered)
            if known is not None:
                k, entry = known  # "le créateur de Windows": the gazetteer says who
                b.add(i, k, "desc", "DESC", entry=entry, country=entry.country,
                      how="descriptor")
                i = k
                continue
            j = i + 1
            while j < sent.end and doc[j].pos_ == "ADJ" and j - i < 3 and not (
                doc[j].lower_ == "premier" and _role_head(rules, doc, j, sent.end)
            ):
                j += 1
            if j >= sent.end or j in b.covered:
                i += 1
                continue
            role = _role_head(rules, doc, j, sent.end)
            head = doc[j + role - 1] if role else doc[j]
            head_l = lower(head)
            if (
                not role
                and j + 2 < sent.end
                and doc[j + 1].text == "-"
                and not head.whitespace_
                and not doc[j + 1].whitespace_
            ):
                compound = doc[j : j + 3].text.lower()  # "start-up", "joint-venture"
                if _descriptor_sectors(gaz, compound):
                    head_l, j = compound, j + 2
                    head = doc[j]
            if (
                not role
                and head_l in rules.actor_words("independent_roles")
                and lower(tok) in ("le", "la", "l'")
            ):
                # "l'influenceuse", "le réalisateur": a person named before, not a name after
                k2 = j + 1
                while k2 < sent.end and doc[k2].pos_ == "ADJ" and k2 - j <= 2:
                    k2 += 1
                if k2 >= sent.end or not (_capitalised(doc[k2]) or k2 in b.covered):
                    b.add(i, k2, "desc", "DESC", how="descriptor", sectors=frozenset({"person"}))
                    i = k2
                    continue
            is_state = bool(role) or (head_l in STATE_HEADS and head.pos_ in ("NOUN", "PROPN"))
            sectors = (
                frozenset()
                if role
                else _descriptor_sectors(gaz, head_l)
                or _descriptor_sectors(gaz, head.lemma_)
                or (
                    _descriptor_sectors(gaz, doc[j : j + 2].text)  # "réseau social"
                    if j + 1 < sent.end and doc[j + 1].pos_ in ("ADJ", "NOUN")
                    else frozenset()
                )
            )
            if not is_state and not sectors:
                i += 1
                continue
            k, country, extra, compound_codes = _modifiers(b, i, head.i, sent.end)
            span_tokens = doc[i:k]
            if k < sent.end and (k in b.covered or (k + 1 in b.covered and not doc[k].is_punct)):
                # "le géant américain Amazon", "le Premier ministre israélien Benjamin
                # Netanyahu": apposition, the name is the mention.
                i = k
                continue
            run = name_run(doc, k, b.covered, frozenset()) if k < sent.end else None
            if run is not None and _person_span(doc, run[0]):
                run = None  # "les actrices Valérie Lemercier et X": persons
            if run is not None and not is_state:
                # a name the NER missed, introduced by a descriptor: the name is the mention
                b.add(run[0], run[1], "name", "ORG", country=country,
                      descriptor_text=text_of(doc[i:k]), how="name_in_slot")
                i = run[1]
                continue
            if not is_state and (
                tok.lower_ in ("les", "des", "ces", "aux", "leurs", "nos", "vos")
                or head.morph.get("Number") == ["Plur"]
            ):
                i = k  # "les géants américains": a set of actors, not one
                continue
            if is_state:
                _state_phrase(b, i, k, head_l, role, country, context_state, span_tokens)
                i = k
                continue
            known_entry = _descriptor_phrases(gaz).get(norm(span_tokens.text))
            b.add(i, k, "desc", "DESC", entry=known_entry, country=country,
                  sectors=(sectors | extra) - {"any"}, countries=compound_codes,
                  how="descriptor")
            i = k


def _person_span(doc: Doc, i: int) -> bool:
    """Token i starts a person's name of two words or more (as the NER tagged it)."""
    t = doc[i]
    if t.ent_type_ != "PER" or t.ent_iob_ != "B":
        return False
    return i + 1 < len(doc) and doc[i + 1].ent_type_ == "PER" and doc[i + 1].ent_iob_ == "I"


def _modifiers(
    b: _Builder, i: int, j: int, end: int
) -> tuple[int, str | None, frozenset[str], frozenset[str]]:
    """End of a descriptor's modifiers (adjectives, nationality words, "de + noun"
    complements) after its head j, its country, extra sectors and compound countries."""
    doc, gaz = b.doc, b.gaz
    k = j + 1
    while k < end and k - j <= 6 and k not in b.covered:
        t = doc[k]
        if t.text[:1].isupper() and not _nationality(gaz, t.text):
            break  # a name after the descriptor ("la biotech française Cellectis")
        if t.pos_ == "ADJ" or (t.lower_ == "et" and k + 1 < end and doc[k + 1].pos_ == "ADJ"):
            k += 1
            continue
        if t.text == "-" and not t.whitespace_ and k + 1 < end and not doc[k - 1].whitespace_ and (
            _nationality(gaz, doc[k + 1].text) or doc[k + 1].pos_ == "ADJ"
        ):
            k += 2  # "suédo-britannique" split by the tokenizer
            continue
        if (
            t.lower_ in ("de", "du", "des", "d'", "d’", "en")
            and k + 1 < end
            and (doc[k + 1].pos_ == "NOUN" and k + 1 not in b.covered)
        ):
            k += 2
            continue
        if (
            t.lower_ in ("de", "d'", "d’")
            and k + 1 < end
            and k + 1 not in b.covered
            and (_descriptor_phrases(gaz).get(norm(doc[i : k + 2].text)))
        ):
            k += 2  # "le géant de Redmond", "le créateur de Windows"
            continue
        if t.lower_ in ("spécialisé", "spécialisée", "spécialisés") and k + 2 < end:
            k += 1
            continue
        break
    country = None
    compound: frozenset[str] = frozenset()
    extra: set[str] = set()
    for t in doc[i:k]:
        nat = _nationality(gaz, t.text)
        if nat:
            country = country or nat
        elif "-" in t.text:
            compound = frozenset(gaz.nationality_codes(t.text))  # "franco-italien"
        if t.i > j and t.pos_ in ("NOUN", "ADJ"):
            extra |= _descriptor_sectors(gaz, t.lower_) | gaz.topic_sectors(t.lower_)
    extra |= _descriptor_sectors(gaz, doc[i:k].text)
    return k, country, frozenset(extra), compound


def _state_phrase(
    b: _Builder,
    i: int,
    k: int,
    head_l: str,
    role: int,
    country: str | None,
    context_state: str | None,
    span_tokens: Span,
) -> None:
    """A state phrase: "le gouvernement allemand", "l'État", "le Premier ministre
    israélien", "les autorités de l'Oregon" (a state of the gazetteer after "de")."""
    doc, gaz = b.doc, b.gaz
    if head_l == "pays" and country is None:
        return  # "le pays": anaphoric, left to the coreference step
    if country is None and k + 1 < len(doc) and lower(doc[k]) in PREPS_OF:
        # "les autorités de l'Oregon", "le gouvernement du Mali"
        n = k + 1
        if n < len(doc) and doc[n].lower_ in ("la", "l'", "l’"):
            n += 1
        other = next((m for m in b.mentions if m.start == n and (
            m.kind == "state" or (m.entry is not None and m.entry.type in ("STATE", "GOV"))
        )), None)
        if other is not None:
            return  # the state or region named after "de" is the mention
        if n < len(doc) and doc[n].ent_type_ == "PER":
            # "le gouvernement de Donald Trump": the state the person acts for (coref)
            end = n
            while end < len(doc) and doc[end].ent_type_ == "PER":
                end += 1
            b.add(i, end, "desc", "DESC", how="state_phrase", of_person=n)
            return
        if n < len(doc):
            entry = gaz.lookup(doc[n].text)
            if entry is not None and entry.type == "STATE":
                b.add(i, n + 1, "state", "LOC", entry=entry, country=entry.country,
                      how="state_phrase")
                return
    head_of_state = role and k < len(doc) and doc[k].ent_type_ == "PER" and head_l in (
        "président", "présidente", "chancelier", "chancelière", "roi", "reine", "émir",
        "premier ministre", "première ministre", "monarque"
    )  # "le président Donald Trump": the head of the state the article is about
    if country is None and (
        head_l in CONTEXT_STATE_HEADS | {"ministre", "premier ministre"} or head_of_state
    ):
        if any(t.lower_ in ("français", "française") for t in span_tokens):
            country = "FR"
        elif k - i <= 2 + max(role - 1, 0) or head_l == "ministre":
            country = context_state or "FR"
    entry = state_entry(gaz, country)
    if entry is None:
        return
    b.add(i, k, "state", "LOC", entry=entry, country=country,
          how="person_role" if role else "state_phrase")


# --------------------------------------------------------------------------- persons


def _persons(b: _Builder, persons: Iterable[tuple[int, int]]) -> None:
    """Every person the NER found, as a person mention (coref links it to the
    organisation or state it acts for, or marks it as acting for herself)."""
    for start, end in persons:
        if b.free(start, end):
            b.add(start, end, "person", "PER", how="person")


# --------------------------------------------------------------------------- anaphors


def _anaphors(b: _Builder, triggers: list) -> None:
    """Pronouns and plural anaphors that may stand for a party: subject pronouns, "ce
    dernier", possessives of a deal noun ("sa collaboration avec X"), "les deux groupes",
    "tous deux"."""
    doc, rules = b.doc, b.rules
    pronouns = rules.actor_words("subject_pronouns")
    numbers = {str(k).lower(): int(v) for k, v in rules.actors["plural_numbers"].items()}
    heads = {str(w).lower() for ws in rules.actors["plural_heads"].values() for w in ws}
    deal_starts = {span.start for _, span in triggers}
    for tok in doc:
        i = tok.i
        if i in b.covered:
            continue
        low = lower(tok)
        if low in pronouns and tok.pos_ == "PRON":
            b.add(i, i + 1, "pronoun", "PRON", how="pronoun")
            continue
        if low in ("qu'il", "qu'elle", "qu'ils", "qu'elles"):
            b.add(i, i + 1, "pronoun", "PRON", how="pronoun")
            continue
        latest = next(
            (s for s in rules.actor_sequences_from("latest_pronouns", low) if seq_at(doc, i, s)),
            None,
        )
        if latest is not None:
            b.add(i, i + len(latest), "pronoun", "PRON", how="pronoun")
            continue
        if "Yes" in tok.morph.get("Poss") or low in ("son", "sa", "ses", "leur", "leurs"):
            k = i + 1
            while k < len(doc) and doc[k].pos_ in ("ADJ", "ADV") and k - i <= 3:
                k += 1
            if k in deal_starts:
                b.add(i, i + 1, "pronoun", "PRON", how="possessive")
            continue
        if low in ("les", "ces", "des") and i + 2 < len(doc):
            n = numbers.get(doc[i + 1].lower_) or (
                int(doc[i + 1].text) if doc[i + 1].text.isdigit() and len(doc[i + 1].text) == 1
                else None
            )
            if n and lower(doc[i + 2]) in heads and b.free(i, i + 3):
                b.add(i, i + 3, "group", "GROUP", how="plural_anaphor", group_size=n,
                      group_head=lower(doc[i + 2]))
                continue
        both = next(
            (s for s in rules.actor_sequences_from("both_forms", low) if seq_at(doc, i, s)), None
        )
        if both is not None and b.free(i, i + len(both)):
            b.add(i, i + len(both), "group", "GROUP", how="plural_anaphor", group_size=2)


# --------------------------------------------------------------------------- entry point


def _context_state(b: _Builder) -> str | None:
    """The state an article is about: the most named state, France on a tie or none."""
    counts: dict[str, int] = {}
    for m in b.mentions:
        if m.country and not m.metonym and (
            m.kind == "state" or (m.entry is not None and m.entry.type == "STATE")
        ):
            counts[m.country] = counts.get(m.country, 0) + 1
    if not counts:
        return None
    best = max(counts.values())
    top = sorted(c for c, n in counts.items() if n == best)
    return "FR" if "FR" in top else top[0]


def find_mentions(
    doc: Doc,
    gaz: Gazetteer,
    rules: RuleData,
    layout: tuple[list[Span], dict[int, int], list[int]] | None = None,
    triggers: list[tuple[Trigger, Span]] | None = None,
) -> list[ActorMention]:
    """Every actor mention of the article, in text order (see the module docstring).

    ``triggers``: the article's trigger matches (a one-word name the NER tags as a person
    is taken as a company right after one; deal nouns open lists of names).
    """
    sents, sent_of, para_of_sent = layout or doc_layout(doc)
    if triggers is None:
        triggers = triggers_of(doc, rules)
    b = _Builder(doc, gaz, rules, sents, sent_of, para_of_sent)
    trigger_sents = {sent_of.get(span.start) for _, span in triggers}
    spans = repaired_spans(doc, gaz, rules, trigger_sents, sent_of)
    surnames = {doc[e - 1].text for s, e, lab in spans if lab == "PER" and e - s >= 2}
    _institutions(b, spans)
    _demonyms(b)
    persons = _entities(b, spans, triggers)
    _glued_pairs(b)
    _parts(b)
    _acronyms(b)
    _slot_names(b, triggers, surnames)
    _descriptors(b, _context_state(b))
    _persons(b, persons)
    _anaphors(b, triggers)
    political = {n.lower() for n in rules.cue_words("not_events", "political_names")}
    mentions = sorted(
        (m for m in b.mentions if m.text.lower() not in political), key=lambda m: m.start
    )  # a party of politics is no actor of a deal
    naming = rules.actor_words("naming_words")
    mentions = [m for m in mentions if not _named_thing(doc, m, naming)]
    speech = rules.actor_words("speech_verbs")
    for m in mentions:
        j = m.start - 1
        while j >= 0 and doc[j].pos_ == "DET":
            j -= 1
        if j >= 0 and lower(doc[j]) in SOURCE_MARKERS:
            m.source = True
        elif _opinion_holder(doc, rules, m) or _medium_reporting(doc, m, speech):
            m.source = True
    return mentions


def _named_thing(doc: Doc, m: ActorMention, naming: frozenset[str]) -> bool:
    """"une initiative intitulée X", "Baptisé « X », le projet": X names a thing."""
    j = m.start - 1
    while j >= 0 and doc[j].text in ("«", '"', "“", "'", "’"):
        j -= 1
    return m.kind in ("name", "person") and m.entry is None and j >= 0 and lower(doc[j]) in naming


#: Nouns of a medium's own reporting ("des informations de BFMTV", "au micro de RTL").
MEDIUM_NOUNS = frozenset({"information", "informations", "interview", "entretien", "antenne",
                          "micro", "colonnes", "site", "révélations", "enquête"})


def _medium_reporting(doc: Doc, m: ActorMention, speech: frozenset[str]) -> bool:
    """A news medium that reports, not a party: governed by a verb of speech after it ("a
    indiqué à l'AFP", "révèle Le Parisien", "interrogé par franceinfo", "une étude publiée
    dans Les Echos") or by a noun of its reporting ("des informations de BFMTV")."""
    if m.entry is None or m.entry.sector != "media":
        return False
    tok = doc[m.start : m.end].root
    head = tok.head
    if head.lemma_.lower() in MEDIUM_NOUNS and head.i < tok.i:
        return True
    if head.pos_ not in ("VERB", "AUX") or head.lemma_.lower() not in speech:
        return False
    case = {c.lower_ for c in tok.children if c.dep_ == "case"}
    if case and not case & {"à", "au", "aux", "par", "dans", "sur"}:
        return False  # "a démenti tout accord avec X": X is the deal's partner
    return head.i < m.start or tok.dep_.startswith(("obl", "iobj"))


def _opinion_holder(doc: Doc, rules: RuleData, m: ActorMention) -> bool:
    """"Pour le président de X, Y doit être un partenaire": X (or its head) holds an
    opinion, it is no party (a sentence opening with "pour" + a role or the name, then a
    comma)."""
    sent = doc[m.start].sent
    k = sent.start  # "Néanmoins, pour le président de X, ...": after an opening adverb
    while k < m.start and k - sent.start < 3 and (
        doc[k].pos_ in ("ADV", "CCONJ") or doc[k].text == ","
    ):
        k += 1
    if lower(doc[k]) != "pour" or m.start - k > 8:
        return False
    between = doc[k + 1 : m.start]
    roles = rules.actor_words("executive_roles") | rules.actor_words("state_roles")
    if between and not any(lower(t) in roles for t in between) and any(
        t.pos_ not in ("DET", "ADP") for t in between
    ):
        return False
    return m.end < sent.end and doc[m.end].text == ","

"""Finding actor mentions in a parsed article.

Names (statistical NER and the gazetteer ruler), names the NER missed in the slots where a
party is expected ("avec X", "la fintech X"), state phrases ("le gouvernement", "Bercy")
and descriptors ("le pétrolier français", "le créateur de Windows"), each with its country
and sectors when the text or the gazetteer says them.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from ..gazetteer import Gazetteer, GazetteerEntry
from ..layout import doc_layout, lower
from ..rules import RuleData, Trigger
from ..triggers import triggers_of
from .model import ActorMention

#: Entity labels of spaCy fr that can be parties (persons never are: a minister signs for
#: the state, and the state phrase is found separately).
PARTY_LABELS = frozenset({"ORG", "LOC", "MISC", "GPE"})


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
    from ..gazetteer import normalise_name

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


#: Words that introduce who reports a fact ("selon Reuters", "d'après Le Parisien").
SOURCE_MARKERS = frozenset({"selon", "d'après", "d’après"})


STATE_HEADS = frozenset(
    {"gouvernement", "état", "etat", "exécutif", "autorités", "pays", "ministère"}
)


def find_mentions(
    doc: Doc,
    gaz: Gazetteer,
    rules: RuleData,
    layout: tuple[list[Span], dict[int, int], list[int]] | None = None,
    triggers: list[tuple[Trigger, Span]] | None = None,
) -> list[ActorMention]:
    """Names (NER + gazetteer), state phrases and descriptors, in text order.

    ``triggers``: the article's trigger matches; a one-word name the NER tags as a person is
    taken as a company only right after one ("un partenariat avec Regeneron").
    """
    sents, sent_of, para_of_sent = layout or doc_layout(doc)
    if triggers is None:
        triggers = triggers_of(doc, rules)
    deal_slots = {
        k
        for _, span in triggers
        for k in range(span.end, min(span.end + TRIGGER_SLOT, span.sent.end))
    }
    political = {n.lower() for n in rules.cue_words("not_events", "political_names")}

    mentions: list[ActorMention] = []
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
                    ActorMention(
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
        m = ActorMention(
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
                    ActorMention(
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
                ActorMention(
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
                    ActorMention(
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
                    and (_descriptor_phrases(gaz).get(norm(doc[i : k + 2].text)))
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
                    ActorMention(
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
                    ActorMention(
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
            known = _descriptor_phrases(gaz).get(norm(text))
            mentions.append(
                ActorMention(
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
        if j >= 0 and lower(doc[j]) in SOURCE_MARKERS:
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


def norm(text: str) -> str:
    from ..gazetteer import normalise_name

    return normalise_name(text)

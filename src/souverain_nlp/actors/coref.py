"""What each mention stands for (coreference without a statistical model).

The coreference library spaCy users reach for (coreferee) ships no French model that
installs here; the links are made by rules over the parse and the lexicon of
``models/actors.yaml``, in this order:

1. persons: "Catherine Pégard, présidente du château de Versailles", "le PDG de Renault,
   X", "le Premier ministre israélien Benjamin Netanyahu" stand for the organisation or the
   state they act for; "l'artiste X" acts for herself; a surname repeats its full name;
2. descriptors: the nearest compatible named actor (country and sector agree), in the same
   paragraph first, then the previous paragraph's subjects, then the next sentence;
3. pronouns: a subject pronoun stands for the subject of the main clause it depends on or,
   at the start of a statement, for the subject of the previous sentence; "ce dernier" for
   the last actor named; a possessive of a deal noun ("sa collaboration avec X") for the
   subject of its clause;
4. plural anaphors: "les deux groupes", "ces trois pays", "tous deux" stand for the last two
   (three...) distinct actors named before, states for state heads ("pays", "dirigeants").
"""

from __future__ import annotations

import dataclasses
import re

from spacy.tokens import Doc, Span, Token

from ..gazetteer import Gazetteer
from ..layout import lower
from ..rules import RuleData
from .model import ActorMention
from .names import PREPS_OF, norm, state_entry

#: Descriptors of a young company: the gazetteer lists established actors, so a
#: "start-up" is an actor it does not know (unless the entry itself is called one).
YOUNG_HEADS = ("start up", "startup", "jeune pousse", "pepite")
#: Words between a person's name and her role ("X, nouvelle présidente de Y").
ROLE_FILLERS = frozenset({"le", "la", "l'", "les", "nouveau", "nouvelle", "ancien", "ancienne",
                          "actuel", "actuelle", "futur", "future", "premier", "première", "co",
                          "vice", "jeune", "célèbre", "grand", "grande", "américain"})
#: Verbs whose subject "il" is impersonal ("il faut", "il s'agit").
IMPERSONAL = frozenset({"falloir", "agir", "sembler", "paraître", "exister", "pleuvoir",
                        "rester", "manquer", "suffire", "valoir"})
#: Sentences back a plural anaphor or "ce dernier" looks for its actors.
ANAPHOR_WINDOW = 3


def resolve_actors(
    doc: Doc, mentions: list[ActorMention], gaz: Gazetteer, rules: RuleData,
    sents: list[Span],
) -> None:
    """Resolve every person, descriptor, pronoun and plural anaphor, in place."""
    _short_forms(mentions, rules)
    _persons(doc, mentions, gaz, rules)
    _governments_of_persons(doc, mentions)
    resolve_descriptors(doc, mentions, gaz)
    _pronouns(doc, mentions, rules, sents)
    _plural_anaphors(doc, mentions, sents)


# --------------------------------------------------------------------------- short forms


def _short_forms(mentions: list[ActorMention], rules: RuleData) -> None:
    """An unknown name that ends an institution's name of the same article stands for it:
    "Oxford" after "l'université Oxford", "Vigamus" after "la Fondation Vigamus"."""
    heads = rules.actor_words("institution_heads")
    longs = [m for m in mentions if m.kind == "name" and m.entry is None and m.alias_of is None
             and (m.how == "institution" or m.text.split(" ", 1)[0].lower() in heads)]
    if not longs:
        return
    for m in mentions:
        one_word_person = m.kind == "person" and " " not in m.text.strip()
        if (m.kind != "name" and not one_word_person) or m.entry is not None or (
            m.how == "institution" or m.source
        ):
            continue
        short = m.text.lower()
        cands = [L for L in longs if _head_and(L.text.lower().replace("’", "'"), short)]
        if len({c.text.lower() for c in cands}) == 1:  # one long form, else ambiguous
            m.same_as = cands[0]
            if one_word_person:  # "Tulane" after "l'université Tulane": no person
                m.kind, m.label, m.how = "name", "ORG", "name"


def _head_and(long: str, short: str) -> bool:
    """One head word and the name: "université oxford", "fondation de x", "institut d'x"."""
    head, _, rest = long.partition(" ")
    if not head or head.endswith("'"):
        return False
    if rest.startswith("d'"):
        rest = rest[2:]
    elif rest.split(" ", 1)[0] in ("de", "du", "des"):
        rest = rest.split(" ", 1)[1] if " " in rest else ""
    return rest == short


# --------------------------------------------------------------------------- persons


def _role_at(doc: Doc, i: int, end: int, words: frozenset[str]) -> int:
    """Length of a role word or phrase of ``words`` starting at token i (0 if none)."""
    for size in (4, 3, 2, 1):
        if i + size <= end and " ".join(lower(t) for t in doc[i : i + size]) in words:
            return size
    return 0


def _mention_starting(mentions: list[ActorMention], i: int) -> ActorMention | None:
    return next((m for m in mentions if m.start == i and m.kind in ("name", "state")), None)


def _synthetic_state(gaz: Gazetteer, m: ActorMention, country: str) -> ActorMention | None:
    entry = state_entry(gaz, country)
    if entry is None:
        return None
    return ActorMention(m.start, m.end, entry.name, "state", "LOC", m.sent, m.para,
                        entry=entry, country=country, how="person_role")


def _org_after(doc: Doc, mentions: list[ActorMention], k: int, end: int) -> ActorMention | None:
    """The organisation or state named right after a role: "de Renault", "du château de
    Versailles", "de la SNCF"."""
    if k < end and lower(doc[k]) in PREPS_OF:
        k += 1
        if k < end and lower(doc[k]) in ("la", "l'", "le"):
            k += 1
        return _mention_starting(mentions, k)
    return None


def _persons(doc: Doc, mentions: list[ActorMention], gaz: Gazetteer, rules: RuleData) -> None:
    """Link each person to the organisation or state she acts for, or mark her as acting
    for herself (see the module docstring)."""
    executive = rules.actor_words("executive_roles")
    state_roles = rules.actor_words("state_roles")
    independent = rules.actor_words("independent_roles")
    all_roles = executive | state_roles | independent
    by_end = {m.end: m for m in mentions if m.kind == "state" and m.how == "person_role"}
    seen: dict[str, ActorMention] = {}
    for p in mentions:
        if p.kind != "person":
            continue
        # a role phrase right before: "le Premier ministre israélien Benjamin Netanyahu"
        before = by_end.get(p.start) or (
            by_end.get(p.start - 1) if p.start > 0 and doc[p.start - 1].text == "," else None
        )
        if before is not None:
            p.resolved, p.how = before, "person_role"
            seen[p.text.split()[-1]] = p
            continue
        if _role_before(doc, mentions, p, executive, independent, all_roles):
            seen[p.text.split()[-1]] = p
            continue
        if _role_after(doc, mentions, p, gaz, executive, state_roles, independent):
            seen[p.text.split()[-1]] = p
            continue
        earlier = seen.get(p.text.split()[-1]) if p.end - p.start == 1 or p.text in seen else None
        if earlier is None:
            earlier = next((q for q in seen.values() if q.text == p.text), None)
        if earlier is not None:
            p.resolved, p.independent, p.how = earlier.resolved, earlier.independent, earlier.how
        elif len(p.text.split()) >= 2:
            seen.setdefault(p.text.split()[-1], p)


def _role_before(
    doc: Doc, mentions: list[ActorMention], p: ActorMention, executive: frozenset[str],
    independent: frozenset[str], all_roles: frozenset[str],
) -> bool:
    """"le PDG de Renault, X", "le patron d'Apple Tim Cook", "l'artiste X"."""
    lo = max(0, p.start - 8)
    for i in range(p.start - 1, lo - 1, -1):
        size = _role_at(doc, i, p.start, all_roles)
        if not size:
            if doc[i].is_punct and doc[i].text != ",":
                return False
            continue
        role = " ".join(lower(t) for t in doc[i : i + size])
        k = i + size
        if role in independent:
            gap = doc[k : p.start]
            if all(t.pos_ in ("ADJ",) or t.text == "," or lower(t) in ROLE_FILLERS for t in gap):
                p.independent, p.how = True, "person"
                return True
            return False
        if role in executive:
            org = _org_after(doc, mentions, k, p.start)
            if org is not None and org.end <= p.start and org.end >= p.start - 2:
                p.resolved, p.how = org, "person_role"
                return True
        return False
    return False


def _role_after(
    doc: Doc, mentions: list[ActorMention], p: ActorMention, gaz: Gazetteer,
    executive: frozenset[str], state_roles: frozenset[str], independent: frozenset[str],
) -> bool:
    """"Catherine Pégard, présidente du château de Versailles", "Angela Merkel, chancelière
    allemande", "Chris Corbould, un spécialiste des effets spéciaux"."""
    k = p.end
    if k >= len(doc) or doc[k].text not in (",", "(", "-", "–"):
        return False
    k += 1
    while k < len(doc) and (lower(doc[k]) in ROLE_FILLERS or doc[k].lower_ in ("un", "une")):
        k += 1
    for words, kind in ((executive, "executive"), (state_roles, "state"),
                        (independent, "independent")):
        size = _role_at(doc, k, len(doc), words)
        if not size:
            continue
        j = k + size
        if kind == "independent":
            p.independent, p.how = True, "person"
            return True
        nat = None
        while j < len(doc) and doc[j].pos_ == "ADJ" and j - k - size < 3:
            nat = nat or gaz.nationality(doc[j].text)
            j += 1
        org = _org_after(doc, mentions, j, len(doc))
        if org is not None:
            p.resolved, p.how = org, "person_role"
            return True
        if nat is not None and kind == "state":
            state = _synthetic_state(gaz, p, nat)
            if state is not None:
                p.resolved, p.how = state, "person_role"
                return True
        return False
    return False


def _governments_of_persons(doc: Doc, mentions: list[ActorMention]) -> None:
    """"le gouvernement de Donald Trump": the state that person acts for, when the text
    says it ("le président américain Donald Trump")."""
    persons = [m for m in mentions if m.kind == "person"]
    for m in mentions:
        if m.of_person is None:
            continue
        last = doc[m.end - 1].text
        named = next((q.named for q in persons if q.named is not None and
                      q.text.split()[-1] == last and q.named.kind == "state"), None)
        if named is not None and named.kind == "state":
            m.resolved = named


# --------------------------------------------------------------------------- descriptors


def _compatible(desc: ActorMention, cand: ActorMention) -> bool:
    if cand.kind == "desc" or cand.alias_of is not None:
        return False
    if (
        cand.entry is not None
        and any(h in norm(desc.text) for h in YOUNG_HEADS)
        and not any(any(h in norm(d) for h in YOUNG_HEADS) for d in cand.entry.descriptors)
    ):
        return False
    if cand.kind in ("state", "person") or (cand.entry is not None and cand.entry.type == "STATE"):
        return False
    if (
        cand.entry is not None
        and cand.entry.type in ("INTL", "GOV")
        and "public" not in desc.sectors
    ):
        return False  # "le groupe", "le laboratoire": a company, not a public body
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


#: ``doc.user_data`` key of the article's headline when the body leaves it out (a page's
#: heading); known actors named there are the last candidates of a descriptor.
TITLE_KEY = "souverain_title"
#: Longest name looked up in a headline (words).
TITLE_NGRAM = 4


def _title_actors(doc: Doc, gaz: Gazetteer | None) -> list[ActorMention]:
    """Known companies and organisations a headline left out of the body names, in order."""
    title = doc.user_data.get(TITLE_KEY) if gaz is not None else None
    if not title:
        return []
    words = [w.strip(".,;:!?«»\"“”()'’") for w in str(title).split()]
    out: list[ActorMention] = []
    seen: set[str] = set()
    i = 0
    while i < len(words):
        for n in range(min(TITLE_NGRAM, len(words) - i), 0, -1):
            text = " ".join(words[i : i + n])
            if not text[:1].isupper():
                continue
            entry = gaz.lookup(text)
            if entry is None or entry.type in ("STATE",) or entry.id in seen:
                continue
            entry = gaz.canonical(entry)
            seen.add(entry.id)
            out.append(ActorMention(0, 0, entry.name, "name", "ORG", 0, 0, entry=entry,
                                    country=entry.country,
                                    sectors=frozenset({entry.sector}) if entry.sector
                                    else frozenset(), how="name"))
            i += n - 1
            break
        i += 1
    return out


def resolve_descriptors(doc: Doc, mentions: list[ActorMention],
                        gaz: Gazetteer | None = None) -> None:
    """Link each descriptor to the named actor it stands for, in place.

    Candidates, in this order, the first one compatible in country and sector winning:
    names of the same paragraph before the descriptor (subjects first, then nearest
    first: "le groupe" is the actor the paragraph is about, not a list item); the previous
    paragraph, its subjects first (the actor it was about), nearest first; the subjects
    of earlier paragraphs, the title and lead first; then names after it up to the next
    sentence, except those in a partner or source slot ("avec Google", "selon Les Echos":
    another actor).  A descriptor already resolved stands for its actor where it
    is ("le laboratoire tricolore ... le groupe"); sources are never candidates.
    """
    titled = _title_actors(doc, gaz)
    for m in mentions:
        if m.kind != "desc" or m.of_person is not None:
            continue
        if "person" in m.sectors:
            # "l'influenceuse": the latest person before who acts for herself
            m.resolved = next(
                (c for c in reversed(mentions) if c.kind == "person" and c.start < m.start
                 and c.independent), None
            )
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
        # earlier paragraphs, the title and lead first: the actor the article is about
        earlier = [c for c in cands if c[2] < m.para and c not in prev_para and c[3]]
        earlier.sort(key=lambda c: (c[2] != 0, -c[0]))
        before.sort(key=lambda c: (not c[3], -c[0]))  # subjects first, nearest first
        # "la Fédération" ... the name that holds its head noun ("Fédération française de
        # football"), nearest first, wherever it stands before
        head = _head_word(doc, m)
        named_head = [c for c in cands if c[0] < m.start and head and head in
                      norm(c[4].text).split()]
        named_head.sort(key=lambda c: -c[0])
        # an article that opens with a descriptor ("Le laboratoire français s'associe
        # avec ...") names its actor later: the first compatible subject after it
        opening = (
            [c for c in cands if c[0] >= m.end and c[3] and c[4].kind == "name"
             and not _partner_slot(doc, c[0])]
            if m.para <= 1 and not any(c[0] < m.start for c in cands)
            else []
        )
        for pool in (named_head, before, prev_para, earlier, after, opening):
            found = next((c[4] for c in pool if _compatible(m, c[4])), None)
            if found is not None:
                m.resolved = found
                break
        if m.resolved is None and titled:
            # the page's headline, left out of the body: "Aston Martin rend hommage à
            # Zagato" ... "le constructeur britannique"
            found = next((c for c in titled if _compatible(m, c)), None)
            if found is not None:  # no antecedent sentence in the body
                m.resolved = dataclasses.replace(found, sent=m.sent, para=m.para)


def _head_word(doc: Doc, m: ActorMention) -> str | None:
    """The head noun of a descriptor ("fédération" in "La Fédération"), normalised."""
    for t in doc[m.start : m.end]:
        if t.pos_ in ("NOUN", "PROPN") and t.text[:1].isalpha():
            return norm(t.text)
    return None


def _is_subject(doc: Doc, m: ActorMention) -> bool:
    """The mention is a subject, or in apposition to one ("Le laboratoire français Sanofi")."""
    return any(
        t.dep_.startswith("nsubj")
        or t.dep_ in ("appos", "flat:name", "flat", "nmod", "compound", "amod")
        and t.head.dep_.startswith("nsubj")
        for t in doc[m.start : m.end]
    )


def _partner_slot(doc: Doc, start: int) -> bool:
    """A name right after "avec", "entre", "selon"... (within three words), or coordinated
    with one ("avec Pfizer, Merck et Novartis")."""
    preps = ("avec", "entre", "selon", "d'après", "auprès")
    if any(lower(t) in preps for t in doc[max(0, start - 3) : start]):
        return True
    j = start - 1  # back over the list: names, commas, "et", determiners
    while j >= 0 and start - j <= 15 and (
        doc[j].text in (",", "/") or lower(doc[j]) in ("et", "ou", "l'", "le", "la", "les")
        or doc[j].pos_ == "PROPN" or doc[j].text[:1].isupper()
    ):
        j -= 1
    return j >= 0 and j < start - 1 and lower(doc[j]) in preps


# --------------------------------------------------------------------------- pronouns


def _party(m: ActorMention | None) -> bool:
    """A mention that stands for an actor and can be an antecedent."""
    return m is not None and not m.source and m.alias_of is None and (
        m.named is not None or bool(m.members)
    )


def _mention_of(mentions: list[ActorMention], tok: Token) -> ActorMention | None:
    for m in mentions:
        if m.start <= tok.i < m.end:
            return m
    return None


def _subject_of(doc: Doc, mentions: list[ActorMention], verb: Token) -> ActorMention | None:
    """The actor mention that is the subject of a verb (or in its subject's subtree); for a
    verb with no subject of its own, the subject of the verb it complements ("X vient de
    prolonger son partenariat")."""
    cur = verb
    for _ in range(3):
        for child in cur.children:
            if child.dep_ in ("nsubj", "nsubj:pass"):
                m = _mention_of(mentions, child)
                if m is None:
                    for t in child.subtree:
                        m = _mention_of(mentions, t)
                        if m is not None:
                            break
                return m
        if cur.dep_ not in ("xcomp", "ccomp", "conj") or cur.head.i == cur.i:
            break
        cur = cur.head
    return None


def _clause_verb(tok: Token) -> Token:
    v = tok
    for _ in range(4):
        if v.pos_ in ("VERB", "AUX") or v.head.i == v.i:
            break
        v = v.head
    return v


def previous_subject(
    doc: Doc, mentions: list[ActorMention], sents: list[Span], si: int
) -> ActorMention | None:
    """The subject of sentence ``si`` when it is an actor (what a pronoun of the next
    sentence stands for); None when the subject is something else (a person, a product)."""
    for back in range(PRONOUN_LOOKBACK):
        k = si - back
        if k < 0:
            return None
        found, decided = _subject_if_actor(doc, mentions, sents, k)
        if decided:
            return found
    return None


#: A sentence that ends a quotation ("... sur les vidéos".), not one that opens the next.
CLOSING_QUOTE = re.compile(r"[^\s][»\"”][.!?…]?\s*$")
#: Sentences a subject pronoun looks back over when the ones before it have no subject
#: (a heading, a quote without a verb).
PRONOUN_LOOKBACK = 3


def _subject_if_actor(
    doc: Doc, mentions: list[ActorMention], sents: list[Span], si: int
) -> tuple[ActorMention | None, bool]:
    """(the actor subject of sentence si or None, whether the sentence decides it: False
    when it has no subject at all)."""
    sent = sents[si]
    cands = [m for m in mentions if m.sent == si and _party(m) and m.kind != "pronoun"]
    subjects = [c for c in sent.root.children if c.dep_.startswith("nsubj")]
    # "La youtubeuse X a quitté": the parser may give both words as subjects
    main = next((c for c in subjects if _mention_of(mentions, c) is not None),
                subjects[0] if subjects else None)
    text = sent.text.strip()
    finite = any(t.pos_ in ("VERB", "AUX") and "Fin" in t.morph.get("VerbForm") for t in sent)
    quoted = bool(text) and (text[0] in "«\"“-–" or bool(CLOSING_QUOTE.search(text)))
    if not finite or quoted:
        return None, False  # a heading, a fragment or a quotation: look further back
    return _sentence_subject(doc, mentions, sent, cands, main), True


def _sentence_subject(
    doc: Doc, mentions: list[ActorMention], sent: Span, cands: list[ActorMention],
    main: Token | None,
) -> ActorMention | None:
    if main is not None:
        m = _mention_of(mentions, main)
        if m is None:  # "La youtubeuse X a quitté ...": the name in apposition
            m = next((_mention_of(mentions, c) for c in main.children
                      if c.dep_ in ("appos", "flat:name") and _mention_of(mentions, c)), None)
        if m is None:
            return None  # "Il" is the person or thing the previous sentence is about
        if m.kind == "pronoun":
            return m.resolved if m.resolved is not None and _party(m.resolved) else None
        return m if _party(m) else None
    for m in cands:
        if doc[m.start : m.end].root.dep_.startswith("nsubj"):
            return m
    bare = [m for m in cands if not _after_preposition(doc, m)]
    if bare and bare[0].start - sent.start < 8:
        return bare[0]
    return None


def _after_preposition(doc: Doc, m: ActorMention) -> bool:
    j = m.start - 1
    while j >= 0 and doc[j].pos_ in ("DET", "ADJ", "NOUN") and m.start - j <= 6:
        if doc[j].pos_ == "ADP" or lower(doc[j]) in ("pour", "par", "avec", "chez", "selon"):
            return True
        j -= 1
    return j >= 0 and doc[j].pos_ == "ADP"


def _pronouns(doc: Doc, mentions: list[ActorMention], rules: RuleData, sents: list[Span]) -> None:
    """Resolve subject pronouns, "ce dernier" and possessives of deal nouns."""
    sent_of = {m.start: m.sent for m in mentions}
    for p in mentions:
        if p.kind != "pronoun":
            continue
        tok = doc[p.start]
        low = lower(tok)
        si = sent_of.get(p.start, p.sent)
        if low in ("son", "sa", "ses", "leur", "leurs"):
            verb = _clause_verb(tok.head)
            subj = _subject_of(doc, mentions, verb)
            if subj is not None and subj is not p and _party(subj) and subj.start < p.start:
                p.resolved = subj
            else:
                p.resolved = previous_subject(doc, mentions, sents, si - 1)
            continue
        if p.end - p.start >= 2 or low in ("celui-ci", "celle-ci", "ceux-ci", "celles-ci"):
            # "ce dernier": the last actor named before
            prev = [m for m in mentions if m.end <= p.start and m.sent >= si - 1 and _party(m)
                    and m.kind not in ("pronoun", "group")]
            if prev:
                p.resolved = prev[-1]
            continue
        verb = _clause_verb(tok.head) if tok.head.i != tok.i else tok
        if verb.lemma_.lower() in IMPERSONAL or (
            p.end < len(doc) and doc[p.end].lower_ in ("y", "s'agit")
        ):
            continue
        # "Renault a annoncé qu'il signerait": the subject of the governing clause
        cur, steps = verb, 0
        while cur.dep_ in ("ccomp", "advcl", "xcomp", "conj") and cur.head.i != cur.i and steps < 3:
            cur = cur.head
            steps += 1
            subj = _subject_of(doc, mentions, cur)
            if subj is not None and subj is not p and _party(subj) and subj.start < p.start:
                p.resolved = subj
                break
        if p.resolved is None:
            p.resolved = previous_subject(doc, mentions, sents, si - 1)


# --------------------------------------------------------------------------- plural anaphors


def _plural_anaphors(doc: Doc, mentions: list[ActorMention], sents: list[Span]) -> None:
    """The actors "les deux groupes", "ces trois pays", "tous deux" stand for."""
    state_heads = {"pays", "états", "etats", "gouvernements", "nations", "capitales",
                   "puissances", "voisins", "dirigeants", "chefs", "présidents", "leaders"}
    for g in mentions:
        if g.kind != "group" or not g.group_size:
            continue
        want_state = g.group_head in state_heads
        found: list[ActorMention] = []
        keys: set[str] = set()
        for m in reversed([m for m in mentions if m.end <= g.start]):
            if m.sent < g.sent - ANAPHOR_WINDOW:
                break
            if not _party(m) or m.kind in ("group",):
                continue
            named = m.named
            if named is None:
                continue
            is_state = named.kind == "state" or (
                named.entry is not None and named.entry.type == "STATE"
            )
            if want_state != is_state and g.group_head is not None:
                continue
            if named.key in keys:
                continue
            keys.add(named.key)
            found.append(named)
            if len(found) == g.group_size:
                break
        if len(found) == g.group_size:
            g.members = list(reversed(found))

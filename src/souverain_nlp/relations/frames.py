"""Frames: the ways French tells a deal that the subject-verb-partner rules of ``roles``
do not read.  Each frame is a function of one trigger that returns the events it finds
(``Found``), an empty list when the frame applies but names no pair, or None when it
does not apply (``roles.roles_for`` then reads the trigger).

- role nouns (``partenaire``, ``allié``, ``sponsor``, ``mécène``): "Moderna, partenaire des
  NIH", "Ankara est devenu l'un des principaux partenaires d'Islamabad", "En tant que
  partenaire officiel de X, Y ...", "son partenaire technique X", "le partenaire chinois X",
  "Partenaires depuis 2015, X et Y", "A et B figurent parmi les partenaires de Y";
- compounds after a deal noun: "le partenariat Renault-Nissan", "les alliances
  Oxford/AstraZeneca et Pfizer/BioNTech", "le partenariat de défense France-Inde";
- the owner of a deal noun: "l'alliance de Google avec Thales", "sa collaboration avec X";
- adjuncts of a participle or a product: "un concept développé par X en collaboration avec
  Y", "un modèle conçu en partenariat avec Y" (the maker is the agent, the owner of the
  product, the subject of the sentence that holds the product, or the actor the article is
  about), "opérés en partenariat par A et B", "un hors-bord conçu en partenariat" (the
  coordinated subject).
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from ..actors.model import ActorMention
from ..layout import lower
from ..rules import Trigger
from .context import Context, Found, flatten, mention_at, usable
from .roles import after_prep, expand_group

#: Words between a role noun and its "de" complement ("partenaire historique de",
#: "principal partenaire technique du").
ROLE_MODIFIER_POS = frozenset({"ADJ", "ADV"})
#: Copulas and verbs of being whose attribute a role noun can be.
COPULAS = frozenset({"être", "devenir", "rester", "demeurer", "redevenir", "apparaître",
                     "constituer", "figurer", "compter"})
#: Openers of a role noun fronted before the main clause ("En tant que partenaire de X,").
FRONTING = (("en", "tant", "que"), ("comme",), ("partenaire",), ("partenaires",))
#: Adjunct triggers: a deal told as the manner of making something.
ADJUNCT_TRIGGERS = frozenset({"en_partenariat", "en_collaboration", "de_concert",
                              "avec_aide"})
#: Nouns heading a fronted adverbial phrase ("Après la Valkyrie développée avec X, Y
#: prépare"): the main clause's subject made the thing.
FRONTED_PREPS = frozenset({"après", "avec", "grâce", "outre", "comme", "pour", "dans"})


# --------------------------------------------------------------------------- helpers


def _of_complement(ctx: Context, tok: Token, limit: int) -> ActorMention | None:
    """The actor named by a "de / du / des / pour" complement right after a noun
    (modifiers allowed): "partenaire historique de Renault", "le partenaire idéal pour
    Bugatti"."""
    doc = ctx.doc
    k = tok.i + 1
    while k < limit and (
        doc[k].pos_ in ROLE_MODIFIER_POS
        or lower(doc[k]) == "et"
        or (doc[k].pos_ == "NOUN" and k > tok.i + 1 and lower(doc[k - 1]) == "et")
    ) and k - tok.i <= 5:
        if doc[k].text[:1].isupper():
            break
        k += 1  # "allié et partenaire économique du Bélarus": one complement for both
    if k < limit and lower(doc[k]) in ("de", "d'", "du", "des", "pour", "à", "au", "aux"):
        m = after_prep(ctx, k + 1, min(limit, k + 6))
        if m is not None and usable(m):
            return m
    return None


#: Names of a deal its members are partners of ("les partenaires de l'Alliance").
GROUPINGS = ("alliance", "consortium", "coentreprise", "co-entreprise", "partenariat")


def _grouping(m: ActorMention) -> bool:
    """A mention naming a deal itself ("l'Alliance Renault-Nissan", "le consortium")."""
    text = (m.named.text if m.named is not None else m.text).lower().replace("’", "'")
    first = text.removeprefix("l'").split(" ")[0]
    return first in GROUPINGS or (
        m.entry is not None and m.entry.name.lower().startswith(GROUPINGS)
    )


def _possessor(ctx: Context, tok: Token) -> ActorMention | None:
    """What a possessive determiner of this noun stands for ("son partenaire")."""
    for m in ctx.mentions:
        if m.how == "possessive" and m.start < tok.i and tok.i - m.end <= 3:
            if all(ctx.doc[k].pos_ in ("ADJ", "ADV") for k in range(m.end, tok.i)):
                return m.resolved if m.resolved is not None and usable(m.resolved) else None
    return None


def _mention_before(ctx: Context, i: int, lo: int) -> ActorMention | None:
    """The actor named right before token i, across a comma, an opening parenthesis or
    dash, a determiner and "l'un des" ("Moderna, partenaire", "Nissan - partenaire",
    "CodeGen, l'un des principaux partenaires")."""
    doc = ctx.doc
    k = i - 1
    while k >= lo and doc[k].pos_ in ("ADJ", "ADV"):
        k -= 1  # "l'un des principaux partenaires", "son plus proche allié"
    if k - 1 >= lo and lower(doc[k]) == "et" and doc[k - 1].pos_ in ("NOUN", "ADJ", "PROPN",
                                                                     "VERB"):
        k -= 2  # "plus proche alliée et partenaire": two role nouns for one actor
        while k >= lo and doc[k].pos_ in ("ADJ", "ADV"):
            k -= 1
    if k >= lo and doc[k].pos_ == "NOUN" and k - 1 >= lo and doc[k - 1].text == ",":
        k -= 1  # "le Crédit Mutuel, banque partenaire de X"
    if k >= lo and lower(doc[k]) in ("des", "de", "d'"):
        k -= 1
    while k >= lo and (doc[k].pos_ == "DET" or lower(doc[k]) in ("un", "l'un", "une",
                                                                  "l'une")):
        k -= 1
    if k >= lo and doc[k].text in (",", "(", "-", "–", "—"):
        k -= 1
    else:
        return None
    m = mention_at(ctx, k)
    return m if m is not None and usable(m) else None


def _name_after(ctx: Context, tok: Token, limit: int) -> ActorMention | None:
    """A name right after a role noun and its adjectives ("son partenaire technique X",
    "le partenaire chinois Dongfeng")."""
    doc = ctx.doc
    k = tok.i + 1
    while k < limit and doc[k].pos_ == "ADJ" and k - tok.i <= 3:
        k += 1
    m = mention_at(ctx, k) if k < limit else None
    return m if m is not None and usable(m) and m.kind != "desc" else None


def _subject(ctx: Context, verb: Token) -> ActorMention | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubj:pass"):
            m = mention_at(ctx, child.i)
            if m is None:
                m = next((mention_at(ctx, t.i) for t in child.subtree
                          if mention_at(ctx, t.i) is not None), None)
            return m if m is not None and usable(m) else None
    return None


def _fronted_owner(ctx: Context, si: int) -> ActorMention | None:
    """"Chez PSA, les premiers modèles ...": the actor a sentence opens with after "chez"."""
    sent = ctx.sents[si]
    if lower(sent[0]) != "chez":
        return None
    m = after_prep(ctx, sent.start + 1, min(sent.end, sent.start + 5))
    if m is None or not usable(m):
        return None
    return m if m.end < sent.end and ctx.doc[m.end].text == "," else None


def _main_subject(ctx: Context, si: int) -> ActorMention | None:
    """The actor subject of a sentence: of its root, else of the first verb that depends on
    the root ("Partenaires depuis 2012, X et Y présentent ...": the root is the noun)."""
    sent = ctx.sents[si]
    found = _subject(ctx, sent.root)
    if found is not None:
        return found
    for tok in sent:
        if tok.head.i == sent.root.i and tok.pos_ in ("VERB", "AUX") and tok.i != sent.root.i:
            found = _subject(ctx, tok)
            if found is not None:
                return found
    return None


def topic(ctx: Context) -> ActorMention | None:
    """The actor the article is about: the subject of its title or first sentence, else
    the organisation named most often (twice at least)."""
    cached = getattr(ctx, "_topic", False)
    if cached is not False:
        return cached  # type: ignore[return-value]
    found = None
    for si in range(min(2, len(ctx.sents))):
        m = _main_subject(ctx, si) or next(
            (m for m in ctx.mentions if m.sent == si and m.kind == "name" and usable(m)), None
        )
        named = m.named if m is not None else None
        if named is not None and named.kind != "state" and not (
            named.entry is not None and named.entry.type == "STATE"
        ):
            found = m
            break
    if found is None:
        counts: dict[str, list[ActorMention]] = {}
        for m in ctx.mentions:
            if (
                m.kind == "name"
                and usable(m)
                and m.part_of is None
                and not (m.entry is not None and m.entry.type in ("STATE", "INTL"))
            ):
                counts.setdefault(m.key, []).append(m)
        best = max(counts.values(), key=len, default=[])
        found = best[0] if len(best) >= 2 else None
    ctx._topic = found  # type: ignore[attr-defined]
    return found


def _found(trig: Trigger, tspan: Span, si: int, who: list[ActorMention],
           partners: list[ActorMention], evidence: str, ctx: Context,
           own_clause: bool = True) -> Found:
    sent = ctx.sents[si]
    return Found(trig, tspan, si, flatten(who), flatten(partners), evidence, None,
                 sent.start, sent.end, own_clause)


# --------------------------------------------------------------------------- role nouns


def role_noun(ctx: Context, trig: Trigger, tspan: Span, si: int, stop: int) -> list[Found] | None:
    """Frames of a role noun ("partenaire", "allié", "sponsor", "mécène")."""
    if not trig.role_noun:
        return None
    doc = ctx.doc
    sent = ctx.sents[si]
    tok = tspan[-1]  # the role noun itself ("proche alliée": not the adjective)
    of = _of_complement(ctx, tok, sent.end) or _possessor(ctx, tok)
    # "les partenaires de Y (A, B et C)", "ses partenaires, dont A et B": a list
    from .roles import cue_listed

    plural = tok.morph.get("Number") == ["Plur"] or tok.lower_.endswith("s")
    if plural:
        listed = cue_listed(ctx, tspan, stop)
        owner = of or _fronted_owner(ctx, si) or _main_subject(ctx, si)
        counted = any(c.dep_ == "nummod" or c.like_num for c in tok.children)
        if (owner is None or owner.key in {p.key for p in listed}) and not counted:
            owner = topic(ctx)  # "grâce à des partenaires (A, B)": the article's actor
        if owner is not None and owner.key in {p.key for p in listed}:
            owner = None
        if listed and owner is not None and of is not None and _grouping(of):
            # "les trois partenaires de l'Alliance (A, B et C)": one deal among them
            return [_found(trig, tspan, si, listed[:1], listed[1:], "dep", ctx)]
        if listed and owner is not None:
            return [_found(trig, tspan, si, [owner], [p], "dep", ctx) for p in listed
                    if p.key != owner.key]
    # "X, partenaire de Y" / "X (partenaire de Y)" / "X, l'un des partenaires de Y"
    before = _mention_before(ctx, tspan.start, sent.start)
    if before is None and tspan.start < tok.i:
        before = _mention_before(ctx, tok.i, sent.start)
    if before is not None and of is not None and before.key != of.key:
        return [_found(trig, tspan, si, [of], [before], "dep", ctx)]
    # "X est (l'un des) partenaire(s) de Y", "X figure parmi les partenaires de Y"
    head = tok.head
    cop_verb = None
    if any(c.dep_ == "cop" or (c.dep_ == "aux:pass" and c.lemma_.lower() == "être")
           for c in tok.children):  # "X et Y sont partenaires" (the copula misread as passive)
        cop_verb = tok
    elif head.lemma_.lower() in COPULAS:
        cop_verb = head
    elif head.lower_ in ("un", "une", "l'un", "l'une") and head.head.lemma_.lower() in COPULAS:
        cop_verb = head.head
    elif any(c.dep_ == "cop" for c in head.children) and head.lower_ in ("un", "une", "l'un"):
        cop_verb = head
    if cop_verb is not None:
        subj = _subject(ctx, cop_verb)
        if subj is not None:
            subjects = expand_group(ctx, subj, tspan.start)
            owner = of or (topic(ctx) if tok.lower_.endswith("s") else None)
            if owner is not None:
                return [_found(trig, tspan, si, [owner], [s], "dep", ctx, False)
                        for s in subjects if s.key != owner.key]
            if len(subjects) >= 2 and plural:
                return [_found(trig, tspan, si, subjects[:1], subjects[1:], "dep", ctx, False)]
    # "En tant que partenaire de Y, X ...", "Partenaires depuis 2015, X et Y ..."
    lead = doc[sent.start : tspan.start]
    if len(lead) <= 4 and all(t.pos_ in ("ADP", "ADV", "SCONJ", "DET", "ADJ") or lower(t) in
                              ("tant", "que") for t in lead):
        comma = next((k for k in range(tspan.end, min(sent.end, tspan.end + 15))
                      if doc[k].text == ","), None)
        subj = _main_subject(ctx, si)
        if comma is not None and subj is not None and subj.start > comma:
            if of is not None and subj.key != of.key:
                return [_found(trig, tspan, si, [of], [subj], "dep", ctx)]
            group = expand_group(ctx, subj, sent.end)
            if of is None and len(group) >= 2 and plural:
                return [_found(trig, tspan, si, group[:1], group[1:], "dep", ctx)]
    # "son partenaire technique X", "le partenaire chinois Dongfeng"
    after = _name_after(ctx, tok, sent.end)
    if after is not None:
        owner = of or _fronted_owner(ctx, si) or _main_subject(ctx, si)
        if owner is None or owner.key == after.key:
            owner = topic(ctx)
        if owner is not None and owner.key != after.key:
            return [_found(trig, tspan, si, [owner], [after], "surface", ctx)]
    return []


# --------------------------------------------------------------------------- compounds


def compounds(ctx: Context, trig: Trigger, tspan: Span, si: int, stop: int) -> list[Found] | None:
    """"le partenariat Renault-Nissan", "les alliances Oxford/AstraZeneca et Pfizer/BioNTech",
    "le partenariat de défense France-Inde": the parts of a compound name right after a
    deal noun are its parties, one event per compound."""
    if trig.pos != "noun":
        return None
    doc = ctx.doc
    out: list[Found] = []
    k = tspan.end
    limit = min(stop, tspan.end + 4)
    while k < limit:
        parts, end = pair_at(ctx, k)
        if parts:
            break
        if doc[k].pos_ not in ("ADJ", "NOUN", "ADP", "DET") and doc[k].text not in ("-",):
            return _listed_pairs(ctx, trig, tspan, si, stop)
        k += 1
    else:
        return _listed_pairs(ctx, trig, tspan, si, stop)
    while parts:
        out.append(_found(trig, tspan, si, parts[:1], parts[1:], "dep", ctx, False))
        k = end
        while k < stop and (doc[k].text == "," or lower(doc[k]) in ("et", "ou")):
            k += 1
        parts, end = pair_at(ctx, k) if k < stop else ([], k)
    return out or None


def _listed_pairs(
    ctx: Context, trig: Trigger, tspan: Span, si: int, stop: int
) -> list[Found] | None:
    """"Entreprises ou alliances financées: A, B/C, D/E": after a plural alliance or
    partnership noun and a list cue, each compound of the list is one deal."""
    doc = ctx.doc
    if trig.kind not in ("alliance", "partnership", "collaboration") or not (
        tspan.root.morph.get("Number") == ["Plur"] or tspan.root.lower_.endswith("s")
    ):
        return None
    cue = next((k for k in range(tspan.end, min(stop, tspan.end + 12))
                if doc[k].text in (":", "(") or lower(doc[k]) in ("dont", "comme")), None)
    if cue is None:
        return None
    out = []
    k = cue + 1
    while k < stop:
        parts, end = pair_at(ctx, k)
        if parts:
            out.append(_found(trig, tspan, si, parts[:1], parts[1:], "dep", ctx, False))
            k = end
        else:
            k += 1
    return out or None


def pair_at(ctx: Context, k: int) -> tuple[list[ActorMention], int]:
    """The actors of a compound at token k ("Renault-Nissan" as one name with parts, or
    "Sanofi/GSK" as names glued by a slash or hyphen), and the token after it."""
    doc = ctx.doc
    m = ctx.by_token.get(k)
    if m is None or m.start != k:
        return [], k
    if m.parts:
        parts = [p for p in m.parts if usable(p)]
        return (parts, m.end) if len(parts) >= 2 else ([], k)
    parts = [m]
    end = m.end
    while (
        end + 1 < len(doc)
        and doc[end].text in ("/", "-")
        and not doc[end - 1].whitespace_
        and not doc[end].whitespace_
    ):
        nxt = ctx.by_token.get(end + 1)
        if nxt is None or nxt.start != end + 1 or not usable(nxt):
            break
        parts.append(nxt)
        end = nxt.end
    if len(parts) < 2 or not all(usable(p) for p in parts):
        return [], k
    return parts, end


# --------------------------------------------------------------------------- owners


def noun_owner(ctx: Context, trig: Trigger, tspan: Span) -> ActorMention | None:
    """The actor a deal noun belongs to: "l'alliance de Google avec Thales", "sa
    collaboration avec X" (a possessive of the noun)."""
    if trig.pos != "noun":
        return None
    tok = tspan.root
    doc = ctx.doc
    k = tspan.end
    if len(tspan) > 1 and lower(doc[k - 1]) in ("de", "d'", "d’", "du"):
        k -= 1  # a pattern that takes the preposition in ("association du")
    if k < len(doc) and lower(doc[k]) in ("de", "d'", "d’", "du"):
        m = after_prep(ctx, k + 1, min(len(doc), k + 4))
        nxt = m.end if m is not None else k
        if m is not None and usable(m):
            # "le partenariat de Renault et Nissan avec Google": the owners' list ends there
            nxt = max(g.end for g in expand_group(ctx, m, min(len(doc), m.end + 12)))
        if m is not None and usable(m) and nxt < len(doc) and lower(doc[nxt]) in ("avec", "à"):
            return m
    return _possessor(ctx, tok) or _beneficiary(ctx, tspan)


def _beneficiary(ctx: Context, tspan: Span) -> ActorMention | None:
    """"Il s'agit pour le Royaume-Uni du quatrième accord": the actor after "pour" in an
    impersonal clause before the deal noun."""
    doc = ctx.doc
    sent = tspan.sent
    if not any(lower(t) in ("il", "c'", "ce") for t in doc[sent.start : tspan.start][:3]):
        return None
    for k in range(tspan.start - 1, max(sent.start, tspan.start - 8) - 1, -1):
        if lower(doc[k]) == "pour":
            m = after_prep(ctx, k + 1, tspan.start)
            return m if m is not None and usable(m) else None
    return None


# --------------------------------------------------------------------------- adjuncts

#: Participles of making that open a sentence about a product ("Conçue en collaboration
#: avec X, cette édition ..."); the tagger does not always tag them as verbs there.
MAKING = re.compile(
    r"^(conçu|développé|réalisé|imaginé|produit|fabriqué|construit|créé|mené|organisé|"
    r"proposé|préparé|dessiné|élaboré|pensé|bâti|assemblé|mis|coproduit|codéveloppé|"
    r"cofinancé|financé|lancé)(e|s|es)?$",
    re.IGNORECASE,
)


def opening_participle(tspan: Span) -> bool:
    """The sentence opens with a participle of making right before the trigger."""
    sent = tspan.sent
    return tspan.start - sent.start <= 2 and bool(MAKING.match(sent[0].text))


#: Determiners of a thing the article has already introduced ("ce modèle", "l'application").
DEFINITE = frozenset({"le", "la", "l'", "les", "ce", "cet", "cette", "ces", "son", "sa", "ses",
                      "leur", "leurs"})


def _made_thing(ctx: Context, tspan: Span, si: int) -> bool:
    """The adjunct describes a thing made by someone the sentence does not name: its
    subject is a definite singular noun ("l'application", "ce modèle", "la Valkyrie"), or
    the sentence opens with the participle ("Conçue en collaboration avec X, ...")."""
    sent = ctx.sents[si]
    if (sent[0].pos_ == "VERB" and "Part" in sent[0].morph.get("VerbForm")) or (
        opening_participle(tspan)
    ):
        return True
    subj = next((c for c in sent.root.children if c.dep_.startswith("nsubj")), None)
    if subj is None or subj.pos_ not in ("NOUN", "PROPN") or mention_at(ctx, subj.i):
        return False
    if subj.morph.get("Number") == ["Plur"]:
        return False  # "les plateformes": generic actors, unnamed
    return any(c.dep_ == "det" and lower(c) in DEFINITE for c in subj.children)



def participle_of(tspan: Span) -> Token | None:
    """The participle an adjunct trigger hangs on, if any (public for the status step)."""
    if opening_participle(tspan):
        return tspan.sent[0]
    return _participle_up(tspan.root)


def _participle(tok: Token) -> Token | None:
    """The participle an adjunct trigger hangs on ("développé en collaboration avec"): up
    its heads, else the nearest one before it in the clause (the parser often hangs the
    adjunct on a noun of a long agent: "menées par le Centre ... de l'université de Rome,
    en collaboration avec")."""
    found = _participle_up(tok)
    if found is not None:
        return found
    doc = tok.doc
    for k in range(tok.i - 1, max(tok.sent.start, tok.i - 25) - 1, -1):
        t = doc[k]
        if t.pos_ in ("VERB", "AUX") and "Fin" in t.morph.get("VerbForm"):
            return None  # a finite verb: another clause
        if _bare_participle(t):
            return t
    return None


def _bare_participle(t: Token) -> bool:
    return (
        t.pos_ in ("VERB", "AUX")
        and "Part" in t.morph.get("VerbForm")
        and not any(c.dep_ in ("aux:tense", "aux", "aux:pass", "nsubj") for c in t.children)
    )


def _participle_up(tok: Token) -> Token | None:
    cur = tok
    for _ in range(3):
        if (
            cur.pos_ in ("VERB", "AUX")
            and "Part" in cur.morph.get("VerbForm")
            and not any(c.dep_ in ("aux:tense", "aux", "aux:pass", "nsubj") for c in cur.children)
        ):
            return cur  # not a compound tense ("a annoncé"): a participle of a noun
        if cur.head.i == cur.i:
            return None
        cur = cur.head
    return None


def _unnamed_agent(verb: Token) -> bool:
    """The participle has a "par" agent that names no actor ("par des entreprises")."""
    return any(
        child.dep_ in ("obl:agent",) or (
            child.dep_.startswith("obl") and any(c.lower_ == "par" for c in child.children)
        )
        for child in verb.children
    )


def _agent(ctx: Context, verb: Token) -> ActorMention | None:
    """The "par X" agent of a participle or of the participles coordinated with it
    ("imaginée et mise au point par X")."""
    verbs = [verb, *[c for c in verb.children if c.dep_ == "conj"]]
    if verb.dep_ == "conj":
        verbs.append(verb.head)
    for v in verbs:
        for child in v.children:
            if child.dep_ in ("obl:agent", "obl") and any(
                c.lower_ == "par" for c in child.children
            ):
                m = mention_at(ctx, child.i) or after_prep(
                    ctx, child.left_edge.i, child.right_edge.i + 1
                )
                if m is not None and usable(m):
                    return m
    return None


def adjunct(ctx: Context, trig: Trigger, tspan: Span, si: int, partners: list[ActorMention]
            ) -> tuple[list[ActorMention], bool] | None:
    """Who made the thing an adjunct trigger describes, when the clause has no actor
    subject: the agent of its participle, the owner of the product, the subject of the
    main clause when the product stands in a fronted phrase, the subject of the previous
    sentence, or the actor the article is about; and whether the evidence is strong (an
    agent or an owner: it wins over the clause's subject).  None when the frame does not
    apply or names nobody."""
    if trig.id not in ADJUNCT_TRIGGERS and not (
        trig.pos == "noun" and tspan.start > 0 and lower(ctx.doc[tspan.start - 1]) in
        ("une", "un", "la", "le", "l'") and tspan.start > 1
        and lower(ctx.doc[tspan.start - 2]) in ("à", "grâce")
    ):
        return None
    keys = {p.key for p in partners}
    doc = ctx.doc
    before = mention_at(ctx, tspan.start - 1) if tspan.start > 0 else None
    if before is not None and usable(before) and before.key not in keys:
        k = before.start - 1
        while k >= 0 and doc[k].pos_ == "DET":
            k -= 1
        if k >= 0 and lower(doc[k]) in ("de", "d'", "du", "par"):
            return [before], True  # "celui de l'Université X en coopération avec Y"
    part = _participle(tspan.root)
    verb = tspan.root
    for _ in range(4):
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    if part is None and verb.pos_ == "VERB" and any(c.dep_ == "aux:pass" for c in verb.children):
        agent = _agent(ctx, verb)  # "est proposé par X, en collaboration avec Y"
        if agent is not None and agent.key not in keys:
            return expand_group(ctx, agent, ctx.sents[si].end), True
        if agent is None and _unnamed_agent(verb):
            return [], True  # "étaient exploitées par des compagnies en partenariat avec X"
    if part is not None:
        agent = _agent(ctx, part)
        if agent is not None and agent.key not in keys:
            return expand_group(ctx, agent, ctx.sents[si].end), True
        if _unnamed_agent(part):
            # "exploitées par d'importantes compagnies en partenariat avec X": made by an
            # actor the text does not name, whatever the clause's subject
            return [], True
        noun = part.head if part.dep_.startswith("acl") else None
        if noun is not None:
            owner = _possessor(ctx, noun) or _of_complement(ctx, noun, noun.i + 6)
            if owner is not None and owner.key not in keys:
                return [owner], True
    subj = _main_subject(ctx, si)
    if subj is not None and subj.key not in keys and not subj.metonym:
        return [subj], False
    if not _made_thing(ctx, tspan, si):
        return None
    t = topic(ctx)
    if t is not None and t.key not in keys:
        return [t], False
    return None

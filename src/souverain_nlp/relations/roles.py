"""Roles of a trigger: who (the subject of the governing clause) and with whom.

Partners come after avec / entre / aux côtés de ..., as the object of a choosing verb, or
from coordination; lists of partners make one event each when the trigger is plural or a
listing cue says so; elliptical coordination ("X avec Y en 2018, et Z avec W") makes one
event per pair; the agent of a passive or participle is the chooser.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from ..actors.coref import previous_subject
from ..actors.model import ActorMention
from ..layout import lower, seq_at
from ..rules import Trigger
from .context import (
    CLITICS,
    GENERIC_DETS,
    LIST_OPENERS,
    LIST_POS,
    MAX_COORD_GAP,
    MAX_DESCRIPTOR_GAP,
    MAX_SURFACE_DISTANCE,
    NOMINAL_SUPPORTS,
    OWN_DETS,
    PREPOSITIONS,
    RELATIVE_PRONOUNS,
    SUBJECT_PRONOUNS,
    Context,
    Found,
    flatten,
    governing_chain,
    is_infinitive,
    mention_at,
    passive,
    usable,
)


@dataclass
class Roles:
    who: list[ActorMention] = field(default_factory=list)
    partners: list[ActorMention] = field(default_factory=list)
    evidence: str = "dep"
    antecedent_sent: int | None = None  # sentence an anaphoric subject was resolved into
    distribute: bool = False
    partners_end: int | None = None  # token index after the partner list


def expand_group(ctx: Context, m: ActorMention, limit_end: int) -> list[ActorMention]:
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


def _coordination_gap(gap: Span, ctx: Context) -> bool:
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
    # a whole list item between two commas may be a name that is no actor ("la Chine,
    # l'Amérique latine, le Brésil")
    tail = words[:-1] if len(words) > 1 and words[-1].pos_ == "DET" else words
    item = (
        words[0].text == ","
        and (tail[-1].text == "," or tail[-1].lower_ in ("et", "ou"))
        and len(tail) >= 3
    )
    if item:
        allowed_pos = allowed_pos | {"PROPN", "X"}
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
        if (
            t.lower_ in ("de", "du", "d'", "d’")
            and t.i > 0
            and t.nbor(-1).pos_ == "NOUN"
            and t.i + 1 < len(ctx.doc)
            and t.nbor(1).pos_ == "NOUN"
            and t.nbor(1).text[:1].islower()
            and any(w.lower_ in ("et", "ou") and w.i < t.i for w in words)
        ):
            continue  # "et la chaîne de télévision X": the descriptor's own complement
        if t.text in ("(", ")", ";", ":", "«", "»"):
            return False
        if t.pos_ not in allowed_pos and not (
            t.text[:1].islower() and _nationality_word(ctx, t.text)
        ):  # "et le japonais Fujitsu": a nationality the tagger took for a name
            return False
        content += 1
    return content <= MAX_COORD_GAP


def _nationality_word(ctx: Context, word: str) -> bool:
    try:
        return bool(ctx.gaz.nationality(word))
    except Exception:  # noqa: BLE001 - a lexicon miss is not an error
        return False


def after_prep(ctx: Context, i: int, end: int) -> ActorMention | None:
    """The first party mention at token i or after a few descriptor words."""
    doc = ctx.doc
    k = i
    while k < end and k - i <= MAX_DESCRIPTOR_GAP:
        m = mention_at(ctx, k)
        if m is not None:
            return m
        t = doc[k]
        if t.pos_ in ("DET", "ADJ", "NOUN", "NUM") or t.lower_ in ("et",) or t.is_space:
            k += 1
            continue
        if (
            lower(t) in ("de", "d'", "du")
            and k > i
            and k + 1 < end
            and doc[k + 1].pos_ in ("NOUN", "ADJ")
            and doc[k + 1].text[:1].islower()
        ):
            k += 1  # "la marque de luxe Montblanc", "la société de conseil X"
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
    ctx: Context, trig: Trigger, tspan: Span, stop: int
) -> tuple[list[ActorMention], int | None, str | None]:
    """Partners introduced after the trigger by avec / entre / aux côtés de ..."""
    doc = ctx.doc
    preps = trig.partner_preps or ctx.rules.partner_preps
    # A trigger that ends with its preposition ("en partenariat avec", "avec l'aide de").
    i = tspan.start if tspan[-1].lower_ in ("avec", "de", "du", "des", "d'", "d’") else tspan.end
    if i == tspan.start:
        m = after_prep(ctx, tspan.end, stop)
        if m is not None and usable(m):
            group = expand_group(ctx, m, stop)
            end = group[-1].end
            owned = (lower(tspan[-1]) != "avec" and end < stop
                     and any(seq_at(doc, end, seq) for seq in preps))
            if not owned:
                return group, end, "with"
            # "l'association de X avec Y": X owns the deal noun, Y is the partner
        i = tspan.end
    while i < stop:
        if lower(doc[i]) in ("pour", "afin") and i + 1 < stop and (
            is_infinitive(doc[i + 1]) or lower(doc[i + 1]) == "de"
        ) and i > tspan.end:
            break  # "un contrat pour plaider auprès de X": the purpose's complement
        for seq in preps:
            if seq_at(doc, i, seq):
                m = after_prep(ctx, i + len(seq), stop)
                if m is not None and usable(m):
                    group = expand_group(ctx, m, stop)
                    return group, group[-1].end, "entre" if seq[0] == "entre" else "with"
                if i == tspan.end and trig.pos == "verb" and seq[0] != "entre":
                    # "se sont associés à cet appel": the verb's partner is not an actor
                    listed = (
                        _listed_in_next_sentence(ctx, doc[i].sent)
                        if (i + 1 < stop and lower(doc[i + 1]) in GENERIC_DETS)
                        else []
                    )
                    if listed:
                        return listed, None, "listed"
                    return [], None, "non_party"
        if (
            i + 1 < len(doc)
            and any(seq_at(doc, i, seq) for seq in preps)
            and lower(doc[i + 1]) in GENERIC_DETS
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
    if trig.pos == "noun":
        before = _verb_partner(ctx, tspan)
        if before:
            return before, None, "with"
    return [], None, None


#: Pronouns that stand for a deal noun said just before ("après ceux avec X").
ELIDED = frozenset({"celui", "celle", "ceux", "celles"})


def elided_groups(ctx: Context, tspan: Span, stop: int) -> list[list[ActorMention]]:
    """"le quatrième accord de ce type, après ceux avec A, B et celui avec C/D": the
    partners of the deals demonstrative pronouns stand for, one deal per name (a pair
    glued by a slash is one deal with both)."""
    from .frames import pair_at  # frames build on this module

    doc = ctx.doc
    out: list[list[ActorMention]] = []
    k = tspan.end
    while k + 2 < stop:
        if lower(doc[k]) in ELIDED and lower(doc[k + 1]) == "avec":
            m = after_prep(ctx, k + 2, stop)
            if m is not None and usable(m):
                for g in expand_group(ctx, m, stop):
                    parts, _end = pair_at(ctx, g.start)
                    out.append(parts or [g])
                k = max(k + 2, out[-1][-1].end)
                continue
        k += 1
    return out


def _support_verb_above(ctx: Context, tspan: Span) -> bool:
    """A verb that carries deal nouns ("signer", "conclure") governs the trigger through at
    most one noun, adjective or number the parser put between them ("ont signé des accords",
    "signer un nouveau traité de coopération", "signer le 22 janvier un traité" with the
    date taken for the object)."""
    cur = tspan.root
    for _ in range(2):
        head = cur.head
        if head.i == cur.i:
            return False
        if head.pos_ in ("VERB", "AUX"):
            return head.lemma_.lower() in ctx.rules.mutual_support_verbs
        if head.pos_ not in ("NOUN", "ADJ", "PROPN", "NUM"):
            return False
        cur = head
    return False


def _verb_partner(ctx: Context, tspan: Span) -> list[ActorMention]:
    """"X doit annoncer avec Y et Z un renforcement de l'alliance": the "avec" complement
    of the verb that governs a deal noun, before the noun."""
    verb = next((t for t in governing_chain(tspan.root)[1:4] if t.pos_ == "VERB"), None)
    if verb is None:
        return []
    for child in verb.children:
        if child.i >= tspan.start or not child.dep_.startswith(("obl", "nmod")):
            continue
        if not any(c.dep_ == "case" and lower(c) == "avec" for c in child.children):
            continue
        m = mention_at(ctx, child.i) or after_prep(ctx, child.left_edge.i + 1, child.i + 1)
        if m is not None and usable(m):
            return expand_group(ctx, m, tspan.start)
    return []


#: Words that open a list of the partners a plural deal noun stands for ("ses partenaires,
#: dont A et B", "des accords avec des studios, comme A, B et C", "(A, B et C)").
LIST_CUES = (("dont",), ("comme",), ("notamment",), ("parmi", "lesquels"),
             ("parmi", "lesquelles"), ("tels", "que"), ("telles", "que"), ("tel", "que"),
             ("à", "savoir"), ("(",), (":",), ("en", "particulier"), ("entre", "autres"))
#: Tokens after a deal noun searched for a list cue.
LIST_CUE_WINDOW = 25


def cue_listed(ctx: Context, tspan: Span, stop: int) -> list[ActorMention]:
    """The names a list cue opens after a deal noun, before a new clause: "la plateforme
    paie ses partenaires, qui sont 200, dont A, B et C"; the list must end the phrase (a
    verb right after it makes "dont" a relative pronoun)."""
    doc = ctx.doc
    limit = min(stop, tspan.end + LIST_CUE_WINDOW)
    k = tspan.end
    while k < limit:
        t = doc[k]
        cue = next((seq for seq in LIST_CUES if seq_at(doc, k, seq)), None)
        if cue is not None:
            j = k + len(cue)
            m = after_prep(ctx, j, min(stop, j + 4))
            if m is not None and usable(m):
                group = expand_group(ctx, m, stop)
                end = group[-1].end
                if end >= stop or doc[end].is_punct or lower(doc[end]) in ("et", "ou", "parmi"):
                    return group
        if (
            t.pos_ == "VERB"
            and "Fin" in t.morph.get("VerbForm")
            and not t.dep_.startswith("acl")
            and t.i > tspan.end + 1
        ):
            break  # a new clause: its names are not this deal's
        k += 1
    return []


#: Prepositions that make a deal noun the topic of an opinion ("divisée sur l'accord avec
#: X"): the clause's subject is no party to it.
TOPIC_CASES = frozenset({"sur", "contre", "concernant"})


def topic_of_opinion(tspan: Span) -> bool:
    """A deal noun governed by "sur" / "contre" ("pas unie sur l'accord avec Oracle")."""
    root = tspan.root
    return root.pos_ == "NOUN" and any(
        c.dep_ == "case" and c.lower_ in TOPIC_CASES for c in root.children
    )


def _listed_in_next_sentence(ctx: Context, sent: Span) -> list[ActorMention]:
    """'... travailleront avec différents acteurs. Ces derniers comprennent A, B et C.'"""
    si = ctx.sents.index(sent)
    if si + 1 >= len(ctx.sents):
        return []
    nxt = ctx.sents[si + 1]
    if not any(seq_at(ctx.doc, nxt.start, seq) for seq in LIST_OPENERS):
        return []
    return [
        m
        for m in ctx.mentions
        if m.sent == si + 1 and m.kind == "name" and m.alias_of is None and usable(m)
    ]


def _object_partner(ctx: Context, tspan: Span) -> list[ActorMention]:
    root = tspan.root
    for child in root.children:
        if child.dep_ in ("obj", "iobj", "obl:arg") or (
            child.dep_.startswith("obl")
            and any(c.lower_ in ("à", "au", "aux") for c in child.children)
        ):
            m = mention_at(ctx, child.i) or after_prep(
                ctx, child.left_edge.i, child.right_edge.i + 1
            )
            if m is not None and usable(m):
                return expand_group(ctx, m, _object_end(child, m.end))
    # surface: the first mention right after the verb
    m = after_prep(ctx, tspan.end, min(tspan.end + 6, tspan.sent.end))
    if m is not None and usable(m):
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


def _clause_verb(tok: Token) -> Token:
    v = tok
    steps = 0
    while v.pos_ not in ("VERB", "AUX") and v.head.i != v.i and steps < 4:
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
        if cur.dep_ in ("xcomp", "ccomp", "advcl", "conj", "acl") and cur.head.i != cur.i:
            cur = cur.head
            steps += 1
            continue
        break
    return None


#: Nouns whose "de X" complement controls the infinitive after them ("la décision de X
#: d'abroger", "la volonté de X de nouer").
CONTROL_NOUNS = frozenset({"décision", "volonté", "intention", "choix", "projet", "souhait",
                           "refus", "promesse", "engagement", "annonce", "proposition"})


def _noun_controller(ctx: Context, v: Token) -> ActorMention | None:
    """The actor named by "N de X" right before "de + infinitive" (``v``), N a noun of
    decision or intention."""
    if "Inf" not in v.morph.get("VerbForm"):
        return None
    mark = next((c for c in v.children if c.dep_ == "mark" and lower(c) in ("de", "d'", "d’")),
                None)
    if mark is None or mark.i < 3:
        return None
    m = ctx.by_token.get(mark.i - 1)
    if m is None or m.end != mark.i or m.start < 2:
        return None
    doc = ctx.doc
    prep, noun = doc[m.start - 1], doc[m.start - 2]
    if lower(prep) not in ("de", "d'", "d’", "du") or noun.lemma_.lower() not in CONTROL_NOUNS:
        return None
    return m


def _object_controller(ctx: Context, v: Token, tspan: Span) -> ActorMention | None:
    """"pousser la Turquie à discuter un accord avec la Grèce", "inciter X à signer": the
    object of the verb governing "à + infinitive" controls it."""
    if "Inf" not in v.morph.get("VerbForm") or v.dep_ not in ("xcomp", "advcl", "obl", "ccomp"):
        return None
    if not any(c.dep_ == "mark" and lower(c) in ("à", "a") for c in v.children):
        return None
    obj = next((c for c in v.head.children if c.i < v.i and (
        c.dep_ == "obj" or c.dep_ == "xcomp" and c.pos_ in ("NOUN", "PROPN")
        and not any(g.dep_ == "case" for g in c.children))), None)
    if obj is None:
        return None
    m = mention_at(ctx, obj.i)
    return m if m is not None and m.end <= tspan.start else None


def _acts_for(ctx: Context, subj: Token, m: ActorMention) -> bool:
    """"Le PDG de Renault a signé", "le conseil d'administration de X a approuvé": a role or
    an organ whose "de" complement names the actor acts for it; every noun between the
    subject and the name is a role or an organ, or the subject is a demonym ("les Allemands
    de BMW")."""
    rules = ctx.rules
    words = (rules.actor_words("executive_roles") | rules.actor_words("state_roles")
             | rules.actor_words("organ_nouns"))
    tok = ctx.doc[m.start : m.end].root
    if not any(lower(c) in ("de", "du", "d'", "d’", "des") for c in tok.children
               if c.dep_ == "case"):
        return False
    cur, steps = tok.head, 0
    while steps < 4:
        if cur.pos_ not in ("NOUN", "PROPN", "ADJ"):
            return False
        if lower(cur) not in words and cur.lemma_.lower() not in words and not (
            cur.i == subj.i and _demonym(ctx, cur)
        ):
            return False
        if cur.i == subj.i:
            return True
        cur, steps = cur.head, steps + 1
    return False


def _of_pair(ctx: Context, tspan: Span, stop: int) -> list[ActorMention]:
    """"l'alliance de Renault et de Nissan", "la collaboration de Sanofi et GSK": a
    reciprocal deal noun whose "de" complement coordinates its parties."""
    doc = ctx.doc
    k = tspan.end - 1 if len(tspan) > 1 and lower(tspan[-1]) in ("de", "du", "d'", "d’") \
        else tspan.end
    if k >= stop or lower(doc[k]) not in ("de", "du", "des", "d'", "d’"):
        return []
    m = after_prep(ctx, k + 1, min(stop, k + 5))
    if m is None or not usable(m):
        return []
    group = flatten(expand_group(ctx, m, stop))
    return group if len({g.key for g in group}) >= 2 else []


def _demonym(ctx: Context, tok: Token) -> bool:
    """"les Allemands de BMW": a capitalised plural demonym."""
    return tok.text[:1].isupper() and tok.lower_.endswith(("s", "x")) and _nationality_word(
        ctx, tok.text)


def _previous_subject(ctx: Context, si: int) -> ActorMention | None:
    """The subject of the previous sentence, when it is a party (for "il", "elle")."""
    return previous_subject(ctx.doc, ctx.mentions, ctx.sents, si - 1)


def _after_preposition(ctx: Context, m: ActorMention) -> bool:
    doc = ctx.doc
    j = m.start - 1
    while j >= 0 and doc[j].pos_ in ("DET", "ADJ", "NOUN") and m.start - j <= 6:
        if doc[j].lower_ in PREPOSITIONS:
            return True
        j -= 1
    return j >= 0 and doc[j].lower_ in PREPOSITIONS


def _subject_roles(
    ctx: Context, tspan: Span, si: int, exclude: set[ActorMention], lo: int,
    trig: Trigger | None = None,
) -> tuple[list[ActorMention], str, int | None]:
    """Who: dependency subject of the governing clause, else the nearest name on the left."""
    doc = ctx.doc
    sent = ctx.sents[si]
    # adjuncts ("en collaboration avec") take no name inside a complement as their maker
    only_bare = trig is not None and trig.id in ADJUNCT_IDS
    v = _clause_verb(tspan.root)
    head = tspan.root.head
    if tspan.root.dep_ == "acl" and head.i < tspan.start and head.pos_ in ("NOUN", "PROPN"):
        # "la biotech américaine X, associée à Y": the participle's noun is the actor
        m = mention_at(ctx, head.i) or next(
            (mention_at(ctx, t.i) for t in head.subtree
             if t.i < tspan.start and mention_at(ctx, t.i) is not None), None)
        if m is not None and usable(m) and m not in exclude and not _after_preposition(ctx, m):
            return [m], "dep", None
    controller = _noun_controller(ctx, v) or _object_controller(ctx, v, tspan)
    if controller is not None:
        # "la décision de X d'abroger la coopération avec Y": X's deal, whoever speaks
        ok = usable(controller) and controller not in exclude
        return ([controller] if ok else []), "dep", None
    subj = _dep_subject(v)
    floor = lo  # no surface actor before an unnamed subject of the clause
    if subj is not None and subj.i >= _clause_start(doc, tspan.start, max(lo, sent.start)):
        low = subj.lower_
        if low in RELATIVE_PRONOUNS:
            # antecedent: the mention right before "qui"
            m = mention_at(ctx, subj.i - 1) or mention_at(ctx, subj.head.head.i)
            if m is not None and usable(m) and m not in exclude:
                return [m], "dep", None
        elif low in SUBJECT_PRONOUNS or _kind_at(ctx, subj.i) == "pronoun":
            pron = mention_at(ctx, subj.i)
            m = pron.resolved if pron is not None else _previous_subject(ctx, si)
            if m is not None and usable(m) and m not in exclude:
                return [m], "anaphora", m.sent if m.sent < si else None
            return [], "anaphora", None  # a person or a thing: no actor to name
        elif _kind_at(ctx, subj.i) == "person" and not usable(mention_at(ctx, subj.i)):
            return [], "dep", None  # a person acts (for whom, the text does not say here)
        else:
            m = mention_at(ctx, subj.i)
            if m is None:
                # the first name of the subject phrase, one in apposition before one in a
                # complement ("deux sociétés des deux pays (A et B)")
                inside = [mention_at(ctx, c.i) for c in subj.subtree if c.i < tspan.start]
                inside = [x for x in dict.fromkeys(inside) if x is not None]
                m = next((x for x in inside if not _after_preposition(ctx, x)
                          and lower(doc[x.start]) not in PREPOSITIONS),
                         inside[0] if inside else None)
            if m is not None and _after_preposition(ctx, m) and not _acts_for(ctx, subj, m):
                m = None  # "en Suisse": a complement the parser took for the subject
                only_bare = True
            if m is not None and not usable(m) and m.kind in ("desc", "pronoun", "person"):
                only_bare = True  # an actor the text does not name: not one in a complement
                if subj.i < tspan.start and tspan.root.i not in {t.i for t in subj.subtree}:
                    floor = max(floor, subj.left_edge.i)
            elif m is not None and usable(m) and m not in exclude:
                group = [g for g in expand_group(ctx, m, tspan.start) if g not in exclude]
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
                    app = mention_at(ctx, j - 1)
                    if app is not None and usable(app) and app not in exclude:
                        return expand_group(ctx, app, tspan.start), "dep", None
                # otherwise the subject is a non-actor noun ("Ce partenariat", "le projet"):
                # only a bare name further left can still be the actor, not one of an
                # earlier clause ("X a finalisé le protocole, et l'essai sera mené ...")
                only_bare = True
                if tspan.root.i not in {t.i for t in subj.subtree}:
                    floor = max(floor, _coordinated_clause_start(doc, subj, lo))
    # Surface fallback: nearest bare name on the left, else nearest name, else a pronoun.
    clause_start = _clause_start(doc, tspan.start, max(lo, floor, sent.start))
    left = [
        m
        for m in ctx.mentions
        if m.sent == si
        and m.end <= tspan.start
        and m.start >= clause_start
        and m.alias_of is None
        and m not in exclude
        and usable(m)
    ]
    bare = [m for m in left if not _after_preposition(ctx, m)]
    # a name inside a complement ("depuis TikTok") is only taken when close to the trigger
    left = [m for m in left if tspan.start - m.end <= MAX_SURFACE_DISTANCE]
    subject_like = [m for m in bare if _subject_like(ctx, m, tspan.start)]
    for pool in (subject_like, bare) if only_bare else (subject_like, bare, left):
        if pool:
            m = pool[-1]
            group = [g for g in expand_group(ctx, m, tspan.start) if g not in exclude]
            ante = m.resolved.sent if m.kind == "desc" and m.resolved else None
            return group, "surface", ante if ante is not None and ante < si else None
    for t in doc[max(sent.start, lo) : tspan.start]:
        if t.lower_ in SUBJECT_PRONOUNS or t.lower_ in ("qu'il", "qu’il", "qu'elle", "qu’elle"):
            pron = mention_at(ctx, t.i)
            m = pron.resolved if pron is not None else _previous_subject(ctx, si)
            if m is not None and usable(m) and m not in exclude:
                return [m], "anaphora", m.sent if m.sent < si else None
    return [], "surface", None


#: Adjunct triggers (see frames.ADJUNCT_TRIGGERS).
ADJUNCT_IDS = frozenset({"en_partenariat", "en_collaboration", "de_concert", "avec_aide"})


def _kind_at(ctx: Context, i: int) -> str | None:
    m = mention_at(ctx, i)
    return m.kind if m is not None else None


def _coordinated_clause_start(doc: Doc, subj: Token, lo: int) -> int:
    """Where the clause of ``subj`` starts when it is coordinated after another (", et le
    projet ..."): right after the conjunction; else ``lo``."""
    k = subj.left_edge.i - 1
    if k >= lo and lower(doc[k]) in ("et", "mais", "puis", "tandis", "alors") and k - 1 >= lo \
            and doc[k - 1].text in (",", ";"):
        return k + 1
    return lo


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


def _subject_like(ctx: Context, m: ActorMention, limit: int) -> bool:
    """A name (or list of names) directly followed by its verb: "X, d'une part, a signé"."""
    doc = ctx.doc
    group = expand_group(ctx, m, limit)
    k = group[-1].end
    if k < limit and doc[k].text == ",":
        close = next((j for j in range(k + 1, min(k + 10, limit)) if doc[j].text == ","), None)
        if close is None:
            return False
        k = close + 1
    while k < limit and (doc[k].pos_ == "ADV" or lower(doc[k]) in CLITICS):
        k += 1
    return k < limit and doc[k].pos_ in ("VERB", "AUX")


def _context_partner(ctx: Context, si: int, exclude: set[str], tspan: Span) -> ActorMention | None:
    """For an intransitive reciprocal verb with one party ("X s'est tourné vers Y, qui a
    accepté de collaborer"): the subject of another clause of the sentence."""
    for m in ctx.mentions:
        if m.sent != si or m.alias_of is not None or not usable(m) or m.key in exclude:
            continue
        root = ctx.doc[m.start : m.end].root
        if root.dep_.startswith("nsubj") and root.head.i != tspan.root.i:
            return m
    return None


def roles_for(ctx: Context, trig: Trigger, tspan: Span, si: int, stop: int) -> list[Found]:
    sent = ctx.sents[si]
    if trig.object_partner and passive(tspan.root):
        # "X a été choisi par Y": Y chooses X
        agent = next(
            (k for k in range(tspan.end, min(tspan.end + 4, stop)) if ctx.doc[k].lower_ == "par"),
            None,
        )
        chooser = after_prep(ctx, agent + 1, stop) if agent is not None else None
        chosen, evidence, antecedent = _subject_roles(ctx, tspan, si, set(), sent.start, trig)
        chosen = flatten(chosen)
        if chooser is None or not usable(chooser) or not chosen:
            return []
        return [
            Found(trig, tspan, si, [chooser], chosen, evidence, antecedent, sent.start, sent.end)
        ]
    if trig.pos == "noun":
        groups = elided_groups(ctx, tspan, stop)
        if groups:
            from .frames import noun_owner

            owner = noun_owner(ctx, trig, tspan)
            if owner is None:
                owner_list, _ev, _ante = _subject_roles(ctx, tspan, si, set(), sent.start, trig)
                owner = owner_list[0] if owner_list else None
            if owner is not None:
                return [
                    Found(trig, tspan, si, flatten([owner]), g, "dep", None, sent.start,
                          sent.end)
                    for g in groups if owner.key not in {p.key for p in g}
                ]
    partners, pend, how = _partner_list(ctx, trig, tspan, stop)
    if not partners and how is None and trig.pos == "noun" and not trig.needs_partner_prep and (
        tspan.root.morph.get("Number") == ["Plur"] or trig.id == "partenariat"
    ):  # ("des associations et ONG (A, B, C)": organisations, not deals)
        listed = cue_listed(ctx, tspan, stop)
        if listed:
            partners, pend, how = listed, listed[-1].end, "listed"
    if trig.object_partner and not partners:
        partners = _object_partner(ctx, tspan)
        pend = partners[-1].end if partners else None
    if not partners and how is None and trig.pos == "noun" and trig.reciprocal:
        pair = _of_pair(ctx, tspan, stop)
        if pair:
            return [Found(trig, tspan, si, pair, [], "dep", None, sent.start, sent.end)]
    if trig.needs_partner_prep and not partners:
        return []
    partners = flatten(partners)
    exclude = set(partners)
    who, evidence, antecedent = _subject_roles(ctx, tspan, si, exclude, sent.start, trig)
    anaphoric_pair = any(m.kind == "group" for m in who)  # "les deux pays ont signé"
    who = flatten(who)
    if trig.pos == "noun" and topic_of_opinion(tspan):
        who = []  # "X ne semble pas unie sur l'accord avec Y": X holds an opinion
    from .frames import adjunct, noun_owner  # frames build on this module

    agent = _agent_before(ctx, tspan, sent.start)
    if agent is not None and agent not in exclude and trig.id in (
        "en_partenariat", "en_collaboration", "de_concert"
    ):
        # "une voiture conçue par X en collaboration avec Y": X is the partner of Y
        who, evidence, antecedent = [agent], "dep", None
    else:
        owner = noun_owner(ctx, trig, tspan) if partners else None
        if owner is not None and owner not in exclude and owner.key not in {
            p.key for p in partners
        }:
            owners = (expand_group(ctx, owner, partners[0].start)
                      if tspan.start < owner.start < partners[0].start else [owner])
            who, evidence, antecedent = flatten(owners), "dep", None  # "sa collaboration"
        elif partners:
            made = adjunct(ctx, trig, tspan, si, partners)
            if made is not None and (made[1] or not who or evidence == "surface"):
                who, evidence, antecedent = flatten(made[0]), "dep" if made[1] else "context", None
    found: list[Found] = []
    hi = sent.end
    elliptic: list[Found] = []
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
        or _support_verb_above(ctx, tspan)
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
            and not (trig.pos == "noun" and plural and not anaphoric_pair)
            and not (evidence == "surface" and all(_after_preposition(ctx, m) for m in who))
        ):
            found.append(Found(trig, tspan, si, who, [], evidence, antecedent, sent.start, hi))
        elif trig.reciprocal and trig.pos == "verb" and len(who) == 1:
            other = _context_partner(ctx, si, keys_who, tspan)
            if other is not None:
                found.append(
                    Found(trig, tspan, si, [other], who, "context", antecedent, sent.start, hi)
                )
    elif who and partners:
        if len(partners) >= 2 and (
            plural or how == "listed" or _listing_cue(ctx, tspan.end, partners[0].start)
        ):
            for p in partners:
                found.append(
                    Found(trig, tspan, si, who, [p], evidence, antecedent, sent.start, hi)
                )
        elif len(who) >= 2 and _separately(ctx, tspan):
            # "Novavax et AstraZeneca ont séparément signé des accords avec X": one each
            for w in who:
                found.append(
                    Found(trig, tspan, si, [w], partners, evidence, antecedent, sent.start, hi)
                )
        else:
            found.append(
                Found(trig, tspan, si, who, partners, evidence, antecedent, sent.start, hi)
            )
    elif len(partners) >= 2 and how == "entre":
        found.append(
            Found(trig, tspan, si, partners[:1], partners[1:], evidence, None, sent.start, hi)
        )
    return found + elliptic


def _agent_before(ctx: Context, tspan: Span, lo: int) -> ActorMention | None:
    """The agent of a participle right before the trigger ("développé par X en ...")."""
    doc = ctx.doc
    first = tspan.start - 1
    if first >= lo and doc[first].text == ",":
        first -= 1  # "proposé par X, en collaboration avec Y"
    for k in range(first, max(lo, tspan.start - 9) - 1, -1):
        if doc[k].lower_ == "par":
            m = after_prep(ctx, k + 1, tspan.start)
            return m if m is not None and usable(m) else None
        if (
            doc[k].text in (",", ";")
            or doc[k].pos_ == "VERB"
            and "Fin" in doc[k].morph.get("VerbForm")
        ):
            return None
    return None


#: Words that make a list of partners separate deals, between the trigger and the list or
#: right before the trigger ("a séparément signé des partenariats avec A, B et C").
SEPARATE = frozenset({"notamment", "comme", "dont", "tels", "telles", "séparément",
                      "respectivement", "chacun", "chacune", "individuellement"})


def _separately(ctx: Context, tspan: Span) -> bool:
    """"séparément", "chacun", "respectivement" around the trigger: separate deals."""
    doc = ctx.doc
    sent = tspan.sent
    window = doc[max(sent.start, tspan.start - 6) : min(sent.end, tspan.end + 12)]
    return any(t.lower_ in ("séparément", "respectivement", "individuellement", "chacun",
                            "chacune") for t in window)


def _listing_cue(ctx: Context, lo: int, hi: int) -> bool:
    doc = ctx.doc
    before = doc[max(0, lo - 6) : lo]
    return any(t.lower_ in SEPARATE for t in doc[lo:hi]) or any(
        t.lower_ in ("séparément", "respectivement", "individuellement") for t in before
    )


def _elliptic_events(
    ctx: Context, trig: Trigger, tspan: Span, si: int, after: int
) -> list[Found]:
    """'..., et (d'autre part,) X avec Y (en 2019)': the same trigger for another pair."""
    doc = ctx.doc
    sent = ctx.sents[si]
    preps = [seq for seq in (trig.partner_preps or ctx.rules.partner_preps) if seq[0] != "entre"]
    out: list[Found] = []
    k = after
    seen_break = False
    while k < sent.end:
        t = doc[k]
        if t.text in (",", ";") or t.lower_ in ("et", "tandis", "puis", "alors"):
            seen_break = True
        if t.pos_ in ("VERB",) and "Fin" in t.morph.get("VerbForm"):
            return out
        m = mention_at(ctx, k)
        if m is not None and seen_break and usable(m):
            j = m.end
            while (
                j < sent.end and j - m.end <= 3 and not any(seq_at(doc, j, seq) for seq in preps)
            ):
                if doc[j].pos_ in ("VERB", "AUX") or doc[j].lower_ == "et":
                    break
                j += 1
            prep = next((seq for seq in preps if seq_at(doc, j, seq)), None)
            if j < sent.end and prep is not None:
                p = after_prep(ctx, j + len(prep), sent.end)
                if p is not None and usable(p) and p.key != m.key:
                    if out:
                        out[-1].hi = m.start
                    out.append(
                        Found(trig, tspan, si, [m], [p], "surface", None, m.start, sent.end)
                    )
                    k = p.end
                    seen_break = False
                    continue
        k += 1
    return out


def apposed_partner_noun(tspan: Span, nxt: Span) -> bool:
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


def split_clauses(ctx: Context, found: list[Found]) -> None:
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

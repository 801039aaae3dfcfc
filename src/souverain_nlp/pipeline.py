"""Wires the stages: ingest -> clean -> nlp -> dates -> relations -> entities -> events -> store.

``analyse_batch`` is the per-batch function (spaCy + relations, plain records out); the
corpus-level steps (recurring-line detection, entity resolution, cross-article grouping) run
once over the records it returns.  Only ``store`` and the CLI write files.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from . import clean as clean_stage
from . import ingest
from .dates import infer_reference, normalise_published, to_date
from .entities import Resolver, acronyms_in
from .events import group_events
from .gazetteer import Gazetteer, load_gazetteer
from .records import STATUS_OK, CleanDoc, Event, Mention
from .relations import extract_events
from .rules import RuleData, load_rules
from .settings import Settings

#: Bloc order used to write the ``axis`` column ("EU-US", never "US-EU").
BLOC_ORDER = {"EU": 0, "US": 1, "CN": 2, "other": 3}


@dataclass
class Analysis:
    """What the NLP stages found in one article (plain records, no spaCy objects)."""

    article_id: str
    events: list[Event] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    acronym_pairs: list[tuple[str, str]] = field(default_factory=list)
    reference: str | None = None
    reference_from: str | None = None


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


def reference_date(clean: CleanDoc) -> tuple[date | None, str | None]:
    """The date relative expressions are anchored on, and where it came from."""
    if clean.published:
        ref = to_date(clean.published)
        if ref is not None:
            return ref, clean.published_from or "metadata"
    inferred = infer_reference(clean.text_clean)
    if inferred is not None:
        return inferred, "inferred"
    return None, None


def analyse_doc(
    clean: CleanDoc, doc: Any, gaz: Gazetteer, rules: RuleData
) -> Analysis:
    """Relations and mentions of one parsed article."""
    ref, ref_from = reference_date(clean)
    events, pmentions = extract_events(doc, clean.article_id, gaz, rules, reference=ref)
    mentions = []
    pairs = []
    for m in pmentions:
        named = m.named
        start = doc[m.start].idx
        end = doc[m.end - 1].idx + len(doc[m.end - 1])
        mentions.append(
            Mention(
                article_id=clean.article_id,
                sentence_index=m.sent,
                start=start,
                end=end,
                text=m.text,
                label={"desc": "DESC", "state": "STATE"}.get(m.kind, m.label),
                entity_id=named.entry.id if named is not None and named.entry else None,
                resolved_text=named.text if named is not None and named is not m else None,
                country=named.country if named is not None else m.country,
            )
        )
        if m.alias_of is not None:
            pairs.append((m.alias_of.text, m.text))
    return Analysis(
        article_id=clean.article_id,
        events=events,
        mentions=mentions,
        acronym_pairs=pairs,
        reference=ref.isoformat() if ref else None,
        reference_from=ref_from,
    )


def analyse_batch(
    cleans: list[CleanDoc], settings: Settings, nlp: Any = None
) -> list[Analysis]:
    """Run spaCy and the relation rules over a batch of cleaned articles."""
    from .nlp import get_nlp

    nlp = nlp or get_nlp(settings)
    gaz = load_gazetteer(settings.models_dir)
    rules = load_rules(settings.models_dir)
    todo = [c for c in cleans if c.status == STATUS_OK and c.text_clean.strip()]
    out: dict[str, Analysis] = {}
    docs = nlp.pipe((c.text_clean for c in todo), batch_size=settings.batch_size)
    for clean, doc in zip(todo, docs, strict=True):
        out[clean.article_id] = analyse_doc(clean, doc, gaz, rules)
    return [out.get(c.article_id, Analysis(c.article_id)) for c in cleans]


def _axis(blocs: list[str | None]) -> str | None:
    known = [b or "unknown" for b in blocs]
    if len(known) < 2:
        return None
    uniq = sorted(set(known), key=lambda b: (BLOC_ORDER.get(b, 9), b))
    if len(uniq) == 1:
        return f"{uniq[0]}-{uniq[0]}"
    return "-".join(uniq)


def build_tables(
    cleans: list[CleanDoc], analyses: list[Analysis], gaz: Gazetteer
) -> Tables:
    """Resolve entities, group events across articles and lay out the five tables."""
    resolver = Resolver(gaz)
    tables = Tables()
    by_id = {a.article_id: a for a in analyses}
    for clean in cleans:
        analysis = by_id.get(clean.article_id, Analysis(clean.article_id))
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
        acronyms = acronyms_in(analysis.acronym_pairs)
        for m in analysis.mentions:
            surface = m.resolved_text or m.text
            if m.label == "DESC" and m.resolved_text is None:
                entity_id = None
            else:
                ent = resolver.resolve(
                    surface,
                    label=m.label,
                    country=m.country,
                    article_id=clean.article_id,
                    acronyms=acronyms,
                    entry_id=m.entity_id,
                )
                entity_id = ent.entity_id
                if m.label == "DESC":
                    ent.aliases.append(m.text)
            tables.mentions.append(
                {
                    "article_id": m.article_id,
                    "sentence_index": m.sentence_index,
                    "start": m.start,
                    "end": m.end,
                    "text": m.text,
                    "label": m.label,
                    "entity_id": entity_id,
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
            with_whom = [e.name for e, p in zip(ents, ev.parties, strict=True) if p.role != "who"]
            tables.events.append(
                {
                    "event_id": ev.event_id,
                    "article_id": ev.article_id,
                    "source": clean.source,
                    "kind": ev.kind,
                    "status": ev.status,
                    "who": who,
                    "with_whom": with_whom,
                    "party_ids": [e.entity_id for e in ents],
                    "party_texts": [p.text for p in ev.parties],
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
                }
            )
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
    return tables


def clean_corpus(
    docs: Iterable[ingest.SourceDoc],
) -> list[CleanDoc]:
    """Clean every document, with the corpus-level recurring-line signal."""
    docs = list(docs)
    recurring = clean_stage.recurring_lines(d.raw_text for d in docs if d.status == STATUS_OK)
    return [clean_stage.clean(d, recurring) for d in docs]


def _batches(items: list[CleanDoc], size: int) -> Iterator[list[CleanDoc]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def run(
    corpus: Path,
    settings: Settings | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Tables, RunSummary]:
    """Run the whole pipeline over a corpus folder; returns the tables and a summary."""
    settings = settings or Settings()
    started = time.perf_counter()
    docs = list(ingest.iter_corpus(corpus, max_bytes=settings.max_bytes))
    cleans = clean_corpus(docs)
    analyses: list[Analysis] = []
    done = 0
    for batch in _batches(cleans, max(1, settings.batch_size)):
        analyses.extend(analyse_batch(batch, settings))
        done += len(batch)
        if progress is not None:
            progress(done, len(cleans))
    tables = build_tables(cleans, analyses, load_gazetteer(settings.models_dir))
    summary = RunSummary(
        articles=len(cleans),
        ok=sum(c.status == "ok" for c in cleans),
        skipped=sum(c.status == "skipped" for c in cleans),
        errors=sum(c.status == "error" for c in cleans),
        events=len(tables.events),
        entities=len(tables.entities),
        seconds=time.perf_counter() - started,
    )
    return tables, summary


def extract_text(
    text: str,
    source: str = "<text>",
    published: str | None = None,
    settings: Settings | None = None,
) -> Tables:
    """Run the pipeline on one article given as text (the CLI's ``extract``)."""
    settings = settings or Settings()
    doc = ingest.doc_from_text(text, source, published=normalise_published(published))
    cleans = clean_corpus([doc])
    analyses = analyse_batch(cleans, settings)
    return build_tables(cleans, analyses, load_gazetteer(settings.models_dir))

"""Plain records passed between the stages.

Every stage is a function over these dataclasses; only ``store`` and the CLI touch
files (``ingest`` reads them).  Field names mirror the Parquet output contract in
DESIGN.md so that ``store`` can write them without renaming.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Article status values (``articles.status``).
STATUS_OK = "ok"
STATUS_SKIPPED = "skipped"
STATUS_ERROR = "error"


@dataclass(slots=True)
class SourceDoc:
    """One article as read from disk, before cleaning.

    ``raw_text`` is the decoded text that ``blocks`` offsets refer to.  For HTML input it is
    the text extracted from the page; for collections (JSONL/Parquet) it is the record's text.
    """

    article_id: str  # stable hash of the input: its content and where it was read (16 hex)
    source: str  # path relative to the corpus root; "file.jsonl#<record id>" for collections
    raw_text: str
    fmt: str = "txt"  # txt | html | jsonl | parquet
    title: str | None = None  # from metadata (HTML meta, record field), if any
    published: str | None = None  # ISO date from metadata, if any
    url: str | None = None
    n_bytes: int = 0
    status: str = STATUS_OK  # ok | skipped | error
    error: str | None = None  # why it was skipped or failed
    # HTML input: line start offset in raw_text -> layout flags (souverain_nlp.htmlpage)
    layout: dict[int, str] | None = None
    #: Hash of ``raw_text`` alone (16 hex): identical copies of an article share it.
    content_hash: str | None = None
    #: What was repaired on the way in (invalid bytes replaced, HTML nesting cut...).
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Block:
    """A unit of the raw text (usually one line or paragraph) and the cleaning decision."""

    block_index: int
    start: int  # offsets in SourceDoc.raw_text
    end: int
    kept: bool
    reason: str  # "content", or why the block was dropped ("related_marker", "byline", ...)


@dataclass(slots=True)
class CleanDoc:
    """An article after cleaning: the body text, its metadata and the audit of every block."""

    article_id: str
    source: str
    text_clean: str  # kept blocks joined by "\n" (one paragraph per line)
    blocks: list[Block] = field(default_factory=list)
    title: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) or None
    published_from: str | None = None  # byline | metadata | inferred | None
    n_chars_raw: int = 0
    n_chars_clean: int = 0
    status: str = STATUS_OK
    error: str | None = None
    url: str | None = None
    content_hash: str | None = None  # SourceDoc.content_hash
    notes: list[str] = field(default_factory=list)  # SourceDoc.notes, then the NLP's limits


@dataclass(frozen=True, slots=True)
class DateMention:
    """A normalised temporal expression found in a text."""

    text: str  # surface form, e.g. "début septembre 2020"
    start: int  # offsets in the text given to dates.find_dates
    end: int
    value: str  # ISO prefix: "2020", "2020-09", "2020-08-12", "XXXX-06-04"
    granularity: str  # day | week | month | season | quarter | half | year | decade
    role: str = "point"  # point | target (d'ici 2025) | range_end (jusqu'en 2028) | range_start
    relative: bool = False  # True when anchored on the reference date ("jeudi", "juin dernier")
    #: True when it begins after the reference date, or its clause tells it as planned ("le
    #: lancement est prévu en décembre", "il signera jeudi"): not the date of a past deal
    future: bool = False


@dataclass(slots=True)
class Mention:
    """An entity mention in ``text_clean``."""

    article_id: str
    sentence_index: int
    start: int
    end: int
    text: str
    label: str  # ORG | LOC | MISC | STATE | PER | DESC (descriptor) | PRON | GROUP
    entity_id: str | None = None
    resolved_text: str | None = None  # named form a descriptor, pronoun or person stands for
    country: str | None = None  # from the gazetteer or a nationality word next to the name
    #: how the mention was found or resolved (actors.model.HOW); a referring mention
    #: (descriptor, pronoun, person, plural anaphor) has an entity only once resolved
    resolved_by: str = "name"
    referring: bool = False


@dataclass(slots=True)
class Party:
    """One party of an event as found in the text, before and after resolution."""

    text: str  # surface form in the evidence ("le pétrolier français", "Google Cloud")
    start: int
    end: int
    label: str = "ORG"
    role: str = "who"  # who | with
    resolved_text: str | None = None  # named form when the surface is a descriptor/pronoun
    entity_id: str | None = None
    name: str | None = None  # canonical name once resolved
    country: str | None = None
    bloc: str | None = None


@dataclass(slots=True)
class Event:
    """A partnership event found in one article (the ``events`` table, one row each)."""

    event_id: str
    article_id: str
    kind: str
    status: str
    parties: list[Party]
    trigger: str
    sentence: str
    sentence_index: int
    start: int  # offsets of the evidence sentence in text_clean
    end: int
    date: str | None = None
    date_text: str | None = None
    date_granularity: str | None = None
    purpose: str | None = None
    confidence: float = 0.0
    event_group: str | None = None


@dataclass(slots=True)
class Entity:
    """A resolved real-world actor (the ``entities`` table)."""

    entity_id: str
    name: str
    type: str
    country: str | None = None
    bloc: str | None = None
    aliases: list[str] = field(default_factory=list)
    n_mentions: int = 0
    n_articles: int = 0
    parent: str | None = None
    in_gazetteer: bool = False

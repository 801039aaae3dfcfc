"""Incremental runs: the analysis of every article, cached by content and pipeline version.

The NLP stages (spaCy, dates, relations) are a pure function of the cleaned article and of
the code and rule data; their output, an ``Analysis``, is stored in one SQLite file under a
key that hashes all of them:

- the article: ``article_id`` (content hash of the raw input), ``text_clean`` and the
  publication date the dates are anchored on (cleaning depends on corpus-level signals, so
  the cleaned text, not only the raw one, is part of the key);
- the pipeline: ``PIPELINE_VERSION``, a digest of the package's source files and of every
  file under ``models/``, the spaCy model name and version, and the parse mode.

Cleaning is cached too (it detects the language of every article, which costs more than
anything else on a re-run), keyed by the raw document (its content hash, source and metadata),
the corpus-level recurring lines it is cleaned against and the same pipeline key.

A re-run over an unchanged corpus finds every key and never loads spaCy; a changed or added
article alone is cleaned and analysed again; any change to code or rules misses every key.  Entity
resolution and grouping run again over all articles (they are corpus-level and cheap), so
outputs are those of a fresh run.  Delete the folder to reclaim space: it is never read
for anything else.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import pickle
import sqlite3
import zlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from .records import CleanDoc, SourceDoc
from .settings import PIPELINE_VERSION, Settings

#: Cache file name inside the cache folder.
CACHE_FILE = "analyses.sqlite"
_PACKAGE_DIR = Path(__file__).resolve().parent


def _digest_files(paths: Iterable[Path], root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(paths):
        if path.is_file():
            h.update(str(path.relative_to(root)).encode("utf-8"))
            h.update(path.read_bytes())
    return h.hexdigest()


@cache
def _code_digest() -> str:
    return _digest_files(_PACKAGE_DIR.rglob("*.py"), _PACKAGE_DIR)


def _model_version(name: str) -> str:
    try:
        return importlib.metadata.version(name.replace("_", "-"))
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def pipeline_key(settings: Settings) -> str:
    """What the analyses depend on besides the article (code, rules, model, parse mode)."""
    models = Path(settings.models_dir)
    parts = [
        PIPELINE_VERSION,
        _code_digest(),
        _digest_files(models.rglob("*"), models) if models.is_dir() else "no-models",
        settings.spacy_model,
        _model_version(settings.spacy_model),
        "full" if settings.full_parse else "gated",
        "all-mentions" if settings.all_mentions else "scope-mentions",
    ]
    actors = settings.actors_file
    if actors is not None:
        path = Path(actors)
        parts.append(hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "none")
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def article_key(clean: CleanDoc, pipeline: str) -> str:
    """Cache key of one article's analysis: its content, not where it was read.

    The analysis is made under the article's ``content_hash`` (``pipeline.analysis_id``), so
    identical copies of an article, or a renamed file, share one entry.
    """
    h = hashlib.sha256()
    for part in (pipeline, clean.content_hash or clean.article_id, clean.published or "",
                 clean.published_from or "", clean.text_clean):
        h.update(part.encode("utf-8", errors="surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()


def recurring_digest(recurring: Iterable[str]) -> str:
    """Digest of the corpus-level recurring lines that cleaning depends on."""
    joined = "\n".join(sorted(recurring))
    return hashlib.sha256(joined.encode("utf-8", errors="surrogatepass")).hexdigest()


def clean_key(doc: SourceDoc, recurring: str, pipeline: str) -> str:
    """Cache key of one document's cleaning (``recurring``: ``recurring_digest``)."""
    h = hashlib.sha256()
    for part in (pipeline, recurring, doc.article_id, doc.source, doc.fmt, doc.title or "",
                 doc.published or "", doc.url or "", doc.status, doc.error or "",
                 str(doc.n_bytes), str(len(doc.raw_text or ""))):
        h.update(part.encode("utf-8", errors="surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()


class AnalysisCache:
    """SQLite-backed store of pickled analyses (one row per article and pipeline key)."""

    def __init__(self, folder: Path, settings: Settings) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.pipeline = pipeline_key(settings)
        try:
            self._db = self._open()
        except sqlite3.DatabaseError:  # not a database (a torn or foreign file): start afresh
            (self.folder / CACHE_FILE).unlink(missing_ok=True)
            self._db = self._open()
        self.hits = 0
        self.misses = 0

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.folder / CACHE_FILE)
        try:
            for table in ("analyses", "cleans"):
                db.execute(
                    f"CREATE TABLE IF NOT EXISTS {table} "
                    "(key TEXT PRIMARY KEY, value BLOB NOT NULL)"
                )
            db.commit()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def key(self, clean: CleanDoc) -> str:
        """The key of one article under this pipeline."""
        return article_key(clean, self.pipeline)

    def get_many(self, cleans: list[CleanDoc]) -> dict[str, Any]:
        """Cached analyses of the given articles, by cache key (absent keys are misses)."""
        keys = [self.key(c) for c in cleans]
        found = self._get("analyses", keys)
        self.hits += sum(k in found for k in keys)
        self.misses += sum(k not in found for k in keys)
        return found

    def put_many(self, items: list[tuple[CleanDoc, Any]]) -> None:
        """Store analyses (one transaction)."""
        self._put("analyses", [(self.key(c), a) for c, a in items])

    def get_cleans(self, keys: list[str]) -> dict[str, CleanDoc]:
        """Cached cleanings by ``clean_key``."""
        return self._get("cleans", keys)

    def put_cleans(self, items: list[tuple[str, CleanDoc]]) -> None:
        """Store cleanings (one transaction)."""
        self._put("cleans", items)

    def _get(self, table: str, keys: list[str]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for i in range(0, len(keys), 500):  # SQLite's limit on bound parameters
            chunk = keys[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for key, blob in self._db.execute(
                f"SELECT key, value FROM {table} WHERE key IN ({marks})", chunk
            ):
                try:
                    found[key] = pickle.loads(zlib.decompress(blob))
                except Exception:  # a torn or stale entry is a miss, never a failed run
                    continue
        return found

    def _put(self, table: str, items: list[tuple[str, Any]]) -> None:
        rows = [
            (key, zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1))
            for key, value in items
        ]
        with self._db:
            self._db.executemany(f"INSERT OR REPLACE INTO {table} VALUES (?, ?)", rows)

    def close(self) -> None:
        """Close the database."""
        self._db.close()

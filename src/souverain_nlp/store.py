"""The store stage: the five Parquet tables of the output contract, written atomically.

Each table has an explicit Arrow schema (so an empty table still has its columns and
types).  Tables are written into a temporary folder inside the output folder (``.tmp-<pid>-...``)
and moved into place only once every table is complete: a run interrupted at any point
leaves the previous outputs intact and readable.  A run that was killed (SIGKILL: no clean-up
possible) leaves its temporary folder behind; the next run writing to the same folder
removes every one whose process is gone.  The output folder holds ``OUTPUT_MARKER``, so a
corpus folder that contains it never reads the tables back as articles.

``TableWriter`` streams: rows are appended batch by batch and flushed as Parquet row groups,
so a run over millions of articles never holds a whole table in memory; the move into place
still happens once, when every table is complete.

Typed columns are written next to the contract columns, derived from them here (``DERIVED``), so
every reader (pandas, DuckDB, polars, Spark) gets them without our loader: ``date_start`` /
``date_end`` (Parquet DATE, the first and last day of the ISO ``date`` prefix: ``2020-09`` ->
2020-09-01 .. 2020-09-30, ``2020`` -> the whole year, ``201`` -> the 2010s; null for an unknown
year ``XXXX-06-04``), ``published_date`` (DATE of the full ISO ``published`` day) and, on
events, ``parties`` (the canonical names of ``who`` then ``with_whom`` joined by ``"; "``, for
tools that do not handle list columns).  Label columns (``kind``, ``status``, ``axis``,
``bloc``, ``label``, ``reason``...) are dictionary-encoded: still strings to every reader,
``category`` in pandas, ``Categorical`` in polars.
"""

from __future__ import annotations

import calendar
import csv
import io
import os
import re
import shutil
import signal
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .settings import OUTPUT_MARKER

TABLES = ("articles", "blocks", "mentions", "entities", "events")

_str = pa.string()
_list_str = pa.list_(pa.string())
#: Label columns: a small vocabulary repeated on every row (Parquet dictionary encoding).
_label = pa.dictionary(pa.int32(), pa.string())
_date = pa.date32()

SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema(
        [
            ("article_id", _str),
            ("source", _str),
            ("title", _str),
            ("published", _str),
            ("published_from", _label),
            ("text_clean", _str),
            ("n_chars_raw", pa.int64()),
            ("n_chars_clean", pa.int64()),
            ("status", _label),
            ("error", _str),
            ("url", _str),
            ("n_events", pa.int64()),
            ("published_date", _date),
            ("content_hash", _str),
            ("notes", _str),
        ]
    ),
    "blocks": pa.schema(
        [
            ("article_id", _str),
            ("block_index", pa.int64()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("kept", pa.bool_()),
            ("reason", _label),
        ]
    ),
    "mentions": pa.schema(
        [
            ("article_id", _str),
            ("sentence_index", pa.int64()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("text", _str),
            ("label", _label),
            ("entity_id", _str),
            ("resolved_text", _str),
            ("resolved_by", _str),
        ]
    ),
    "entities": pa.schema(
        [
            ("entity_id", _str),
            ("name", _str),
            ("type", _label),
            ("country", _str),
            ("bloc", _label),
            ("aliases", _list_str),
            ("n_mentions", pa.int64()),
            ("n_articles", pa.int64()),
            ("parent", _str),
            ("in_gazetteer", pa.bool_()),
        ]
    ),
    "events": pa.schema(
        [
            ("event_id", _str),
            ("article_id", _str),
            ("source", _str),
            ("kind", _label),
            ("status", _label),
            ("who", _list_str),
            ("with_whom", _list_str),
            ("party_ids", _list_str),
            ("party_texts", _list_str),
            ("party_mentions", _list_str),
            ("date", _str),
            ("date_text", _str),
            ("date_granularity", _label),
            ("purpose", _str),
            ("trigger", _str),
            ("sentence", _str),
            ("sentence_index", pa.int64()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("confidence", pa.float64()),
            ("event_group", _str),
            ("group_n_articles", pa.int64()),
            ("countries", _list_str),
            ("axis", _label),
            ("date_start", _date),
            ("date_end", _date),
            ("published", _str),
            ("published_date", _date),
            ("parties", _str),
        ]
    ),
}

_PREFIX = re.compile(r"^(\d{3,4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def date_bounds(prefix: str | None) -> tuple[date | None, date | None]:
    """First and last day of an ISO date prefix; (None, None) when there is none.

    ``2020-08-12`` -> that day twice, ``2020-09`` -> 2020-09-01 .. 2020-09-30, ``2020`` -> the
    year, ``201`` (a decade) -> 2010-01-01 .. 2019-12-31; an unknown year (``XXXX-06-04``) or
    anything else -> (None, None).
    """
    if not isinstance(prefix, str):
        return None, None
    m = _PREFIX.match(prefix.strip())
    if m is None:
        return None, None
    digits, month, day = m[1], m[2], m[3]
    try:
        if len(digits) == 3:
            if month:
                return None, None
            return date(int(digits) * 10, 1, 1), date(int(digits) * 10 + 9, 12, 31)
        year = int(digits)
        if day:
            d = date(year, int(month), int(day))
            return d, d
        if month:
            mo = int(month)
            return date(year, mo, 1), date(year, mo, calendar.monthrange(year, mo)[1])
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        return None, None


def iso_day(value: str | None) -> date | None:
    """The date of a full ISO day ``YYYY-MM-DD`` (time part ignored); None otherwise."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    start, end = date_bounds(value[:10])
    return start if start == end else None


def _parties_text(row: Mapping[str, Any]) -> str | None:
    names = [*(row.get("who") or []), *(row.get("with_whom") or [])]
    return "; ".join(str(n) for n in names) or None


#: Typed columns computed from the contract columns when a row does not give them.
DERIVED: dict[str, dict[str, Callable[[Mapping[str, Any]], Any]]] = {
    "articles": {"published_date": lambda row: iso_day(row.get("published"))},
    "events": {
        "date_start": lambda row: date_bounds(row.get("date"))[0],
        "date_end": lambda row: date_bounds(row.get("date"))[1],
        "published_date": lambda row: iso_day(row.get("published")),
        "parties": _parties_text,
    },
}


def to_table(name: str, rows: list[Mapping[str, Any]]) -> pa.Table:
    """Rows (dicts) as an Arrow table with the table's schema; unknown keys are an error."""
    schema = SCHEMAS[name]
    derived = DERIVED.get(name, {})
    columns = {
        f.name: [
            row.get(f.name) if f.name in row or f.name not in derived else derived[f.name](row)
            for row in rows
        ]
        for f in schema
    }
    extra = {k for row in rows for k in row} - set(schema.names)
    if extra:
        raise ValueError(f"table {name}: columns not in the schema: {sorted(extra)}")
    return pa.table(columns, schema=schema)


#: Temporary folders of the writers: ``.tmp-<pid of the writing process>-<random>``.
TMP_PREFIX = ".tmp-"
_TMP_NAME = re.compile(r"^\.tmp-(\d+)-")
_MARKER_TEXT = (
    "Tables written by souverain-nlp. A folder holding this file is never read as a corpus.\n"
)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def remove_stale_tmp(out_dir: Path) -> list[Path]:
    """Remove the temporary folders (and files) of runs that died (their process is gone);
    returns them.

    Those of an older naming without a process id are removed too: no live run of this
    version writes them.
    """
    removed = []
    try:
        entries = list(Path(out_dir).iterdir())
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(TMP_PREFIX):
            continue
        m = _TMP_NAME.match(entry.name)
        if m is not None and _alive(int(m.group(1))):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed.append(entry)
    return removed


def prepare_out(out_dir: Path) -> Path:
    """Create the output folder with its marker, clear stale temporary folders, and return a
    new temporary folder inside it.  Raises ``OSError`` when the folder cannot be written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    marker = out_dir / OUTPUT_MARKER
    if not marker.is_file():
        marker.write_text(_MARKER_TEXT, encoding="utf-8")
    remove_stale_tmp(out_dir)
    return Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{os.getpid()}-", dir=out_dir))


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold SIGINT / SIGTERM / SIGHUP for the few microseconds the tables take to move.

    An interrupt between two renames would leave tables of two runs side by side; it is
    delivered (as the handler in place would have been called) once the move is complete.
    Only the main thread can change handlers: elsewhere this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    wanted = [signal.SIGINT, signal.SIGTERM, signal.SIGHUP]
    previous = {sig: h for sig in wanted if (h := signal.getsignal(sig)) is not None}
    for sig in previous:
        signal.signal(sig, lambda signum, frame: held.append(signum))
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for signum in held[:1]:
            signal.raise_signal(signum)


def _commit(tmp: Path, out_dir: Path) -> list[Path]:
    """Move the complete tables of ``tmp`` into ``out_dir`` (never interrupted halfway)."""
    paths = []
    with _signals_deferred():
        for name in TABLES:
            target = out_dir / f"{name}.parquet"
            os.replace(tmp / f"{name}.parquet", target)
            paths.append(target)
    return paths


def write_tables(out_dir: Path, tables: Mapping[str, list[Mapping[str, Any]]]) -> list[Path]:
    """Write every table as ``out_dir/<name>.parquet``, all or nothing."""
    out_dir = Path(out_dir)
    tmp = prepare_out(out_dir)
    try:
        for name in TABLES:
            pq.write_table(to_table(name, list(tables.get(name, []))), tmp / f"{name}.parquet")
        return _commit(tmp, out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


#: Rows buffered per table before a row group is written (a row group of the articles
#: table at 2,000 rows is about 4 MB of text: small enough for flat memory, big enough for
#: fast scans).  ``SOUVERAIN_ROW_GROUP_ROWS`` overrides it (the kill tests use small row
#: groups so that a run is killed while its tables are being written).
ROW_GROUP_ROWS = int(os.environ.get("SOUVERAIN_ROW_GROUP_ROWS") or 2_000)


class TableWriter:
    """Streaming, all-or-nothing writer of the five tables.

    Use as a context manager: ``add(name, rows)`` any number of times, and the tables are
    moved into ``out_dir`` when the block exits normally; on an exception nothing in
    ``out_dir`` changes.
    """

    def __init__(self, out_dir: Path, row_group_rows: int = ROW_GROUP_ROWS) -> None:
        self.out_dir = Path(out_dir)
        self.row_group_rows = max(1, row_group_rows)
        self._tmp: Path | None = None
        self._writers: dict[str, pq.ParquetWriter] = {}
        self._buffers: dict[str, list[Mapping[str, Any]]] = {name: [] for name in TABLES}
        self.counts: dict[str, int] = {name: 0 for name in TABLES}
        self.paths: list[Path] = []

    def __enter__(self) -> TableWriter:
        self._tmp = prepare_out(self.out_dir)
        return self

    def add(self, name: str, rows: list[Mapping[str, Any]]) -> None:
        """Append rows to a table (written as a row group once enough are buffered)."""
        if name not in SCHEMAS:
            raise ValueError(f"unknown table {name!r} (tables: {', '.join(TABLES)})")
        buf = self._buffers[name]
        buf.extend(rows)
        self.counts[name] += len(rows)
        if len(buf) >= self.row_group_rows:
            self._flush(name)

    def _flush(self, name: str) -> None:
        assert self._tmp is not None, "use TableWriter as a context manager"
        writer = self._writers.get(name)
        if writer is None:
            writer = pq.ParquetWriter(self._tmp / f"{name}.parquet", SCHEMAS[name])
            self._writers[name] = writer
        rows = self._buffers[name]
        if rows:
            writer.write_table(to_table(name, rows))
        self._buffers[name] = []

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        assert self._tmp is not None
        try:
            for name in TABLES:
                if exc_type is None:
                    self._flush(name)  # also creates the file of an empty table
                writer = self._writers.pop(name, None)
                if writer is not None:
                    writer.close()
            if exc_type is None:
                self.paths.extend(_commit(self._tmp, self.out_dir))
        finally:
            for writer in self._writers.values():
                writer.close()
            shutil.rmtree(self._tmp, ignore_errors=True)


def read_table(out_dir: Path, name: str) -> pa.Table:
    """One output table as an Arrow table."""
    return pq.read_table(Path(out_dir) / f"{name}.parquet")


#: The inputs of a run that gave no article: skipped or failed documents and ignored files,
#: one per line with the reason (``outputs/problems.csv``, also listed in the report).
PROBLEMS_NAME = "problems.csv"
PROBLEM_COLUMNS = ("source", "status", "reason")


def write_problems(out_dir: Path, rows: Iterable[Mapping[str, Any]]) -> Path:
    """Write ``out_dir/problems.csv`` (source, status, reason), replacing it atomically."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=PROBLEM_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: row.get(k) for k in PROBLEM_COLUMNS})
    target = out_dir / PROBLEMS_NAME
    fd, tmp = tempfile.mkstemp(prefix=f"{TMP_PREFIX}{os.getpid()}-", suffix=".csv",
                               dir=out_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(buf.getvalue())
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def read_problems(out_dir: Path) -> list[dict[str, str]]:
    """The rows of ``out_dir/problems.csv``; empty when the file is not there."""
    path = Path(out_dir) / PROBLEMS_NAME
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return [dict(row) for row in csv.DictReader(fh)]

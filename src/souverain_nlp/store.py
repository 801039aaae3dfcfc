"""The store stage: the five Parquet tables of the output contract, written atomically.

Each table has an explicit Arrow schema (so an empty table still has its columns and
types).  Tables are written into a temporary folder next to the output folder and moved into
place only once every table is complete: a run interrupted at any point leaves the previous
outputs intact and readable.

``TableWriter`` streams: rows are appended batch by batch and flushed as Parquet row groups,
so a run over millions of articles never holds a whole table in memory; the move into place
still happens once, when every table is complete.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

TABLES = ("articles", "blocks", "mentions", "entities", "events")

_str = pa.string()
_list_str = pa.list_(pa.string())

SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema(
        [
            ("article_id", _str),
            ("source", _str),
            ("title", _str),
            ("published", _str),
            ("published_from", _str),
            ("text_clean", _str),
            ("n_chars_raw", pa.int64()),
            ("n_chars_clean", pa.int64()),
            ("status", _str),
            ("error", _str),
            ("url", _str),
            ("n_events", pa.int64()),
        ]
    ),
    "blocks": pa.schema(
        [
            ("article_id", _str),
            ("block_index", pa.int64()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("kept", pa.bool_()),
            ("reason", _str),
        ]
    ),
    "mentions": pa.schema(
        [
            ("article_id", _str),
            ("sentence_index", pa.int64()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("text", _str),
            ("label", _str),
            ("entity_id", _str),
            ("resolved_text", _str),
            ("resolved_by", _str),
        ]
    ),
    "entities": pa.schema(
        [
            ("entity_id", _str),
            ("name", _str),
            ("type", _str),
            ("country", _str),
            ("bloc", _str),
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
            ("kind", _str),
            ("status", _str),
            ("who", _list_str),
            ("with_whom", _list_str),
            ("party_ids", _list_str),
            ("party_texts", _list_str),
            ("date", _str),
            ("date_text", _str),
            ("date_granularity", _str),
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
            ("axis", _str),
        ]
    ),
}


def to_table(name: str, rows: list[Mapping[str, Any]]) -> pa.Table:
    """Rows (dicts) as an Arrow table with the table's schema; unknown keys are an error."""
    schema = SCHEMAS[name]
    columns = {f.name: [row.get(f.name) for row in rows] for f in schema}
    extra = {k for row in rows for k in row} - set(schema.names)
    if extra:
        raise ValueError(f"table {name}: columns not in the schema: {sorted(extra)}")
    return pa.table(columns, schema=schema)


def write_tables(out_dir: Path, tables: Mapping[str, list[Mapping[str, Any]]]) -> list[Path]:
    """Write every table as ``out_dir/<name>.parquet``, all or nothing."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=out_dir))
    try:
        for name in TABLES:
            pq.write_table(to_table(name, list(tables.get(name, []))), tmp / f"{name}.parquet")
        paths = []
        for name in TABLES:
            target = out_dir / f"{name}.parquet"
            os.replace(tmp / f"{name}.parquet", target)
            paths.append(target)
        return paths
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


#: Rows buffered per table before a row group is written (a row group of the articles
#: table at 2,000 rows is about 4 MB of text: small enough for flat memory, big enough for
#: fast scans).
ROW_GROUP_ROWS = 2_000


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
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=self.out_dir))
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
                for name in TABLES:
                    target = self.out_dir / f"{name}.parquet"
                    os.replace(self._tmp / f"{name}.parquet", target)
                    self.paths.append(target)
        finally:
            for writer in self._writers.values():
                writer.close()
            shutil.rmtree(self._tmp, ignore_errors=True)


def read_table(out_dir: Path, name: str) -> pa.Table:
    """One output table as an Arrow table."""
    return pq.read_table(Path(out_dir) / f"{name}.parquet")

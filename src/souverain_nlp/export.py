"""Export the events for spreadsheet users: CSV, JSON lines or an Excel workbook.

One row per event (or, with ``per_party``, one row per event and party), list columns joined
as text (``"Orange; Capgemini"``, an empty item where a party has no country), dates as ISO
strings, ``confidence`` to three decimals, the article's title, publication date and URL
beside each event.  :func:`read_export` reads a file back with pandas into the frame
that was written (``tests/test_export.py`` checks the three formats).
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from .load import Dataset, event_parties, load

FORMATS = ("csv", "jsonl", "xlsx")
#: Joins the items of a list column in one cell.
SEPARATOR = "; "

#: Columns of an export, in order; every other one is text.
EVENT_COLUMNS = (
    "event_id",
    "event_group",
    "group_n_articles",
    "kind",
    "status",
    "date",
    "date_start",
    "date_end",
    "date_text",
    "date_granularity",
    "who",
    "with_whom",
    "parties",
    "party_ids",
    "countries",
    "axis",
    "purpose",
    "trigger",
    "confidence",
    "sentence",
    "start",
    "end",
    "article_id",
    "source",
    "title",
    "published",
    "url",
)
PARTY_COLUMNS = ("role", "party_id", "party_name", "party_country", "party_bloc")
INT_COLUMNS = ("group_n_articles", "start", "end")
FLOAT_COLUMNS = ("confidence",)
#: Decimals kept of ``confidence`` (a score of 0..1: more would only show float noise, and
#: short decimals read back exactly from CSV and JSON).
CONFIDENCE_DECIMALS = 3
_LIST_COLUMNS = ("who", "with_whom", "party_ids", "countries")
_DATE_COLUMNS = ("date_start", "date_end")
#: Characters an XLSX cell cannot hold (XML 1.0 control characters), and its length limit.
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_XLSX_CELL_MAX = 32_767


def _joined(values: object) -> str | None:
    if values is None or (isinstance(values, float) and pd.isna(values)):
        return None
    items = [str(v) if v is not None else "" for v in values]  # type: ignore[union-attr]
    return SEPARATOR.join(items) if items else None


def _text(value: object) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    return str(value)


def _iso(value: object) -> str | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date().isoformat()


def events_frame(data: Dataset, per_party: bool = False) -> pd.DataFrame:
    """The rows of an export: one per event, or one per (event, party) with ``per_party``.

    Text columns hold ``str`` or None, ``group_n_articles`` / ``start`` / ``end`` are
    nullable integers, ``confidence`` a float.
    """
    source = data.events if not per_party else event_parties(data.events, data.entities)
    articles = data.articles.drop_duplicates("article_id").set_index("article_id")
    ids = source["article_id"]

    def from_articles(col: str) -> list[object]:
        if col not in articles.columns:
            return [None] * len(source)
        return list(articles[col].astype(object).reindex(ids).to_numpy())

    columns = EVENT_COLUMNS + (PARTY_COLUMNS if per_party else ())
    values: dict[str, list[object]] = {}
    for col in columns:
        if col in ("title", "url", "published"):
            values[col] = [_text(v) for v in from_articles(col)]
        elif col == "party_id":
            values[col] = [_text(v) for v in source["entity_id"]]
        elif col in _LIST_COLUMNS:
            values[col] = [_joined(v) for v in source[col]]
        elif col == "parties":
            values[col] = [
                _joined([*w, *o]) for w, o in zip(source["who"], source["with_whom"], strict=True)
            ]
        elif col in _DATE_COLUMNS:
            values[col] = [_iso(v) for v in source[col]]
        elif col in FLOAT_COLUMNS:
            values[col] = list(source[col].astype(float).round(CONFIDENCE_DECIMALS))
        elif col in INT_COLUMNS:
            values[col] = list(source[col])
        else:
            values[col] = [_text(v) for v in source[col].astype(object)]
    return _typed(pd.DataFrame({c: pd.Series(v, dtype=object) for c, v in values.items()}))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Numbers as their types, text as ``object`` with None (not NaN) where a cell is empty."""
    out = frame.copy()
    for col in out.columns:
        if col in INT_COLUMNS:
            out[col] = pd.array(out[col].astype(object).where(out[col].notna(), None),
                                dtype="Int64")
        elif col in FLOAT_COLUMNS:
            out[col] = out[col].astype(float)
        else:
            column = out[col].astype(object)
            out[col] = pd.Series(
                [None if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)
                 for v in column],
                index=out.index,
                dtype=object,
            )
    return out


def _xlsx_safe(value: object) -> object:
    if isinstance(value, str):
        return _ILLEGAL_XLSX.sub("", value)[:_XLSX_CELL_MAX]
    return value


def write_frame(frame: pd.DataFrame, dest: Path, fmt: str) -> Path:
    """Write an export frame as ``fmt`` (csv: UTF-8 with BOM, which Excel opens as UTF-8)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.tmp")
    if fmt == "csv":
        frame.to_csv(tmp, index=False, encoding="utf-8-sig")
    elif fmt == "jsonl":
        frame.to_json(tmp, orient="records", lines=True, force_ascii=False)
    else:
        safe = frame.copy()
        for col in safe.columns:
            if safe[col].dtype == object:
                safe[col] = safe[col].map(_xlsx_safe)
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            safe.to_excel(writer, sheet_name="events", index=False, freeze_panes=(1, 0))
            sheet = writer.sheets["events"]
            sheet.auto_filter.ref = sheet.dimensions
    tmp.replace(dest)
    return dest


def read_export(path: Path) -> pd.DataFrame:
    """An export file read back with pandas, into the frame :func:`events_frame` made.

    Text columns are read as text (a date such as ``2020`` stays ``"2020"``, a party called
    "NA" is not a missing value), numbers as numbers, empty cells as None.
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    text = {c: "object" for c in (*EVENT_COLUMNS, *PARTY_COLUMNS)
            if c not in INT_COLUMNS + FLOAT_COLUMNS}
    if fmt == "csv":
        frame = pd.read_csv(path, dtype=text, keep_default_na=False, na_values=[""],
                            encoding="utf-8-sig")
    elif fmt == "jsonl":
        frame = pd.read_json(path, lines=True, dtype=False, precise_float=True)
    elif fmt == "xlsx":
        frame = pd.read_excel(path, dtype=text, keep_default_na=False, na_values=[""])
    else:
        raise ValueError(f"not an export file (.csv, .jsonl, .xlsx): {path}")
    return _typed(frame)


def export_events(
    out_dir: Path,
    fmt: str,
    dest: Path | None = None,
    per_party: bool = False,
) -> Path:
    """Read the tables in ``out_dir`` and write the export (default ``out_dir/events.<fmt>``,
    ``out_dir/event_parties.<fmt>`` with ``per_party``)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    out_dir = Path(out_dir)
    frame = events_frame(load(out_dir), per_party=per_party)
    name = "event_parties" if per_party else "events"
    return write_frame(frame, Path(dest) if dest else out_dir / f"{name}.{fmt}", fmt)

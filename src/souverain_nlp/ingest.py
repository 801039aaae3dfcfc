"""Ingest stage: read a corpus folder into :class:`SourceDoc` records, never raising on bad data.

Supported inputs (a folder may mix them; hidden files and dot-folders are ignored):

* ``.txt``: one article per file;
* ``.html`` / ``.htm``: one page per file; main text, title, date and URL are extracted with
  trafilatura (scripts, styles, menus and comments are left out by it);
* ``.jsonl``: one article per line, a JSON object with fields such as ``id``, ``url``,
  ``title``, ``published``/``date``, ``text`` or ``html`` (see ``*_FIELDS`` for the names
  accepted);
* ``.parquet``: one article per row, same fields.

Decoding: UTF-8 (with or without BOM), UTF-16/32 with a BOM, else a Western single-byte
encoding (cp1252, which also decodes latin-1 text correctly, chosen with charset-normalizer).
CRLF and lone CR become LF; the text is NFC-normalised.  Data with NUL bytes, a known binary
signature or many control characters is skipped as binary.

Size limit: a ``.txt`` / ``.html`` file, a JSONL line or a Parquet record larger than
``max_bytes`` (DEFAULT_MAX_BYTES = 8 MiB; the largest real news page seen is about 2 MB) is
skipped without being read into memory.  Collections themselves may be any size: they are
streamed line by line (JSONL) or in record batches (Parquet).

``article_id`` is the first 16 hex digits of the SHA-256 of the article's raw bytes (for a
record: of its canonical JSON).  A document that could not be read at all (unreadable file,
malformed line) gets the hash of its ``source`` instead, so that ids stay unique.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import unicodedata
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

from souverain_nlp.records import STATUS_ERROR, STATUS_SKIPPED, SourceDoc

#: Largest single article (file, JSONL line or record text) read, in bytes.
DEFAULT_MAX_BYTES = 8 * 1024 * 1024
#: File suffixes read, by format.
SUFFIXES = {".txt": "txt", ".html": "html", ".htm": "html", ".jsonl": "jsonl",
            ".parquet": "parquet"}
#: Record field names accepted, first found wins (compared case-insensitively).
ID_FIELDS = ("id", "article_id", "doc_id", "docid", "uid", "guid", "_id", "uuid", "key")
URL_FIELDS = ("url", "link", "source_url", "href", "uri", "canonical_url")
TITLE_FIELDS = ("title", "headline", "titre", "heading")
DATE_FIELDS = ("published", "date", "published_at", "publication_date", "pub_date",
               "date_published", "datepublished", "published_date", "pubdate", "datetime",
               "created_at", "timestamp", "time")
TEXT_FIELDS = ("text", "body", "content", "article", "maintext", "main_text", "texte",
               "contenu", "article_text", "full_text", "raw_text")
HTML_FIELDS = ("html", "raw_html", "page", "content_html", "html_content", "body_html")

#: Share of control characters (other than tab / newline / form feed) above which decoded
#: text is treated as binary.  Text files have none; binary files decoded as cp1252 ~ 10-30 %.
BINARY_CONTROL_SHARE = 0.02
#: Bytes read per chunk when skipping an oversized JSONL line or hashing.
_CHUNK = 1 << 16
_BINARY_MAGIC = (b"%PDF-", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\x1f\x8b",
                 b"PAR1", b"BZh", b"\x7fELF", b"MZ", b"\xd0\xcf\x11\xe0", b"7z\xbc\xaf",
                 b"Rar!", b"OggS", b"ID3", b"RIFF", b"SQLite format 3")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_WESTERN = ["cp1252", "iso8859_15", "latin_1"]

_log = logging.getLogger(__name__)


class DecodeError(ValueError):
    """Bytes that are not text (binary data); the message says why."""


# --- hashing and decoding --------------------------------------------------------------------


def content_id(data: bytes) -> str:
    """Stable content hash: first 16 hex digits of the SHA-256 of ``data``."""
    return hashlib.sha256(data).hexdigest()[:16]


def decode_bytes(data: bytes) -> str:
    """Decode article bytes safely and normalise newlines (CRLF/CR -> LF) and Unicode (NFC).

    Raises :class:`DecodeError` for binary data.
    """
    for magic in _BINARY_MAGIC:
        if data.startswith(magic) and (magic != b"MZ" or b"\x00" in data[:512]):
            return _raise_binary(f"binary data (file signature {magic[:4]!r})")
    text: str | None = None
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"),
                       (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"),
                       (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"invalid {codec} text after its byte-order mark: {exc}") from exc
            break
    if text is None:
        if b"\x00" in data:
            return _raise_binary("binary data (NUL bytes)")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode_western(data)
    if "\x00" in text:
        return _raise_binary("binary data (NUL characters)")
    n_control = len(_CONTROL.findall(text[:_CHUNK]))
    if n_control > BINARY_CONTROL_SHARE * min(len(text), _CHUNK):
        return _raise_binary(f"binary data ({n_control} control characters)")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _raise_binary(message: str) -> str:
    raise DecodeError(message)


def _decode_western(data: bytes) -> str:
    """Non-UTF-8 bytes: the Western single-byte encoding charset-normalizer finds most fitting."""
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[: 1 << 20], cp_isolation=_WESTERN).best()
        encoding = best.encoding if best is not None else None
    except Exception:  # charset-normalizer is a helper: never fail ingest because of it
        encoding = None
    for codec in ([encoding] if encoding else []) + _WESTERN:
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("latin_1")  # unreachable: latin-1 decodes any byte


# --- building documents ------------------------------------------------------------------------


def _doc_status(source: str, fmt: str, status: str, error: str, n_bytes: int = 0,
                raw_id: bytes | None = None) -> SourceDoc:
    """A document that was skipped or failed (empty raw text, reason in ``error``)."""
    ident = content_id(source.encode("utf-8", errors="surrogatepass") + b"\x00" + (raw_id or b""))
    return SourceDoc(article_id=ident, source=source, raw_text="", fmt=fmt, n_bytes=n_bytes,
                     status=status, error=error)


def _text_doc(text: str, article_id: str, source: str, fmt: str, n_bytes: int,
              title: str | None = None, published: str | None = None,
              url: str | None = None) -> SourceDoc:
    if not text:
        return _doc_status(source, fmt, STATUS_SKIPPED, "empty text", n_bytes)
    if not text.strip():
        return _doc_status(source, fmt, STATUS_SKIPPED, "whitespace-only text", n_bytes)
    return SourceDoc(article_id=article_id, source=source, raw_text=text, fmt=fmt,
                     title=_clean_field(title), published=iso_date(published),
                     url=_clean_field(url), n_bytes=n_bytes)


def _clean_field(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def iso_date(value: Any) -> str | None:
    """Normalise a metadata date (ISO string, datetime, "05/05/2020", epoch) to YYYY-MM-DD."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = float(value) / (1000 if value > 1e11 else 1)
        try:
            return datetime.utcfromtimestamp(seconds).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()
    m = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
    else:
        m = re.match(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b", text)
        if not m:
            m2 = re.match(r"^(\d{4})(\d{2})(\d{2})$", text)
            if not m2:
                return None
            y, mo, d = int(m2[1]), int(m2[2]), int(m2[3])
        else:
            d, mo, y = int(m[1]), int(m[2]), int(m[3])
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        return None


def doc_from_text(text: str, source: str, published: str | None = None,
                  title: str | None = None) -> SourceDoc:
    """A :class:`SourceDoc` for text given in memory (the id hashes its UTF-8 bytes)."""
    data = text.encode("utf-8", errors="surrogatepass")
    normalised = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if "\x00" in normalised:
        return _doc_status(source, "txt", STATUS_SKIPPED, "binary data (NUL characters)",
                           len(data), raw_id=data)
    return _text_doc(normalised, content_id(data), source, "txt", len(data), title=title,
                     published=published)


def _html_doc(html: str, article_id: str, source: str, fmt: str, n_bytes: int,
              title: str | None = None, published: str | None = None,
              url: str | None = None) -> SourceDoc:
    """The visible text of an HTML page, its layout flags and its metadata
    (:func:`souverain_nlp.htmlpage.extract_page`: trafilatura's main text and metadata, our
    block layout)."""
    try:
        from souverain_nlp.htmlpage import extract_page

        page = extract_page(html, url=url)
    except Exception as exc:  # lxml / trafilatura failure on a broken page
        return _doc_status(source, fmt, STATUS_ERROR, f"HTML extraction failed: {exc}", n_bytes,
                           raw_id=None)
    if not page.text.strip():
        return _doc_status(source, fmt, STATUS_SKIPPED, "no text found in the HTML page",
                           n_bytes, raw_id=article_id.encode())
    doc = _text_doc(page.text, article_id, source, fmt, n_bytes, title=title or page.title,
                    published=published or page.date, url=url or page.url)
    doc.layout = page.layout or None
    return doc


# --- files ---------------------------------------------------------------------------------


def _read_bounded(path: Path, max_bytes: int) -> bytes:
    """Read at most ``max_bytes + 1`` bytes (so an oversized file is detected, not loaded)."""
    with path.open("rb") as fh:
        return fh.read(max_bytes + 1)


def read_path(path: Path, root: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[SourceDoc]:
    """Read one file: one document for .txt/.html, one per record for .jsonl/.parquet.

    Never raises for bad data: problems give documents with status "skipped" or "error".
    """
    path = Path(path)
    try:
        source = path.relative_to(root).as_posix()
    except ValueError:
        source = path.name
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        yield _doc_status(source, "txt", STATUS_SKIPPED, f"unsupported file type {path.suffix!r}")
        return
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield _doc_status(source, fmt, STATUS_ERROR, f"cannot read file: {exc.strerror or exc}")
        return
    if fmt == "jsonl":
        yield from _read_jsonl(path, source, max_bytes)
        return
    if fmt == "parquet":
        yield from _read_parquet(path, source, max_bytes)
        return
    if size > max_bytes:
        yield _doc_status(source, fmt, STATUS_SKIPPED,
                          f"file too large ({size} bytes > limit of {max_bytes} bytes)", size)
        return
    try:
        data = _read_bounded(path, max_bytes)
    except OSError as exc:
        yield _doc_status(source, fmt, STATUS_ERROR, f"cannot read file: {exc.strerror or exc}",
                          size)
        return
    yield _doc_from_bytes(data, source, fmt, max_bytes)


def _doc_from_bytes(data: bytes, source: str, fmt: str, max_bytes: int,
                    meta: Mapping[str, Any] | None = None) -> SourceDoc:
    n = len(data)
    if n > max_bytes:
        return _doc_status(source, fmt, STATUS_SKIPPED,
                           f"file too large (over the limit of {max_bytes} bytes)", n)
    if n == 0:
        return _doc_status(source, fmt, STATUS_SKIPPED, "empty file", 0)
    try:
        text = decode_bytes(data)
    except DecodeError as exc:
        return _doc_status(source, fmt, STATUS_SKIPPED, str(exc), n, raw_id=data)
    if not text.strip():
        return _doc_status(source, fmt, STATUS_SKIPPED, "whitespace-only file", n, raw_id=data)
    if fmt == "html":
        return _html_doc(text, content_id(data), source, fmt, n)
    return _text_doc(text, content_id(data), source, fmt, n)


def _field(record: Mapping[str, Any], names: tuple[str, ...]) -> Any:
    lowered = {str(k).lower(): v for k, v in record.items()}
    for name in names:
        value = lowered.get(name)
        if value is not None and value != "":
            return value
    return None


def _canonical(record: Mapping[str, Any]) -> bytes:
    return json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=str).encode("utf-8", errors="surrogatepass")


def doc_from_record(record: Any, source_prefix: str, position: int, fmt: str,
                    max_bytes: int = DEFAULT_MAX_BYTES) -> SourceDoc:
    """A :class:`SourceDoc` for one collection record (JSONL line or Parquet row).

    ``source`` is ``"<file>#<record id>"``, or ``"<file>#<position>"`` (1-based line or row
    number) when the record has no id.
    """
    if not isinstance(record, Mapping):
        return _doc_status(f"{source_prefix}#{position}", fmt, STATUS_ERROR,
                           f"record {position} is a JSON {type(record).__name__}, not an object")
    rid = _field(record, ID_FIELDS)
    source = f"{source_prefix}#{_clean_field(rid) or position}"
    raw = _canonical(record)
    text = _field(record, TEXT_FIELDS)
    html = _field(record, HTML_FIELDS)
    body = text if isinstance(text, str) and text.strip() else None
    page = html if isinstance(html, str) and html.strip() else None
    chosen = body if body is not None else page
    if chosen is None:
        keys = {str(k).lower() for k in record}
        reason = ("record text is empty" if keys & {*TEXT_FIELDS, *HTML_FIELDS}
                  else "record has no text or html field")
        return _doc_status(source, fmt, STATUS_SKIPPED, reason, len(raw), raw_id=raw)
    size = len(chosen.encode("utf-8", errors="surrogatepass"))
    if size > max_bytes:
        return _doc_status(source, fmt, STATUS_SKIPPED,
                           f"record too large ({size} bytes > limit of {max_bytes} bytes)",
                           size, raw_id=raw)
    if "\x00" in chosen:
        return _doc_status(source, fmt, STATUS_SKIPPED, "binary data (NUL characters)", size,
                           raw_id=raw)
    title = _field(record, TITLE_FIELDS)
    published = _field(record, DATE_FIELDS)
    url = _field(record, URL_FIELDS)
    if body is None:
        return _html_doc(chosen, content_id(raw), source, fmt, size, title=_clean_field(title),
                         published=iso_date(published), url=_clean_field(url))
    text_n = unicodedata.normalize("NFC", body.replace("\r\n", "\n").replace("\r", "\n"))
    return _text_doc(text_n, content_id(raw), source, fmt, size, title=title,
                     published=published, url=url)


def _read_jsonl(path: Path, source: str, max_bytes: int) -> Iterator[SourceDoc]:
    try:
        fh = path.open("rb")
    except OSError as exc:
        yield _doc_status(source, "jsonl", STATUS_ERROR, f"cannot read file: {exc.strerror or exc}")
        return
    n_records = 0
    with fh:
        lineno = 0
        while True:
            try:
                line = fh.readline(max_bytes + 1)
            except OSError as exc:
                yield _doc_status(f"{source}#{lineno + 1}", "jsonl", STATUS_ERROR,
                                  f"read error: {exc.strerror or exc}")
                return
            if not line:
                break
            lineno += 1
            if len(line) > max_bytes and not line.endswith(b"\n"):
                skipped = len(line)
                while line and not line.endswith(b"\n"):
                    line = fh.readline(_CHUNK)
                    skipped += len(line)
                n_records += 1
                yield _doc_status(f"{source}#{lineno}", "jsonl", STATUS_SKIPPED,
                                  f"line {lineno} too large ({skipped} bytes > limit of "
                                  f"{max_bytes} bytes)", skipped)
                continue
            if not line.strip():
                continue
            n_records += 1
            try:
                record = json.loads(line.decode("utf-8-sig" if lineno == 1 else "utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                yield _doc_status(f"{source}#{lineno}", "jsonl", STATUS_ERROR,
                                  f"malformed JSON on line {lineno}: {exc}", len(line),
                                  raw_id=f"{source}#{lineno}".encode() + b"\x00" + line)
                continue
            yield doc_from_record(record, source, lineno, "jsonl", max_bytes)
    if n_records == 0:
        yield _doc_status(source, "jsonl", STATUS_SKIPPED, "empty collection (no records)")


def _read_parquet(path: Path, source: str, max_bytes: int) -> Iterator[SourceDoc]:
    try:
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(path)
        batches = pf.iter_batches(batch_size=256)
    except Exception as exc:  # not a Parquet file, unreadable, corrupt footer
        yield _doc_status(source, "parquet", STATUS_ERROR, f"cannot read Parquet file: {exc}")
        return
    row = 0
    try:
        for batch in batches:
            for record in batch.to_pylist():
                row += 1
                yield doc_from_record(record, source, row, "parquet", max_bytes)
    except Exception as exc:  # corrupt row group: report it, keep what was read
        yield _doc_status(f"{source}#{row + 1}", "parquet", STATUS_ERROR,
                          f"cannot read Parquet rows after row {row}: {exc}")
        return
    if row == 0:
        yield _doc_status(source, "parquet", STATUS_SKIPPED, "empty collection (no records)")


# --- corpus ----------------------------------------------------------------------------------


def iter_corpus(root: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[SourceDoc]:
    """Yield one :class:`SourceDoc` per article under ``root``, in sorted path order.

    Walks sub-folders (not following symbolic links to folders), ignores hidden files and
    dot-folders and files of other types.  Never raises for bad data.
    """
    root = Path(root)
    if root.is_file():
        yield from read_path(root, root.parent, max_bytes)
        return
    errors: list[OSError] = []
    found: list[tuple[str, Path]] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append, followlinks=False):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.startswith(".") or Path(name).suffix.lower() not in SUFFIXES:
                continue
            path = Path(dirpath) / name
            found.append((path.relative_to(root).as_posix(), path))
    for err in errors:
        where = Path(err.filename) if err.filename else root
        try:
            source = where.relative_to(root).as_posix()
        except ValueError:
            source = str(where)
        found.append((source, where))
    for source, path in sorted(found, key=lambda item: item[0]):
        if path.is_dir():
            yield _doc_status(source, "txt", STATUS_ERROR,
                              "cannot read folder (permission denied?)")
            continue
        yield from read_path(path, root, max_bytes)

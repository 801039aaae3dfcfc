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
UTF-8 text with a few invalid bytes (a stray cp1252 "é", a cut sequence) keeps its valid
UTF-8 and has each invalid byte decoded as cp1252 (U+FFFD when cp1252 has no character for
it), which the document's ``notes`` record.  CRLF and lone CR become LF; the text is
NFC-normalised; lone surrogates (from JSON escapes) become U+FFFD.  Data with NUL bytes, a
known binary signature or many control characters is skipped as binary; text with no letter
or digit (emoji, symbols, zero-width characters only) is skipped too.

Size limit: a ``.txt`` / ``.html`` file, a JSONL line or a Parquet record larger than
``max_bytes`` (``settings.MAX_ARTICLE_BYTES`` = 8 MiB; the largest real news page seen is
about 2 MB) is skipped without being read into memory.  Collections themselves may be any
size: they are streamed line by line (JSONL) or in record batches (Parquet).  Only regular
files are opened (a named pipe or a device is skipped, never read), and a folder holding
``settings.OUTPUT_MARKER`` (the output folder of a run) is not read.

``article_id`` is unique per input: the first 16 hex digits of the SHA-256 of the article's
``source`` and raw bytes (for a record: its position and canonical JSON), stable from run to
run.  ``content_hash`` is the hash of the decoded text alone: identical copies of an article
(wire stories published twice) share it and can be grouped on it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from souverain_nlp.records import STATUS_ERROR, STATUS_SKIPPED, SourceDoc
from souverain_nlp.settings import MAX_ARTICLE_BYTES, OUTPUT_MARKER

#: Largest single article (file, JSONL line or record text) read, in bytes.
DEFAULT_MAX_BYTES = MAX_ARTICLE_BYTES
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
#: Invalid bytes kept by the "surrogateescape" decoding (U+DC80..U+DCFF), and any other lone
#: surrogate (JSON "\ud800" escapes), which no UTF-8 writer (Parquet, SQLite) accepts.
_ESCAPED = re.compile("[\udc80-\udcff]+")
_SURROGATE = re.compile("[\ud800-\udfff]")
#: Deepest HTML nesting (elements that need an end tag) passed to the HTML parser as it is:
#: libxml2 stops at 256 levels and the text below is lost.  Deeper pages have their tags
#: below HTML_KEEP_DEPTH removed first (their text is kept).  Real pages: under 40 levels.
HTML_MAX_DEPTH = 240
HTML_KEEP_DEPTH = 200
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)\b[^>]*?(/?)>")
#: Elements that never nest (void) or whose end tag is optional (the parser closes them).
_FLAT_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
     "source", "track", "wbr", "basefont", "frame", "keygen", "p", "li", "dt", "dd", "tr",
     "td", "th", "option", "optgroup", "thead", "tbody", "tfoot", "colgroup", "rt", "rp"}
)
_RAW_TAGS = ("script", "style", "textarea", "title")
_FEED = re.compile(
    r"\A\s*(?:<\?xml[^>]*\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*|<\?xml-stylesheet[^>]*\?>\s*)*"
    r"<(?:rss|feed|rdf:RDF)\b",
    re.S | re.I,
)

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
    return decode_text(data)[0]


def decode_text(data: bytes) -> tuple[str, list[str]]:
    """:func:`decode_bytes` and the notes on what was repaired (invalid UTF-8 bytes).

    Raises :class:`DecodeError` for binary data.
    """
    notes: list[str] = []
    for magic in _BINARY_MAGIC:
        if data.startswith(magic) and (magic != b"MZ" or b"\x00" in data[:512]):
            raise DecodeError(f"binary data (file signature {magic[:4]!r})")
    text: str | None = None
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            text = data[3:].decode("utf-8")
        except UnicodeDecodeError:  # the mark says UTF-8: repair what is not
            text, n_bad = _decode_mixed(data[3:], force=True)
            notes.append(f"{n_bad} byte(s) not valid UTF-8 decoded as cp1252 "
                         "(the rest of the text is UTF-8)")
    for bom, codec in ((b"\xff\xfe\x00\x00", "utf-32"),
                       (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"),
                       (b"\xfe\xff", "utf-16")):
        if text is None and data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"invalid {codec} text after its byte-order mark: {exc}") from exc
            break
    if text is None:
        if b"\x00" in data:
            raise DecodeError("binary data (NUL bytes)")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text, n_bad = _decode_mixed(data)
            if n_bad:
                notes.append(f"{n_bad} byte(s) not valid UTF-8 decoded as cp1252 "
                             "(the rest of the text is UTF-8)")
            else:
                text = _decode_western(data)
    if "\x00" in text:
        raise DecodeError("binary data (NUL characters)")
    n_control = len(_CONTROL.findall(text[:_CHUNK]))
    if n_control > BINARY_CONTROL_SHARE * min(len(text), _CHUNK):
        raise DecodeError(f"binary data ({n_control} control characters)")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, n_sur = safe_text(text)
    if n_sur:
        notes.append(f"{n_sur} invalid character(s) (lone surrogates) replaced by U+FFFD")
    return unicodedata.normalize("NFC", text), notes


def _decode_mixed(data: bytes, force: bool = False) -> tuple[str, int]:
    """UTF-8 text with some invalid bytes: (text, number of invalid bytes repaired).

    Text is UTF-8 when it holds more valid multi-byte UTF-8 characters than invalid bytes
    (a cp1252 or latin-1 file has practically none: its accented letters are lone high
    bytes); the invalid bytes are then decoded one by one as cp1252.  Returns ("", 0) when
    the data is not UTF-8 at all (``force``: the data is known to be UTF-8, by its BOM).
    """
    text = data.decode("utf-8", errors="surrogateescape")
    n_bad = sum(len(m.group()) for m in _ESCAPED.finditer(text))
    if not force:
        n_valid = len(text) - len(text.encode("ascii", errors="ignore")) - n_bad
        if n_valid <= n_bad:
            return "", 0

    def repair(m: re.Match[str]) -> str:
        raw = bytes(ord(ch) - 0xDC00 for ch in m.group())
        return raw.decode("cp1252", errors="replace")

    return _ESCAPED.sub(repair, text), n_bad


def safe_text(text: str) -> tuple[str, int]:
    """``text`` with lone surrogates replaced by U+FFFD, and how many there were."""
    if not _SURROGATE.search(text):
        return text, 0
    return _SURROGATE.subn("\ufffd", text)


def display_name(name: str) -> tuple[str, bool]:
    """A path as text every writer accepts, and whether it had to be repaired.

    File names that are not valid UTF-8 reach Python as lone surrogates
    ("surrogateescape"); their bytes are shown as ``\\xNN`` escapes instead, so the
    name stays unique and readable.
    """
    if not _SURROGATE.search(name):
        return name, False
    try:
        raw = name.encode("utf-8", errors="surrogateescape")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", name), True
    return raw.decode("utf-8", errors="backslashreplace"), True


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


def _input_id(source: str, key: bytes) -> str:
    """``article_id``: hash of where the article was read and of its raw bytes."""
    return content_id(source.encode("utf-8", errors="surrogatepass") + b"\x00" + key)


def _has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _text_doc(text: str, article_id: str, source: str, fmt: str, n_bytes: int,
              title: str | None = None, published: str | None = None,
              url: str | None = None) -> SourceDoc:
    if not text:
        return _doc_status(source, fmt, STATUS_SKIPPED, "empty text", n_bytes)
    if not text.strip():
        return _doc_status(source, fmt, STATUS_SKIPPED, "whitespace-only text", n_bytes)
    text, n_sur = safe_text(text)
    if not _has_words(text):
        return _doc_status(source, fmt, STATUS_SKIPPED,
                           "no letter or digit in the text (only symbols, emoji or invisible "
                           "characters)", n_bytes, raw_id=article_id.encode())
    notes = ([f"{n_sur} invalid character(s) (lone surrogates) replaced by U+FFFD"]
             if n_sur else [])
    return SourceDoc(article_id=article_id, source=source, raw_text=text, fmt=fmt,
                     title=_clean_field(title), published=iso_date(published),
                     url=_clean_field(url), n_bytes=n_bytes,
                     content_hash=content_id(text.encode("utf-8")), notes=notes)


def _clean_field(value: Any) -> str | None:
    if value is None:
        return None
    try:
        text = " ".join(str(value).split())
    except ValueError:  # an int too long to print (over 4,300 digits)
        return None
    return safe_text(text)[0] or None


def iso_date(value: Any) -> str | None:
    """Normalise a metadata date (ISO string, datetime, "05/05/2020", epoch) to YYYY-MM-DD."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            seconds = float(value) / (1000 if value > 1e11 else 1)
            return datetime.utcfromtimestamp(seconds).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    text = _clean_field(value) or ""
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
    """A :class:`SourceDoc` for text given in memory (the id hashes ``source`` and the text)."""
    data = text.encode("utf-8", errors="surrogatepass")
    normalised = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if "\x00" in normalised:
        return _doc_status(source, "txt", STATUS_SKIPPED, "binary data (NUL characters)",
                           len(data), raw_id=data)
    return _text_doc(normalised, _input_id(source, data), source, "txt", len(data),
                     title=title, published=published)


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


# --- HTML around the extraction ---------------------------------------------------------------


def html_depth(html: str) -> int:
    """Deepest nesting of elements that need an end tag (script and style bodies skipped)."""
    depth = deepest = 0
    stack: list[str] = []
    pos = 0
    while True:
        m = _TAG.search(html, pos)
        if m is None:
            return deepest
        pos = m.end()
        closing, name, selfclose = m.group(1), m.group(2).lower(), m.group(3)
        if name in _FLAT_TAGS or selfclose:
            continue
        if closing:
            if name in stack:
                while stack and stack.pop() != name:
                    pass
            depth = len(stack)
            continue
        if name in _RAW_TAGS:
            end = html.lower().find(f"</{name}", pos)
            pos = len(html) if end < 0 else end
        stack.append(name)
        depth = len(stack)
        deepest = max(deepest, depth)


def flatten_html(html: str, keep: int = HTML_KEEP_DEPTH) -> str:
    """``html`` without the tags nested deeper than ``keep`` levels (their text stays)."""
    out: list[str] = []
    stack: list[tuple[str, bool]] = []
    prev = 0
    for m in _TAG.finditer(html):
        closing, name, selfclose = m.group(1), m.group(2).lower(), m.group(3)
        if name in _FLAT_TAGS or selfclose:
            if len(stack) >= keep:
                out.append(html[prev:m.start()])
                prev = m.end()
            continue
        if closing:
            names = [n for n, _ in stack]
            if name in names:
                while stack:
                    top, kept = stack.pop()
                    if top == name:
                        if not kept:
                            out.append(html[prev:m.start()])
                            prev = m.end()
                        break
            continue
        kept = len(stack) < keep
        if not kept:
            out.append(html[prev:m.start()])
            prev = m.end()
        stack.append((name, kept))
    out.append(html[prev:])
    return "".join(out)


def _html_article(html: str, article_id: str, source: str, fmt: str, n_bytes: int,
                  title: str | None = None, published: str | None = None,
                  url: str | None = None) -> SourceDoc:
    """An HTML page (file or record field): feeds and over-deep pages first, then extraction."""
    if _FEED.match(html[:8192]):
        return _doc_status(source, fmt, STATUS_SKIPPED,
                           "an RSS/Atom feed (a list of links to articles), not an article page",
                           n_bytes, raw_id=article_id.encode())
    notes = []
    depth = html_depth(html)
    if depth > HTML_MAX_DEPTH:
        html = flatten_html(html)
        notes.append(f"HTML nested {depth} levels deep (the parser stops at 256): tags below "
                     f"level {HTML_KEEP_DEPTH} removed, their text kept")
    doc = _html_doc(html, article_id, source, fmt, n_bytes, title=title, published=published,
                    url=url)
    doc.notes[:0] = notes
    return doc


# --- files ---------------------------------------------------------------------------------


class _NotRegular(OSError):
    """A path that is not a regular file (named pipe, socket, device, folder)."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _open_regular(path: Path) -> tuple[BinaryIO, int]:
    """Open a regular file for reading, and its size; never blocks on a pipe or device.

    The file is opened non-blocking and checked on its descriptor, so a named pipe with no
    writer can neither hang the run nor be swapped in after a check.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _NotRegular(_kind(info.st_mode))
        return os.fdopen(fd, "rb"), info.st_size
    except BaseException:
        os.close(fd)
        raise


def _not_regular_doc(source: str, fmt: str, exc: _NotRegular) -> SourceDoc:
    if exc.kind == "a folder":
        return _doc_status(source, fmt, STATUS_ERROR, "cannot read file: it is a folder")
    return _doc_status(source, fmt, STATUS_SKIPPED,
                       f"not a regular file ({exc.kind}): never read, it could block the run")


def read_path(path: Path, root: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[SourceDoc]:
    """Read one file: one document for .txt/.html, one per record for .jsonl/.parquet.

    Never raises for bad data: problems give documents with status "skipped" or "error".
    A file name that is not valid UTF-8 is shown with ``\\xNN`` escapes in ``source``.
    """
    path = Path(path)
    try:
        rel = path.relative_to(root).as_posix()
    except ValueError:
        rel = path.name
    source, renamed = display_name(rel)
    for doc in _read_path(path, source, max_bytes):
        if renamed:
            doc.notes.insert(0, "file name is not valid UTF-8 (its bytes shown as \\x escapes)")
        yield doc


def _read_path(path: Path, source: str, max_bytes: int) -> Iterator[SourceDoc]:
    fmt = SUFFIXES.get(path.suffix.lower())
    if fmt is None:
        yield _doc_status(source, "txt", STATUS_SKIPPED,
                          f"unsupported file type {display_name(path.suffix)[0]!r}")
        return
    if fmt == "jsonl":
        yield from _read_jsonl(path, source, max_bytes)
        return
    if fmt == "parquet":
        yield from _read_parquet(path, source, max_bytes)
        return
    try:
        fh, size = _open_regular(path)
    except _NotRegular as exc:
        yield _not_regular_doc(source, fmt, exc)
        return
    except OSError as exc:
        yield _doc_status(source, fmt, STATUS_ERROR, f"cannot read file: {exc.strerror or exc}")
        return
    with fh:
        if size > max_bytes:
            yield _doc_status(source, fmt, STATUS_SKIPPED,
                              f"file too large ({size} bytes > limit of {max_bytes} bytes)", size)
            return
        try:
            data = fh.read(max_bytes + 1)  # one byte more: a file that grew is detected
        except OSError as exc:
            yield _doc_status(source, fmt, STATUS_ERROR,
                              f"cannot read file: {exc.strerror or exc}", size)
            return
    yield _doc_from_bytes(data, source, fmt, max_bytes)


def _doc_from_bytes(data: bytes, source: str, fmt: str, max_bytes: int) -> SourceDoc:
    n = len(data)
    if n > max_bytes:
        return _doc_status(source, fmt, STATUS_SKIPPED,
                           f"file too large (over the limit of {max_bytes} bytes)", n)
    if n == 0:
        return _doc_status(source, fmt, STATUS_SKIPPED, "empty file", 0)
    try:
        text, notes = decode_text(data)
    except DecodeError as exc:
        return _doc_status(source, fmt, STATUS_SKIPPED, str(exc), n, raw_id=data)
    if not text.strip():
        return _doc_status(source, fmt, STATUS_SKIPPED, "whitespace-only file", n, raw_id=data)
    ident = _input_id(source, data)
    if fmt == "html":
        doc = _html_article(text, ident, source, fmt, n)
    else:
        doc = _text_doc(text, ident, source, fmt, n)
    doc.notes[:0] = notes
    return doc


# --- collections -------------------------------------------------------------------------------


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


def _text_value(value: Any) -> str | None:
    """A record's text or html field as text: a string, or a list of strings (paragraphs)."""
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, list | tuple) and value and all(isinstance(v, str) for v in value):
        joined = "\n".join(value)
        return joined if joined.strip() else None
    return None


def _what(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list | tuple):
        return "a list" if value else "an empty list"
    if isinstance(value, Mapping):
        return "an object"
    return f"a {type(value).__name__}"


def _no_text_reason(record: Mapping[str, Any]) -> str:
    """Why a record gives no text: no field, empty fields, or fields of the wrong type."""
    present = [(str(k), v) for k, v in record.items()
               if str(k).lower() in (*TEXT_FIELDS, *HTML_FIELDS)]
    if not present:
        return "record has no text or html field"
    for key, value in present:
        if value is not None and not isinstance(value, str) and not (
            isinstance(value, list | tuple) and value
            and all(isinstance(v, str) for v in value)
        ):
            return f"record field {key!r} holds {_what(value)}, not text"
    return "record text is empty"


def doc_from_record(record: Any, source_prefix: str, position: int, fmt: str,
                    max_bytes: int = DEFAULT_MAX_BYTES) -> SourceDoc:
    """A :class:`SourceDoc` for one collection record (JSONL line or Parquet row).

    ``source`` is ``"<file>#<record id>"``, or ``"<file>#<position>"`` (1-based line or row
    number) when the record has no id.  A ``text`` given as a list of strings is read as
    paragraphs.  Never raises for bad data (deeply nested values included).
    """
    try:
        return _doc_from_record(record, source_prefix, position, fmt, max_bytes)
    except (RecursionError, ValueError) as exc:  # nesting or numbers past Python's limits
        return _doc_status(f"{source_prefix}#{position}", fmt, STATUS_ERROR,
                           f"record {position} cannot be read: {type(exc).__name__}: "
                           f"{str(exc)[:200]}", raw_id=f"{position}".encode())


def _doc_from_record(record: Any, source_prefix: str, position: int, fmt: str,
                     max_bytes: int) -> SourceDoc:
    if not isinstance(record, Mapping):
        return _doc_status(f"{source_prefix}#{position}", fmt, STATUS_ERROR,
                           f"record {position} is a JSON {type(record).__name__}, not an object",
                           raw_id=f"{position}".encode())
    rid = _field(record, ID_FIELDS)
    source = f"{source_prefix}#{_clean_field(rid) or position}"
    raw = f"{position}".encode() + b"\x00" + _canonical(record)
    ident = _input_id(source, raw)
    body = _text_value(_field(record, TEXT_FIELDS))
    page = _text_value(_field(record, HTML_FIELDS))
    chosen = body if body is not None else page
    if chosen is None:
        return _doc_status(source, fmt, STATUS_SKIPPED, _no_text_reason(record), len(raw),
                           raw_id=raw)
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
        return _html_article(safe_text(chosen)[0], ident, source, fmt, size,
                             title=_clean_field(title), published=iso_date(published),
                             url=_clean_field(url))
    text_n = unicodedata.normalize("NFC", body.replace("\r\n", "\n").replace("\r", "\n"))
    return _text_doc(text_n, ident, source, fmt, size, title=title, published=published,
                     url=url)


def _read_jsonl(path: Path, source: str, max_bytes: int) -> Iterator[SourceDoc]:
    try:
        fh, _ = _open_regular(path)
    except _NotRegular as exc:
        yield _not_regular_doc(source, "jsonl", exc)
        return
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
            except (UnicodeDecodeError, ValueError, RecursionError) as exc:
                reason = ("nested too deeply" if isinstance(exc, RecursionError)
                          else str(exc)[:200])
                yield _doc_status(f"{source}#{lineno}", "jsonl", STATUS_ERROR,
                                  f"malformed JSON on line {lineno}: {reason}", len(line),
                                  raw_id=f"{source}#{lineno}".encode() + b"\x00" + line)
                continue
            yield doc_from_record(record, source, lineno, "jsonl", max_bytes)
    if n_records == 0:
        yield _doc_status(source, "jsonl", STATUS_SKIPPED, "empty collection (no records)")


def _read_parquet(path: Path, source: str, max_bytes: int) -> Iterator[SourceDoc]:
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise _NotRegular(_kind(info.st_mode))
    except _NotRegular as exc:
        yield _not_regular_doc(source, "parquet", exc)
        return
    except OSError as exc:
        yield _doc_status(source, "parquet", STATUS_ERROR,
                          f"cannot read file: {exc.strerror or exc}")
        return
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


def is_output_folder(path: Path, excluded: Iterable[str] = ()) -> bool:
    """Whether a folder holds the tables of a run (``OUTPUT_MARKER``) or is excluded."""
    try:
        return os.path.realpath(path) in excluded or (Path(path) / OUTPUT_MARKER).is_file()
    except OSError:
        return False


def iter_corpus(root: Path, max_bytes: int = DEFAULT_MAX_BYTES,
                exclude: Iterable[Path] = ()) -> Iterator[SourceDoc]:
    """Yield one :class:`SourceDoc` per article under ``root``, in sorted path order.

    Walks sub-folders (not following symbolic links to folders), ignores hidden files and
    dot-folders, files of other types, the folders in ``exclude`` and every output folder of
    a run (one holding ``OUTPUT_MARKER``).  Never raises for bad data.
    """
    root = Path(root)
    if root.is_file():
        yield from read_path(root, root.parent, max_bytes)
        return
    excluded = {os.path.realpath(p) for p in exclude}
    errors: list[OSError] = []
    found: list[tuple[str, Path]] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append, followlinks=False):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")
                       and not is_output_folder(Path(dirpath) / d, excluded)]
        for name in filenames:
            if name.startswith(".") or Path(name).suffix.lower() not in SUFFIXES:
                continue
            path = Path(dirpath) / name
            found.append((display_name(path.relative_to(root).as_posix())[0], path))
    for err in errors:
        where = Path(err.filename) if err.filename else root
        try:
            source = where.relative_to(root).as_posix()
        except ValueError:
            source = str(where)
        found.append((display_name(source)[0], where))
    for source, path in sorted(found, key=lambda item: item[0]):
        if path.is_dir():
            yield _doc_status(source, "txt", STATUS_ERROR,
                              "cannot read folder (permission denied?)")
            continue
        yield from read_path(path, root, max_bytes)

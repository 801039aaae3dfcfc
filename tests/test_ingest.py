"""Tests of the ingest stage on real files written to disk."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from souverain_nlp.ingest import (
    DEFAULT_MAX_BYTES,
    HTML_KEEP_DEPTH,
    decode_bytes,
    decode_text,
    display_name,
    doc_from_text,
    flatten_html,
    html_depth,
    iter_corpus,
    read_path,
)
from souverain_nlp.records import STATUS_ERROR, STATUS_OK, STATUS_SKIPPED

FIXTURES = Path(__file__).parent / "fixtures" / "bad_inputs"
TEXT = ("La coopérative Ker Avel a signé l’accord « cadre » avec Nordsoft.\n"
        "Le coût atteint 2 M€ à l'été.\n")


def _one(path: Path, root: Path, **kw) -> object:
    docs = list(read_path(path, root, **kw))
    assert len(docs) == 1
    return docs[0]


def test_utf8_plain_ids_per_input_and_content_hash(tmp_path: Path) -> None:
    data = TEXT.encode("utf-8")
    (tmp_path / "a.txt").write_bytes(data)
    (tmp_path / "copy.txt").write_bytes(data)  # a wire copy: same content, another file
    doc = _one(tmp_path / "a.txt", tmp_path)
    copy = _one(tmp_path / "copy.txt", tmp_path)
    assert doc.status == STATUS_OK and doc.raw_text == TEXT and doc.fmt == "txt"
    assert doc.content_hash == hashlib.sha256(data).hexdigest()[:16] == copy.content_hash
    assert doc.article_id == hashlib.sha256(b"a.txt\x00" + data).hexdigest()[:16]
    assert copy.article_id != doc.article_id
    assert doc.article_id == _one(tmp_path / "a.txt", tmp_path).article_id  # stable
    assert doc.source == "a.txt" and doc.n_bytes == len(data)


def test_utf8_bom_and_crlf(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_bytes(b"\xef\xbb\xbf" + TEXT.replace("\n", "\r\n").encode())
    doc = _one(tmp_path / "b.txt", tmp_path)
    assert doc.raw_text == TEXT
    assert "\r" not in doc.raw_text and not doc.raw_text.startswith("\ufeff")


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_single_byte_encodings(tmp_path: Path, encoding: str) -> None:
    text = TEXT if encoding == "cp1252" else TEXT.replace("’", "'").replace("€", "E")
    (tmp_path / "c.txt").write_bytes(text.encode(encoding))
    doc = _one(tmp_path / "c.txt", tmp_path)
    assert doc.status == STATUS_OK
    assert doc.raw_text == text


def test_lone_cr_newlines() -> None:
    assert decode_bytes(b"un\rdeux\r\ntrois") == "un\ndeux\ntrois"


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "empty file"),
    (b"  \n\t \r\n ", "whitespace-only file"),
])
def test_empty_and_whitespace(tmp_path: Path, content: bytes, expected: str) -> None:
    (tmp_path / "e.txt").write_bytes(content)
    doc = _one(tmp_path / "e.txt", tmp_path)
    assert doc.status == STATUS_SKIPPED and doc.error == expected and doc.raw_text == ""


def test_binary_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "bin.txt").write_bytes(b"abc\x00\x01\x02" * 100)
    (tmp_path / "img.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    for name in ("bin.txt", "img.html"):
        doc = _one(tmp_path / name, tmp_path)
        assert doc.status == STATUS_SKIPPED and "binary" in doc.error


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.txt"
    path.write_text(TEXT, encoding="utf-8")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):  # running as root: permissions are not enforced
            pytest.skip("file stays readable (running as root)")
        doc = _one(path, tmp_path)
        assert doc.status == STATUS_ERROR and "cannot read" in doc.error
    finally:
        path.chmod(0o644)


def test_unreadable_simulated(tmp_path: Path) -> None:
    """A path that vanishes or cannot be opened gives an error document, not an exception."""
    doc = _one(tmp_path / "missing.txt", tmp_path)
    assert doc.status == STATUS_ERROR and "cannot read" in doc.error
    folder = tmp_path / "dir.txt"  # a folder named like a text file
    folder.mkdir()
    doc = _one(folder, tmp_path)
    assert doc.status == STATUS_ERROR


def test_oversize_file(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_bytes(b"mot " * 300)
    doc = _one(tmp_path / "big.txt", tmp_path, max_bytes=1000)
    assert doc.status == STATUS_SKIPPED and "too large" in doc.error and doc.n_bytes == 1200
    assert DEFAULT_MAX_BYTES >= 1 << 20


def test_html_with_script_and_style(tmp_path: Path) -> None:
    html = (
        "<html><head><title>Nordsoft équipe Ker Avel</title>"
        "<meta property='article:published_time' content='2021-03-04T09:00:00+01:00'>"
        "<style>.x{color:red} STYLE_LEAK</style><script>var a='SCRIPT_LEAK';</script>"
        "</head><body><nav><a href='/'>Accueil</a></nav><article>"
        "<p>La coopérative bretonne Ker Avel a signé un accord avec l'éditeur allemand "
        "Nordsoft pour équiper ses entrepôts d'un logiciel de suivi des stocks.</p>"
        "<script>document.write('SCRIPT_LEAK')</script>"
        "<p>Le contrat, d'une durée de trois ans, couvre les douze sites de la coopérative et "
        "prévoit la formation de deux cents salariés au nouvel outil.</p>"
        "</article></body></html>"
    )
    (tmp_path / "p.html").write_text(html, encoding="utf-8")
    doc = _one(tmp_path / "p.html", tmp_path)
    assert doc.status == STATUS_OK and doc.fmt == "html"
    assert "SCRIPT_LEAK" not in doc.raw_text and "STYLE_LEAK" not in doc.raw_text
    assert "color:red" not in doc.raw_text
    assert "Nordsoft pour équiper" in doc.raw_text and "deux cents salariés" in doc.raw_text
    assert doc.title == "Nordsoft équipe Ker Avel"
    assert doc.published == "2021-03-04"
    # paragraphs are separate lines
    assert any(line.startswith("Le contrat") for line in doc.raw_text.split("\n"))


def test_jsonl_with_malformed_line(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "x1", "title": "Un", "published": "2021-02-03T10:00:00Z",
                    "url": "https://exemple.fr/1", "text": "Premier article.\r\nSuite."}),
        '{"id": "x2", "text": "oubli" "de virgule"}',
        "",
        json.dumps({"headline": "Deux", "date": "04/02/2021", "html":
                    "<html><body><article><p>Deuxième article publié en HTML dans un "
                    "enregistrement, avec assez de texte pour être extrait proprement.</p>"
                    "</article></body></html>"}),
        json.dumps(["pas", "un", "objet"]),
        json.dumps({"id": "x5", "title": "Sans texte"}),
    ]
    (tmp_path / "c.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs = list(read_path(tmp_path / "c.jsonl", tmp_path))
    assert [d.source for d in docs] == ["c.jsonl#x1", "c.jsonl#2", "c.jsonl#4", "c.jsonl#5",
                                        "c.jsonl#x5"]
    first, bad, html, not_obj, empty = docs
    assert first.status == STATUS_OK and first.raw_text == "Premier article.\nSuite."
    assert first.title == "Un" and first.published == "2021-02-03"
    assert first.url == "https://exemple.fr/1" and first.fmt == "jsonl"
    record = json.loads(lines[0])
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    raw = b"c.jsonl#x1\x00" + b"1\x00" + canonical.encode()
    assert first.article_id == hashlib.sha256(raw).hexdigest()[:16]
    assert first.content_hash == hashlib.sha256(first.raw_text.encode()).hexdigest()[:16]
    assert bad.status == STATUS_ERROR and "malformed JSON on line 2" in bad.error
    assert html.status == STATUS_OK and "Deuxième article" in html.raw_text
    assert html.title == "Deux" and html.published == "2021-02-04"
    assert not_obj.status == STATUS_ERROR
    assert empty.status == STATUS_SKIPPED and "no text" in empty.error


def test_jsonl_oversize_line_is_skipped_and_reading_goes_on(tmp_path: Path) -> None:
    big = json.dumps({"id": "big", "text": "x" * 5000})
    small = json.dumps({"id": "ok", "text": "Un petit article."})
    (tmp_path / "c.jsonl").write_text(big + "\n" + small + "\n", encoding="utf-8")
    docs = list(read_path(tmp_path / "c.jsonl", tmp_path, max_bytes=1000))
    assert docs[0].status == STATUS_SKIPPED and "too large" in docs[0].error
    assert docs[1].status == STATUS_OK and docs[1].source == "c.jsonl#ok"


def test_parquet_collection(tmp_path: Path) -> None:
    table = pa.table({"id": ["r1", None, "r3"], "title": ["Un", "Deux", None],
                      "published": ["2022-01-10", "2022-01-11", None],
                      "text": ["Texte un.", "Texte deux.", ""]})
    pq.write_table(table, tmp_path / "col.parquet")
    docs = list(read_path(tmp_path / "col.parquet", tmp_path))
    assert [d.source for d in docs] == ["col.parquet#r1", "col.parquet#2", "col.parquet#r3"]
    assert [d.status for d in docs] == [STATUS_OK, STATUS_OK, STATUS_SKIPPED]
    assert docs[0].raw_text == "Texte un." and docs[0].published == "2022-01-10"
    assert docs[0].fmt == "parquet" and docs[1].title == "Deux"


def test_corrupt_parquet(tmp_path: Path) -> None:
    (tmp_path / "bad.parquet").write_bytes(b"PAR1 this is not really parquet")
    docs = list(read_path(tmp_path / "bad.parquet", tmp_path))
    assert len(docs) == 1 and docs[0].status == STATUS_ERROR


def test_iter_corpus_sorted_recursive_ignores_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".cache").mkdir()
    (tmp_path / "b" / "z.txt").write_text("Texte z.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Texte a.", encoding="utf-8")
    (tmp_path / "c.htm").write_text("<html><body><p>Texte c assez long pour une page web "
                                    "minimale.</p></body></html>", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("caché", encoding="utf-8")
    (tmp_path / ".cache" / "x.txt").write_text("caché", encoding="utf-8")
    (tmp_path / "notes.md").write_text("ignoré", encoding="utf-8")
    sources = [d.source for d in iter_corpus(tmp_path)]
    assert sources == ["a.txt", "b/z.txt", "c.htm"]
    assert sources == [d.source for d in iter_corpus(tmp_path)]


def test_doc_from_text() -> None:
    doc = doc_from_text("Ligne un\r\nLigne deux", "mem", published="2020-05-01", title="T")
    assert doc.raw_text == "Ligne un\nLigne deux" and doc.source == "mem"
    assert doc.published == "2020-05-01" and doc.title == "T" and doc.status == STATUS_OK
    assert doc_from_text("   ", "blank").status == STATUS_SKIPPED


def test_bad_input_fixtures_never_raise() -> None:
    docs = list(iter_corpus(FIXTURES))
    by_source = {d.source: d for d in docs}
    assert by_source["empty.txt"].status == STATUS_SKIPPED
    assert by_source["whitespace_only.txt"].status == STATUS_SKIPPED
    assert by_source["binary_nul.txt"].status == STATUS_SKIPPED
    assert by_source["binary_png.html"].status == STATUS_SKIPPED
    assert "d’un logiciel" in by_source["cp1252.txt"].raw_text
    assert "2 M€" in by_source["cp1252.txt"].raw_text
    assert "coopérative" in by_source["latin1.txt"].raw_text
    assert "\r" not in by_source["utf8_bom_crlf.txt"].raw_text
    assert "SCRIPT_MUST_NOT_LEAK" not in by_source["html_script_style.html"].raw_text
    assert by_source["malformed_line.jsonl#2"].status == STATUS_ERROR
    assert by_source["collection.parquet#p2"].status == STATUS_SKIPPED
    assert all(d.error for d in docs if d.status != STATUS_OK)
    assert len({d.article_id for d in docs}) == len(docs)


# --- hostile input (issue 14) ------------------------------------------------------------------


def test_invalid_utf8_bytes_are_repaired_and_recorded() -> None:
    good = TEXT.encode("utf-8")
    text, notes = decode_text(good.replace("é".encode(), b"\xe9", 1))
    assert text == TEXT and notes == ["1 byte(s) not valid UTF-8 decoded as cp1252 (the rest "
                                      "of the text is UTF-8)"]
    text, notes = decode_text(b"\xef\xbb\xbf" + good[:20] + b"\x81" + good[20:])
    assert "\ufffd" in text and "Ã" not in text and notes  # BOM: UTF-8 whatever the count
    assert decode_text(TEXT.replace("’", "'").replace("€", "E").encode("cp1252")) == (
        TEXT.replace("’", "'").replace("€", "E"), [])  # a cp1252 file is not "repaired"


def test_file_names_that_are_not_utf8(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.txt")
    (tmp_path / name).write_text(TEXT, encoding="utf-8")
    [doc] = iter_corpus(tmp_path)
    assert doc.status == STATUS_OK and doc.source == "caf\\xe9.txt"
    assert "not valid UTF-8" in doc.notes[0]
    doc.source.encode("utf-8")
    assert display_name("plain.txt") == ("plain.txt", False)


def test_named_pipes_are_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    os.mkfifo(tmp_path / "pipe.jsonl")
    os.mkfifo(tmp_path / "pipe.parquet")
    docs = list(iter_corpus(tmp_path))  # would block forever on open() without a writer
    assert [d.status for d in docs] == [STATUS_SKIPPED] * 3
    assert all("named pipe" in d.error for d in docs)


def test_deep_json_and_odd_record_fields(tmp_path: Path) -> None:
    lines = ["[" * 1000 + "]" * 1000, json.dumps({"id": "n", "text": 3.5}),
             json.dumps({"id": "b", "text": True}), json.dumps({"id": "o", "body": {"a": 1}}),
             json.dumps({"id": "l", "text": ["Un.", "Deux."]}), json.dumps({"id": "e", "text": ""}),
             json.dumps({"id": "s", "text": "Texte \ud800 coupé."}), "1" * 5000]
    (tmp_path / "odd.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs = {d.source: d for d in read_path(tmp_path / "odd.jsonl", tmp_path)}
    assert docs["odd.jsonl#1"].status == STATUS_ERROR
    assert "nested too deeply" in docs["odd.jsonl#1"].error
    assert "'text' holds a number" in docs["odd.jsonl#n"].error
    assert "'text' holds a boolean" in docs["odd.jsonl#b"].error
    assert "'body' holds an object" in docs["odd.jsonl#o"].error
    assert docs["odd.jsonl#l"].raw_text == "Un.\nDeux."
    assert docs["odd.jsonl#e"].error == "record text is empty"
    assert docs["odd.jsonl#s"].raw_text == "Texte \ufffd coupé."
    assert "surrogates" in docs["odd.jsonl#s"].notes[0]
    assert docs["odd.jsonl#8"].status == STATUS_ERROR  # an int over Python's 4,300 digits


@pytest.mark.parametrize("text", ["😀🎉" * 50, "\u200b\u200d" * 50, "… — « » ·"])
def test_text_without_letters_is_skipped(tmp_path: Path, text: str) -> None:
    (tmp_path / "s.txt").write_text(text, encoding="utf-8")
    doc = _one(tmp_path / "s.txt", tmp_path)
    assert doc.status == STATUS_SKIPPED and "no letter or digit" in doc.error


def test_feeds_and_deep_html(tmp_path: Path) -> None:
    (tmp_path / "feed.html").write_text(
        '<?xml version="1.0"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
        "</feed>", encoding="utf-8")
    assert "RSS/Atom" in _one(tmp_path / "feed.html", tmp_path).error
    body = "<p>La coopérative Ker Avel a signé un accord avec Nordsoft pour ses entrepôts.</p>"
    deep = "<html><body>" + "<div><span>" * 200 + body + "</span></div>" * 200 + "</body></html>"
    assert html_depth(deep) == 402
    assert html_depth(flatten_html(deep)) == HTML_KEEP_DEPTH
    (tmp_path / "deep.html").write_text(deep, encoding="utf-8")
    doc = _one(tmp_path / "deep.html", tmp_path)
    assert doc.status == STATUS_OK and "Nordsoft" in doc.raw_text
    assert "nested 402 levels deep" in doc.notes[0]
    shallow = "<html><body><script>if (a<b) {'<div>'}</script>" + body + "</body></html>"
    assert html_depth(shallow) == 3


def test_output_folders_are_not_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / ".souverain-nlp-outputs").write_text("", encoding="utf-8")
    (tmp_path / "out" / "articles.parquet").write_bytes(b"PAR1")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "b.txt").write_text(TEXT, encoding="utf-8")
    assert [d.source for d in iter_corpus(tmp_path)] == ["a.txt", "mine/b.txt"]
    assert [d.source for d in iter_corpus(tmp_path, exclude=[tmp_path / "mine"])] == ["a.txt"]

"""Property tests: ingest and extraction return a result on any input, without raising.

Random bytes (under every supported suffix), random nested JSON records and random
French-like text go through ``ingest`` and ``extract``; every document has a status, a
reason when it is not ok, and text every writer accepts (valid UTF-8).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from souverain_nlp import ingest
from souverain_nlp.pipeline import extract_text
from souverain_nlp.records import STATUS_ERROR, STATUS_OK, STATUS_SKIPPED

FRENCH_BITS = st.sampled_from(
    [
        "Orange", "a signé", "un partenariat", "avec", "Google", "en mars 2021", "pour",
        "développer", "le groupe", "français", "et", "Microsoft", ",", ".", "\n", "«", "»",
        "l'accord", "entre", "Renault", "Nissan", "jeudi", "(", ")", "il", "qui", "ne", "pas",
        "d'ici 2025", "L'objectif :", "selon", "pourrait", "va", "s'allier", "-", "–", ":",
        "😀", "\u200b", "((((((((((", "partenariat", "\ufffd",
    ]
)

texts = st.one_of(
    st.text(max_size=300),
    st.lists(FRENCH_BITS, max_size=60).map(" ".join),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=2000, max_size=4000),
)

#: JSON values nested at random, with the field names ingest looks for.
KEYS = st.sampled_from(["id", "text", "html", "title", "published", "url", "body", "x", "Text"])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=80) | st.lists(FRENCH_BITS, max_size=10).map(" ".join),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children,
                                                                      max_size=5),
    max_leaves=25,
)
records = st.one_of(st.dictionaries(KEYS, json_values, max_size=6), json_values)

PROPS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check_docs(docs: list[ingest.SourceDoc]) -> None:
    assert docs
    for doc in docs:
        assert doc.status in (STATUS_OK, STATUS_SKIPPED, STATUS_ERROR)
        assert (doc.status == STATUS_OK) == (doc.error is None), doc
        for value in (doc.source, doc.raw_text, doc.title, doc.url, doc.error, *doc.notes):
            if value is not None:
                value.encode("utf-8")  # no lone surrogate: Parquet and SQLite accept it
        if doc.status == STATUS_OK:
            assert doc.raw_text.strip() and doc.content_hash


@PROPS
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(sorted(ingest.SUFFIXES)))
@example(data=b"Le caf\xe9 et le th\xc3\xa9 sont servis.", suffix=".txt")
@example(data=b"\xef\xbb\xbfUn \xff octet invalide apr\xc3\xa8s la marque.", suffix=".txt")
@example(data=b"[" * 5000, suffix=".jsonl")
def test_ingest_never_raises_on_random_bytes(data, suffix):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"random{suffix}"
        path.write_bytes(data)
        _check_docs(list(ingest.iter_corpus(Path(tmp))))


@PROPS
@given(lines=st.lists(records, min_size=1, max_size=5))
@example(lines=[{"text": "\ud800 demi-caractère"}])
@example(lines=[{"text": 10**50, "id": [1, {"a": None}]}])
def test_ingest_never_raises_on_random_json(lines):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "random.jsonl"
        path.write_text("\n".join(json.dumps(r) for r in lines) + "\n", encoding="utf-8")
        docs = list(ingest.iter_corpus(Path(tmp)))
        _check_docs(docs)
        assert len({d.article_id for d in docs}) == len(docs)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, published=st.sampled_from([None, "2021-05-28", "n'importe quoi"]))
@example(text="SIGNé ENTRE", published=None)  # a partner preposition as the last token
@example(text="(" * 3000 + " Orange a signé un partenariat avec Google.", published=None)
def test_extraction_never_raises(text, published):
    tables = extract_text(text, source="random.txt", published=published)
    for event in tables.events:
        assert len(event["who"]) + len(event["with_whom"]) >= 2
        assert 0 <= event["start"] <= event["end"]
    assert len(tables.articles) == 1


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2000) | st.lists(FRENCH_BITS, max_size=80).map(
    lambda bits: " ".join(bits).encode("utf-8")))
def test_extraction_of_whatever_ingest_reads_never_raises(data):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "random.txt"
        path.write_bytes(data)
        [doc] = ingest.read_path(path, Path(tmp))
        if doc.status == STATUS_OK:
            tables = extract_text(doc.raw_text, source=doc.source)
            assert len(tables.articles) == 1

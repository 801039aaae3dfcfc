"""Hostile input (issue 14): every file below sits next to one good article in a corpus the
test writes; the real pipeline runs over it through the command line.  The run completes,
every input has a row with a status and a reason, the good article's events are intact,
exit codes follow the README and time and memory stay bounded."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from conftest import CORPUS, ROOT

from souverain_nlp import ingest
from souverain_nlp.settings import MAX_ARTICLE_BYTES, NLP_PART_CHARS, Settings
from souverain_nlp.store import TABLES

CLI = [sys.executable, "-m", "souverain_nlp"]
GOOD = CORPUS / "000_7270e3a3098e8ce5.txt"
#: A word cheap for spaCy (one long token) to make texts over spaCy's 1,000,000 characters.
FILLER = "anticonstitutionnellement "
PURPOSES = ("accélérer sa transformation numérique", "équiper ses usines de capteurs",
            "développer ses services connectés", "former ses ingénieurs", "vendre ses données")


def late_deal(n: int) -> str:
    """A deal sentence, different in every file (a line shared by files is boilerplate)."""
    return f"Renault a signé un partenariat avec Google Cloud pour {PURPOSES[n]}."


DEEP_DEAL = ("<p>Le groupe Orange a signé un partenariat avec Google Cloud pour accélérer sa "
             "transformation numérique, a annoncé le groupe mardi.</p>")
#: Bounds of the whole hostile run (one process, model included); measured: about 70 s and
#: 1.1 GB on 2 cores.  Without the limits the trigger file alone takes more than 10 minutes
#: and 1.5 GB.
MAX_SECONDS = 420
MAX_RSS_MB = 2500


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def _cli(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], cwd=ROOT, env=_env(), capture_output=True, text=True,
                          timeout=timeout)


def _long_line(n_chars: int) -> str:
    return FILLER * (n_chars // len(FILLER))


def write_hostile_corpus(root: Path) -> dict[str, str]:
    """The hostile files of issue 14 and the good article; returns source -> expected status."""
    root.mkdir(parents=True, exist_ok=True)
    good = GOOD.read_bytes()
    (root / "good.txt").write_bytes(good)
    expected = {"good.txt": "ok"}
    # over spaCy's 1,000,000 characters: a one-line text, an HTML page, a JSONL record
    (root / "long.txt").write_text(
        "Orange a signé un accord avec Google pour la 5G.\n" + _long_line(1_200_000) + "\n"
        + late_deal(0) + "\n", encoding="utf-8")
    expected["long.txt"] = "ok"
    paragraphs = "".join(f"<p>Paragraphe {i} : {FILLER * 30}</p>\n" for i in range(1_600))
    (root / "long.html").write_text(
        f"<html><head><title>Une très longue page</title></head><body><article>{paragraphs}"
        f"<p>{late_deal(1)}</p></article></body></html>", encoding="utf-8")
    expected["long.html"] = "ok"
    with open(root / "big.jsonl", "w", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "big", "text": _long_line(1_100_000) + "\n" + late_deal(2)})
                 + "\n")
        fh.write("[" * 1000 + "]" * 1000 + "\n")  # 1,000 levels deep: a RecursionError
        fh.write(json.dumps({"id": "number", "text": 42}) + "\n")
        fh.write(json.dumps({"id": "list", "text": ["Premier paragraphe.", late_deal(3)]})
                 + "\n")
    expected.update({"big.jsonl#big": "ok", "big.jsonl#2": "error",
                     "big.jsonl#number": "skipped", "big.jsonl#list": "ok"})
    # a file name that is not UTF-8, a named pipe
    (root / os.fsdecode(b"caf\xe9.txt")).write_bytes(good)
    expected["caf\\xe9.txt"] = "ok"
    os.mkfifo(root / "pipe.txt")
    expected["pipe.txt"] = "skipped"
    # 50,000 trigger words, a flood of symbols, emoji only, zero-width only
    (root / "triggers.txt").write_text("partenariat " * 50_000, encoding="utf-8")
    expected["triggers.txt"] = "ok"
    (root / "symbols.txt").write_text(
        "Le groupe publie ses résultats ce mardi. " + "(" * 60_000 + " " + "😀" * 20_000 + " "
        + late_deal(4) + "\n", encoding="utf-8")
    expected["symbols.txt"] = "ok"
    (root / "emoji.txt").write_text("😀🎉🚀" * 300, encoding="utf-8")
    (root / "zero_width.txt").write_text("\u200b\u200c" * 300, encoding="utf-8")
    expected.update({"emoji.txt": "skipped", "zero_width.txt": "skipped"})
    # one invalid byte in UTF-8 text; an identical copy (a wire story published twice)
    (root / "one_bad_byte.txt").write_bytes(good.replace("é".encode(), b"\xe9", 1))
    (root / "copy.txt").write_bytes(good)
    expected.update({"one_bad_byte.txt": "ok", "copy.txt": "ok"})
    # an RSS feed, HTML nested 300 levels deep
    (root / "feed.html").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Flux'
        "</title><item><title>Orange signe avec Google</title><link>https://exemple.fr/1</link>"
        "</item></channel></rss>", encoding="utf-8")
    (root / "deep.html").write_text(
        "<html><body>" + "<div>" * 300 + DEEP_DEAL + "</div>" * 300 + "</body></html>",
        encoding="utf-8")
    expected.update({"feed.html": "skipped", "deep.html": "ok"})
    return expected


def _keyed(events: list[dict], article_id: str) -> list[tuple]:
    return sorted(
        (tuple(sorted(e["party_ids"])), e["kind"], e["status"], e["date"], e["purpose"])
        for e in events if e["article_id"] == article_id
    )


def _run_measured(args: list[str], logs: Path) -> tuple[int, float, float, str, str]:
    """Run the CLI; (exit code, seconds, peak RSS of the process in MB, stdout, stderr)."""
    started = time.monotonic()
    out, err = logs / "stdout.txt", logs / "stderr.txt"
    with open(out, "w") as so, open(err, "w") as se:
        proc = subprocess.Popen([*CLI, *args], cwd=ROOT, env=_env(), stdout=so, stderr=se)
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - started > MAX_SECONDS:
            proc.kill()
            os.wait4(proc.pid, 0)
            pytest.fail(f"the hostile run did not finish within {MAX_SECONDS} s")
        time.sleep(0.2)
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    seconds = time.monotonic() - started
    return (proc.returncode, seconds, usage.ru_maxrss / 1024, out.read_text(),
            err.read_text())


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("hostile")
    expected = write_hostile_corpus(corpus)
    out = tmp_path_factory.mktemp("hostile_out")
    code, seconds, peak, stdout, stderr = _run_measured(
        ["run", str(corpus), "--out", str(out), "--quiet", "--workers", "1", "--no-cache"],
        tmp_path_factory.mktemp("hostile_logs"))
    articles = {a["source"]: a for a in pq.read_table(out / "articles.parquet").to_pylist()}
    events = pq.read_table(out / "events.parquet").to_pylist()
    return {"code": code, "seconds": seconds, "peak": peak, "stdout": stdout, "stderr": stderr,
            "articles": articles, "events": events, "expected": expected, "corpus": corpus,
            "out": out}


def test_the_run_completes_with_a_row_and_a_reason_for_every_input(hostile_run):
    run = hostile_run
    assert run["code"] == 1, run["stderr"]  # the nested line is an error: "some failed"
    assert "Traceback" not in run["stderr"]
    articles = run["articles"]
    assert set(articles) == set(run["expected"])
    for source, status in run["expected"].items():
        row = articles[source]
        assert row["status"] == status, (source, row["error"], row["notes"])
        if status != "ok":
            assert row["error"], source
    reasons = {s: (a["error"] or "") + " " + (a["notes"] or "") for s, a in articles.items()}
    assert "nested too deeply" in reasons["big.jsonl#2"]
    assert "named pipe" in reasons["pipe.txt"]
    assert "holds a number" in reasons["big.jsonl#number"]
    assert "no letter or digit" in reasons["emoji.txt"]
    assert "no letter or digit" in reasons["zero_width.txt"]
    assert "RSS/Atom feed" in reasons["feed.html"]
    assert "not valid UTF-8" in reasons["caf\\xe9.txt"]
    assert "1 byte(s) not valid UTF-8" in reasons["one_bad_byte.txt"]
    assert "nested 302 levels deep" in reasons["deep.html"]
    assert "sentence(s) over 400 tokens" in reasons["triggers.txt"]
    assert "punctuation or symbol" in reasons["symbols.txt"]
    assert "errors 1" in run["stdout"]


def test_time_and_memory_stay_bounded(hostile_run):
    assert hostile_run["seconds"] < MAX_SECONDS
    assert hostile_run["peak"] < MAX_RSS_MB, f"peak RSS {hostile_run['peak']:.0f} MB"


def test_texts_over_spacy_limit_are_analysed_whole(hostile_run):
    articles, events = hostile_run["articles"], hostile_run["events"]
    for source in ("long.txt", "long.html", "big.jsonl#big"):
        row = articles[source]
        assert row["n_chars_raw"] > 1_000_000, source
        if row["n_chars_clean"] > NLP_PART_CHARS:
            assert "analysed in" in row["notes"] and "parts" in row["notes"], source
        found = [e for e in events if e["article_id"] == row["article_id"]]
        # the deal told after the first million characters is found, offsets into text_clean
        late = [e for e in found if "Renault" in e["who"] + e["with_whom"]]
        assert late, (source, row["notes"])
        for e in late:
            assert row["text_clean"][e["start"]:e["end"]].strip() == e["sentence"]
    assert articles["long.txt"]["n_chars_clean"] > 1_000_000


def test_the_good_article_is_intact_and_repairs_keep_its_events(hostile_run, seed_run):
    seed_out, _ = seed_run
    seed_articles = {a["source"]: a for a in pq.read_table(seed_out / "articles.parquet")
                     .to_pylist()}
    seed_events = pq.read_table(seed_out / "events.parquet").to_pylist()
    reference = _keyed(seed_events, seed_articles[GOOD.name]["article_id"])
    assert reference
    articles, events = hostile_run["articles"], hostile_run["events"]
    for source in ("good.txt", "copy.txt", "one_bad_byte.txt", "caf\\xe9.txt"):
        assert _keyed(events, articles[source]["article_id"]) == reference, source
    assert "�" not in articles["one_bad_byte.txt"]["text_clean"]
    deep = [e for e in events if e["article_id"] == articles["deep.html"]["article_id"]]
    assert "Google Cloud" in articles["deep.html"]["text_clean"]
    assert any("Orange" in e["who"] + e["with_whom"]
               and any(p.startswith("Google") for p in e["who"] + e["with_whom"]) for e in deep)


def test_identical_copies_have_their_own_keys_and_one_group(hostile_run):
    articles, events = hostile_run["articles"], hostile_run["events"]
    copies = [articles[s] for s in ("good.txt", "copy.txt", "one_bad_byte.txt", "caf\\xe9.txt")]
    assert len({a["article_id"] for a in articles.values()}) == len(articles)
    assert len({a["content_hash"] for a in copies}) == 1  # grouped by content
    assert len({e["event_id"] for e in events}) == len(events)
    by_article = {a["article_id"]: [e for e in events if e["article_id"] == a["article_id"]]
                  for a in copies}
    first, *others = by_article.values()
    for ev in first:
        for other in others:
            twin = [e for e in other if e["party_ids"] == ev["party_ids"]
                    and e["sentence_index"] == ev["sentence_index"]]
            assert twin and twin[0]["event_group"] == ev["event_group"]
            assert twin[0]["event_id"] != ev["event_id"]
        assert ev["group_n_articles"] >= 4


def test_extract_handles_a_text_over_spacy_limit(hostile_run):
    result = _cli("extract", str(hostile_run["corpus"] / "long.txt"))
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert any("Renault" in r["who"] + r["with_whom"] for r in rows)


def test_run_and_extract_share_one_size_limit(tmp_path):
    assert Settings().max_bytes == MAX_ARTICLE_BYTES == ingest.DEFAULT_MAX_BYTES == 8 << 20
    big = tmp_path / "big.txt"
    line = b"Orange a sign\xc3\xa9 un accord avec Google.\n"
    big.write_bytes((line * (MAX_ARTICLE_BYTES // len(line) + 1))[: MAX_ARTICLE_BYTES + 1])
    result = _cli("extract", str(big))
    assert result.returncode == 1
    assert f"limit of {MAX_ARTICLE_BYTES} bytes" in result.stderr
    [doc] = ingest.iter_corpus(tmp_path, max_bytes=Settings().max_bytes)
    assert doc.status == "skipped" and f"limit of {MAX_ARTICLE_BYTES} bytes" in doc.error


# --- --out and the corpus folder ------------------------------------------------------------


def _seed_copy(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for f in CORPUS.iterdir():
        shutil.copy(f, root / f.name)
    return root


def _snapshot(out: Path) -> dict[str, bytes]:
    return {name: (out / f"{name}.parquet").read_bytes() for name in TABLES}


def test_out_inside_the_corpus_is_never_read_back(tmp_path):
    corpus = _seed_copy(tmp_path / "corpus")
    out = corpus / "outputs"
    first = _cli("run", str(corpus), "--out", str(out), "--quiet", "--workers", "1")
    assert first.returncode == 0, first.stderr
    second = _cli("run", str(corpus), "--out", str(out), "--quiet", "--workers", "1")
    assert second.returncode == 0, second.stderr
    sources = [a["source"] for a in pq.read_table(out / "articles.parquet").to_pylist()]
    assert sorted(sources) == sorted(f.name for f in CORPUS.iterdir())
    # an output folder of another run, inside the corpus, is not read either
    other = _cli("run", str(corpus), "--out", str(tmp_path / "elsewhere"), "--quiet",
                 "--workers", "1")
    assert other.returncode == 0, other.stderr
    assert len(pq.read_table(tmp_path / "elsewhere" / "articles.parquet")) == len(sources)
    same = _cli("run", str(corpus), "--out", str(corpus))
    assert same.returncode == 2 and "is the corpus folder" in same.stderr


def test_empty_corpus_is_a_usage_error_and_keeps_earlier_outputs(tmp_path, seed_run):
    seed_out, _ = seed_run
    out = tmp_path / "outputs"
    shutil.copytree(seed_out, out)
    before = _snapshot(out)
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.md").write_text("pas un article", encoding="utf-8")
    result = _cli("run", str(empty), "--out", str(out), "--quiet")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "no article in" in result.stderr
    assert _snapshot(out) == before


def test_out_that_is_a_file_or_not_writable_is_exit_2_in_one_line(tmp_path):
    corpus = _seed_copy(tmp_path / "corpus")
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    for out in (a_file, a_file / "sub"):
        result = _cli("run", str(corpus), "--out", str(out), "--quiet")
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
        assert "is a file" in result.stderr
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if not os.access(locked, os.W_OK):  # not root: permissions hold
            result = _cli("run", str(corpus), "--out", str(locked / "out"), "--quiet")
            assert result.returncode == 2 and "cannot be written" in result.stderr
    finally:
        locked.chmod(0o700)


def test_out_on_a_read_only_filesystem_is_exit_2_in_one_line(tmp_path):
    corpus = _seed_copy(tmp_path / "corpus")
    mount = tmp_path / "ro"
    mount.mkdir()
    unshare = shutil.which("unshare")
    probe = subprocess.run(
        [unshare or "unshare", "-m", "sh", "-c", f"mount -t tmpfs -o ro tmpfs {mount}"],
        capture_output=True) if unshare else None
    if probe is None or probe.returncode != 0:
        # without mount rights, a read-only folder is the same error for the CLI
        if os.geteuid() == 0:
            pytest.skip("cannot mount a read-only file system here (unshare -m refused)")
        mount.chmod(0o500)
        result = _cli("run", str(corpus), "--out", str(mount / "out"), "--quiet")
    else:
        # a private mount namespace: the read-only tmpfs exists for this command only
        cmd = (f"mount -t tmpfs -o ro tmpfs {mount} && PYTHONPATH={ROOT / 'src'} "
               f"{sys.executable} -m souverain_nlp run {corpus} --out {mount / 'out'} --quiet")
        result = subprocess.run([unshare, "-m", "sh", "-c", cmd], cwd=ROOT, capture_output=True,
                                text=True, timeout=600)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    assert "cannot be written" in result.stderr


def test_exit_codes(tmp_path, seed_run):
    ok = _cli("run", str(_seed_copy(tmp_path / "c")), "--out", str(tmp_path / "o"), "--quiet",
              "--workers", "1")
    assert ok.returncode == 0, ok.stderr
    missing = _cli("run", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1


# --- evaluate -------------------------------------------------------------------------------


@pytest.mark.parametrize("gold_text", [
    "{not json\n",
    '{"source": "a.txt", "events": [{"parties": [["A"]], "kind": "x", "status": "y"}]}\n',
    '["a list"]\n',
    '{"events": []}\n',
    "",
])
def test_evaluate_with_malformed_gold_is_exit_2_in_one_line(tmp_path, seed_run, gold_text):
    out, _ = seed_run
    gold = tmp_path / "gold.jsonl"
    gold.write_text(gold_text, encoding="utf-8")
    result = _cli("evaluate", str(gold), "--out", str(out), "--corpus", str(CORPUS))
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    assert str(gold) in result.stderr


def test_evaluate_with_a_missing_corpus_or_aliases_file_is_exit_2(tmp_path, seed_run):
    out, _ = seed_run
    gold = ROOT / "dev" / "gold" / "seeds.jsonl"
    no_corpus = _cli("evaluate", str(gold), "--out", str(out), "--corpus", str(tmp_path / "x"))
    assert no_corpus.returncode == 2 and "corpus folder" in no_corpus.stderr
    no_aliases = _cli("evaluate", str(gold), "--out", str(out), "--corpus", str(CORPUS),
                      "--aliases", str(tmp_path / "aliases.json"))
    assert no_aliases.returncode == 2 and "alias checks" in no_aliases.stderr
    bad = tmp_path / "bad_aliases.json"
    bad.write_text('{"same": "Orange"}', encoding="utf-8")
    malformed = _cli("evaluate", str(gold), "--out", str(out), "--corpus", str(CORPUS),
                     "--aliases", str(bad))
    assert malformed.returncode == 2 and "'same'" in malformed.stderr

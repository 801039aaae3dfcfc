"""Scores output tables against hand annotations (format: dev/gold/README.md).

Event matching follows the gold README: a predicted event matches a gold event when every
gold party is covered by a predicted party and every predicted party covers a gold party
(order of who / with whom not scored).  A predicted party covers a gold party when its
canonical name or its surface form equals one of the gold aliases after folding case,
accents, apostrophes and leading determiners.  Precision, recall and F1 count required gold
events only: a prediction that matches a non-required event is neither rewarded nor counted
as a false positive.  Date, purpose, kind and status accuracy are computed over matched
required events; a gold null date or purpose is right only when the prediction is null too.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from .gazetteer import load_gazetteer
from .settings import Settings

_DET = re.compile(r"^(?:l'|le |la |les |un |une |du |de la |de l'|d')")
_WORD = re.compile(r"[a-z0-9]{3,}")
#: Purpose overlap (F1 over words of 3+ letters) needed for a purpose to be right (README).
PURPOSE_MIN_OVERLAP = 0.5


def fold(text: str | None) -> str:
    """Lower case, no accents, straight apostrophes, no leading determiner."""
    if not text:
        return ""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c)).lower()
    t = t.replace("’", "'").replace("‘", "'")
    t = " ".join(t.split())
    return _DET.sub("", t).strip(' .,;:"«»“”')


def purpose_overlap(pred: str | None, gold: str | None) -> float:
    """F1 over words of three or more letters, accents and case folded."""
    p = _WORD.findall(fold(pred).replace("'", " "))
    g = _WORD.findall(fold(gold).replace("'", " "))
    if not p or not g:
        return 0.0
    from collections import Counter

    common = sum((Counter(p) & Counter(g)).values())
    if not common:
        return 0.0
    prec, rec = common / len(p), common / len(g)
    return 2 * prec * rec / (prec + rec)


@dataclass
class EventScore:
    """Counts of one evaluation (summed over articles)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    date_right: int = 0
    purpose_right: int = 0
    kind_right: int = 0
    status_right: int = 0
    matched: int = 0
    non_announced: int = 0
    non_announced_right: int = 0
    must_not_pair_violations: int = 0
    boilerplate_events: int = 0
    details: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Metrics as a flat dict (rates rounded to 4 decimals)."""
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0

        def rate(n: int) -> float:
            return round(n / self.matched, 4) if self.matched else 0.0

        return {
            "event_precision": round(p, 4),
            "event_recall": round(r, 4),
            "event_f1": round(f, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "date_accuracy": rate(self.date_right),
            "purpose_accuracy": rate(self.purpose_right),
            "kind_accuracy": rate(self.kind_right),
            "status_accuracy": rate(self.status_right),
            "non_announced_status_right": f"{self.non_announced_right}/{self.non_announced}",
            "must_not_pair_violations": self.must_not_pair_violations,
            "boilerplate_events": self.boilerplate_events,
            "matched": self.matched,
            "date_right": self.date_right,
            "purpose_right": self.purpose_right,
            "kind_right": self.kind_right,
            "status_right": self.status_right,
        }


def _party_names(event: dict[str, Any]) -> list[set[str]]:
    names = list(event["who"]) + list(event["with_whom"])
    texts = list(event.get("party_texts") or [])
    out = []
    for i, name in enumerate(names):
        forms = {fold(name)}
        if i < len(texts):
            forms.add(fold(texts[i]))
        out.append(forms)
    return out


def _covers(forms: set[str], aliases: Iterable[str]) -> bool:
    return any(fold(a) in forms for a in aliases)


def events_match(pred: dict[str, Any], gold: dict[str, Any]) -> bool:
    """The README's matching rule between one predicted and one gold event."""
    parties = _party_names(pred)
    gparties = gold["parties"]
    return all(any(_covers(p, g) for p in parties) for g in gparties) and all(
        any(_covers(p, g) for g in gparties) for p in parties
    )


def _stem(source: str) -> str:
    name = Path(str(source).split("#")[0]).name
    return name.rsplit(".", 1)[0]


def _norm_ws(text: str) -> str:
    t = (
        text.replace("’", "'")
        .replace("“", '"')
        .replace("”", '"')
        .replace("«", '"')
        .replace("»", '"')
    )
    return " ".join(t.split())


def score_events(
    gold: list[dict[str, Any]], events: list[dict[str, Any]], articles: list[dict[str, Any]]
) -> EventScore:
    """Event P/R/F1 and attribute accuracies of predicted events against gold articles."""
    score = EventScore()
    by_stem = {_stem(a["source"]): a for a in articles}
    for g in gold:
        art = by_stem.get(_stem(g["source"]))
        preds = [e for e in events if art is not None and e["article_id"] == art["article_id"]]
        used: set[int] = set()
        for gev in sorted(g["events"], key=lambda e: not e.get("required", True)):
            idx = next(
                (i for i, p in enumerate(preds) if i not in used and events_match(p, gev)), None
            )
            required = gev.get("required", True)
            if idx is None:
                if required:
                    score.fn += 1
                    score.details.append({"source": g["source"], "missed": gev["parties"]})
                continue
            used.add(idx)
            if not required:
                continue
            pred = preds[idx]
            score.tp += 1
            score.matched += 1
            gdate, pdate = gev.get("date"), pred.get("date")
            date_ok = (pdate is None) if gdate is None else bool(pdate and pdate.startswith(gdate))
            gpur, ppur = gev.get("purpose"), pred.get("purpose")
            pur_ok = (
                (ppur is None)
                if gpur is None
                else purpose_overlap(ppur, gpur) >= PURPOSE_MIN_OVERLAP
            )
            score.date_right += date_ok
            score.purpose_right += pur_ok
            score.kind_right += pred["kind"] == gev["kind"]
            score.status_right += pred["status"] == gev["status"]
            if gev["status"] != "announced":
                score.non_announced += 1
                score.non_announced_right += pred["status"] == gev["status"]
            score.details.append(
                {
                    "source": g["source"],
                    "matched": gev["parties"][0][0] + " / " + gev["parties"][1][0],
                    "date": [pdate, gdate, date_ok],
                    "purpose": [ppur, gpur, pur_ok],
                    "kind": [pred["kind"], gev["kind"]],
                    "status": [pred["status"], gev["status"]],
                }
            )
        for i, p in enumerate(preds):
            if i not in used:
                score.fp += 1
                score.details.append(
                    {
                        "source": g["source"],
                        "false_positive": p["who"] + p["with_whom"],
                        "sentence": p["sentence"][:160],
                    }
                )
        for a, b in g.get("must_not_pair", []):
            for p in preds:
                parties = _party_names(p)
                ia = [i for i, f in enumerate(parties) if fold(a) in f]
                ib = [i for i, f in enumerate(parties) if fold(b) in f]
                if ia and ib and (set(ia) != set(ib) or len(ia) > 1):
                    score.must_not_pair_violations += 1
                    score.details.append({"source": g["source"], "must_not_pair": [a, b]})
        drops = [_norm_ws(s) for s in g.get("drop_snippets", [])]
        for p in preds:
            sent = _norm_ws(p["sentence"])
            if any(d and (d in sent or sent in d) for d in drops):
                score.boilerplate_events += 1
    return score


def score_boilerplate_lines(
    gold: list[dict[str, Any]],
    articles: list[dict[str, Any]],
    blocks: list[dict[str, Any]],
    corpus: Path,
) -> dict[str, Any]:
    """Line-level boilerplate precision/recall on the seed format (``boilerplate_lines``).

    A non-empty line of the raw file is dropped when blocks cover its middle and none of them
    is kept.  A gold article whose file is in ``corpus`` but that is missing from the tables
    has lost every line: its content lines count as lost, its boilerplate as not dropped.
    """
    by_stem = {_stem(a["source"]): a for a in articles}
    dropped_total = hit = gold_total = content_lost = 0
    lost: list[str] = []
    for g in gold:
        art = by_stem.get(_stem(g["source"]))
        path = corpus / g["source"]
        if not path.exists():
            continue
        raw = path.read_bytes().decode("utf-8-sig", errors="replace").replace("\r\n", "\n")
        if art is None:
            lines = raw.split("\n")
            gold_lines = set(g.get("boilerplate_lines", []))
            gold_total += sum(1 for n in gold_lines if 0 < n <= len(lines) and lines[n - 1].strip())
            missing = [n for n, line in enumerate(lines, start=1)
                       if line.strip() and n not in gold_lines]
            content_lost += len(missing)
            lost.extend(f"{g['source']}:{n}" for n in missing)
            continue
        ablocks = [b for b in blocks if b["article_id"] == art["article_id"]]
        lines = raw.split("\n")
        gold_lines = {
            n
            for n in g.get("boilerplate_lines", [])
            if 0 < n <= len(lines) and lines[n - 1].strip()
        }  # an empty line is neither content nor boilerplate
        gold_total += len(gold_lines)
        offset = 0
        for n, line in enumerate(raw.split("\n"), start=1):
            start, offset = offset, offset + len(line) + 1
            if not line.strip():
                continue
            mid = start + len(line) // 2
            covering = [b for b in ablocks if b["start"] <= mid < b["end"]]
            dropped = bool(covering) and not any(b["kept"] for b in covering)
            if dropped:
                dropped_total += 1
                if n in gold_lines:
                    hit += 1
                else:
                    content_lost += 1
                    lost.append(f"{g['source']}:{n}")
    return {
        "boilerplate_precision": round(hit / dropped_total, 4) if dropped_total else 1.0,
        "boilerplate_recall": round(hit / gold_total, 4) if gold_total else 1.0,
        "content_lines_lost": content_lost,
        "lost": lost,
    }


def score_snippets(gold: list[dict[str, Any]], articles: list[dict[str, Any]]) -> dict[str, Any]:
    """Share of keep snippets found in text_clean and of drop snippets gone (pages format).

    An article of the gold missing from the tables has lost all its keep snippets (it is
    scored as an empty text, never skipped).
    """
    by_stem = {_stem(a["source"]): a for a in articles}
    keep = keep_ok = drop = drop_ok = 0
    misses: list[str] = []
    for g in gold:
        art = by_stem.get(_stem(g["source"]))
        if art is None:
            misses.append(f"{g['source']} missing from the tables")
        text = _norm_ws((art or {}).get("text_clean") or "")
        for s in g.get("keep_snippets", []):
            keep += 1
            if _norm_ws(s) in text:
                keep_ok += 1
            else:
                misses.append(f"{g['source']} lost: {s[:60]}")
        for s in g.get("drop_snippets", []):
            drop += 1
            if _norm_ws(s) not in text:
                drop_ok += 1
            else:
                misses.append(f"{g['source']} kept: {s[:60]}")
    return {
        "keep_rate": round(keep_ok / keep, 4) if keep else 1.0,
        "drop_rate": round(drop_ok / drop, 4) if drop else 1.0,
        "snippet_misses": misses,
    }


def score_party_coverage(
    gold: list[dict[str, Any]],
    articles: list[dict[str, Any]],
    mentions: list[dict[str, Any]],
    entities: list[dict[str, Any]],
) -> dict[str, Any]:
    """Parties of required gold events named by a mention of their article.

    A party is named when a mention's text, or the canonical name of the entity the mention
    was resolved to, equals one of its gold aliases (folded).  An article missing from the
    tables names none of its parties.
    """
    by_stem = {_stem(a["source"]): a for a in articles}
    names = {e["entity_id"]: fold(e["name"]) for e in entities}
    forms: dict[str, set[str]] = {}
    for m in mentions:
        got = forms.setdefault(m["article_id"], set())
        got.add(fold(m["text"]))
        if m.get("entity_id") in names:
            got.add(names[m["entity_id"]])
    total = named = 0
    missing: list[str] = []
    for g in gold:
        art = by_stem.get(_stem(g["source"]))
        seen = forms.get(art["article_id"], set()) if art is not None else set()
        for ev in g["events"]:
            if not ev.get("required", True):
                continue
            for party in ev["parties"]:
                total += 1
                if any(fold(a) in seen for a in party):
                    named += 1
                else:
                    missing.append(f"{g['source']}: {party[0]}")
    return {
        "parties_total": total,
        "parties_named": named,
        "party_coverage": round(named / total, 4) if total else 1.0,
        "parties_missing": missing,
    }


def score_published(gold: list[dict[str, Any]], articles: list[dict[str, Any]]) -> dict[str, Any]:
    """Publication dates right on articles whose gold states one."""
    by_stem = {_stem(a["source"]): a for a in articles}
    total = right = 0
    wrong = []
    for g in gold:
        art = by_stem.get(_stem(g["source"]))
        if not g.get("published"):
            continue
        total += 1  # an article missing from the tables has no date: wrong
        art = art or {}
        pred = art.get("published") if art.get("published_from") != "inferred" else None
        gold_value = g["published"]
        ok = bool(pred) and (
            pred == gold_value or (gold_value.startswith("XXXX") and pred.endswith(gold_value[4:]))
        )
        right += ok
        if not ok:
            wrong.append(f"{g['source']}: {pred} != {gold_value}")
    return {"published_right": f"{right}/{total}",
            "published_accuracy": round(right / total, 4) if total else 1.0,
            "published_wrong": wrong}


def score_aliases(aliases_path: Path, settings: Settings | None = None) -> dict[str, Any]:
    """Checks of seeds_aliases.json: 'same' groups resolve to one entity, 'different' do not."""
    from .entities import Resolver

    settings = settings or Settings()
    data = load_aliases(aliases_path)
    resolver = Resolver(load_gazetteer(settings.models_dir, settings.actors_file))
    ok = total = 0
    failures = []
    for group in data.get("same", []):
        total += 1
        ids = {resolver.resolve(s, count=False).entity_id for s in group}
        if len(ids) == 1:
            ok += 1
        else:
            failures.append(f"same {group} -> {sorted(ids)}")
    for a, b in data.get("different", []):
        total += 1
        if resolver.resolve(a, count=False).entity_id != resolver.resolve(b, count=False).entity_id:
            ok += 1
        else:
            failures.append(f"different {a} / {b}")
    return {"alias_checks": f"{ok}/{total}", "alias_failures": failures}


def load_rows(out_dir: Path, name: str) -> list[dict[str, Any]]:
    """One output table as a list of dicts."""
    return pq.read_table(Path(out_dir) / f"{name}.parquet").to_pylist()


class GoldFormatError(ValueError):
    """A gold file that does not follow dev/gold/README.md; the message names file and line."""


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _gold_problem(record: Any) -> str | None:
    """What is wrong with one gold record (None when it follows the format)."""
    if not isinstance(record, dict):
        return f"a JSON {type(record).__name__}, not an object"
    if not isinstance(record.get("source"), str) or not record["source"]:
        return "no 'source' (the article's file name)"
    events = record.get("events", [])
    if not isinstance(events, list):
        return "'events' is not a list"
    for n, ev in enumerate(events, start=1):
        if not isinstance(ev, dict):
            return f"event {n} is not an object"
        parties = ev.get("parties")
        if not isinstance(parties, list) or len(parties) < 2 or not all(
            _strings(p) and p for p in parties
        ):
            return f"event {n}: 'parties' must be a list of two or more lists of names"
        for key in ("kind", "status"):
            if not isinstance(ev.get(key), str):
                return f"event {n}: '{key}' must be a string"
        for key in ("date", "purpose"):
            if ev.get(key) is not None and not isinstance(ev[key], str):
                return f"event {n}: '{key}' must be a string or null"
    for key in ("keep_snippets", "drop_snippets"):
        if key in record and not _strings(record[key]):
            return f"'{key}' must be a list of strings"
    pairs = record.get("must_not_pair", [])
    if not isinstance(pairs, list) or not all(_strings(x) and len(x) == 2 for x in pairs):
        return "'must_not_pair' must be a list of pairs of names"
    lines = record.get("boilerplate_lines", [])
    if not isinstance(lines, list) or not all(
        isinstance(n, int) and not isinstance(n, bool) for n in lines
    ):
        return "'boilerplate_lines' must be a list of line numbers"
    if record.get("published") is not None and not isinstance(record["published"], str):
        return "'published' must be a string or null"
    return None


def load_gold(path: Path) -> list[dict[str, Any]]:
    """Gold records of a JSONL file, checked against the format of dev/gold/README.md.

    Raises :class:`GoldFormatError` naming the file and line of the first problem.
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldFormatError(f"{path}: cannot read the gold file: {exc}") from exc
    out = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as exc:
            raise GoldFormatError(f"{path}:{lineno}: not valid JSON ({exc})") from exc
        problem = _gold_problem(record)
        if problem is not None:
            raise GoldFormatError(f"{path}:{lineno}: {problem} (format: dev/gold/README.md)")
        out.append(record)
    if not out:
        raise GoldFormatError(f"{path}: no gold record")
    return out


def load_aliases(path: Path) -> dict[str, Any]:
    """Alias checks (seeds_aliases.json format); raises :class:`GoldFormatError` if malformed."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        raise GoldFormatError(f"{path}: cannot read the alias checks: {exc}") from exc
    if not isinstance(data, dict):
        raise GoldFormatError(f"{path}: alias checks must be a JSON object")
    same, different = data.get("same", []), data.get("different", [])
    if not isinstance(same, list) or not all(_strings(g) and g for g in same):
        raise GoldFormatError(f"{path}: 'same' must be a list of lists of names")
    if not isinstance(different, list) or not all(_strings(x) and len(x) == 2 for x in different):
        raise GoldFormatError(f"{path}: 'different' must be a list of pairs of names")
    return data


def gold_in_corpus(gold: list[dict[str, Any]], corpus: Path | None) -> list[dict[str, Any]]:
    """The gold records whose file is in the corpus folder (any extension): a form of a set
    may lack some pages (``pages.jsonl``: "page_NN.html ... where there is one").  A file
    that is there but missing from the tables is scored, as lost."""
    if corpus is None or not Path(corpus).is_dir():
        return gold
    stems = {p.stem for p in Path(corpus).rglob("*") if p.is_file()}
    return [g for g in gold if _stem(g["source"]) in stems]


def evaluate(
    gold_path: Path,
    out_dir: Path,
    corpus: Path | None = None,
    aliases_path: Path | None = None,
) -> dict[str, Any]:
    """All scores of ``out_dir`` against one gold file, as a dict.

    Raises :class:`GoldFormatError` for a malformed gold or alias file, and
    ``FileNotFoundError`` when ``corpus`` or ``aliases_path`` is given but does not exist
    (a missing corpus would score boilerplate on nothing).
    """
    if corpus is not None and not Path(corpus).is_dir():
        raise FileNotFoundError(f"corpus folder {corpus} not found")
    if aliases_path is not None and not Path(aliases_path).is_file():
        raise FileNotFoundError(f"alias checks {aliases_path} not found")
    gold = gold_in_corpus(load_gold(gold_path), corpus)
    articles = load_rows(out_dir, "articles")
    events = load_rows(out_dir, "events")
    blocks = load_rows(out_dir, "blocks")
    ev = score_events(gold, events, articles)
    report: dict[str, Any] = {"gold": str(gold_path), "articles": len(gold), **ev.as_dict()}
    report.update(
        score_party_coverage(
            gold, articles, load_rows(out_dir, "mentions"), load_rows(out_dir, "entities")
        )
    )
    if any("boilerplate_lines" in g for g in gold) and corpus is not None:
        report.update(score_boilerplate_lines(gold, articles, blocks, corpus))
    if any("keep_snippets" in g for g in gold):
        report.update(score_snippets(gold, articles))
    report.update(score_published(gold, articles))
    if aliases_path is not None:
        report.update(score_aliases(aliases_path))
    report["details"] = ev.details
    return report

"""The annotated dev sets shipped in ``dev/`` and how ``make eval`` scores them all.

Each set is a corpus folder and its gold file (format: ``dev/gold/README.md``).  The seed
corpus is scored with line-level boilerplate, the page sets with keep / drop snippets;
``web_fr`` has no events (cleaning only).  ``evaluate_sets`` runs the pipeline on each set
and scores it; ``pooled`` sums the counts of several reports (date and purpose accuracy over
the matched events of every set together); ``format_table`` lays the reports out as the
Markdown table the README and the closing notes quote.

Cleaning alone (no spaCy, seconds): ``clean_scores`` runs ingest + clean on a set and scores
its snippets and publication dates; ``trafilatura_scores`` scores ``trafilatura.extract``
(default settings) on the same HTML pages, the baseline ``make eval`` prints beside ours.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .settings import Settings


@dataclass(frozen=True)
class DevSet:
    """One annotated corpus: its name in reports, folder and gold file (repo-relative)."""

    name: str
    corpus: str
    gold: str
    aliases: str | None = None
    events: bool = True  # False: cleaning only (no annotated events)


#: Every dev set, in the order of the eval table.
DEV_SETS: tuple[DevSet, ...] = (
    DevSet("seeds", "corpus", "dev/gold/seeds.jsonl", aliases="dev/gold/seeds_aliases.json"),
    DevSet("pages_txt", "dev/pages/txt", "dev/gold/pages.jsonl"),
    DevSet("pages_html", "dev/pages/html", "dev/gold/pages.jsonl"),
    DevSet("orangesum_txt", "dev/orangesum/txt", "dev/gold/orangesum.jsonl"),
    DevSet("orangesum_html", "dev/orangesum/html", "dev/gold/orangesum.jsonl"),
    DevSet("orangesum_tech_txt", "dev/orangesum_tech/txt", "dev/gold/orangesum_tech.jsonl"),
    DevSet("orangesum_tech_html", "dev/orangesum_tech/html", "dev/gold/orangesum_tech.jsonl"),
    DevSet("web_fr_txt", "dev/web_fr/txt", "dev/gold/web_fr.jsonl", events=False),
    DevSet("web_fr_html", "dev/web_fr/html", "dev/gold/web_fr.jsonl", events=False),
)


def dev_set(name: str) -> DevSet:
    """The dev set of that name (ValueError naming the known ones otherwise)."""
    for s in DEV_SETS:
        if s.name == name:
            return s
    raise ValueError(f"unknown dev set {name!r}; known: {', '.join(s.name for s in DEV_SETS)}")


def _gold(root: Path, s: DevSet) -> list[dict[str, Any]]:
    from .evaluate import gold_in_corpus, load_gold

    return gold_in_corpus(load_gold(root / s.gold), root / s.corpus)


def clean_scores(root: Path, s: DevSet, settings: Settings | None = None) -> dict[str, Any]:
    """Keep / drop snippet rates and publication dates of ingest + clean alone on one set."""
    from .evaluate import score_published, score_snippets
    from .pipeline import stream_clean

    _, cleans = stream_clean(root / s.corpus, settings or Settings())
    articles = [{"source": c.source, "article_id": c.article_id, "text_clean": c.text_clean,
                 "published": c.published, "published_from": c.published_from}
                for c in cleans]
    gold = _gold(root, s)
    report = score_snippets(gold, articles) if any("keep_snippets" in g for g in gold) else {}
    report.update(score_published(gold, articles))
    return report


def trafilatura_scores(root: Path, s: DevSet) -> dict[str, Any] | None:
    """Keep / drop snippet rates of ``trafilatura.extract`` (default settings) on the HTML
    pages of a set (None for a set of text files)."""
    import trafilatura

    from .evaluate import _norm_ws, _stem
    from .ingest import decode_bytes

    pages = {p.stem: p for p in sorted((root / s.corpus).glob("*.htm*"))}
    if not pages:
        return None
    keep = keep_ok = drop = drop_ok = 0
    for g in _gold(root, s):
        path = pages.get(_stem(g["source"]))
        html = decode_bytes(path.read_bytes()) if path is not None else ""
        text = _norm_ws((trafilatura.extract(html) if html.strip() else None) or "")
        for snippet in g.get("keep_snippets", []):
            keep += 1
            keep_ok += _norm_ws(snippet) in text
        for snippet in g.get("drop_snippets", []):
            drop += 1
            drop_ok += _norm_ws(snippet) not in text
    return {"keep_rate": round(keep_ok / keep, 4) if keep else 1.0,
            "drop_rate": round(drop_ok / drop, 4) if drop else 1.0}


def evaluate_sets(
    root: Path,
    out: Path,
    names: Iterable[str] | None = None,
    settings: Settings | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, dict[str, Any]]:
    """Run the pipeline on each dev set (tables in ``out/NAME``) and score it."""
    from .evaluate import evaluate
    from .pipeline import run_to

    settings = settings or Settings()
    chosen = [dev_set(n) for n in names] if names else list(DEV_SETS)
    reports: dict[str, dict[str, Any]] = {}
    for s in chosen:
        if progress is not None:
            progress(s.name)
        corpus = root / s.corpus
        tables = out / s.name
        run_to(corpus, tables, settings)
        aliases = root / s.aliases if s.aliases else None
        reports[s.name] = evaluate(root / s.gold, tables, corpus=corpus, aliases_path=aliases)
        baseline = trafilatura_scores(root, s) if "keep_rate" in reports[s.name] else None
        if baseline is not None:
            reports[s.name]["trafilatura_keep_rate"] = baseline["keep_rate"]
            reports[s.name]["trafilatura_drop_rate"] = baseline["drop_rate"]
    return reports


#: Counts summed by ``pooled`` (rates are recomputed from them).
_COUNTS = (
    "tp", "fp", "fn", "matched", "date_right", "purpose_right", "kind_right", "status_right",
    "must_not_pair_violations", "boilerplate_events", "parties_total", "parties_named",
)


def pooled(reports: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Counts of several reports summed, and the rates recomputed from them."""
    total = dict.fromkeys(_COUNTS, 0)
    for r in reports:
        for key in _COUNTS:
            total[key] += int(r.get(key, 0) or 0)
    tp, fp, fn, m = total["tp"], total["fp"], total["fn"], total["matched"]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    out: dict[str, Any] = dict(total)
    out.update(
        event_precision=round(p, 4),
        event_recall=round(r, 4),
        event_f1=round(2 * p * r / (p + r), 4) if p + r else 0.0,
        date_accuracy=round(total["date_right"] / m, 4) if m else 0.0,
        purpose_accuracy=round(total["purpose_right"] / m, 4) if m else 0.0,
        kind_accuracy=round(total["kind_right"] / m, 4) if m else 0.0,
        status_accuracy=round(total["status_right"] / m, 4) if m else 0.0,
        party_coverage=round(total["parties_named"] / total["parties_total"], 4)
        if total["parties_total"]
        else 1.0,
    )
    return out


def _f(value: Any) -> str:
    return f"{value:.2f}" if isinstance(value, float) else str(value)


def format_table(reports: dict[str, dict[str, Any]]) -> str:
    """The eval reports as one Markdown table (a row per set, then the pooled events)."""
    head = (
        "| set | P / R / F1 | tp fp fn | date | purpose | kind | status | non-ann. right "
        "| mnp, bp ev. | parties named | cleaning | trafilatura (same HTML) | published |"
    )
    lines = [head, "|" + "---|" * 13]
    for name, r in reports.items():
        if "boilerplate_precision" in r:
            cleaning = (
                f"lines P {_f(r['boilerplate_precision'])} R {_f(r['boilerplate_recall'])}"
            )
        else:
            cleaning = f"keep {r.get('keep_rate', 0):.3f} drop {r.get('drop_rate', 0):.3f}"
        if not r.get("tp", 0) + r.get("fn", 0) + r.get("fp", 0):
            ev = ["-"] * 9
        else:
            ev = [
                f"{_f(r['event_precision'])} / {_f(r['event_recall'])} / {_f(r['event_f1'])}",
                f"{r['tp']} {r['fp']} {r['fn']}",
                _f(r["date_accuracy"]),
                _f(r["purpose_accuracy"]),
                _f(r["kind_accuracy"]),
                _f(r["status_accuracy"]),
                r["non_announced_status_right"],
                f"{r['must_not_pair_violations']}, {r['boilerplate_events']}",
                f"{r.get('parties_named', 0)}/{r.get('parties_total', 0)}",
            ]
        baseline = (
            f"keep {r['trafilatura_keep_rate']:.3f} drop {r['trafilatura_drop_rate']:.3f}"
            if "trafilatura_keep_rate" in r else "-"
        )
        lines.append(
            "| " + " | ".join([name, *ev, cleaning, baseline, r.get("published_right", "-")])
            + " |"
        )
    event_sets = [r for r in reports.values() if r.get("tp", 0) + r.get("fn", 0)]
    if len(event_sets) > 1:
        p = pooled(event_sets)
        lines.append(
            "| **all sets** | "
            + " | ".join(
                [
                    f"{_f(p['event_precision'])} / {_f(p['event_recall'])} / "
                    f"{_f(p['event_f1'])}",
                    f"{p['tp']} {p['fp']} {p['fn']}",
                    _f(p["date_accuracy"]),
                    _f(p["purpose_accuracy"]),
                    _f(p["kind_accuracy"]),
                    _f(p["status_accuracy"]),
                    "",
                    f"{p['must_not_pair_violations']}, {p['boilerplate_events']}",
                    f"{p['parties_named']}/{p['parties_total']}",
                    "",
                    "",
                    "",
                ]
            )
            + " |"
        )
    return "\n".join(lines)

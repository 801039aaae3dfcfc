"""The annotated dev sets shipped in ``dev/`` and how ``make eval`` scores them all.

Each set is a corpus folder and its gold file (format: ``dev/gold/README.md``).  The seed
corpus is scored with line-level boilerplate, the page sets with keep / drop snippets;
``web_fr`` has no events (cleaning only).  ``evaluate_sets`` runs the pipeline on each set
and scores it; ``pooled`` sums the counts of several reports (date and purpose accuracy over
the matched events of every set together); ``format_table`` lays the reports out as the
Markdown table the README and the closing notes quote.
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
        "| mnp, bp ev. | parties named | cleaning | published |"
    )
    lines = [head, "|" + "---|" * 12]
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
        lines.append(
            "| " + " | ".join([name, *ev, cleaning, r.get("published_right", "-")]) + " |"
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
                ]
            )
            + " |"
        )
    return "\n".join(lines)

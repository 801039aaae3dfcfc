"""Fast dev loop for the relation rules: parse the dev sets once, re-run the rules often.

    .venv/bin/python tools/devloop.py          # seeds, pages, orangesum, orangesum_tech (txt)
    .venv/bin/python tools/devloop.py --set orangesum_txt --show misses,fp
    .venv/bin/python tools/devloop.py --holdout       # only articles whose id ends in 0-2

Cleaning and the spaCy parse (full parse) are cached in ``.devloop/`` by text and by the
files they depend on (gazetteer, nlp components); relations, entity resolution and scoring
run every time, in seconds.  Scores are those of ``make eval`` up to the gated parse, which
``tests/test_nlp.py`` checks gives the same events.  A developer tool, not part of the
package.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from spacy.tokens import DocBin  # noqa: E402

from souverain_nlp.devsets import DEV_SETS, dev_set, format_table  # noqa: E402
from souverain_nlp.evaluate import (  # noqa: E402
    load_gold,
    score_events,
    score_party_coverage,
)
from souverain_nlp.gazetteer import load_gazetteer  # noqa: E402
from souverain_nlp.pipeline import (  # noqa: E402
    TableBuilder,
    analyse_doc,
    clean_corpus,
    needs_analysis,
)
from souverain_nlp.rules import load_rules  # noqa: E402
from souverain_nlp.settings import Settings  # noqa: E402

CACHE = ROOT / ".devloop"
DEFAULT_SETS = ("seeds", "pages_txt", "orangesum_txt", "orangesum_tech_txt")


def _digest(*paths: Path) -> str:
    h = hashlib.sha1()
    for p in paths:
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


def parsed(name: str, settings: Settings):
    """(cleans, docs) of a dev set, from the cache when the inputs did not change."""
    from souverain_nlp import ingest

    s = dev_set(name)
    src = ROOT / "src" / "souverain_nlp"
    key = _digest(
        settings.models_dir / "gazetteer.jsonl",
        settings.models_dir / "boilerplate.yaml",
        src / "nlp.py",
        src / "sentences.py",
        src / "clean.py",
        src / "ingest.py",
    )
    path = CACHE / f"{name}-{key}.pkl"
    if path.exists():
        cleans, data = pickle.loads(path.read_bytes())
        from souverain_nlp.nlp import get_nlp

        nlp = get_nlp(settings)
        docs = list(DocBin().from_bytes(data).get_docs(nlp.vocab))
        return cleans, docs
    from souverain_nlp.nlp import get_nlp

    cleans = clean_corpus(ingest.iter_corpus(ROOT / s.corpus))
    todo = [c for c in cleans if needs_analysis(c)]
    nlp = get_nlp(settings)
    docs = list(nlp.pipe((c.text_clean for c in todo), batch_size=8))
    db = DocBin(store_user_data=True)
    for d in docs:
        db.add(d)
    CACHE.mkdir(exist_ok=True)
    for old in CACHE.glob(f"{name}-*.pkl"):
        old.unlink()
    path.write_bytes(pickle.dumps((cleans, db.to_bytes())))
    return cleans, docs


def run_set(name: str, settings: Settings, holdout: bool | None) -> dict:
    """Relations + tables + scores of one dev set."""
    s = dev_set(name)
    cleans, docs = parsed(name, settings)
    gaz = load_gazetteer(settings.models_dir)
    rules = load_rules(settings.models_dir)
    todo = [c for c in cleans if needs_analysis(c)]
    analyses = [analyse_doc(c, d, gaz, rules) for c, d in zip(todo, docs, strict=True)]
    builder = TableBuilder(gaz)
    tables = builder.add(cleans, analyses)
    rest = builder.finish()
    gold = load_gold(ROOT / s.gold)
    if holdout is not None:
        gold = [g for g in gold if (Path(g["source"]).stem[-1:] in "012") == holdout]
    ev = score_events(gold, rest.events, tables.articles)
    report = ev.as_dict()
    report.update(score_party_coverage(gold, tables.articles, tables.mentions, rest.entities))
    report["details"] = ev.details
    report["published_right"] = "-"
    return report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", action="append", help="dev set name (repeat)")
    ap.add_argument("--show", default="", help="misses,fp,matched,parties (comma list)")
    ap.add_argument("--holdout", action="store_true", help="only ids ending in 0-2")
    ap.add_argument("--train", action="store_true", help="only ids not ending in 0-2")
    ap.add_argument("--json", type=Path, help="write the reports here")
    args = ap.parse_args()
    settings = Settings()
    names = args.set or list(DEFAULT_SETS)
    known = {s.name for s in DEV_SETS}
    holdout = True if args.holdout else (False if args.train else None)
    reports = {}
    for name in names:
        if name not in known:
            ap.error(f"unknown set {name}")
        reports[name] = run_set(name, settings, holdout)
    show = set(filter(None, args.show.split(",")))
    for name, r in reports.items():
        for d in r["details"]:
            if "missed" in d and "misses" in show:
                print(f"MISS {name} {d['source']}: {[p[0] for p in d['missed']]}")
            elif "false_positive" in d and "fp" in show:
                print(f"FP   {name} {d['source']}: {d['false_positive']} | {d['sentence']}")
            elif "must_not_pair" in d and "fp" in show:
                print(f"MNP  {name} {d['source']}: {d['must_not_pair']}")
            elif "matched" in d and "matched" in show:
                bad = [k for k in ("date", "purpose") if not d[k][2]]
                bad += [k for k in ("kind", "status") if d[k][0] != d[k][1]]
                if bad:
                    print(f"ATTR {name} {d['source']}: {d['matched']} "
                          + "; ".join(f"{k}={d[k]}" for k in bad))
        if "parties" in show:
            for m in r["parties_missing"]:
                print(f"PARTY {name} {m}")
    print(format_table(reports))
    if args.json:
        args.json.write_text(json.dumps(reports, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()

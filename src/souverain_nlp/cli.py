"""Command line: ``souverain-nlp run | extract | evaluate | report``.

The CLI only parses arguments, calls the library and prints; exit codes: 0 all went well,
1 some articles failed (or an evaluation is below its floor), 2 usage errors.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from .settings import Settings

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Turn French news articles into a dataset of partnership events.",
)


def _fail_usage(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=2)


def _actors_file(path: Path | None) -> Path | None:
    """The user actors file (option, else $SOUVERAIN_ACTORS), checked: exit 2 when it is
    missing or malformed, with the file and line at fault."""
    from .gazetteer import GazetteerError, load_gazetteer

    path = path or Settings().actors_file
    if path is None:
        return None
    if not path.is_file():
        _fail_usage(f"actors file {path} not found")
    try:
        load_gazetteer(Settings().models_dir, path)
    except GazetteerError as err:
        _fail_usage(str(err))
    return path


@app.command()
def run(
    corpus: Annotated[Path, typer.Argument(help="Folder of articles (txt, html, jsonl, parquet).")]
    = Path("corpus"),
    out: Annotated[Path, typer.Option("--out", help="Output folder for the Parquet tables.")]
    = Path("outputs"),
    batch_size: Annotated[int, typer.Option(help="Articles per batch sent to a worker.")] = 64,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
    workers: Annotated[
        int, typer.Option(help="Worker processes (0: all cores; each loads the model once).")
    ] = 0,
    engine: Annotated[
        str, typer.Option(help="local (processes on this machine) or dask.")
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(help="Dask scheduler address (tcp://host:8786); none: a LocalCluster."),
    ] = None,
    full_parse: Annotated[
        bool,
        typer.Option(
            "--full-parse",
            help="Tag and parse every sentence (reference mode) instead of the trigger windows.",
        ),
    ] = False,
    cache: Annotated[
        bool,
        typer.Option(help="Reuse the analyses of unchanged articles (cache in OUT/.cache)."),
    ] = True,
    actors: Annotated[
        Path | None,
        typer.Option("--actors", help="Your own actors and overrides (JSONL or YAML) merged "
                     "into the gazetteer; default $SOUVERAIN_ACTORS."),
    ] = None,
) -> None:
    """Run the pipeline over CORPUS and stream the tables to --out."""
    from .pipeline import run_to

    if not corpus.exists():
        _fail_usage(f"corpus folder {corpus} does not exist (give the folder of articles)")
    if not corpus.is_dir():
        _fail_usage(f"{corpus} is not a folder (use `souverain-nlp extract FILE` for one file)")
    if engine not in ("local", "dask"):
        _fail_usage(f"--engine must be local or dask, not {engine!r}")
    if scheduler and engine != "dask":
        _fail_usage("--scheduler needs --engine dask")
    if workers < 0 or batch_size < 1:
        _fail_usage("--workers must be >= 0 and --batch-size >= 1")
    actors_file = _actors_file(actors)
    settings = Settings(
        actors_file=actors_file,
        batch_size=batch_size,
        workers=workers,
        engine=engine,
        scheduler=scheduler,
        full_parse=full_parse,
        cache_dir=out / ".cache" if cache else None,
    )
    bar = None
    if not quiet:
        from tqdm import tqdm

        bar = tqdm(total=0, unit="art", desc="articles", file=sys.stderr)

    def progress(done: int, total: int) -> None:
        if bar is not None:
            bar.total = total
            bar.n = done
            bar.refresh()

    summary = run_to(corpus, out, settings, progress=progress)
    if bar is not None:
        bar.close()
    typer.echo(
        f"articles: {summary.articles} (ok {summary.ok}, skipped {summary.skipped}, "
        f"errors {summary.errors}) | events: {summary.events} | entities: {summary.entities} "
        f"| analysed: {summary.analysed}, from cache: {summary.cached}, "
        f"workers: {summary.workers} | time: {summary.seconds:.1f}s"
    )
    typer.echo(f"tables: {', '.join(str(p) for p in summary.paths)}")
    if summary.errors:
        raise typer.Exit(code=1)


@app.command()
def extract(
    file: Annotated[Path, typer.Argument(help="One article (txt or html).")],
    published: Annotated[
        str | None, typer.Option(help="Publication date YYYY-MM-DD (anchors relative dates).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="json (JSON lines) or table.")] = "json",
    actors: Annotated[
        Path | None,
        typer.Option("--actors", help="Your own actors and overrides (JSONL or YAML)."),
    ] = None,
) -> None:
    """Extract the partnership events of one article and print them."""
    from .pipeline import extract_text

    if fmt not in ("json", "table"):
        _fail_usage(f"--format must be json or table, not {fmt!r}")
    if not file.is_file():
        _fail_usage(f"{file} is not a readable file")
    if published is not None:
        from .dates import normalise_published

        if normalise_published(published) is None:
            _fail_usage(f"--published {published!r} is not a date (use YYYY-MM-DD)")
    from . import ingest

    docs = list(ingest.read_path(file, file.parent))
    if not docs or docs[0].status != "ok":
        reason = docs[0].error if docs else "nothing to read"
        typer.echo(f"error: {file}: {reason}", err=True)
        raise typer.Exit(code=1)
    doc = docs[0]
    tables = extract_text(
        doc.raw_text, source=file.name, published=published or doc.published,
        settings=Settings(actors_file=_actors_file(actors)),
    )
    if fmt == "json":
        for row in tables.events:
            typer.echo(json.dumps(row, ensure_ascii=False))
        return
    if not tables.events:
        typer.echo("no partnership event found")
        return
    for row in tables.events:
        parties = " + ".join(row["who"]) + " <-> " + " + ".join(row["with_whom"])
        typer.echo(
            f"{row['kind']:<16} {row['status']:<12} {row['date'] or '-':<10} {parties}\n"
            f"    purpose: {row['purpose'] or '-'}\n    evidence: {row['sentence'][:200]}"
        )


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold JSONL (format of dev/gold/README.md).")],
    out: Annotated[Path, typer.Option("--out", help="Folder of the tables to score.")]
    = Path("outputs"),
    corpus: Annotated[Path, typer.Option(help="Corpus the tables were made from.")]
    = Path("corpus"),
    aliases: Annotated[
        Path | None, typer.Option(help="Alias checks (seeds_aliases.json).")
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Also write the full report here.")
    ] = None,
    details: Annotated[bool, typer.Option(help="Print per-event details.")] = False,
) -> None:
    """Score the tables in --out against GOLD and print a table."""
    from .evaluate import evaluate as run_eval

    if not gold.is_file():
        _fail_usage(f"gold file {gold} not found")
    if not (out / "events.parquet").exists():
        _fail_usage(f"no tables in {out}: run `souverain-nlp run` (or `make run`) first")
    report = run_eval(gold, out, corpus=corpus, aliases_path=aliases)
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    typer.echo(f"{'metric':<30} value")
    typer.echo("-" * 42)
    for key, value in report.items():
        if key == "details" or isinstance(value, list):
            continue
        typer.echo(f"{key:<30} {value}")
    for key, value in report.items():
        if isinstance(value, list) and value and (details or key != "details"):
            typer.echo(f"\n{key}:")
            for item in value:
                typer.echo(f"  {item}")


@app.command("eval-dev")
def eval_dev(
    root: Annotated[Path, typer.Option(help="Repository root holding dev/ and corpus/.")]
    = Path("."),
    out: Annotated[Path, typer.Option("--out", help="Folder for the tables of each set.")]
    = Path("outputs/eval"),
    sets: Annotated[
        list[str] | None, typer.Option("--set", help="Only these sets (repeat the option).")
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write every report (details included) here.")
    ] = None,
    workers: Annotated[int, typer.Option(help="Worker processes (0: all cores).")] = 0,
) -> None:
    """Run the pipeline on every dev set of dev/ and print the table of scores."""
    from .devsets import DEV_SETS, evaluate_sets, format_table

    known = {s.name for s in DEV_SETS}
    for name in sets or []:
        if name not in known:
            _fail_usage(f"unknown dev set {name!r}; known: {', '.join(sorted(known))}")
    missing = [s.corpus for s in DEV_SETS if s.name in (sets or known)
               and not (root / s.corpus).is_dir()]
    if missing:
        _fail_usage(f"dev corpus folders not found under {root}: {', '.join(missing)}")
    reports = evaluate_sets(
        root, out, sets, Settings(workers=workers),
        progress=lambda name: typer.echo(f"evaluating {name} ...", err=True),
    )
    if json_out is not None:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(reports, ensure_ascii=False, indent=2), encoding="utf-8")
    typer.echo(format_table(reports))


@app.command()
def report(
    out: Annotated[Path, typer.Option("--out", help="Folder of the tables to report on.")]
    = Path("outputs"),
    dest: Annotated[
        Path | None, typer.Option("--dest", help="HTML file to write (default OUT/report.html).")
    ] = None,
) -> None:
    """Write a self-contained HTML report (network, timeline, axes, events) of the tables."""
    from .report import write_report

    if not (out / "events.parquet").exists():
        _fail_usage(f"no tables in {out}: run `souverain-nlp run` (or `make run`) first")
    try:
        path = write_report(out, dest)
    except FileNotFoundError as err:
        _fail_usage(str(err))
        return
    typer.echo(f"report: {path}")


def main() -> None:
    """Entry point for ``python -m souverain_nlp``."""
    app()


if __name__ == "__main__":
    main()

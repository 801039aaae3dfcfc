"""Command line: ``souverain-nlp run | extract | export | evaluate | report``.

The CLI only parses arguments, calls the library and prints; exit codes: 0 all went well,
1 some articles failed (or an evaluation is below its floor), 2 usage and environment
errors (one line on stderr, no traceback: a missing or empty corpus, an --out that cannot be
written, a malformed gold file, a Dask scheduler that cannot be reached), 130 / 143 / 129
when interrupted by SIGINT / SIGTERM / SIGHUP (the previous outputs are left as they were,
workers are stopped).  Conventions of spaCy and trafilatura: ``--version``, ``-o`` for
``--out``, ``-v`` / ``-q`` for more or less logging (on stderr), several inputs or globs for
``run``, ``-`` for standard input in ``extract``.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sqlite3
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from .settings import Settings

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Turn French news articles into a dataset of partnership events.",
)

#: Problems listed on the terminal after a run (all of them are in OUT/problems.csv).
MAX_PROBLEMS_SHOWN = 50


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


def _version_text() -> str:
    import importlib.metadata as md
    import platform

    from . import __version__
    from .settings import SPACY_MODEL

    def version(name: str) -> str:
        try:
            return md.version(name)
        except md.PackageNotFoundError:
            return "not installed"

    return (
        f"souverain-nlp {__version__} (Python {platform.python_version()}, "
        f"spaCy {version('spacy')}, {SPACY_MODEL} {version(SPACY_MODEL.replace('_', '-'))})"
    )


def _show_version(value: bool) -> None:
    if value:
        typer.echo(_version_text())
        raise typer.Exit()


_LOG_HANDLER_FLAG = "_souverain_cli"


def setup_logging(verbose: int = 0, quiet: bool = False) -> None:
    """Log the library's messages on stderr: warnings by default, -v info, -vv debug,
    -q errors only."""
    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO)[min(verbose, 1)]
    if verbose >= 2 and not quiet:
        level = logging.DEBUG
    logger = logging.getLogger("souverain_nlp")
    for handler in list(logger.handlers):
        if getattr(handler, _LOG_HANDLER_FLAG, False):
            logger.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    setattr(handler, _LOG_HANDLER_FLAG, True)
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False


VerboseOpt = Annotated[
    int, typer.Option("--verbose", "-v", count=True, help="More log messages (-vv: debug).")
]


@app.callback()
def main_options(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True,
            help="Print the version (and spaCy's) and exit.",
        ),
    ] = False,
    verbose: VerboseOpt = 0,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Only error messages on stderr.")
    ] = False,
) -> None:
    """Turn French news articles into a dataset of partnership events."""
    setup_logging(verbose, quiet)
    ctx.obj = {"verbose": verbose, "quiet": quiet}
class _Interrupted(BaseException):
    """A termination signal (SIGTERM, SIGHUP) turned into an exception, like Ctrl-C."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise_interrupted(signum: int, frame: Any) -> None:
    raise _Interrupted(signum)


@contextmanager
def _guarded(out: Path | None = None) -> Iterator[None]:
    """Run a command: signals end it cleanly, environment errors give one line and exit 2.

    SIGTERM and SIGHUP unwind like Ctrl-C, so ``finally`` blocks stop the workers and remove
    the temporary output; the exit code is 128 + the signal number.
    """
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, _raise_interrupted)
    from .pipeline import EmptyCorpusError

    try:
        yield
    except KeyboardInterrupt:
        typer.echo("interrupted (SIGINT): previous outputs left as they were", err=True)
        raise typer.Exit(code=128 + signal.SIGINT) from None
    except _Interrupted as exc:
        name = signal.Signals(exc.signum).name
        typer.echo(f"interrupted ({name}): previous outputs left as they were", err=True)
        raise typer.Exit(code=128 + exc.signum) from None
    except EmptyCorpusError as exc:
        _fail_usage(f"{exc}; outputs left as they were")
    except (OSError, sqlite3.Error) as exc:
        where = f" (--out {out})" if out is not None else ""
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        filename = getattr(exc, "filename", None)
        _fail_usage(f"cannot write or read{where}: {detail}"
                    + (f": {filename}" if filename else ""))


def _check_out(out: Path, inputs: Sequence[Path] = ()) -> None:
    """--out must be a folder that can be created or written, and no input folder itself."""
    if out.exists() and not out.is_dir():
        _fail_usage(f"--out {out} is a file, not a folder")
    if out.exists() and any(p.is_dir() and out.resolve() == p.resolve() for p in inputs):
        _fail_usage(f"--out {out} is the corpus folder: give another folder for the tables")
    probe = out.absolute()
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        _fail_usage(f"--out {out}: {probe} is a file, not a folder")
    if not os.access(probe, os.W_OK | os.X_OK):
        reason = "read-only file system" if _read_only(probe) else "permission denied"
        _fail_usage(f"--out {out} cannot be written ({reason}: {probe})")


def _read_only(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        return False


@app.command()
def run(
    ctx: typer.Context,
    corpus: Annotated[
        list[str] | None,
        typer.Argument(
            help="Folders, files or glob patterns of articles (txt, html, jsonl, parquet); "
            "default: corpus.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Output folder for the Parquet tables.")
    ] = Path("outputs"),
    batch_size: Annotated[int, typer.Option(help="Articles per batch sent to a worker.")] = 64,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar, only error messages.")
    ] = False,
    verbose: VerboseOpt = 0,
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
    all_mentions: Annotated[
        bool,
        typer.Option(
            "--all-mentions",
            help="Run the statistical NER on every line (mentions table: every actor mention) "
            "instead of around candidate sentences only; the events are the same.",
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
    """Run the pipeline over CORPUS (folders, files, globs) and stream the tables to --out."""
    from .inputs import InputError, expand
    from .pipeline import run_to

    if verbose or quiet:
        setup_logging(verbose, quiet)
    quiet = quiet or bool((ctx.obj or {}).get("quiet"))  # souverain-nlp -q run ...
    patterns = corpus or ["corpus"]
    try:
        paths = expand(patterns)
    except InputError as err:
        hint = " (give the folder of articles)" if patterns == ["corpus"] else ""
        _fail_usage(f"{err}{hint}")
        return
    if engine not in ("local", "dask"):
        _fail_usage(f"--engine must be local or dask, not {engine!r}")
    if scheduler and engine != "dask":
        _fail_usage("--scheduler needs --engine dask")
    if workers < 0 or batch_size < 1:
        _fail_usage("--workers must be >= 0 and --batch-size >= 1")
    actors_file = _actors_file(actors)
    if engine == "dask" and scheduler:
        _check_scheduler(scheduler)
    _check_out(out, paths)
    settings = Settings(
        actors_file=actors_file,
        batch_size=batch_size,
        workers=workers,
        engine=engine,
        scheduler=scheduler,
        full_parse=full_parse,
        all_mentions=all_mentions,
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

    try:
        with _guarded(out):
            summary = run_to(paths, out, settings, progress=progress)
    finally:
        if bar is not None:
            bar.close()
    typer.echo(
        f"articles: {summary.articles} (ok {summary.ok}, skipped {summary.skipped}, "
        f"errors {summary.errors}) | events: {summary.events} | entities: {summary.entities} "
        f"| analysed: {summary.analysed}, from cache: {summary.cached}, "
        f"workers: {summary.workers} | time: {summary.seconds:.1f}s"
    )
    typer.echo(f"tables: {', '.join(str(p) for p in summary.paths)}")
    _print_problems(summary.problems, summary.problems_path)
    if summary.errors:
        raise typer.Exit(code=1)


def _check_scheduler(address: str) -> None:
    """One line and exit 2 when no Dask scheduler answers at ``address`` (not a traceback)."""
    from .parallel import SchedulerUnreachable, check_scheduler

    try:
        check_scheduler(address)
    except SchedulerUnreachable as err:
        typer.echo(f"error: {err}", err=True)
        raise typer.Exit(code=2) from None


def _print_problems(problems: list[dict[str, str]], path: Path | None) -> None:
    """The inputs that gave no article, with their reasons (all of them are in ``path``)."""
    if not problems:
        return
    where = f", all listed in {path}" if path is not None else ""
    typer.echo(f"skipped, failed and ignored inputs ({len(problems)}{where}):")
    for row in problems[:MAX_PROBLEMS_SHOWN]:
        typer.echo(f"  {row['status']:<8} {row['source']}: {row['reason']}")
    if len(problems) > MAX_PROBLEMS_SHOWN:
        typer.echo(f"  ... and {len(problems) - MAX_PROBLEMS_SHOWN} more")


@app.command()
def extract(
    file: Annotated[
        str,
        typer.Argument(
            help="One article (txt or html), a collection (jsonl, parquet: every record), "
            "or - to read standard input."
        ),
    ],
    published: Annotated[
        str | None, typer.Option(help="Publication date YYYY-MM-DD (anchors relative dates).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="json (JSON lines) or table.")] = "json",
    actors: Annotated[
        Path | None,
        typer.Option("--actors", help="Your own actors and overrides (JSONL or YAML)."),
    ] = None,
    verbose: VerboseOpt = 0,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Only error messages on stderr.")
    ] = False,
) -> None:
    """Extract the partnership events of one article (or of every record of a collection).

    Exit code 1 when a record could not be read or nothing was extracted from.
    """
    from .pipeline import extract_docs

    if verbose or quiet:
        setup_logging(verbose, quiet)
    if fmt not in ("json", "table"):
        _fail_usage(f"--format must be json or table, not {fmt!r}")
    if file != "-" and not Path(file).is_file():
        _fail_usage(f"{file} is not a readable file")
    if published is not None:
        from .dates import normalise_published

        if normalise_published(published) is None:
            _fail_usage(f"--published {published!r} is not a date (use YYYY-MM-DD)")
    settings = Settings(actors_file=_actors_file(actors), workers=1)
    with _guarded():
        docs = _read_stdin() if file == "-" else _read_file(Path(file))
        usable = [d for d in docs if d.status == "ok"]
        for doc in docs:
            if doc.status != "ok":
                typer.echo(f"{doc.status}: {doc.source}: {doc.error}", err=True)
        if not usable:
            reason = "" if docs else ": nothing to read"
            typer.echo(f"error: {file}: no article to extract from{reason}", err=True)
            raise typer.Exit(code=1)
        tables = extract_docs(usable, settings=settings, published=published)
    _print_events(tables.events, fmt, several=len(usable) > 1)
    if any(d.status == "error" for d in docs):
        raise typer.Exit(code=1)


def _read_file(path: Path) -> list:
    from . import ingest

    # the same size limit as ``run`` (settings.MAX_ARTICLE_BYTES)
    return list(ingest.read_path(path, path.parent, max_bytes=Settings().max_bytes))


#: Bytes of standard input looked at to tell HTML and JSON lines from plain text.
_SNIFF_BYTES = 4096


def _read_stdin() -> list:
    """The documents of standard input, read as the file type its first bytes show."""
    import tempfile

    from . import ingest

    limit = Settings().max_bytes
    data = sys.stdin.buffer.read(limit + 1)  # one byte more: an oversized input is detected
    head = data[:_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"{"):
        suffix = ".jsonl"
    elif head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in head:
        suffix = ".html"
    else:
        suffix = ".txt"
    with tempfile.TemporaryDirectory(prefix="souverain-stdin-") as tmp:
        path = Path(tmp) / f"stdin{suffix}"
        path.write_bytes(data)
        docs = list(ingest.read_path(path, path.parent, max_bytes=limit))
    for doc in docs:
        doc.source = doc.source.replace(path.name, "-", 1)
    return docs


def _print_events(events: list[dict], fmt: str, several: bool) -> None:
    if fmt == "json":
        for row in events:
            typer.echo(json.dumps(row, ensure_ascii=False))
        return
    if not events:
        typer.echo("no partnership event found")
        return
    for row in events:
        parties = " + ".join(row["who"]) + " <-> " + " + ".join(row["with_whom"])
        where = f"[{row['source']}] " if several else ""
        typer.echo(
            f"{where}{row['kind']:<16} {row['status']:<12} {row['date'] or '-':<10} {parties}\n"
            f"    purpose: {row['purpose'] or '-'}\n    evidence: {row['sentence'][:200]}"
        )


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold JSONL (format of dev/gold/README.md).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder of the tables to score.")]
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
    from .evaluate import GoldFormatError
    from .evaluate import evaluate as run_eval

    if not gold.is_file():
        _fail_usage(f"gold file {gold} not found")
    if not (out / "events.parquet").exists():
        _fail_usage(f"no tables in {out}: run `souverain-nlp run` (or `make run`) first")
    if not corpus.is_dir():
        _fail_usage(f"corpus folder {corpus} not found (give --corpus, the folder the tables "
                    "were made from)")
    if aliases is not None and not aliases.is_file():
        _fail_usage(f"alias checks {aliases} not found")
    try:
        report = run_eval(gold, out, corpus=corpus, aliases_path=aliases)
    except GoldFormatError as exc:
        _fail_usage(str(exc))
        return
    except (OSError, ValueError) as exc:  # unreadable or foreign tables in --out
        _fail_usage(f"cannot score the tables in {out}: {exc}")
        return
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
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the tables of each set.")]
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
    _check_out(out)
    with _guarded(out):
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
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder of the tables to report on.")
    ] = Path("outputs"),
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


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv, jsonl or xlsx.")] = "csv",
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder of the tables to export.")
    ] = Path("outputs"),
    dest: Annotated[
        Path | None,
        typer.Option("--dest", help="File to write (default OUT/events.FORMAT)."),
    ] = None,
    per_party: Annotated[
        bool,
        typer.Option(
            "--per-party", help="One row per event and party (default OUT/event_parties.FORMAT)."
        ),
    ] = False,
) -> None:
    """Write the events for spreadsheets: one row per event, parties joined as text."""
    from .export import FORMATS, export_events

    if fmt not in FORMATS:
        _fail_usage(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if not (out / "events.parquet").exists():
        _fail_usage(f"no tables in {out}: run `souverain-nlp run` (or `make run`) first")
    try:
        path = export_events(out, fmt, dest, per_party=per_party)
    except FileNotFoundError as err:
        _fail_usage(str(err))
        return
    typer.echo(f"export: {path}")


def main() -> None:
    """Entry point for ``python -m souverain_nlp``."""
    app()


if __name__ == "__main__":
    main()

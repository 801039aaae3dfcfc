"""Mutation check: break a copy of the source on purpose and show that the tests notice.

    .venv/bin/python tools/mutants.py                 # every mutation (make mutants)
    .venv/bin/python tools/mutants.py --only hash     # mutations whose name contains "hash"
    .venv/bin/python tools/mutants.py --list          # names and tests, nothing run

Each mutation is applied to a fresh copy of the repository (the files git knows, tracked or
not ignored), and the tests that guard the broken code are run on that copy with pytest
(``PYTHONPATH`` points at the copy's ``src/``, checked before anything runs).  A mutation is
caught when pytest says some of its tests failed (exit code 1); a mutation that no test
catches is a hole in the suite.  Before the mutations, the same tests run once on the
unbroken copy: a test that already fails there would make a mutation look caught, so the
check stops.  pytest's output of every run is kept in ``.cache/mutants/``.

A mutation is either a replacement of one exact piece of a file (``replace``: it must occur
exactly once, so a rewrite of the code makes the check fail loudly instead of testing
nothing) or code appended to a module that rebinds one of its functions (``append``: the
function's callers look it up in the module, so the broken version is the one they get,
whatever the function's body has become).  A developer tool, not part of the package; not
run by ``make test`` (it runs the slow end-to-end tests once per mutation).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = "src/souverain_nlp"


@dataclass(frozen=True)
class Mutation:
    """One way to break the code, and the tests that must notice."""

    name: str
    path: str  # file of the repository the mutation changes
    tests: tuple[str, ...]  # pytest node ids or files
    replace: tuple[str, str] | None = None  # (exact old text, new text)
    append: str | None = None  # code appended to the module

    def apply(self, root: Path) -> None:
        """Break the copy of the repository at ``root``; raise when the mutation no longer
        applies to the code."""
        target = root / self.path
        text = target.read_text(encoding="utf-8")
        if self.replace is not None:
            old, new = self.replace
            found = text.count(old)
            if found != 1:
                raise SystemExit(
                    f"mutation {self.name!r}: {old!r} occurs {found} times in {self.path} "
                    "(expected once): update tools/mutants.py to the code as it is now"
                )
            text = text.replace(old, new)
        if self.append is not None:
            text = text.rstrip("\n") + "\n\n\n# --- mutation (tools/mutants.py) ---\n"
            text += self.append.strip("\n") + "\n"
        target.write_text(text, encoding="utf-8")


#: clean() as it is, then every block kept and text_clean the whole raw text.
KEEP_EVERY_LINE = '''
_unbroken_clean = clean


def clean(doc, *args, **kwargs):  # noqa: F811
    out = _unbroken_clean(doc, *args, **kwargs)
    if out.blocks:
        for block in out.blocks:
            block.kept = True
        out.text_clean = "\\n".join(
            doc.raw_text[b.start : b.end].strip() for b in out.blocks
            if doc.raw_text[b.start : b.end].strip()
        )
        out.n_chars_clean = len(out.text_clean)
    return out
'''

#: write_tables and TableWriter writing straight into the output folder.
IN_PLACE_WRITER = '''
def write_tables(out_dir, tables):  # noqa: F811
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in TABLES:
        pq.write_table(to_table(name, list(tables.get(name, []))), out_dir / f"{name}.parquet")
        paths.append(out_dir / f"{name}.parquet")
    return paths


class TableWriter:  # noqa: F811
    """Rows go straight into the output files as they come."""

    def __init__(self, out_dir, row_group_rows=2_000):
        self.out_dir = Path(out_dir)
        self.counts = {name: 0 for name in TABLES}
        self.paths = []
        self._writers = {}

    def __enter__(self):
        self.out_dir.mkdir(parents=True, exist_ok=True)
        for name in TABLES:
            self._writers[name] = pq.ParquetWriter(self.out_dir / f"{name}.parquet",
                                                   SCHEMAS[name])
        return self

    def add(self, name, rows):
        self.counts[name] += len(rows)
        if rows:
            self._writers[name].write_table(to_table(name, list(rows)))

    def __exit__(self, *exc):
        for writer in self._writers.values():
            writer.close()
        self.paths = [self.out_dir / f"{name}.parquet" for name in TABLES]
'''

END_TO_END = (
    "tests/test_pipeline.py",
    "tests/test_cli.py::test_seed_events_are_intact_among_bad_inputs",
    "tests/test_cli.py::test_evaluate_prints_scores",
    "tests/test_cache.py",
    "tests/test_parallel.py",
    "tests/test_load.py::test_event_parties_has_one_row_per_party",
    "tests/test_report.py::test_report_has_its_sections_and_numbers",
    "tests/test_robustness.py::test_two_runs_give_identical_tables",
)

MUTATIONS = (
    Mutation(
        name="extract_events returns no events",
        path=f"{PKG}/relations/__init__.py",
        append='''
def extract_events(doc, article_id, gaz, rules, *args, **kwargs):  # noqa: F811
    return [], []
''',
        tests=END_TO_END,
    ),
    Mutation(
        name="clean keeps every line",
        path=f"{PKG}/clean.py",
        append=KEEP_EVERY_LINE,
        tests=(
            "tests/test_quality.py",
            "tests/test_pipeline.py::test_articles_are_cleaned_and_dated",
            "tests/test_cli.py::test_seed_events_are_intact_among_bad_inputs",
        ),
    ),
    Mutation(
        name="clean keeps every line (HTML tests only)",
        path=f"{PKG}/clean.py",
        append=KEEP_EVERY_LINE,
        tests=(
            "tests/test_quality.py::test_page_scores_hold_the_floor[html]",
            "tests/test_pipeline.py::test_html_page_keeps_its_body_and_drops_what_extraction_left",
        ),
    ),
    Mutation(
        name="score_boilerplate_lines returns perfect scores",
        path=f"{PKG}/evaluate.py",
        append='''
def score_boilerplate_lines(gold, articles, blocks, corpus):  # noqa: F811
    return {"boilerplate_precision": 1.0, "boilerplate_recall": 1.0,
            "content_lines_lost": 0, "lost": []}
''',
        tests=("tests/test_evaluate.py", "tests/test_quality.py",
               "tests/test_cli.py::test_evaluate_prints_scores"),
    ),
    Mutation(
        name="score_snippets returns perfect scores",
        path=f"{PKG}/evaluate.py",
        append='''
def score_snippets(gold, articles, *args, **kwargs):  # noqa: F811
    return {"keep_rate": 1.0, "drop_rate": 1.0, "snippet_misses": []}
''',
        tests=("tests/test_evaluate.py", "tests/test_quality.py",
               "tests/test_cli.py::test_evaluate_prints_scores"),
    ),
    Mutation(
        name="group ids from hash()",
        path=f"{PKG}/events.py",
        replace=(
            'hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]',
            'format(hash(key) & 0xFFFFFFFFFFFF, "012x")',
        ),
        tests=("tests/test_events.py",),
    ),
    Mutation(
        name="grouping compares events pairwise",
        path=f"{PKG}/events.py",
        append='''
def group_events(party_ids, kinds, dates, article_ids, event_ids=None):  # noqa: F811
    ids = list(event_ids) if event_ids is not None else [str(i) for i in range(len(party_ids))]
    n = len(party_ids)
    parent = list(range(n))

    def find(i):
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(n):
        for j in range(i + 1, n):
            if (set(party_ids[i]) == set(party_ids[j]) and article_ids[i] != article_ids[j]
                    and kinds_compatible(kinds[i], kinds[j])
                    and dates_compatible(dates[i], dates[j])):
                parent[find(j)] = find(i)
    members = defaultdict(list)
    for i in range(n):
        members[find(i)].append(i)
    out = [""] * n
    for group in members.values():
        key = ",".join(sorted(ids[m] for m in group))
        gid = "g-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
        for m in group:
            out[m] = gid
    return out
''',
        tests=("tests/test_events.py",),
    ),
    Mutation(
        name="the writer writes in place (kill tests)",
        path=f"{PKG}/store.py",
        append=IN_PLACE_WRITER,
        tests=("tests/test_robustness.py",),
    ),
    Mutation(
        name="the writer writes in place (store tests)",
        path=f"{PKG}/store.py",
        append=IN_PLACE_WRITER,
        tests=("tests/test_store.py",),
    ),
)


def copy_repository(dest: Path) -> None:
    """The files git knows (tracked, or untracked and not ignored) copied into ``dest``."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode("utf-8").split("\0")
    for rel in filter(None, listed):
        src = ROOT / rel
        if src.is_file():
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target)


def _env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SOUVERAIN_MODELS")}
    env["PYTHONPATH"] = str(root / "src")
    env["PYTHONPYCACHEPREFIX"] = str(root / ".pycache")
    return env


def check_copy_is_imported(root: Path) -> None:
    """The tests of a copy must import the copy's package, not the installed one."""
    got = subprocess.run(
        [sys.executable, "-c", "import souverain_nlp, souverain_nlp.settings as s; "
         "print(souverain_nlp.__file__); print(s.models_dir())"],
        cwd=root, env=_env(root), capture_output=True, text=True, check=True,
    ).stdout.split()
    for path in got:
        if not Path(path).resolve().is_relative_to(root.resolve()):
            raise SystemExit(f"the copy at {root} imports {path}: mutations would not be tested")


_SUMMARY = re.compile(r"^=*\s*(?:\d+ \w+(?:, )?)+ in [\d.]+s", re.MULTILINE)
_COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped|deselected|xfailed|xpassed)\b")
#: pytest's exit codes: 0 all passed, 1 some tests failed, 5 no test collected; others
#: (interrupted, internal or usage error) say the run itself broke.
TESTS_FAILED = 1


def run_tests(root: Path, tests: tuple[str, ...], log: Path) -> dict[str, object]:
    """Run pytest on the copy: its exit code, the counts of its summary line, the failing
    test ids; the whole output is written to ``log``."""
    cmd = [sys.executable, "-m", "pytest", "-q", "-rfE", "-p", "no:cacheprovider",
           "--no-header", *tests]
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=root, env=_env(root), capture_output=True, text=True)
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(done.stdout + "\n--- stderr ---\n" + done.stderr, encoding="utf-8")
    counts = {"passed": 0, "failed": 0, "error": 0, "skipped": 0}
    summaries = _SUMMARY.findall(done.stdout)
    for n, what in _COUNT.findall(summaries[-1] if summaries else ""):
        what = "error" if what.startswith("error") else what
        if what in counts:
            counts[what] += int(n)
    failing = re.findall(r"^(?:FAILED|ERROR) (\S+)", done.stdout, re.MULTILINE)
    return {"returncode": done.returncode, "seconds": time.perf_counter() - started,
            "failing": failing, "log": log, **counts}


def _caught(got: dict[str, object]) -> str:
    if got["returncode"] == TESTS_FAILED:
        return "yes"
    return "NO" if got["returncode"] in (0, 5) else f"run broke (exit {got['returncode']})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="run the mutations whose name contains this")
    parser.add_argument("--list", action="store_true", help="list the mutations and stop")
    parser.add_argument("--keep", action="store_true", help="keep the broken copies")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the run of the tests on the unbroken copy")
    parser.add_argument("--logs", type=Path, default=ROOT / ".cache" / "mutants",
                        help="folder of the pytest output of each run (default: %(default)s)")
    args = parser.parse_args(argv)
    chosen = [m for m in MUTATIONS if not args.only or args.only.lower() in m.name.lower()]
    if not chosen:
        parser.error(f"no mutation name contains {args.only!r}")
    if args.list:
        for m in chosen:
            print(f"{m.name}\n    {m.path}\n    " + "\n    ".join(m.tests))
        return 0

    work = Path(tempfile.mkdtemp(prefix="souverain-mutants-"))
    base = work / "base"
    copy_repository(base)
    shared = ROOT.parent / "shared"
    if shared.is_dir():  # tests read ../shared/ (bench corpus) beside the repository
        (work / "shared").symlink_to(shared, target_is_directory=True)
    check_copy_is_imported(base)
    shutil.rmtree(args.logs, ignore_errors=True)
    print(f"broken copies in {work}, pytest output in {args.logs}", flush=True)
    try:
        if not args.no_baseline:
            tests = tuple(dict.fromkeys(t for m in chosen for t in m.tests))
            print(f"baseline: {len(tests)} test selections on the unbroken copy...", flush=True)
            got = run_tests(base, tests, args.logs / "baseline.log")
            print(f"baseline: {got['passed']} passed, {got['skipped']} skipped, "
                  f"{got['failed']} failed, {got['error']} errors in {got['seconds']:.0f}s")
            if got["returncode"] != 0:
                print(f"the tests fail without any mutation (see {got['log']}): fix them first",
                      file=sys.stderr)
                return 2
        rows = []
        for k, m in enumerate(chosen, start=1):
            root = work / f"mutant{k}"
            shutil.copytree(base, root, ignore=shutil.ignore_patterns(".pycache"))
            m.apply(root)
            print(f"[{k}/{len(chosen)}] {m.name}...", flush=True)
            got = run_tests(root, m.tests, args.logs / f"mutant{k}.log")
            rows.append((m, got))
            print(f"    caught: {_caught(got)}; {got['failed'] + got['error']} failed of "
                  f"{got['passed'] + got['failed'] + got['error']} run, "
                  f"{got['skipped']} skipped ({got['seconds']:.0f}s, {got['log']})", flush=True)
            if not args.keep:
                shutil.rmtree(root, ignore_errors=True)
        print()
        print(_table(rows))
        missed = [m.name for m, got in rows if _caught(got) != "yes"]
        if missed:
            print("\nnot caught: " + "; ".join(missed))
        return 1 if missed else 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def _table(rows: list[tuple[Mutation, dict[str, object]]]) -> str:
    header = ("mutation", "tests run (files)", "failed", "skipped", "caught")
    lines = []
    for m, got in rows:
        failed = int(got["failed"]) + int(got["error"])
        ran = int(got["passed"]) + failed
        files = ", ".join(dict.fromkeys(Path(t.split("::")[0]).stem for t in m.tests))
        lines.append((m.name, f"{ran} ({files})", str(failed), str(got["skipped"]),
                      _caught(got)))
    widths = [max(len(r[i]) for r in [header, *lines]) for i in range(len(header))]
    fmt = " | ".join(f"{{:<{w}}}" for w in widths)
    out = [fmt.format(*header), "-+-".join("-" * w for w in widths)]
    out += [fmt.format(*r).rstrip() for r in lines]
    for m, got in rows:
        if got["failing"]:
            out.append(f"\n{m.name}: failing tests")
            out += [f"    {t}" for t in got["failing"]]
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())

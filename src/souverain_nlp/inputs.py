"""The inputs of a run: folders, files and glob patterns -> the documents to read.

``souverain-nlp run`` takes several paths, as spaCy and trafilatura users expect
(``run corpus/ more/*.html notes.jsonl``).  Sources stay relative to one root so that they
are stable and unique: with one folder, the folder itself (``000_x.txt``, as always); with
several inputs, the folder they share (``corpus/000_x.txt``, ``more/page.html``).

Reading itself is the ingest stage's (:func:`souverain_nlp.ingest.iter_corpus` and
:func:`~souverain_nlp.ingest.read_path`); this module only resolves the inputs, and lists
the files of the input folders that ingest does not read (unsupported types), so that a run
can say which files it ignored instead of passing over them without a word.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from . import ingest
from .records import SourceDoc

#: Status given to a file of an input folder that ingest does not read (``problems.csv``).
STATUS_IGNORED = "ignored"
_GLOB_CHARS = frozenset("*?[")


class InputError(ValueError):
    """An input path that does not exist, or a pattern that matches no file."""


def expand(patterns: Sequence[str | Path]) -> list[Path]:
    """Paths of the inputs: existing paths as given, glob patterns expanded (``**`` too).

    Raises :class:`InputError` naming the first path that does not exist or pattern that
    matches nothing.  Duplicates are dropped, order kept.
    """
    found: list[Path] = []
    for pattern in patterns:
        path = Path(pattern)
        if path.exists() or path.is_symlink():
            found.append(path)
            continue
        text = str(pattern)
        if _GLOB_CHARS & set(text):
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                raise InputError(f"no file matches {text!r}")
            found.extend(Path(m) for m in matches)
            continue
        raise InputError(f"{text} does not exist")
    seen: set[Path] = set()
    unique = []
    for path in found:
        key = Path(os.path.abspath(path))
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def as_inputs(corpus: Path | str | Sequence[Path | str]) -> list[Path]:
    """One path or several, as a list of paths (no glob expansion: see :func:`expand`)."""
    if isinstance(corpus, str | os.PathLike):
        return [Path(corpus)]
    return [Path(p) for p in corpus]


def common_root(paths: Sequence[Path]) -> Path:
    """The folder sources are relative to: a lone folder itself, else the inputs' shared folder."""
    if not paths:
        raise InputError("no input given")
    folders = [
        Path(os.path.abspath(p)) if p.is_dir() else Path(os.path.abspath(p)).parent
        for p in paths
    ]
    return Path(os.path.commonpath(folders))


def _prefix(path: Path, root: Path) -> str:
    rel = os.path.relpath(os.path.abspath(path), root)
    return "" if rel == "." else Path(rel).as_posix() + "/"


def _inside(path: Path, folders: list[Path]) -> bool:
    absolute = Path(os.path.abspath(path))
    return any(folder in absolute.parents for folder in folders)


def iter_docs(
    paths: Sequence[Path],
    max_bytes: int = ingest.DEFAULT_MAX_BYTES,
    exclude: Sequence[Path] = (),
) -> Iterator[SourceDoc]:
    """Every document of the inputs, folder by folder and file by file, in the order given.

    A file that is also inside an input folder is read once (with the folder).  Folders in
    ``exclude`` (the run's output folder) and output folders of other runs are not read.
    """
    root = common_root(paths)
    folders = [Path(os.path.abspath(p)) for p in paths if p.is_dir()]
    for path in paths:
        if path.is_dir():
            prefix = _prefix(path, root)
            for doc in ingest.iter_corpus(path, max_bytes=max_bytes, exclude=exclude):
                if prefix:
                    doc.source = prefix + doc.source
                yield doc
        elif not _inside(path, folders):
            yield from ingest.read_path(Path(os.path.abspath(path)), root, max_bytes)


def ignored_files(paths: Sequence[Path], exclude: Sequence[Path] = ()) -> list[dict[str, str]]:
    """Files of the input folders that ingest does not read, with the reason.

    Hidden files and dot-folders are passed over as ingest does (``.DS_Store``, ``.cache/``)
    and not listed, and so are output folders (``exclude``, and folders holding the output
    marker); files given by name are read (and recorded as skipped) by ingest itself.
    """
    root = common_root(paths)
    excluded = {os.path.realpath(p) for p in exclude}
    supported = ", ".join(sorted(ingest.SUFFIXES))
    rows: list[dict[str, str]] = []
    for path in paths:
        if not path.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(path, followlinks=False):
            dirnames[:] = sorted(
                d for d in dirnames if not d.startswith(".")
                and not ingest.is_output_folder(Path(dirpath) / d, excluded)
            )
            for name in sorted(filenames):
                suffix = Path(name).suffix.lower()
                if name.startswith(".") or suffix in ingest.SUFFIXES:
                    continue
                what = f"file type {suffix!r}" if suffix else "file without an extension"
                rows.append(
                    {
                        "source": Path(os.path.relpath(Path(dirpath) / name, root)).as_posix(),
                        "status": STATUS_IGNORED,
                        "reason": f"unsupported {what} (read: {supported})",
                    }
                )
    return sorted(rows, key=lambda r: r["source"])

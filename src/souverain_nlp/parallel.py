"""Where the per-batch function runs: in process, on local worker processes, or on Dask.

Every engine runs the same function, ``pipeline.analyse_batch`` (cleaned articles in, plain
picklable ``Analysis`` records out), and loads the spaCy pipeline once per worker.  The
corpus-level steps (entity resolution, grouping, writing) stay in the calling process.
``ordered_map`` keeps a bounded number of batches in flight and yields results in input
order, so runs are deterministic and memory does not grow with the corpus.

Local workers never outlive the process that started them, whatever ends it: each asks the
kernel for SIGKILL when its parent dies (Linux ``prctl(PR_SET_PDEATHSIG)``) and runs a
watchdog thread that exits when its parent process is gone (every platform, within
``WATCHDOG_SECONDS``).  They ignore SIGINT (a Ctrl-C in a terminal reaches the whole process
group): the main process handles it and stops them (``close(abort=True)``).  Once the
workers are gone, multiprocessing's resource tracker sees its pipe close and exits too.
"""

from __future__ import annotations

import ctypes
import hashlib
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol, TypeVar

from .records import CleanDoc
from .settings import Settings

T = TypeVar("T")
R = TypeVar("R")

#: Batches in flight per worker: one being analysed, one waiting, so a worker never idles
#: while the main process cleans articles or writes tables.
INFLIGHT_PER_WORKER = 2
#: How often a worker's watchdog checks that its parent process is still there (seconds).
WATCHDOG_SECONDS = 0.5
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class Engine(Protocol):
    """Runs the per-batch function somewhere and hands back futures."""

    workers: int

    def submit(self, batch: list[CleanDoc]) -> Any:
        """Start analysing a batch; returns an object with ``.result()``."""

    def close(self, abort: bool = False) -> None:
        """Release workers (``abort``: stop them now, do not wait for running batches)."""


class _Done:
    def __init__(self, value: Any) -> None:
        self.value = value

    def result(self) -> Any:
        return self.value


def _analyse(batch: list[CleanDoc], settings: Settings) -> list[Any]:
    from .pipeline import analyse_batch

    return analyse_batch(batch, settings)


class InlineEngine:
    """One worker: the calling process itself (the model is loaded on the first batch)."""

    workers = 1

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def submit(self, batch: list[CleanDoc]) -> _Done:
        return _Done(_analyse(batch, self.settings))

    def close(self, abort: bool = False) -> None:
        pass


_WORKER_SETTINGS: Settings | None = None


def die_with_parent(parent_pid: int) -> None:
    """Make the calling (worker) process end as soon as process ``parent_pid`` is gone.

    Linux: the kernel sends SIGKILL when the parent dies (``PR_SET_PDEATHSIG``; strictly,
    when the parent's thread that started this process ends, which is the thread running
    the pipeline).  Everywhere: a daemon thread polls the parent pid and exits the process.
    """
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # no libc prctl: the watchdog still works
            pass
    if os.getppid() != parent_pid:  # the parent died before we could ask
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(WATCHDOG_SECONDS)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _init_worker(settings: Settings, parent_pid: int | None = None) -> None:
    """Worker start: tie the worker to its parent, then load the pipeline and its gate once."""
    global _WORKER_SETTINGS
    if parent_pid is not None:
        die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _WORKER_SETTINGS = settings
    from .nlp import get_gate, get_nlp

    nlp = get_nlp(settings)
    get_gate(nlp, settings.models_dir)


def _worker_analyse(batch: list[CleanDoc]) -> list[Any]:
    assert _WORKER_SETTINGS is not None
    return _analyse(batch, _WORKER_SETTINGS)


class ProcessEngine:
    """N local worker processes (spawned: each imports spaCy and loads the model once)."""

    def __init__(self, settings: Settings, workers: int) -> None:
        self.workers = workers
        self._pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(settings, os.getpid()),
        )

    def submit(self, batch: list[CleanDoc]) -> Future:
        return self._pool.submit(_worker_analyse, batch)

    def pids(self) -> list[int]:
        """Process ids of the live workers."""
        procs = getattr(self._pool, "_processes", None) or {}
        return [p.pid for p in list(procs.values()) if p.pid is not None]

    def close(self, abort: bool = False) -> None:
        if abort:
            # An interrupt or an error: running batches are of no use, stop the workers now.
            procs = list((getattr(self._pool, "_processes", None) or {}).values())
            for proc in procs:
                if proc.is_alive():
                    proc.terminate()
            for proc in procs:
                proc.join(timeout=5)
                if proc.is_alive():
                    proc.kill()
        self._pool.shutdown(wait=True, cancel_futures=True)


#: Name of the user actors file inside a rule bundle (see ``rule_bundle``).
USER_ACTORS = "user_actors"


def rule_bundle(models_dir: Path, actors_file: Path | None = None) -> dict[str, bytes]:
    """The rule files of a models folder, by relative path (small: a few hundred KB), and
    the user actors file if any (as ``user_actors`` + its suffix)."""
    bundle = {
        str(path.relative_to(models_dir)): path.read_bytes()
        for path in sorted(models_dir.rglob("*"))
        if path.is_file()
    }
    if actors_file is not None:
        bundle[USER_ACTORS + Path(actors_file).suffix] = Path(actors_file).read_bytes()
    return bundle


def materialise_rules(bundle: dict[str, bytes], root: Path | None = None) -> Path:
    """Write a rule bundle once into a folder named by its digest; returns the folder.

    Dask workers on other machines do not see our ``models/``: they get its content and
    read it from their own temporary folder.  Written to a sibling and renamed, so workers
    sharing a disk never read a half-written folder.
    """
    digest = hashlib.sha256()
    for name, data in sorted(bundle.items()):
        digest.update(name.encode("utf-8") + b"\0" + data)
    root = root or Path(tempfile.gettempdir()) / "souverain_nlp_rules"
    dest = root / digest.hexdigest()[:16]
    if dest.is_dir():
        return dest
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=root, prefix=".partial-"))
    for name, data in bundle.items():
        target = tmp / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    try:
        tmp.rename(dest)
    except OSError:  # another worker got there first
        shutil.rmtree(tmp, ignore_errors=True)
    return dest


def _dask_analyse(
    batch: list[CleanDoc], settings: Settings, bundle: dict[str, bytes]
) -> list[Any]:
    # get_nlp is cached per process and rule folder: each Dask worker loads the model once
    models = materialise_rules(bundle)
    actors = next((models / n for n in bundle if n.startswith(USER_ACTORS)), None)
    return _analyse(batch, replace(settings, models_dir=models, actors_file=actors))


class DaskEngine:
    """The same per-batch function on a Dask cluster.

    ``scheduler``: address of a running scheduler ("tcp://host:8786"); None starts a
    LocalCluster of ``workers`` single-threaded worker processes on this machine.
    """

    def __init__(
        self,
        settings: Settings,
        workers: int,
        scheduler: str | None = None,
        processes: bool = True,
    ) -> None:
        from dask.distributed import Client, LocalCluster

        self.settings = settings
        self._cluster = None
        if scheduler:
            self._client = Client(scheduler)
        else:
            self._cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=processes,
                dashboard_address=None,
            )
            self._client = Client(self._cluster)
        self.workers = max(1, len(self._client.scheduler_info().get("workers", {})) or workers)
        # The rule files go to every worker once (workers need the package, not our disk).
        [self._rules] = self._client.scatter(
            [rule_bundle(settings.models_dir, settings.actors_file)], broadcast=True, hash=False
        )

    def submit(self, batch: list[CleanDoc]) -> Any:
        return self._client.submit(_dask_analyse, batch, self.settings, self._rules, pure=False)

    def close(self, abort: bool = False) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_engine(settings: Settings) -> Engine:
    """The engine the settings ask for (``engine``, ``workers``, ``scheduler``)."""
    workers = settings.workers or default_workers()
    if settings.engine == "dask":
        return DaskEngine(settings, workers, settings.scheduler)
    if settings.engine != "local":
        raise ValueError(f"engine must be 'local' or 'dask', not {settings.engine!r}")
    if workers == 1:
        return InlineEngine(settings)
    return ProcessEngine(settings, workers)


def ordered_map(
    submit: Callable[[T], Any], items: Iterable[T], inflight: int
) -> Iterator[tuple[T, Any]]:
    """(item, result) for every item, in input order, with at most ``inflight`` pending."""
    pending: deque[tuple[T, Any]] = deque()
    for item in items:
        pending.append((item, submit(item)))
        while len(pending) >= max(1, inflight):
            done, fut = pending.popleft()
            yield done, fut.result()
    while pending:
        done, fut = pending.popleft()
        yield done, fut.result()


#: Seconds to wait for a TCP connection to a Dask scheduler before saying it is unreachable.
SCHEDULER_CONNECT_TIMEOUT = 5.0
#: Dask's default scheduler port, for an address given without one.
DASK_DEFAULT_PORT = 8786


class SchedulerUnreachable(OSError):
    """No Dask scheduler answers at the address given; the message names it and why."""


def check_scheduler(address: str, timeout: float = SCHEDULER_CONNECT_TIMEOUT) -> None:
    """Raise :class:`SchedulerUnreachable` when nothing accepts a TCP connection at a Dask
    scheduler address (``tcp://host:8786``, ``host:8786``, ``tls://...``).

    A quick check before ``Client(address)``, which otherwise retries for 30 s and ends in a
    long traceback.  Addresses of other protocols (``inproc://``, ``ucx://``) are not checked.
    """
    import socket
    from urllib.parse import urlsplit

    text = address.strip()
    scheme = text.split("://", 1)[0].lower() if "://" in text else "tcp"
    if scheme not in ("tcp", "tls"):
        return
    parts = urlsplit(text if "://" in text else f"tcp://{text}")
    try:
        host, port = parts.hostname, parts.port or DASK_DEFAULT_PORT
    except ValueError as err:  # a port that is not a number
        raise SchedulerUnreachable(f"bad Dask scheduler address {address!r}: {err}") from None
    if not host:
        raise SchedulerUnreachable(f"bad Dask scheduler address {address!r}: no host")
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except OSError as err:
        reason = err.strerror or str(err) or type(err).__name__
        raise SchedulerUnreachable(
            f"cannot reach the Dask scheduler at {address} ({reason}); start it with "
            f"`dask scheduler` or check --scheduler"
        ) from None

"""The job layer of ``check`` and ``decide``: independent solver jobs on this process, local processes or Dask.

Theory of operation: a run is a list of jobs (a check cell, a decide property), each belonging to a
group (its property). z3's answers depend on what the process built before, so the layer fixes
*shares*, not just workers: group ``n`` (in the order of first appearance) goes to share
``n mod width``, and each share runs from start to end in a fresh Python interpreter
(``python -m sipsmodel.jobs``, pickles on its standard input and output), its jobs in order. The
shares and their fresh interpreters depend only on the jobs and the width (``--jobs``), never on
where they run or on what the calling process did before:

- ``width == 1`` and no scheduler: every job in this process, in order;
- local: the ``width`` shares at once, each in a fresh interpreter on this machine;
- ``--scheduler ADDRESS``: each share is a task of an existing Dask distributed cluster, and the task
  starts the share's fresh interpreter on the worker's machine, so a worker that ran other shares
  before changes nothing.

So ``--scheduler ADDRESS --jobs N`` prints what ``--jobs N`` prints. Results come back in job order.

A caller whose answers do not depend on what the process did before (``check``: its model comes from
a context of its own, ``sipsmodel.smt.fresh``, its cores and verdicts are facts) may ask for
``pull=True``: then, on local processes, ``width`` fresh interpreters (``python -m sipsmodel.jobs
--serve``) each take the next job as soon as they are free, which balances jobs of uneven cost
(the wall time is about the largest share's CPU time, and fixed shares left one core idle).
A job may also run its work in a child forked from its process (:func:`forked`): ``check`` builds the
shared encoding once per process and forks one child per property from that state, which is the same
in every process, so its results do not depend on the width either.
Dask is an optional extra (``pip install 'sipsmodel[dask]'``), imported only when a scheduler is given.
"""

from __future__ import annotations

import gc
import os
import pickle
import subprocess
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from sipsmodel.errors import SipsModelError

T = TypeVar("T")
R = TypeVar("R")

#: Seconds to wait for a Dask scheduler to answer before giving up with a clear error.
CONNECT_TIMEOUT = 20.0
DASK_EXTRA_HINT = "pip install 'sipsmodel[dask]' (Dask distributed, an optional extra)"


def cpu_count() -> int:
    """The CPUs this process may run on (its affinity mask where the OS has one): ``check``'s default ``--jobs``."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # no affinity mask on this OS (macOS, Windows)
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Runner:
    """Where jobs run: ``width`` shares (``--jobs``) on local processes, or on the Dask ``scheduler``."""

    width: int = 1
    scheduler: str | None = None


def shares(items: Sequence[T], width: int, group: Callable[[T], Hashable]) -> list[list[int]]:
    """The job indices of each non-empty share: group ``n`` (first-appearance order) to share ``n mod width``."""
    order: dict[Hashable, int] = {}
    split: list[list[int]] = [[] for _ in range(max(1, width))]
    for index, item in enumerate(items):
        number = order.setdefault(group(item), len(order))
        split[number % len(split)].append(index)
    return [share for share in split if share]


def forked(func: Callable[[T], R], item: T) -> R:
    """``func(item)`` in a child forked from this process, so that it starts from this process's state and
    leaves nothing behind; its answer (or its sipsmodel error) comes back pickled through a pipe.

    The child runs without Python's cyclic garbage collector (see the comment there). Where the OS
    cannot fork, ``func(item)`` runs here. Only sipsmodel's own errors are raised as they
    are; any other failure of the child is a SipsModelError carrying its traceback.
    """
    if not hasattr(os, "fork"):
        return func(item)
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover  (the child; coverage and pytest never see it end)
        os.close(read)
        # No cyclic collection in the child: when it runs depends on the parent's heap, and what it
        # frees (z3 terms) changes the ids of later terms and so z3's search. Reference counting
        # still frees the rest, and the child's memory goes back when it ends.
        gc.disable()
        try:
            answer: tuple[str, Any] = ("ok", func(item))
        except SipsModelError as exc:
            answer = ("error", exc)
        except BaseException:  # noqa: BLE001  (reported to the parent, whatever it is)
            answer = ("crash", traceback.format_exc())
        try:
            data = pickle.dumps(answer)
        except Exception as exc:  # noqa: BLE001  (keep the text of what cannot travel)
            data = pickle.dumps(("crash", f"the answer could not be sent back ({exc}): {answer[1]}"))
        with os.fdopen(write, "wb") as stream:
            stream.write(data)
        os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as stream:
        data = stream.read()
    os.waitpid(child, 0)
    if not data:
        raise SipsModelError("a forked job process ended without an answer")
    status, value = pickle.loads(data)
    if status == "error":
        raise value
    if status == "crash":
        raise SipsModelError(f"a forked job process failed:\n{value}")
    return cast(R, value)


def run_share(func: Callable[[T], R], share: Sequence[T]) -> list[R]:
    """Run one share's jobs in order (module level so that pools and Dask can pickle it)."""
    return [func(item) for item in share]


def run_jobs(
    func: Callable[[T], R],
    items: Sequence[T],
    runner: Runner = Runner(),
    group: Callable[[T], Hashable] = lambda item: id(item),
    tick: Callable[[T], None] = lambda _item: None,
    pull: bool = False,
) -> list[R]:
    """``[func(item) for item in items]`` on the runner's processes; ``tick(item)`` as each job is done.

    ``func`` must be a module-level function and ``items`` picklable when the jobs leave this process.
    ``pull``: local workers take the next job when free (see the module's docstring), not fixed shares.
    """
    if not items or (runner.scheduler is None and runner.width <= 1):
        results = []
        for item in items:
            results.append(func(item))
            tick(item)
        return results
    if pull and runner.scheduler is None:
        return _pull_on_processes(func, items, runner.width, tick)
    split = shares(items, runner.width, group)
    parts = [[items[i] for i in share] for share in split]

    def done(part: list[T]) -> None:
        for item in part:
            tick(item)

    if runner.scheduler is not None:
        answers = _run_on_dask(func, parts, runner.scheduler, done)
    else:
        answers = _run_on_processes(func, parts, done)
    found: dict[int, R] = {}
    for share, answer in zip(split, answers, strict=True):
        found.update(zip(share, answer, strict=True))
    return [found[i] for i in range(len(items))]


def _run_on_processes(
    func: Callable[[T], R], parts: list[list[T]], done: Callable[[list[T]], object]
) -> list[list[R]]:
    """Every share in its own fresh interpreter on this machine, all at once (there are ``width`` shares)."""
    answers: dict[int, list[R]] = {}
    with ThreadPoolExecutor(max_workers=len(parts)) as pool:
        futures = {pool.submit(run_share_fresh, func, part): n for n, part in enumerate(parts)}
        for future in as_completed(futures):
            number = futures[future]
            answers[number] = future.result()
            done(parts[number])
    return [answers[n] for n in range(len(parts))]


def _pull_on_processes(func: Callable[[T], R], items: Sequence[T], width: int,
                       tick: Callable[[T], None]) -> list[R]:
    """``width`` fresh serving interpreters, each taking the next job in order as soon as it is free."""
    lock = threading.Lock()
    pending = iter(range(len(items)))
    found: dict[int, R] = {}

    def serve() -> None:
        with _Server() as server:
            while True:
                with lock:
                    index = next(pending, None)
                if index is None:
                    return
                found[index] = server.ask(func, items[index])
                with lock:
                    tick(items[index])

    with ThreadPoolExecutor(max_workers=min(width, len(items))) as pool:
        for future in [pool.submit(serve) for _ in range(min(width, len(items)))]:
            future.result()
    return [found[i] for i in range(len(items))]


class _Server:
    """A ``python -m sipsmodel.jobs --serve`` interpreter: a pickled (func, item) in, a pickled answer out."""

    def __enter__(self) -> _Server:
        self.errors = tempfile.TemporaryFile()
        self.process = subprocess.Popen([sys.executable, "-m", "sipsmodel.jobs", "--serve"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=self.errors)
        return self

    def ask(self, func: Callable[[T], R], item: T) -> R:
        assert self.process.stdin is not None and self.process.stdout is not None
        try:
            pickle.dump((func, item), self.process.stdin)
            self.process.stdin.flush()
            status, value = pickle.load(self.process.stdout)
        except (EOFError, BrokenPipeError, pickle.UnpicklingError):
            self.process.wait()
            self.errors.seek(0)
            raise SipsModelError(f"a job process exited with code {self.process.returncode} without an answer:\n"
                                 f"{self.errors.read().decode('utf-8', 'replace')[-2000:]}") from None
        if status == "error":
            raise value
        return cast(R, value)

    def __exit__(self, *exc: object) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait()
        self.errors.close()


def dask_client(address: str) -> Any:
    """A client of the Dask scheduler at ``address``; a clear error when Dask or the scheduler is missing."""
    try:
        import distributed
    except ImportError:
        raise SipsModelError(f"--scheduler needs Dask distributed, which is not installed; {DASK_EXTRA_HINT}") from None
    try:
        client_class: Any = distributed.Client
        return client_class(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise SipsModelError(
            f"--scheduler {address}: no Dask scheduler answered there within {CONNECT_TIMEOUT:g} s ({exc}); "
            "expected the address of a running scheduler such as tcp://127.0.0.1:8786 (`dask scheduler` prints it)"
        ) from None


def _run_on_dask(
    func: Callable[[T], R], parts: list[list[T]], address: str, done: Callable[[list[T]], object]
) -> list[list[R]]:
    """Each share a Dask task that runs it in a fresh interpreter on the worker's machine."""
    client = dask_client(address)
    import distributed

    as_completed: Any = distributed.as_completed
    try:
        futures = [client.submit(run_share_fresh, func, part, pure=False) for part in parts]
        index = {future.key: n for n, future in enumerate(futures)}
        answers: dict[int, list[R]] = {}
        for future in as_completed(futures, loop=client.loop):
            number = index[future.key]
            answers[number] = future.result()
            done(parts[number])
        return [answers[n] for n in range(len(parts))]
    finally:
        client.close()


def run_share_fresh(func: Callable[[T], R], share: Sequence[T]) -> list[R]:
    """Run a share in a new ``python -m sipsmodel.jobs`` process and return its results (or raise its error)."""
    done = subprocess.run(
        [sys.executable, "-m", "sipsmodel.jobs"], input=pickle.dumps((func, list(share))), capture_output=True,
        check=False,
    )
    if done.returncode != 0 or not done.stdout:
        raise SipsModelError(
            f"a job process exited with code {done.returncode} without an answer:\n"
            f"{done.stderr.decode('utf-8', 'replace')[-2000:]}"
        )
    status, value = pickle.loads(done.stdout)
    if status == "error":
        raise value
    return list(value)


def _serve_one_share() -> None:
    """The body of ``python -m sipsmodel.jobs``: a pickled (func, share) in, a pickled answer out."""
    answer_stream = sys.stdout.buffer
    sys.stdout = sys.stderr  # anything the jobs print must not mix with the answer
    func, share = pickle.loads(sys.stdin.buffer.read())
    answer_stream.write(_answer(run_share, func, share))
    answer_stream.flush()


def _answer(run: Callable[[Callable[[T], R], Any], Any], func: Callable[[T], R], arg: Any) -> bytes:
    """``run(func, arg)`` as a pickled ("ok", value) or ("error", SipsModelError) for the parent."""
    try:
        answer: tuple[str, Any] = ("ok", run(func, arg))
    except SipsModelError as exc:
        answer = ("error", exc)
    try:
        return pickle.dumps(answer)
    except (pickle.PicklingError, TypeError, AttributeError) as exc:  # keep the text of what cannot travel
        return pickle.dumps(("error", SipsModelError(f"a job's answer could not be sent back ({exc}): {answer[1]}")))


def _serve_jobs() -> None:
    """The body of ``python -m sipsmodel.jobs --serve``: pickled (func, item) in, pickled answers out, until EOF."""
    answers, questions = sys.stdout.buffer, sys.stdin.buffer
    sys.stdout = sys.stderr  # anything the jobs print must not mix with the answers
    while True:
        try:
            func, item = pickle.load(questions)
        except EOFError:
            return
        answers.write(_answer(_call, func, item))
        answers.flush()


def _call(func: Callable[[T], R], item: T) -> R:
    return func(item)


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        _serve_jobs()
    else:
        _serve_one_share()

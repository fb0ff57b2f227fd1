"""A progress bar on stderr, only when stderr is a terminal (never in pipes, files or tests)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

Tick = Callable[[str], None]


@contextmanager
def progress_bar(total: int, label: str, stream: TextIO | None = None) -> Iterator[Tick]:
    """Yield ``tick(description)``, advancing a rich bar on a terminal and doing nothing elsewhere."""
    target = sys.stderr if stream is None else stream
    if not target.isatty():
        yield lambda _description: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(file=target), transient=True) as bar:
        task = bar.add_task(label, total=total)

        def tick(description: str) -> None:
            bar.update(task, advance=1, description=f"{label} {description}")

        yield tick


Status = Callable[[str, int, str], None]


@contextmanager
def status_bar(total: int, label: str, stream: TextIO | None = None) -> Iterator[Status]:
    """Yield ``show(description, completed, note)``: a rich bar of ``total`` steps with a note on its right.

    Only when the stream (default stderr) is a terminal; elsewhere ``show`` does nothing.
    """
    target = sys.stderr if stream is None else stream
    if not target.isatty():
        yield lambda _description, _completed, _note: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[note]}"))
    with Progress(*columns, console=Console(file=target), transient=True) as bar:
        task = bar.add_task(label, total=total, note="")

        def show(description: str, completed: int, note: str) -> None:
            bar.update(task, completed=completed, description=f"{label} {description}", note=note)

        yield show

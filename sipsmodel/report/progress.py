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

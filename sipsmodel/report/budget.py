"""A run's time budget shared out over its cells: each cell gets what is left divided by the cells left.

Issue 13, item 2: ``sipsmodel explore`` with no options must end within about a minute. A cell that
ends early (a violation found at once, the per-cell ``--examples`` cap reached) leaves its unused
time to the cells after it; a cell that overruns (one scenario in flight when its time ran out)
takes it from them. A budget of 0 seconds means no time limit.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Budget:
    """``seconds`` for ``cells`` cells, started when made (``clock`` is a monotonic clock in seconds)."""

    seconds: float
    cells: int
    clock: Callable[[], float] = time.monotonic
    started: float = field(init=False)
    cells_left: int = field(init=False)

    def __post_init__(self) -> None:
        self.started = self.clock()
        self.cells_left = self.cells

    @property
    def limited(self) -> bool:
        """False when the budget is 0 (no time limit)."""
        return self.seconds > 0

    def seconds_left(self) -> float | None:
        """Seconds left for the whole run (never below 0), or None without a limit."""
        if not self.limited:
            return None
        return max(0.0, self.started + self.seconds - self.clock())

    def next_cell(self) -> float | None:
        """Start the next cell: its deadline on ``clock`` (its share of the time left), or None without a limit."""
        left = self.seconds_left()
        share = None if left is None else left / max(1, self.cells_left)
        self.cells_left = max(0, self.cells_left - 1)
        return None if share is None else self.clock() + share

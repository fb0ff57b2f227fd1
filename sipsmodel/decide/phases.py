"""CPU time per phase of the ambiguity search, for the benchmark (issue 9: which part dominates).

Each phase is a ``with phase(name):`` block; a nested block's time counts for the inner phase only
(exclusive times), so the phases of a process add up to the time spent inside them. CPU time of the
process (``time.process_time``), not wall time, so a loaded machine does not stretch the figures. The
totals are per process: each rule set's search reports its own (``decide.ambiguities.set_job``). Measuring
changes nothing the search does.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

#: Seconds of CPU time per phase in this process since the last ``reset``.
_TOTALS: dict[str, float] = {}


@dataclass
class _Open:
    """A phase being counted: its name and the CPU time when it last started or resumed."""

    name: str
    since: float


#: The open phases, innermost last.
_OPEN: list[_Open] = []


@contextmanager
def phase(name: str) -> Iterator[None]:
    """Count the CPU time of the block for ``name`` (the enclosing phase pauses meanwhile)."""
    now = time.process_time()
    if _OPEN:
        _add(_OPEN[-1].name, now - _OPEN[-1].since)
    _OPEN.append(_Open(name, now))
    try:
        yield
    finally:
        now = time.process_time()
        _add(name, now - _OPEN.pop().since)
        if _OPEN:
            _OPEN[-1].since = now


def _add(name: str, seconds: float) -> None:
    _TOTALS[name] = _TOTALS.get(name, 0.0) + seconds


def reset() -> None:
    """Start counting from zero (the open phases, if any, from now)."""
    _TOTALS.clear()
    now = time.process_time()
    for entry in _OPEN:
        entry.since = now


def totals() -> dict[str, float]:
    """CPU seconds per phase since the last ``reset``."""
    return dict(_TOTALS)

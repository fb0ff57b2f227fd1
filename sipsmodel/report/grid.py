"""Arrange cells as a grid of properties (rows) by rule sets (columns), in the order they came."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sipsmodel.report.expect import MISMATCH, NOT_FOUND, mismatch_note, status
from sipsmodel.verdict import Result


@dataclass(frozen=True)
class Grid:
    """Row and column keys plus the cell text of each (property, rule set)."""

    properties: tuple[str, ...]
    rule_sets: tuple[str, ...]
    cells: Mapping[tuple[str, str], Result]

    def text(self, prop: str, rules: str) -> str:
        """The cell's label with its mismatch note, or '-' when the cell was not checked."""
        result = self.cells.get((prop, rules))
        if result is None:
            return "-"
        note = mismatch_note(result)
        return f"{result.label} {note}" if note else result.label


def grid(results: Sequence[Result]) -> Grid:
    """The grid of ``results`` (a later result for the same cell replaces an earlier one)."""
    props = tuple(dict.fromkeys(r.property for r in results))
    sets = tuple(dict.fromkeys(r.rules for r in results))
    return Grid(props, sets, {(r.property, r.rules): r for r in results})


def summary(results: Sequence[Result]) -> str:
    """One line: how many cells of each verdict, and how many differ from their expectation."""
    counts = Counter(r.verdict for r in results)
    parts = [f"{counts[v]} {v}" for v in ("proved", "refuted", "unknown", "sampled", "trace-only") if counts[v]]
    states = Counter(status(r) for r in results)
    text = f"{len(results)} {'cell' if len(results) == 1 else 'cells'}: " + ", ".join(parts)
    if states[MISMATCH]:
        count = states[MISMATCH]
        text += f"; {count} {'differs' if count == 1 else 'differ'} from {'its' if count == 1 else 'their'} expectation"
    if states[NOT_FOUND]:
        text += f"; {states[NOT_FOUND]} expected refutations not found by sampling"
    return text + scenario_counts(results)


def scenario_counts(results: Sequence[Result]) -> str:
    """``; 2345 random scenarios (12 to 1000 per cell)`` for explore's cells, '' when no cell ran any."""
    counts = [r.scenarios for r in results if r.scenarios is not None]
    if not counts:
        return ""
    spread = f"{counts[0]} in the cell" if len(counts) == 1 else f"{min(counts)} to {max(counts)} per cell"
    return f"; {sum(counts)} random scenarios ({spread})"

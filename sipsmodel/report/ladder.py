"""A counterexample as the simulator's renderer draws it, with the violating transmission marked."""

from __future__ import annotations

import re

from sipsmodel.model.trace import Trace

MARK = "<== violates the property"


def mark_transmission(text: str, violation: int | None) -> str:
    """Append the violation mark to the first line naming F<violation+1> in each part of ``text``."""
    if violation is None:
        return text
    label = re.compile(rf"(?<![A-Za-z0-9])F{violation + 1}(?![0-9])")
    lines = text.split("\n")
    for start in _part_starts(lines):
        for n in range(start, len(lines)):
            if label.search(lines[n]):
                lines[n] = f"{lines[n].rstrip()}   {MARK}"
                break
    return "\n".join(lines)


def _part_starts(lines: list[str]) -> list[int]:
    """The ladder starts at line 0; the messages part at the first line naming F1 after a blank line."""
    for n in range(1, len(lines)):
        if not lines[n - 1].strip() and re.match(r"\s*F1(?![0-9])", lines[n]):
            return [0, n]
    return [0]


def ladder_text(trace: Trace, violation: int | None) -> str:
    """The ladder and the full SIP messages of ``trace``, the violating transmission marked."""
    from sipsmodel.render import render_trace

    return mark_transmission(render_trace(trace), violation)

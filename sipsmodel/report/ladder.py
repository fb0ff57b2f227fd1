"""A counterexample as the simulator's renderer draws it, with the violating transmission marked."""

from __future__ import annotations

from sipsmodel.model.trace import Trace
from sipsmodel.render import render_trace


def ladder_text(trace: Trace, violation: int | None) -> str:
    """The ladder and the full SIP messages of ``trace``, the violating transmission marked."""
    return render_trace(trace, mark=violation)

"""A counterexample as the simulator's renderer draws it, with the violating transmission marked."""

from __future__ import annotations

from sipsmodel.model.trace import Trace
from sipsmodel.render import render_trace


def ladder_text(trace: Trace, violation: int | None, why: bool = True) -> str:
    """The ladder and the full SIP messages of ``trace``, the violating transmission marked.

    ``why``: the decisions taken at each transmission under its arrow (docs/why.md).
    """
    return render_trace(trace, mark=violation, why=why)

"""A decide witness is a function of the query alone, not of what the process asked before (issue 11).

The conflict solver is shared by every change a process judges (``smt.conflicts.ConflictSearch``); it
answers whether a witness exists, and the witness's model is read in a Z3 context of its own
(``smt.fresh``). Here one change's findings are computed in a child forked from a fresh process, and
in another after unrelated changes warmed the very solver they use: states, traces and marks must be
identical.
"""

from __future__ import annotations

import pytest

from sipsmodel.jobs import forked
from sipsmodel.rules.sets import PRESETS
from sipsmodel.smt.conflicts import ChangeFindings, change_findings

BASE = PRESETS["rfc3261"]


def _digest(found: ChangeFindings) -> list[tuple[object, ...]]:
    return [(f.target, f.kind, f.choice_point, sorted(f.state.items()), f.mark,
             None if f.trace is None else [t.message.render() for t in f.trace.transmissions])
            for f in (*found.conflicts, *found.narrowings, *found.yields)]


def _alone(change: tuple[str, str]) -> list[tuple[object, ...]]:
    return _digest(change_findings(*change, BASE, 3))


def _after_others(change: tuple[str, str]) -> list[tuple[object, ...]]:
    for other in (("R-04-4.2-a", "add"), ("R-3261-16.6-4b", "remove"), ("R-04-5-e", "add")):
        change_findings(*other, BASE, 3)
    return _digest(change_findings(*change, BASE, 3))


@pytest.mark.slow  # a few dozen conflict queries, twice, each witness read in a context of its own
@pytest.mark.parametrize("change", [("R-3261-16.7-8b", "remove"), ("R-5630-5.1.1-c", "add")])
def test_a_witness_does_not_depend_on_earlier_queries(change: tuple[str, str]) -> None:
    alone = forked(_alone, change)
    assert alone, "the change has witnesses to compare"
    assert forked(_after_others, change) == alone

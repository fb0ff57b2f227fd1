"""Why each hop happened: the decisions of a Trace placed under its transmissions (pybatfish-style steps).

Theory of operation: the simulator records every visit of a choice point as a ``Decision`` with the
option taken, how many options the rule set allowed of those the model has there, and the rules that
ruled out the others, all from the one evaluation that chose (``sipsmodel.sim.decide.visit``). This
module only places and words them; it computes nothing about rules. A decision that produced a
transmission is shown under it; one that sent nothing itself (a proxy's target choice, a 3xx
recursion, a UAC retry) is shown in time order, under the last transmission on the wire when it was
taken, or before the first one. docs/why.md describes the text, JSON and SARIF shapes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sipsmodel.model.expr import Value
from sipsmodel.model.trace import Decision, Trace

#: The key of the decisions taken before any transmission.
BEFORE_FIRST = -1


@dataclass(frozen=True)
class Placed:
    """A decision shown under one transmission; ``produced``: that transmission is what it sent."""

    decision: Decision
    produced: bool


def place_decisions(trace: Trace) -> dict[int, list[Placed]]:
    """The decisions under each transmission index (``BEFORE_FIRST`` for those before F1), in time order."""
    placed: dict[int, list[Placed]] = {}
    count = len(trace.transmissions)
    for decision in trace.decisions:
        if decision.transmission is not None and 0 <= decision.transmission < count:
            where, produced = decision.transmission, True
        else:
            before = decision.sent_before if decision.sent_before is not None else count
            where, produced = min(before, count) - 1, False
        placed.setdefault(where, []).append(Placed(decision, produced))
    return placed


def _value(value: Value) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def options_text(options: Mapping[str, Value]) -> str:
    """``ruri=sips transport=TLS rr=single`` (``nothing allowed`` when the element had no option)."""
    return " ".join(f"{k}={_value(v)}" for k, v in options.items()) or "nothing allowed"


def counts_text(decision: Decision) -> str:
    """``2 of 28 allowed`` (``2 allowed`` when the model's count was not recorded)."""
    if decision.possible is None:
        return f"{decision.allowed} allowed"
    return f"{decision.allowed} of {decision.possible} allowed"


def ruled_out_text(decision: Decision) -> str:
    """``ruled out by R-3261-16.6-7 MUST, R-04-4-c MUST NOT`` or why nothing was ruled out."""
    if decision.ruled_out:
        return "ruled out by " + ", ".join(f"{r.rule} {r.keyword}" for r in decision.ruled_out)
    if decision.features.get("malicious") is True:
        return "malicious element: no rule binds it"
    if decision.possible is None:
        return "rules not recorded"
    return "none ruled out"


def decision_line(placed: Placed) -> str:
    """One line: element, choice point (and its visit), the option taken, the counts, the ruling-out rules."""
    d = placed.decision
    where = f"{d.element} {d.choice_point}" + (f"#{d.occurrence}" if d.occurrence else "")
    taken = "" if placed.produced else " (sent nothing itself)"
    return f"{where}: {options_text(d.options)}{taken}; {counts_text(d)}; {ruled_out_text(d)}"


def decision_text(decision: Decision) -> str:
    """``decision_line`` of a decision on its own (not placed under a transmission)."""
    return decision_line(Placed(decision, decision.transmission is not None))


def decision_json(placed: Placed) -> dict[str, Any]:
    """One decision as JSON: the same facts as ``decision_line`` plus the features it was taken on."""
    d = placed.decision
    return {
        "index": d.index,
        "element": d.element,
        "choice_point": d.choice_point,
        "occurrence": d.occurrence,
        "options": dict(d.options),
        "allowed": d.allowed,
        "possible": d.possible,
        "ruled_out": [{"rule": r.rule, "keyword": r.keyword, "options": r.options} for r in d.ruled_out],
        "features": dict(d.features),
        "transmission": d.transmission,
        "produced": placed.produced,
    }


def decisions_at(placed: Mapping[int, Sequence[Placed]], index: int) -> list[dict[str, Any]]:
    """The JSON of the decisions shown under transmission ``index``."""
    return [decision_json(p) for p in placed.get(index, ())]

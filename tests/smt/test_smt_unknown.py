"""The verdict ``unknown`` from the real prover: a resource limit too small to decide (issue 4).

The limit is z3's deterministic ``rlimit`` (resource units), never the wall clock: the timeout is set
far above what these checks take, so every answer here is the same on any machine and load.
"""

from __future__ import annotations

import importlib

import pytest
import z3

from sipsmodel.model.vocab import INT, KIND
from sipsmodel.props import load_properties
from sipsmodel.report import check
from sipsmodel.report.explain import explain_proved
from sipsmodel.rules.sets import PRESETS
from sipsmodel.smt import prove
from sipsmodel.smt.compile import const, fresh
from sipsmodel.smt.prove import bounded_prover
from sipsmodel.smt.records import complete
from sipsmodel.smt.solving import RLIMIT, active_rule_ids, assumptions
from sipsmodel.smt.step import StepSource, step_sources

pytestmark = pytest.mark.slow  # the prover on whole rule sets

PROPS = {p.id: p for p in load_properties()}
GENEROUS = 3600.0  # seconds: never the reason a check stops here
#: What z3's reason_unknown() says when the rlimit runs out (inside a tactic it cancels the check).
RESOURCE_REASONS = ("max. resource limit exceeded", "canceled")


def _z3_reason(reason: str) -> str:
    """The solver's own words inside a reason ``z3: <reason_unknown()> (...)``."""
    assert reason.startswith("z3: "), reason
    return reason[len("z3: "):].split(" (")[0]


@pytest.mark.parametrize(("pid", "rules"), [("I-1", "rfc5630"), ("I-1", "rfc3261"), ("I-4", "dean-bcp")])
def test_a_tiny_resource_limit_gives_unknown_with_the_solvers_reason(pid: str, rules: str) -> None:
    prop, rule_set = PROPS[pid], PRESETS[rules]
    decided = prove(prop, rule_set, timeout=GENEROUS)  # the same cell decides under the default limit
    assert decided.verdict in ("proved", "refuted")
    result = prove(prop, rule_set, timeout=GENEROUS, rlimit=1)  # the cached solver of that cell is reused
    assert result.verdict == "unknown"
    assert result.scope is None and result.counterexample is None and result.rules_used == ()
    assert result.label == "unknown" and result.meets_expectation is None
    assert result.reason.endswith("(rlimit 1, timeout 3600 s)")
    assert _z3_reason(result.reason) in RESOURCE_REASONS
    assert result.details["rlimit"] == 1 and result.bound == 3
    # the reason is the solver's: asking the same solver the same question gives the same words
    prover = bounded_prover(prop, rule_set, 3, False, GENEROUS, 0, 1)
    assert prover.solver.check(prover.encoding.bound_literal(3), *assumptions(active_rule_ids(rule_set))) == z3.unknown
    assert _z3_reason(result.reason) == prover.solver.reason_unknown()
    again = prove(prop, rule_set, timeout=GENEROUS)  # the default limit applies again afterwards
    assert again.verdict == decided.verdict


def test_an_unknown_step_is_never_a_proof_for_all_sizes() -> None:
    prop, rule_set = PROPS["I-17"], PRESETS["rfc3261"]
    assert prove(prop, rule_set, timeout=GENEROUS).label == "proved (all sizes)"
    result = prove(prop, rule_set, timeout=GENEROUS, rlimit=1)
    assert result.verdict == "unknown" and result.scope is None and "all sizes" not in result.label
    step = str(result.details["step"])
    assert step.startswith("unknown: z3: ") and _z3_reason(step[len("unknown: "):]) in RESOURCE_REASONS


def _undecidable_source() -> StepSource:
    """A way of emitting a hop that z3 cannot decide (a real power), so the step check gives up."""
    record = complete("hops", z3.BoolVal(True), {"kind": const(KIND, "request")}, "test!undecidable")
    x, y = z3.Reals("test!x test!y")
    hard = (x**y == 3, x > 1, y > 1, y < 2, x * y == 5, fresh("test!n", INT).term == 0)
    return StepSource("undecidable", hard, record)


def test_a_step_that_gives_up_leaves_the_bounded_proof_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every real source is unsat, the last one is unknown: the cell is proved up to the bound, and says why."""
    module = importlib.import_module("sipsmodel.smt.prove")
    monkeypatch.setattr(module, "step_sources", lambda *a: [*step_sources(*a), _undecidable_source()])
    result = prove(PROPS["I-17"], PRESETS["rfc3261"], timeout=GENEROUS)
    assert result.verdict == "proved"
    assert (result.scope, result.bound, result.label) == ("bounded", 3, "proved (k<=3)")
    assert str(result.details["step"]).startswith("unknown: z3: ")
    assert str(result.details["step"]).endswith("(step source undecidable)")
    assert "inductive step check gave up" in result.reason and "proved up to the bound only" in result.reason
    section = explain_proved(result, {})
    assert "proved (k<=3)" in section and result.reason in section and "all sizes" not in section


def test_the_check_default_is_the_solvers_default() -> None:
    assert check.RLIMIT == RLIMIT == check.CheckOptions().rlimit

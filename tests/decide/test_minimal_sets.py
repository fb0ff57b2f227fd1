"""Question 2 of ``decide``: every minimal set is sufficient (proved) and minimal (one change fewer gives a
replayed counterexample), re-checked here with the prover and the simulator, on several properties."""

from __future__ import annotations

from functools import cache

import pytest

from sipsmodel.decide.candidates import changed_rule_set
from sipsmodel.decide.jobs import DecideOptions, plan_decide, run_property_job
from sipsmodel.decide.report import Change, PropertyAnswer
from sipsmodel.props import evaluate_property
from sipsmodel.smt import prove

pytestmark = pytest.mark.slow  # the prover and the simulator on real properties

PROPERTIES = ("I-1", "I-3", "I-13", "I-14")


@cache
def answers() -> dict[str, PropertyAnswer]:
    plan = plan_decide(DecideOptions(properties=PROPERTIES))
    return {job.prop.id: run_property_job(job) for job in plan.property_jobs}


@pytest.mark.parametrize("prop_id", PROPERTIES)
def test_every_minimal_set_is_sufficient_and_minimal(prop_id: str) -> None:
    answer = answers()[prop_id]
    plan = plan_decide(DecideOptions(properties=(prop_id,)))
    prop, base = plan.property_jobs[0].prop, plan.base
    assert answer.base_verdict == "refuted" and answer.counterexample is not None
    assert answer.minimal_sets, f"{prop_id}: some candidate set fixes it"
    for minimal in answer.minimal_sets:
        assert prove(prop, changed_rule_set(base, minimal.changes)).verdict == "proved"
        assert len(minimal.one_fewer) == len(minimal.changes)
        for fewer in minimal.one_fewer:
            rest = [c for c in minimal.changes if c != fewer.dropped]
            result = prove(prop, changed_rule_set(base, rest))
            assert result.verdict == "refuted" and result.counterexample is not None
            assert fewer.verdict == "refuted" and fewer.counterexample is not None
            replay = fewer.counterexample.trace
            assert not evaluate_property(prop, replay.observation).holds
            assert set(fewer.counterexample.changes) == set(rest)


def test_the_sets_found_are_the_expected_fixes() -> None:
    """From the texts: I-1 needs the last-hop exception gone (trial-balloon point 2 or RFC 5630 5.3) and, against
    a strict first route entry (SIPS-RULES.md F-19), sips: route entries for a sips: target (draft-04 4.2 or
    RFC 5630 5.1.1); I-3 needs RFC 5630's ban on upgrading (5.3-c); I-13 the trial balloon's point 4a (RFC 5630 forbids
    the automatic retry after 416/480 only, not after a 3xx); I-14 both recursion bans of RFC 5630."""
    found = {p: {m.changes for m in a.minimal_sets} for p, a in answers().items()}
    assert {frozenset(m) for m in found["I-1"]} == {
        frozenset({Change(last_hop), Change(route)})
        for last_hop in ("DEAN-2", "R-5630-5.3-a") for route in ("R-04-4.2-c", "R-5630-5.1.1-d")}
    assert (Change("R-5630-5.3-c"),) in found["I-3"]
    assert found["I-13"] == {(Change("DEAN-4a"),)}
    assert (Change("R-5630-5.3-f"), Change("R-5630-5.3-g")) in found["I-14"]


def test_minimal_sets_are_pairwise_incomparable() -> None:
    for answer in answers().values():
        sets = [set(m.changes) for m in answer.minimal_sets]
        for a in sets:
            assert not any(a < b or b < a for b in sets if b is not a)


def test_an_unfixable_property_carries_the_counterexample_under_all_candidates() -> None:
    """I-12 (in-dialog requests as secure as the initial one): no document speaks of the transport of
    in-dialog requests beyond the first hop's resolution, so no candidate set fixes it."""
    plan = plan_decide(DecideOptions(properties=("I-12",)))
    answer = run_property_job(plan.property_jobs[0])
    assert answer.unfixable and not answer.minimal_sets and answer.complete
    flow = answer.all_candidates_counterexample
    assert flow is not None and set(flow.changes) == set(plan.property_jobs[0].changes)
    assert not evaluate_property(plan.property_jobs[0].prop, flow.trace.observation).holds


def test_a_proved_property_has_the_empty_set() -> None:
    plan = plan_decide(DecideOptions(properties=("I-17",)))
    answer = run_property_job(plan.property_jobs[0])
    assert answer.base_verdict == "proved" and [m.changes for m in answer.minimal_sets] == [()]

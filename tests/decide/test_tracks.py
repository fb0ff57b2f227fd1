"""Question 3 of ``decide``: BCP-able or standards track, decided by solver queries with witnesses.

A standards-track change shows its replayed flow at the conflicting state, and the rule engine (the
simulator's, independent of the solver) confirms that no option meets both the change and the base
rule there. A BCP-able change's narrowing is checked here at every state of its choice point by
enumeration with the rule engine.
"""

from __future__ import annotations

import itertools
from functools import cache

import pytest

from sipsmodel.decide.jobs import ChangeJob, DecideOptions, plan_decide, run_change_job
from sipsmodel.decide.report import Change, ChangeAnswer
from sipsmodel.model.expr import Expr, Value, flat_scope, truth
from sipsmodel.rules.choicepoints import CHOICE_POINTS
from sipsmodel.rules.engine import allowed_options
from sipsmodel.rules.permissions import permissions_at
from sipsmodel.rules.sets import RuleSet, preset

pytestmark = pytest.mark.slow  # the prover and the simulator on real properties


@cache
def answer(rule: str, action: str = "add") -> ChangeAnswer:
    plan = plan_decide(DecideOptions(properties=("I-1",)))
    job = next(j for j in plan.change_jobs if j.change == Change(rule, action))
    assert isinstance(job, ChangeJob)
    return run_change_job(job)


def _with(base: RuleSet, *rules: str) -> RuleSet:
    return RuleSet(f"{base.name}+{'+'.join(rules)}", (*base.rule_ids, *rules), base.should)


def test_double_record_route_contradicts_the_16_7_rewrite_with_a_replayed_flow() -> None:
    """draft-04 4.2 keeps a double Record-Route unchanged in responses; RFC 3261 16.7 step 8 requires the
    rewrite on a TLS/non-TLS transition (and permits it otherwise): standards track."""
    found = answer("R-04-4.2-a")
    assert found.track == "standards-track"
    conflict = next(c for c in found.conflicts if c.contradicts == "R-3261-16.7-8b")
    assert conflict.keyword == "MUST" and "16.7 step 8" in conflict.clause
    flow = conflict.counterexample
    assert flow is not None and flow.violation is not None
    decision = next(d for d in flow.trace.decisions if d.choice_point == conflict.choice_point
                    and d.transmission == flow.violation)
    assert {k: decision.features[k] for k in conflict.state} == conflict.state
    base = preset("rfc3261")
    both = RuleSet("both", ("R-04-4.2-a", "R-3261-16.7-8b"), "binding")
    assert allowed_options(conflict.choice_point, conflict.state, base)
    assert not allowed_options(conflict.choice_point, conflict.state, both)
    assert any(c.contradicts == "P-3261-16.7-8a" and c.kind == "permission" for c in found.conflicts)


def test_every_record_route_value_is_judged() -> None:
    """The double Record-Route of draft-04 4.2 puts a sip value into a request sent to a SIPS Route
    (non-TLS in, TLS out), which RFC 3261 16.6 step 4 forbids for every value it inserts: the published
    figure breaks a base MUST, and only reading the second value shows it."""
    found = answer("R-04-4.2-a")
    conflict = next(c for c in found.conflicts if c.contradicts == "R-3261-16.6-4b")
    assert conflict.choice_point == "proxy_forward" and conflict.counterexample is not None
    flow = conflict.counterexample
    decision = next(d for d in flow.trace.decisions if d.choice_point == "proxy_forward"
                    and d.transmission == flow.violation)
    assert {k: decision.features[k] for k in conflict.state} == conflict.state
    group = ["R-04-4.2-a", "R-3261-16.6-4b", *[n.strip() for n in conflict_note_rules(found)]]
    over_tls = [o for o in allowed_options("proxy_forward", conflict.state, RuleSet("g", tuple(group), "binding"))
                if o["transport"] == "TLS"]
    assert over_tls, "the change and the base's top-value reading can both be met over TLS"
    for options in over_tls:  # ...but only by inserting a sip value into a request sent SIPS
        assert options["rr"] == "double" and options["rr_in"] == "sip"
        assert options["route0"] == "sips" or options["ruri"] == "sips"


def conflict_note_rules(found: ChangeAnswer) -> list[str]:
    """The other base rules named with R-3261-16.6-4b (a combination found by deletion)."""
    conflict = next(c for c in found.conflicts if c.contradicts == "R-3261-16.6-4b")
    others = [c.contradicts for c in found.conflicts
              if c.choice_point == "proxy_forward" and c.state == conflict.state and c.kind == "must"]
    return [o for o in others if o != "R-3261-16.6-4b"]


def test_removing_a_base_rule_is_standards_track_with_the_state_it_bound() -> None:
    found = answer("R-3261-16.7-8b", "remove")
    assert found.track == "standards-track"
    (conflict,) = found.conflicts
    assert conflict.kind == "deletion" and conflict.counterexample is not None
    base = preset("rfc3261")
    rule_only = RuleSet("8b", ("R-3261-16.7-8b",), "binding")
    without = allowed_options(conflict.choice_point, conflict.state, base.without("R-3261-16.7-8b"))
    assert any(o not in allowed_options(conflict.choice_point, conflict.state, rule_only) for o in without)


def _permits(option: Expr, state: dict[str, Value], options: list[dict[str, Value]]) -> bool:
    return any(truth(option, flat_scope({**state, **o})) for o in options)


@pytest.mark.parametrize(("rule", "cp"), [("R-5630-5.3-g", "proxy_recurse"), ("R-04-5-e", "registrar_accept")])
def test_a_bcp_able_change_narrows_at_every_state_of_its_choice_point(rule: str, cp: str) -> None:
    """RFC 5630 5.3's ban on recursing from a SIP request to a SIPS Contact (or on 480/381), and draft-04
    5's registrar check of SIPS bindings, only narrow what RFC 3261 leaves to the implementation."""
    found = answer(rule)
    assert found.track == "bcp" and not found.conflicts
    (narrowing,) = [n for n in found.narrows if n.choice_point == cp]
    base = preset("rfc3261")
    musts = RuleSet("musts", tuple(r.id for r in base.rules if not r.is_should), "binding")
    point = CHOICE_POINTS[cp]
    names = [f.name for f in point.features]
    narrowed = 0
    for values in itertools.product(*(f.domain.values for f in point.features)):
        state = dict(zip(names, values, strict=True))
        if state.get("malicious") is True:
            continue
        before, after = allowed_options(cp, state, base), allowed_options(cp, state, _with(base, rule))
        assert not before or after, f"{rule} leaves no option at {state}"
        narrowed += len(after) < len(before)
        for permission in permissions_at(cp):
            if truth(permission.when_expr, flat_scope(state)):
                option = permission.option_expr
                if _permits(option, state, allowed_options(cp, state, musts)):
                    assert _permits(option, state, allowed_options(cp, state, _with(musts, rule)))
    assert narrowed > 0 and narrowing.removed


def test_a_should_of_rfc3261_is_met_whatever_the_should_mode() -> None:
    """RFC 5630 5.1.1 forbids the automatic retry with SIP after a 416 that RFC 3261 8.1.3.5 says a UAC
    SHOULD make: a contradiction of the text, also when SHOULDs are treated as optional. The rule
    supersedes 8.1.3.5's SHOULD (RFC 5630 Appendix A edits it), so the contradiction is that SHOULD's
    deletion (tests/decide/test_supersession.py)."""
    for should in ("binding", "optional"):
        plan = plan_decide(DecideOptions(properties=("I-13",), candidates=("rfc5630",), should=should))
        job = next(j for j in plan.change_jobs if j.change == Change("R-5630-5.1.1-c"))
        found = run_change_job(job)
        assert found.track == "standards-track"
        assert any(c.contradicts == "R-3261-8.1.3.5-a" and c.kind == "deletion" for c in found.conflicts)

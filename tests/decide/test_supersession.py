"""Question 3 for an added rule that supersedes a base rule (issue 8): judged as the base rule removed and the
rule added, as the documents have it and as the minimal sets apply it (``sipsmodel.smt.fixes``).

Where the rule lets an element do what the superseded rule forbids, a base rule must be deleted, which by
the issue's own test needs standards track (RFC 5630 Appendix A deleting the 16.7 rewrite is its example):
the conflict is a ``deletion`` of the superseded rule, with a flow replayed at a state where it was what
bound. Where the rule implies the superseded one wherever it speaks (a SHOULD made a MUST), nothing is
deleted: the rule is judged by its conflicts with the rest of the base. Both are checked here with the
rule engine (the simulator's, independent of the solver), the second at every state of the choice point.
"""

from __future__ import annotations

import itertools
from functools import cache

import pytest

from sipsmodel.decide.jobs import DecideOptions, plan_decide, run_change_job
from sipsmodel.decide.report import Change, ChangeAnswer
from sipsmodel.rules.choicepoints import CHOICE_POINTS
from sipsmodel.rules.engine import allowed_options
from sipsmodel.rules.sets import RuleSet, preset
from sipsmodel.rules.table import RULES_BY_ID

pytestmark = pytest.mark.slow  # the conflict solver and the simulator


@cache
def answer(rule: str) -> ChangeAnswer:
    plan = plan_decide(DecideOptions(properties=("I-1",)))
    (job,) = [j for j in plan.change_jobs if j.change == Change(rule)]
    return run_change_job(job)


def _with(base: RuleSet, *rules: str) -> RuleSet:
    return RuleSet(f"{base.name}+{'+'.join(rules)}", (*base.rule_ids, *rules), base.should)


@pytest.mark.parametrize(("rule", "old"), [
    ("R-04-4.2-c", "R-3608-ua"),  # a preloaded Route upgraded to SIPS, not used as stored
    ("R-5630-5.1.1-d", "R-3608-ua"),
    ("R-04-5-b", "R-3261-10.3-a"),  # the AoR key no longer keeps the scheme
    ("R-5630-5.1.1-c", "R-3261-8.1.3.5-a"),  # no retry with SIP after a 416, which 8.1.3.5 says SHOULD happen
    ("R-04-4.2-a", "R-3261-16.7-8b"),  # double Record-Route kept unchanged instead of the 16.7 rewrite
])
def test_a_superseding_rule_that_allows_what_the_old_forbade_deletes_it(rule: str, old: str) -> None:
    assert old in RULES_BY_ID[rule].supersedes
    found = answer(rule)
    assert found.track == "standards-track"
    (conflict, *_) = [c for c in found.conflicts if c.contradicts == old]
    assert conflict.kind == "deletion" and conflict.verb == "deletes" and conflict.rule == rule
    flow = conflict.counterexample
    assert flow is not None and flow.violation is not None
    assert flow.trace.rules == preset("rfc3261").without(old).name  # replayed where the old rule is gone
    decision = next(d for d in flow.trace.decisions if d.choice_point == conflict.choice_point
                    and all(d.features.get(k) == v for k, v in conflict.state.items()))
    assert decision.transmission in (None, flow.violation)
    rest = preset("rfc3261").without(old)
    changed = allowed_options(conflict.choice_point, conflict.state, _with(rest, rule))
    assert allowed_options(conflict.choice_point, conflict.state, preset("rfc3261"))  # the base reaches the state
    assert any(o not in allowed_options(conflict.choice_point, conflict.state, RuleSet("old", (old,), "binding"))
               for o in changed), f"{rule} in place of {old} allows nothing {old} forbids at {conflict.state}"
    assert any(f"{old} is deleted: standards track" in n for n in found.notes)


@pytest.mark.parametrize(("rule", "old"), [
    ("R-5630-AppA-10.2.1", "R-3261-10.2.1-a"),  # 10.2.1's SHOULD made a MUST
    ("R-04-4-e", "R-3261-16.7-4a"),  # 16.7 step 4's SHOULD NOT made a MUST NOT
    ("R-5630-5.3-f", "R-3261-16.7-4a"),  # ...and more recursions forbidden
])
def test_a_superseding_rule_that_implies_the_old_deletes_nothing(rule: str, old: str) -> None:
    found = answer(rule)
    assert not [c for c in found.conflicts if c.kind == "deletion"]
    assert any(f"it implies {old} at every reachable state" in n for n in found.notes)
    base, rest = preset("rfc3261"), preset("rfc3261").without(old)
    for cp in RULES_BY_ID[old].constraints:
        point = CHOICE_POINTS[cp]
        names = [f.name for f in point.features]
        for values in itertools.product(*(f.domain.values for f in point.features)):
            state = dict(zip(names, values, strict=True))
            if state.get("malicious") is True or not allowed_options(cp, state, base):
                continue
            changed = allowed_options(cp, state, _with(rest, rule))
            assert all(o in allowed_options(cp, state, RuleSet("old", (old,), "binding")) for o in changed), state
    if rule == "R-5630-AppA-10.2.1":
        assert found.track == "bcp"  # nothing else in the base is contradicted: a narrowing
    else:  # the permission the SHOULD NOT left (recursing anyway) is gone: standards track by that, not a deletion
        assert found.track == "standards-track"
        assert [c.contradicts for c in found.conflicts] == ["P-3261-16.7-4a"]

"""Removals are searched as members of minimal sets, and the default ones appear in none (issue 8 item 3).

A candidate may delete a base rule (RFC 5630 Appendix A deletes the 16.7 rewrite). Deleting a rule only
adds behaviours unless the rule was what left an element no option, so a removal is expected to help
no safety property; ``decide`` searches them anyway (``sipsmodel.smt.mus.switch_cores``, shown finding
a removal where one is needed in ``tests/smt/test_mus.py``). This test fails if a default removal ever
shows up in a minimal set, or if the search stops looking at removals.
"""

from __future__ import annotations

import pytest

from sipsmodel.decide.jobs import DecideOptions, plan_decide, run_property_job

pytestmark = pytest.mark.slow  # the prover on real properties

#: Refuted under rfc3261 and fixed by candidates next to a rule that a removal deletes: I-4 and I-13 sit
#: beside the 16.7 rewrite and the 416 retry (8.1.3.5), I-14 beside the recursion rule (16.7 step 4),
#: I-8 beside the registration rules (10.2.1, 10.3).
PROPERTIES = ("I-4", "I-8", "I-13", "I-14")


@pytest.mark.parametrize("prop", PROPERTIES)
def test_removals_are_searched_and_none_is_in_a_minimal_set(prop: str) -> None:
    plan = plan_decide(DecideOptions(properties=(prop,)))
    (job,) = plan.property_jobs
    removals = {c.label for c in job.changes if c.action == "remove"}
    assert {"-R-3261-16.7-8b", "-R-3261-16.7-4a", "-R-3261-8.1.3.5-a"} <= removals
    assert not any("not searched" in line for line in plan.left_out)
    answer = run_property_job(job)
    assert answer.complete, answer.reason
    assert answer.minimal_sets, f"{prop} has a minimal set of additions"
    assert all(c.action == "add" for m in answer.minimal_sets for c in m.changes), answer.minimal_sets


def test_only_removals_that_can_leave_no_option_are_tried_in_patterns() -> None:
    """Deleting 16.7 step 8's rewrite, 16.7 step 4's recursion rule or the registrar rules never removes a
    refusal (each always leaves another option), so they only add behaviours; the 416 retry (8.1.3.5,
    against point 4a's "stop") and RFC 3608's stored route (with another candidate's rule at uac_invite)
    can leave an element no option."""
    from sipsmodel.smt.fixes import may_block

    plan = plan_decide(DecideOptions(properties=("I-4",)))
    (job,) = plan.property_jobs
    changes = [(c.rule, c.action) for c in job.changes]
    blocking = {rule for rule, action in changes if action == "remove" and may_block(job.base, changes, rule)}
    assert blocking == {"R-3261-8.1.3.5-a", "R-3608-ua"}

"""Mutation test of question 2: a rule that makes a property trivially true shows up as a new minimal set.

The rule table is data read when the encoding is built, so the mutant runs in a fresh interpreter with
one extra rule appended to the table: ``MUT-1``, "a UAC only ever sends sip: Request-URIs", after which
I-1 (a request whose originating Request-URI is sips crosses only TLS hops) holds vacuously.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.slow  # the prover and the simulator on real properties

SCRIPT = textwrap.dedent('''
    import json, sys
    import sipsmodel.rules.table as table
    from sipsmodel.rules.rule import Rule
    mutant = Rule("MUT-1", table.BCP, "mutation", "MUST", "UAC",
                  "a UAC never sends a sips Request-URI, nor a sips target behind a strict route",
                  {"uac_invite": "ruri == sip and route0 != sips"})
    if len(sys.argv) > 1:
        import sipsmodel.rules.readings as readings
        table.RULES = table.RULES + (mutant,)
        table.RULES_BY_ID["MUT-1"] = mutant
        # every consumer reads rules and readings through rules_with_literal() (sipsmodel.rules.readings)
        readings.CONSTRAINT_RULES = readings.CONSTRAINT_RULES + (mutant,)
    from sipsmodel.decide.jobs import DecideOptions, plan_decide, run_property_job
    from sipsmodel.decide.report import Change
    plan = plan_decide(DecideOptions(properties=("I-1",), candidates=("dean-bcp",)))
    job = plan.property_jobs[0]
    if len(sys.argv) > 1:
        job = type(job)(job.prop, job.base, job.changes + (Change("MUT-1"),), job.solving)
    answer = run_property_job(job)
    print(json.dumps([[c.label for c in m.changes] for m in answer.minimal_sets]))
''')


def minimal_sets(*args: str) -> list[list[str]]:
    done = subprocess.run([sys.executable, "-c", SCRIPT, *args], capture_output=True, text=True, timeout=600,
                          check=False)
    assert done.returncode == 0, done.stderr
    result: list[list[str]] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_a_trivialising_rule_is_a_new_minimal_set() -> None:
    from sipsmodel.decide.jobs import DecideOptions, plan_decide, run_property_job

    plan = plan_decide(DecideOptions(properties=("I-1",), candidates=("dean-bcp",)))  # in this process
    before = [[c.label for c in m.changes] for m in run_property_job(plan.property_jobs[0]).minimal_sets]
    after = minimal_sets("mutate")
    assert ["+MUT-1"] not in before
    assert ["+MUT-1"] in after
    assert all(s in after for s in before)

"""Question 3 where RFC 3261 lets an element refuse, and every value an element chooses judged (issue 8 item 4).

- Refusal: where a change and the base leave an element no option only for want of TLS (some option
  would meet both were TLS available to the next hop), the element fails the request as RFC 3261
  fails any SIPS request toward a hop without TLS (8.1.2, 16.6 step 7 with RFC 3263, 16.9): the change
  only narrows to refusal (trial-balloon point 2 where the UAS lacks TLS), BCP-able. A change that
  leaves no option for another reason still contradicts a MUST, with the flow replayed up to the
  conflicting state (a non-responsible proxy made to send sip: for a sips: request, against 16.5).
- Every value: the model has one Request-URI, one top Route value, one Contact and one Path value per
  choice (the other Route values are a stored Path or route set copied unchanged, judged where they
  were inserted); a change that breaks a base rule on any of them is standards track, each with its
  replayed flow. Record-Route's second value is judged in ``test_tracks``. (A proxy chooses a Route
  value only as the responsible proxy pushing a stored Path, where it may refuse instead; the UAC's
  Route value from its stored route set is the one a change can contradict.)

The mutant rules are appended to the rule table in a fresh interpreter (the table is data read when the
encoding is built), as in ``test_mutation``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from functools import cache
from typing import Any

import pytest

from sipsmodel.decide.jobs import DecideOptions, plan_decide, run_change_job
from sipsmodel.decide.report import Change, ChangeAnswer
from sipsmodel.rules.engine import allowed_options
from sipsmodel.rules.sets import RuleSet, preset

pytestmark = pytest.mark.slow  # the conflict solver and the simulator on real choice points

MUTANTS = {
    # name: (choice point, constraint, the base rule it breaks, the value it speaks of)
    "MUT-RURI": ("proxy_forward", "not responsible -> ruri == sip", "R-3261-16.5-b", "Request-URI"),
    "MUT-ROUTE": ("uac_invite", "route0 != sips", "R-3608-ua", "Route"),
    "MUT-CONTACT": ("uac_invite", "contact == sip", "R-3261-8.1.1.8-b", "Contact"),
    "MUT-PATH": ("edge_register", "path == none", "R-5626-5.1", "Path"),
}

SCRIPT = textwrap.dedent('''
    import json, sys
    import sipsmodel.rules.engine as engine
    import sipsmodel.rules.readings as readings
    import sipsmodel.rules.table as table
    from sipsmodel.rules.rule import Rule
    mutants = json.loads(sys.argv[1])
    rules = tuple(Rule(name, table.BCP, "mutation", "MUST", "any", f"mutant {name}", {cp: text})
                  for name, (cp, text, _, _) in mutants.items())
    table.RULES = table.RULES + rules
    table.RULES_BY_ID.update({r.id: r for r in rules})
    readings.CONSTRAINT_RULES = engine.CONSTRAINT_RULES = readings.CONSTRAINT_RULES + rules
    from sipsmodel.decide.jobs import ChangeJob, DecideOptions, plan_decide, run_change_job
    from sipsmodel.decide.report import Change
    plan = plan_decide(DecideOptions(properties=("I-1",), candidates=("dean-bcp",)))
    out = {}
    for name in mutants:
        answer = run_change_job(ChangeJob(Change(name), plan.base, plan.change_jobs[0].solving))
        conflicts = []
        for c in answer.conflicts:
            flow = c.counterexample
            at = [] if flow is None else [
                dict(d.features) for d in flow.trace.decisions if d.choice_point == c.choice_point
                and all(d.features.get(k) == v for k, v in c.state.items())]
            conflicts.append({"contradicts": c.contradicts, "kind": c.kind, "choice_point": c.choice_point,
                              "state": dict(c.state), "replayed_at_state": bool(at),
                              "marked": flow is not None and flow.violation is not None})
        out[name] = {"track": answer.track, "conflicts": conflicts}
    print(json.dumps(out))
''')


@cache
def mutant_answers() -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", SCRIPT, json.dumps(MUTANTS)], capture_output=True, text=True,
                          timeout=1500, check=False)
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@cache
def answer(rule: str) -> ChangeAnswer:
    plan = plan_decide(DecideOptions(properties=("I-1",), candidates=("dean-bcp",)))
    job = next(j for j in plan.change_jobs if j.change == Change(rule))
    return run_change_job(job)


def test_narrowing_a_responsible_proxy_to_refusal_is_bcp_able() -> None:
    """Point 2 where the UAS lacks TLS: the base forwards sip over UDP (the last-hop exception), the point
    forbids it and TLS is impossible, so the proxy fails the branch, as RFC 3261 fails any SIPS request
    toward a hop without TLS; with TLS to the UAS the point and the base would both be met."""
    found = answer("DEAN-2")
    assert found.track == "bcp" and not found.conflicts
    refusal = [n for n in found.narrows if "only for want of TLS" in n.summary]
    assert refusal and all(n.choice_point == "proxy_forward" for n in refusal)
    state = _state_of(refusal[0].summary)
    assert state["in_ruri"] == "sips" and not (state["tls"] and state["next_tls"])
    base = preset("rfc3261")
    assert allowed_options("proxy_forward", state, base)
    with_point = RuleSet("dean-2", (*base.rule_ids, "DEAN-2"), "binding")
    assert allowed_options("proxy_forward", state, with_point) == []
    assert allowed_options("proxy_forward", state | {"tls": True, "next_tls": True}, with_point)
    assert any("narrows local policy P-3261-26.2.2-a" in n.summary for n in found.narrows)


def _state_of(summary: str) -> dict[str, Any]:
    """The ``where a=b, c=d`` state of a narrowing's summary, with Booleans read back (the report leaves out
    ``malicious``, which is False in every narrowing: no rule binds a malicious proxy)."""
    text = summary.split("where ", 1)[1].split(" it leaves", 1)[0]
    pairs = (item.split("=", 1) for item in text.split(", "))
    values = {"True": True, "False": False}
    return {"malicious": False} | {k: values.get(v, v) for k, v in pairs}


def test_a_real_must_is_still_contradicted_where_the_element_may_not_refuse() -> None:
    """A non-responsible proxy MUST forward to exactly the Request-URI (16.5): a change that makes it send
    sip: for a sips: request leaves it no option there, TLS or not, so failing is no way out."""
    found = mutant_answers()["MUT-RURI"]
    assert found["track"] == "standards-track"
    conflict = next(c for c in found["conflicts"] if c["contradicts"] == "R-3261-16.5-b")
    assert conflict["kind"] == "must" and conflict["state"]["responsible"] is False
    assert conflict["replayed_at_state"] and conflict["marked"]
    base = preset("rfc3261")
    assert allowed_options("proxy_forward", conflict["state"], base)


@pytest.mark.parametrize("name", ["MUT-ROUTE", "MUT-CONTACT", "MUT-PATH"])
def test_every_value_an_element_chooses_is_held_against_the_base(name: str) -> None:
    """A change that breaks a base rule on a Route, Contact or Path value is standards track, the conflict
    replayed at its state (the Request-URI case is the test above)."""
    cp, _, target, _ = MUTANTS[name]
    found = mutant_answers()[name]
    assert found["track"] == "standards-track"
    conflict = next(c for c in found["conflicts"] if c["contradicts"] == target)
    assert conflict["choice_point"] == cp and conflict["kind"] == "must"
    assert conflict["replayed_at_state"] and conflict["marked"]
    base = preset("rfc3261")
    assert allowed_options(cp, conflict["state"], base)


def test_point_1_contradicts_rfc3263_where_a_uri_names_udp() -> None:
    """Point 1 (best-effort TLS, a SHOULD) against RFC 3263 4.1 (SHOULD use the transport a URI names):
    where the Contact the next in-dialog hop is resolved from says ``transport=udp`` and both ends have
    TLS, every option point 1 leaves goes against the SHOULD, so it needs standards track (issue 8's
    test), with the flow replayed at that state. The same SHOULD meets point 1 a second time where a proxy
    retargets to a registered Contact that says ``transport=udp`` (REGISTER Contacts may carry the
    parameter since issue 9 item 5), and a third time where a UAC retries to a redirect UA's 302 Contact
    that says ``transport=udp`` (its retry resolves the first hop from it). The expectation of
    properties/decide/trial-balloon.toml (bcp, written from RFC 3261 alone) stays, and decide reports the
    mismatch."""
    found = answer("DEAN-1")
    assert found.track == "standards-track"
    by_point = {c.choice_point: c for c in found.conflicts}
    assert len(by_point) == len(found.conflicts)
    assert set(by_point) == {"send_in_dialog", "proxy_forward", "uac_invite"}
    assert all((c.contradicts, c.kind) == ("R-3263-4.1-a", "should") for c in found.conflicts)
    retry = by_point["uac_invite"]
    assert retry.state["retry"] and retry.state["target_tp"] == retry.state["next_tp"] == "UDP"
    assert retry.state["tls"] and retry.state["next_tls"]
    assert retry.counterexample is not None and retry.counterexample.violation is not None
    retarget = by_point["proxy_forward"]
    assert retarget.state["ruri_tp"] == "UDP" and retarget.state["tls"] and retarget.state["next_tls"]
    assert retarget.counterexample is not None and retarget.counterexample.violation is not None
    both = RuleSet("both", (*preset("rfc3261").rule_ids, "DEAN-1"), "binding")
    assert allowed_options("proxy_forward", {"malicious": False} | dict(retarget.state), both) == []
    conflict = by_point["send_in_dialog"]
    assert conflict.state["next_tp"] == "UDP" and conflict.state["tls"] and conflict.state["next_tls"]
    assert conflict.counterexample is not None and conflict.counterexample.violation is not None
    base = preset("rfc3261")
    state = {"malicious": False} | dict(conflict.state)
    others = tuple(r for r in base.rule_ids if r != "R-3263-4.1-a")
    kept = allowed_options("send_in_dialog", state, RuleSet("dean-1", (*others, "DEAN-1"), "binding"))
    assert kept and all(o["transport"] in ("TLS", "TLS-SCTP", "WSS") for o in kept)  # point 1 leaves: secure only
    assert [o["transport"] for o in allowed_options("send_in_dialog", state, base)] == ["UDP"]  # 3263: UDP
    assert allowed_options("send_in_dialog", state, RuleSet("both", (*base.rule_ids, "DEAN-1"), "binding")) == []


def test_point_1_as_a_should_yields_to_the_outbound_flow_rule() -> None:
    """Point 1 (best-effort TLS, a SHOULD) meets RFC 5626 7 where the outbound flow is TCP: no option is
    TLS and on the flow. A SHOULD gives way to a valid reason (RFC 2119), so this is a note, not a
    conflict; the state is one where the rule engine finds no option for both read as MUSTs."""
    found = answer("DEAN-1")
    assert not [c for c in found.conflicts if c.contradicts == "R-5626-7"]
    (note,) = [n for n in found.notes if n.startswith("as a SHOULD it yields to R-5626-7")]
    text = note.split(" where ", 1)[1].split(": no option", 1)[0]
    values = {"True": True, "False": False}
    state = {"malicious": False} | {k: values.get(v, v) for k, v in (i.split("=", 1) for i in text.split(", "))}
    cp = note.split(" at ", 1)[1].split(" ", 1)[0]
    base = preset("rfc3261")
    assert allowed_options(cp, state, base)
    assert allowed_options(cp, state, RuleSet("dean-1", (*base.rule_ids, "DEAN-1"), "binding")) == []
    assert any("narrows local policy P-3261-26.2.2-a" in n.summary for n in found.narrows)

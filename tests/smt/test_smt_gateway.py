"""Gateways in the bounded family (issue 11 item 2): the differential test and the prover on DEAN-4b.

Each of bob's devices may be a gateway to a non-SIP network, a terminal node where SIPS ends
(docs/model.md): it answers like a UAS, is observed with the role ``gateway``, and its ``uas_answer``
reads ``gateway`` true, so the trial balloon's point 4b (DEAN-4b: no 200 to a sips Request-URI) binds
it. For random runs with gateways the SMT observation must equal the simulator's record by record and
every property must get the same verdict on both; the prover must refute "no gateway accepts a sips
INVITE" under RFC 3261 with a replayed counterexample whose callee is a gateway, and prove it under
the dean-bcp preset.
"""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from smt_concrete import TemplateParams
from smt_support import first_difference, random_params, run_both

from sipsmodel.model.expr import Scope, truth
from sipsmodel.model.trace import Trace
from sipsmodel.props import evaluate_property, load_properties
from sipsmodel.props.property import property_from_mapping
from sipsmodel.rules.sets import PRESETS
from sipsmodel.smt import prove
from sipsmodel.smt.encode import build_encoding

pytestmark = pytest.mark.slow  # the prover on whole rule sets

PROPERTIES = [p for p in load_properties() if p.scope == "model"]

# A forked INVITE's branches share their request id, so a gateway's 200 is tied to a sips Request-URI only
# when no branch of the same request reaches a gateway with a sip one.
NO_SIPS_AT_GATEWAY = property_from_mapping(
    {"id": "X-gateway-sips", "title": "no gateway accepts a sips INVITE (DEAN-4b)",
     "formula": "forall h in hops where h.kind == request and h.method == INVITE and h.receiver == gateway "
                "and h.ruri == sips: (exists g in hops where g.kind == request and g.request == h.request and "
                "g.receiver == gateway: g.ruri != sips) or (forall r in hops where r.kind == response and "
                "r.request == h.request and r.sender == gateway: r.status != 200)"}, "test")


def gateway_params(seed: int) -> TemplateParams:
    """A random template scenario (``random_params`` of the seed) whose devices are gateways at random.

    A second generator draws the gateways, so the seeds of the other differential tests keep their runs."""
    params = random_params(random.Random(seed))
    rng = random.Random(seed ^ 0x6A7E)
    devices = tuple(replace(d, gateway=d.redirect is None and rng.random() < 0.7) for d in params.devices)
    return replace(params, devices=devices)


def _run(seed: int) -> Trace:
    params = gateway_params(seed)
    rules = PRESETS[random.Random(seed).choice(sorted(PRESETS))]
    trace, observation = run_both(params, rules, seed)
    assert observation is not None, f"the SMT has no model of the simulator's run {params}"
    difference = first_difference(trace.observation, observation)
    assert difference is None, f"{params} under {rules.name}: {difference}"
    for prop in PROPERTIES + [NO_SIPS_AT_GATEWAY]:
        sim = evaluate_property(prop, trace.observation).holds
        assert sim == truth(prop.formula, Scope({}, {}, observation)), prop.id  # type: ignore[arg-type]
    return trace


@settings(max_examples=4, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_runs_with_gateways_agree(seed: int) -> None:
    _run(seed)


# Seeds whose runs deliver an INVITE to a gateway (seeds 0..39 scanned), with the Request-URI scheme it
# received, its answer and whether it then sends a BYE: checked, so that a change of the generator that
# loses one fails here rather than silently testing less.
@pytest.mark.parametrize(("seed", "ruri", "status", "bye"), [
    (10, "sips", 480, False),  # dean-bcp: DEAN-4b leaves no 200, and the sips_ok/sip_ok policy no other answer
    (23, "sip", 200, True),
    (35, "sips", 200, True),  # rfc3261: a gateway takes a sips request; its BYE is sent with the role gateway
    (38, "sip", 416, False),
])
def test_runs_reaching_a_gateway_agree(seed: int, ruri: str, status: int, bye: bool) -> None:
    hops = _run(seed).observation["hops"]
    invites = [h["ruri"] for h in hops if h["kind"] == "request" and h["method"] == "INVITE"
               and h["receiver"] == "gateway"]
    answers = [h["status"] for h in hops if h["kind"] == "response" and h["sender"] == "gateway"
               and h["method"] == "INVITE"]
    byes = [h for h in hops if h["kind"] == "request" and h["method"] == "BYE" and h["sender"] == "gateway"]
    assert (invites, answers, bool(byes)) == ([ruri], [status], bye)


def test_the_prover_refutes_sips_at_a_gateway_under_rfc3261() -> None:
    result = prove(NO_SIPS_AT_GATEWAY, PRESETS["rfc3261"], bound=2)
    assert result.verdict == "refuted" and result.counterexample is not None
    hops = result.counterexample.observation["hops"]
    accepted = [h for h in hops if h["kind"] == "response" and h["sender"] == "gateway" and h["status"] == 200]
    assert accepted, hops


def test_the_prover_proves_it_under_the_trial_balloon() -> None:
    result = prove(NO_SIPS_AT_GATEWAY, PRESETS["dean-bcp"], bound=2)
    assert (result.verdict, result.scope) == ("proved", "bounded")
    assert "DEAN-4b" in result.rules_used, result.rules_used


def test_the_family_names_gateways() -> None:
    family = build_encoding(3, False).family(3)
    assert "gateway" in family and "no gateway" not in family


def test_a_counterexample_shows_a_gateway_only_where_the_violation_needs_one() -> None:
    """I-9 under dean-bcp is broken by a plain UAS as well: its ladder has no gateway (it once showed bob2
    as one, which the reader had to see through). The refutation above keeps its gateway: it needs it."""
    i9 = next(p for p in load_properties() if p.id == "I-9")
    result = prove(i9, PRESETS["dean-bcp"])
    assert result.verdict == "refuted" and result.counterexample is not None
    roles = {h[side] for h in result.counterexample.observation["hops"] for side in ("sender", "receiver")}
    assert "gateway" not in roles, roles

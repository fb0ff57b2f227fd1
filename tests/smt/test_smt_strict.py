"""Strict routers in the bounded encoding (issue 11 item 2; RFC 3261 8.1.1.1, 12.2.1.1, 16.4, 16.6 step 6; F-19).

A proxy of the family may be a strict router: its Record-Route values lack ``lr``, and so does p1's
preloaded Route value. alice's INVITE then carries p1's entry as the Request-URI and the target in
Route (p1 takes it back, 16.4), and an in-dialog request carries a strict router's value as the
Request-URI on the hop to it. The SMT observation of such a concrete run must equal the simulator's
record by record, every property must get the same verdict on both, and the prover must find and
replay a counterexample that needs a strict router.
"""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from smt_support import NAMES, first_difference, fork_params, random_params, run_both

from sipsmodel.model.expr import Scope, truth
from sipsmodel.model.trace import Trace
from sipsmodel.props import evaluate_property, load_properties
from sipsmodel.props.property import Property, property_from_mapping
from sipsmodel.rules.sets import PRESETS
from sipsmodel.smt import prove
from sipsmodel.smt.encode import build_encoding
from sipsmodel.syntax import SipUri

PROPERTIES = [p for p in load_properties() if p.scope == "model"]
PROXIES = [n for n in NAMES if n.startswith(("p", "eb"))]


def _run(seed: int, fork: bool, family: str = "default") -> Trace:
    rng = random.Random(seed)
    params = fork_params(rng) if fork else random_params(rng)
    strict = frozenset(n for n in PROXIES if rng.random() < 0.6)
    params = replace(params, strict=strict, chain=max(params.chain, 1),
                     reinvite=rng.choice((None, "caller", "callee")) if family == "full" else None)
    rules = PRESETS[rng.choice(sorted(PRESETS))]
    trace, observation = run_both(params, rules, seed, family=family)
    assert observation is not None, f"the SMT has no model of the simulator's run {params}"
    difference = first_difference(trace.observation, observation)
    assert difference is None, f"{params} under {rules.name}: {difference}"
    for prop in PROPERTIES:
        sim = evaluate_property(prop, trace.observation).holds
        assert sim == truth(prop.formula, Scope({}, {}, observation)), prop.id  # type: ignore[arg-type]
    return trace


def _strict_hops(trace: Trace) -> list[dict[str, object]]:
    """Request hops whose Request-URI is not the URI the request addresses (a strict router's value)."""
    return [dict(h) for h in trace.observation["hops"] if h["kind"] == "request" and h["ruri"] != h["origin"]
            and h["method"] != "REGISTER"]


@pytest.mark.parametrize("seed", range(16))
def test_strict_runs_agree(seed: int) -> None:
    _run(seed, fork=seed % 2 == 1)


def test_some_runs_are_strict_routed() -> None:
    """The runs above do reach strict routing: an initial INVITE and an in-dialog request carry a strict value."""
    traces = [_run(seed, fork=seed % 2 == 1) for seed in range(12)]
    hops = [h for t in traces for h in _strict_hops(t)]
    assert any(h["initial"] for h in hops) and any(not h["initial"] for h in hops)


IN_DIALOG = property_from_mapping(
    {"id": "X-in-dialog-ruri", "title": "an in-dialog request keeps its Request-URI",
     "formula": "forall h in hops: h.kind == request and not h.initial -> h.ruri == h.origin"}, "test")
FIRST_HOP = property_from_mapping(
    {"id": "X-first-hop-ruri", "title": "a UAC's INVITE is sent with the target as its Request-URI",
     "formula": "forall h in hops: h.kind == request and h.method == INVITE and h.initial and h.sender == ua "
                "-> h.ruri == h.origin"}, "test")


@pytest.mark.slow
@pytest.mark.parametrize(("prop", "rules"), [(IN_DIALOG, "rfc3261"), (FIRST_HOP, "rfc5630")])
def test_the_prover_finds_and_replays_a_strict_route(prop: Property, rules: str) -> None:
    """The counterexample (replayed by the simulator) sends the violating request to a strict router on some hop:
    its Request-URI is then that proxy's own URI (only a strict router's value travels as one, RFC 3261 12.2.1.1)."""
    result = prove(prop, PRESETS[rules])
    assert result.verdict == "refuted" and result.counterexample is not None and result.violation is not None
    trace = result.counterexample
    hop = trace.observation["hops"][result.violation]
    assert hop["ruri"] != hop["origin"], hop
    request = hop["request"]
    strict_hops = [t for t, h in zip(trace.transmissions, trace.observation["hops"], strict=True)
                   if h["request"] == request and h["kind"] == "request" and _names_receiver(t.message.request_uri,
                                                                                              t.receiver)]
    assert strict_hops, [t.message.request_uri for t in trace.transmissions]
    assert all(t.message.routes() for t in strict_hops)  # the target went last in Route


def _names_receiver(uri: object, receiver: str) -> bool:
    """The Request-URI is the receiving proxy's own URI (a strict router's Route value, no user part)."""
    return isinstance(uri, SipUri) and uri.user is None and uri.host.startswith(f"{receiver}.")


def test_the_family_names_strict_routers() -> None:
    assert "strict routers" in build_encoding(3, False).family(3)
    assert "no strict router" in build_encoding(3, False, strict=False).family(3)

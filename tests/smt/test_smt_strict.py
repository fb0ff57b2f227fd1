"""Strict routers in the bounded encoding (issue 11 item 2; RFC 3261 8.1.1.1, 12.2.1.1, 16.4, 16.6 step 6; F-19).

In both families (``STRICT_ROUTERS``; ``build_encoding(strict=False)`` leaves them out) a proxy may be a
strict router: its Record-Route values lack ``lr``, and so does p1's
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
import z3
from smt_concrete import TemplateParams, params_scenario
from smt_support import NAMES, RandomChooser, encoding, first_difference, fork_params, random_params, run_both
from strict_flows import strict_hides_sips, strict_sips_flag, strict_sips_route

from sipsmodel.model.expr import Scope, truth
from sipsmodel.model.trace import Trace
from sipsmodel.props import evaluate_property, load_properties
from sipsmodel.props.property import Property, property_from_mapping
from sipsmodel.rules.sets import PRESETS, RuleSet
from sipsmodel.sim import simulate
from sipsmodel.smt import prove
from sipsmodel.smt.encode import BINDINGS, build_encoding
from sipsmodel.smt.prove import violated
from sipsmodel.syntax import SipUri

PROPERTIES = [p for p in load_properties() if p.scope == "model"]
PROXIES = [n for n in NAMES if n.startswith(("p", "eb"))]


def _params(seed: int, fork: bool, family: str) -> tuple[TemplateParams, RuleSet]:
    rng = random.Random(seed)
    params = fork_params(rng) if fork else random_params(rng)
    strict = frozenset(n for n in PROXIES if rng.random() < 0.6)
    params = replace(params, strict=strict, chain=max(params.chain, 1),
                     reinvite=rng.choice((None, "caller", "callee")) if family == "full" else None)
    return params, PRESETS[rng.choice(sorted(PRESETS))]


def _simulated(seed: int, fork: bool) -> Trace:
    params, rules = _params(seed, fork, "default")
    enc = encoding(3, BINDINGS, "default", True)
    scenario = params_scenario(enc, params, tuple(r.id for r in rules.active))
    return simulate(scenario, rules, RandomChooser(random.Random(seed)))


def _run(seed: int, fork: bool, family: str = "default") -> Trace:
    """A random run with strict routers (and, in the full family, a re-INVITE), both engines record by record."""
    params, rules = _params(seed, fork, family)
    trace, observation = run_both(params, rules, seed, family=family, strict=True)
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


@pytest.mark.parametrize("seed", range(12))
def test_strict_runs_agree(seed: int) -> None:
    _run(seed, fork=seed % 2 == 1)


@pytest.mark.parametrize("seed", range(100, 104))
def test_strict_runs_with_a_reinvite_agree(seed: int) -> None:
    """The full family: a re-INVITE (and its 200 and ACK) along route sets with strict routers."""
    _run(seed, fork=seed % 2 == 1, family="full")


def test_some_runs_are_strict_routed() -> None:
    """The runs above do reach strict routing: an initial INVITE and an in-dialog request carry a strict value
    (the simulator's side of the same runs, which the SMT matches record by record there)."""
    hops = [h for seed in range(12) for h in _strict_hops(_simulated(seed, fork=seed % 2 == 1))]
    assert any(h["initial"] for h in hops) and any(not h["initial"] for h in hops)


IN_DIALOG = property_from_mapping(
    {"id": "X-in-dialog-ruri", "title": "an in-dialog request keeps its Request-URI",
     "formula": "forall h in hops: h.kind == request and not h.initial -> h.ruri == h.origin"}, "test")

@pytest.mark.slow
@pytest.mark.parametrize(("prop", "rules"), [(IN_DIALOG, "rfc3261")])  # the initial INVITE's: the notes tests
def test_the_prover_finds_and_replays_a_strict_route(prop: Property, rules: str) -> None:
    """The counterexample (replayed by the simulator) sends the violating request to a strict router on some hop:
    its Request-URI is then that proxy's own URI (only a strict router's value travels as one, RFC 3261 12.2.1.1)."""
    result = prove(prop, PRESETS[rules], bound=2, family="full")  # p1 (and pb) may be strict routers
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


def test_both_families_have_strict_routers_and_only_they_refute_the_in_dialog_request_uri() -> None:
    assert "strict routers" in build_encoding(3, False, family="full").family(3)
    assert "strict routers" in build_encoding(3, False).family(3)
    assert "no strict router" in build_encoding(3, False, strict=False).family(3)
    refuted = prove(IN_DIALOG, PRESETS["rfc3261"], bound=2)  # by a strict router (the test above)
    assert refuted.verdict == "refuted"
    loose = build_encoding(2, False, strict=False)
    solver = z3.Solver()
    solver.add(*loose.assertions, violated(IN_DIALOG, loose), loose.bound_literal(2))
    assert solver.check() == z3.unsat  # with loose routers alone every in-dialog request keeps its Request-URI


def test_a_counterexample_shows_a_strict_router_only_where_the_violation_needs_one() -> None:
    """I-1 under rfc3261 falls to the last-hop exception with loose routers: the counterexample shows no strict
    router, though a shorter one behind a strict p1 exists (``smt.prove._loose``)."""
    i1 = next(p for p in load_properties() if p.id == "I-1")
    result = prove(i1, PRESETS["rfc3261"])
    assert result.verdict == "refuted" and result.counterexample is not None
    values = [v for t in result.counterexample.transmissions for v in (*t.message.routes(), *t.message.record_routes())]
    assert values and all(";lr" in v.render() for v in values), [v.render() for v in values]  # loose routers only


# three of the five cells (I-4b under dean-bcp and I-11 under draft-04 show the same counterexample shape)
NOTES = {("I-1", "dean-bcp"): strict_hides_sips, ("I-4b", "rfc5630"): strict_sips_flag,
         ("I-11", "rfc5630"): strict_sips_route}


@pytest.mark.slow
@pytest.mark.parametrize(("pid", "rules"), sorted(NOTES))
def test_the_notes_name_what_the_strict_counterexample_shows(pid: str, rules: str) -> None:
    """The cells strict routers refute where loose routers alone prove: what the property's notes say."""
    prop = next(p for p in load_properties() if p.id == pid)
    assert "Strict routers" in prop.notes and "F-19" in prop.notes
    result = prove(prop, PRESETS[rules])
    assert result.verdict == "refuted" and result.counterexample is not None
    assert NOTES[(pid, rules)](result.counterexample), result.counterexample.observation["hops"]

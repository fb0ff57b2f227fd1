"""Transport parameters in generated URIs (issue 9 item 5): both engines, RFC 3263 4.1, I-16 and I-17.

The UAs choose ``contact_tp`` (the ``;transport=`` of the Contact of an INVITE or of its 2xx); the
in-dialog sender reads ``next_tp`` (the parameter of the URI the next hop is resolved from) and
R-3263-4.1-a makes it use that transport. The simulator and the SMT encoding must agree record by
record on runs that use the parameters, and the prover's verdicts on I-16 and I-17 are the
expectations written in ``properties/`` from the texts.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

import pytest
from smt_concrete import (
    Device,
    TemplateParams,
    assumptions,
    decision_constraints,
    params_scenario,
    scenario_constraints,
    smt_observation,
)
from smt_support import encoding, first_difference, random_params

from sipsmodel.model.expr import Value
from sipsmodel.model.scenario import ScriptedChoice
from sipsmodel.props import evaluate_property, load_properties
from sipsmodel.rules.sets import PRESETS
from sipsmodel.sim import simulate
from sipsmodel.sim.choosers import ScriptedChooser
from sipsmodel.smt import prove

PROPS = {p.id: p for p in load_properties()}


class ParamChooser:
    """Random allowed options, taking a Contact transport parameter whenever one is allowed."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def choose(self, element: str, choice_point: str, occurrence: int, features: Mapping[str, Value],
               allowed: list[dict[str, Value]]) -> dict[str, Value]:
        with_param = [o for o in allowed if o.get("contact_tp", "none") != "none"]
        return self.rng.choice(with_param or allowed)


class RecordRouteParamChooser:
    """Random allowed options, Record-Routing with a transport parameter whenever that is allowed."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def choose(self, element: str, choice_point: str, occurrence: int, features: Mapping[str, Value],
               allowed: list[dict[str, Value]]) -> dict[str, Value]:
        with_param = [o for o in allowed if o.get("rr_tp", "none") != "none"]
        answered = [o for o in allowed if o.get("status") == 200]  # a dialog, whose requests use the route set
        return self.rng.choice(with_param or answered or allowed)


def _run(params: TemplateParams, rules: str, chooser: object) -> tuple[dict[str, list[dict[str, Value]]],
                                                                        dict[str, list[dict[str, Value]]] | None]:
    enc = encoding(3)
    rule_set = PRESETS[rules]
    active = tuple(r.id for r in rule_set.active)
    trace = simulate(params_scenario(enc, params, active), rule_set, chooser)  # type: ignore[arg-type]
    constraints = scenario_constraints(enc, params) + decision_constraints(enc, trace.decisions)
    observation, _ = smt_observation(enc, constraints, active)
    return trace.observation, observation  # type: ignore[return-value]


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(16))
def test_both_engines_agree_record_by_record_on_transport_parameters(seed: int) -> None:
    rng = random.Random(7000 + seed)
    rules = sorted(PRESETS)[seed % 4]
    sim, smt = _run(random_params(rng), rules, ParamChooser(random.Random(seed)))
    assert smt is not None, f"the SMT has no model of the simulator's run (seed {seed}, {rules})"
    assert first_difference(sim, smt) is None


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(12))
def test_both_engines_agree_record_by_record_on_record_route_parameters(seed: int) -> None:
    """Runs in which a proxy Record-Routes with a parameter and the dialog's requests then use the route set."""
    rng = random.Random(7100 + seed)
    rules = sorted(PRESETS)[seed % 4]
    rule_set = PRESETS[rules]
    active = tuple(r.id for r in rule_set.active)
    enc = encoding(3)
    for attempt in range(60):
        params = random_params(rng)
        trace = simulate(params_scenario(enc, params, active), rule_set,
                         RecordRouteParamChooser(random.Random(100 * seed + attempt)))  # type: ignore[arg-type]
        inserted = [d for d in trace.decisions if d.choice_point == "proxy_forward"
                    and (d.options or {}).get("rr_tp", "none") != "none"]
        used = [d for d in trace.decisions if d.choice_point == "send_in_dialog" and d.features["next"] != "none"]
        if inserted and used:
            break
    else:
        raise AssertionError(f"no run Record-Routes with a parameter and uses it in 60 tries (seed {seed}, {rules})")
    # the SMT's visits must also read the features the route set decides (RFC 3263 4.1 next hop)
    constraints = scenario_constraints(enc, params) + decision_constraints(enc, trace.decisions,
                                                                           ("next", "next_tp", "rr_tp"))
    observation, _ = smt_observation(enc, constraints, active)
    assert observation is not None, f"the SMT has no model of the simulator's run (seed {seed}, {rules})"
    assert first_difference(trace.observation, observation) is None  # type: ignore[arg-type]


class RegisterParamChooser:
    """Random allowed options, registering a Contact with a transport parameter whenever that is allowed."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def choose(self, element: str, choice_point: str, occurrence: int, features: Mapping[str, Value],
               allowed: list[dict[str, Value]]) -> dict[str, Value]:
        if choice_point != "ua_register":
            return self.rng.choice(allowed)
        tls = [o for o in allowed if o["contact_tp"] == "TLS"]  # seen in every message that copies the Contact
        named = [o for o in allowed if o["contact_tp"] != "none"]
        return self.rng.choice(tls if tls and self.rng.random() < 0.5 else named or allowed)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(12))
def test_both_engines_agree_record_by_record_on_register_contact_parameters(seed: int) -> None:
    """Runs in which a device registers a Contact with a parameter and pb retargets a call to it."""
    rng = random.Random(7200 + seed)
    rules = sorted(PRESETS)[seed % 4]
    rule_set = PRESETS[rules].with_should("optional") if rules == "draft-04" else PRESETS[rules]
    active = tuple(r.id for r in rule_set.active)
    enc = encoding(3)
    for _ in range(30):
        params = random_params(rng)
        trace = simulate(params_scenario(enc, params, active), rule_set,
                         RegisterParamChooser(random.Random(seed)))  # type: ignore[arg-type]
        retargeted = [d for d in trace.decisions if d.choice_point == "proxy_forward"
                      and d.features["ruri_tp"] != "none"]
        if retargeted:
            break
    else:
        raise AssertionError(f"no run retargets to a Contact with a parameter in 30 tries (seed {seed}, {rules})")
    constraints = scenario_constraints(enc, params) + decision_constraints(enc, trace.decisions,
                                                                           ("ruri_tp", "next_tp"))
    observation, _ = smt_observation(enc, constraints, active)
    assert observation is not None, f"the SMT has no model of the simulator's run (seed {seed}, {rules})"
    assert first_difference(trace.observation, observation) is None  # type: ignore[arg-type]


def _call(params: TemplateParams, rules: str, script: list[ScriptedChoice]) -> tuple[object, dict[str, object]]:
    enc = encoding(3)
    rule_set = PRESETS[rules]
    scenario = params_scenario(enc, params, tuple(r.id for r in rule_set.active))
    trace = simulate(scenario, rule_set, ScriptedChooser(script))
    return trace, trace.observation


def _direct_call() -> TemplateParams:
    """alice calls bob's AoR with a sip target; one device registered with a sip Contact, no edge proxy."""
    return TemplateParams(chain=0, target="sip", devices=(Device(want_sips=False),))


def test_contact_parameters_are_written_and_followed_by_the_in_dialog_hops() -> None:
    script = [ScriptedChoice("alice", "uac_invite", 0, {"contact_tp": "TLS", "transport": "TCP"}),
              ScriptedChoice("bob1", "uas_answer", 0, {"status": 200, "contact_tp": "UDP"})]
    trace, observation = _call(_direct_call(), "rfc3261", script)
    messages = [t.message.render() for t in trace.transmissions]  # type: ignore[attr-defined]
    invite = next(m for m in messages if m.startswith("INVITE"))
    assert "Contact: <sip:alice@alice-1.example.net;transport=tls>" in invite
    ok = next(m for m in messages if m.startswith("SIP/2.0 200") and "CSeq: 1 INVITE" in m)
    assert ";transport=udp>" in ok
    hops = observation["hops"]
    invites = [h for h in hops if h["method"] == "INVITE" and h["kind"] == "request"]
    assert invites and all(h["tls_param"] and not h["udp_param"] for h in invites)  # forwarded with the Contact
    acks = [h for h in hops if h["method"] == "ACK"]
    byes = [h for h in hops if h["method"] == "BYE" and h["kind"] == "request"]
    assert acks and all(h["udp_param"] for h in acks)  # the ACK's Request-URI is bob's Contact
    assert [h["transport"] for h in acks if h["receiver"] == "ua"] == ["UDP"]  # resolved from it: R-3263-4.1-a
    assert byes and all(h["tls_param"] for h in byes)  # the BYE's Request-URI is alice's Contact
    sends = [d for d in trace.decisions if d.choice_point == "send_in_dialog"]  # type: ignore[attr-defined]
    assert {d.features["next_tp"] for d in sends} == {"none", "UDP", "TLS"}  # Route values name none


def test_rules_remove_transport_tls_and_sips_udp() -> None:
    from sipsmodel.rules.engine import allowed_options

    features = {"target": "sips", "tls": True, "next_tls": True, "route_stored": "none", "route_strict": False,
                "retry": False, "target_tp": "none", "next_tp": "none"}
    for rules, tls_allowed in (("rfc3261", True), ("dean-bcp", True), ("draft-04", False), ("rfc5630", False)):
        options = allowed_options("uac_invite", features, PRESETS[rules])
        assert any(o["contact_tp"] == "TLS" for o in options) is tls_allowed, rules
        assert not any(o["contact"] == "sips" and o["contact_tp"] == "UDP" for o in options), rules


@pytest.mark.slow
@pytest.mark.parametrize("rules", sorted(PRESETS))
def test_i16_and_i17_verdicts_follow_the_texts(rules: str) -> None:
    for pid in ("I-16", "I-17"):
        prop = PROPS[pid]
        result = prove(prop, PRESETS[rules])
        assert result.verdict == prop.expected[rules], (pid, rules, result.verdict)
        if result.verdict == "refuted":
            assert result.counterexample is not None
            assert not evaluate_property(prop, result.counterexample.observation).holds
            shown = "\n".join(t.message.render() for t in result.counterexample.transmissions)
            assert ";transport=tls" in shown


def test_a_registered_contact_parameter_is_kept_by_the_retargeted_request_and_followed() -> None:
    script = [ScriptedChoice("bob1", "ua_register", 0, {"contact_tp": "UDP"})]
    trace, observation = _call(_direct_call(), "rfc3261", script)
    messages = [t.message.render() for t in trace.transmissions]  # type: ignore[attr-defined]
    register = next(m for m in messages if m.startswith("REGISTER"))
    assert "Contact: <sip:bob@bob1.example.com;transport=udp>" in register
    ok = next(m for m in messages if m.startswith("SIP/2.0 200") and "CSeq: 1 REGISTER" in m)
    assert ";transport=udp>;expires=" in ok  # the registrar lists the binding as registered
    assert any(m.startswith("INVITE sip:bob@bob1.example.com;transport=udp SIP/2.0") for m in messages)
    retargets = [d for d in trace.decisions if d.choice_point == "proxy_forward"]  # type: ignore[attr-defined]
    assert [d.features["ruri_tp"] for d in retargets] == ["UDP"]
    delivered = [h for h in observation["hops"] if h["method"] == "INVITE" and h["kind"] == "request"
                 and h["receiver"] == "ua"]
    assert delivered and all(h["udp_param"] and h["transport"] == "UDP" for h in delivered)  # R-3263-4.1-a


def test_a_rewrite_to_sips_drops_the_udp_parameter_in_both_engines() -> None:
    """RFC 3261 16.7 step 8: pb got the INVITE over TLS, Record-Routed ``sip:...;transport=udp`` and sent it
    on over UDP, so it must rewrite its value to sips in the 2xx; the new URI drops ``udp`` (19.1.1)."""
    script = [ScriptedChoice("alice", "uac_invite", 0, {"transport": "TLS"}),
              ScriptedChoice("pb", "proxy_forward", 0, {"rr": "single", "rr_out": "sip", "rr_tp": "UDP",
                                                         "transport": "UDP"}),
              ScriptedChoice("bob1", "uas_answer", 0, {"status": 200, "contact_tp": "none"})]
    params = _direct_call()
    trace, observation = _call(params, "rfc3261", script)
    rewrites = [d for d in trace.decisions if d.choice_point == "proxy_response_rr"]  # type: ignore[attr-defined]
    assert [(d.features["rr_tp"], (d.options or {}).get("rewrite")) for d in rewrites] == [("UDP", "sips")]
    messages = [t.message.render() for t in trace.transmissions]  # type: ignore[attr-defined]
    forwarded = next(m for m in messages if m.startswith("INVITE sip:bob@bob1"))
    assert "Record-Route: <sip:pb.example.com;lr;transport=udp>" in forwarded
    to_alice = [m for m in messages if m.startswith("SIP/2.0 200") and "CSeq: 1 INVITE" in m][-1]
    assert "Record-Route: <sips:pb.example.com;lr>" in to_alice
    assert not any(h["sips_udp_param"] for h in observation["hops"])  # type: ignore[attr-defined]
    enc = encoding(3)
    active = tuple(r.id for r in PRESETS["rfc3261"].active)
    constraints = scenario_constraints(enc, params) + decision_constraints(enc, trace.decisions,  # type: ignore[attr-defined]
                                                                           ("rr_tp",))
    smt, _ = smt_observation(enc, constraints, active)
    assert smt is not None and first_difference(observation, smt) is None  # type: ignore[arg-type]


class PathParamChooser:
    """Random allowed options, an edge proxy inserting a Path value with a transport parameter whenever allowed."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def choose(self, element: str, choice_point: str, occurrence: int, features: Mapping[str, Value],
               allowed: list[dict[str, Value]]) -> dict[str, Value]:
        if choice_point == "edge_register":
            named = [o for o in allowed if o["path_tp"] != "none"]
            tls = [o for o in named if o["path_tp"] == "TLS"]  # seen in every message that carries the Path
            return self.rng.choice(tls if tls and self.rng.random() < 0.5 else named or allowed)
        bound = [o for o in allowed if o.get("status") == 200 or o.get("target") is True]  # a binding, a branch
        return self.rng.choice(bound or allowed)


def _path_run(seed: int, rules: str) -> tuple[TemplateParams, object, tuple[str, ...]]:
    """A run in which an edge proxy stores a Path value with a parameter and pb routes a call through it."""
    rng = random.Random(7300 + seed)
    rule_set = PRESETS[rules]
    active = tuple(r.id for r in rule_set.active)
    enc = encoding(3)
    for attempt in range(40):
        params = random_params(rng)
        trace = simulate(params_scenario(enc, params, active), rule_set,
                         PathParamChooser(random.Random(100 * seed + attempt)))  # type: ignore[arg-type]
        routed = [d for d in trace.decisions if d.choice_point == "proxy_forward" and d.features["next_tp"] != "none"
                  and d.features["route_next"] != "none"]
        if routed:
            return params, trace, active
    raise AssertionError(f"no run routes a call through a Path value with a parameter in 40 tries ({seed}, {rules})")


def _path_observation(params: TemplateParams, trace: object, active: tuple[str, ...]) -> object:
    enc = encoding(3)
    constraints = scenario_constraints(enc, params) + decision_constraints(enc, trace.decisions,  # type: ignore[attr-defined]
                                                                           ("next_tp", "ruri_tp", "route_next"))
    observation, _ = smt_observation(enc, constraints, active)
    return observation


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(8))
def test_both_engines_agree_record_by_record_on_path_parameters(seed: int) -> None:
    """Runs in which an edge proxy's Path value names a transport and pb's branch resolves its next hop from it
    (the Route value it pushes, RFC 3327; R-3263-4.1-a), with ``next_tp`` fixed to the simulator's."""
    rules = sorted(PRESETS)[seed % 4]
    params, trace, active = _path_run(seed, rules)
    observation = _path_observation(params, trace, active)
    assert observation is not None, f"the SMT has no model of the simulator's run (seed {seed}, {rules})"
    assert first_difference(trace.observation, observation) is None  # type: ignore[attr-defined]


def _ignore_path_param(*args: object) -> object:
    """next_hop with the Route value's parameter ignored: the next hop resolved from the Request-URI's."""
    from sipsmodel.steps.routing import next_hop

    ops, route, outbound, out_element, target, target_tp = args
    hop = next_hop(ops, route, outbound, out_element, target, target_tp)  # type: ignore[arg-type]
    return type(hop)(hop.element, hop.route, target_tp)


_PATH_MUTANTS = {
    # the relayed REGISTER and its 200 carry no Path parameter
    "register-drops-path-param": ("sipsmodel.smt.register.path_params", lambda v: {}),
    # pb's branch pushes the Path value without its parameter
    "route-drops-path-param": ("sipsmodel.smt.invite.value_params", lambda *a, **k: {}),
    # pb resolves its next hop from the Request-URI although a Path value is pushed
    "next-hop-ignores-path": ("sipsmodel.smt.invite.next_hop", _ignore_path_param),
}


def _keeps_route_values(self: object) -> object:
    """Leg.base_params (what a forwarding receiver keeps) with the Route values it removes as its own kept."""
    fields = self.slot.fields  # type: ignore[attr-defined]
    return {a: fields[a] for a in ("tls_param", "udp_param", "sips_udp_param")}


_ROUTE_MUTANTS = {
    # alice's INVITE carries its preloaded Route value without the parameter
    "uac-drops-route-param": ("sipsmodel.smt.records.uac_route_params", lambda v: {}),
    # p1 (and the edge proxy) keep the parameter of the Route value they remove as their own (RFC 3261 16.4)
    "receiver-keeps-route-values": ("sipsmodel.smt.invite.Leg.base_params", _keeps_route_values),
}


@pytest.mark.slow
@pytest.mark.parametrize("mutant", sorted(_PATH_MUTANTS) + sorted(_ROUTE_MUTANTS))
def test_path_and_route_parameter_mutants_are_caught(mutant: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each mutant of the encoding's Path or Route parameter (its attributes, pb's next_tp) disagrees with
    the simulator on a run whose Path value (seed 2 of the differential, rfc3261) or preloaded Route value
    (seed 2 of its differential, rfc3261) names tls."""
    from sipsmodel.smt.encode import BINDINGS, build_encoding

    if mutant in _PATH_MUTANTS:
        params, trace, active = _path_run(2, "rfc3261")
        target, replacement = _PATH_MUTANTS[mutant]
    else:
        params, trace, active = _route_run(2, "rfc3261")
        target, replacement = _ROUTE_MUTANTS[mutant]
    assert any("TLS" in (d.features.get("next_tp"), (d.options or {}).get("route_tp"))  # type: ignore[attr-defined]
               for d in trace.decisions)  # type: ignore[attr-defined]
    monkeypatch.setattr(target, replacement)
    enc = build_encoding(3, False, BINDINGS)
    constraints = scenario_constraints(enc, params) + decision_constraints(enc, trace.decisions,  # type: ignore[attr-defined]
                                                                           ("next_tp", "ruri_tp", "route_next"))
    observation, _ = smt_observation(enc, constraints, active)
    assert observation is None or first_difference(trace.observation, observation) is not None  # type: ignore[attr-defined]


def test_a_path_parameter_is_stored_pushed_as_route_and_followed() -> None:
    """eb1's Path value names udp: the registrar's 200 echoes it, pb pushes it as the Route of the call and
    resolves its next hop from it (R-3263-4.1-a: UDP), and eb1 removes it (RFC 3327, RFC 3261 16.4)."""
    params = TemplateParams(chain=0, target="sip", devices=(Device(edge=True, want_sips=False),))
    script = [ScriptedChoice("eb1", "edge_register", 0, {"path": "sip", "path_tp": "UDP"})]
    trace, observation = _call(params, "rfc3261", script)
    sent = [(t.sender, t.receiver, t.transport, t.message.render()) for t in trace.transmissions]  # type: ignore[attr-defined]
    path = "<sip:bob1-eb1-0@eb1.example.com;lr;transport=udp>"
    assert any(m.startswith("REGISTER") and f"Path: {path}" in m for _, r, _, m in sent if r == "pb")
    assert any(m.startswith("SIP/2.0 200") and "CSeq: 1 REGISTER" in m and f"Path: {path}" in m for *_, m in sent)
    to_edge = [(tp, m) for s, r, tp, m in sent if (s, r) == ("pb", "eb1") and m.startswith("INVITE")]
    assert to_edge == [("UDP", to_edge[0][1])] and f"Route: {path}" in to_edge[0][1]
    to_bob = [m for s, r, _, m in sent if (s, r) == ("eb1", "bob1") and m.startswith("INVITE")]
    assert to_bob and "\nRoute:" not in to_bob[0]
    forwards = [d for d in trace.decisions if d.choice_point == "proxy_forward"]  # type: ignore[attr-defined]
    assert [(d.element, d.features["next_tp"]) for d in forwards] == [("pb", "UDP"), ("eb1", "none")]


@pytest.mark.parametrize(("rules", "tls_allowed"), [("rfc3261", True), ("dean-bcp", True), ("draft-04", False),
                                                     ("rfc5630", True)])
def test_only_draft04_forbids_a_tls_path_value(rules: str, tls_allowed: bool) -> None:
    """R-04-7-a binds every element, the edge proxy too; RFC 5630 5.1.1 and 5.1.2 bind UAs only."""
    from sipsmodel.rules.engine import allowed_options

    features = {"in_ruri": "sips", "in_secure": True, "contact": "sips", "tls": True, "next_tls": True,
                "malicious": False}
    options = allowed_options("edge_register", features, PRESETS[rules])
    assert any(o["path_tp"] == "TLS" for o in options) is tls_allowed
    assert not any(o["path"] == "sips" and o["path_tp"] == "UDP" for o in options)
    assert all(o["path_tp"] == "none" for o in options if o["path"] == "none")


class RouteParamChooser:
    """Random allowed options, a UAC preloading its Route value with a transport parameter whenever allowed."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def choose(self, element: str, choice_point: str, occurrence: int, features: Mapping[str, Value],
               allowed: list[dict[str, Value]]) -> dict[str, Value]:
        if choice_point == "uac_invite":  # the Route value the only URI naming a transport: its hops show it
            named = [o for o in allowed if o["route_tp"] != "none" and o["contact_tp"] == "none"]
            tls = [o for o in named if o["route_tp"] == "TLS"]
            return self.rng.choice(tls if tls and self.rng.random() < 0.5 else named or allowed)
        plain = [o for o in allowed if all(o.get(p, "none") == "none" for p in ("rr_tp", "contact_tp", "path_tp"))]
        return self.rng.choice(plain or allowed)


def _route_run(seed: int, rules: str) -> tuple[TemplateParams, object, tuple[str, ...]]:
    """A run in which alice preloads a Route value with a parameter (a chain proxy p1 in the family)."""
    rng = random.Random(7400 + seed)
    rule_set = PRESETS[rules]
    active = tuple(r.id for r in rule_set.active)
    enc = encoding(3)
    for attempt in range(40):
        params = random_params(rng)
        trace = simulate(params_scenario(enc, params, active), rule_set,
                         RouteParamChooser(random.Random(100 * seed + attempt)))  # type: ignore[arg-type]
        if any((d.options or {}).get("route_tp", "none") != "none" for d in trace.decisions):
            return params, trace, active
    raise AssertionError(f"no run preloads a Route value with a parameter in 40 tries ({seed}, {rules})")


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(8))
def test_both_engines_agree_record_by_record_on_preloaded_route_parameters(seed: int) -> None:
    """Runs in which alice's preloaded Route value names a transport (uac_invite route_tp; R-3263-4.1-a)."""
    rules = sorted(PRESETS)[seed % 4]
    params, trace, active = _route_run(seed, rules)
    observation = _path_observation(params, trace, active)
    assert observation is not None, f"the SMT has no model of the simulator's run (seed {seed}, {rules})"
    assert first_difference(trace.observation, observation) is None  # type: ignore[attr-defined]


@pytest.mark.slow
@pytest.mark.parametrize(("option", "header"), [("path_tp", "Path"), ("route_tp", "Route")])
def test_the_bounded_prover_sees_transport_tls_in_path_and_route_values(option: str, header: str) -> None:
    """I-16 reads every URI an element generates: with every other transport parameter none, the encoding
    under rfc3261 still has a hop carrying tls (a Path value, or alice's preloaded Route value), and its
    model replays in the simulator with that value naming tls and I-16 failing."""
    import z3

    from sipsmodel.model.vocab import TPARAM
    from sipsmodel.smt.compile import is_value

    enc = encoding(3)
    rule_set = PRESETS["rfc3261"]
    active = tuple(r.id for r in rule_set.active)
    others = [o for o in ("contact_tp", "rr_tp", "path_tp", "route_tp") if o != option]
    constraints = [is_value(TPARAM, v.options[o], "none") for v in enc.topo.rules.visits for o in others
                   if o in v.options]
    constraints.append(z3.Or([z3.And(r.active, r.values["tls_param"].term) for r in enc.collections["hops"]]))
    solver = z3.Solver()
    solver.add(*enc.assertions, *constraints)
    assert solver.check(*assumptions(active)) == z3.sat
    scenario = enc.decode(solver.model())
    trace = simulate(scenario, rule_set, ScriptedChooser(scenario.script))
    assert not evaluate_property(PROPS["I-16"], trace.observation).holds
    lines = [line for t in trace.transmissions for line in t.message.render().splitlines()]
    assert any(line.startswith(f"{header}:") and ";transport=tls" in line for line in lines)

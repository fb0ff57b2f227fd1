"""F-19: a strict router as the first entry of the preloaded route of an initial INVITE.

RFC 3261 8.1.1.1 builds the request with the 12.2.1.1 algorithm: the strict entry is the
Request-URI, the target goes last in Route, and 8.1.2-b (which looks at the Request-URI only) asks
for no TLS on the first hop. The strict router takes the last Route value back as the Request-URI
(16.4). RFC 5630 5.1.1 (R-5630-5.1.1-d) upgrades the sip: entry for a sips target, which closes the gap.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from sim_helpers import Row, check_flow, run

from sipsmodel.errors import ModelDisagreement, ScenarioError
from sipsmodel.model.scenario import Link, Scenario, ScriptedChoice
from sipsmodel.model.trace import Trace
from sipsmodel.props import evaluate_property, load_properties
from sipsmodel.rules import PRESETS, allowed_options
from sipsmodel.sim import ScriptedChooser, simulate
from sipsmodel.sim.decide import check_request
from sipsmodel.syntax import build_request, parse_uri

NAME = "f19-strict-preloaded-route.toml"


def _with_tls_to_p1() -> Scenario:
    scenario, _ = run(NAME)
    return replace(scenario, links=(Link("alice", "p1", ("TCP", "TLS")), *scenario.links[1:]))


def _invite_hops(trace: Trace) -> list[tuple[str, str, str, str, list[str]]]:
    invites = [t for t in trace.transmissions if t.message.method == "INVITE"]
    return [(t.sender, t.receiver, t.transport, t.message.request_uri.render() if t.message.request_uri else "",
             [r.uri.render() for r in t.message.routes()]) for t in invites]


def _uac_invite(trace: Trace) -> tuple[dict[str, object], dict[str, object]]:
    decision = next(d for d in trace.decisions if d.choice_point == "uac_invite")
    return dict(decision.features), dict(decision.options)


def test_rfc3261_strict_entry_is_the_request_uri_and_the_sips_target_the_last_route_over_tcp() -> None:
    _, trace = run(NAME, "rfc3261")
    features, options = _uac_invite(trace)
    assert features["route_stored"] == "sip" and features["route_strict"] is True and features["next_tls"] is False
    # the options describe the wire: ruri is the strict entry in the Request-URI, route0 the target in Route
    assert options == {"ruri": "sip", "route0": "sips", "contact": "sips", "transport": "TCP", "contact_tp": "none",
                       "route_tp": "none"}
    check_flow(trace, [
        ("F3", Row("alice", "p1", "INVITE", "sip:p1.example.net", "TCP", ["sips:bob@example.com"], [],
                   "sips:alice@alice.example.net", vias=["TCP"], mf=70)),
        ("F4", Row("p1", "alice", "100", tp="TCP")),
        # p1 finds its own URI in the Request-URI: the last Route value becomes the Request-URI (16.4).
        # The request is sips again, so 16.6 step 7 asks for TLS, and a strict router records without lr.
        ("F5", Row("p1", "pb", "INVITE", "sips:bob@example.com", "TLS", [], ["sips:p1.example.net"],
                   vias=["TLS", "TCP"], mf=69)),
        ("F6", Row("pb", "p1", "100", tp="TLS")),
        ("F7", Row("pb", "bob", "INVITE", "sips:bob@bob.example.com", "TLS", [],
                   ["sips:pb.example.com;lr", "sips:p1.example.net"])),
        ("F8", Row("bob", "pb", "200", tp="TLS")),
        ("F9", Row("pb", "p1", "200", tp="TLS")),
        # RFC 3261 16.7 step 8: TLS out, no TLS in, so p1 rewrites its own value to sip: towards alice.
        ("F10", Row("p1", "alice", "200", tp="TCP", rr=["sips:pb.example.com;lr", "sip:p1.example.net"],
                    contact="sips:bob@bob.example.com")),
        # alice's route set starts with the strict p1 again: the ACK is strict-routed (12.2.1.1) ...
        ("F11", Row("alice", "p1", "ACK", "sip:p1.example.net", "TCP",
                    ["sips:pb.example.com;lr", "sips:bob@bob.example.com"])),
        # ... and p1 swaps the last Route value back into the Request-URI.
        ("F12", Row("p1", "pb", "ACK", "sips:bob@bob.example.com", "TLS", ["sips:pb.example.com;lr"])),
        ("F13", Row("pb", "bob", "ACK", "sips:bob@bob.example.com", "TLS", [])),
        ("F14", Row("alice", "p1", "BYE", "sip:p1.example.net", "TCP",
                    ["sips:pb.example.com;lr", "sips:bob@bob.example.com"])),
        ("F15", Row("p1", "pb", "BYE", "sips:bob@bob.example.com", "TLS", ["sips:pb.example.com;lr"])),
        ("F16", Row("pb", "bob", "BYE", "sips:bob@bob.example.com", "TLS", [])),
        ("F17", Row("bob", "pb", "200", tp="TLS")),
        ("F18", Row("pb", "p1", "200", tp="TLS")),
        ("F19", Row("p1", "alice", "200", tp="TCP")),
    ], start=2)  # fmt: skip
    assert len(trace.transmissions) == 19
    forward = trace.observation["forwards"][0]
    assert (forward["in_ruri"], forward["in_secure"], forward["out_ruri"], forward["out_secure"]) == (
        "sips", False, "sips", True)
    # The UAC's dialog is not secure (12.1.2: the Request-URI sent was sip:), the UAS's is.
    assert {(d["role"], d["secure"], d["req_ruri"]) for d in trace.observation["dialogs"]} == {
        ("uac", False, "sip"), ("uas", True, "sips")}


def test_rfc3261_the_first_hop_breaks_end_to_end_sips() -> None:
    """origin is the target's scheme, so I-1 sees the TCP hop F3 of a sips call: F-19 is a real hole."""
    _, trace = run(NAME, "rfc3261")
    hops = trace.observation["hops"]
    assert [h["origin"] for h in hops if h["method"] == "INVITE" and h["kind"] == "request"] == ["sips"] * 3
    props = {p.id: p for p in load_properties()}
    evaluation = evaluate_property(props["I-1"], trace.observation)
    assert not evaluation.holds and evaluation.violation == 2
    assert evaluate_property(props["I-1b"], trace.observation).holds  # no hop carries a sips R-URI without TLS


def test_rules_force_tls_only_when_the_request_uri_on_the_wire_is_sips() -> None:
    rfc3261 = PRESETS["rfc3261"].with_should("optional")
    base = {"target": "sips", "tls": True, "next_tls": True, "route_stored": "sip", "retry": False,
            "target_tp": "none", "next_tp": "none"}
    # strict: the sip: entry is the Request-URI (ruri), the sips target sits in Route (route0)
    strict = {o["transport"] for o in allowed_options("uac_invite", {**base, "route_strict": True}, rfc3261)
              if o["ruri"] == "sip" and o["route0"] == "sips"}
    # loose: the same two URIs the other way round, the sips target in the Request-URI
    loose = {o["transport"] for o in allowed_options("uac_invite", {**base, "route_strict": False}, rfc3261)
             if o["ruri"] == "sips" and o["route0"] == "sip"}
    assert {"UDP", "TCP"} <= strict
    assert loose and not loose & {"UDP", "TCP", "SCTP"}
    # a sips strict entry is a sips Request-URI, even for a sip target (R-5630-5.1.1-e's strict case)
    sips_entry = {**base, "target": "sip", "route_stored": "sips", "route_strict": True}
    upgraded = {o["transport"] for o in allowed_options("uac_invite", sips_entry, rfc3261) if o["route0"] == "sip"}
    assert upgraded and not upgraded & {"UDP", "TCP", "SCTP"}
    assert {o["ruri"] for o in allowed_options("uac_invite", sips_entry, rfc3261)} == {"sips"}  # as stored (3608)


def test_rfc3261_with_tls_on_the_link_only_the_should_of_26_3_1_gives_tls() -> None:
    trace = simulate(_with_tls_to_p1(), PRESETS["rfc3261"])
    assert _invite_hops(trace)[0] == ("alice", "p1", "TLS", "sip:p1.example.net", ["sips:bob@example.com"])
    tcp = (ScriptedChoice("alice", "uac_invite", 0, {"ruri": "sip", "route0": "sips", "contact": "sips",
                                                     "transport": "TCP"}),)
    with pytest.raises(ScenarioError, match=r"violates R-3261-26\.3\.1-b \("):  # the SHOULD alone, not 8.1.2-b
        simulate(_with_tls_to_p1(), PRESETS["rfc3261"], ScriptedChooser(tcp))
    optional = PRESETS["rfc3261"].with_should("optional")
    loose = simulate(_with_tls_to_p1(), optional, ScriptedChooser(tcp))
    assert _invite_hops(loose)[0] == ("alice", "p1", "TCP", "sip:p1.example.net", ["sips:bob@example.com"])


def test_rfc5630_upgrades_the_strict_entry_so_the_request_uri_is_sips_over_tls() -> None:
    trace = simulate(_with_tls_to_p1(), PRESETS["rfc5630"])
    features, options = _uac_invite(trace)
    assert features["route_strict"] is True
    assert options == {"ruri": "sips", "route0": "sips", "contact": "sips", "transport": "TLS", "contact_tp": "none",
                       "route_tp": "none"}
    hops = _invite_hops(trace)
    assert hops[0] == ("alice", "p1", "TLS", "sips:p1.example.net", ["sips:bob@example.com"])
    assert hops[1] == ("p1", "pb", "TLS", "sips:bob@example.com", [])
    assert [h[2] for h in hops] == ["TLS", "TLS", "TLS"]
    assert {(d["role"], d["secure"]) for d in trace.observation["dialogs"]} == {("uac", True), ("uas", True)}
    props = {p.id: p for p in load_properties()}
    assert evaluate_property(props["I-1"], trace.observation).holds


def test_rfc5630_forbids_keeping_the_sip_strict_entry() -> None:
    keep = ScriptedChooser((ScriptedChoice("alice", "uac_invite", 0, {"ruri": "sip", "route0": "sips"}),))
    with pytest.raises(ScenarioError, match=r"alice/uac_invite#0 .*R-5630-5\.1\.1-d"):
        simulate(_with_tls_to_p1(), PRESETS["rfc5630"], keep)
    # Without TLS to p1 the upgraded entry cannot be reached: the call is not placed at all.
    _, trace = run(NAME, "rfc5630")
    assert not _invite_hops(trace)
    assert "alice: no INVITE to sips:bob@example.com is allowed (uac_invite)" in trace.notes
    decision = next(d for d in trace.decisions if d.choice_point == "uac_invite")
    assert decision.allowed == 0


def test_a_retry_behind_a_strict_router_addresses_the_twin_of_the_target() -> None:
    """After a 416 the retry's target is the twin of sips:bob@example.com, not of the strict entry."""
    scenario, _ = run(NAME)
    script = (ScriptedChoice("bob", "uas_answer", 0, {"status": 416}),)
    trace = simulate(replace(scenario, script=script), PRESETS["rfc3261"])
    hops = [h for h in _invite_hops(trace) if h[0] == "alice"]
    assert hops == [("alice", "p1", "TCP", "sip:p1.example.net", ["sips:bob@example.com"]),
                    ("alice", "p1", "TCP", "sip:p1.example.net", ["sip:bob@example.com"])]
    retry = [d for d in trace.decisions if d.choice_point == "uac_invite"][1]
    assert retry.features["retry"] is True and (retry.options["ruri"], retry.options["route0"]) == ("sip", "sip")
    assert trace.observation["retries"][0]["old"] == "sips"


def test_a_longer_strict_route_keeps_its_second_entry_on_top_and_the_target_last() -> None:
    scenario, _ = run(NAME)
    call = replace(scenario.calls[0], route=("sip:p1.example.net", "sip:pb.example.com;lr"))
    trace = simulate(replace(scenario, calls=(call,)), PRESETS["rfc3261"])
    _, options = _uac_invite(trace)
    assert (options["ruri"], options["route0"], options["transport"]) == ("sip", "sips", "TCP")
    hops = _invite_hops(trace)
    assert hops[0] == ("alice", "p1", "TCP", "sip:p1.example.net", ["sip:pb.example.com;lr", "sips:bob@example.com"])
    assert hops[1] == ("p1", "pb", "TLS", "sips:bob@example.com", ["sip:pb.example.com;lr"])
    assert hops[2][:4] == ("pb", "bob", "TLS", "sips:bob@bob.example.com")


def test_the_self_check_reads_the_strict_layout() -> None:
    message = build_request("INVITE", parse_uri("sip:p1.example.net"), [
        ("Via", "SIP/2.0/TCP a.example.net;branch=z9hG4bK1"),
        ("Route", "<sip:p2.example.net;lr>, <sips:bob@example.com>"),
        ("Contact", "<sips:a@a.example.net>")])  # fmt: skip
    options = {"ruri": "sip", "route0": "sips", "contact": "sips", "transport": "TCP"}
    check_request("uac_invite", options, message, "TCP", strict_route=True)  # route0: the target, last in Route
    with pytest.raises(ModelDisagreement, match="option route0 = 'sips' but the message sent shows 'sip'"):
        check_request("uac_invite", options, message, "TCP")  # read as loose: the top Route is sip:p2
    with pytest.raises(ModelDisagreement, match="option ruri = 'sips' but the message sent shows 'sip'"):
        check_request("uac_invite", {**options, "ruri": "sips"}, message, "TCP", strict_route=True)

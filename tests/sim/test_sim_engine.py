"""Choosers, the self-check, exhaustive enumeration, and scenarios built the way the SMT decoder builds them."""

from __future__ import annotations

import pytest

from sipsmodel.errors import ModelDisagreement, ScenarioError
from sipsmodel.model.scenario import Call, Element, Link, Registration, Scenario, ScriptedChoice
from sipsmodel.rules import PRESETS, violated_rules
from sipsmodel.sim import DefaultChooser, ScriptedChooser, enumerate_traces, simulate
from sipsmodel.sim.decide import check_request
from sipsmodel.syntax import build_request, parse_uri

SMT_SHAPE = Scenario(
    "decoded",
    (
        Element("alice", "ua", "alice-1.example.net"),
        Element("p1", "proxy", "p1.example.net"),
        Element("pb", "proxy", "pb.example.com", responsible_for=("example.com",), registrar=True),
        Element("eb1", "proxy", "eb1.example.com", edge=True),
        Element("ua1", "ua", "ua1.example.com"),
    ),
    (Link("alice", "p1"), Link("p1", "pb", ("TCP", "TLS")), Link("pb", "eb1"), Link("eb1", "ua1", ("TLS",))),
    (Registration("ua1", "bob", "example.com", "pb", via=("eb1",), outbound=True),),
    (Call("alice", "sips:bob@example.com", route=("sip:p1.example.net;lr",), in_dialog=(("caller", "ACK"),
                                                                                        ("callee", "BYE"))),),
)


def test_smt_shaped_scenario_simulates() -> None:
    trace = simulate(SMT_SHAPE, PRESETS["rfc5630"])
    path = [(t.sender, t.receiver, t.transport) for t in trace.transmissions if t.message.method == "INVITE"]
    assert path == [("alice", "p1", "TLS"), ("p1", "pb", "TLS"), ("pb", "eb1", "TLS"), ("eb1", "ua1", "TLS")]
    answers = [t.message.status for t in trace.transmissions
               if t.receiver == "alice" and t.message.status and t.message.cseq().method == "INVITE"]
    assert answers[-1] == 200
    assert any(t.message.method == "BYE" and t.receiver == "alice" for t in trace.transmissions)
    assert trace.observation["bindings"][0]["flow"] == "TLS"
    assert {d["secure"] for d in trace.observation["dialogs"]} == {True}


def test_scripted_choice_that_breaks_a_rule_names_element_choice_point_and_rule() -> None:
    script = (ScriptedChoice("alice", "uac_invite", 0, {"ruri": "sip"}),)
    chooser = ScriptedChooser(script)
    with pytest.raises(ScenarioError, match=r"alice/uac_invite#0.*R-5630-5.1.1-a"):
        simulate(SMT_SHAPE, PRESETS["rfc5630"], chooser)
    allowed = simulate(SMT_SHAPE, PRESETS["rfc3261"], ScriptedChooser(script))
    invite = next(t for t in allowed.transmissions if t.sender == "alice" and t.message.method == "INVITE")
    assert invite.message.request_uri.scheme == "sip"


def test_scripted_transport_missing_on_the_link() -> None:
    script = (ScriptedChoice("eb1", "proxy_forward", 0, {"transport": "TCP"}),)
    with pytest.raises(ScenarioError, match=r"eb1/proxy_forward#0.*not available on the link \(only TLS\)"):
        simulate(SMT_SHAPE, PRESETS["rfc3261"], ScriptedChooser(script))


def test_exhaustive_enumeration_visits_distinct_allowed_runs() -> None:
    tiny = Scenario("tiny", (Element("a", "ua", "a.example.net"), Element("b", "ua", "b.example.com")),
                    (Link("a", "b", ("TCP", "TLS")),), calls=(Call("a", "sips:b@b.example.com"),))
    traces = list(enumerate_traces(tiny, PRESETS["rfc5630"], limit=500))
    assert 1 < len(traces) < 500
    shapes = {tuple((d.choice_point, tuple(sorted(d.options.items()))) for d in t.decisions) for t in traces}
    assert len(shapes) == len(traces)
    for trace in traces:
        for d in trace.decisions:
            assert not d.allowed or violated_rules(d.choice_point, d.features, d.options, PRESETS["rfc5630"]) == []


def test_self_check_catches_a_message_that_disagrees_with_its_options() -> None:
    message = build_request("INVITE", parse_uri("sip:bob@example.com"),
                            [("Via", "SIP/2.0/TLS a.example.net:5061;branch=z9hG4bK1"), ("Contact", "<sips:a@a>")])
    check_request("uac_invite", {"ruri": "sip", "contact": "sips", "transport": "TLS"}, message, "TLS")
    with pytest.raises(ModelDisagreement, match="ruri"):
        check_request("uac_invite", {"ruri": "sips", "contact": "sips", "transport": "TLS"}, message, "TLS")
    with pytest.raises(ModelDisagreement, match="Via says TLS"):
        check_request("uac_invite", {"ruri": "sip", "transport": "TCP"}, message, "TCP")


def test_no_allowed_branch_answers_480_with_380() -> None:
    scenario = Scenario(
        "sip-only", SMT_SHAPE.elements[:3] + (Element("ua1", "ua", "ua1.example.com", tls=False),),
        SMT_SHAPE.links[:2], (Registration("ua1", "bob", "example.com", "pb"),), SMT_SHAPE.calls)
    trace = simulate(scenario, PRESETS["rfc5630"], DefaultChooser())
    final = [t.message for t in trace.transmissions if t.receiver == "alice" and (t.message.status or 0) >= 200]
    assert [(m.status, [w.code for w in m.warnings()]) for m in final] == [(480, [380])]
    into_pb = next(t for t in trace.transmissions if t.receiver == "pb" and t.message.method == "INVITE")
    assert trace.observation["hops"][into_pb.index]["last"]

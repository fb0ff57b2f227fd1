"""A ``transport=udp`` on the URI the next hop is resolved from never asks for UDP under a SIPS Request-URI.

RFC 3261 8.1.2 (a SIPS Request-URI: the next hop is resolved as if its URI were SIPS), 16.6 step 7,
19.1.1 (udp is not a transport of a SIPS URI), RFC 3263 4.1 (the parameter is used): SIPS-RULES.md
R-3263-4.1-a reads "udp means UDP" for a sip Request-URI only, at every client (uac_invite,
proxy_forward, send_in_dialog; one template in rules/table.py). The run below is the one that showed
the old reading: pb Record-Routes ``sip:pb;lr;transport=udp`` for a sips call, so the caller's ACK and
BYE (Request-URI bob's sips Contact) are resolved from a Route value naming udp.
"""

from __future__ import annotations

from smt_concrete import (
    Device,
    TemplateParams,
    decision_constraints,
    params_scenario,
    scenario_constraints,
    smt_observation,
)
from smt_support import encoding, first_difference

from sipsmodel.model.scenario import ScriptedChoice
from sipsmodel.props import evaluate_property, load_properties
from sipsmodel.rules.engine import allowed_options
from sipsmodel.rules.sets import PRESETS
from sipsmodel.sim import simulate
from sipsmodel.sim.choosers import ScriptedChooser

#: the UAC of the in-dialog request, a SIPS remote target, the first Route value sip naming udp; its dialog
#: is secure (12.1.2: the INVITE's first hop TLS, its Request-URI sips), which no preset's default reads (F-1/b)
_STATE = {"proxy": False, "ruri": "sips", "next": "sip", "next_tp": "UDP", "tls": True, "next_tls": True,
          "flow": "none", "malicious": False, "dialog_secure": True}
_SCRIPT = [ScriptedChoice("alice", "uac_invite", 0, {"ruri": "sips", "contact": "sips", "transport": "TLS"}),
           ScriptedChoice("pb", "proxy_forward", 0, {"rr": "single", "rr_out": "sip", "rr_tp": "UDP",
                                                      "transport": "TLS"}),
           ScriptedChoice("bob1", "uas_answer", 0, {"status": 200, "contact": "sips", "contact_tp": "none"})]


def test_the_rule_asks_for_udp_under_a_sip_request_uri_only() -> None:
    """Under every preset the SIPS state leaves secure transports only (it left UDP alone, or nothing where a
    TLS rule bound too); the same state with a sip Request-URI still means UDP (RFC 3263 4.1)."""
    for name, rules in sorted(PRESETS.items()):
        sips = allowed_options("send_in_dialog", _STATE, rules)
        assert sips and all(o["transport"] != "UDP" for o in sips), name
        sip = allowed_options("send_in_dialog", _STATE | {"ruri": "sip", "next": "sip"}, rules)
        # dean-bcp's best-effort TLS (DEAN-1) contradicts RFC 3263 4.1 there: nothing is left (decide's conflict)
        assert [o["transport"] for o in sip] == ([] if name == "dean-bcp" else ["UDP"]), name


def test_a_udp_record_route_value_under_a_sips_dialog_is_followed_over_tls_in_both_engines() -> None:
    params = TemplateParams(chain=0, target="sips", devices=(Device(want_sips=True),))
    rule_set = PRESETS["rfc3261"]
    active = tuple(r.id for r in rule_set.active)
    enc = encoding(3)
    trace = simulate(params_scenario(enc, params, active), rule_set, ScriptedChooser(_SCRIPT))
    sends = [d for d in trace.decisions if d.choice_point == "send_in_dialog" and d.element == "alice"]
    assert sends and all(d.features["next_tp"] == "UDP" and d.features["ruri"] == "sips" for d in sends)
    assert all(d.options is not None and d.options["transport"] == "TLS" for d in sends)  # before: no option
    sent = [(t.sender, t.receiver, t.transport, t.message.render()) for t in trace.transmissions]
    in_dialog = [(tp, m) for s, _, tp, m in sent if s == "alice" and m.startswith(("ACK", "BYE"))]
    assert "ACK" in {m.split(" ", 1)[0] for _, m in in_dialog}
    assert all(tp == "TLS" and "Route: <sip:pb.example.com;lr;transport=udp>" in m for tp, m in in_dialog)
    i17 = next(p for p in load_properties() if p.id == "I-17")
    assert evaluate_property(i17, trace.observation).holds
    constraints = scenario_constraints(enc, params) + decision_constraints(enc, trace.decisions,
                                                                           ("next", "next_tp", "rr_tp"))
    observation, _ = smt_observation(enc, constraints, active)
    assert observation is not None, "the SMT has no model of the simulator's run"
    assert first_difference(trace.observation, observation) is None  # type: ignore[arg-type]

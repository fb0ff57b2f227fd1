"""A stateful test interleaving REGISTER, refresh, removal, INVITE, re-INVITE and BYE (RFC 3261 10.3, 12.2)."""

from __future__ import annotations

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from sipsmodel.model.scenario import Call, Element, Link, Registration, Scenario
from sipsmodel.model.trace import check_observation
from sipsmodel.rules import PRESETS, violated_rules
from sipsmodel.sim import DefaultChooser, Simulation

ELEMENTS = (
    Element("alice", "ua", "alice-1.example.net"),
    Element("pb", "proxy", "pb.example.com", responsible_for=("example.com",), registrar=True),
    Element("eb", "proxy", "eb.example.com", edge=True),
    Element("phone", "ua", "phone.example.com"),
    Element("pc", "ua", "pc.example.com", tls=False, want_sips=False, sips_ok=False),
)
LINKS = (Link("eb", "pc", ("TCP",)),)
TOPOLOGY = Scenario("stateful", ELEMENTS, LINKS)
CONTACT_SCHEME = {"phone": "sips", "pc": "sip"}


class Interleaving(RuleBasedStateMachine):
    """Registrations and calls in any order; the bindings follow a reference model of RFC 3261 10.3."""

    def __init__(self) -> None:
        super().__init__()
        self.rules = PRESETS["rfc5630"]
        self.run = Simulation(TOPOLOGY, self.rules, DefaultChooser())
        self.bound: set[str] = set()
        self.calls = 0

    @rule(ua=st.sampled_from(("phone", "pc")), edge=st.booleans(), refresh=st.booleans())
    def register(self, ua: str, edge: bool, refresh: bool) -> None:
        self.run.register(Registration(ua, "bob", "example.com", "pb", via=("eb",) if edge else (),
                                       outbound=edge, expires=1800 if refresh else None))
        self.bound.add(ua)

    @rule(ua=st.sampled_from(("phone", "pc")))
    def remove(self, ua: str) -> None:
        self.run.register(Registration(ua, "bob", "example.com", "pb", expires=0))
        self.bound.discard(ua)

    @rule(scheme=st.sampled_from(("sip", "sips")),
          later=st.lists(st.tuples(st.sampled_from(("caller", "callee")), st.sampled_from(("INVITE", "BYE"))),
                         max_size=3))
    def call(self, scheme: str, later: list[tuple[str, str]]) -> None:
        start = len(self.run.state.transmissions)
        self.run.call(Call("alice", f"{scheme}:bob@example.com", in_dialog=(("caller", "ACK"), *later)))
        self.calls += 1
        trace = self.run.trace()
        mine = [h for h in trace.observation["hops"][start:] if h["call"] == self.calls - 1]
        finals = [h["status"] for h in mine if h["receiver"] == "ua" and h["method"] == "INVITE" and h["initial"]
                  and h["status"] >= 200 and h["kind"] == "response" and trace.transmissions[h["index"]].receiver
                  == "alice"]
        reachable = self.bound if scheme == "sip" else {ua for ua in self.bound if CONTACT_SCHEME[ua] == "sips"}
        assert finals, "alice got no final response"
        assert (finals[-1] == 200) == bool(reachable), (finals, reachable)
        if finals[-1] == 200:
            in_dialog = [h for h in mine if not h["initial"] and h["kind"] == "response"
                         and h["method"] in ("BYE", "INVITE")]
            assert all(h["status"] == 200 for h in in_dialog)

    @invariant()
    def bindings_follow_the_reference(self) -> None:
        trace = self.run.trace()
        contacts = sorted(b["contact"] for b in trace.observation["bindings"])
        assert contacts == sorted(CONTACT_SCHEME[ua] for ua in self.bound)

    @invariant()
    def every_decision_is_allowed(self) -> None:
        trace = self.run.trace()
        check_observation(trace.observation)
        for decision in trace.decisions:
            if decision.allowed:
                assert violated_rules(decision.choice_point, decision.features, decision.options, self.rules) == []


TestInterleaving = Interleaving.TestCase
TestInterleaving.settings = settings(max_examples=30, stateful_step_count=8, deadline=None)

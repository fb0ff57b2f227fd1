"""A second 2xx for one INVITE at the UAC (RFC 3261 13.2.2.4): ACK it, then end that dialog with BYE.

In a run a second 2xx cannot happen: the UASs answer one at a time, and the proxy that forwards the
first 2xx cancels every other branch at once (16.7 step 10), so every other UAS has the CANCEL
before its turn and answers 487. The first two tests show that. The others recreate the race the
RFC has in mind by letting the second UAS answer its INVITE although the CANCEL already reached it
(as if its 200 had left first), which drives the UAC's ``on_response`` with a real second 2xx.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sim_helpers import Row, check_flow

from sipsmodel.model.scenario import Call, Element, Registration, Scenario
from sipsmodel.model.trace import Transmission
from sipsmodel.rules import PRESETS
from sipsmodel.sim import HypothesisChooser, Simulation, simulate
from sipsmodel.sim.dialog import run_in_dialog
from sipsmodel.sim.state import CallCtx, SimState
from sipsmodel.sim.ua import answer, on_response, send_invite
from sipsmodel.sim.wire import sip_uri
from sipsmodel.strategies import scenarios

FORK = Scenario(
    "fork",
    (
        Element("alice", "ua", "alice.example.net"),
        Element("pb", "proxy", "pb.example.com", responsible_for=("example.com",), registrar=True),
        Element("ua1", "ua", "ua1.example.com", tag="one"),
        Element("ua2", "ua", "ua2.example.com", tag="two"),
    ),
    (),
    (Registration("ua1", "bob", "example.com", "pb"), Registration("ua2", "bob", "example.com", "pb")),
    (Call("alice", "sips:bob@example.com", in_dialog=(("caller", "ACK"), ("caller", "BYE"))),),
)


def _labels(items: Sequence[Transmission]) -> list[tuple[str, str, str]]:
    return [(t.sender, t.receiver, t.label) for t in items]


def test_in_a_run_the_other_branch_is_cancelled_before_it_answers() -> None:
    trace = simulate(FORK, PRESETS["rfc3261"])
    assert _labels(trace.transmissions[4:15]) == [
        ("alice", "pb", "INVITE"), ("pb", "alice", "100 Trying"),
        ("pb", "ua1", "INVITE"), ("pb", "ua2", "INVITE"),  # both branches before any answer
        ("ua1", "pb", "200 OK"), ("pb", "alice", "200 OK"),
        ("alice", "pb", "ACK"), ("pb", "ua1", "ACK"),
        ("pb", "ua2", "CANCEL"), ("ua2", "pb", "200 OK"),  # ua2 has not answered yet: the CANCEL wins
        ("ua2", "pb", "487 Request Terminated"),
    ]  # fmt: skip
    to_alice = [t.message for t in trace.transmissions if t.receiver == "alice" and t.message.status == 200
                and t.message.cseq().method == "INVITE"]  # fmt: skip
    assert [m.to().tag for m in to_alice if m.to()] == ["one"]
    assert [(d["role"], d["call"]) for d in trace.observation["dialogs"]] == [("uas", 0), ("uac", 0)]
    assert not [n for n in trace.notes if "second 2xx" in n]


def test_the_200_to_cancel_carries_the_tag_of_the_invite_response() -> None:
    """RFC 3261 9.2: the UAS answers the CANCEL with the To tag it gives the INVITE's response."""
    trace = simulate(FORK, PRESETS["rfc3261"])
    from_ua2 = [t.message for t in trace.transmissions if t.sender == "ua2" and t.message.status in (200, 487)]
    assert [(m.status, m.cseq().method, m.to().tag) for m in from_ua2 if m.cseq() and m.to()] == [
        (200, "CANCEL", "two"), (487, "INVITE", "two")]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.sampled_from(sorted(PRESETS)))
def test_random_runs_never_deliver_a_second_2xx(data: st.DataObject, rules: str) -> None:
    """Random topologies (forking, edge proxies, redirects, retries), UAs that never answer mixed in."""
    scenario = data.draw(scenarios(max_elements=12))
    silent = {e.name for e in scenario.elements if e.role == "ua" and e.name != "alice" and data.draw(st.booleans())}
    scenario = replace(scenario, elements=tuple(replace(e, answers=e.name not in silent) for e in scenario.elements))
    trace = simulate(scenario, PRESETS[rules], HypothesisChooser(data))
    tags: dict[int, set[str | None]] = {}
    for item, hop in zip(trace.transmissions, trace.observation["hops"], strict=True):
        message = item.message
        if item.receiver == "alice" and message.status is not None and 200 <= message.status < 300 \
                and hop["method"] == "INVITE" and hop["initial"]:
            to = message.to()
            tags.setdefault(int(hop["request"]), set()).add(to.tag if to else None)
    assert all(len(found) == 1 for found in tags.values()), tags
    assert not [n for n in trace.notes if "second 2xx" in n]


def _race() -> tuple[Simulation, CallCtx, int]:
    """Run FORK up to ua1's 200 and pb's CANCEL to ua2, then let ua2 answer 200 all the same."""
    sim = Simulation(FORK, PRESETS["rfc3261"])
    for registration in FORK.registrations:
        sim.register(registration)
    state: SimState = sim.state
    call = FORK.calls[0]
    ctx = CallCtx(0, call, "alice", "call0@alice.example.net", 1, "alice1")
    state.call_ctx = ctx
    send_invite(state, ctx, sip_uri(call.target))
    first, second = state.pending
    assert (first.element, second.element) == ("ua1", "ua2")
    state.pending.clear()
    answer(state, first)
    assert second.cancelled and not second.final_sent  # the CANCEL reached ua2 before its turn
    start = len(state.transmissions)
    answer(state, second)  # its 200 had left before the CANCEL arrived (RFC 3261 9.2: the CANCEL has no effect)
    return sim, ctx, start


def test_a_second_2xx_is_acknowledged_and_its_dialog_ended_with_bye() -> None:
    sim, ctx, start = _race()
    trace = sim.trace()
    check_flow(trace, [
        ("200 ua2", Row("ua2", "pb", "200", tp="TLS", rr=["sips:pb.example.com;lr"],
                        contact="sips:bob@ua2.example.com")),
        # pb forwards every 2xx, even after its final response (RFC 3261 16.7 step 10)
        ("200 to alice", Row("pb", "alice", "200", tp="TLS", rr=["sips:pb.example.com;lr"])),
        # the second dialog's route set is [sips:pb;lr], its remote target ua2's Contact
        ("ACK", Row("alice", "pb", "ACK", "sips:bob@ua2.example.com", "TLS", ["sips:pb.example.com;lr"])),
        ("ACK fwd", Row("pb", "ua2", "ACK", "sips:bob@ua2.example.com", "TLS", [])),
        ("BYE", Row("alice", "pb", "BYE", "sips:bob@ua2.example.com", "TLS", ["sips:pb.example.com;lr"])),
        ("BYE fwd", Row("pb", "ua2", "BYE", "sips:bob@ua2.example.com", "TLS", [])),
        ("200 BYE", Row("ua2", "pb", "200", tp="TLS")),
        ("200 BYE fwd", Row("pb", "alice", "200", tp="TLS")),
    ], start=start)  # fmt: skip
    assert len(trace.transmissions) == start + 8
    sent = trace.transmissions[start + 2:start + 8]
    assert {t.message.to().tag for t in sent if t.message.to()} == {"two"}
    assert [str(t.message.cseq().number) + " " + t.message.cseq().method for t in sent if t.message.is_request] == [
        "1 ACK", "1 ACK", "2 BYE", "2 BYE"]
    assert any("second 2xx for call 0" in n for n in trace.notes)
    # Both dialogs are recorded; the call keeps the first one.
    uac = [d for d in sim.state.dialogs if d.role == "uac"]
    assert [d.remote_uri.tag for d in uac] == ["one", "two"]
    assert ctx.dialog is uac[0]
    assert [(d["role"], d["call"]) for d in trace.observation["dialogs"]] == [
        ("uas", 0), ("uac", 0), ("uas", 0), ("uac", 0)]
    # The call's own BYE then goes to ua1, in the first dialog.
    before = len(sim.state.transmissions)
    run_in_dialog(sim.state, ctx)
    bye = sim.state.transmissions[before]
    assert (bye.sender, bye.receiver, bye.label) == ("alice", "pb", "BYE")
    assert bye.message.request_uri is not None and bye.message.request_uri.render() == "sips:bob@ua1.example.com"
    assert bye.message.to() is not None and bye.message.to().tag == "one"  # type: ignore[union-attr]


def test_a_retransmitted_2xx_is_acknowledged_again_without_bye() -> None:
    sim, ctx, _ = _race()
    state = sim.state
    first_ok = next(t.message for t in state.transmissions
                    if t.receiver == "alice" and t.message.status == 200 and t.message.to() is not None
                    and t.message.to().tag == "one")  # type: ignore[union-attr]  # fmt: skip
    before, dialogs = len(state.transmissions), len(state.dialogs)
    on_response(state, ctx.invites[0], first_ok)
    assert _labels(state.transmissions[before:]) == [("alice", "pb", "ACK"), ("pb", "ua1", "ACK")]
    assert len(state.dialogs) == dialogs
    assert state.notes[-1] == "alice: the 2xx of call 0 again; acknowledged again"

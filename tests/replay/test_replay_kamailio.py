"""Replaying counterexamples against a real Kamailio on loopback (issue 12, item 3).

Kamailio runs tests/trace/kamailio/kamailio.cfg (stock-style: save, lookup, t_relay; started and stopped by
tests/trace/kamailio_harness.py) or tests/replay/kamailio/refuse-sips-downgrade.cfg (the same plus a 480 with
Warning 380 when a sips: request would be retargeted to a sip: Contact). The tests assert what the proxy really
did, read from what the user agents received and from Kamailio's own sipdump.

The prover's counterexamples: under rfc3261 as check reads it (SHOULD binding) the I-1 / I-2 downgrade needs a
proxy that rewrites a sips: binding to sip:, which Kamailio does not do (it keeps the sips: Contact and uses
TLS). Narrowed to what a stock proxy does (--within stock-proxy) that set proves I-1 and I-2
(tests/smt/test_narrowed.py); with SHOULD optional the narrowed counterexample is a callee that registers a sip:
Contact under its sips: AoR, and Kamailio reproduces that downgrade.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from kamailio_harness import Kamailio, PortTaken
from sipp_harness import SippRunner

from sipsmodel.cli import cli
from sipsmodel.props import load_properties
from sipsmodel.replay import load_flow
from sipsmodel.replay.replay import ReplayOptions, ReplayReport, replay
from sipsmodel.trace import TraceOptions, run_trace

pytestmark = pytest.mark.slow  # a real Kamailio and SIPp (fixtures: tests/realproxy_fixtures.py)

REFUSING = Path(__file__).resolve().parent / "kamailio" / "refuse-sips-downgrade.cfg"
WAIT = 2.0


@pytest.fixture
def stock(kamailio_factory: Callable[..., Kamailio]) -> Kamailio:
    return kamailio_factory("stock")


@pytest.fixture
def refusing(kamailio_factory: Callable[..., Kamailio]) -> Kamailio:
    return kamailio_factory("refusing", REFUSING)


def _replay(path: Path, proxy: Kamailio, prop: str | None = None) -> ReplayReport:
    flow = load_flow(path, prop)
    options = ReplayOptions("127.0.0.1", proxy.sip_port, proxy.tls_port, proxy.folder / "replay", timeout=WAIT)
    return replay(flow, options, load_properties())


def _received(report: ReplayReport, ua: str, method: str) -> list[tuple[str, str]]:
    """(transport, start line) of each ``method`` request the UA received from the proxy."""
    return [(x.transport, x.start_line) for x in report.outcome.exchanges
            if x.ua == ua and not x.sent and x.start_line.startswith(f"{method} ")]


def test_stock_kamailio_exhibits_the_sip_contact_downgrade(stock: Kamailio, downgrade_file: Path) -> None:
    report = _replay(downgrade_file, stock, "I-1")
    assert report.outcome.completed, report.outcome.reason
    invites = _received(report, "bob", "INVITE")
    assert len(invites) == 1 and invites[0][0] == "UDP" and invites[0][1].startswith("INVITE sip:bob@127.0.0.")
    assert report.verdict == "exhibited"
    i1 = [v for v in report.trace.violations if v.property == "I-1"]
    assert len(i1) == 1 and i1[0].where is not None
    assert (i1[0].where.transport, i1[0].where.receiver, i1[0].where.lines[0]) == ("UDP", "bob", invites[0][1])
    # Kamailio's own sipdump of the same run says the same: I-1 at the INVITE it sent to bob over UDP
    stock.wait_for_records(len(load_flow(downgrade_file).hops))
    dumped = run_trace(TraceOptions([stock.sipdump_text()], load_properties(), [], ladders=False))
    at = [v.where for v in dumped.violations if v.property == "I-1"]
    assert len(at) == 1 and at[0] is not None
    assert (at[0].transport, at[0].lines[0]) == ("UDP", invites[0][1])


def test_refusing_kamailio_answers_480_at_the_retargeting_step(refusing: Kamailio, downgrade_file: Path) -> None:
    report = _replay(downgrade_file, refusing, "I-1")
    flow = load_flow(downgrade_file)
    assert report.verdict == "not exhibited"
    stopped = report.outcome.stopped_at
    assert stopped is not None and (stopped.sender, stopped.receiver, stopped.message.method) == ("pb", "bob", "INVITE")
    assert stopped.index == next(h.index for h in flow.hops if h.sender == "pb" and h.message.method == "INVITE")
    assert [(a.ua, a.start_line) for a in report.outcome.answers] == [("alice", "SIP/2.0 480 Temporarily Unavailable")]
    assert report.outcome.answers[0].header("Warning") == '380 example.test "SIPS Not Allowed"'
    assert _received(report, "bob", "INVITE") == []
    assert "I-1" not in report.found and report.new == []
    acks = [x for x in report.outcome.exchanges if x.ua == "alice" and x.sent and x.start_line.startswith("ACK ")]
    assert len(acks) == 1  # alice acknowledged the 480


@pytest.mark.parametrize("prop", ["I-1", "I-2"])
def test_prover_counterexamples_meet_a_proxy_that_keeps_the_sips_contact(stock: Kamailio,
                                                                         check_files: dict[str, Path],
                                                                         prop: str) -> None:
    """The prover's smallest counterexample under rfc3261 has the callee register a sips: Contact and pb
    rewrite the Request-URI to sip: on a non-TLS last hop. Kamailio keeps the registered sips: Contact and
    reaches it over TLS: the downgrade of the counterexample is not what this proxy does."""
    report = _replay(check_files[prop], stock)
    flow = load_flow(check_files[prop])
    callee = flow.hops[flow.violation].receiver
    assert report.outcome.completed, report.outcome.reason
    invites = _received(report, callee, "INVITE")
    assert len(invites) == 1 and invites[0][0] == "TLS" and invites[0][1].startswith("INVITE sips:bob@127.0.0.")
    assert prop in report.in_model and prop not in report.found
    assert report.verdict != "exhibited"


def test_replay_command_against_kamailio(stock: Kamailio, downgrade_file: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, [
        "replay", str(downgrade_file), "--property", "I-1", "--proxy", f"127.0.0.1:{stock.sip_port}",
        "--tls-port", str(stock.tls_port), "--timeout", str(WAIT), "-o", str(tmp_path / "out"), "--format", "json",
        "--sipdump", str(stock.folder)])
    assert result.exit_code == 1, result.output
    data = json.loads(result.output)
    assert (data["verdict"], data["completed"], data["property"]) == ("exhibited", True, "I-1")
    assert data["checked"] == [str(stock.sipdump_text())]  # Kamailio's own record of the run was checked
    assert any(v["property"] == "I-1" and v["transport"] == "UDP" and v["start_line"].startswith("INVITE sip:bob@")
               for v in data["violations"])
    assert (tmp_path / "out" / "replay-uas.sipdump").exists()


def test_exported_sipp_scenarios_play_the_downgrade_through_kamailio(stock: Kamailio, downgrade_file: Path,
                                                                     tmp_path: Path, sipp_tool: SippRunner) -> None:
    """bob's register and uas scenarios over UDP, alice's uac scenario over TCP (Debian's SIPp is built without
    TLS, so -t l1 is not available): SIPp follows the dialog through the real proxy's Record-Route."""
    folder = tmp_path / "sipp"
    assert CliRunner().invoke(cli, ["export", str(downgrade_file), "--to", "sipp", "-o", str(folder)]).exit_code == 0
    for _ in range(5):  # bob registers the port SIPp then serves on; if another process takes it in between, again
        register, bob_port = sipp_tool.play(folder / "bob-register.xml", "u1", "127.0.0.10", stock.udp)
        assert register.returncode == 0, register.stderr
        try:
            with sipp_tool.background(folder / "bob-uas.xml", "u1", "127.0.0.10", bob_port) as (callee, _):
                caller, _ = sipp_tool.play(folder / "alice-uac.xml", "t1", "127.0.0.12", stock.udp)
                assert caller.returncode == 0, caller.stderr
                assert callee.wait(timeout=30) == 0
            break
        except PortTaken:
            continue
    else:
        raise AssertionError("SIPp could not keep bob's registered port five times")
    bob, alice = sipp_tool.messages(folder, "bob-uas"), sipp_tool.messages(folder, "alice-uac")
    assert f"INVITE sip:bob@127.0.0.10:{bob_port} SIP/2.0" in bob  # retargeted to the sip: Contact, over UDP
    assert "UDP message received" in bob and "TCP message sent" in alice
    record_route = re.search(r"^Record-Route: (.+)$", alice, re.MULTILINE)
    assert record_route is not None
    routes = [r.strip() for r in record_route.group(1).split(",")]
    for method in ("ACK", "BYE"):  # [next_url] and [routes]: the Contact of the 200 and the reversed route set
        request = alice.split(f"\n{method} ", 1)[1].split("\n\n", 1)[0]
        assert request.startswith(f"sip:bob@127.0.0.10:{bob_port} SIP/2.0")
        assert f"Route: {', '.join(reversed(routes))}" in request
    stock.wait_for_records(len(load_flow(downgrade_file).hops))
    dumped = run_trace(TraceOptions([stock.sipdump_text()], load_properties(), [], ladders=False))
    # I-1 at the proxy's INVITE to bob over UDP; and at alice's own INVITE, sent over TCP for want of TLS in SIPp
    assert {(v.where.transport, v.where.lines[0]) for v in dumped.violations if v.property == "I-1" and v.where} == {
        ("UDP", f"INVITE sip:bob@127.0.0.10:{bob_port} SIP/2.0"), ("TCP", "INVITE sips:bob@example.com SIP/2.0")}



@pytest.mark.parametrize("prop", ["I-1", "I-2"])
def test_narrowed_prover_counterexamples_reproduce_on_stock_kamailio(stock: Kamailio,
                                                                     narrowed_files: dict[str, Path],
                                                                     prop: str) -> None:
    """The prover's counterexample under rfc3261 (SHOULD optional) narrowed to a stock proxy (--within
    stock-proxy): the callee registers a sip: Contact under its sips: AoR, the proxy retargets the sips: INVITE
    to it. Kamailio does exactly that: the callee receives a sip: INVITE over UDP, and the trace checker finds
    the counterexample's property violated at that very message, in the UAs' recording and in Kamailio's own
    sipdump."""
    flow = load_flow(narrowed_files[prop])
    assert flow.rules == "rfc3261-should-optional-within-stock-proxy" and flow.violation is not None
    model_hop = flow.hops[flow.violation]
    callee = model_hop.receiver
    assert (flow.element(model_hop.sender).is_ua, model_hop.message.method) == (False, "INVITE")
    assert model_hop.message.request_uri is not None and model_hop.message.request_uri.scheme == "sip"
    registered = next(h for h in flow.hops if h.sender == callee and h.message.method == "REGISTER")
    assert registered.message.contacts()[0].uri.scheme == "sip"  # type: ignore[index]
    assert registered.message.to().uri.scheme == "sips"  # type: ignore[union-attr]
    report = _replay(narrowed_files[prop], stock)
    assert report.outcome.completed, report.outcome.reason
    sent = [x.start_line for x in report.outcome.exchanges if x.ua != callee and x.sent and "INVITE" in x.start_line]
    assert sent == ["INVITE sips:bob@example.com SIP/2.0"]  # the caller asked for sips:
    invites = _received(report, callee, "INVITE")
    assert len(invites) == 1 and invites[0][0] == "UDP" and invites[0][1].startswith("INVITE sip:bob@127.0.0.")
    assert report.verdict == "exhibited" and prop in report.found and prop in report.in_model
    at = [v.where for v in report.trace.violations if v.property == prop]
    assert len(at) == 1 and at[0] is not None
    assert (at[0].receiver, at[0].transport, at[0].lines[0]) == (callee, "UDP", invites[0][1])
    stock.wait_for_records(len(report.outcome.exchanges))
    dumped = run_trace(TraceOptions([stock.sipdump_text()], load_properties(), [], ladders=False))
    seen = [v.where for v in dumped.violations if v.property == prop]
    assert len(seen) == 1 and seen[0] is not None
    assert (seen[0].transport, seen[0].lines[0]) == ("UDP", invites[0][1])  # Kamailio's own record agrees

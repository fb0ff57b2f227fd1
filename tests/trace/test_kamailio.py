"""A real Kamailio (Debian's package) on loopback: what it did, read back from its own traces.

The proxy runs tests/trace/kamailio/kamailio.cfg (a stock-style registrar and proxy: save, lookup,
t_relay, Record-Route) and writes sipdump text and pcap. User agents are sipsmodel.replay.agent
over TLS and UDP. Each test asserts exactly which properties ``sipsmodel trace`` finds violated, at
which record, by which element, and that the sipdump text and the sipdump pcap of the run agree.
"""

from __future__ import annotations

import json
from pathlib import Path

import kamailio_flows as flows
import pytest
from click.testing import CliRunner
from kamailio_harness import Capture, Kamailio, free_port, tls_contexts

from sipsmodel.cli import cli
from sipsmodel.replay.agent import Agent

pytestmark = pytest.mark.slow  # a real Kamailio (fixture ``kamailio``: tests/realproxy_fixtures.py)


def agent(proxy: Kamailio, transport: str, user: str, port: int = 0) -> Agent:
    server, client = tls_contexts(proxy.cert, proxy.key, proxy.folder / "keys.log")
    return Agent(transport, port=port, user=user, server_context=server, client_context=client)


def trace_json(*paths: Path) -> tuple[int, dict[str, object]]:
    result = CliRunner().invoke(cli, ["trace", "--format", "json", *map(str, paths)])
    return result.exit_code, json.loads(result.output)


def findings(report: dict[str, object]) -> set[tuple[str, str, str]]:
    """(property, start line of the offending message, transport): comparable across capture formats."""
    found = set()
    for v in report["violations"]:  # type: ignore[attr-defined]
        where = v["transmission"]
        found.add((v["property"], where["lines"][0] if where else "", where["transport"] if where else ""))
    return found


def first_violations(report: dict[str, object]) -> dict[str, dict[str, object]]:
    """The first violation of each property, by property."""
    found: dict[str, dict[str, object]] = {}
    for v in report["violations"]:  # type: ignore[attr-defined]
        found.setdefault(v["property"], v)
    return found


def proxy_name(proxy: Kamailio) -> str:
    """Kamailio's two sockets are one element, named by its lowest address."""
    return f"127.0.0.1:{min(proxy.sip_port, proxy.tls_port)}"


def run_flow(proxy: Kamailio, caller_transport: str, callee_transport: str, target: str,
             ports: tuple[int, int] = (0, 0)) -> None:  # fmt: skip
    """Bob registers, alice calls ``target`` through the proxy; wait until sipdump has written it all."""
    with agent(proxy, caller_transport, "alice", ports[0]) as alice, \
            agent(proxy, callee_transport, "bob", ports[1]) as bob:
        scheme = "sips" if callee_transport == "TLS" else "sip"
        flows.register(bob, proxy.tls if callee_transport == "TLS" else proxy.udp, f"{scheme}:bob@example.test")
        flows.call(alice, bob, proxy.tls if caller_transport == "TLS" else proxy.udp, target)
    proxy.wait_for_records(flows.MESSAGES_PER_CALL + 2)


def test_clean_all_tls_sips_call(kamailio: Kamailio) -> None:
    run_flow(kamailio, "TLS", "TLS", "sips:bob@example.test")
    code, report = trace_json(kamailio.sipdump_text())
    assert report["records"] == 13
    assert report["inputs"][0]["problems"] == []  # type: ignore[index]
    # Every hop is TLS and every URI sips: no SIPS property is violated but one. Stock Kamailio writes
    # transport=tls into its sips Record-Route (RFC 5630 5.1.1 and draft-04 7: never generated), first
    # on the INVITE it relays (record 5), then on every message that copies that value into a Route.
    violations = report["violations"]
    assert code == 1
    assert {v["property"] for v in violations} == {"I-16"}  # type: ignore[attr-defined]
    first = violations[0]  # type: ignore[index]
    assert (first["record"], first["element"]) == (5, f"127.0.0.1:{kamailio.tls_port}")  # one socket used
    for v in violations:  # type: ignore[attr-defined]
        assert any("Route:" in line and "transport=tls" in line for line in v["transmission"]["lines"])


def test_sips_request_downgraded_to_udp_contact(kamailio: Kamailio) -> None:
    run_flow(kamailio, "TLS", "UDP", "sips:bob@example.test")
    code, report = trace_json(kamailio.sipdump_text())
    assert code == 1
    by_property = first_violations(report)
    # The real downgrade: Kamailio retargets sips:bob to the registered sip: Contact and sends the INVITE
    # over UDP (RFC 3261 26.4.4 allows the retarget; I-1 end to end, I-2 no downgrade by forwarders).
    for prop in ("I-1", "I-2"):
        found = by_property[prop]
        assert found["transmission"]["lines"][0].startswith("INVITE sip:bob@127.0.0.1:")
        assert found["transmission"]["transport"] == "UDP"
        assert found["transmission"]["src"] == f"127.0.0.1:{kamailio.sip_port}"
        assert found["element"] == found["transmission"]["from"] == proxy_name(kamailio)
    assert by_property["I-1"]["record"] == by_property["I-2"]["record"]
    assert by_property["I-2"]["rules"] == ["R-3261-26.4.4-a", "R-3261-16.7-4a", "R-04-4-c", "R-5630-5.3-a"]
    # Exactly what happened: I-4b, the caller's dialog is marked secure (TLS, sips) although a hop was
    # UDP; I-6, the callee answered with a sip Contact although the top Record-Route it received was
    # sips (Kamailio writes sips Record-Route values for a sips request even toward UDP); I-16, Kamailio's
    # transport=tls Record-Route value.
    assert set(by_property) == {"I-1", "I-2", "I-4b", "I-6", "I-16"}
    assert by_property["I-6"]["element"] == by_property["I-2"]["transmission"]["to"]


def test_sips_request_arriving_over_udp(kamailio: Kamailio) -> None:
    run_flow(kamailio, "UDP", "TLS", "sips:bob@example.test")
    code, report = trace_json(kamailio.sipdump_text())
    assert code == 1
    by_property = first_violations(report)
    for prop in ("I-1b", "I-17"):
        found = by_property[prop]
        assert found["transmission"]["lines"][0] == "INVITE sips:bob@example.test SIP/2.0"
        assert found["transmission"]["transport"] == "UDP"
        assert found["transmission"]["dst"] == f"127.0.0.1:{kamailio.sip_port}"
        assert found["transmission"]["to"] == proxy_name(kamailio)
        assert found["record"] == 3  # after the REGISTER and its 200
    # Exactly what happened: the caller sent sips over UDP (I-1, I-1b, I-17, on its INVITE and again on
    # its ACK and BYE); the callee's dialog is marked secure though the first hop was UDP (I-4); the
    # callee got a sips Request-URI with the caller's sip Contact (I-5); the sips-registered Contact was
    # reached by the caller's ACK over UDP (I-10); Kamailio's transport=tls Record-Route (I-16).
    assert set(by_property) == {"I-1", "I-1b", "I-4", "I-5", "I-10", "I-16", "I-17"}
    assert by_property["I-10"]["transmission"]["lines"][0].startswith("ACK sips:bob@127.0.0.1:")


@pytest.mark.parametrize("callee", ["TLS", "UDP"])
def test_sipdump_pcap_and_text_give_the_same_findings(kamailio: Kamailio, callee: str) -> None:
    run_flow(kamailio, "TLS", callee, "sips:bob@example.test")
    _, text = trace_json(kamailio.sipdump_text())
    _, pcap = trace_json(kamailio.sipdump_pcap())
    assert pcap["inputs"][0]["format"] == "pcap"  # type: ignore[index]
    assert pcap["records"] == text["records"] == 13
    assert findings(pcap) == findings(text)
    assert {u["property"] for u in pcap["undecided"]} == {u["property"] for u in text["undecided"]}  # type: ignore[attr-defined]


@pytest.mark.parametrize("callee", ["TLS", "UDP"])
def test_loopback_capture_with_key_log_gives_the_same_findings(kamailio: Kamailio, callee: str) -> None:
    """dumpcap on lo while the call runs; tshark decrypts TLS with the agents' key log."""
    ports = (free_port(), free_port())
    capture = Capture(kamailio.folder / "wire.pcapng", (kamailio.sip_port, kamailio.tls_port, *ports))
    try:
        capture.start()
        run_flow(kamailio, "TLS", callee, "sips:bob@example.test", ports)
    finally:
        capture.stop()
    _, text = trace_json(kamailio.sipdump_text())
    result = CliRunner().invoke(cli, ["trace", "--format", "json", "--keylog", str(kamailio.folder / "keys.log"),
                                      str(capture.path)])
    wire = json.loads(result.output)
    assert wire["inputs"][0]["problems"] == []
    assert wire["records"] == 13
    assert findings(wire) == findings(text)
    assert all(v["frame"] for v in wire["violations"])  # a pcap names the frame of each finding
    without_keys = CliRunner().invoke(cli, ["trace", "--format", "json", str(capture.path)])
    problems = json.loads(without_keys.output)["inputs"][0]["problems"]
    assert any("not decrypted" in p["why"] for p in problems)
    wrong = kamailio.folder / "empty-keys.log"
    wrong.write_text("")
    wrong_keys = CliRunner().invoke(cli, ["trace", "--format", "json", "--keylog", str(wrong), str(capture.path)])
    problems = json.loads(wrong_keys.output)["inputs"][0]["problems"]
    assert any("no SIP message could be decrypted" in p["why"] for p in problems)

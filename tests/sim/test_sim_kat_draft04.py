"""Known-answer tests: draft-04 section 9 registration, 9.1, 9.2 and the section 4.2 figures (SIPS-RULES.md D.1-D.4)."""

from __future__ import annotations

from dataclasses import replace

from sim_helpers import Row, check_flow, run, uris

from sipsmodel.model.loader import load_scenario
from sipsmodel.rules import load_rule_set, preset, violated_rules
from sipsmodel.sim import DefaultChooser, simulate

PC, PHONE = "sip:bob@bobpc.example.com", "sips:bob@bobphone.example.com"
REG, REGS = "sip:registrar.example.com", "sips:registrar.example.com"
PATH_PC = "sip:laksdyjanseg237+fsdf@proxyb.example.com;lr"
PATH_PHONE = "sips:psodkfsj+34+kkls@proxyb.example.com;lr"
RR_A, RR_B = "KFndf+47KsFH@proxya.example.net;lr", "UJH-hUdvb65@proxyb.example.com;lr"

REGISTRATION = [
    ("F1", Row("pc", "proxyb", "REGISTER", REG, "TCP", ["sip:proxyb.example.com;lr"], [], PC, [], ["TCP"], 70)),
    ("F2", Row("proxyb", "registrar", "REGISTER", REG, "TCP", [], [], PC, [PATH_PC], ["TCP", "TCP"], 69)),
    ("F3", Row("registrar", "proxyb", "200", None, "TCP", [], [], PC, [PATH_PC])),
    ("F4", Row("proxyb", "pc", "200", None, "TCP", [], [], PC, [PATH_PC], ["TCP"])),
    ("F5", Row("phone", "proxyb", "REGISTER", REGS, "TLS", ["sips:proxyb.example.com;lr"], [], PHONE, [], ["TLS"], 70)),
    ("F6", Row("proxyb", "registrar", "REGISTER", REGS, "TLS", [], [], PHONE, [PATH_PHONE], ["TLS", "TLS"], 69)),
    ("F7", Row("registrar", "proxyb", "200", None, "TLS", [], [], None, [PATH_PHONE])),
    ("F8", Row("proxyb", "phone", "200", None, "TLS", [], [], None, [PATH_PHONE], ["TLS"])),
]


def test_registration_reproduces_d2() -> None:
    _, trace = run("draft-04-9-registration.toml")
    check_flow(trace, REGISTRATION)
    f1, f5 = trace.transmissions[0].message, trace.transmissions[4].message
    assert f1.vias()[0].render() == "SIP/2.0/TCP bobspc.example.com:5060;branch=z9hG4bKnashds"
    assert f5.vias()[0].render() == "SIP/2.0/TLS bobphone.example.com:5061;branch=z9hG4bK9555"
    assert f1.to().uri.render() == "sip:bob@example.com" and f5.from_().uri.render() == "sips:bob@example.com"
    assert [c.uri.render() for c in trace.transmissions[6].message.contacts()] == [PC, PHONE]
    bindings = trace.observation["bindings"]
    assert [(b["contact"], b["aor"], b["reg_path"], b["key_scheme"]) for b in bindings] == [
        ("sip", "sip", "sip", False), ("sips", "sips", "sips", False)]


def test_registration_errata_f3_contact_and_status_line() -> None:
    _, trace = run("draft-04-9-registration.toml")
    f3 = trace.transmissions[2].message
    assert [c.uri.render() for c in f3.contacts()] == [PC]  # published: sip:bob@bobphone.example.com
    assert f3.render().startswith("SIP/2.0 200 OK\r\n")  # published: "SIP 2.0 200 OK"


CALL_91 = [
    ("F9", Row("alice", "proxya", "INVITE", "sips:bob@example.com", "TLS", ["sips:proxya.example.net;lr"], [],
               "sips:alice@alice-1.example.net", None, ["TLS"], 70)),
    ("F10", Row("proxya", "alice", "100", None, "TLS", mf=None)),
    ("F11", Row("proxya", "proxyb", "INVITE", "sips:bob@example.com", "TLS", [], [f"sips:{RR_A}"],
                "sips:alice@alice-1.example.net", None, ["TLS", "TLS"], 69)),
    ("F12", Row("proxyb", "proxya", "100", None, "TLS")),
    ("F13", Row("proxyb", "phone", "INVITE", PHONE, "TLS", [], [f"sips:{RR_B}", f"sips:{RR_A}"],
                "sips:alice@alice-1.example.net", None, ["TLS"] * 3, 68)),
    ("F14", Row("phone", "proxyb", "100", None, "TLS")),
    ("F15", Row("phone", "proxyb", "200", None, "TLS", [], [f"sips:{RR_B}", f"sips:{RR_A}"], PHONE)),
    ("F16", Row("proxyb", "proxya", "200", None, "TLS", [], [f"sips:{RR_B}", f"sips:{RR_A}"], PHONE)),
    ("F17", Row("proxya", "alice", "200", None, "TLS", [], [f"sips:{RR_B}", f"sips:{RR_A}"], PHONE)),
    ("F18", Row("alice", "proxya", "ACK", PHONE, "TLS", [f"sips:{RR_A}", f"sips:{RR_B}"], [], None, None, ["TLS"], 70)),
    ("F19", Row("proxya", "proxyb", "ACK", PHONE, "TLS", [f"sips:{RR_B}"], [], None, None, ["TLS"] * 2, 69)),
    ("F20", Row("proxyb", "phone", "ACK", PHONE, "TLS", [], [], None, None, ["TLS"] * 3, 68)),
]


def test_9_1_reproduces_d3() -> None:
    _, trace = run("draft-04-9.1.toml")
    check_flow(trace, REGISTRATION)
    check_flow(trace, CALL_91, start=8)
    assert len(trace.transmissions) == 8 + len(CALL_91)
    assert trace.transmissions[9].message.max_forwards() is None  # F10 erratum: the 100 carries no Max-Forwards
    assert trace.transmissions[17].message.vias()[0].branch == "z9hG4bKksdjf"
    dialogs = {d["role"]: d for d in trace.observation["dialogs"]}
    assert (dialogs["uac"]["secure"], dialogs["uac"]["rset0"], dialogs["uac"]["rtarget"]) == (True, "sips", "sips")
    assert (dialogs["uas"]["secure"], dialogs["uas"]["rset0"], dialogs["uas"]["rtarget"]) == (True, "sips", "sips")


def test_9_1_under_plain_draft04_takes_the_last_hop_exception_to_the_pc() -> None:
    """F-2: draft-04 keeps the last-hop exception, so without its own section 4 example the PC is forked to."""
    _, trace = run("draft-04-9.1.toml", rules="draft-04", chooser=DefaultChooser())
    to_pc = [t for t in trace.transmissions if t.receiver == "pc" and t.message.method == "INVITE"]
    assert [(t.message.request_uri.render(), t.transport) for t in to_pc] == [(PC, "TCP")]


CALL_92 = [
    ("F9", Row("alice", "proxya", "INVITE", "sip:bob@example.com", "TCP", ["sip:proxya.example.net;lr"], [],
               "sip:alice@alice-1.example.net", None, ["TCP"], 70)),
    ("F10", Row("proxya", "alice", "100", None, "TCP")),
    ("F11", Row("proxya", "proxyb", "INVITE", "sip:bob@example.com", "TCP", [], [f"sip:{RR_A}"], None, None, None, 69)),
    ("F12", Row("proxyb", "proxya", "100", None, "TCP")),
    ("F13'", Row("proxyb", "pc", "INVITE", PC, "TCP", [], [f"sip:{RR_B}", f"sip:{RR_A}"],
                 "sip:alice@alice-1.example.net", None, None, 68)),
    ("F14'", Row("pc", "proxyb", "100", None, "TCP")),
    ("F15'", Row("pc", "proxyb", "180", None, "TCP", [], [f"sip:{RR_B}", f"sip:{RR_A}"], PC)),
    ("F16'", Row("proxyb", "proxya", "180", None, "TCP", [], [f"sip:{RR_B}", f"sip:{RR_A}"], PC)),
    ("F17'", Row("proxya", "alice", "180", None, "TCP", [], [f"sip:{RR_B}", f"sip:{RR_A}"], PC)),
    ("F13", Row("proxyb", "phone", "INVITE", PHONE, "TLS", [], [f"sips:{RR_B}", f"sip:{RR_B}", f"sip:{RR_A}"],
                "sip:alice@alice-1.example.net", None, ["TLS", "TCP", "TCP"], 68)),
    ("F14", Row("phone", "proxyb", "100", None, "TLS")),
    ("F15", Row("phone", "proxyb", "200", None, "TLS", [], [f"sips:{RR_B}", f"sip:{RR_B}", f"sip:{RR_A}"], PHONE)),
    ("F16", Row("proxyb", "proxya", "200", None, "TCP", [], [f"sips:{RR_B}", f"sip:{RR_B}", f"sip:{RR_A}"], PHONE)),
    ("F17", Row("proxya", "alice", "200", None, "TCP", [], [f"sips:{RR_B}", f"sip:{RR_B}", f"sip:{RR_A}"], PHONE)),
    ("F18", Row("alice", "proxya", "ACK", PHONE, "TLS", [f"sip:{RR_A}", f"sip:{RR_B}", f"sips:{RR_B}"], [],
                None, None, None, 70)),
    ("F19", Row("proxya", "proxyb", "ACK", PHONE, "TLS", [f"sip:{RR_B}", f"sips:{RR_B}"], [], None, None, None, 69)),
    ("F20", Row("proxyb", "phone", "ACK", PHONE, "TLS", [], [], None, None, None, 68)),
    ("F20'", Row("proxyb", "pc", "CANCEL", PC, "TCP", [], [])),
    ("F21'", Row("pc", "proxyb", "200", None, "TCP")),
    ("F22'", Row("pc", "proxyb", "487", None, "TCP")),
]


def test_9_2_reproduces_d4_with_corrections() -> None:
    _, trace = run("draft-04-9.2.toml")
    check_flow(trace, REGISTRATION)
    check_flow(trace, CALL_92, start=8)
    assert len(trace.transmissions) == 8 + len(CALL_92)
    dialogs = {d["role"]: d for d in trace.observation["dialogs"]}
    assert (dialogs["uac"]["secure"], dialogs["uac"]["rset0"], dialogs["uac"]["rtarget"]) == (False, "sip", "sips")
    assert (dialogs["uas"]["secure"], dialogs["uas"]["rset0"], dialogs["uas"]["rtarget"]) == (True, "sips", "sip")


def test_9_2_errata() -> None:
    _, trace = run("draft-04-9.2.toml")
    hops = trace.transmissions[8:]
    f13_pc = hops[4].message
    assert f13_pc.request_uri.render() == "sip:bob@bobpc.example.com"  # published: sip:bob@bobphone.example.com
    assert [h.message.status for h in hops[6:9]] == [180, 180, 180]  # published status line: 200 OK
    f18, f20c, f22 = hops[14], hops[17].message, hops[19].message
    assert f18.transport == "TLS"  # published: TCP
    assert f18.message.vias()[0].branch != "z9hG4bKprout"  # published: the INVITE's branch
    assert f20c.to().tag is None  # published: tag 5551212
    assert (hops[18].sender, hops[18].receiver) == ("pc", "proxyb")  # published: B -> PC
    assert f22.to().tag == "963258"  # published: no tag
    assert f20c.vias()[0].branch == "z9hG4bKbalouba.2"


def test_9_2_published_tcp_ack_breaks_a_must() -> None:
    """F18 and F19 as published (TCP for a sips: Request-URI) break R-3261-8.1.2-b and R-3261-16.6-7."""
    _, trace = run("draft-04-9.2.toml")
    acks = [d for d in trace.decisions if d.choice_point == "send_in_dialog"]
    rules = load_rule_set("draft-04")
    assert "R-3261-8.1.2-b" in violated_rules("send_in_dialog", acks[0].features, {"transport": "TCP"}, rules)
    assert "R-3261-16.6-7" in violated_rules("send_in_dialog", acks[1].features, {"transport": "TCP"}, rules)


def test_9_2_under_rfc5630_reaches_the_phone_as_sip_over_tls() -> None:
    scenario = load_scenario(SCENARIO_92)
    trace = simulate(scenario, preset("rfc5630"), DefaultChooser())
    to_phone = [t for t in trace.transmissions if t.receiver == "phone" and t.message.method == "INVITE"]
    assert [(t.message.request_uri.render(), t.transport) for t in to_phone] == [
        ("sip:bob@bobphone.example.com", "TLS")]


SCENARIO_92 = __import__("sim_helpers").SCENARIOS / "draft-04-9.2.toml"


def _sips_call_to_sip_only_aor(rules: str) -> list[tuple[str, str, str]]:
    scenario = load_scenario(SCENARIO_92)
    scenario = replace(scenario, registrations=scenario.registrations[:1], script=(),
                       calls=(replace(scenario.calls[0], target="sips:bob@example.com",
                                      route=("sips:proxya.example.net;lr",)),))
    trace = simulate(scenario, preset(rules), DefaultChooser())
    return [(t.receiver, t.message.method or str(t.message.status),
             ",".join(str(w.code) for w in t.message.warnings())) for t in trace.transmissions[4:]]


def test_sips_request_for_sip_only_aor() -> None:
    """draft-04: the last-hop exception reaches the PC; rfc5630: 480 with 380; rfc3261: the key keeps the scheme."""
    assert ("pc", "INVITE", "") in _sips_call_to_sip_only_aor("draft-04")
    literal = _sips_call_to_sip_only_aor("rfc3261")  # F-3: sips:bob@example.com finds no binding under sip:bob
    assert ("pc", "INVITE", "") not in literal and ("alice", "480", "") in literal
    hops = _sips_call_to_sip_only_aor("rfc5630")
    assert ("pc", "INVITE", "") not in hops
    assert ("alice", "480", "380") in hops


def test_rr1_double_record_route() -> None:
    _, trace = run("draft-04-rr1.toml")
    invite = next(t for t in trace.transmissions if t.sender == "p" and t.message.method == "INVITE")
    assert (invite.transport, uris(invite.message.record_routes())) == (
        "TCP", ["sip:p.example.com;lr", "sips:p.example.com;lr"])
    ok = [t for t in trace.transmissions if t.message.status == 200 and t.message.cseq().method == "INVITE"]
    assert all(uris(t.message.record_routes()) == ["sip:p.example.com;lr", "sips:p.example.com;lr"] for t in ok)
    ack = next(t for t in trace.transmissions if t.message.method == "ACK")
    assert uris(ack.message.routes()) == ["sips:p.example.com;lr", "sip:p.example.com;lr"]  # a's route set
    dialogs = {d["role"]: d for d in trace.observation["dialogs"]}
    assert dialogs["uas"]["rset0"] == "sip" and dialogs["uac"]["rset0"] == "sips"


def test_rr2_double_record_route() -> None:
    _, trace = run("draft-04-rr2.toml")
    invite = next(t for t in trace.transmissions if t.sender == "p" and t.message.method == "INVITE")
    assert (invite.transport, uris(invite.message.record_routes())) == (
        "TLS", ["sips:p.example.com;lr", "sip:p.example.com;lr"])
    bye = next(t for t in trace.transmissions if t.message.method == "BYE")
    assert (bye.sender, uris(bye.message.routes())) == ("b", ["sips:p.example.com;lr", "sip:p.example.com;lr"])
    ack = next(t for t in trace.transmissions if t.message.method == "ACK")
    assert uris(ack.message.routes()) == ["sip:p.example.com;lr", "sips:p.example.com;lr"]

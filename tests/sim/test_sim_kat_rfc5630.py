"""Known-answer tests: RFC 5630 section 6.1 to 6.4 (SIPS-RULES.md D.5-D.8), corrected where [ERR] says so."""

from __future__ import annotations

from sim_helpers import Row, check_flow, run

from sipsmodel.rules import preset, violated_rules
from sipsmodel.sim import DefaultChooser

PC, PHONE, PHONE_SIP = "sip:bob@bobpc.example.com", "sips:bob@bobphone.example.com", "sip:bob@bobphone.example.com"
TOKEN_PC, TOKEN_PHONE = "laksdyjanseg237+fsdf+uy623hytIJ8", "psodkfsj+34+kklsL+uJH-Xm816k09Kk"
PATH_PC = f"sip:{TOKEN_PC}@eb.example.com;lr;ob"
PATH_PHONE = f"sips:{TOKEN_PHONE}@eb.example.com;lr;ob"
ALICE_S, ALICE = "sips:alice@alice-1.example.net", "sip:alice@alice-1.example.net"

REGISTRATION = [
    ("F1", Row("pc", "eb", "REGISTER", "sip:pb.example.com", "TCP", ["sip:eb.example.com;lr"], [], PC, [], None, 70)),
    ("F2", Row("eb", "pb", "REGISTER", "sip:pb.example.com", "TCP", [], [], PC, [PATH_PC], None, 69)),
    ("F3", Row("pb", "eb", "200", None, "TCP", [], [], PC, [PATH_PC])),
    ("F4", Row("eb", "pc", "200", None, "TCP", [], [], PC, [PATH_PC])),
    ("F5", Row("phone", "eb", "REGISTER", "sips:pb.example.com", "TLS", ["sips:eb.example.com;lr"], [], PHONE, [],
               None, 70)),
    ("F6", Row("eb", "pb", "REGISTER", "sips:pb.example.com", "TLS", [], [], PHONE, [PATH_PHONE], None, 69)),
    ("F7", Row("pb", "eb", "200", None, "TLS", [], [], None, [PATH_PHONE])),
    ("F8", Row("eb", "phone", "200", None, "TLS", [], [], None, [PATH_PHONE])),
]


def test_6_1_registration() -> None:
    _, trace = run("rfc5630-6.1.toml")
    check_flow(trace, REGISTRATION)
    f1, f3 = trace.transmissions[0].message, trace.transmissions[2].message
    assert f1.header_values("Supported") == ["path", "outbound"]
    assert f1.header_values("Expires") == []
    assert [c.uri.render() for c in f3.contacts()] == [PC]  # published: sip:bob@bobphone.example.com
    assert f3.contacts()[0].param("expires") == "3600"
    assert f3.header_values("Require") == ["outbound"]
    bindings = trace.observation["bindings"]
    assert [(b["contact"], b["flow"], b["reg_path"], b["reg_secure"]) for b in bindings] == [
        ("sip", "TCP", "sip", False), ("sips", "TLS", "sips", True)]


RR_PB, RR_A = "pb.example.com;lr", "proxya.example.net;lr"
RR3_S = [PATH_PHONE, f"sips:{RR_PB}", f"sips:{RR_A}"]

CALL_62 = [
    ("F9", Row("alice", "proxya", "INVITE", "sips:bob@example.com", "TLS", ["sips:proxya.example.net;lr"], [],
               ALICE_S, None, None, 70)),
    ("F10", Row("proxya", "alice", "100", None, "TLS")),
    ("F11", Row("proxya", "pb", "INVITE", "sips:bob@example.com", "TLS", [], [f"sips:{RR_A}"], ALICE_S,
                None, None, 69)),
    ("F12", Row("pb", "proxya", "100", None, "TLS")),
    ("F13", Row("pb", "eb", "INVITE", PHONE, "TLS", [PATH_PHONE], [f"sips:{RR_PB}", f"sips:{RR_A}"], ALICE_S,
                None, None, 68)),
    ("F14", Row("eb", "pb", "100", None, "TLS")),
    ("F15", Row("eb", "phone", "INVITE", PHONE, "TLS", [], RR3_S, ALICE_S, None, ["TLS"] * 4, 67)),
    ("F16", Row("phone", "eb", "180", None, "TLS", [], RR3_S, PHONE)),
    ("F17", Row("eb", "pb", "180", None, "TLS", [], RR3_S, PHONE)),
    ("F18", Row("pb", "proxya", "180", None, "TLS", [], RR3_S, PHONE)),
    ("F19", Row("proxya", "alice", "180", None, "TLS", [], RR3_S, PHONE)),
    ("F20", Row("phone", "eb", "200", None, "TLS", [], RR3_S, PHONE)),
    ("F21", Row("eb", "pb", "200", None, "TLS", [], RR3_S, PHONE)),
    ("F22", Row("pb", "proxya", "200", None, "TLS", [], RR3_S, PHONE)),
    ("F23", Row("proxya", "alice", "200", None, "TLS", [], RR3_S, PHONE)),
    ("F24", Row("alice", "proxya", "ACK", PHONE, "TLS", [f"sips:{RR_A}", f"sips:{RR_PB}", PATH_PHONE], [], None,
                None, None, 70)),
    ("F25", Row("proxya", "pb", "ACK", PHONE, "TLS", [f"sips:{RR_PB}", PATH_PHONE], [], None, None, None, 69)),
    ("F26", Row("pb", "eb", "ACK", PHONE, "TLS", [PATH_PHONE], [], None, None, None, 68)),
    ("F27", Row("eb", "phone", "ACK", PHONE, "TLS", [], [], None, None, None, 67)),
]


def test_6_2_reproduces_d6_with_corrections() -> None:
    _, trace = run("rfc5630-6.2.toml")
    check_flow(trace, REGISTRATION)
    check_flow(trace, CALL_62, start=8)
    assert len(trace.transmissions) == 8 + len(CALL_62)
    f13 = trace.transmissions[12].message
    assert f13.routes()[0].uri.host == "eb.example.com"  # published: edge.example.com
    assert not any(t.receiver == "pc" for t in trace.transmissions[8:])  # only the phone is targeted
    dialogs = {d["role"]: d for d in trace.observation["dialogs"]}
    assert dialogs["uac"]["secure"] and dialogs["uas"]["secure"]


RR3 = [PATH_PC, f"sip:{RR_PB}", f"sip:{RR_A}"]
RR3_PHONE = [f"sip:{TOKEN_PHONE}@eb.example.com;lr;ob", f"sip:{RR_PB}", f"sip:{RR_A}"]
ROUTE_PHONE_SIP = f"sip:{TOKEN_PHONE}@eb.example.com;lr;ob"


def call_63(tp: str, pc_tp: str) -> list[tuple[str, Row]]:
    """D.7 (tp = TCP) and D.8 (tp = TLS; the PC's last hop stays on its TCP flow, F-13)."""
    return [
        ("F9", Row("alice", "proxya", "INVITE", "sip:bob@example.com", tp, ["sip:proxya.example.net;lr"], [], ALICE,
                   None, None, 70)),
        ("F10", Row("proxya", "alice", "100", None, tp)),
        ("F11", Row("proxya", "pb", "INVITE", "sip:bob@example.com", tp, [], [f"sip:{RR_A}"], ALICE, None, None, 69)),
        ("F12", Row("pb", "proxya", "100", None, tp)),
        ("F13'", Row("pb", "eb", "INVITE", PC, tp, [PATH_PC], [f"sip:{RR_PB}", f"sip:{RR_A}"], ALICE, None, None, 68)),
        ("F14'", Row("eb", "pb", "100", None, tp)),
        ("F15'", Row("eb", "pc", "INVITE", PC, pc_tp, [], RR3, ALICE, None, [pc_tp, tp, tp, tp], 67)),
        ("F16'", Row("pc", "eb", "180", None, pc_tp, [], RR3, PC)),
        ("F17'", Row("eb", "pb", "180", None, tp, [], RR3, PC)),
        ("F18'", Row("pb", "proxya", "180", None, tp, [], RR3, PC)),
        ("F19'", Row("proxya", "alice", "180", None, tp, [], RR3, PC)),
        ("F13", Row("pb", "eb", "INVITE", PHONE_SIP, tp, [ROUTE_PHONE_SIP], [f"sip:{RR_PB}", f"sip:{RR_A}"], ALICE,
                    None, None, 68)),
        ("F14", Row("eb", "pb", "100", None, tp)),
        ("F15", Row("eb", "phone", "INVITE", PHONE_SIP, "TLS", [], RR3_PHONE, ALICE, None, ["TLS", tp, tp, tp], 67)),
        ("F16", Row("phone", "eb", "180", None, "TLS", [], RR3_PHONE, PHONE_SIP)),
        ("F17", Row("eb", "pb", "180", None, tp, [], RR3_PHONE, PHONE_SIP)),
        ("F18", Row("pb", "proxya", "180", None, tp, [], RR3_PHONE, PHONE_SIP)),
        ("F19", Row("proxya", "alice", "180", None, tp, [], RR3_PHONE, PHONE_SIP)),
        ("F20", Row("phone", "eb", "200", None, "TLS", [], RR3_PHONE, PHONE_SIP)),
        ("F21", Row("eb", "pb", "200", None, tp, [], RR3_PHONE, PHONE_SIP)),
        ("F22", Row("pb", "proxya", "200", None, tp, [], RR3_PHONE, PHONE_SIP)),
        ("F23", Row("proxya", "alice", "200", None, tp, [], RR3_PHONE, PHONE_SIP)),
        ("F24", Row("alice", "proxya", "ACK", PHONE_SIP, tp, [f"sip:{RR_A}", f"sip:{RR_PB}", ROUTE_PHONE_SIP], [],
                    None, None, None, 70)),
        ("F25", Row("proxya", "pb", "ACK", PHONE_SIP, tp, [f"sip:{RR_PB}", ROUTE_PHONE_SIP], [], None, None, None, 69)),
        ("F26", Row("pb", "eb", "ACK", PHONE_SIP, tp, [ROUTE_PHONE_SIP], [], None, None, None, 68)),
        ("F27", Row("eb", "phone", "ACK", PHONE_SIP, "TLS", [], [], None, None, None, 67)),
        ("F26'", Row("pb", "eb", "CANCEL", PC, tp, [PATH_PC], [], None, None, None, 70)),
        ("F27'", Row("eb", "pc", "CANCEL", PC, pc_tp, [], [], None, None, None, 70)),
        ("F28'", Row("pc", "eb", "200", None, pc_tp)),
        ("F29'", Row("eb", "pb", "200", None, tp)),
        ("F30'", Row("pc", "eb", "487", None, pc_tp)),
        ("F31'", Row("eb", "pb", "487", None, tp)),
    ]


def test_6_3_reproduces_d7_with_corrections() -> None:
    _, trace = run("rfc5630-6.3.toml")
    check_flow(trace, REGISTRATION)
    check_flow(trace, call_63("TCP", "TCP"), start=8)
    hops = trace.transmissions[8:]
    assert hops[-5].message.vias()[0].branch == "z9hG4bKbiba"  # F27': published z9hG4bKtroubaba
    assert hops[-4].message.vias()[0].branch == "z9hG4bKbiba"
    assert hops[-1].message.to().tag == "963258"  # F31': published without tag
    assert hops[22].message.vias()[0].branch not in ("z9hG4bKprout", "z9hG4bKpouet")  # F24: a new transaction
    dialogs = {d["role"]: d for d in trace.observation["dialogs"]}
    assert not dialogs["uac"]["secure"] and not dialogs["uas"]["secure"]  # SIP R-URI, even over TLS
    assert dialogs["uas"]["rtarget"] == "sip" and dialogs["uac"]["rset0"] == "sip"


def test_6_3_f13_sip_route_from_sips_path_needs_the_f7_reading() -> None:
    """F-7: under plain rfc5630, R-3327-a forbids sending the stored sips: Path value as sip:."""
    _, trace = run("rfc5630-6.3.toml")
    f13 = [d for d in trace.decisions if d.element == "pb" and d.choice_point == "proxy_forward"][1]
    assert (f13.features["route_next"], f13.options["route0"]) == ("sips", "sip")
    musts = preset("rfc5630").with_should("optional")
    assert violated_rules("proxy_forward", f13.features, f13.options, musts) == ["R-3327-a"]


def test_6_4_reproduces_d8_best_effort_tls() -> None:
    _, trace = run("rfc5630-6.4.toml")
    check_flow(trace, call_63("TLS", "TCP"), start=8)
    hops = trace.transmissions[8:]
    uris = [h.message.request_uri for h in hops if h.message.request_uri is not None]
    assert all(u.scheme == "sip" for u in uris)  # every URI stays sip:
    assert not any(d["secure"] for d in trace.observation["dialogs"])
    f15_pc = hops[6]
    assert f15_pc.transport == "TCP"  # F-13: the PC's outbound flow is TCP, not the "all Vias TLS" of the text


def test_6_2_under_rfc3261_reaches_no_binding() -> None:
    """F-3 under a literal RFC 3261 registrar: sips:bob@example.com is keyed apart from sip:bob@example.com."""
    _, trace = run("rfc5630-6.2.toml", rules="rfc3261", chooser=DefaultChooser())
    keys = {b["key_scheme"] for b in trace.observation["bindings"]}
    assert keys == {True}
    invited = [t.receiver for t in trace.transmissions if t.message.method == "INVITE" and t.sender == "eb"]
    assert invited == ["phone"]  # the PC's binding sits under the key sip:bob@example.com and is never found

"""Whole messages of the call flows of SIPS-RULES.md section D (corrected values) as fixtures.

D.3 F13 and F15 (draft-04 9.1), D.4 F13 (draft-04 9.2, upgrade and triple Record-Route), D.5 F6
(RFC 5630 6.1 registration through an edge proxy) and D.6 F15 (RFC 5630 6.2). The published
errata are corrected: "SIP/2.0" status lines, "Content-Length" spelled right, Path host ``eb``.
"""

from __future__ import annotations

import pytest

from sipsmodel.syntax import SipMessage, SipUri, parse_message

SDP = "v=0\r\no=alice 2890844526 2890844526 IN IP4 alice-1.example.net\r\ns=-\r\nc=IN IP4 192.0.2.101\r\nt=0 0\r\n"


def message(*lines: str, body: str = "") -> bytes:
    """CRLF-joined head lines, the empty line and the body."""
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode("utf-8")


D3_F13 = message(
    "INVITE sips:bob@bobphone.example.com SIP/2.0",
    "Via: SIP/2.0/TLS proxyb.example.com:5061;branch=z9hG4bKbalouba",
    "Via: SIP/2.0/TLS proxya.example.net:5061;branch=z9hG4bKpouet",
    "Via: SIP/2.0/TLS alice-1.example.net:5061;branch=z9hG4bKprout",
    "Record-Route: <sips:UJH-hUdvb65@proxyb.example.com;lr>,",
    "  <sips:KFndf+47KsFH@proxya.example.net;lr>",
    "Max-Forwards: 68",
    "To: Bob <sips:bob@example.com>",
    "From: Alice <sips:alice@example.net>;tag=8675309",
    "Call-ID: lzksjf8723k@sodk6587",
    "CSeq: 1 INVITE",
    "Contact: <sips:alice@alice-1.example.net>",
    "Content-Type: application/sdp",
    f"Content-Length: {len(SDP)}",
    body=SDP,
)

D3_F15 = message(
    "SIP/2.0 200 OK",
    "Via: SIP/2.0/TLS proxyb.example.com:5061;branch=z9hG4bKbalouba",
    "Via: SIP/2.0/TLS proxya.example.net:5061;branch=z9hG4bKpouet",
    "Via: SIP/2.0/TLS alice-1.example.net:5061;branch=z9hG4bKprout",
    "Record-Route: <sips:UJH-hUdvb65@proxyb.example.com;lr>",
    "Record-Route: <sips:KFndf+47KsFH@proxya.example.net;lr>",
    "To: Bob <sips:bob@example.com>;tag=5551212",
    "From: Alice <sips:alice@example.net>;tag=8675309",
    "Call-ID: lzksjf8723k@sodk6587",
    "CSeq: 1 INVITE",
    "Contact: <sips:bob@bobphone.example.com>",
    "Content-Length: 0",
)

D4_F13 = message(
    "INVITE sips:bob@bobphone.example.com SIP/2.0",
    "Via: SIP/2.0/TLS proxyb.example.com:5061;branch=z9hG4bKbalouba.1",
    "Via: SIP/2.0/TCP proxya.example.net:5060;branch=z9hG4bKpouet",
    "Via: SIP/2.0/TCP alice-1.example.net:5060;branch=z9hG4bKprout",
    "Record-Route: <sips:UJH-hUdvb65@proxyb.example.com;lr>, <sip:UJH-hUdvb65@proxyb.example.com;lr>",
    "Record-Route: <sip:KFndf+47KsFH@proxya.example.net;lr>",
    "Max-Forwards: 68",
    "To: Bob <sip:bob@example.com>",
    "From: Alice <sip:alice@example.net>;tag=8675309",
    "Call-ID: lzksjf8723k@sodk6587",
    "CSeq: 1 INVITE",
    "Contact: <sip:alice@alice-1.example.net>",
    "Content-Length: 0",
)

D5_F6 = message(
    "REGISTER sips:pb.example.com SIP/2.0",
    "Via: SIP/2.0/TLS eb.example.com:5061;branch=z9hG4bK876354",
    "Via: SIP/2.0/TLS bobphone.example.com:5061;branch=z9hG4bK9555",
    "Max-Forwards: 69",
    "From: Bob <sips:bob@example.com>;tag=90210",
    "To: Bob <sips:bob@example.com>",
    "Call-ID: faif9a@qwefnwdclk",
    "CSeq: 12 REGISTER",
    "Supported: path, outbound",
    "Path: <sips:psodkfsj+34+kklsL+uJH-Xm816k09Kk@eb.example.com;lr;ob>",
    'Contact: <sips:bob@bobphone.example.com>;+sip.instance="<urn:uuid:6F85D4E3-E8AA-46AA-B768-BF39D5912143>"',
    "  ;reg-id=1",
    "Content-Length: 0",
)

D6_F15 = message(
    "INVITE sips:bob@bobphone.example.com SIP/2.0",
    "Via: SIP/2.0/TLS eb.example.com:5061;branch=z9hG4bKbiba",
    "Via: SIP/2.0/TLS pb.example.com:5061;branch=z9hG4bKbalouba",
    "Via: SIP/2.0/TLS proxya.example.net:5061;branch=z9hG4bKpouet",
    "Via: SIP/2.0/TLS alice-1.example.net:5061;branch=z9hG4bKprout",
    "Record-Route: <sips:psodkfsj+34+kklsL+uJH-Xm816k09Kk@eb.example.com;lr;ob>",
    "Record-Route: <sips:pb.example.com;lr>",
    "Record-Route: <sips:proxya.example.net;lr>",
    "Max-Forwards: 67",
    "To: Bob <sips:bob@example.com>",
    "From: Alice <sips:alice@example.net>;tag=8675309",
    "Call-ID: lzksjf8723k@sodk6587",
    "CSeq: 1 INVITE",
    "Contact: <sips:alice@alice-1.example.net>",
    "Content-Type: application/sdp",
    f"Content-Length: {len(SDP)}",
    body=SDP,
)


def rendered(uris: list[object]) -> list[str]:
    """The URI texts of a list of NameAddr values."""
    return [value.uri.render() for value in uris]  # type: ignore[attr-defined]


def test_d3_f13_invite_to_the_phone() -> None:
    m = parse_message(D3_F13)
    assert m.is_request and m.method == "INVITE"
    assert m.request_uri == SipUri("sips", "bob", None, "bobphone.example.com")
    assert [v.transport for v in m.vias()] == ["TLS", "TLS", "TLS"]
    assert [v.branch for v in m.vias()] == ["z9hG4bKbalouba", "z9hG4bKpouet", "z9hG4bKprout"]
    assert m.routes() == []
    assert rendered(m.record_routes()) == [
        "sips:UJH-hUdvb65@proxyb.example.com;lr",
        "sips:KFndf+47KsFH@proxya.example.net;lr",
    ]
    assert rendered(m.contacts()) == ["sips:alice@alice-1.example.net"]  # type: ignore[arg-type]
    assert m.max_forwards() == 68 and m.cseq() == (1, "INVITE") and m.call_id() == "lzksjf8723k@sodk6587"
    assert m.from_() is not None and m.from_().tag == "8675309"  # type: ignore[union-attr]
    assert m.to() is not None and m.to().tag is None  # type: ignore[union-attr]
    assert m.body == SDP


def test_d3_f15_response_copies_record_route() -> None:
    m = parse_message(D3_F15)
    assert not m.is_request and m.status == 200 and m.reason == "OK" and m.request_uri is None
    assert len(m.record_routes()) == 2 and all(v.uri.is_sips for v in m.record_routes())
    assert rendered(m.contacts()) == ["sips:bob@bobphone.example.com"]  # type: ignore[arg-type]
    assert m.to() is not None and m.to().tag == "5551212"  # type: ignore[union-attr]
    assert m.body == ""


def test_d4_f13_upgraded_request_uri_and_three_record_routes() -> None:
    m = parse_message(D4_F13)
    assert m.request_uri is not None and m.request_uri.is_sips
    assert [v.transport for v in m.vias()] == ["TLS", "TCP", "TCP"]
    assert [v.port for v in m.vias()] == [5061, 5060, 5060]
    assert rendered(m.record_routes()) == [
        "sips:UJH-hUdvb65@proxyb.example.com;lr",
        "sip:UJH-hUdvb65@proxyb.example.com;lr",
        "sip:KFndf+47KsFH@proxya.example.net;lr",
    ]
    assert rendered(m.contacts()) == ["sip:alice@alice-1.example.net"]  # type: ignore[arg-type]
    assert m.to() is not None and not m.to().uri.is_sips  # type: ignore[union-attr]


def test_d5_f6_register_through_the_edge() -> None:
    m = parse_message(D5_F6)
    assert m.method == "REGISTER" and m.request_uri == SipUri("sips", None, None, "pb.example.com")
    (path,) = m.paths()
    assert isinstance(path.uri, SipUri) and path.uri.has_param("ob") and path.uri.has_param("lr")
    assert path.uri.host == "eb.example.com"
    contacts = m.contacts()
    assert isinstance(contacts, list)
    (contact,) = contacts
    assert contact.param("+sip.instance") == '"<urn:uuid:6F85D4E3-E8AA-46AA-B768-BF39D5912143>"'
    assert contact.param("reg-id") == "1"
    assert m.header_values("Supported") == ["path", "outbound"]
    assert m.cseq() == (12, "REGISTER")


def test_d6_f15_four_tls_vias_and_outbound_record_route() -> None:
    m = parse_message(D6_F15)
    assert [v.transport for v in m.vias()] == ["TLS"] * 4
    assert [v.host for v in m.vias()] == [
        "eb.example.com",
        "pb.example.com",
        "proxya.example.net",
        "alice-1.example.net",
    ]
    assert rendered(m.record_routes()) == [
        "sips:psodkfsj+34+kklsL+uJH-Xm816k09Kk@eb.example.com;lr;ob",
        "sips:pb.example.com;lr",
        "sips:proxya.example.net;lr",
    ]
    assert m.max_forwards() == 67


FLOWS = {"D3F13": D3_F13, "D3F15": D3_F15, "D4F13": D4_F13, "D5F6": D5_F6, "D6F15": D6_F15}


@pytest.mark.parametrize("data", FLOWS.values(), ids=FLOWS.keys())
def test_flow_messages_round_trip(data: bytes) -> None:
    m = parse_message(data)
    again = parse_message(m.render())
    assert again == m
    assert isinstance(again, SipMessage) and again.render() == m.render()

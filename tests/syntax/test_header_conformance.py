"""Header value conformance (RFC 3261 section 20 and 25.1; RFC 3327, 3608, 4168, 5626, 5627, 5630)."""

from __future__ import annotations

from typing import Any

import pytest

from sipsmodel.errors import ParseError
from sipsmodel.syntax import (
    STAR,
    AbsoluteUri,
    CSeq,
    MediaType,
    NameAddr,
    RawValue,
    SipUri,
    Via,
    WarningValue,
    canonical_name,
    parse_header,
)

BOB = SipUri("sips", "bob", None, "biloxi.com")

# header name, value text, expected parsed value, canonical rendering of each item (None: same)
TABLE: list[tuple[str, str, Any, str | None]] = [
    # To / From: name-addr and addr-spec, display names as tokens or quoted strings with escapes
    ("To", "<sips:bob@biloxi.com>", NameAddr(BOB), None),
    ("To", "sips:bob@biloxi.com", NameAddr(BOB), "<sips:bob@biloxi.com>"),
    ("To", "Bob <sips:bob@biloxi.com>;tag=a6c85cf", NameAddr(BOB, "Bob", (("tag", "a6c85cf"),)), None),
    ("t", "Bob   Smith<sips:bob@biloxi.com>", NameAddr(BOB, "Bob Smith"), "Bob Smith <sips:bob@biloxi.com>"),
    ("From", '"Bob \\"B\\" \\\\" <sips:bob@biloxi.com>', NameAddr(BOB, 'Bob "B" \\'), None),
    ("f", '"" <sips:bob@biloxi.com>', NameAddr(BOB, ""), None),
    ("From", '"Al, ice;" <sips:bob@biloxi.com>', NameAddr(BOB, "Al, ice;"), None),
    ("From", "sips:bob@biloxi.com ; tag = 1928301774", NameAddr(BOB, None, (("tag", "1928301774"),)),
     "<sips:bob@biloxi.com>;tag=1928301774"),
    ("From", "<sip:alice;day=tuesday@atlanta.com>;tag=x",
     NameAddr(SipUri("sip", "alice;day=tuesday", None, "atlanta.com"), None, (("tag", "x"),)), None),
    ("To", "<tel:+1-212-555-1212>", NameAddr(AbsoluteUri("tel", "+1-212-555-1212")), None),
    ("To", "tel:+1-212-555-1212;tag=9", NameAddr(AbsoluteUri("tel", "+1-212-555-1212"), None, (("tag", "9"),)),
     "<tel:+1-212-555-1212>;tag=9"),
    ("To", "<sips:bob@biloxi.com;transport=tcp>", NameAddr(BOB.with_param("transport", "tcp")), None),
    # Contact: star, several values, q, expires, +sip.instance, reg-id, pub-gruu, temp-gruu
    ("Contact", "*", STAR, None),
    ("m", " * ", STAR, "*"),
    ("Contact", '<sips:bob@biloxi.com>;q=0.7;expires=3600;+sip.instance="<urn:uuid:0C67446E-F1A1>";reg-id=1',
     (NameAddr(BOB, None, (("q", "0.7"), ("expires", "3600"), ("+sip.instance", '"<urn:uuid:0C67446E-F1A1>"'),
                           ("reg-id", "1"))),), None),
    ("Contact", '<sips:bob@biloxi.com>;pub-gruu="sips:bob@example.com;gr=urn:uuid:1";temp-gruu="sips:tgruu.1@x.com;gr"',
     (NameAddr(BOB, None, (("pub-gruu", '"sips:bob@example.com;gr=urn:uuid:1"'),
                           ("temp-gruu", '"sips:tgruu.1@x.com;gr"'))),), None),
    ("Contact", "<sips:bob@biloxi.com>, sip:carol@chicago.com;q=1.000 , \"C\" <mailto:c@x.org>",
     (NameAddr(BOB), NameAddr(SipUri("sip", "carol", None, "chicago.com"), None, (("q", "1.000"),)),
      NameAddr(AbsoluteUri("mailto", "c@x.org"), "C")),
     '<sips:bob@biloxi.com>, <sip:carol@chicago.com>;q=1.000, C <mailto:c@x.org>'),
    ("Contact", "<sips:bob@biloxi.com>;q=0", (NameAddr(BOB, None, (("q", "0"),)),), None),
    # Route, Record-Route, Path, Service-Route: always name-addr, comma lists, rr-params
    ("Route", "<sips:p1.example.com;lr>,<sips:p2.example.com;lr>",
     (NameAddr(SipUri("sips", None, None, "p1.example.com", None, (("lr", None),))),
      NameAddr(SipUri("sips", None, None, "p2.example.com", None, (("lr", None),)))),
     "<sips:p1.example.com;lr>, <sips:p2.example.com;lr>"),
    ("Record-Route", "<sip:UJH-hUdvb65@proxyb.example.com;lr>;foo=bar",
     (NameAddr(SipUri("sip", "UJH-hUdvb65", None, "proxyb.example.com", None, (("lr", None),)), None,
               (("foo", "bar"),)),), None),
    ("Path", "<sips:psodkfsj+34+kklsL+uJH-Xm816k09Kk@eb.example.com;lr;ob>",
     (NameAddr(SipUri("sips", "psodkfsj+34+kklsL+uJH-Xm816k09Kk", None, "eb.example.com", None,
                      (("lr", None), ("ob", None)))),), None),
    ("Service-Route", "Proxy <sip:[2001:db8::1]:5060;lr>",
     (NameAddr(SipUri("sip", None, None, "[2001:db8::1]", 5060, (("lr", None),)), "Proxy"),), None),
    # Via: every transport, received v4/v6 without brackets, rport with/without value, branch, maddr, ttl
    ("Via", "SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds",
     (Via("UDP", "pc33.atlanta.com", None, (("branch", "z9hG4bK776asdhds"),)),), None),
    ("v", "SIP/2.0/TLS-SCTP [2001:db8::9]:5061;received=2001:db8::9;rport=5061",
     (Via("TLS-SCTP", "[2001:db8::9]", 5061, (("received", "2001:db8::9"), ("rport", "5061"))),), None),
    ("Via", "SIP/2.0/WSS df7jal23ls0d.invalid;rport;received=192.0.2.1;branch=z9hG4bKx, SIP/2.0/WS a.b:80",
     (Via("WSS", "df7jal23ls0d.invalid", None, (("rport", None), ("received", "192.0.2.1"), ("branch", "z9hG4bKx"))),
      Via("WS", "a.b", 80)), None),
    ("Via", "SIP / 2.0 / tcp   host.example.com : 5060 ; maddr=224.2.0.1 ;ttl=16",
     (Via("TCP", "host.example.com", 5060, (("maddr", "224.2.0.1"), ("ttl", "16"))),),
     "SIP/2.0/TCP host.example.com:5060;maddr=224.2.0.1;ttl=16"),
    ("Via", "SIP/2.0/SCTP 192.0.2.7;branch=z9hG4bK1, SIP/2.0/TLS x.org;received=::ffff:192.0.2.1",
     (Via("SCTP", "192.0.2.7", None, (("branch", "z9hG4bK1"),)), Via("TLS", "x.org", None,
                                                                     (("received", "::ffff:192.0.2.1"),))), None),
    # received=[IPv6] with brackets, which RFC 5118 section 4.5 asks receivers to accept, kept as written
    ("Via", "SIP/2.0/UDP a.com;received=[::1]", (Via("UDP", "a.com", None, (("received", "[::1]"),)),), None),
    # Warning: warn-code incl. 380 and 381 (RFC 5630), hostport or pseudonym agent, quoted text
    ("Warning", '380 pb.example.com "SIPS Not Allowed"', (WarningValue(380, "pb.example.com", "SIPS Not Allowed"),),
     None),
    ("Warning", '381 [2001:db8::1]:5061 "SIPS \\"Required\\"", 399 isi.edu "x"',
     (WarningValue(381, "[2001:db8::1]:5061", 'SIPS "Required"'), WarningValue(399, "isi.edu", "x")), None),
    # simple headers
    ("Call-ID", "a84b4c76e66710@pc33.atlanta.com", "a84b4c76e66710@pc33.atlanta.com", None),
    ("i", "f81d4fae-7dec-11d0-a765-00a0c91e6bf6", "f81d4fae-7dec-11d0-a765-00a0c91e6bf6", None),
    ("CSeq", "314159 INVITE", CSeq(314159, "INVITE"), None),
    ("CSeq", "4294967295   REGISTER", CSeq(4294967295, "REGISTER"), "4294967295 REGISTER"),
    ("Max-Forwards", "70", 70, None),
    ("Max-Forwards", "0", 0, None),
    ("Expires", "7200", 7200, None),
    ("Content-Length", "0", 0, None),
    ("l", "349", 349, None),
    ("Require", "outbound", ("outbound",), None),
    ("Supported", "path, outbound,gruu", ("path", "outbound", "gruu"), "path, outbound, gruu"),
    ("k", "", (), None),
    ("Content-Type", "application/SDP", MediaType("application", "sdp"), "application/sdp"),
    ("c", 'multipart/mixed ; boundary="a;b"', MediaType("multipart", "mixed", (("boundary", '"a;b"'),)),
     'multipart/mixed;boundary="a;b"'),
    # every other header keeps its raw value
    ("Subject", "Need more boxes, now", RawValue("Need more boxes, now"), None),
    ("X-Anything", "<whatever>;,??", RawValue("<whatever>;,??"), None),
]  # fmt: skip


def _render(value: Any) -> str:
    if isinstance(value, tuple) and not isinstance(value, CSeq):
        return ", ".join(item if isinstance(item, str) else item.render() for item in value)
    if isinstance(value, str | int):
        return str(value)
    rendered: str = value.render()
    return rendered


@pytest.mark.parametrize(("name", "text", "value", "canonical"), TABLE, ids=[f"{r[0]}: {r[1]}" for r in TABLE])
def test_text_to_value_to_text(name: str, text: str, value: Any, canonical: str | None) -> None:
    parsed = parse_header(name, text)
    assert parsed == value
    assert _render(parsed) == (canonical or text.strip())


@pytest.mark.parametrize(("name", "text", "value", "canonical"), TABLE, ids=[f"{r[0]}: {r[1]}" for r in TABLE])
def test_value_to_text_to_value(name: str, text: str, value: Any, canonical: str | None) -> None:
    assert parse_header(name, _render(value)) == value


def test_via_accessors() -> None:
    (via,) = parse_header("Via", "SIP/2.0/TLS a.com:5061;branch=z9hG4bK1;received=10.0.0.1;rport=7")
    assert isinstance(via, Via)
    assert via.branch == "z9hG4bK1" and via.received == "10.0.0.1" and via.rport == 7
    assert via.sent_by == "a.com:5061" and via.protocol == "SIP" and via.version == "2.0"
    (bare,) = parse_header("Via", "SIP/2.0/UDP a.com;rport")
    assert isinstance(bare, Via) and bare.rport is None and bare.has_param("rport") and bare.branch is None


def test_name_addr_accessors() -> None:
    value = parse_header("From", "Alice <sips:alice@atlanta.com;lr>;tag=88sja8x;x")
    assert isinstance(value, NameAddr)
    assert value.tag == "88sja8x" and value.has_param("X") and value.param("x") is None
    assert isinstance(value.uri, SipUri) and value.uri.has_param("lr")
    assert not value.has_param("lr")


@pytest.mark.parametrize(
    ("name", "expected"),
    [("v", "Via"), ("VIA", "Via"), ("m", "Contact"), ("i", "Call-ID"), ("f", "From"), ("t", "To"),
     ("l", "Content-Length"), ("c", "Content-Type"), ("k", "Supported"), ("s", "Subject"),
     ("e", "Content-Encoding"), ("o", "Event"), ("u", "Allow-Events"), ("r", "Refer-To"),
     ("x", "Session-Expires"), ("y", "Identity"), ("record-route", "Record-Route"), ("cseq", "CSeq"),
     ("call-id", "Call-ID"), ("www-authenticate", "WWW-Authenticate"), ("x-my-header", "X-My-Header")],
)  # fmt: skip
def test_canonical_names_and_compact_forms(name: str, expected: str) -> None:
    assert canonical_name(name) == expected


# header, value, label (None: any ParseError)
ERRORS: list[tuple[str, str, str | None]] = [
    ("To", "<sips:bob@biloxi.com", "unbalanced-angle-bracket"),
    ("To", "Bob <sips:bob@biloxi.com;lr", "unbalanced-angle-bracket"),
    ("To", "sip:alice;day=tuesday@atlanta.com", "needs-angle-brackets"),
    ("To", "sip:alice@atlanta.com?subject=x", "needs-angle-brackets"),
    ("Contact", "sip:alice;day=tuesday@atlanta.com", "needs-angle-brackets"),
    ("Route", "sip:p.example.com;lr", "needs-angle-brackets"),
    ("Route", "<sip:p.example.com;lr", "unbalanced-angle-bracket"),
    ("To", "<sips:bob@biloxi.com>;tag=", None),
    ("To", '<sips:bob@biloxi.com>;tag="q"', "bad-tag"),
    ("Contact", "<sips:bob@b.com>;q=1.5", "bad-qvalue"),
    ("Contact", "<sips:bob@b.com>;q=0.1234", "bad-qvalue"),
    ("Contact", "<sips:bob@b.com>;expires=4294967296", "bad-expires"),
    ("Contact", "<sips:bob@b.com>;reg-id=0", "bad-reg-id"),
    ("Contact", "<sips:bob@b.com>;reg-id=2147483648", "bad-reg-id"),
    ("Contact", "<sips:bob@b.com>;+sip.instance=x", "bad-sip.instance"),
    ("Contact", "*, <sips:bob@b.com>", None),
    ("Contact", "<sips:bob@b.com;transport=udp>", "sips-transport-udp"),
    ("Via", "SIP/2.0/UDP", None),
    ("Via", "SIP/2.0/UDP a.com;received=a.com", "bad-received"),
    ("Via", "SIP/2.0/UDP a.com;received=[192.0.2.1]", "bad-received"),  # brackets hold IPv6 only
    ("Via", "SIP/2.0/UDP a.com;received=[::1", "bad-received"),
    ("Via", "SIP/2.0/UDP a.com;ttl=256", "bad-ttl"),
    ("Via", "SIP/2.0/UDP a.com:70000", "bad-port"),
    ("Via", "SIP/2.0/UDP a.com;rport=65536", "bad-rport"),
    ("Via", 'SIP/2.0/UDP a.com;branch="x"', "bad-branch"),
    ("Via", "SIP/2.0/UDP a.com,", None),
    ("Warning", '3800 a.com "x"', None),
    ("Warning", '38 a.com "x"', None),
    ("Warning", "380 a.com x", None),
    ("CSeq", "4294967296 INVITE", "bad-cseq"),
    ("CSeq", "1", None),
    ("Max-Forwards", "256", "bad-max-forwards"),
    ("Max-Forwards", "-1", None),
    ("Content-Length", "4294967296", "bad-uint"),
    ("Content-Length", "", None),
    ("Call-ID", "a b", None),
    ("Require", "a,,b", None),
]


@pytest.mark.parametrize(("name", "text", "label"), ERRORS, ids=[f"{r[0]}: {r[1]}" for r in ERRORS])
def test_refused_header_values(name: str, text: str, label: str | None) -> None:
    with pytest.raises(ParseError) as info:
        parse_header(name, text)
    if label is not None:
        assert info.value.label == label
    assert "^" in info.value.context or info.value.line == 0

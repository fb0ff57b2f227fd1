"""Whole-message framing, leniency, body and Content-Length, accessors, builders (RFC 3261 section 7)."""

from __future__ import annotations

import warnings

import pytest

from sipsmodel.errors import ParseError
from sipsmodel.syntax import (
    STAR,
    AbsoluteUri,
    Header,
    RawValue,
    SipsTransportWarning,
    SipUri,
    WarningValue,
    build_request,
    build_response,
    parse_message,
    parse_uri,
)

BASE = [
    "Via: SIP/2.0/TLS pc33.atlanta.com;branch=z9hG4bK776asdhds",
    "Max-Forwards: 70",
    "To: <sips:bob@biloxi.com>",
    "From: <sips:alice@atlanta.com>;tag=1928301774",
    "Call-ID: a84b4c76e66710@pc33.atlanta.com",
    "CSeq: 314159 INVITE",
]


def raw(start: str, *lines: str, body: str = "", eol: str = "\r\n") -> bytes:
    """A message from its start line, header lines and body."""
    return eol.join([start, *lines, "", body]).encode("utf-8")


def test_request_line_and_lenient_header_forms() -> None:
    data = raw(
        "INVITE sips:bob@biloxi.com SIP/2.0",
        "v: SIP / 2.0 / TLS pc33.atlanta.com ; branch=z9hG4bK1",
        "VIA   :SIP/2.0/TCP   [2001:db8::1]:5060;received=2001:db8::2;rport",
        "max-forwards:70",
        "t: <sips:bob@biloxi.com>",
        "f: Alice",
        " <sips:alice@atlanta.com>",
        "\t;tag=x",
        "i: 1@h",
        "cseq: 1 INVITE",
        "m: <sips:alice@pc33.atlanta.com>",
        "l: 0",
    )
    m = parse_message(data)
    assert [v.transport for v in m.vias()] == ["TLS", "TCP"]
    assert m.vias()[1].received == "2001:db8::2" and m.vias()[1].has_param("rport")
    assert m.from_() is not None and m.from_().display_name == "Alice" and m.from_().tag == "x"  # type: ignore[union-attr]
    assert m.headers[4] == Header("From", "Alice <sips:alice@atlanta.com> ;tag=x")
    assert m.headers[0].name == "v" and m.headers[0].key == "Via"
    assert m.call_id() == "1@h" and m.max_forwards() == 70
    assert "Via: SIP / 2.0 / TLS" in m.render() and "\r\nContent-Length: 0\r\n" in m.render()
    assert parse_message(m.render()) == m


def test_lf_line_ends_and_leading_crlf_are_accepted() -> None:
    m = parse_message(b"\r\n\r\n" + raw("OPTIONS sip:b.com SIP/2.0", *BASE, "Content-Length: 2", body="ok", eol="\n"))
    assert m.method == "OPTIONS" and m.body == "ok"
    assert m.render().count("\r\n") == len(BASE) + 3


def test_status_line_and_reason() -> None:
    m = parse_message(raw("SIP/2.0 180 Ringing maybe", *BASE, "Content-Length: 0"))
    assert (m.status, m.reason, m.is_request) == (180, "Ringing maybe", False)
    assert m.render().startswith("SIP/2.0 180 Ringing maybe\r\n")


@pytest.mark.parametrize("status", ["099", "700", "999"])
def test_status_range(status: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_message(raw(f"SIP/2.0 {status} X", *BASE))
    assert info.value.label == "bad-status"


def test_extension_method_and_absolute_request_uri() -> None:
    m = parse_message(raw("MESSAGE tel:+1-212-555-1212 SIP/2.0", *BASE))
    assert m.method == "MESSAGE" and m.request_uri == AbsoluteUri("tel", "+1-212-555-1212")


def test_body_delimited_by_content_length_and_extra_octets_discarded() -> None:
    m = parse_message(raw("MESSAGE sip:b.com SIP/2.0", *BASE, "Content-Length: 5", body="hello world"))
    assert m.body == "hello"
    assert parse_message(m.render()) == m


def test_body_without_content_length_is_the_rest_of_the_datagram() -> None:
    m = parse_message(raw("MESSAGE sip:b.com SIP/2.0", *BASE, body="all of\r\nthis"))
    assert m.body == "all of\r\nthis"
    assert m.header_values("Content-Length") == []


def test_content_length_counts_octets_of_utf8() -> None:
    m = parse_message(raw("MESSAGE sip:b.com SIP/2.0", *BASE, "Content-Length: 2", body="é"))
    assert m.body == "é"


def test_binary_body_survives() -> None:
    data = raw("MESSAGE sip:b.com SIP/2.0", *BASE, "Content-Length: 3") + b"\xff\x00\x80"
    m = parse_message(data)
    assert m.render().encode("utf-8", errors="surrogateescape").endswith(b"\xff\x00\x80")
    assert parse_message(m.render()) == m


def test_content_length_larger_than_body() -> None:
    with pytest.raises(ParseError) as info:
        parse_message(raw("MESSAGE sip:b.com SIP/2.0", *BASE, "Content-Length: 10", body="short"))
    assert info.value.label == "content-length-exceeds-body" and info.value.hint


def test_conflicting_content_lengths() -> None:
    with pytest.raises(ParseError) as info:
        parse_message(raw("MESSAGE sip:b.com SIP/2.0", *BASE, "Content-Length: 1", "l: 2", body="ab"))
    assert info.value.label == "content-length-conflict"


@pytest.mark.parametrize(
    ("data", "label"),
    [
        (b"INVITE sip:b.com SIP/2.0\r\nVia: SIP/2.0/UDP a.com\r\n", "missing-empty-line"),
        (b"INVITE sip:b.com SIP/2.0\r\nVia: SIP/2.0/UDP a.com\r\nX: \xff\r\n\r\n", "not-utf8"),
        (raw("INVITE sips:b.com;transport=udp SIP/2.0", *BASE), "sips-transport-udp"),
        (raw("INVITE sip:b.com SIP/2.0", "To: <sip:b.com", *BASE[2:]), "unbalanced-angle-bracket"),
        (raw("INVITE sip:b.com SIP/2.0", "Contact: <sips:a@b;transport=udp>"), "sips-transport-udp"),
        (raw("INVITE sip:b.com SIP/2.0", "Via: SIP/2.0/UDP a.com;ttl=300"), "bad-ttl"),
        (raw("INVITE sip:%zz SIP/2.0", *BASE), None),
        (raw("INVITE  sip:b.com SIP/2.0", *BASE), None),
        (raw("INVITE sip:b.com SIP/2.0 ", *BASE), None),
        (raw("INVITE sip:b.com", *BASE), None),
        (raw("INVITE sip:b.com SIP/2.0", "No colon here"), None),
        (raw("INVITE sip:b.com SIP/2.0", "Bad\x01: x"), None),
        (raw("SIP/2.0 200", *BASE), None),
    ],
)
def test_refused_messages(data: bytes, label: str | None) -> None:
    with pytest.raises(ParseError) as info:
        parse_message(data)
    if label is not None:
        assert info.value.label == label


def test_error_in_a_header_names_the_header_and_line() -> None:
    with pytest.raises(ParseError) as info:
        parse_message(raw("INVITE sip:b.com SIP/2.0", *BASE, "Route: <sip:p.com;lr"))
    assert info.value.line == 8 and "Route (line 8)" in info.value.message


def test_lenient_mode_accepts_sips_udp_request_uri() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        m = parse_message(raw("INVITE sips:b.com;transport=udp SIP/2.0", *BASE), strict=False)
    assert isinstance(m.request_uri, SipUri) and m.request_uri.param("transport") == "udp"
    assert any(issubclass(w.category, SipsTransportWarning) for w in caught)


def test_lazy_headers_are_parsed_on_demand() -> None:
    m = parse_message(raw("INVITE sip:b.com SIP/2.0", "Warning: not a warning", "Max-Forwards: 256"))
    with pytest.raises(ParseError):
        m.warnings()
    with pytest.raises(ParseError) as info:
        m.max_forwards()
    assert info.value.label == "bad-max-forwards"
    assert m.header_values("X-Unknown") == []


def test_header_values_fold_compact_forms_and_split_lists() -> None:
    m = parse_message(
        raw(
            "REGISTER sips:registrar.example.com SIP/2.0",
            "Via: SIP/2.0/TLS a.com;branch=z9hG4bK1, SIP/2.0/TLS b.com;branch=z9hG4bK2",
            "v: SIP/2.0/TLS c.com;branch=z9hG4bK3",
            "Contact: <sips:bob@p.com>;expires=60, <sips:bob@q.com>",
            "m: <sips:bob@r.com>",
            'Warning: 380 p.example.com "SIPS Not Allowed"',
            "Subject: a, b",
            "subject: c",
            "Expires: 0",
        )
    )
    assert [v.host for v in m.vias()] == ["a.com", "b.com", "c.com"]
    contacts = m.contacts()
    assert isinstance(contacts, list) and [c.uri.host for c in contacts] == ["p.com", "q.com", "r.com"]  # type: ignore[union-attr]
    assert m.warnings() == [WarningValue(380, "p.example.com", "SIPS Not Allowed")]
    assert m.header_values("s") == [RawValue("a, b"), RawValue("c")]
    assert m.header_values("Expires") == [0]


def test_contact_star() -> None:
    m = parse_message(raw("REGISTER sips:r.com SIP/2.0", *BASE, "Contact: *", "Expires: 0"))
    assert m.contacts() is STAR


def test_build_request_and_response_compute_content_length() -> None:
    req = build_request("MESSAGE", parse_uri("sips:bob@biloxi.com"), [("Via", "SIP/2.0/TLS a.com"), *[
        tuple(line.split(": ", 1)) for line in BASE[1:]  # type: ignore[misc]
    ]], body="héllo")  # fmt: skip
    assert req.header_values("Content-Length") == [6]
    assert parse_message(req.render()) == req
    resp = build_response(200, "OK", [("Content-Length", "0")])
    assert resp.header_values("Content-Length") == [0]
    assert resp.render() == "SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n"
    assert parse_message(resp.render()) == resp

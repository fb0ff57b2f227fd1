"""Leniencies as values: parse_message_lenient, parse_uri_lenient and the strict= API (R-3261-19.1.1-a)."""

from __future__ import annotations

import warnings

import pytest

import sipsmodel
from sipsmodel.errors import ParseError
from sipsmodel.syntax import (
    Leniency,
    LeniencyWarning,
    NameAddr,
    SipsTransportWarning,
    SipUri,
    parse_header,
    parse_message,
    parse_message_lenient,
    parse_name_addr,
    parse_uri,
    parse_uri_lenient,
)

RULE = "R-3261-19.1.1-a"


def raw(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


UDP_MESSAGE = raw(
    "INVITE sips:bob@biloxi.com;transport=udp SIP/2.0",
    "Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK1",
    "To: <sips:bob@biloxi.com;transport=UDP>",
    "From: <sips:alice@atlanta.com>;tag=1",
    "Contact: <sips:x@y.com>,",
    " <sips:z@w.com;lr;transport=udp>",
    "Refer-To: <sips:carol@chicago.com;transport=udp>",
    "Call-ID: 1@pc33",
    "CSeq: 1 INVITE",
)


def where(leniencies: tuple[Leniency, ...]) -> list[tuple[int, int]]:
    return [(leniency.line, leniency.column) for leniency in leniencies]


def test_every_occurrence_is_reported_with_line_and_column() -> None:
    message, found = parse_message_lenient(UDP_MESSAGE)
    assert isinstance(message.request_uri, SipUri) and message.request_uri.param("transport") == "udp"
    # request line; To; the folded second Contact value (line 6); Refer-To, a lazily parsed header
    assert where(found) == [(1, 28), (3, 26), (6, 19), (7, 35)]
    assert {leniency.rule for leniency in found} == {RULE}
    assert found[2].what == "a sips URI names transport=udp (sips:z@w.com;lr;transport=udp)"
    assert "19.1.1" in found[0].why


def test_repeated_parses_report_again() -> None:
    """The parse caches hold values, never the reports: the second parse reports as much as the first."""
    first = parse_message_lenient(UDP_MESSAGE)[1]
    assert parse_message_lenient(UDP_MESSAGE)[1] == first and len(first) == 4
    assert parse_uri_lenient("sips:a@b.com;transport=udp")[1] == parse_uri_lenient("sips:a@b.com;transport=udp")[1]


def test_clean_and_sip_messages_have_no_leniency() -> None:
    clean = UDP_MESSAGE.replace(b"transport=udp", b"transport=tcp").replace(b"transport=UDP", b"transport=tcp")
    assert parse_message_lenient(clean)[1] == ()
    assert parse_message_lenient(UDP_MESSAGE.replace(b"sips:", b"sip:"))[1] == ()


def test_lenient_parse_still_refuses_bad_syntax() -> None:
    with pytest.raises(ParseError):
        parse_message_lenient(UDP_MESSAGE.replace(b"To: <sips:bob", b"To: <sips:@bob"))


def test_strict_parse_refuses_what_the_lenient_one_reports() -> None:
    with pytest.raises(ParseError) as info:
        parse_message(UDP_MESSAGE)
    assert info.value.label == "sips-transport-udp"


def test_strict_false_still_warns_once_per_occurrence_and_per_call() -> None:
    for _ in range(2):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            parse_message(UDP_MESSAGE, strict=False)
        assert [issubclass(w.category, SipsTransportWarning) for w in caught] == [True] * 4
        assert str(caught[0].message).startswith("<message>:1:28: accepted leniently:")


def test_uri_and_header_leniency() -> None:
    uri, found = parse_uri_lenient("sips:alice@atlanta.com;transport=udp")
    assert isinstance(uri, SipUri) and where(found) == [(1, 24)]
    assert parse_uri_lenient("sip:alice@atlanta.com;transport=udp")[1] == ()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        parse_header("Route", "<sips:p1.com;transport=udp;lr>, <sips:p2.com;transport=udp>", strict=False)
    assert len(caught) == 2


def test_parse_name_addr_is_public() -> None:
    assert sipsmodel.parse_name_addr is parse_name_addr and "parse_name_addr" in sipsmodel.__all__
    value = parse_name_addr('"Bob \\"B\\"" <sips:bob@biloxi.com>;tag=a6c85cf')
    assert isinstance(value, NameAddr) and value.display_name == 'Bob "B"' and value.tag == "a6c85cf"
    assert parse_name_addr("sips:bob@biloxi.com;tag=1").params == (("tag", "1"),)
    with pytest.raises(ParseError) as info:
        parse_name_addr("<sips:bob@biloxi.com;transport=udp>")
    assert info.value.label == "sips-transport-udp" and info.value.source == "<name-addr>"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        parse_name_addr("<sips:bob@biloxi.com;transport=udp>", strict=False)
    assert len(caught) == 1


def test_leniency_render_is_one_line() -> None:
    leniency = Leniency(RULE, "a sips URI names transport=udp (sips:a@b)", 3, 7, "why")
    assert leniency.render("t.sip") == "t.sip:3:7: accepted leniently: a sips URI names transport=udp (sips:a@b) [R-3261-19.1.1-a]; why"


def test_strict_uri_path_is_unchanged() -> None:
    with pytest.raises(ParseError):
        parse_uri("sips:alice@atlanta.com;transport=udp")


def test_framing_leniency_warns_with_its_own_category() -> None:
    data = UDP_MESSAGE.replace(b"transport=udp", b"transport=tcp").replace(b"transport=UDP", b"transport=tcp")
    data = data.replace(b"CSeq: 1 INVITE\r\n", b"CSeq: 1 INVITE\r\nContent-Length: 9\r\n") + b"abc"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        message = parse_message(data, strict=False)
    assert message.body == "abc"
    assert [w.category for w in caught] == [LeniencyWarning]
    assert "Content-Length 9 is larger than the 3 octets of body [RFC 3261 section 18.3]" in str(caught[0].message)

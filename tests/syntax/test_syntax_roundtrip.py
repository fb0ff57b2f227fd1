"""Round trips with Hypothesis: parse(render(v)) == v for values; parse-render-parse is stable for text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from sipsmodel.strategies import (
    name_addr_texts,
    name_addrs,
    sip_message_texts,
    sip_messages,
    sip_uri_texts,
    sip_uris,
    sips_uris,
    uris,
    via_texts,
    via_values,
)
from sipsmodel.syntax import NameAddr, SipMessage, SipUri, Uri, Via, parse_header, parse_message, parse_uri


@given(uris())
def test_uri_value_round_trip(uri: Uri) -> None:
    assert parse_uri(uri.render()) == uri


@given(sips_uris())
def test_sips_uris_are_sips_and_never_udp(uri: SipUri) -> None:
    assert uri.is_sips and (uri.param("transport") or "").lower() != "udp"
    assert parse_uri(uri.render()) == uri


@given(sip_uris())
def test_twin_round_trips(uri: SipUri) -> None:
    twin = uri.twin()
    if (twin.param("transport") or "").lower() != "udp":
        assert parse_uri(twin.render()) == twin


@given(name_addrs())
def test_name_addr_value_round_trip(value: NameAddr) -> None:
    assert parse_header("Contact", value.render()) == (value,)
    assert parse_header("To", value.render()) == value


@given(name_addrs(sip_uris()))
def test_route_value_round_trip(value: NameAddr) -> None:
    assert parse_header("Record-Route", value.render()) == (value,)


@given(via_values())
def test_via_value_round_trip(via: Via) -> None:
    assert parse_header("Via", via.render()) == (via,)


@pytest.mark.slow
@given(sip_messages())
@settings(max_examples=50)
def test_message_value_round_trip(message: SipMessage) -> None:
    assert parse_message(message.render()) == message


@given(sip_uri_texts())
def test_uri_text_is_stable(text: str) -> None:
    once = parse_uri(text)
    assert parse_uri(once.render()) == once
    assert once.render().split(":", 1)[1] == text.split(":", 1)[1]


@given(name_addr_texts())
def test_name_addr_text_is_stable(text: str) -> None:
    once = parse_header("From", text)
    assert isinstance(once, NameAddr)
    assert parse_header("From", once.render()) == once


@given(via_texts())
def test_via_text_is_stable(text: str) -> None:
    once = parse_header("v", text)
    assert isinstance(once, tuple)
    assert parse_header("Via", ", ".join(v.render() for v in once)) == once


@pytest.mark.slow
@given(sip_message_texts())
@settings(max_examples=50)
def test_message_text_is_stable(data: bytes) -> None:
    once = parse_message(data)
    again = parse_message(once.render())
    assert again == once
    assert again.render() == once.render()
    assert once.vias() == again.vias() and once.contacts() == again.contacts()

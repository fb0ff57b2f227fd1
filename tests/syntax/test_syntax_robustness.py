"""Robustness: any input parses or raises ParseError; explicit size limits refuse huge inputs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sipsmodel.errors import ParseError
from sipsmodel.strategies import sip_message_texts, sip_uri_texts
from sipsmodel.syntax import parse_header, parse_message, parse_uri
from sipsmodel.syntax.limits import MAX_HEADER_LINES, MAX_MESSAGE_BYTES, MAX_PARAMS, MAX_VALUE_CHARS

VALID = (
    b"INVITE sips:bob@biloxi.com SIP/2.0\r\n"
    b"Via: SIP/2.0/TLS pc33.atlanta.com;branch=z9hG4bK776asdhds;received=2001:db8::1;rport\r\n"
    b"Max-Forwards: 70\r\n"
    b"Route: <sips:p1.example.com;lr>, <sips:p2.example.com;lr>\r\n"
    b'To: "Bob" <sips:bob@biloxi.com>\r\n'
    b"From: <sips:alice@atlanta.com>;tag=1928301774\r\n"
    b"Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n"
    b"CSeq: 314159 INVITE\r\n"
    b'Contact: <sips:alice@pc33.atlanta.com>;+sip.instance="<urn:uuid:1>";reg-id=1\r\n'
    b"Content-Length: 4\r\n\r\nabcd"
)


def parses_or_refuses(data: bytes | str) -> None:
    """Parse a message and every lazily parsed header: only ParseError may escape."""
    try:
        message = parse_message(data)
        for header in message.headers:
            header.parsed()
    except ParseError as exc:
        assert exc.message
        str(exc)


@given(st.binary(max_size=300))
def test_arbitrary_bytes(data: bytes) -> None:
    parses_or_refuses(data)


@given(st.binary(max_size=80).map(lambda b: VALID[:200] + b + VALID[200:]))
def test_valid_message_with_garbage_inside(data: bytes) -> None:
    parses_or_refuses(data)


def test_valid_message_cut_at_every_position() -> None:
    outcomes = set()
    for cut in range(len(VALID) + 1):
        for data in (VALID[:cut], VALID[cut:], VALID[:cut] + VALID[cut + 1 :]):
            try:
                parse_message(data)
                outcomes.add("ok")
            except ParseError:
                outcomes.add("refused")
    assert outcomes == {"ok", "refused"}


@given(st.text(max_size=120))
def test_arbitrary_text_as_uri(text: str) -> None:
    try:
        parse_uri(text)
    except ParseError as exc:
        assert exc.message


@pytest.mark.slow
@given(sip_uri_texts(), st.integers(0, 200), st.sampled_from(["", " ", "%", "<", ">", "@", ";", "?", "[", "\x00"]))
def test_uri_text_mutations(text: str, at: int, insert: str) -> None:
    at = min(at, len(text))
    try:
        parse_uri(text[:at] + insert + text[at:])
    except ParseError as exc:
        assert exc.line == 1


@given(
    st.sampled_from(["Via", "Route", "Contact", "To", "From", "Warning", "CSeq", "Content-Type", "Require", "X"]),
    st.text(max_size=100),
)
def test_arbitrary_header_values(name: str, value: str) -> None:
    try:
        parse_header(name, value)
    except ParseError as exc:
        assert exc.message


@pytest.mark.slow
@given(sip_message_texts(), st.integers(0, 4000))
@settings(max_examples=50)
def test_generated_messages_cut_anywhere(data: bytes, at: int) -> None:
    parses_or_refuses(data[: at % (len(data) + 1)])


# --- explicit limits (no timing assertions: the limits make the work bounded) -----------------


def test_one_megabyte_message_is_refused() -> None:
    data = VALID[:-4] + b"X" * (1024 * 1024)
    assert len(data) > MAX_MESSAGE_BYTES
    with pytest.raises(ParseError) as info:
        parse_message(data)
    assert info.value.label == "message-too-large"


def test_large_body_within_limit_parses() -> None:
    body = b"x" * (MAX_MESSAGE_BYTES // 2)
    data = VALID.replace(b"Content-Length: 4", b"Content-Length: %d" % len(body))[:-4] + body
    assert len(parse_message(data).body) == len(body)


def test_ten_thousand_header_lines_are_refused() -> None:
    head = VALID.split(b"\r\n\r\n")[0]
    data = head + b"\r\n" + b"X-Filler: y\r\n" * 10_000 + b"\r\n"
    with pytest.raises(ParseError) as info:
        parse_message(data)
    assert info.value.label == "too-many-headers"


def test_header_lines_up_to_the_limit_parse() -> None:
    head = VALID.split(b"\r\nContent-Length")[0]
    data = head + b"\r\n" + b"X-Filler: y\r\n" * (MAX_HEADER_LINES - 20) + b"Content-Length: 0\r\n\r\n"
    assert len(parse_message(data).headers) == head.count(b"\n") + MAX_HEADER_LINES - 20 + 1


def test_ten_thousand_uri_parameters_are_refused() -> None:
    text = "sip:alice@atlanta.com" + "".join(f";p{i}" for i in range(10_000))
    with pytest.raises(ParseError) as info:
        parse_uri(text)
    assert info.value.label in {"too-long", "too-many-params"}


def test_uri_parameters_beyond_the_count_limit_are_refused() -> None:
    text = "sip:alice@atlanta.com" + "".join(f";p{i}" for i in range(MAX_PARAMS + 1))
    assert len(text) < MAX_VALUE_CHARS
    with pytest.raises(ParseError) as info:
        parse_uri(text)
    assert info.value.label == "too-many-params"


def test_uri_parameters_up_to_the_count_limit_parse() -> None:
    text = "sip:alice@atlanta.com" + "".join(f";p{i}" for i in range(MAX_PARAMS))
    assert len(parse_uri(text).params) == MAX_PARAMS  # type: ignore[union-attr]


def test_ten_thousand_header_parameters_are_refused() -> None:
    value = "<sip:a@b.com>" + ";x=1" * 10_000
    with pytest.raises(ParseError) as info:
        parse_header("Contact", value)
    assert info.value.label in {"too-long", "too-many-params"}


def test_long_list_of_values_is_refused() -> None:
    value = ", ".join(["<sip:a.com;lr>"] * 3000)
    with pytest.raises(ParseError) as info:
        parse_header("Route", value)
    assert info.value.label == "too-many-values"


def test_huge_numbers_are_refused_not_converted() -> None:
    with pytest.raises(ParseError) as info:
        parse_header("Content-Length", "9" * 5000)
    assert info.value.label == "bad-uint"
    with pytest.raises(ParseError):
        parse_uri("sip:a.com:" + "9" * 5000)


def test_one_megabyte_uri_is_refused() -> None:
    with pytest.raises(ParseError) as info:
        parse_uri("sip:" + "a" * (1024 * 1024) + ".com")
    assert info.value.label == "too-long"

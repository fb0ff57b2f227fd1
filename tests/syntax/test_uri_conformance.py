"""URI conformance tables, both directions: text -> value -> canonical text (RFC 3261 19.1, 25.1)."""

from __future__ import annotations

import warnings

import pytest

from sipsmodel.errors import ParseError
from sipsmodel.syntax import AbsoluteUri, SipsTransportWarning, SipUri, parse_uri

# text, expected value, canonical text (None: same as the input)
URI_TABLE: list[tuple[str, SipUri | AbsoluteUri, str | None]] = [
    # RFC 3261 section 19.1.3 examples
    ("sip:alice@atlanta.com", SipUri("sip", "alice", None, "atlanta.com"), None),
    (
        "sip:alice:secretword@atlanta.com;transport=tcp",
        SipUri("sip", "alice", "secretword", "atlanta.com", None, (("transport", "tcp"),)),
        None,
    ),
    (
        "sips:alice@atlanta.com?subject=project%20x&priority=urgent",
        SipUri("sips", "alice", None, "atlanta.com", None, (), (("subject", "project%20x"), ("priority", "urgent"))),
        None,
    ),
    (
        "sip:+1-212-555-1212:1234@gateway.com;user=phone",
        SipUri("sip", "+1-212-555-1212", "1234", "gateway.com", None, (("user", "phone"),)),
        None,
    ),
    ("sips:1212@gateway.com", SipUri("sips", "1212", None, "gateway.com"), None),
    ("sip:alice@192.0.2.4", SipUri("sip", "alice", None, "192.0.2.4"), None),
    (
        "sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com",
        SipUri("sip", None, None, "atlanta.com", None, (("method", "REGISTER"),), (("to", "alice%40atlanta.com"),)),
        None,
    ),
    ("sip:alice;day=tuesday@atlanta.com", SipUri("sip", "alice;day=tuesday", None, "atlanta.com"), None),
    # scheme case-insensitive, rendered lower case
    ("SIPS:alice@atlanta.com", SipUri("sips", "alice", None, "atlanta.com"), "sips:alice@atlanta.com"),
    ("Sip:alice@atlanta.com", SipUri("sip", "alice", None, "atlanta.com"), "sip:alice@atlanta.com"),
    # empty password differs from none
    ("sip:alice:@atlanta.com", SipUri("sip", "alice", "", "atlanta.com"), None),
    # escapes in userinfo are kept as written
    ("sip:%61lice@atlanta.com", SipUri("sip", "%61lice", None, "atlanta.com"), None),
    # hosts: IPv4, IPv6 (RFC 5954), trailing dot, port
    ("sip:[2001:db8::192.0.2.1]", SipUri("sip", None, None, "[2001:db8::192.0.2.1]"), None),
    ("sip:bob@[2001:db8::1]:5061;lr", SipUri("sip", "bob", None, "[2001:db8::1]", 5061, (("lr", None),)), None),
    ("sip:[::1]", SipUri("sip", None, None, "[::1]"), None),
    ("sip:example.com.", SipUri("sip", None, None, "example.com."), None),
    ("sip:bob@biloxi.com:0", SipUri("sip", "bob", None, "biloxi.com", 0), None),
    ("sip:bob@biloxi.com:65535", SipUri("sip", "bob", None, "biloxi.com", 65535), None),
    ("sip:bob@biloxi.com:05060", SipUri("sip", "bob", None, "biloxi.com", 5060), "sip:bob@biloxi.com:5060"),
    # every uri-parameter kind, with and without values
    (
        "sip:p.example.com;transport=tls-sctp;user=ip;method=INVITE;ttl=255;maddr=239.255.255.1;lr;ob;gr;x=y;z",
        SipUri(
            "sip",
            None,
            None,
            "p.example.com",
            None,
            (
                ("transport", "tls-sctp"),
                ("user", "ip"),
                ("method", "INVITE"),
                ("ttl", "255"),
                ("maddr", "239.255.255.1"),
                ("lr", None),
                ("ob", None),
                ("gr", None),
                ("x", "y"),
                ("z", None),
            ),
        ),
        None,
    ),
    ("sip:bob@b.com;gr=urn:uuid:f81d", SipUri("sip", "bob", None, "b.com", None, (("gr", "urn:uuid:f81d"),)), None),
    ("sip:b.com;maddr=[2001:db8::1]", SipUri("sip", None, None, "b.com", None, (("maddr", "[2001:db8::1]"),)), None),
    ("sip:b.com;ttl=0", SipUri("sip", None, None, "b.com", None, (("ttl", "0"),)), None),
    ("sips:b.com;transport=tcp", SipUri("sips", None, None, "b.com", None, (("transport", "tcp"),)), None),
    ("sip:b.com;transport=ws", SipUri("sip", None, None, "b.com", None, (("transport", "ws"),)), None),
    ("sip:b.com?h=", SipUri("sip", None, None, "b.com", None, (), (("h", ""),)), None),
    # other schemes are opaque absolute URIs
    ("tel:+1-212-555-1212", AbsoluteUri("tel", "+1-212-555-1212"), None),
    ("mailto:alice@atlanta.com", AbsoluteUri("mailto", "alice@atlanta.com"), None),
    ("http://www.example.com/a?b=c", AbsoluteUri("http", "//www.example.com/a?b=c"), None),
    (
        "urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6",
        AbsoluteUri("urn", "uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6"),
        None,
    ),
    ("TEL:+1;phone-context=x", AbsoluteUri("tel", "+1;phone-context=x"), "tel:+1;phone-context=x"),
]


@pytest.mark.parametrize(("text", "value", "canonical"), URI_TABLE, ids=[row[0] for row in URI_TABLE])
def test_text_to_value_to_text(text: str, value: SipUri | AbsoluteUri, canonical: str | None) -> None:
    parsed = parse_uri(text)
    assert parsed == value
    assert parsed.render() == (canonical or text)
    assert str(parsed) == parsed.render()


@pytest.mark.parametrize(("text", "value", "canonical"), URI_TABLE, ids=[row[0] for row in URI_TABLE])
def test_value_to_text_to_value(text: str, value: SipUri | AbsoluteUri, canonical: str | None) -> None:
    assert parse_uri(value.render()) == value


def test_sip_uri_accessors() -> None:
    uri = parse_uri("sips:alice@atlanta.com;Transport=TCP;lr")
    assert isinstance(uri, SipUri)
    assert uri.is_sips and uri.host_kind == "name"
    assert uri.param("transport") == "TCP" and uri.has_param("LR") and uri.param("lr") is None
    assert not uri.has_param("maddr")
    assert uri.twin().render() == "sip:alice@atlanta.com;Transport=TCP;lr"
    assert uri.twin().twin() == uri
    assert uri.with_scheme("SIP").scheme == "sip"
    assert uri.without_param("transport").render() == "sips:alice@atlanta.com;lr"
    assert uri.with_param("ttl", "5").render() == "sips:alice@atlanta.com;Transport=TCP;lr;ttl=5"
    assert uri.with_param("lr", "on").render() == "sips:alice@atlanta.com;Transport=TCP;lr=on"
    assert uri.with_params([("ob", None)]).render() == "sips:alice@atlanta.com;ob"
    assert parse_uri("sip:[::1]").host_kind == "v6" and parse_uri("sip:1.2.3.4").host_kind == "v4"
    assert not AbsoluteUri("tel", "+1").is_sips


def test_sip_uri_constructor_refuses_other_schemes() -> None:
    assert SipUri("SIPS", host="x").scheme == "sips"
    with pytest.raises(ValueError, match="scheme"):
        SipUri("tel", host="x")


# text, label (None: any ParseError)
ERROR_TABLE: list[tuple[str, str | None]] = [
    ("sips:alice@atlanta.com;transport=udp", "sips-transport-udp"),
    ("sips:alice@atlanta.com;TRANSPORT=UDP", "sips-transport-udp"),
    ("sip:", "missing-host"),
    ("sips:alice@", "missing-host"),
    ("sip:alice@;transport=tcp", "missing-host"),
    ("sip:alice@%61tlanta.com", "escaped-host"),
    ("sip:alice smith@atlanta.com", "unescaped-space"),
    ("sip:alice@atlanta.com;p=a b", "unescaped-space"),
    ("sip:[2001:db8::1", "bad-ipv6-reference"),
    ("sip:[2001:db8:::1]", "bad-ipv6-reference"),
    ("sip:[2001:db8::1%eth0]", "bad-ipv6-reference"),
    ("sip:[::ffff:1.2.3.04]", "bad-ipv6-reference"),
    ("sip:alice@atlanta.com;lr;LR", "duplicate-uri-param"),
    ("sip:a@b.com;transport=tcp;transport=tls", "duplicate-uri-param"),
    ("sip:a@b.com:65536", "bad-port"),
    ("sip:a@b.com:99999999999999999999999", "bad-port"),
    ("sip:a@b.com;ttl=256", "bad-ttl"),
    ("sip:a@b.com;ttl=x", "bad-ttl"),
    ("sip:a@b.com;maddr=%41", "bad-hostname"),
    ("sip:a@256.1.1.1", "bad-ipv4"),
    ("sip:a@-bad.com", None),
    ("sip:a@bad-.com", "bad-hostname"),
    ("sip:a@1bad.2com", "bad-hostname"),
    ("sip:a@b.com;transport", "bad-transport-param"),
    ("sip:a@b.com;method=IN[VITE", "bad-method-param"),
    ("sip:a@b.com;lr=", None),
    ("sip:a@b.com#frag", None),
    ("sip:a@b.com ", "unescaped-space"),
    ("", None),
    ("alice@atlanta.com", None),
    ("<sip:a@b.com>", None),
    ("sip:a@b.com>", None),
]


@pytest.mark.parametrize(("text", "label"), ERROR_TABLE, ids=[repr(row[0]) for row in ERROR_TABLE])
def test_refused_uris(text: str, label: str | None) -> None:
    with pytest.raises(ParseError) as info:
        parse_uri(text)
    error = info.value
    if label is not None:
        assert error.label == label
        assert error.hint
    assert error.line >= 1 and error.column >= 1
    assert "^" in error.context
    assert str(error).startswith("<uri>:1:")


def test_error_points_at_the_offending_character() -> None:
    with pytest.raises(ParseError) as info:
        parse_uri("sip:alice@%61tlanta.com")
    assert info.value.column == 11
    assert info.value.context.splitlines()[1].index("^") == 10
    assert info.value.expected_terminals == ("HOSTPORT_TAIL",)
    assert info.value.expected == ("a host name, IPv4 address or [IPv6] reference",)


def test_sips_transport_udp_lenient_mode_warns() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        uri = parse_uri("sips:alice@atlanta.com;transport=udp", strict=False)
    assert isinstance(uri, SipUri) and uri.param("transport") == "udp"
    assert any(issubclass(w.category, SipsTransportWarning) for w in caught)


def test_sip_with_transport_udp_is_fine() -> None:
    uri = parse_uri("sip:alice@atlanta.com;transport=udp")
    assert isinstance(uri, SipUri) and uri.param("transport") == "udp"

"""URI equivalence (RFC 3261 section 19.1.4, R-3261-19.1.4-a), AoR keys (10.3, RFC 5630 5.2), twin()."""

from __future__ import annotations

import pytest
from hypothesis import given

from sipsmodel.strategies import sip_uris, uris
from sipsmodel.syntax import AbsoluteUri, SipUri, aor_key, parse_uri, uri_equal

# The equal pairs of RFC 3261 section 19.1.4, plus our own cases.
EQUAL = [
    ("sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp"),
    ("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5"),
    ("sip:carol@chicago.com", "sip:carol@chicago.com;security=on"),
    ("sip:carol@chicago.com;newparam=5", "sip:carol@chicago.com;security=on"),
    ("sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
     "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com"),
    ("sip:alice@atlanta.com?subject=project%20x&priority=urgent",
     "sip:alice@atlanta.com?priority=urgent&subject=project%20x"),
    # ours: scheme case, escapes of unreserved chars anywhere, IPv6 forms, hex case of reserved escapes
    ("SIP:alice@atlanta.com", "sip:alice@atlanta.com"),
    ("sip:alice@atlanta.com;x=%41b", "sip:alice@atlanta.com;x=ab"),
    ("sip:[2001:db8::1]", "sip:[2001:DB8:0:0::1]"),
    ("sip:a%3bb@x.com", "sip:a%3Bb@x.com"),
    ("sips:alice:pw@atlanta.com:5061", "sips:alice:pw@ATLANTA.com:5061"),
    ("sip:alice@atlanta.com?Subject=x", "sip:alice@atlanta.com?subject=x"),
]  # fmt: skip

# The unequal pairs of RFC 3261 section 19.1.4, plus our own cases.
UNEQUAL = [
    ("SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP"),
    ("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060"),
    ("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp"),
    ("sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp"),
    ("sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting"),
    ("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4"),
    # ours: scheme (sip never equals sips), one-sided user/ttl/method/maddr/transport (F-23),
    # differing values of a common parameter, password, reserved escape vs character
    ("sip:bob@biloxi.com", "sips:bob@biloxi.com"),
    ("sip:bob@biloxi.com", "sip:bob@biloxi.com;user=phone"),
    ("sip:bob@biloxi.com", "sip:bob@biloxi.com;ttl=1"),
    ("sip:bob@biloxi.com", "sip:bob@biloxi.com;method=INVITE"),
    ("sip:bob@biloxi.com", "sip:bob@biloxi.com;maddr=1.2.3.4"),
    ("sips:bob@phone", "sips:bob@phone;transport=tcp"),
    ("sip:carol@chicago.com;security=on", "sip:carol@chicago.com;security=off"),
    ("sip:bob@biloxi.com", "sip:bob:pw@biloxi.com"),
    ("sip:bob:@biloxi.com", "sip:bob@biloxi.com"),
    ("sip:a%3Bb@x.com", "sip:a;b@x.com"),
    ("sip:bob@biloxi.com?a=b", "sip:bob@biloxi.com?a=c"),
    ("sip:bob@biloxi.com", "tel:+1"),
]


@pytest.mark.parametrize(("a", "b"), EQUAL, ids=[f"{a} == {b}" for a, b in EQUAL])
def test_equal_pairs(a: str, b: str) -> None:
    left, right = parse_uri(a), parse_uri(b)
    assert uri_equal(left, right)
    assert uri_equal(right, left)


@pytest.mark.parametrize(("a", "b"), UNEQUAL, ids=[f"{a} != {b}" for a, b in UNEQUAL])
def test_unequal_pairs(a: str, b: str) -> None:
    left, right = parse_uri(a), parse_uri(b)
    assert not uri_equal(left, right)
    assert not uri_equal(right, left)


def test_relation_is_not_transitive() -> None:
    a = parse_uri("sip:carol@chicago.com;security=on")
    b = parse_uri("sip:carol@chicago.com")
    c = parse_uri("sip:carol@chicago.com;security=off")
    assert uri_equal(a, b) and uri_equal(b, c)
    assert not uri_equal(a, c)


def test_absolute_uris_compare_by_scheme_and_text() -> None:
    assert uri_equal(parse_uri("TEL:+1%2D2"), AbsoluteUri("tel", "+1-2"))
    assert not uri_equal(AbsoluteUri("tel", "+1"), AbsoluteUri("tel", "+2"))
    assert not uri_equal(AbsoluteUri("tel", "+1"), AbsoluteUri("fax", "+1"))


@given(uris())
def test_equality_is_reflexive(uri: SipUri | AbsoluteUri) -> None:
    assert uri_equal(uri, uri)


@given(sip_uris(), sip_uris())
def test_equality_is_symmetric(a: SipUri, b: SipUri) -> None:
    assert uri_equal(a, b) == uri_equal(b, a)


@given(sip_uris("sip"))
def test_twin_never_equal_and_involutive(uri: SipUri) -> None:
    assert uri.twin().is_sips and not uri.is_sips
    assert not uri_equal(uri, uri.twin())
    assert uri.twin().twin() == uri


AOR_KEYS = [
    # uri, keep_scheme=True (RFC 3261 10.3 literal), keep_scheme=False (draft-04, RFC 5630 5.2)
    ("sip:bob@example.com", "sip:bob@example.com", "bob@example.com"),
    ("sips:bob@example.com", "sips:bob@example.com", "bob@example.com"),
    ("sips:bob@EXAMPLE.com;transport=tcp?subject=x", "sips:bob@example.com", "bob@example.com"),
    ("sip:%62ob%3b1@example.com;user=phone", "sip:bob;1@example.com", "bob;1@example.com"),
    ("sip:bob:secret@example.com:5070", "sip:bob@example.com:5070", "bob@example.com:5070"),
    ("sip:example.com", "sip:example.com", "example.com"),
    ("tel:+1%2d212", "tel:+1-212", "tel:+1-212"),
]


@pytest.mark.parametrize(("text", "kept", "blind"), AOR_KEYS, ids=[row[0] for row in AOR_KEYS])
def test_aor_keys(text: str, kept: str, blind: str) -> None:
    uri = parse_uri(text)
    assert aor_key(uri, keep_scheme=True) == kept
    assert aor_key(uri, keep_scheme=False) == blind


def test_aor_keys_of_twins_differ_only_when_the_scheme_is_kept() -> None:
    sip, sips = parse_uri("sip:bob@example.com"), parse_uri("sips:bob@example.com")
    assert aor_key(sip, keep_scheme=True) != aor_key(sips, keep_scheme=True)
    assert aor_key(sip, keep_scheme=False) == aor_key(sips, keep_scheme=False)


@given(sip_uris())
def test_scheme_blind_key_is_twin_invariant(uri: SipUri) -> None:
    assert aor_key(uri, keep_scheme=False) == aor_key(uri.twin(), keep_scheme=False)
    assert aor_key(uri, keep_scheme=True) != aor_key(uri.twin(), keep_scheme=True)

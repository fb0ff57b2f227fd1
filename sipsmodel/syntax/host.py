"""Host shapes: hostname, IPv4address and IPv6reference (RFC 3261 section 25.1, RFC 5954)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

HostKind = Literal["name", "v4", "v6"]

# ABNF: hostname = *( domainlabel "." ) toplabel [ "." ]
_HOSTNAME_RE = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?\.)*[A-Za-z](?:[A-Za-z0-9\-]*[A-Za-z0-9])?\.?")
# ABNF: IPv4address = 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT
_IPV4_RE = re.compile(r"([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})")


class HostError(ValueError):
    """A host that does not fit its production; carries a ParseError label and hint."""

    def __init__(self, message: str, label: str, hint: str) -> None:
        super().__init__(message)
        self.label = label
        self.hint = hint


def is_ipv4(text: str) -> bool:
    """Whether ``text`` is an IPv4address with every octet in 0..255."""
    match = _IPV4_RE.fullmatch(text)
    return match is not None and all(int(octet) <= 255 for octet in match.groups())


def _ipv6_address(text: str) -> str | None:
    """The address ``text`` names in the form ipaddress reads, or None when it is no IPv6address.

    Besides RFC 5954's IPv6address this tolerates the one form the RFC 3261 ABNF (from RFC 2373)
    accidentally allows: a hexpart ending in "::" followed by ":" IPv4address, as in
    ``2001:db8:::192.0.2.1``. RFC 5118 section 4.10 asks receivers to tolerate both; the three
    colons name the address of the two-colon form.
    """
    if not text or "%" in text or "[" in text:
        return None
    head, sep, tail = text.partition(":::")
    if sep:
        if "::" in head or ":" in tail or not is_ipv4(tail):
            return None
        text = f"{head}::{tail}"
    import ipaddress  # imported here: keeps start-up of the CLI fast

    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return None
    return text


def is_ipv6(text: str) -> bool:
    """Whether ``text`` is an IPv6address as corrected by RFC 5954 (no brackets, no zone).

    The three-colon form of the RFC 3261 ABNF is tolerated too (RFC 5118 section 4.10).
    """
    return _ipv6_address(text) is not None


@lru_cache(maxsize=8192)
def host_kind(text: str) -> HostKind:
    """Classify and check a ``host``; raise HostError when it fits no production."""
    if text.startswith("["):
        if text.endswith("]") and is_ipv6(text[1:-1]):
            return "v6"
        raise HostError(
            f"{text!r} is not a valid IPv6 reference",
            "bad-ipv6-reference",
            "write an IPv6 address in brackets, e.g. [2001:db8::1] (RFC 5954 grammar)",
        )
    match = _IPV4_RE.fullmatch(text)
    if match is not None:
        a, b, c, d = match.groups()  # 1..3 digits each: the int of one is at most 999
        if int(a) <= 255 and int(b) <= 255 and int(c) <= 255 and int(d) <= 255:
            return "v4"
        raise HostError(f"{text!r} has an IPv4 octet above 255", "bad-ipv4", "each octet is 0..255")
    if len(text) <= 255 and _HOSTNAME_RE.fullmatch(text):
        return "name"
    raise HostError(
        f"{text!r} is not a valid hostname",
        "bad-hostname",
        "labels are letters, digits and inner '-', separated by '.'; the last label starts with a letter",
    )


def normalize_host(text: str) -> str:
    """The host in the form used for comparison: lower case, IPv6 compressed (RFC 3261 19.1.4)."""
    if text.startswith("["):
        import ipaddress

        return "[" + ipaddress.IPv6Address(_ipv6_address(text[1:-1]) or text[1:-1]).compressed + "]"
    return text.lower()

"""Checks the grammar cannot state: number ranges, parameter values, hosts (RFC 3261 section 25.1).

Each check raises ``SemanticError`` with a position and a label; the transformer calls them.
"""

from __future__ import annotations

import re

from sipsmodel.syntax.diagnostics import SemanticError
from sipsmodel.syntax.host import HostError, host_kind, is_ipv4, is_ipv6
from sipsmodel.syntax.limits import MAX_PARAMS
from sipsmodel.syntax.text import is_token
from sipsmodel.syntax.uri import Param

_QVALUE_RE = re.compile(r"0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?")

#: Largest value of a 32-bit unsigned field (CSeq number, delta-seconds, Content-Length).
UINT32_MAX = 2**32 - 1


def bounded_int(digits: str, low: int, high: int, what: str, pos: int) -> int:
    """``digits`` as an int in ``low..high``; refuse anything else with label ``bad-<what>``."""
    stripped = digits.lstrip("0") or "0"
    if not digits.isdigit() or len(stripped) > 12 or not low <= int(stripped) <= high:
        raise SemanticError(
            f"{what} {digits[:20]!r} is out of range {low}..{high}", pos, f"bad-{what}", f"use {low}..{high}"
        )
    return int(stripped)


def check_host(host: str, pos: int) -> str:
    """Check a host's shape (hostname, IPv4, IPv6 reference per RFC 5954) and return it."""
    try:
        host_kind(host)
    except HostError as exc:
        raise SemanticError(str(exc), pos, exc.label, exc.hint) from None
    return host


def split_hostport(text: str, pos: int) -> tuple[str, int | None]:
    """Split ``host [ ":" port ]`` (with optional LWS around the colon, as in Via sent-by)."""
    if ":" not in text and " " not in text and "\t" not in text:
        return check_host(str(text), pos), None
    text = text.strip(" \t")
    if text.startswith("["):
        end = text.find("]") + 1
        host, rest = text[:end], text[end:]
    else:
        host, sep, rest = text.partition(":")
        rest = ":" + rest if sep else ""
        host = host.rstrip(" \t")
    check_host(host, pos)
    rest = rest.strip(" \t")
    port = bounded_int(rest[1:].strip(" \t"), 0, 65535, "port", pos) if rest else None
    return host, port


def check_param_count(params: tuple[tuple[str, str | None], ...], pos: int) -> None:
    """Refuse more than MAX_PARAMS parameters (an explicit limit, see limits.py)."""
    if len(params) > MAX_PARAMS:
        raise SemanticError(
            f"{len(params)} parameters exceed the limit of {MAX_PARAMS}",
            pos,
            "too-many-params",
            "sipsmodel refuses more parameters than this on one value (see sipsmodel.syntax.limits)",
        )


def check_uri_params(params: tuple[Param, ...], pos: int) -> None:
    """Check URI parameters: no duplicates (R-3261-19.1.1-b) and the specialised values."""
    check_param_count(params, pos)
    seen: set[str] = set()
    for name, value in params:
        lname = name.lower()
        if lname in seen:
            raise SemanticError(
                f"URI parameter {name!r} appears twice",
                pos,
                "duplicate-uri-param",
                "a URI parameter name may appear only once (RFC 3261 section 19.1.1)",
            )
        seen.add(lname)
        if lname in _CHECKED_URI_PARAMS:
            _check_uri_param(lname, value, pos)


_CHECKED_URI_PARAMS = frozenset({"transport", "user", "method", "ttl", "maddr"})


def _check_uri_param(lname: str, value: str | None, pos: int) -> None:
    if lname in ("transport", "user", "method") and (value is None or not is_token(value)):
        raise SemanticError(
            f"the {lname} parameter needs a token value",
            pos,
            f"bad-{lname}-param",
            f"write {lname}=<token>, e.g. transport=tcp, user=phone, method=INVITE (RFC 3261 section 25.1)",
        )
    if lname == "ttl":
        bounded_int(value or "", 0, 255, "ttl", pos)
    elif lname == "maddr":
        check_host(value or "", pos)


def check_contact_params(params: tuple[Param, ...], pos: int) -> None:
    """Check q, expires and reg-id of a contact-param (RFC 3261 20.10, RFC 5626 section 12)."""
    check_param_count(params, pos)
    for name, value in params:
        lname = name.lower()
        if lname == "q" and (value is None or not _QVALUE_RE.fullmatch(value)):
            raise SemanticError(f"q value {value!r} is not a qvalue", pos, "bad-qvalue", "use 0..1, e.g. 0.7")
        if lname == "expires":
            bounded_int(value or "", 0, UINT32_MAX, "expires", pos)
        elif lname == "reg-id":
            bounded_int(value or "", 1, 2**31 - 1, "reg-id", pos)
        elif lname in ("pub-gruu", "temp-gruu", "+sip.instance") and not (value or "").startswith('"'):
            raise SemanticError(
                f"{name} needs a quoted value", pos, f"bad-{lname.lstrip('+')}", f'write {name}="<...>" (RFC 5626/5627)'
            )


def check_tag_params(params: tuple[Param, ...], pos: int) -> None:
    """Check the tag of To and From is a token (RFC 3261 section 25.1 tag-param)."""
    check_param_count(params, pos)
    for name, value in params:
        if name.lower() == "tag" and (value is None or not is_token(value)):
            raise SemanticError("the tag parameter needs a token value", pos, "bad-tag", "write tag=<token>")


def _is_received(value: str) -> bool:
    """via-received = "received" EQUAL (IPv4address / IPv6address); an IPv6 address in brackets
    is accepted too, as RFC 5118 section 4.5 asks (implementations send both forms)."""
    if value.startswith("[") and value.endswith("]"):
        return is_ipv6(value[1:-1])
    return is_ipv4(value) or is_ipv6(value)


def check_via_params(params: tuple[Param, ...], pos: int) -> None:
    """Check ttl, maddr, received, branch and rport of a via-parm (RFC 3261 20.42, RFC 3581)."""
    check_param_count(params, pos)
    for name, value in params:
        lname = name.lower()
        if lname == "ttl":
            bounded_int(value or "", 0, 255, "ttl", pos)
        elif lname == "maddr":
            check_host(value or "", pos)
        elif lname == "received" and not _is_received(value or ""):
            raise SemanticError(
                f"received {value!r} is not an IPv4 or IPv6 address",
                pos,
                "bad-received",
                "received holds an IP address, e.g. received=192.0.2.1 or received=2001:db8::1 (RFC 3261 20.42)",
            )
        elif lname == "branch" and (value is None or not is_token(value)):
            raise SemanticError(
                "the branch parameter needs a token value", pos, "bad-branch", "write branch=z9hG4bK<token>"
            )
        elif lname == "rport" and value is not None:
            bounded_int(value, 0, 65535, "rport", pos)

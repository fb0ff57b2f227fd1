"""The header table (canonical names, compact forms, value kinds) and header-value parsing.

RFC 3261 section 7.3.3 and 20 (compact forms i m f t v l c k s e), RFC 3265 (o, u), RFC 3515
(r), RFC 4028 (x), RFC 4474 (y, n), RFC 3892 (b), RFC 3841 (a, j, d). Known headers are parsed
by their start symbol in grammar/sip.lark; every other header keeps its raw value. Parsed
values are cached on (kind, text, strict), so repeated values cost one dictionary look-up.
"""

from __future__ import annotations

import warnings
from functools import lru_cache
from typing import Any

from sipsmodel.errors import ParseError
from sipsmodel.syntax import checks
from sipsmodel.syntax.diagnostics import SemanticError, from_semantic
from sipsmodel.syntax.parser import run
from sipsmodel.syntax.uri import SipUri, Uri
from sipsmodel.syntax.values import CSeq, MediaType, NameAddr, RawValue, Star, Via, WarningValue

#: canonical name -> value kind (the start symbol's short name, or "raw").
KINDS: dict[str, str] = {
    "Via": "via",
    "Route": "route",
    "Record-Route": "route",
    "Path": "route",
    "Service-Route": "route",
    "Contact": "contact",
    "To": "addr",
    "From": "addr",
    "Reply-To": "addr",
    "Refer-To": "addr",
    "Referred-By": "addr",
    "Call-ID": "callid",
    "CSeq": "cseq",
    "Max-Forwards": "max_forwards",
    "Expires": "uint",
    "Min-Expires": "uint",
    "Content-Length": "uint",
    "Require": "tags",
    "Proxy-Require": "tags",
    "Supported": "tags",
    "Unsupported": "tags",
    "Warning": "warning",
    "Content-Type": "media",
}

#: Other canonical spellings that are kept raw.
_RAW_NAMES = (  # noqa: SIM905
    "Accept Accept-Contact Accept-Encoding Accept-Language Alert-Info Allow Allow-Events "
    "Authentication-Info Authorization Call-Info Content-Disposition Content-Encoding "
    "Content-Language Date Error-Info Event In-Reply-To Identity Identity-Info MIME-Version "
    "Organization Priority Proxy-Authenticate Proxy-Authorization Reason Reject-Contact "
    "Request-Disposition Retry-After RSeq RAck Server Session-Expires Subject Subscription-State "
    "Timestamp User-Agent WWW-Authenticate P-Asserted-Identity P-Preferred-Identity"
).split()

#: Compact forms (RFC 3261 section 7.3.3 and the extensions named above).
COMPACT: dict[str, str] = {
    "i": "Call-ID", "m": "Contact", "f": "From", "t": "To", "v": "Via", "l": "Content-Length",
    "c": "Content-Type", "k": "Supported", "s": "Subject", "e": "Content-Encoding", "o": "Event",
    "u": "Allow-Events", "r": "Refer-To", "x": "Session-Expires", "y": "Identity", "b": "Referred-By",
    "a": "Accept-Contact", "j": "Reject-Contact", "d": "Request-Disposition", "n": "Identity-Info",
}  # fmt: skip

_CANONICAL: dict[str, str] = {name.lower(): name for name in (*KINDS, *_RAW_NAMES)}
_CANONICAL.update(COMPACT)

#: Kinds whose value is a comma list (several values per line, lines concatenate).
LIST_KINDS = frozenset({"via", "route", "contact", "warning", "tags"})

_STARTS = {
    "via": "start_via", "route": "start_route", "contact": "start_contact", "addr": "start_addr",
    "callid": "start_callid", "cseq": "start_cseq", "max_forwards": "start_number",
    "uint": "start_number", "tags": "start_tags", "warning": "start_warning", "media": "start_media",
}  # fmt: skip

#: Kinds whose values hold URIs (checked for sips with transport=udp).
_URI_KINDS = frozenset({"route", "contact", "addr"})

#: What a parsed header value can be.
HeaderValue = (
    tuple[Via, ...] | tuple[NameAddr, ...] | Star | NameAddr | tuple[WarningValue, ...] | CSeq | str | int
    | tuple[str, ...] | MediaType | RawValue
)  # fmt: skip


class SipsTransportWarning(UserWarning):
    """A ``sips:`` URI with ``transport=udp`` was accepted because strict=False (R-3261-19.1.1-a)."""


@lru_cache(maxsize=1024)
def canonical_name(name: str) -> str:
    """The canonical spelling of a header name (compact forms expanded, case folded)."""
    known = _CANONICAL.get(name.lower())
    return known if known else "-".join(part.capitalize() for part in name.split("-"))


def kind_of(name: str) -> str:
    """The value kind of header ``name`` ("raw" for headers sipsmodel does not parse)."""
    return KINDS.get(canonical_name(name), "raw")


def _uris_in(value: Any) -> list[Uri]:
    if isinstance(value, SipUri):
        return [value]
    if isinstance(value, NameAddr):
        return [value.uri]
    if isinstance(value, tuple) and not isinstance(value, CSeq):
        return [uri for item in value for uri in _uris_in(item)]
    return []


def check_sips_transport(value: Any, text: str, strict: bool, source: str) -> None:
    """Refuse (strict) or warn about a sips URI with transport=udp (R-3261-19.1.1-a)."""
    for uri in _uris_in(value):
        if isinstance(uri, SipUri) and uri.is_sips and (uri.param("transport") or "").lower() == "udp":
            message = "a sips URI cannot name transport=udp"
            if not strict:
                warnings.warn(f"{source}: {message} (accepted: strict=False)", SipsTransportWarning, 3)
                continue
            pos = text.lower().find("transport=udp")
            raise from_semantic(
                SemanticError(
                    message,
                    pos,
                    "sips-transport-udp",
                    "use transport=tcp (or tls-sctp/sctp), or a sip: URI (RFC 3261 section 19.1.1); "
                    "pass strict=False (CLI: --lenient) to accept it with a warning",
                ),
                text,
                source,
            )


def _number(kind: str, text: str, source: str) -> int:
    # 1*DIGIT: plain ASCII digits need no parser run (the grammar rule says exactly this)
    digits: str = text if text.isascii() and text.isdigit() else run("start_number", text, source)
    high = 255 if kind == "max_forwards" else checks.UINT32_MAX
    try:
        return checks.bounded_int(digits, 0, high, kind.replace("_", "-"), 0)
    except SemanticError as exc:
        raise from_semantic(exc, text, source) from None


@lru_cache(maxsize=32768)
def parse_value(kind: str, text: str, strict: bool = True) -> HeaderValue:
    """Parse a header value of ``kind`` (cached on the text). Raise ParseError."""
    if kind == "raw":
        return RawValue(text)
    source = f"<{kind} value>"
    if kind in ("max_forwards", "uint"):
        return _number(kind, text, source)
    value: HeaderValue = run(_STARTS[kind], text, source)
    if kind in _URI_KINDS:  # only these values hold URIs
        check_sips_transport(value, text, strict, source)
    return value


def parse_header(name: str, value: str, strict: bool = True) -> HeaderValue:
    """Parse the value of header ``name``; unknown headers give a RawValue. Raise ParseError.

    List headers (Via, Route, Record-Route, Path, Service-Route, Contact, Warning, Require,
    Supported) give a tuple; To/From give a NameAddr; ``Contact: *`` gives STAR; CSeq a CSeq;
    Call-ID a str; Max-Forwards, Expires and Content-Length an int; Content-Type a MediaType.
    """
    text = value.replace("\r\n", "\n").replace("\n ", " ").replace("\n\t", " ").strip(" \t")
    try:
        return parse_value(kind_of(name), text, strict)
    except ParseError as exc:
        exc.source = f"<{canonical_name(name)} header>"
        raise

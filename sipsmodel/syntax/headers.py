"""The header table (canonical names, compact forms, value kinds) and header-value parsing.

RFC 3261 section 7.3.3 and 20 (compact forms i m f t v l c k s e), RFC 3265 (o, u), RFC 3515
(r), RFC 4028 (x), RFC 4474 (y, n), RFC 3892 (b), RFC 3841 (a, j, d). Known headers are parsed
by their start symbol in grammar/sip.lark; every other header keeps its raw value. Parsed
values are cached on (kind, text, strict), so repeated values cost one dictionary look-up.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, cast

from sipsmodel.errors import ParseError
from sipsmodel.syntax import checks
from sipsmodel.syntax.diagnostics import SemanticError, from_semantic
from sipsmodel.syntax.lenient import sips_udp_leniencies, sips_udp_uris, warn_each
from sipsmodel.syntax.parser import run
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
URI_KINDS = frozenset({"route", "contact", "addr"})

#: What a parsed header value can be.
HeaderValue = (
    tuple[Via, ...] | tuple[NameAddr, ...] | Star | NameAddr | tuple[WarningValue, ...] | CSeq | str | int
    | tuple[str, ...] | MediaType | RawValue
)  # fmt: skip


@lru_cache(maxsize=1024)
def canonical_name(name: str) -> str:
    """The canonical spelling of a header name (compact forms expanded, case folded)."""
    known = _CANONICAL.get(name.lower())
    return known if known else "-".join(part.capitalize() for part in name.split("-"))


def kind_of(name: str) -> str:
    """The value kind of header ``name`` ("raw" for headers sipsmodel does not parse)."""
    return KINDS.get(canonical_name(name), "raw")


def check_sips_transport(value: Any, text: str, strict: bool, source: str) -> None:
    """Refuse a sips URI with transport=udp when ``strict`` (R-3261-19.1.1-a).

    A lenient parse (``strict=False``) accepts it here; the leniency is reported by the caller,
    outside the parse caches, from the value (sipsmodel/syntax/lenient.py).
    """
    if not strict or not sips_udp_uris(value):
        return
    pos = text.lower().find("transport=udp")
    raise from_semantic(
        SemanticError(
            "a sips URI cannot name transport=udp",
            pos,
            "sips-transport-udp",
            "use transport=tcp (or tls-sctp/sctp), or a sip: URI (RFC 3261 section 19.1.1); "
            "pass strict=False (CLI: --lenient) to accept it and report it as a leniency",
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
    if kind in URI_KINDS:  # only these values hold URIs
        check_sips_transport(value, text, strict, source)
    return value


def _unfold(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\n ", " ").replace("\n\t", " ").strip(" \t")


def parse_header(name: str, value: str, strict: bool = True) -> HeaderValue:
    """Parse the value of header ``name``; unknown headers give a RawValue. Raise ParseError.

    List headers (Via, Route, Record-Route, Path, Service-Route, Contact, Warning, Require,
    Supported) give a tuple; To/From give a NameAddr; ``Contact: *`` gives STAR; CSeq a CSeq;
    Call-ID a str; Max-Forwards, Expires and Content-Length an int; Content-Type a MediaType.
    ``strict=False`` accepts a sips URI with transport=udp and emits a SipsTransportWarning.
    """
    text = _unfold(value)
    source = f"<{canonical_name(name)} header>"
    try:
        parsed = parse_value(kind_of(name), text, strict)
    except ParseError as exc:
        exc.source = source
        raise
    if not strict:
        warn_each(sips_udp_leniencies(parsed, text, lambda pos: (1, pos + 1)), source)
    return parsed


def parse_name_addr(text: str, strict: bool = True) -> NameAddr:
    """Parse one address with its header parameters, as in To and From; raise ParseError.

    The address is a name-addr (``"Bob" <sips:bob@biloxi.com>``) or an addr-spec
    (``sips:bob@biloxi.com``), followed by ``;name=value`` parameters (RFC 3261 sections 20.10,
    20.20, 20.39). ``strict=False`` accepts a sips URI with transport=udp (R-3261-19.1.1-a) and
    emits a SipsTransportWarning.
    """
    unfolded = _unfold(text)
    try:
        value = parse_value("addr", unfolded, strict)
    except ParseError as exc:
        exc.source = "<name-addr>"
        raise
    if not strict:
        warn_each(sips_udp_leniencies(value, unfolded, lambda pos: (1, pos + 1)), "<name-addr>")
    return cast(NameAddr, value)

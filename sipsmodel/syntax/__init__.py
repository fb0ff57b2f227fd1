"""The syntax layer: SIP and SIPS URIs, header values and messages as frozen values.

Parsing uses grammar/sip.lark (Lark LALR, contextual lexer); every function raises
``sipsmodel.errors.ParseError`` on bad input. RFC 3261 sections 7, 19, 20 and 25.
"""

from __future__ import annotations

from functools import lru_cache

from sipsmodel.syntax.compare import aor_key, uri_equal
from sipsmodel.syntax.headers import (
    HeaderValue,
    SipsTransportWarning,
    canonical_name,
    check_sips_transport,
    parse_header,
)
from sipsmodel.syntax.message import Header, SipMessage, build_request, build_response, parse_message, parse_messages
from sipsmodel.syntax.parser import run
from sipsmodel.syntax.uri import AbsoluteUri, Param, SipUri, Uri
from sipsmodel.syntax.values import STAR, CSeq, MediaType, NameAddr, RawValue, Star, Via, WarningValue

__all__ = [
    "STAR",
    "AbsoluteUri",
    "CSeq",
    "Header",
    "HeaderValue",
    "MediaType",
    "NameAddr",
    "Param",
    "RawValue",
    "SipMessage",
    "SipUri",
    "SipsTransportWarning",
    "Star",
    "Uri",
    "Via",
    "WarningValue",
    "aor_key",
    "build_request",
    "build_response",
    "canonical_name",
    "parse_header",
    "parse_message",
    "parse_messages",
    "parse_uri",
    "uri_equal",
]


@lru_cache(maxsize=32768)
def _parse_uri_cached(text: str) -> Uri:
    value: Uri = run("start_uri", text, "<uri>")
    return value


def parse_uri(text: str, strict: bool = True) -> Uri:
    """Parse a URI: SIP-URI, SIPS-URI or any absoluteURI (RFC 3261 section 25.1); raise ParseError.

    A ``sips:`` URI with ``transport=udp`` (R-3261-19.1.1-a) is refused with label
    ``sips-transport-udp`` unless ``strict=False``, which accepts it and emits a
    SipsTransportWarning. Duplicate parameters (R-3261-19.1.1-b) and escaped hosts
    (R-3261-19.1.2-a) are always refused.
    """
    uri = _parse_uri_cached(text)
    if uri.is_sips and isinstance(uri, SipUri) and uri.has_param("transport"):
        check_sips_transport(uri, text, strict, "<uri>")
    return uri

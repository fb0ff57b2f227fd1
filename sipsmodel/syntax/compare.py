"""URI equivalence (RFC 3261 section 19.1.4) and AoR keys (RFC 3261 10.3, RFC 5630 5.2).

Choices where the text is open (SIPS-RULES.md F-22, F-23):

* ``transport`` present on one side only makes two URIs unequal. Section 19.1.4 lists only user,
  ttl, method and maddr as such parameters, but its own example
  (``sip:bob@biloxi.com`` vs ``sip:bob@biloxi.com:5060;transport=udp`` is unequal) and the rule
  "a default value left out is not the stated value" read together treat it the same (F-23).
* IPv6 references compare by address (``[2001:db8::1]`` equals ``[2001:DB8:0::1]``); an IP
  address never equals a host name.
* URI headers compare as a multiset of (case-insensitive name, value), order ignored.
"""

from __future__ import annotations

from sipsmodel.syntax.host import normalize_host
from sipsmodel.syntax.text import normalize_escapes, unescape_all
from sipsmodel.syntax.uri import AbsoluteUri, Param, SipUri, Uri

#: Parameters that make URIs unequal when present on one side only (RFC 3261 19.1.4; see F-23).
ONE_SIDED_UNEQUAL = frozenset({"user", "ttl", "method", "maddr", "transport"})


def _norm(text: str | None) -> str | None:
    return None if text is None else normalize_escapes(text)


def _norm_ci(text: str | None) -> str | None:
    return None if text is None else normalize_escapes(text).lower()


def _param_map(params: tuple[Param, ...]) -> dict[str, str | None]:
    return {normalize_escapes(n).lower(): _norm_ci(v) for n, v in params}


def _params_equal(a: tuple[Param, ...], b: tuple[Param, ...]) -> bool:
    left, right = _param_map(a), _param_map(b)
    for name in left.keys() | right.keys():
        if name in left and name in right:
            if left[name] != right[name]:
                return False
        elif name in ONE_SIDED_UNEQUAL:
            return False
    return True


def _headers_key(headers: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    return sorted((normalize_escapes(n).lower(), normalize_escapes(v)) for n, v in headers)


def _sip_equal(a: SipUri, b: SipUri) -> bool:
    return (
        a.scheme == b.scheme
        and _norm(a.user) == _norm(b.user)
        and _norm(a.password) == _norm(b.password)
        and normalize_host(a.host) == normalize_host(b.host)
        and a.port == b.port
        and _params_equal(a.params, b.params)
        and _headers_key(a.headers) == _headers_key(b.headers)
    )


def uri_equal(a: Uri, b: Uri) -> bool:
    """Whether two URIs are equivalent per RFC 3261 section 19.1.4 (R-3261-19.1.4-a).

    Userinfo is case-sensitive, everything else case-insensitive; ``%HH`` of a non-reserved
    character equals the character; sip never equals sips. The relation is not transitive.
    Other schemes compare by scheme and by their text with escapes normalised.
    """
    if isinstance(a, SipUri) and isinstance(b, SipUri):
        return _sip_equal(a, b)
    if isinstance(a, AbsoluteUri) and isinstance(b, AbsoluteUri):
        return a.scheme == b.scheme and normalize_escapes(a.text) == normalize_escapes(b.text)
    return False


def aor_key(uri: Uri, keep_scheme: bool) -> str:
    """The location-service key of an address-of-record.

    RFC 3261 section 10.3 step 5 (R-3261-10.3-a): URI parameters and headers are removed and
    escapes decoded; ``keep_scheme=True`` keeps the scheme as that text literally does, so
    ``sip:bob@x`` and ``sips:bob@x`` are different keys. ``keep_scheme=False`` is the scheme-blind
    key of draft-04 section 5 and RFC 5630 section 5.2 (R-5630-5.2-a). The host is lower-cased
    (host names are case-insensitive); the password is dropped.
    """
    if isinstance(uri, AbsoluteUri):
        return f"{uri.scheme}:{unescape_all(uri.text)}"
    user = "" if uri.user is None else unescape_all(uri.user) + "@"
    port = "" if uri.port is None else f":{uri.port}"
    body = f"{user}{normalize_host(uri.host)}{port}"
    return f"{uri.scheme}:{body}" if keep_scheme else body

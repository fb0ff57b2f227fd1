"""The Lark transformer: grammar/sip.lark parse results to frozen values (RFC 3261 section 25.1).

Used inline by the LALR parser (no tree is built). Methods are named after the grammar rules;
terminals arrive as Lark tokens (``str`` with ``start_pos``).
"""

from __future__ import annotations

import re
from typing import Any, cast

from lark import Token, Transformer

from sipsmodel.syntax import checks
from sipsmodel.syntax.diagnostics import SemanticError
from sipsmodel.syntax.limits import MAX_LIST_ITEMS
from sipsmodel.syntax.text import unquote
from sipsmodel.syntax.uri import AbsoluteUri, Param, SipUri, Uri
from sipsmodel.syntax.values import STAR, CSeq, MediaType, NameAddr, Star, Via, WarningValue

_QUOTED = r'"(?:[^"\\]|\\.)*"'
_TOKEN = r"[A-Za-z0-9\-.!%*_+`'~]+"
_HPARAM_RE = re.compile(rf"[ \t]*;[ \t]*({_TOKEN})(?:[ \t]*=[ \t]*({_TOKEN}|\[[0-9A-Fa-f:.]+\]|{_QUOTED}))?")
_VPARAM_RE = re.compile(rf"[ \t]*;[ \t]*({_TOKEN})(?:[ \t]*=[ \t]*([A-Za-z0-9\-.!%*_+`'~:\[\]]+|{_QUOTED}))?")
_WS_RE = re.compile(r"[ \t]+")
_FOLD_RE = re.compile(r"\r?\n[ \t]+")

#: A header line of the head: (name as written, unfolded value, offset of the line).
HeaderLine = tuple[str, str, int]
#: The start line: ("request", method, uri, version) or ("response", status, reason, version).
StartLine = tuple[str, Any, Any, str]


def split_params(text: str, pattern: re.Pattern[str]) -> tuple[Param, ...]:
    """``;name=value`` pairs of a HEADER_PARAMS or VIA_PARAMS token (already checked by the grammar)."""
    # both patterns have two groups: the name, and the value (None when absent)
    return cast(tuple[Param, ...], tuple([m.groups() for m in pattern.finditer(text)]))


def _uri_tail(tok: str, pos: int) -> tuple[tuple[Param, ...], tuple[tuple[str, str], ...]]:
    query = tok.find("?")
    params_text, headers_text = (tok, "") if query < 0 else (tok[:query], tok[query + 1 :])
    params: tuple[Param, ...] = ()
    if params_text:
        found: list[Param] = []
        for part in params_text[1:].split(";"):
            name, sep, value = part.partition("=")
            found.append((name, value if sep else None))
        params = tuple(found)
        checks.check_uri_params(params, pos)
    headers: tuple[tuple[str, str], ...] = ()
    if headers_text:
        headers = tuple([(n, v) for n, _, v in [h.partition("=") for h in headers_text.split("&")]])
        checks.check_param_count(headers, pos)
    return params, headers


def _list(children: list[Any]) -> tuple[Any, ...]:
    # item (COMMA item)*: the items are at the even indices, the COMMA tokens at the odd ones
    items = tuple(children[::2])
    if len(items) > MAX_LIST_ITEMS:
        raise SemanticError(
            f"{len(items)} values exceed the limit of {MAX_LIST_ITEMS}", 0, "too-many-values", "split the header"
        )
    return items


def _params(children: list[Any], index: int, pattern: re.Pattern[str]) -> tuple[Param, ...]:
    return split_params(children[index], pattern) if len(children) > index else ()


def _start_of(tok: Any) -> int:
    return int(getattr(tok, "start_pos", 0) or 0)


class _Children:
    """What Lark's child filter needs of a helper rule's node: its ``children``."""

    __slots__ = ("children",)

    def __init__(self, children: list[Any]) -> None:
        self.children = children


class ToValues(Transformer[Token, Any]):
    """Callbacks for each rule of grammar/sip.lark."""

    # --- URIs ---------------------------------------------------------------------------
    def sip_uri(self, c: list[Token]) -> SipUri:
        """SIP-URI / SIPS-URI (RFC 3261 section 25.1)."""
        head = c[0]
        colon = head.index(":")
        scheme = head[:colon].lower()
        user: str | None = None
        password: str | None = None
        if head[-1] == "@":  # SIP_HEAD is the scheme, then a userinfo that ends in "@" if any
            user, sep, password = head[colon + 1 : -1].partition(":")
            if not sep:
                password = None
        text: str = c[1]
        pos = c[1].start_pos or 0
        semi = text.find(";")
        query = text.find("?")
        cut = semi if semi >= 0 and (query < 0 or semi < query) else query
        if cut < 0:
            host, port = checks.split_hostport(text, pos)
            return SipUri(scheme, user, password, host, port)
        host, port = checks.split_hostport(text[:cut], pos)
        params, headers = _uri_tail(text[cut:], pos + cut)
        return SipUri(scheme, user, password, host, port, params, headers)

    bare_sip_uri = sip_uri

    def absolute_uri(self, c: list[Token]) -> AbsoluteUri:
        """absoluteURI of RFC 2396, kept opaque."""
        return AbsoluteUri(c[0][:-1].lower(), str(c[1]))

    bare_absolute_uri = absolute_uri

    def request_uri(self, c: list[Uri]) -> Uri:
        """Request-URI = SIP-URI / SIPS-URI / absoluteURI."""
        return c[0]

    addr_spec = bare_addr_spec = address = start_uri = request_uri

    # --- addresses ----------------------------------------------------------------------
    def name_addr(self, c: list[Any]) -> NameAddr:
        """name-addr = [ display-name ] LAQUOT addr-spec RAQUOT."""
        if len(c) == 3:
            return NameAddr(c[1])
        display: str = c[0]
        name = unquote(display) if display.startswith('"') else _WS_RE.sub(" ", display.strip())
        return NameAddr(c[2], name)

    def addr_value(self, c: list[Any]) -> NameAddr:
        """To / From value: address with tag and generic parameters."""
        params = _params(c, 1, _HPARAM_RE)
        checks.check_tag_params(params, _start_of(c[-1]))
        return _with_params(c[0], params)

    def contact_param(self, c: list[Any]) -> NameAddr:
        """contact-param = ( name-addr / addr-spec ) *( SEMI contact-params )."""
        params = _params(c, 1, _HPARAM_RE)
        checks.check_contact_params(params, _start_of(c[-1]))
        return _with_params(c[0], params)

    def route_param(self, c: list[Any]) -> NameAddr:
        """route-param / rec-route / path-value / sr-value = name-addr *( SEMI rr-param )."""
        if len(c) == 1:
            same: NameAddr = c[0]  # the name_addr itself: a NameAddr without parameters
            return same
        params = split_params(c[1], _HPARAM_RE)
        checks.check_param_count(params, _start_of(c[-1]))
        return NameAddr(c[0].uri, c[0].display_name, params)

    def contact_value(self, c: list[Any]) -> tuple[NameAddr, ...] | Star:
        """Contact = STAR / contact-param *( COMMA contact-param )."""
        if isinstance(c[0], Token) and c[0].type == "STAR":
            return STAR
        return _list(c)

    def route_value(self, c: list[Any]) -> tuple[NameAddr, ...]:
        """Route / Record-Route / Path / Service-Route: a comma list of name-addrs."""
        return _list(c)

    # --- Via, Warning and simple headers ------------------------------------------------
    def via_parm(self, c: list[Token]) -> Via:
        """via-parm = sent-protocol LWS sent-by *( SEMI via-params )."""
        protocol, version, transport = c[0].split("/")  # three TOKENs: a token has no "/"
        sent_by = c[1]
        host, port = checks.split_hostport(sent_by, sent_by.start_pos or 0)
        if len(c) > 2:
            params = split_params(c[2], _VPARAM_RE)
            checks.check_via_params(params, c[2].start_pos or 0)
        else:
            params = ()
            checks.check_via_params(params, sent_by.start_pos or 0)
        return Via(
            transport.strip(" \t").upper(), host, port, params, protocol.strip(" \t").upper(), version.strip(" \t")
        )

    via_value = warning_value = route_value

    def warning(self, c: list[Token]) -> WarningValue:
        """warning-value = warn-code SP warn-agent SP warn-text."""
        return WarningValue(int(c[0]), c[1][1:], unquote(c[2][1:]))

    def cseq_value(self, c: list[Token]) -> CSeq:
        """CSeq = 1*DIGIT LWS Method (a 32-bit unsigned number, RFC 3261 section 8.1.1.5)."""
        number = checks.bounded_int(c[0], 0, checks.UINT32_MAX, "cseq", _start_of(c[0]))
        return CSeq(number, c[1].strip(" \t"))

    def media_value(self, c: list[Token]) -> MediaType:
        """media-type = m-type SLASH m-subtype *( SEMI m-parameter )."""
        mtype, subtype = (p.strip(" \t").lower() for p in c[0].split("/"))
        return MediaType(mtype, subtype, _params(c, 1, _HPARAM_RE))

    def start_tags(self, c: list[Token | None]) -> tuple[str, ...]:
        """option-tag lists of Require and Supported."""
        return tuple(str(t) for t in c if t is not None and t.type == "OPTION_TAG")

    def start_callid(self, c: list[Token]) -> str:
        """callid = word [ "@" word ]."""
        return str(c[0])

    def start_number(self, c: list[Token]) -> str:
        """1*DIGIT, range-checked by the caller (which knows the header)."""
        return str(c[0])

    def _first(self, c: list[Any]) -> Any:
        return c[0]

    def __default__(self, data: Any, children: list[Any], meta: Any) -> _Children:
        """Lark's helper rules of ``x*`` (``__head_star_1``, ...), spliced into their parent rule."""
        return _Children(children)

    start_addr = start_contact = start_route = start_via = start_warning = _first
    start_cseq = start_media = start_head = _first

    # --- message head -------------------------------------------------------------------
    def request_line(self, c: list[Any]) -> StartLine:
        """Request-Line = Method SP Request-URI SP SIP-Version CRLF."""
        return ("request", c[0][:-1], c[1], c[2].strip().upper())

    def head(self, c: list[Any]) -> tuple[StartLine, list[HeaderLine]]:
        """Start line and raw header lines (unfolded, trimmed) of a message head."""
        first = c[0]
        start = _status_line(first) if isinstance(first, Token) else first
        return start, [_header_line(tok) for tok in c[1:]]


def _with_params(value: NameAddr | Uri, params: tuple[Param, ...]) -> NameAddr:
    if isinstance(value, NameAddr):
        return NameAddr(value.uri, value.display_name, params) if params else value
    return NameAddr(value, None, params)


def _status_line(tok: Token) -> StartLine:
    version, code, reason = tok.rstrip("\r\n").split(" ", 2)
    pos = _start_of(tok) + len(version) + 1
    if len(code) != 3:
        raise SemanticError(
            f"status code {code[:20]!r} is not three digits", pos, "bad-status", "Status-Code = 3DIGIT, 100..699"
        )
    status = checks.bounded_int(code, 100, 699, "status", pos)
    return ("response", status, reason, version.upper())


def _header_line(tok: Token) -> HeaderLine:
    return header_line(tok, tok.start_pos or 0)


def header_line(text: str, pos: int) -> HeaderLine:
    """(name, unfolded trimmed value, ``pos``) of the text of one HEADER_LINE token at ``pos``."""
    name, _, value = text.partition(":")
    if value.find("\n") != len(value) - 1:  # the line is folded (its EOL is its only LF otherwise)
        value = _FOLD_RE.sub(" ", value)
    return name.rstrip(" \t"), value.strip(" \t\r\n"), pos

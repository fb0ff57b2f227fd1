"""Hypothesis strategies for syntax values (RFC 3261 section 25.1).

Valid SIP and SIPS URIs, absolute URIs, name-addrs, Via values and whole
messages as values (``sip_uris()``, ``sips_uris()``, ``uris()``, ``name_addrs()``,
``via_values()``, ``sip_messages()``), and ``*_texts()`` variants that draw the text a lenient
receiver must accept (scheme case, compact header names, folding, LWS in Via, LF line ends).
Every generated value satisfies ``parse(render(v)) == v``.
"""

from __future__ import annotations

import ipaddress
import string

from hypothesis import strategies as st

from sipsmodel.syntax.message import SipMessage, build_request, build_response
from sipsmodel.syntax.uri import AbsoluteUri, Param, SipUri, Uri
from sipsmodel.syntax.values import NameAddr, Via

_ALNUM = string.ascii_letters + string.digits
_UNRESERVED = _ALNUM + "-_.!~*'()"
_TOKEN_CHARS = _ALNUM + "-.!%*_+`'~"
_ESCAPES = st.sampled_from(["%20", "%40", "%3B", "%3b", "%2C", "%C3%A9", "%25", "%41"])
#: Parameter names whose values the parser checks; generic parameters avoid them.
_CHECKED = frozenset({"transport", "user", "method", "ttl", "maddr", "tag", "q", "expires", "reg-id",
                      "branch", "received", "rport", "pub-gruu", "temp-gruu", "+sip.instance"})  # fmt: skip


def _chars(alphabet: str, min_size: int = 1, max_size: int = 8, escapes: bool = True) -> st.SearchStrategy[str]:
    piece = st.sampled_from(alphabet) | _ESCAPES if escapes else st.sampled_from(alphabet)
    return st.lists(piece, min_size=min_size, max_size=max_size).map("".join)


def tokens(max_size: int = 10) -> st.SearchStrategy[str]:
    """RFC 3261 ``token`` text."""
    return st.text(alphabet=_TOKEN_CHARS, min_size=1, max_size=max_size)


def _label(first: str) -> st.SearchStrategy[str]:
    inner = st.text(alphabet=_ALNUM + "-", max_size=6)
    return st.tuples(st.sampled_from(first), inner, st.sampled_from(_ALNUM)).map(
        lambda t: t[0] if not t[1] else t[0] + t[1] + t[2]
    )


def hostnames() -> st.SearchStrategy[str]:
    """RFC 3261 ``hostname``: domain labels and a top label starting with a letter."""
    labels = st.lists(_label(_ALNUM), max_size=3)
    return st.tuples(labels, _label(string.ascii_letters), st.booleans()).map(
        lambda t: ".".join([*t[0], t[1]]) + ("." if t[2] else "")
    )


def ipv4_addresses() -> st.SearchStrategy[str]:
    """IPv4address with octets 0..255."""
    return st.ip_addresses(v=4).map(str)


def ipv6_addresses() -> st.SearchStrategy[str]:
    """IPv6address (RFC 5954), compressed, exploded or with an embedded IPv4 tail."""
    addr = st.ip_addresses(v=6).map(lambda a: ipaddress.IPv6Address(int(a)))
    forms = addr.flatmap(
        lambda a: st.sampled_from(
            [a.compressed, a.exploded, a.compressed.upper(), f"2001:db8::{ipaddress.IPv4Address(int(a) & 0xFFFFFFFF)}"]
        )
    )
    return forms


def hosts() -> st.SearchStrategy[str]:
    """RFC 3261 ``host``: hostname, IPv4address or IPv6reference."""
    return hostnames() | ipv4_addresses() | ipv6_addresses().map(lambda a: f"[{a}]")


def _unique(params: list[Param]) -> tuple[Param, ...]:
    seen: set[str] = set()
    out = []
    for name, value in params:
        if name.lower() not in seen:
            seen.add(name.lower())
            out.append((name, value))
    return tuple(out)


def _uri_param(scheme: str) -> st.SearchStrategy[Param]:
    transports = ["tcp", "tls", "sctp", "tls-sctp", "ws", "wss"] + (["udp", "UDP"] if scheme == "sip" else [])
    other_name = _chars(_UNRESERVED + "[]/:&+$").filter(lambda n: n.lower() not in _CHECKED)
    return st.one_of(
        st.tuples(st.just("transport"), st.sampled_from(transports)),
        st.tuples(st.just("user"), st.sampled_from(["phone", "ip", "dialstring"])),
        st.tuples(st.just("method"), st.sampled_from(["INVITE", "REGISTER", "BYE", "SUBSCRIBE"])),
        st.tuples(st.just("ttl"), st.integers(0, 255).map(str)),
        st.tuples(st.just("maddr"), hosts()),
        st.tuples(st.sampled_from(["lr", "ob"]), st.none()),
        st.tuples(st.just("gr"), st.none() | _chars(_ALNUM + ":-")),
        st.tuples(other_name, st.none() | _chars(_UNRESERVED + "[]/:&+$")),
    )


def _uri_headers() -> st.SearchStrategy[tuple[tuple[str, str], ...]]:
    hnv = _UNRESERVED + "[]/?:+$"
    pair = st.tuples(_chars(hnv), _chars(hnv, min_size=0))
    return st.lists(pair, max_size=2).map(tuple)


@st.composite
def _sip_uri(draw: st.DrawFn, scheme: str) -> SipUri:
    user = draw(st.none() | _chars(_UNRESERVED + "&=+$,;?/", max_size=12))
    password = None if user is None else draw(st.none() | _chars(_UNRESERVED + "&=+$,", min_size=0))
    params = _unique(draw(st.lists(_uri_param(scheme), max_size=4)))
    port = draw(st.none() | st.integers(0, 65535))
    return SipUri(scheme, user, password, draw(hosts()), port, params, draw(_uri_headers()))


def sip_uris(scheme: str | None = None) -> st.SearchStrategy[SipUri]:
    """Valid SipUri values; ``scheme`` 'sip' or 'sips' fixes the scheme, None draws either.

    SIPS URIs never carry transport=udp (R-3261-19.1.1-a); parameter names are unique.
    """
    if scheme is None:
        return st.sampled_from(["sip", "sips"]).flatmap(_sip_uri)
    return _sip_uri(scheme)


def sips_uris() -> st.SearchStrategy[SipUri]:
    """Valid ``sips:`` URIs."""
    return sip_uris("sips")


def absolute_uris() -> st.SearchStrategy[AbsoluteUri]:
    """Opaque URIs of other schemes (tel:, mailto:, http:, urn:, im:)."""
    body = _chars(_UNRESERVED + ";/?:@&=+$,", max_size=16)
    return st.builds(AbsoluteUri, st.sampled_from(["tel", "mailto", "http", "urn", "im"]), body)


def uris() -> st.SearchStrategy[Uri]:
    """Any URI: mostly SIP and SIPS, sometimes another scheme."""
    return st.one_of(sip_uris(), sip_uris(), absolute_uris())


def _display_names() -> st.SearchStrategy[str | None]:
    free = st.text(
        alphabet=st.characters(whitelist_categories=("L", "N", "P", "S", "Zs"), blacklist_characters="\x7f"),
        max_size=12,
    )
    token_run = st.lists(tokens(6), min_size=1, max_size=3).map(" ".join)
    # NUL, BEL, DEL, ...: a quoted-pair carries any of %x00-09 / %x0B-0C / %x0E-7F (RFC 4475 3.1.1.2)
    controls = st.text(alphabet=st.sampled_from(_QUOTABLE_CONTROLS + 'ab "\\'), min_size=1, max_size=6)
    return st.none() | token_run | free | controls


_QUOTABLE_CONTROLS = "".join(chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F))


def _header_params() -> st.SearchStrategy[tuple[Param, ...]]:
    quoted = st.text(alphabet=_ALNUM + ' <>:;,=-@\\"', max_size=10).map(
        lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
    )
    generic = st.tuples(tokens().filter(lambda n: n.lower() not in _CHECKED), st.none() | tokens() | quoted)
    param = st.one_of(
        st.tuples(st.just("tag"), tokens()),
        st.tuples(st.just("q"), st.sampled_from(["0", "0.5", "0.25", "1", "1.0", "0.001"])),
        st.tuples(st.just("expires"), st.integers(0, 2**32 - 1).map(str)),
        st.tuples(st.just("reg-id"), st.integers(1, 2**31 - 1).map(str)),
        st.tuples(st.just("+sip.instance"), st.uuids().map(lambda u: f'"<urn:uuid:{u}>"')),
        generic,
    )
    return st.lists(param, max_size=3).map(_unique)


def name_addrs(uri: st.SearchStrategy[Uri] | None = None) -> st.SearchStrategy[NameAddr]:
    """NameAddr values (display name, URI, header parameters such as tag, q, expires, reg-id)."""
    return st.builds(NameAddr, uri if uri is not None else uris(), _display_names(), _header_params())


def _via_param() -> st.SearchStrategy[Param]:
    return st.one_of(
        st.tuples(st.just("branch"), tokens(12).map(lambda t: "z9hG4bK" + t)),
        st.tuples(st.just("received"), ipv4_addresses() | ipv6_addresses()),
        st.tuples(st.just("rport"), st.none() | st.integers(0, 65535).map(str)),
        st.tuples(st.just("maddr"), hosts()),
        st.tuples(st.just("ttl"), st.integers(0, 255).map(str)),
        st.tuples(tokens().filter(lambda n: n.lower() not in _CHECKED), st.none() | tokens()),
    )


def via_values() -> st.SearchStrategy[Via]:
    """Via values with every transport (UDP, TCP, TLS, SCTP, TLS-SCTP, WS, WSS) and common params."""
    transports = st.sampled_from(["UDP", "TCP", "TLS", "SCTP", "TLS-SCTP", "WS", "WSS"])
    params = st.lists(_via_param(), max_size=4).map(_unique)
    return st.builds(Via, transports, hosts(), st.none() | st.integers(0, 65535), params)


def _headers_for(draw: st.DrawFn, method: str) -> list[tuple[str, str]]:
    vias = draw(st.lists(via_values(), min_size=1, max_size=3))
    to = draw(name_addrs())
    sender = draw(name_addrs())
    headers = [("Via", ", ".join(v.render() for v in vias)), ("To", to.render()), ("From", sender.render())]
    headers += [("Call-ID", draw(tokens(16))), ("CSeq", f"{draw(st.integers(0, 2**31))} {method}")]
    headers.append(("Max-Forwards", str(draw(st.integers(0, 255)))))
    for name in ("Route", "Record-Route", "Path", "Contact"):
        values = draw(st.lists(name_addrs(sip_uris()), max_size=2))
        if values:
            headers.append((name, ", ".join(v.render() for v in values)))
    if draw(st.booleans()):
        headers.append(("Subject", draw(st.text(alphabet=_ALNUM + " ,;:", max_size=20)).strip() or "hi"))
    return headers


@st.composite
def sip_messages(draw: st.DrawFn) -> SipMessage:
    """Whole messages as values (requests and responses); Content-Length always agrees."""
    method = draw(st.sampled_from(["INVITE", "ACK", "BYE", "REGISTER", "OPTIONS", "MESSAGE"]))
    headers = _headers_for(draw, method)
    body = draw(st.text(alphabet=string.printable, max_size=40))
    if draw(st.booleans()):
        return build_request(method, draw(uris()), headers, body)
    reason = draw(st.text(alphabet=_ALNUM + " ", max_size=12).map(str.strip))
    return build_response(draw(st.integers(100, 699)), reason or "OK", headers, body)


# --- text variants: what a lenient receiver must accept ---------------------------------------


def _scheme_case(text: str, draw: st.DrawFn) -> str:
    scheme, rest = text.split(":", 1)
    return draw(st.sampled_from([scheme, scheme.upper(), scheme.capitalize()])) + ":" + rest


@st.composite
def sip_uri_texts(draw: st.DrawFn) -> str:
    """Text of valid SIP/SIPS URIs, with the scheme in any case (RFC 3261 section 19.1.4)."""
    return _scheme_case(draw(sip_uris()).render(), draw)


@st.composite
def name_addr_texts(draw: st.DrawFn) -> str:
    """Text of name-addrs and bare addr-specs, with LWS around ';' and '='."""
    value = draw(name_addrs())
    params = "".join(
        draw(st.sampled_from([";", " ; ", ";\t"]))
        + (n if v is None else f"{n}{draw(st.sampled_from(['=', ' = ']))}{v}")
        for n, v in value.params
    )
    bare_ok = value.display_name is None and not any(c in value.uri.render() for c in ",;?")
    core = value.uri.render() if bare_ok and draw(st.booleans()) else NameAddr(value.uri, value.display_name).render()
    return core + params


@st.composite
def via_texts(draw: st.DrawFn) -> str:
    """Text of Via values with the leniency RFC 3261 allows: LWS around '/' and ':', lower case."""
    via = draw(via_values())
    slash = draw(st.sampled_from(["/", " / ", "/\t"]))
    colon = draw(st.sampled_from([":", " : "]))
    transport = draw(st.sampled_from([via.transport, via.transport.lower()]))
    port = "" if via.port is None else f"{colon}{via.port}"
    params = "".join(f";{n}" if v is None else f" ;{n}={v}" for n, v in via.params)
    return f"SIP{slash}2.0{slash}{transport} {via.host}{port}{params}"


_COMPACT = {"Via": "v", "To": "t", "From": "f", "Call-ID": "i", "Contact": "m", "Content-Length": "l"}


@st.composite
def sip_message_texts(draw: st.DrawFn) -> bytes:
    """Message octets with compact names, name case, folded lines and LF or CRLF line ends."""
    message = draw(sip_messages())
    eol = draw(st.sampled_from(["\r\n", "\n"]))
    lines = [message.render().split("\r\n", 1)[0]]
    for header in message.headers:
        name = draw(st.sampled_from([header.key, header.key.lower(), _COMPACT.get(header.key, header.key)]))
        value = header.value
        if ", " in value and draw(st.booleans()):
            value = value.replace(", ", f",{eol}   ", 1)
        lines.append(f"{name}{draw(st.sampled_from([':', ' :', ':  ']))} {value}")
    text = eol.join([*lines, "", message.body])
    return text.encode("utf-8")

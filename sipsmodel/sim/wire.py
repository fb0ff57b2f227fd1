"""Building and editing SIP messages as the simulator sends them (RFC 3261 sections 7, 8.1.1, 16.6).

Messages are values of the syntax layer. An edit takes a SipMessage apart into its header lines,
replaces or pushes values, and builds a new one, so the header order stays canonical and every value
is text that the grammar parses back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sipsmodel.model.bounds import MAX_FORWARDS
from sipsmodel.syntax import NameAddr, SipMessage, SipUri, Uri, Via, build_request, build_response, parse_uri
from sipsmodel.syntax.headers import canonical_name

#: Canonical order of the header lines the simulator writes.
ORDER = (
    "Via", "Max-Forwards", "Route", "Record-Route", "Path", "Service-Route", "To", "From", "Call-ID", "CSeq",
    "Contact", "Expires", "Supported", "Require", "Warning", "Content-Length",
)  # fmt: skip
_RANK = {name: n for n, name in enumerate(ORDER)}

REASONS = {
    100: "Trying", 180: "Ringing", 200: "OK", 302: "Moved Temporarily", 400: "Bad Request", 403: "Forbidden",
    404: "Not Found", 416: "Unsupported URI Scheme", 480: "Temporarily Unavailable",
    481: "Call/Transaction Does Not Exist",
    483: "Too Many Hops", 487: "Request Terminated",
}  # fmt: skip
WARN_TEXT = {380: "SIPS Not Allowed", 381: "SIPS Required"}


def lines_of(message: SipMessage) -> list[tuple[str, str]]:
    """The header lines of a message as (canonical name, raw value)."""
    return [(h.key, h.value) for h in message.headers]


def _rebuild(message: SipMessage, lines: Sequence[tuple[str, str]]) -> SipMessage:
    if message.is_request:
        assert message.method is not None and message.request_uri is not None
        return build_request(message.method, message.request_uri, lines, message.body)
    assert message.status is not None
    return build_response(message.status, message.reason or "", lines, message.body)


def _insert_at(lines: list[tuple[str, str]], name: str) -> int:
    rank = _RANK.get(name, len(ORDER) - 1)
    position = 0
    for n, (key, _) in enumerate(lines):
        if _RANK.get(key, len(ORDER) - 1) <= rank:
            position = n + 1
    return position


def set_values(message: SipMessage, name: str, values: Sequence[str]) -> SipMessage:
    """The message with every ``name`` line replaced by one line of ``values`` (removed when empty)."""
    key = canonical_name(name)
    lines = [line for line in lines_of(message) if line[0] != key]
    if values:
        lines.insert(_insert_at(lines, key), (key, ", ".join(values)))
    return _rebuild(message, lines)


def with_request_uri(message: SipMessage, uri: Uri) -> SipMessage:
    """The request with another Request-URI."""
    return replace(message, request_uri=uri)


def render_all(values: Sequence[NameAddr | Via]) -> list[str]:
    """Canonical texts of header values."""
    return [v.render() for v in values]


def push_via(message: SipMessage, via: Via) -> SipMessage:
    """The request with ``via`` on top (RFC 3261 16.6 step 8)."""
    return set_values(message, "Via", [via.render(), *render_all(message.vias())])


def pop_via(message: SipMessage) -> SipMessage:
    """The response without its top Via (RFC 3261 16.7 step 3)."""
    return set_values(message, "Via", render_all(message.vias()[1:]))


def decrement_max_forwards(message: SipMessage) -> SipMessage:
    """The request with Max-Forwards one lower (RFC 3261 16.6 step 3)."""
    value = message.max_forwards()
    return set_values(message, "Max-Forwards", [str((70 if value is None else value) - 1)])


def sip_uri(text: str) -> SipUri:
    """Parse a URI text that must be a SIP or SIPS URI."""
    uri = parse_uri(text)
    if not isinstance(uri, SipUri):
        raise ValueError(f"{text!r} is not a sip: or sips: URI")
    return uri


def with_tparam(uri: SipUri, tparam: object) -> SipUri:
    """``uri`` with ``;transport=`` set to ``tparam`` (TPARAM; ``none`` leaves it without one; RFC 3261 19.1.1)."""
    return uri if tparam == "none" else uri.with_param("transport", str(tparam).lower())


def tparam_of(uri: Uri | None) -> str:
    """TPARAM of a URI: its ``transport`` parameter (TCP, UDP, TLS), else ``none`` (RFC 3263 4.1)."""
    value = (uri.param("transport") or "").upper() if isinstance(uri, SipUri) else ""
    return value if value in ("TCP", "UDP", "TLS") else "none"


def response_to(
    request: SipMessage, status: int, to_tag: str | None = None, extra: Sequence[tuple[str, str]] = ()
) -> SipMessage:
    """A response copying Via, From, To (tag added), Call-ID and CSeq (RFC 3261 8.2.6.2)."""
    lines: list[tuple[str, str]] = []
    copied: tuple[str, ...] = ("Via", "To", "From", "Call-ID", "CSeq")
    if 100 < status < 300 and request.method == "INVITE":
        copied = ("Via", "Record-Route", "To", "From", "Call-ID", "CSeq")
    for key, value in lines_of(request):
        if key not in copied:
            continue
        if key == "To" and to_tag is not None and status != 100:
            to = request.to()
            if to is not None and to.tag is None:
                value = NameAddr(to.uri, to.display_name, (*to.params, ("tag", to_tag))).render()
        lines.append((key, value))
    for name, value in extra:
        lines.insert(_insert_at(lines, canonical_name(name)), (canonical_name(name), value))
    return build_response(status, REASONS.get(status, "Unknown"), lines)


def warning_text(code: int, agent: str) -> str:
    """A Warning value with the RFC 5630 section 9 text."""
    return f'{code} {agent} "{WARN_TEXT.get(code, "Miscellaneous")}"'


def make_via(host: str, transport: str, branch: str) -> Via:
    """A Via value: default port 5061 for TLS-based transports, 5060 otherwise (RFC 3261 18.1.1, 19.1.1)."""
    port = 5061 if transport in ("TLS", "TLS-SCTP", "WSS") else 5060
    return Via(transport, host, port, (("branch", branch),))


def cancel_for(invite: SipMessage) -> SipMessage:
    """The CANCEL of a request: same R-URI, top Via, Route, To, From, Call-ID, CSeq number (RFC 3261 9.1)."""
    assert invite.request_uri is not None
    lines: list[tuple[str, str]] = [("Via", invite.vias()[0].render()), ("Max-Forwards", str(MAX_FORWARDS))]
    for key, value in lines_of(invite):
        if key in ("Route", "To", "From", "Call-ID"):
            lines.append((key, value))
    cseq = invite.cseq()
    lines.insert(_insert_at(lines, "CSeq"), ("CSeq", f"{cseq.number if cseq else 1} CANCEL"))
    return build_request("CANCEL", invite.request_uri, lines)

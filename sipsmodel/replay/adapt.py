"""The model's messages made fit for a real proxy: the UA's real address, branches, Call-ID and dialog state.

What a UA of the flow sends on the wire is the model's message with what only the run can know put in
(RFC 3261 sections 8.1.1, 8.2.6, 12.2.1.1): its own Via (a fresh branch per model branch, so that the
ACK of a non-2xx answer and a CANCEL keep their INVITE's branch), its own host and port in the Contact,
the Call-ID made unique per run, the remote target and route set of the dialog in in-dialog requests,
and in a response the Via, From, To, Call-ID, CSeq and Record-Route of the request actually received.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from sipsmodel.replay.agent import Agent, Incoming, new_branch
from sipsmodel.syntax import Header, NameAddr, SipMessage, SipUri, parse_message

_COPIED = ("Via", "From", "Call-ID", "CSeq")


@dataclass
class Dialog:
    """What a UA learnt of its dialog from the wire: the remote target, the route set, the remote tag."""

    target: str
    routes: tuple[str, ...]
    remote_tag: str | None


@dataclass
class RunState:
    """Per run: model branch -> real branch, model Call-ID -> real Call-ID, dialogs by (UA, Call-ID)."""

    token: str
    branches: dict[str, str] = field(default_factory=dict)
    dialogs: dict[tuple[str, str], Dialog] = field(default_factory=dict)

    def branch(self, model: str | None) -> str:
        if model is None:
            return new_branch()
        return self.branches.setdefault(model, new_branch())

    def call_id(self, model: str | None) -> str:
        return f"{model or 'call'}-{self.token}"


def own_hosts(ua: str, messages: list[tuple[str, SipMessage]]) -> set[str]:
    """Hosts the model gives UA ``ua``: the sent-by of its requests' own Via and its requests' Contact hosts."""
    hosts: set[str] = set()
    for sender, message in messages:
        if sender != ua or not message.is_request:
            continue
        vias = message.vias()
        if len(vias) == 1:
            hosts.add(vias[0].host)
        contacts = message.contacts()
        for value in contacts if isinstance(contacts, list) else ():
            if isinstance(value.uri, SipUri):
                hosts.add(value.uri.host)
    return hosts


def localize_contact(header: Header, host: str, ports: tuple[int, int | None], hosts: set[str]) -> str:
    """The Contact line with the UA's real host and port where the model had one of the UA's own hosts: the
    TLS port for a sips: URI (or transport=tls), the UDP and TCP port otherwise."""
    values = header.parsed()
    shown = []
    for value in values if isinstance(values, tuple) else (values,):
        if isinstance(value, NameAddr) and isinstance(value.uri, SipUri) and value.uri.host in hosts:
            uri = value.uri
            secure = uri.is_sips or (uri.param("transport") or "").lower() == "tls"
            port = ports[1] if secure and ports[1] is not None else ports[0]
            value = replace(value, uri=replace(uri, host=host, port=port))
        shown.append(value.render() if isinstance(value, NameAddr) else str(value))
    return "Contact: " + ", ".join(shown)


def request_bytes(ua: str, message: SipMessage, agent: Agent, state: RunState,
                  contact: tuple[set[str], tuple[int, int | None]]) -> bytes:
    """A request of the flow as UA ``ua`` sends it in this run (``contact``: its model hosts, its ports)."""
    call_id = message.call_id() or ""
    dialog = state.dialogs.get((ua, call_id)) if _in_dialog(message) else None
    uri = dialog.target if dialog else (message.request_uri.render() if message.request_uri else "")
    lines = [f"{message.method} {uri} SIP/2.0"]
    routes_written = False
    for header in message.headers:
        key = header.key
        if key == "Via":
            lines.append(f"Via: {agent.via(state.branch(message.vias()[0].param('branch')))}")
        elif key == "Route" and dialog is not None:
            if not routes_written:
                routes_written = True
                lines += [f"Route: {route}" for route in dialog.routes]
        elif key == "To" and dialog is not None and dialog.remote_tag:
            to = message.to()
            assert to is not None
            bare = replace(to, params=tuple(p for p in to.params if p[0].lower() != "tag"))
            lines.append(f"To: {bare.render()};tag={dialog.remote_tag}")
        elif key == "Call-ID":
            lines.append(f"Call-ID: {state.call_id(call_id)}")
        elif key == "Contact":
            lines.append(localize_contact(header, agent.host, contact[1], contact[0]))
        elif key != "Content-Length":
            lines.append(header.render())
    if dialog is not None and not routes_written:
        lines += [f"Route: {route}" for route in dialog.routes]
    return _finish(lines, message.body)


def response_bytes(message: SipMessage, incoming: Incoming, host: str, ports: tuple[int, int | None],
                   hosts: set[str]) -> bytes:
    """A response of the flow, answering the request actually received (RFC 3261 section 8.2.6.2)."""
    received = parse_message(incoming.data, strict=False)
    lines = [f"SIP/2.0 {message.status} {message.reason}"]
    for header in received.headers:
        if header.key in _COPIED or (header.key == "Record-Route" and message.record_routes()):
            lines.append(header.render())
        elif header.key == "To":
            tag = message.to().tag if message.to() is not None else None  # type: ignore[union-attr]
            had = received.to()
            lines.append(header.render() + (f";tag={tag}" if tag and had is not None and had.tag is None else ""))
    for header in message.headers:
        if header.key == "Contact":
            lines.append(localize_contact(header, host, ports, hosts))
        elif header.key not in (*_COPIED, "To", "Record-Route", "Content-Length"):
            lines.append(header.render())
    return _finish(lines, message.body)


def ack_bytes(invite: bytes, response: Incoming) -> bytes:
    """The ACK of a non-2xx final response: the INVITE's Request-URI, Via and Call-ID, the response's To
    (RFC 3261 section 17.1.1.3)."""
    sent = parse_message(invite, strict=False)
    answer = parse_message(response.data, strict=False)
    cseq = sent.cseq()
    lines = [f"ACK {sent.request_uri.render() if sent.request_uri else ''} SIP/2.0"]
    lines += [h.render() for h in sent.headers if h.key in ("Via", "From", "Call-ID", "Route", "Max-Forwards")]
    lines += [h.render() for h in answer.headers if h.key == "To"]
    lines.append(f"CSeq: {cseq.number if cseq else 1} ACK")
    return _finish(lines, "")


def learn_dialog(ua: str, received: Incoming, state: RunState, as_uac: bool) -> None:
    """Record the dialog a 2xx (UAC) or a dialog-creating request (UAS) sets up (RFC 3261 12.1.1, 12.1.2)."""
    message = parse_message(received.data, strict=False)
    contacts = message.contacts()
    if not isinstance(contacts, list) or not contacts:
        return
    routes = [value.render() for value in message.record_routes()]
    if as_uac:
        routes.reverse()
    peer = message.to() if as_uac else message.from_()
    model_call_id = (message.call_id() or "").removesuffix(f"-{state.token}")
    state.dialogs[(ua, model_call_id)] = Dialog(contacts[0].uri.render(), tuple(routes),
                                                peer.tag if peer is not None else None)


def _in_dialog(message: SipMessage) -> bool:
    to = message.to()
    return to is not None and to.tag is not None and message.method not in ("CANCEL",)


def _finish(lines: list[str], body: str) -> bytes:
    encoded = body.encode("utf-8", errors="surrogateescape")
    lines.append(f"Content-Length: {len(encoded)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8", errors="surrogateescape") + encoded

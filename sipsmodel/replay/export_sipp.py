"""SIPp XML scenarios for the user-agent roles of a flow (one per role: register, uac, uas).

The messages are the model's, with what SIPp must fill in at run time replaced by its keywords: the
UA's own Via (``[transport] [local_ip]:[local_port];branch=[branch]``), its Contact host and port,
``[call_id]``, ``[len]``; a response copies the request's Via, From, To, Call-ID and Record-Route
(``[last_*:]``); the UAC records the route set from the 2xx (``rrs="true"``) and sends in-dialog
requests to ``[next_url]`` with ``[routes]`` and the peer's tag (``[peer_tag_param]``); the UAS records
it from the INVITE. The ACK of a non-2xx final response and a CANCEL reuse the INVITE's branch
(``[branch-N]``, RFC 3261 sections 17.1.1.3 and 9.1). Each scenario's first comment is its SIPp command line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from sipsmodel.replay.flow import Flow, FlowError, listening_port
from sipsmodel.replay.roles import Step, UaRole, ua_roles
from sipsmodel.syntax import Header, NameAddr, SipMessage, SipUri

SIPP_TRANSPORT = {"UDP": "u1", "TCP": "t1", "TLS": "l1"}
HOST_MARK = "sipsmodel-local-host"
LOCAL = "[local_ip]:[local_port]"


def sipp_transport(transport: str) -> str:
    """SIPp's ``-t`` value for a hop transport (single socket); TLS-SCTP and WS are not SIPp transports."""
    try:
        return SIPP_TRANSPORT[transport]
    except KeyError:
        raise FlowError(f"SIPp has no transport for {transport}; expected one of UDP, TCP, TLS") from None


def command_line(role: UaRole, scenario_file: str) -> str:
    """The SIPp command that plays ``role`` in the flow's loopback addressing plan."""
    port = listening_port(role.transport)
    target = f"{role.peer.address}:{listening_port(role.transport)}"
    tls = " -tls_cert cacert.pem -tls_key cakey.pem" if role.transport == "TLS" else ""
    return (f"sipp -sf {scenario_file} -t {sipp_transport(role.transport)} -i {role.ua.address} -p {port}"
            f"{tls} -m 1 {target}")


def scenarios(flow: Flow) -> dict[str, str]:
    """``{file name: XML text}`` for every UA role of the flow."""
    return {f"{role.name}.xml": scenario_xml(flow, role) for role in ua_roles(flow)}


def scenario_xml(flow: Flow, role: UaRole) -> str:
    """One SIPp scenario."""
    file_name = f"{role.name}.xml"
    lines = [
        '<?xml version="1.0" encoding="ISO-8859-1" ?>',
        '<!DOCTYPE scenario SYSTEM "sipp.dtd">',
        f"<!-- {command_line(role, file_name)} -->",
        f"<!-- sipsmodel export of {flow.name}: {role.ua.name} ({role.ua.role}) as {role.kind}, "
        f"over {role.transport} with {role.peer.name} -->",
        f'<scenario name="{flow.name} {role.name}">',
    ]
    invite_at = 0
    for position, step in enumerate(role.steps):
        elements = sum(1 for line in lines if line.startswith(("  <send", "  <recv")))
        if step.action == "send" and step.hop.message.method == "INVITE":
            invite_at = elements
        lines += list(_step_xml(role, step, position, elements - invite_at))
    lines.append("</scenario>")
    return "\n".join(lines) + "\n"


def _step_xml(role: UaRole, step: Step, position: int, since_invite: int) -> Iterator[str]:
    """The XML of one step; ``since_invite`` counts the scenario elements since the INVITE was sent."""
    hop = step.hop
    note = f"F{hop.index + 1} {hop.sender} -> {hop.receiver}"
    if step.added:
        note = f"ACK of the non-2xx final response F{hop.index + 1} (RFC 3261 17.1.1.3; implicit in the model)"
    yield f"  <!-- {note} -->"
    if step.action == "recv":
        yield from _recv_xml(role, step, position)
        return
    text = _ack_text(step, since_invite) if step.added else _send_text(role, step, since_invite)
    yield "  <send>"
    yield "    <![CDATA["
    yield from (f"      {line}" if line else "" for line in text.split("\n"))
    yield "    ]]>"
    yield "  </send>"


def _recv_xml(role: UaRole, step: Step, position: int) -> Iterator[str]:
    message = step.hop.message
    if step.added:  # the UAS waits for the ACK of its non-2xx final response
        yield '  <recv request="ACK"/>'
        return
    if message.is_request:
        rrs = ' rrs="true"' if message.method == "INVITE" and _to_tag(message) is None else ""
        yield f'  <recv request="{message.method}"{rrs}/>'
        return
    status = message.status or 0
    invite = step.hop.method == "INVITE" and role.kind == "uac"
    if invite and status >= 200 and not _after_trying(role, position):
        yield '  <recv response="100" optional="true"/>'
    optional = ' optional="true"' if status < 200 else ""
    rrs = ' rrs="true"' if invite and 200 <= status < 300 else ""
    yield f'  <recv response="{status}"{optional}{rrs}/>'


def _after_trying(role: UaRole, position: int) -> bool:
    previous = role.steps[position - 1] if position else None
    return previous is not None and previous.action == "recv" and previous.hop.message.status == 100


def _to_tag(message: SipMessage) -> str | None:
    to = message.to()
    return None if to is None else to.tag


def _send_text(role: UaRole, step: Step, since_invite: int) -> str:
    message = step.hop.message
    if message.is_request:
        start = _request_line(role, message)
        headers = list(_request_headers(role, message, since_invite))
    else:
        start = f"SIP/2.0 {message.status} {message.reason}"
        tagged = step.request is not None and _to_tag(step.request.message) is not None
        headers = list(_response_headers(message, tagged))
    return "\n".join([start, *headers, "", message.body]).rstrip("\n") + "\n"


def _in_dialog(message: SipMessage) -> bool:
    return _to_tag(message) is not None and message.method not in ("CANCEL",)


def _request_line(role: UaRole, message: SipMessage) -> str:
    uri = "[next_url]" if _in_dialog(message) else message.request_uri.render() if message.request_uri else ""
    return f"{message.method} {uri} SIP/2.0"


def _request_headers(role: UaRole, message: SipMessage, since_invite: int) -> Iterator[str]:
    """A UA's request; a CANCEL keeps its INVITE's branch (RFC 3261 section 9.1)."""
    routes_done = False
    for header in message.headers:
        key = header.key
        if key == "Via":
            branch = f"[branch-{since_invite}]" if message.method == "CANCEL" else "[branch]"
            yield f"Via: SIP/2.0/[transport] {LOCAL};branch={branch}"
        elif key == "Route" and _in_dialog(message):
            if not routes_done:
                routes_done = True
                yield "[routes]"
        elif key == "To" and _in_dialog(message) and role.kind == "uac":
            yield f"To: {_without_tag(message.to())}[peer_tag_param]"
        else:
            yield from _common_header(header)


def _without_tag(value: NameAddr | None) -> str:
    """The To value without its tag, for SIPp to add the peer's (``[peer_tag_param]``)."""
    if value is None:
        return ""
    return replace(value, params=tuple(p for p in value.params if p[0].lower() != "tag")).render()


def _response_headers(message: SipMessage, request_tagged: bool) -> Iterator[str]:
    """A UAS's response: Via, From, Call-ID, Record-Route (and To, plus its tag when the request had none)
    copied from the request SIPp last received (RFC 3261 section 8.2.6.2, 12.1.1)."""
    seen: set[str] = set()
    for header in message.headers:
        key = header.key
        if key in ("Via", "From", "Call-ID", "Record-Route"):
            if key not in seen:
                seen.add(key)
                yield f"[last_{key}:]"
        elif key == "To":
            tag = _to_tag(message)
            yield "[last_To:]" if tag is None or request_tagged else f"[last_To:];tag={tag}"
        else:
            yield from _common_header(header)


def _common_header(header: Header) -> Iterator[str]:
    if header.key == "Call-ID":
        yield "Call-ID: [call_id]"
    elif header.key == "Content-Length":
        yield "Content-Length: [len]"
    elif header.key == "Contact":
        yield f"Contact: {_local_contact(header)}"
    else:
        yield header.render()


def _local_contact(header: Header) -> str:
    """The Contact with the UA's own host and port (``[local_ip]:[local_port]``), scheme and user kept."""
    values = header.parsed()
    shown = []
    for value in values if isinstance(values, tuple) else (values,):
        if isinstance(value, NameAddr) and isinstance(value.uri, SipUri):
            value = replace(value, uri=replace(value.uri, host=HOST_MARK, port=None))
            shown.append(value.render().replace(HOST_MARK, LOCAL))
        else:  # Contact: * (a REGISTER that removes every binding) has no host
            shown.append(str(value))
    return ", ".join(shown)


def _ack_text(step: Step, since_invite: int) -> str:
    """The ACK of a non-2xx final response: the INVITE's Request-URI and branch (SIPp's ``[branch-N]``: the
    branch of the message N scenario elements back), the response's To."""
    cseq = step.hop.message.cseq()
    invite = step.request.message.request_uri if step.request else None
    lines = [
        f"ACK {invite.render() if invite else '[next_url]'} SIP/2.0",
        f"Via: SIP/2.0/[transport] {LOCAL};branch=[branch-{since_invite}]",
        "Max-Forwards: 70",
        "[last_To:]",
        "[last_From:]",
        "Call-ID: [call_id]",
        f"CSeq: {cseq.number if cseq else 1} ACK",
        "Content-Length: 0",
    ]
    return "\n".join(lines) + "\n"

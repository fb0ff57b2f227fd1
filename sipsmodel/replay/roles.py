"""The user-agent roles of a flow: what each UA sends and receives, as SIPp scenarios and the replay play it.

A UA's hops split into roles: its registrations (``register``), and per Call-ID the calls it starts
(``uac``) or answers (``uas``). Within a role, steps are the UA's sends and receives in flow order,
completed with what the transaction layer does that the model leaves out: the UAC acknowledges a non-2xx
final response to INVITE and the UAS waits for that ACK (RFC 3261 section 17.1.1.3, 17.2.1).
"""

from __future__ import annotations

from dataclasses import dataclass

from sipsmodel.replay.flow import Flow, FlowElement, FlowHop

ROLE_ORDER = ("register", "uas", "uac")


@dataclass(frozen=True)
class Step:
    """One step of a role: send or receive ``hop``; ``added`` when the model's flow leaves it implicit."""

    action: str  # "send" or "recv"
    hop: FlowHop
    added: str = ""  # why the step was added ("ack-non-2xx"), empty for the flow's own hops
    request: FlowHop | None = None  # for a response (or an added ACK): the request it answers


@dataclass(frozen=True)
class UaRole:
    """One scenario's worth of a UA's behaviour: ``alice-uac``, ``bob1-register``, ``bob1-uas``."""

    ua: FlowElement
    kind: str  # register, uac or uas
    peer: FlowElement  # the element the UA exchanges these messages with (its proxy)
    transport: str
    steps: tuple[Step, ...]

    @property
    def name(self) -> str:
        return f"{self.ua.name}-{self.kind}"


def ua_roles(flow: Flow) -> list[UaRole]:
    """Every role of every UA of the flow: registrations first, then the answering side, then the callers."""
    roles: list[UaRole] = []
    for ua in flow.user_agents:
        mine = [h for h in flow.hops if ua.name in (h.sender, h.receiver)]
        registrations = [h for h in mine if h.method == "REGISTER"]
        if registrations:
            roles.append(_role(flow, ua, "register", registrations))
        calls: dict[str, list[FlowHop]] = {}
        for hop in mine:
            if hop.method != "REGISTER":
                calls.setdefault(hop.message.call_id() or "", []).append(hop)
        for hops in calls.values():
            first = hops[0]
            kind = "uac" if first.sender == ua.name and first.message.is_request else "uas"
            roles.append(_role(flow, ua, kind, hops))
    counted: dict[str, int] = {}
    named = []
    for role in sorted(roles, key=lambda r: ROLE_ORDER.index(r.kind)):
        counted[role.name] = counted.get(role.name, 0) + 1
        named.append(role if counted[role.name] == 1 else _renamed(role, counted[role.name]))
    return named


def _renamed(role: UaRole, number: int) -> UaRole:
    return UaRole(role.ua, f"{role.kind}{number}", role.peer, role.transport, role.steps)


def _role(flow: Flow, ua: FlowElement, kind: str, hops: list[FlowHop]) -> UaRole:
    first = hops[0]
    peer = flow.element(first.receiver if first.sender == ua.name else first.sender)
    steps: list[Step] = []
    for position, hop in enumerate(hops):
        request = None if hop.message.is_request else _request_of(hops[:position], hop)
        steps.append(Step("send" if hop.sender == ua.name else "recv", hop, request=request))
        if _final_non_2xx_to_invite(hop) and not _acked(hops[position + 1:]):
            invite = _request_of(hops[:position], hop)
            steps.append(Step("send" if hop.receiver == ua.name else "recv", hop, "ack-non-2xx", invite))
    return UaRole(ua, kind, peer, first.transport, tuple(steps))


def _final_non_2xx_to_invite(hop: FlowHop) -> bool:
    status = hop.message.status
    return status is not None and status >= 300 and hop.method == "INVITE"


def _request_of(earlier: list[FlowHop], response: FlowHop) -> FlowHop | None:
    """The request (same CSeq, opposite direction) that ``response`` answers, among the hops before it."""
    cseq = response.message.cseq()
    for hop in reversed(earlier):
        if hop.message.is_request and hop.message.cseq() == cseq and hop.sender == response.receiver:
            return hop
    return None


def _acked(rest: list[FlowHop]) -> bool:
    return bool(rest) and rest[0].message.method == "ACK"

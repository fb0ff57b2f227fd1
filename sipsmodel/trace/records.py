"""The records of one closed group of messages (RECORD_SCHEMAS of sipsmodel.model.vocab).

Each attribute is what the capture shows (SIPS-RULES.md section 0.1 gives the meanings). Where the
capture cannot show an attribute for some record, the record holds a placeholder and the attribute is
named in ``Observed.unknown`` with the reason; the checker never evaluates a property that reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sipsmodel.model.expr import Record, Value
from sipsmodel.model.message_values import (
    first_contact,
    hop_values,
    in_schema_order,
    method_value,
    opt_scheme,
    scheme_of,
    sip_or_sips,
)
from sipsmodel.model.trace import Transmission
from sipsmodel.model.vocab import is_secure
from sipsmodel.syntax import SipMessage, SipUri
from sipsmodel.trace.bindings import Binder
from sipsmodel.trace.elements import Elements
from sipsmodel.trace.frames import Endpoint, Frame

Unknown = dict[tuple[str, str], str]
NO_TRANSPORT = ("the capture format does not say which transport carried the message; use a capture that does "
                "(sipdump, pcap) or a plain log with '--- TRANSPORT SRC -> DST' markers")
_TRANSPORT_ATTRS = (("hops", "transport"), ("hops", "secure"), ("forwards", "in_secure"),
                    ("forwards", "out_secure"), ("bindings", "reg_secure"), ("dialogs", "secure"))


@dataclass
class Hop:
    """One transmission of a group, with what the records need."""

    index: int
    frame: Frame
    message: SipMessage
    method: str
    branches: tuple[str, ...]
    binding: int = -1
    request: int = -1
    parent: int | None = None
    children: int = 0
    answered: bool = False

    @property
    def transport(self) -> str | None:
        return self.frame.transport

    @property
    def secure(self) -> bool:
        return self.frame.transport is not None and is_secure(self.frame.transport)



@dataclass
class Observed:
    """A closed group: its transmissions, the five collections, what is unknown, and where records came from."""

    transmissions: tuple[Transmission, ...]
    observation: dict[str, list[Record]]
    unknown: Unknown
    hops: tuple[Hop, ...]
    binding_hops: dict[int, int]
    dialog_owners: dict[int, str]
    bindings_version: int = 0


@dataclass
class _Context:
    hops: dict[int, Hop]
    elements: Elements
    unknown: Unknown = field(default_factory=dict)
    _roles: dict[tuple[Endpoint, str], str] = field(default_factory=dict)
    _names: dict[Endpoint, str] = field(default_factory=dict)

    def role(self, address: Endpoint, method: str) -> str:
        key = (address, method)
        if key not in self._roles:
            self._roles[key] = self.elements.role(address, method)
        return self._roles[key]

    def name(self, address: Endpoint) -> str:
        if address not in self._names:
            self._names[address] = self.elements.name(address)
        return self._names[address]

    def origin(self, hop: Hop) -> str:
        """The Request-URI scheme as the originating UAC sent the request (unknown if it is not captured)."""
        root = hop
        while root.parent is not None and root.parent in self.hops:
            root = self.hops[root.parent]
        if root.parent is not None or len(root.branches) != 1:
            self.unknown[("hops", "origin")] = (
                f"request at F{root.index + 1} entered the capture from {self.elements.name(root.frame.src)}, "
                "which did not originate it (more than one Via): its originating Request-URI is not in the capture")
        return scheme_of(root.message.request_uri)

    def last(self, hop: Hop) -> bool:
        if not hop.message.is_request or hop.children:
            return False
        if hop.answered or hop.method == "ACK":
            return True
        self.unknown[("hops", "last")] = (
            f"F{hop.index + 1} was neither forwarded nor answered in the capture: whether it reached the end of "
            "its path is not shown")
        return True


def _hop_record(ctx: _Context, hop: Hop, call: int) -> Record:
    """One ``hops`` record: what the message says (``model.message_values``) and what the capture tells."""
    message, frame = hop.message, hop.frame
    request = hop if message.is_request else _request_of(ctx, hop)
    if frame.transport is None:
        ctx.unknown.update(dict.fromkeys(_TRANSPORT_ATTRS, NO_TRANSPORT))
    known: dict[str, Value] = {
        "index": hop.index, "request": hop.request, "call": call, "method": method_value(hop.method),
        "initial": _initial(ctx, hop), "transport": frame.transport or "UDP", "secure": hop.secure,
        "origin": ctx.origin(request) if request is not None else "none",
        "sender": ctx.role(frame.src, hop.method), "receiver": ctx.role(frame.dst, hop.method),
        "last": ctx.last(hop), "binding": hop.binding if message.is_request else -1,
    }  # fmt: skip
    return in_schema_order("hops", {**known, **hop_values(message)})


def _initial(ctx: _Context, hop: Hop) -> bool:
    """Out-of-dialog: no To tag, or the ACK or CANCEL of an out-of-dialog INVITE transaction."""
    message = hop.message
    if not message.is_request:
        request = next((h for h in ctx.hops.values() if h.request == hop.request and h.message.is_request), None)
        return True if request is None else _initial(ctx, request)
    to = message.to()
    if to is None or to.tag is None:
        return True
    same_branch = any(h.method == "INVITE" and h.branches[:1] == hop.branches[:1] and h.message.is_request
                      for h in ctx.hops.values())
    return hop.method in ("ACK", "CANCEL") and same_branch


def _forward(ctx: _Context, received: Hop, sent: Hop) -> Record | None:
    old, new = received.message.request_uri, sent.message.request_uri
    if scheme_of(old) not in ("sip", "sips") or scheme_of(new) not in ("sip", "sips"):
        return None
    pushed = len(sent.message.record_routes()) - len(received.message.record_routes())
    rr = "none" if pushed <= 0 else "single" if pushed == 1 else "double"
    host = old.host if isinstance(old, SipUri) else ""
    responsible = ctx.elements.responsible(sent.frame.src, host)
    if responsible is None:
        ctx.unknown[("forwards", "responsible")] = (
            f"the wire does not show which domains {ctx.elements.name(sent.frame.src)} is responsible for "
            "(RFC 3261 16.5); list them under domains in the element map")
    retargeted = old is not None and new is not None and old.render() != new.render()
    binding = "none"
    if retargeted and sent.binding >= 0:
        binding = sip_or_sips(new)
    return {
        "index": sent.index, "in_hop": received.index, "out_hop": sent.index,
        "in_ruri": sip_or_sips(old), "out_ruri": sip_or_sips(new),
        "in_secure": received.secure, "out_secure": sent.secure,
        "out_route0": opt_scheme(sent.message.routes()), "rr": rr,
        "rr_out": opt_scheme(sent.message.record_routes()) if rr != "none" else "sip",
        "responsible": bool(responsible), "binding": binding, "malicious": False,
    }  # fmt: skip


def _request_of(ctx: _Context, response: Hop) -> Hop | None:
    return next((h for h in ctx.hops.values() if h.message.is_request and h.branches == response.branches
                 and h.method == response.method), None)


def _dialogs(ctx: _Context, call: int, first_id: int) -> tuple[list[Record], dict[int, str]]:
    """UAC and UAS dialogs from the 2xx responses to INVITE (RFC 3261 12.1.1, 12.1.2)."""
    records: list[Record] = []
    owners: dict[int, str] = {}
    for response in ctx.hops.values():
        status = response.message.status or 0
        if response.message.is_request or response.method != "INVITE" or not 200 <= status < 300:
            continue
        request = _request_of(ctx, response)
        if request is None or first_contact(response.message) is None or first_contact(request.message) is None:
            continue
        if request.children == 0:
            records.append(_dialog(ctx, request, response, "uas", call, first_id + len(records)))
            owners[first_id + len(records) - 1] = ctx.elements.name(response.frame.src)
        if request.parent is None and len(request.branches) == 1:
            records.append(_dialog(ctx, request, response, "uac", call, first_id + len(records)))
            owners[first_id + len(records) - 1] = ctx.elements.name(response.frame.dst)
    return records, owners


def _dialog(ctx: _Context, request: Hop, response: Hop, role: str, call: int, number: int) -> Record:
    sent, answer = request.message, response.message
    uas = role == "uas"
    owner = response.frame.src if uas else response.frame.dst
    tls = ctx.elements.supports_tls(owner)
    if tls is None:
        ctx.unknown[("dialogs", "tls")] = (
            f"{ctx.elements.name(owner)} was never seen on a TLS hop, and the wire cannot show whether it "
            "supports TLS; set tls for it in the element map")
    remote = first_contact(sent if uas else answer)
    local = first_contact(answer if uas else sent)
    routes = sent.record_routes() if uas else list(reversed(answer.record_routes()))
    ruri = sip_or_sips(sent.request_uri)
    sent_contact = first_contact(sent)
    return {
        "id": number, "call": call, "request": request.request, "role": role,
        "secure": request.secure and ruri == "sips",
        "rtarget": sip_or_sips(remote.uri if remote else None), "rset0": opt_scheme(routes),
        "lcontact": sip_or_sips(local.uri if local else None), "tls": bool(tls), "req_ruri": ruri,
        "req_rr_top": opt_scheme(sent.record_routes()) if uas else "none",
        "req_contact": sip_or_sips(sent_contact.uri if sent_contact else None),
    }  # fmt: skip


RETRIES_WHY = ("the wire does not show which request a UAC or proxy sent as a retry or recursion of a failed one, "
               "nor whether a user confirmed it (RFC 3261 8.1.3.4, 16.7 step 4)")


def observe_group(hops: list[Hop], call: int, elements: Elements, binder: Binder, first_dialog: int) -> Observed:
    """The records of one closed group."""
    ctx = _Context({h.index: h for h in hops}, elements, {("retries", "*"): RETRIES_WHY})
    hop_records = [_hop_record(ctx, h, call) for h in hops]
    forwards = [f for h in hops if h.parent is not None and h.parent in ctx.hops
                for f in [_forward(ctx, ctx.hops[h.parent], h)] if f is not None]
    dialogs, owners = _dialogs(ctx, call, first_dialog)
    ctx.unknown.update(binder.unknown())
    transmissions = tuple(
        Transmission(h.index, ctx.name(h.frame.src), ctx.name(h.frame.dst), h.frame.transport or "?",
                     h.message)
        for h in hops
    )
    observation: dict[str, list[Record]] = {
        "hops": hop_records, "forwards": forwards, "bindings": binder.records(), "dialogs": dialogs, "retries": [],
    }
    return Observed(transmissions, observation, ctx.unknown, tuple(hops), binder.hops(), owners, binder.version)

"""The observation of a run: the five collections of RECORD_SCHEMAS (docs/semantics.md, Observation).

Hop records are derived from the messages as sent (their header values parsed by the syntax layer)
and from the simulator's bookkeeping (request ids, calls, roles, bindings, ends of paths).
"""

from __future__ import annotations

from sipsmodel.model.expr import Record
from sipsmodel.model.trace import Transmission
from sipsmodel.model.vocab import is_secure
from sipsmodel.sim.state import Binding, Dialog, HopMeta, SimState
from sipsmodel.sim.wire import opt_scheme, scheme_of
from sipsmodel.steps import records
from sipsmodel.steps.ops import CONCRETE
from sipsmodel.syntax import NameAddr, SipMessage, SipUri, Uri

_METHODS = ("INVITE", "ACK", "BYE", "REGISTER", "CANCEL")


def _uris(message: SipMessage) -> list[Uri]:
    values: list[NameAddr] = [*message.routes(), *message.record_routes(), *message.paths()]
    contacts = message.contacts()
    if isinstance(contacts, list):
        values += contacts
    values += [v for v in (message.to(), message.from_()) if v is not None]
    uris = [v.uri for v in values]
    return uris if message.request_uri is None else [message.request_uri, *uris]


def _has_transport(uri: Uri | None, value: str) -> bool:
    return isinstance(uri, SipUri) and (uri.param("transport") or "").lower() == value


def hop_record(state: SimState, item: Transmission, meta: HopMeta) -> Record:
    """One ``hops`` record."""
    message: SipMessage = item.message
    contacts = message.contacts()
    to, sender = message.to(), message.from_()
    vias = message.vias()
    method = meta.method if meta.method in _METHODS else "OTHER"
    return {
        "index": item.index, "request": meta.req_id, "call": meta.call,
        "kind": "request" if message.is_request else "response", "method": method,
        "status": message.status or 0, "initial": meta.initial, "transport": item.transport,
        "secure": is_secure(item.transport), "via_secure": bool(vias) and is_secure(vias[0].transport),
        "ruri": scheme_of(message.request_uri), "origin": meta.origin, "route0": opt_scheme(message.routes()),
        "contact": scheme_of(contacts[0].uri) if isinstance(contacts, list) and contacts else "none",
        "to": scheme_of(to.uri if to else None), "from": scheme_of(sender.uri if sender else None),
        "rr_top": opt_scheme(message.record_routes()),
        "sender": state.network.role(state.network.element(item.sender), meta.method),
        "receiver": state.network.role(state.network.element(item.receiver), meta.method),
        "last": meta.last and message.is_request, "binding": meta.binding if message.is_request else -1,
        "tls_param": any(_has_transport(u, "tls") for u in _uris(message)),
        "udp_param": _has_transport(message.request_uri, "udp"),
        "sips_udp_param": any(u.scheme == "sips" and _has_transport(u, "udp") for u in _uris(message)),
    }  # fmt: skip


def binding_record(binding: Binding) -> Record:
    """One ``bindings`` record."""
    contact = "sips" if binding.contact.uri.scheme == "sips" else "sip"
    return records.binding(CONCRETE, binding.id, (contact, binding.aor, binding.key_scheme),
                           (binding.reg_ruri, binding.reg_from, opt_scheme(binding.path), binding.reg_secure),
                           binding.flow)


def dialog_record(dialog: Dialog) -> Record:
    """One ``dialogs`` record."""
    schemes = ("sips" if dialog.remote_target.scheme == "sips" else "sip", opt_scheme(dialog.route_set),
               "sips" if dialog.local_contact.uri.scheme == "sips" else "sip")
    return records.dialog(CONCRETE, (dialog.id, dialog.call, dialog.request), dialog.role, dialog.secure, schemes,
                          dialog.tls, (dialog.req_ruri, dialog.req_rr_top, dialog.req_contact))


def observe(state: SimState) -> dict[str, list[Record]]:
    """The five collections of a finished run."""
    for number, dialog in enumerate(state.dialogs):
        dialog.id = number
    return {
        "hops": [hop_record(state, t, m) for t, m in zip(state.transmissions, state.meta, strict=True)],
        "forwards": list(state.forwards),
        "bindings": [binding_record(b) for b in sorted(state.bindings, key=lambda b: b.id)],
        "dialogs": [dialog_record(d) for d in state.dialogs],
        "retries": list(state.retries),
    }

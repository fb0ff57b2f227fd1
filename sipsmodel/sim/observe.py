"""The observation of a run: the five collections of RECORD_SCHEMAS (docs/semantics.md, Observation).

Hop records are derived from the messages as sent (their header values parsed by the syntax layer)
and from the simulator's bookkeeping (request ids, calls, roles, bindings, ends of paths).
"""

from __future__ import annotations

from sipsmodel.model.expr import Record, Value
from sipsmodel.model.message_values import hop_values, in_schema_order, method_value, opt_scheme, sip_or_sips
from sipsmodel.model.trace import Transmission
from sipsmodel.model.vocab import is_secure
from sipsmodel.sim.state import Binding, Dialog, HopMeta, SimState
from sipsmodel.steps import records
from sipsmodel.steps.ops import CONCRETE
from sipsmodel.syntax import SipMessage


def hop_record(state: SimState, item: Transmission, meta: HopMeta) -> Record:
    """One ``hops`` record: what the message says (``model.message_values``) and the simulator's bookkeeping."""
    message: SipMessage = item.message
    known: dict[str, Value] = {
        "index": item.index, "request": meta.req_id, "call": meta.call,
        "method": method_value(meta.method), "initial": meta.initial,
        "transport": item.transport, "secure": is_secure(item.transport), "origin": meta.origin,
        "sender": state.network.role(state.network.element(item.sender), meta.method),
        "receiver": state.network.role(state.network.element(item.receiver), meta.method),
        "last": meta.last and message.is_request, "binding": meta.binding if message.is_request else -1,
    }  # fmt: skip
    return in_schema_order("hops", {**known, **hop_values(message)})


def binding_record(binding: Binding) -> Record:
    """One ``bindings`` record."""
    contact = sip_or_sips(binding.contact.uri)
    return records.binding(CONCRETE, binding.id, (contact, binding.aor, binding.key_scheme),
                           (binding.reg_ruri, binding.reg_from, opt_scheme(binding.path), binding.reg_secure),
                           binding.flow)


def dialog_record(dialog: Dialog) -> Record:
    """One ``dialogs`` record."""
    schemes = (sip_or_sips(dialog.remote_target), opt_scheme(dialog.route_set), sip_or_sips(dialog.local_contact.uri))
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

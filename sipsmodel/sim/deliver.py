"""Putting messages on the wire: transmissions, hop bookkeeping, and dispatch to the receiver.

The receiver is looked up in ``state.receivers`` (``sipsmodel.sim.handlers``), never imported here.

Requests open a ServerTxn at the receiver; responses go back to the element named by the top Via
(RFC 3261 18.2.2 and 16.7 step 3) over the connection of the request they answer.
"""

from __future__ import annotations

from sipsmodel.errors import ModelDisagreement
from sipsmodel.model.message_values import scheme_of
from sipsmodel.model.trace import Transmission
from sipsmodel.sim.state import Branch, HopMeta, ServerTxn, SimState, UacTxn
from sipsmodel.syntax import SipMessage, uri_equal


def transmit(state: SimState, sender: str, receiver: str, message: SipMessage, transport: str, meta: HopMeta) -> int:
    """Record one transmission and its bookkeeping; return its index."""
    index = len(state.transmissions)
    label = message.method if message.is_request else f"{message.status} {message.reason}"
    state.transmissions.append(Transmission(index, sender, receiver, transport, message, label or ""))
    state.meta.append(meta)
    return index


def binding_for(state: SimState, receiver: str, message: SipMessage, branch_binding: int) -> int:
    """The binding a request is delivered to: the branch's, else the UA's binding for the R-URI."""
    if state.network.element(receiver).role != "ua":
        return -1
    own = [b for b in state.bindings if b.ua == receiver]
    if any(b.id == branch_binding for b in own):
        return branch_binding
    uri = message.request_uri
    for binding in own:
        if uri is not None and uri_equal(binding.contact.uri, uri):
            return binding.id
    return own[0].id if own else -1


def mark_last(state: SimState, hop: int) -> None:
    """The receiver of transmission ``hop`` answers the request itself (end of its path)."""
    state.meta[hop].last = True


def send_request(
    state: SimState,
    sender: str,
    receiver: str,
    message: SipMessage,
    transport: str,
    upstream: Branch | UacTxn | None,
    ids: tuple[int, int, str, int],
) -> ServerTxn:
    """Deliver an out-of-dialog request; ``ids`` = (request id, call, origin scheme, branch binding)."""
    req_id, call, origin, branch_binding = ids
    binding = binding_for(state, receiver, message, branch_binding)
    meta = HopMeta(req_id, call, True, origin, binding, message.method or "OTHER")
    index = transmit(state, sender, receiver, message, transport, meta)
    txn = ServerTxn(receiver, message, sender, transport, index, req_id, call, origin, upstream, branch_binding)
    if isinstance(upstream, (Branch, UacTxn)):
        upstream.downstream = txn
    _dispatch_request(state, txn)
    return txn


def _dispatch_request(state: SimState, txn: ServerTxn) -> None:
    element = state.network.element(txn.element)
    request = txn.request
    if element.role == "ua":
        state.receivers.ua_request(state, txn)
    elif request.method == "REGISTER" and element.registrar and _names_self(state, txn):
        state.receivers.registrar_request(state, txn)
    else:
        state.receivers.proxy_request(state, txn)


def _names_self(state: SimState, txn: ServerTxn) -> bool:
    uri = txn.request.request_uri
    element = state.network.element(txn.element)
    return uri is not None and (state.network.names(uri, element) or state.network.is_responsible(element, uri))


def send_response(state: SimState, txn: ServerTxn, response: SipMessage) -> None:
    """Send a response for ``txn`` back to the element that sent the request, then let it act."""
    meta = HopMeta(txn.req_id, txn.call, True, txn.origin, -1, txn.request.method or "OTHER")
    transmit(state, txn.element, txn.prev, response, txn.transport, meta)
    if response.status is not None and response.status >= 200:
        txn.final_sent = True
    vias = response.vias()
    previous = state.network.element(txn.prev)
    if not vias or vias[0].host.lower() != state.network.via_host(previous).lower():
        raise ModelDisagreement(f"response from {txn.element} names {vias[0].host if vias else 'no Via'} "
                                f"on top, not {txn.prev} that sent the request")
    if isinstance(txn.upstream, Branch):
        state.receivers.proxy_response(state, txn.upstream, response)
    elif isinstance(txn.upstream, UacTxn):
        state.receivers.ua_response(state, txn.upstream, response)


def send_cancel(state: SimState, sender: str, invite: SipMessage, transport: str, target: ServerTxn) -> None:
    """Cancel a pending INVITE transaction hop by hop (RFC 3261 9.1, 16.10); no choice point."""
    from sipsmodel.sim.wire import cancel_for

    cancel = cancel_for(invite)
    req_id = state.new_request()
    origin = scheme_of(cancel.request_uri)
    binding = binding_for(state, target.element, cancel, target.binding)
    meta = HopMeta(req_id, target.call, True, origin, binding, "CANCEL")
    index = transmit(state, sender, target.element, cancel, transport, meta)
    txn = ServerTxn(target.element, cancel, sender, transport, index, req_id, target.call, origin, None, target.binding)
    txn.cancels = target
    state.receivers.proxy_cancel(state, txn)

"""In-dialog requests (ACK, BYE, re-INVITE) along each side's route set.

RFC 3261 12.2.1.1 (request construction, loose and strict routing), 16.4 (a strict router's
Request-URI), 16.6 step 6 (forwarding to a strict router), 8.1.2 and 16.6 step 7 (next hop); every
sender visits ``send_in_dialog`` (docs/semantics.md, A call, step 7).
"""

from __future__ import annotations

from collections.abc import Sequence

from sipsmodel.errors import ModelDisagreement
from sipsmodel.model.bounds import MAX_FORWARDS
from sipsmodel.model.message_values import scheme_of
from sipsmodel.model.scenario import Element
from sipsmodel.sim.decide import attach, check_request, visit
from sipsmodel.sim.deliver import binding_for, mark_last, transmit
from sipsmodel.sim.nexthop import is_loose, outbound_element, outbound_of, route_left
from sipsmodel.sim.proxy import remove_own_routes, strict_fixup
from sipsmodel.sim.state import CallCtx, Dialog, HopMeta, SimState
from sipsmodel.sim.wire import (
    decrement_max_forwards,
    make_via,
    pop_via,
    push_via,
    render_all,
    response_to,
    set_values,
    tparam_of,
    with_request_uri,
)
from sipsmodel.steps import features as steps_features
from sipsmodel.steps.ops import CONCRETE
from sipsmodel.steps.routing import NextHop, RouteLeft, next_hop, request_uri
from sipsmodel.syntax import NameAddr, SipMessage, SipUri, Uri, build_request, uri_equal

Ids = tuple[int, int, str]


def run_in_dialog(state: SimState, ctx: CallCtx) -> None:
    """Run the call's in-dialog requests after its INVITE transaction (the first caller ACK is sent on the 2xx)."""
    entries = list(ctx.call.in_dialog)
    if entries and entries[0] == ("caller", "ACK"):
        entries = entries[1:]
    for who, method in entries:
        dialog = ctx.dialog if who == "caller" else _callee_dialog(state, ctx)
        if dialog is None or ctx.ended:
            state.notes.append(f"call {ctx.index}: {who} {method} not sent (no dialog)")
            continue
        send_in_dialog(state, dialog, method)
        if method == "BYE":
            ctx.ended = True


def _callee_dialog(state: SimState, ctx: CallCtx) -> Dialog | None:
    """The UAS dialog that pairs with the caller's (its local tag is the caller's remote tag)."""
    if ctx.dialog is None:
        return None
    tag = ctx.dialog.remote_uri.tag
    for dialog in state.dialogs:
        if dialog.role == "uas" and dialog.call == ctx.index and dialog.local_uri.tag == tag:
            return dialog
    return None


def send_in_dialog(state: SimState, dialog: Dialog, method: str, cseq: int | None = None) -> None:
    """Build an in-dialog request (RFC 3261 12.2.1.1) and send it hop by hop."""
    owner = state.network.element(dialog.owner)
    ruri, routes, next_uri = route_request(dialog.route_set, dialog.remote_target)
    if method == "ACK":
        number = dialog.cseq if cseq is None else cseq
    else:
        dialog.cseq += 1
        number = dialog.cseq
    lines = [
        ("Max-Forwards", str(MAX_FORWARDS)),
        *([("Route", ", ".join(render_all(routes)))] if routes else []),
        ("To", dialog.remote_uri.render()),
        ("From", dialog.local_uri.render()),
        ("Call-ID", dialog.call_id),
        ("CSeq", f"{number} {method}"),
        *([("Contact", dialog.local_contact.render())] if method == "INVITE" else []),
    ]
    message = build_request(method, ruri, lines)
    going = _first_hop(state, dialog.route_set, next_uri)
    following = going.element
    ids: Ids = (state.new_request(), dialog.call, scheme_of(ruri))
    if following is None or following is owner:
        state.notes.append(f"{owner.name}: in-dialog {method} has no next hop")
        return
    response = _hop(state, owner, following, message, going, ids, proxy=False, dialog_secure=dialog.secure)
    if method == "INVITE" and response is not None and response.status == 200:
        send_in_dialog(state, dialog, "ACK", number)


def _first_hop(state: SimState, route_set: Sequence[NameAddr], next_uri: Uri) -> NextHop[str, Element | None]:
    """A UA's next hop (RFC 3261 12.2.1.1, 8.1.2; steps/routing.py): ``next_uri`` is what route_request gives."""
    element, tparam = state.network.resolve(next_uri), tparam_of(next_uri)
    first: RouteLeft[bool, str, Element | None] = RouteLeft(bool(route_set), element, _scheme(scheme_of(next_uri)),
                                                            tparam, is_strict(route_set))
    return next_hop(CONCRETE, first, False, None, element, tparam)


def route_request(route_set: Sequence[NameAddr], target: Uri) -> tuple[Uri, list[NameAddr], Uri]:
    """RFC 3261 12.2.1.1: (Request-URI, Route values, URI the next hop is resolved from) for a route set.

    No route set: the target, no Route, next hop from the target. A loose first entry (``lr``): the
    target, the route set as Route, next hop from that entry. A strict first entry: that entry as the
    Request-URI, the rest of the route set then the target as Route, next hop from the Request-URI
    (8.1.2). A UAC with a preloaded route set builds its initial request the same way (8.1.1.1).
    """
    if not route_set:
        return target, [], target
    first = route_set[0]
    if is_loose(first):
        return target, list(route_set), first.uri
    ruri = first.uri.without_param("lr") if isinstance(first.uri, SipUri) else first.uri
    return ruri, [*route_set[1:], NameAddr(target)], ruri


def is_strict(route_set: Sequence[NameAddr]) -> bool:
    """The route set's first entry is a strict router (no ``lr``, RFC 3261 12.2.1.1)."""
    return bool(route_set) and not is_loose(route_set[0])


def _scheme(value: str) -> str:
    return "sips" if value == "sips" else "sip"


def _flow_to(state: SimState, following: Element, message: SipMessage) -> str:
    """The flow of the outbound binding whose UA is the next hop (RFC 5626 7), else none."""
    if following.role != "ua":
        return "none"
    flows = [b for b in state.bindings if b.ua == following.name and b.flow != "none"]
    uri = message.request_uri
    for binding in flows:
        if uri is not None and uri_equal(binding.contact.uri, uri):
            return binding.flow
    return flows[0].flow if flows else "none"


def _hop(
    state: SimState, sender: Element, following: Element, message: SipMessage, going: NextHop[str, Element | None],
    ids: Ids, proxy: bool, dialog_secure: bool = False,
) -> SipMessage | None:
    """Visit send_in_dialog at the sender, send one hop, and return the response the sender receives.

    ``going``: the next hop as steps/routing.py gave it (its features ``next`` and ``next_tp``, RFC 3263 4.1);
    ``dialog_secure``: the sending UA's dialog secure flag (12.1.1, 12.1.2; SIPS-RULES.md F-1).
    """
    link = (sender.tls, state.network.next_tls(sender.name, following.name))
    features = steps_features.send_in_dialog(CONCRETE, proxy, _scheme(scheme_of(message.request_uri)), going, link,
                                             _flow_to(state, following, message), sender.malicious, dialog_secure)
    decision, options = visit(state, sender.name, "send_in_dialog", features, (sender.name, following.name))
    if options is None:
        state.notes.append(f"{sender.name}: no transport allowed for in-dialog {message.method}; not sent")
        return None
    transport = str(options["transport"])
    message = push_via(message, make_via(state.network.via_host(sender), transport, state.branch(sender.name)))
    check_request("send_in_dialog", options, message, transport)
    req_id, call, origin = ids
    method = message.method or "OTHER"
    meta = HopMeta(req_id, call, False, origin, binding_for(state, following.name, message, -1), method)
    attach(state, decision, len(state.transmissions))
    hop = transmit(state, sender.name, following.name, message, transport, meta)
    response = _receive(state, following, sender, message, hop, ids)
    if response is None:
        return None
    transmit(state, following.name, sender.name, response, transport, HopMeta(req_id, call, False, origin, -1, method))
    vias = response.vias()
    if not vias or vias[0].host.lower() != state.network.via_host(sender).lower():
        raise ModelDisagreement(f"in-dialog response from {following.name} does not name {sender.name} on top")
    return response


def _receive(
    state: SimState, element: Element, previous: Element, message: SipMessage, hop: int, ids: Ids
) -> SipMessage | None:
    """An element receives an in-dialog request; return the response it sends back (None for ACK)."""
    if element.role == "ua":
        mark_last(state, hop)
        return _ua_answer(state, element, message)
    max_forwards = message.max_forwards()
    if max_forwards is not None and max_forwards <= 0:
        mark_last(state, hop)
        return None if message.method == "ACK" else response_to(message, 483)
    message = strict_fixup(state, element, message)
    message, _ = remove_own_routes(state, element, message)
    routes = message.routes()
    ruri = message.request_uri
    assert ruri is not None
    left = route_left(state, routes)
    going = next_hop(CONCRETE, left, outbound_of(state, element, ruri), outbound_element(state, element),
                     state.network.resolve(ruri), tparam_of(ruri))
    sent = request_uri(CONCRETE, left, routes[0].uri if routes else ruri, ruri)
    if sent is not ruri:  # RFC 3261 16.6 step 6: the strict router's URI is the Request-URI, the old one the last Route
        message = with_request_uri(message, sent)
        message = set_values(message, "Route", render_all([*routes[1:], NameAddr(ruri)]))
    following = going.element
    response = None
    if following is not None and following is not element:
        response = _hop(state, element, following, decrement_max_forwards(message), going, ids, proxy=True)
    if response is None:
        mark_last(state, hop)
        return None if message.method == "ACK" else response_to(message, 480)
    return pop_via(response)


def _ua_answer(state: SimState, element: Element, message: SipMessage) -> SipMessage | None:
    """BYE gets 200, a re-INVITE 200 with the same Contact, ACK nothing; unknown dialogs 481."""
    call_id = message.call_id()
    dialog = next((d for d in state.dialogs if d.owner == element.name and d.call_id == call_id), None)
    if message.method == "ACK":
        return None
    if dialog is None:
        return response_to(message, 481)
    extra = [("Contact", dialog.local_contact.render())] if message.method == "INVITE" else []
    return response_to(message, 200, None, extra)


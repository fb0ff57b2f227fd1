"""Proxy behaviour for out-of-dialog requests: routing, retargeting, forking, Record-Route, responses.

RFC 3261 16.4 (Route processing), 16.5 (targets), 16.6 (forwarding), 16.7 (responses), 16.10
(CANCEL); RFC 3327 (Path), RFC 5626 5.3.1 and 7 (flow tokens), as docs/semantics.md fixes them.
"""

from __future__ import annotations

from sipsmodel.model.expr import Value
from sipsmodel.model.message_values import opt_scheme, scheme_of
from sipsmodel.model.scenario import Element
from sipsmodel.model.vocab import is_secure
from sipsmodel.sim.decide import attach, check_request, visit
from sipsmodel.sim.deliver import mark_last, send_cancel, send_request, send_response
from sipsmodel.sim.nexthop import outbound_element, route_left
from sipsmodel.sim.state import Branch, ServerTxn, SimState
from sipsmodel.sim.wire import (
    decrement_max_forwards,
    make_via,
    pop_via,
    push_via,
    render_all,
    response_to,
    set_values,
    tparam_of,
    warning_text,
    with_request_uri,
    with_tparam,
)
from sipsmodel.steps import best, records, responses
from sipsmodel.steps import features as steps_features
from sipsmodel.steps.ops import CONCRETE
from sipsmodel.steps.recordroute import rewritten_scheme, rewritten_tparam
from sipsmodel.steps.routing import NextHop, next_hop
from sipsmodel.syntax import NameAddr, SipMessage, SipUri, Uri, aor_key


def trying(element: Element) -> bool:
    """Whether the element sends 100 Trying for an INVITE (default: proxies do, UAs do not)."""
    return element.trying if element.trying is not None else element.role == "proxy"


def reject(state: SimState, txn: ServerTxn, status: int, warn: int = 0) -> None:
    """Answer the request here (an error response; the hop in is the end of the request's path)."""
    mark_last(state, txn.in_hop)
    element = state.network.element(txn.element)
    extra = [("Warning", warning_text(warn, element.host))] if warn else []
    send_response(state, txn, response_to(txn.request, status, state.tag(element.name), extra))


def strict_fixup(state: SimState, element: Element, message: SipMessage) -> SipMessage:
    """RFC 3261 16.4: a Request-URI naming this proxy came from a strict router; take the last Route."""
    uri = message.request_uri
    routes = message.routes()
    if uri is None or not routes or not state.network.names(uri, element) or message.method == "REGISTER":
        return message
    message = with_request_uri(message, routes[-1].uri)
    return set_values(message, "Route", render_all(routes[:-1]))


def remove_own_routes(state: SimState, element: Element, message: SipMessage) -> tuple[SipMessage, list[NameAddr]]:
    """RFC 3261 16.4 (and RFC 5658): remove the leading Route values that name this proxy."""
    routes = message.routes()
    removed: list[NameAddr] = []
    while routes and state.network.names(routes[0].uri, element):
        removed.append(routes.pop(0))
    if removed:
        message = set_values(message, "Route", render_all(routes))
    return message, removed


def flow_of_removed(state: SimState, element: Element, removed: list[NameAddr]) -> tuple[str, str | None]:
    """RFC 5626 5.3.1: (flow transport, flow token) of the binding whose token is in a removed Route value."""
    for value in removed:
        token = value.uri.user if isinstance(value.uri, SipUri) else None
        for binding in state.bindings:
            if binding.flow == "none" or token is None:
                continue
            for path in binding.path:
                if isinstance(path.uri, SipUri) and path.uri.user == token and state.network.names(path.uri, element):
                    return binding.flow, token
    return "none", None


def on_request(state: SimState, txn: ServerTxn) -> None:
    """A proxy receives an out-of-dialog INVITE or REGISTER (RFC 3261 16.3 to 16.6)."""
    from sipsmodel.sim.register import forward_register

    element = state.network.element(txn.element)
    message = txn.request
    max_forwards = message.max_forwards()
    if max_forwards is not None and max_forwards <= 0:
        reject(state, txn, 483)
        return
    if message.method == "INVITE" and trying(element):
        send_response(state, txn, response_to(message, 100))
    message = strict_fixup(state, element, message)
    message, removed = remove_own_routes(state, element, message)
    if message.method == "REGISTER":
        forward_register(state, txn, element, message)
    elif message.request_uri is not None and state.network.is_responsible(element, message.request_uri):
        retarget(state, txn, element, message)
    else:
        flow, token = flow_of_removed(state, element, removed)
        target = message.request_uri
        assert target is not None
        sent = forward_branch(state, txn, message, target, message.routes(), Retarget(False, txn.binding, "none"),
                              flow, token)
        if sent is None:
            reject(state, txn, 480)


class Retarget:
    """How a branch relates to the location service: responsible?, binding id and its Contact scheme."""

    def __init__(self, responsible: bool, binding: int, scheme: str, recursion: bool = False) -> None:
        self.responsible, self.binding, self.scheme, self.recursion = responsible, binding, scheme, recursion


def retarget(state: SimState, txn: ServerTxn, element: Element, message: SipMessage) -> None:
    """RFC 3261 16.5: one branch per binding of the AoR, in binding-id order; 480 (+380) when none is sent."""
    uri = message.request_uri
    assert uri is not None
    found = [b for b in state.bindings if b.key == aor_key(uri, b.key_scheme)]
    left_out: list[bool] = []
    txn.forking = True
    for binding in found:
        path = [v for v in binding.path if not state.network.names(v.uri, element)]
        how = Retarget(True, binding.id, binding.contact.uri.scheme)
        not_sent = not _targets(state, element, uri, binding.contact.uri) or forward_branch(
            state, txn, message, binding.contact.uri, path, how
        ) is None
        left_out.append(best.left_out_sip(CONCRETE, True, not_sent, binding.contact.uri.scheme))
    txn.forking = False
    if txn.branches:
        complete(state, txn)  # every branch may already have failed (an edge proxy's 480)
    else:
        reject(state, txn, 480, best.no_branch_warn(CONCRETE, uri.scheme, left_out))


def _targets(state: SimState, element: Element, ruri: Uri, contact: Uri) -> bool:
    """Visit proxy_target: does this binding join the target set (RFC 3261 16.5)?"""
    features = steps_features.proxy_target(CONCRETE, "sips" if scheme_of(ruri) == "sips" else "sip",
                                           "sips" if scheme_of(contact) == "sips" else "sip", element.malicious)
    _, options = visit(state, element.name, "proxy_target", features)
    return options is not None and options["target"] is True


def _next_hop(
    state: SimState, element: Element, routes: list[NameAddr], target: Uri, responsible: bool
) -> NextHop[str, Element | None]:
    """The first Route value's element, else the outbound proxy, else the target's, and the transport
    parameter it is resolved from (steps/routing.py)."""
    outbound = not responsible and bool(element.outbound)
    return next_hop(CONCRETE, route_left(state, routes), outbound, outbound_element(state, element),
                    state.network.resolve(target), tparam_of(target))


def forward_branch(
    state: SimState,
    txn: ServerTxn,
    message: SipMessage,
    target: Uri,
    routes: list[NameAddr],
    how: Retarget,
    flow: str = "none",
    token: str | None = None,
) -> Branch | None:
    """Visit proxy_forward for one branch and send it (RFC 3261 16.6); None when it cannot be sent."""
    element = state.network.element(txn.element)
    going = _next_hop(state, element, routes, target, how.responsible)
    following = going.element
    if following is None or following is element or not isinstance(target, SipUri):
        return None
    in_ruri = "sips" if scheme_of(message.request_uri) == "sips" else "sip"
    retargeting: steps_features.Retargeting[bool, str] = steps_features.Retargeting(
        how.responsible, how.scheme, opt_scheme(routes), flow)
    link = (element.tls, state.network.next_tls(element.name, following.name))
    features = steps_features.proxy_forward(CONCRETE, (in_ruri, is_secure(txn.transport)), retargeting,
                                            message.method == "INVITE", link, following.role == "ua", element.malicious,
                                            tparam_of(target), going.tparam)
    decision, options = visit(state, element.name, "proxy_forward", features, (element.name, following.name))
    if options is None:
        return None
    out = with_request_uri(message, target.with_scheme(str(options["ruri"])))
    sent_routes = list(routes)
    if sent_routes:
        first = sent_routes[0]
        uri = first.uri.with_scheme(str(options["route0"])) if isinstance(first.uri, SipUri) else first.uri
        sent_routes[0] = NameAddr(uri, first.display_name, first.params)
    out = set_values(out, "Route", render_all(sent_routes))
    if options["rr"] != "none":
        out = _record_route(state, element, out, options, token)
    out = decrement_max_forwards(out)
    transport = str(options["transport"])
    via_transport = "TLS" if options["via_lie"] else transport
    out = push_via(out, make_via(state.network.via_host(element), via_transport, state.branch(element.name)))
    check_request("proxy_forward", options, out, transport)
    branch = Branch(txn, out, following.name, transport, len(state.transmissions), how.binding, how.responsible,
                    how.recursion, str(options["rr"]), str(options["rr_out"]), len(out.record_routes()),
                    message, tuple(routes), rr_tp=str(options["rr_tp"]))
    txn.branches.append(branch)
    attach(state, decision, branch.out_hop)
    state.forwards.append({
        "index": decision, "in_hop": txn.in_hop, "out_hop": branch.out_hop,
        "in_ruri": features["in_ruri"], "out_ruri": "sips" if scheme_of(out.request_uri) == "sips" else "sip",
        "in_secure": features["in_secure"], "out_secure": is_secure(transport),
        "out_route0": opt_scheme(out.routes()), "rr": branch.rr,
        "rr_out": opt_scheme(out.record_routes()) if branch.rr != "none" else "sip",
        "responsible": how.responsible, "binding": features["binding"], "malicious": element.malicious,
    })  # fmt: skip
    req_id = state.new_request() if how.recursion else txn.req_id  # a recursion branch is a new request
    send_request(state, element.name, following.name, out, transport, branch,
                 (req_id, txn.call, txn.origin, how.binding))
    return branch


def _record_route(
    state: SimState, element: Element, message: SipMessage, options: dict[str, Value], token: str | None
) -> SipMessage:
    """Push one or two Record-Route values (RFC 3261 16.6 step 4; draft-04 4.2; RFC 5626 5.3.1)."""
    params: tuple[tuple[str, str | None], ...] = () if element.strict else (("lr", None),)
    if token is not None:
        params = (*params, ("ob", None))
    user = token if token is not None else element.rr_user

    def value(scheme: Value) -> str:
        uri = with_tparam(SipUri(str(scheme), user, None, element.host, None, params), options["rr_tp"])
        return NameAddr(uri).render()

    pushed = [value(options["rr_out"])]
    if options["rr"] == "double":
        pushed.append(value(options["rr_in"]))
    return set_values(message, "Record-Route", [*pushed, *render_all(message.record_routes())])


def on_response(state: SimState, branch: Branch, response: SipMessage) -> None:
    """A proxy receives a response on a branch (RFC 3261 16.7)."""
    owner = branch.owner
    response = pop_via(response)
    status = response.status or 0
    if status < 200:
        if status > 100 and not owner.final_sent:
            send_response(state, owner, response)
        return
    branch.final = response
    if status < 300:
        response = _rewrite_record_route(state, branch, response)
        send_response(state, owner, response)
        cancel_pending(state, owner)
        return
    _maybe_recurse(state, branch, response)
    complete(state, owner)


def complete(state: SimState, owner: ServerTxn) -> None:
    """Forward the best final response once every branch has one (RFC 3261 16.7 step 6; steps/best.py)."""
    if owner.final_sent or owner.forking or any(b.final is None for b in owner.branches):
        return
    finals = [b.final for b in owner.branches if b.final is not None]
    answers: list[best.Answer[bool, int]] = [best.Answer(True, r.status or 500, (n,)) for n, r in enumerate(finals)]
    chosen = best.best_final(CONCRETE, answers, best.Answer(False, 0, (-1,)))
    send_response(state, owner, finals[chosen.payload[0]])


def cancel_pending(state: SimState, owner: ServerTxn) -> None:
    """Cancel every branch still without a final response (RFC 3261 16.7 step 10, 16.10)."""
    for branch in owner.branches:
        if branch.final is None and not branch.cancel_sent and branch.downstream is not None:
            branch.cancel_sent = True
            send_cancel(state, owner.element, branch.request, branch.transport, branch.downstream)


def on_cancel(state: SimState, txn: ServerTxn) -> None:
    """CANCEL received: a proxy cancels its own pending branches first, then answers 200 (16.10)."""
    mark_last(state, txn.in_hop)
    target = txn.cancels
    assert target is not None
    if not target.final_sent:
        target.cancelled = True
        if state.network.element(txn.element).role == "proxy":
            cancel_pending(state, target)
    # RFC 3261 9.2: a UAS gives the 200 to CANCEL the To tag of its response to the INVITE
    tag = target.to_tag or state.tag(txn.element)
    send_response(state, txn, response_to(txn.request, 200, tag))


def warn_code(response: SipMessage) -> int:
    """The warn-code the failure classification reads: 380 if present, else 381 if present, else 0."""
    codes = {w.code for w in response.warnings()}
    return 380 if 380 in codes else 381 if 381 in codes else 0


def failure_of(response: SipMessage) -> str | None:
    """The FAILURE a final response is (3xx, 416, 480 with warn-code 380 or 381), or None (steps/responses.py)."""
    status, warn = response.status or 0, warn_code(response)
    if not responses.has_failure(CONCRETE, status, warn):
        return None
    return responses.failure_of(CONCRETE, status, warn)


def failure_contact(response: SipMessage) -> Uri | None:
    """The first Contact of a 3xx."""
    contacts = response.contacts()
    return contacts[0].uri if isinstance(contacts, list) and contacts else None


def contact_scheme(contact: Uri | None) -> str:
    """SCHEME of a 3xx's Contact as the failure steps read it (``sip`` without one)."""
    return "sips" if contact is not None and contact.scheme == "sips" else "sip"


def retry_target(failure: str, old: Uri, response: SipMessage) -> Uri | None:
    """The new target: the 3xx Contact, else the twin of ``old``, in the scheme steps/responses.py gives."""
    contact = failure_contact(response) if failure == "r3xx" else None
    scheme = responses.retry_scheme(CONCRETE, failure, contact_scheme(contact))
    base = contact if failure == "r3xx" else old
    return base.with_scheme(scheme) if isinstance(base, SipUri) else None


def _maybe_recurse(state: SimState, branch: Branch, response: SipMessage) -> None:
    """Visit proxy_recurse on a retargeted branch's failure; recurse at most once per branch (16.7 step 4)."""
    owner = branch.owner
    failure = failure_of(response)
    old = branch.request.request_uri
    if not branch.responsible or branch.recursion or owner.final_sent or failure is None or old is None:
        return
    ruri = scheme_of(old) if scheme_of(old) in ("sip", "sips") else "sip"
    features = steps_features.proxy_recurse(CONCRETE, ruri, failure, contact_scheme(failure_contact(response)),
                                            state.network.element(owner.element).malicious)
    decision, options = visit(state, owner.element, "proxy_recurse", features)
    if options is None or options["action"] != "recurse":
        return
    target = retry_target(failure, old, response)
    if target is None or branch.source is None:
        return
    schemes = (features["ruri"], scheme_of(target))
    state.retries.append({"index": decision, **records.retry(CONCRETE, "proxy", failure, schemes, False)})
    routes = [] if failure == "r3xx" else list(branch.base_routes)
    how = Retarget(True, -1, "none", recursion=True)
    forward_branch(state, owner, branch.source, target, routes, how)


def _rewrite_record_route(state: SimState, branch: Branch, response: SipMessage) -> SipMessage:
    """Visit proxy_response_rr and rewrite this proxy's own top value (RFC 3261 16.7 step 8)."""
    owner = branch.owner
    if branch.rr == "none" or owner.request.method != "INVITE":
        return response
    secure = (is_secure(owner.transport), is_secure(branch.transport))
    features = steps_features.proxy_response_rr(CONCRETE, (branch.rr, branch.rr_out, branch.rr_tp), secure,
                                                state.network.element(owner.element).malicious)
    decision, options = visit(state, owner.element, "proxy_response_rr", features)
    attach(state, decision, len(state.transmissions))
    if options is None or options["rewrite"] == "keep":
        return response
    values = response.record_routes()
    index = len(values) - branch.rr_count
    element = state.network.element(owner.element)
    if not 0 <= index < len(values) or not state.network.names(values[index].uri, element):
        state.notes.append(f"{element.name}: own Record-Route value not found in the 2xx; not rewritten")
        return response
    own = values[index]
    if isinstance(own.uri, SipUri):
        rewrite = str(options["rewrite"])
        scheme = rewritten_scheme(CONCRETE, rewrite, own.uri.scheme)
        uri = own.uri.with_scheme(scheme)
        if rewritten_tparam(CONCRETE, rewrite, tparam_of(own.uri)) != tparam_of(own.uri):
            uri = uri.without_param("transport")  # a rewrite to sips drops udp
        values[index] = NameAddr(uri, own.display_name, own.params)
    return set_values(response, "Record-Route", render_all(values))

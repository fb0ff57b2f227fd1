"""User agents: the UAC of a call (INVITE, retry), the UAS (answer), and the order of UAS answers.

RFC 3261 8.1 (UAC), 8.2 (UAS), 12.1 (dialog creation), 8.1.3.4 and 8.1.3.5 (3xx and 416), RFC 5630
5.1, as docs/semantics.md fixes them. UAS answers wait in ``state.pending`` until ``drain``.
"""

from __future__ import annotations

from sipsmodel.model.bounds import MAX_FORWARDS
from sipsmodel.model.message_values import opt_scheme, scheme_of
from sipsmodel.model.scenario import Call, Element
from sipsmodel.model.vocab import is_secure
from sipsmodel.sim.decide import attach, check_request, visit
from sipsmodel.sim.deliver import mark_last, send_cancel, send_request, send_response
from sipsmodel.sim.dialog import is_strict, route_request, run_in_dialog, send_in_dialog
from sipsmodel.sim.proxy import contact_scheme, failure_contact, failure_of, retry_target, trying
from sipsmodel.sim.state import CallCtx, Dialog, ServerTxn, SimState, UacTxn
from sipsmodel.sim.wire import (
    make_via,
    render_all,
    response_to,
    sip_uri,
    tparam_of,
    warning_text,
    with_tparam,
)
from sipsmodel.steps import features as steps_features
from sipsmodel.steps import records, routing
from sipsmodel.steps.ops import CONCRETE
from sipsmodel.steps.routing import RouteLeft
from sipsmodel.syntax import NameAddr, SipMessage, SipUri, build_request


def _scheme(value: str) -> str:
    return "sips" if value == "sips" else "sip"


def run_call(state: SimState, index: int, call: Call) -> None:
    """One call: the INVITE, every UAS answer, cancellation, then the in-dialog requests."""
    caller = state.network.element(call.caller)
    ctx = CallCtx(index, call, caller.name, call.call_id or f"call{index}@{caller.host}", call.cseq or 1,
                  call.from_tag or state.tag(caller.name))
    state.call_ctx = ctx
    send_invite(state, ctx, sip_uri(call.target))
    drain(state)
    while state.pending:
        open_invites = [u for u in ctx.invites if u.final is None and not u.cancelled and u.downstream is not None]
        for uac in open_invites:
            uac.cancelled = True
            assert uac.downstream is not None
            send_cancel(state, caller.name, uac.request, uac.transport, uac.downstream)
        if not open_invites:
            for txn in state.pending:
                txn.cancelled = True
        drain(state)
    run_in_dialog(state, ctx)


def stored_route(state: SimState, ctx: CallCtx) -> list[NameAddr]:
    """The pre-existing route set: the call's preloaded route, else the caller's Service-Route (RFC 3608)."""
    texts = ctx.call.route or state.service_routes.get(ctx.caller, ())
    return [NameAddr(sip_uri(text.strip().strip("<>"))) for text in texts]


def caller_aor(state: SimState, ctx: CallCtx, scheme: str) -> SipUri:
    """The caller's AoR: its registration's, else user@domain of its host (docs/semantics.md)."""
    caller = state.network.element(ctx.caller)
    for registration in state.scenario.registrations:
        if registration.ua == caller.name:
            return SipUri(scheme, registration.aor_user, None, registration.domain)
    return SipUri(scheme, state.network.user_of(caller), None, caller.domain)


def send_invite(state: SimState, ctx: CallCtx, target: SipUri, retry: bool = False) -> None:
    """The UAC visits uac_invite and sends the INVITE (RFC 3261 8.1.1, 8.1.2, 12.1.2).

    With a stored route whose first entry is a strict router (no ``lr``; SIPS-RULES.md F-19), the
    request is built as RFC 3261 8.1.1.1 asks, with the 12.2.1.1 algorithm (``dialog.route_request``):
    the Request-URI is that entry and the target goes last in Route. The options keep describing the
    wire: ``ruri`` is the scheme of the Request-URI sent (the entry), ``route0`` then gives the
    target's scheme (the topmost Route value when the route has one entry); the feature
    ``route_strict`` tells the rules which URI is which.
    """
    network = state.network
    caller = network.element(ctx.caller)
    routes = stored_route(state, ctx)
    if routes:  # a strict first entry is the Request-URI, and so again the next hop (8.1.2)
        following = network.resolve(routes[0].uri)
    else:  # RFC 3261 8.1.2: a UA's outbound proxy (local policy), else the Request-URI
        following = network.element(caller.outbound) if caller.outbound else network.resolve(target)
    if following is None or following is caller:
        state.notes.append(f"{caller.name}: {target.render()} resolves to no other element; call not placed")
        return
    strict = is_strict(routes)
    # the preloaded entry's parameter is the option route_tp; else the target's, unless an outbound proxy is used
    unnamed: RouteLeft[bool, str, Element | None] = RouteLeft(bool(routes), following, opt_scheme(routes), "none",
                                                              strict)
    hop = routing.next_hop(CONCRETE, unnamed, bool(caller.outbound), following, following, tparam_of(target))
    features = steps_features.uac_invite(CONCRETE, target.scheme, (caller.tls, network.next_tls(caller.name,
                                                                                              following.name)),
                                         (opt_scheme(routes), strict), retry, (tparam_of(target), hop.tparam))
    decision, options = visit(state, caller.name, "uac_invite", features, (caller.name, following.name))
    if options is None:
        state.notes.append(f"{caller.name}: no INVITE to {target.render()} is allowed (uac_invite)")
        return
    # the options describe the wire: behind a strict entry it is the Request-URI, the target is in Route
    first_scheme, target_scheme = routing.addressed(CONCRETE, strict, options["ruri"], options["route0"])
    if routes:
        first = routes[0]
        uri = first.uri.with_scheme(str(first_scheme)) if isinstance(first.uri, SipUri) else first.uri
        if isinstance(uri, SipUri) and not strict:  # the loose first entry names the option's transport, if any
            uri = with_tparam(uri.without_param("transport"), options["route_tp"])
        routes[0] = NameAddr(uri, first.display_name, first.params)
    addressed = target.with_scheme(str(target_scheme))
    ruri, routes, _ = route_request(routes, addressed)
    transport = str(options["transport"])
    user = network.user_of(caller)
    contact = NameAddr(with_tparam(SipUri(str(options["contact"]), user, None, caller.host), options["contact_tp"]),
                       caller.display_name)
    sender = NameAddr(caller_aor(state, ctx, addressed.scheme), caller.display_name, (("tag", ctx.from_tag),))
    lines = [
        ("Via", make_via(network.via_host(caller), transport, state.branch(caller.name)).render()),
        ("Max-Forwards", str(MAX_FORWARDS)),
        *([("Route", ", ".join(render_all(routes)))] if routes else []),
        ("To", NameAddr(target.without_param("transport")).render()),  # barred from To (19.1.1 Table 1)
        ("From", sender.render()),
        ("Call-ID", ctx.call_id),
        ("CSeq", f"{ctx.cseq} INVITE"),
        ("Contact", contact.render()),
    ]
    message = build_request("INVITE", ruri, lines)
    check_request("uac_invite", options, message, transport, strict_route=strict)
    req_id = state.new_request()
    uac = UacTxn(ctx, message, transport, following.name, req_id, target=addressed)
    ctx.invites.append(uac)
    attach(state, decision, len(state.transmissions))
    send_request(state, caller.name, following.name, message, transport, uac,
                 (req_id, ctx.index, addressed.scheme, -1))


def on_request(state: SimState, txn: ServerTxn) -> None:
    """A UA receives an out-of-dialog request: it visits uas_answer and rings (RFC 3261 8.2, 12.1.1)."""
    element = state.network.element(txn.element)
    message = txn.request
    mark_last(state, txn.in_hop)
    txn.to_tag = element.tag or state.tag(element.name)
    if message.method != "INVITE":
        send_response(state, txn, response_to(message, 481, txn.to_tag))
        return
    if trying(element):
        send_response(state, txn, response_to(message, 100))
    if element.redirect_to:
        _redirect(state, txn, message)
        return
    contacts = message.contacts()
    req_contact = scheme_of(contacts[0].uri) if isinstance(contacts, list) and contacts else "sip"
    received = (_scheme(scheme_of(message.request_uri)), is_secure(txn.transport),
                opt_scheme(message.record_routes()), _scheme(req_contact))
    features = steps_features.uas_answer(CONCRETE, received, (element.tls, element.sips_ok, element.sip_ok),
                                         element.gateway)
    decision, options = visit(state, element.name, "uas_answer", features)
    txn.answer_decision = decision
    txn.answer = (480, 0, "sip") if options is None else (int(options["status"]), int(options["warn"]),
                                                          str(options["contact"]))
    txn.answer_tp = "none" if options is None else str(options["contact_tp"])
    if element.ringing and txn.answer[0] == 200:
        send_response(state, txn, response_to(message, 180, txn.to_tag, [("Contact", _contact(state, txn).render())]))
    state.pending.append(txn)


def _redirect(state: SimState, txn: ServerTxn, message: SipMessage) -> None:
    """A redirect UA visits redirect_answer: the transport parameter of its 302's Contact (RFC 3261 8.3, 19.1.1)."""
    element = state.network.element(txn.element)
    features = steps_features.redirect_answer(CONCRETE, _scheme(scheme_of(message.request_uri)),
                                              _scheme(scheme_of(_redirect_uri(element.redirect_to))))
    decision, options = visit(state, element.name, "redirect_answer", features)
    txn.answer_decision = decision
    txn.answer = (302, 0, "sip")
    txn.answer_tp = "none" if options is None else str(options["contact_tp"])
    state.pending.append(txn)


def _redirect_uri(text: str | None) -> SipUri:
    """The configured redirect target (the option contact_tp replaces any transport parameter it names)."""
    return sip_uri(text or "").without_param("transport")


def _contact(state: SimState, txn: ServerTxn) -> NameAddr:
    element = state.network.element(txn.element)
    assert txn.answer is not None
    uri = with_tparam(SipUri(txn.answer[2], state.network.user_of(element), None, element.host), txn.answer_tp)
    return NameAddr(uri, element.display_name)


def drain(state: SimState) -> None:
    """Let the UASs answer in the order requests reached them; a cancelled one answers 487."""
    while True:
        ready = [t for t in state.pending if t.cancelled or state.network.element(t.element).answers]
        if not ready:
            return
        txn = ready[0]
        state.pending.remove(txn)
        if txn.final_sent:
            continue
        if txn.cancelled:
            send_response(state, txn, response_to(txn.request, 487, txn.to_tag))
        else:
            answer(state, txn)


def answer(state: SimState, txn: ServerTxn) -> None:
    """Send the final answer decided at uas_answer; a 200 creates the UAS dialog first (RFC 3261 12.1.1)."""
    element = state.network.element(txn.element)
    assert txn.answer is not None
    status, warn, _ = txn.answer
    extra: list[tuple[str, str]] = []
    if status == 302 and element.redirect_to:
        extra.append(("Contact", NameAddr(with_tparam(_redirect_uri(element.redirect_to), txn.answer_tp)).render()))
    if status == 200:
        extra.append(("Contact", _contact(state, txn).render()))
        _uas_dialog(state, txn)
    if status == 480 and warn:
        extra.append(("Warning", warning_text(warn, element.host)))
    if txn.answer_decision is not None:
        attach(state, txn.answer_decision, len(state.transmissions))
    send_response(state, txn, response_to(txn.request, status, txn.to_tag, extra))


def _uas_dialog(state: SimState, txn: ServerTxn) -> None:
    message = txn.request
    element = state.network.element(txn.element)
    contacts, to, sender = message.contacts(), message.to(), message.from_()
    if not isinstance(contacts, list) or not contacts or to is None or sender is None:
        return
    ruri = _scheme(scheme_of(message.request_uri))
    local_uri = NameAddr(to.uri, to.display_name, (*to.params, ("tag", txn.to_tag or "")))
    state.dialogs.append(Dialog(
        txn.call, txn.req_id, "uas", element.name, is_secure(txn.transport) and ruri == "sips",
        message.record_routes(), contacts[0].uri, _contact(state, txn), local_uri, sender,
        message.call_id() or "", 0, element.tls, ruri, opt_scheme(message.record_routes()),
        _scheme(scheme_of(contacts[0].uri)),
    ))  # fmt: skip


def on_response(state: SimState, uac: UacTxn, response: SipMessage) -> None:
    """The UAC receives a response: a 2xx creates the dialog and is acknowledged; failures may retry."""
    status = response.status or 0
    ctx = uac.ctx
    if ctx is None:
        _register_response(state, uac, response)
        return
    if status < 200:
        return
    uac.final = response
    if status < 300:
        _uac_dialog(state, ctx, uac, response)
        return
    failure = failure_of(response)
    old = uac.target  # the URI the failed INVITE addressed (not a strict route entry in its Request-URI)
    if failure is None or ctx.retried or old is None:
        return
    caller = state.network.element(ctx.caller)
    features = steps_features.uac_retry(CONCRETE, _scheme(scheme_of(old)), failure,
                                        contact_scheme(failure_contact(response)), caller.confirms_downgrade)
    decision, options = visit(state, caller.name, "uac_retry", features)
    target = retry_target(failure, old, response)
    if options is None or options["action"] != "retry" or not isinstance(target, SipUri):
        return
    ctx.retried = True
    schemes = (features["ruri"], target.scheme)
    record = {"index": decision, **records.retry(CONCRETE, "ua", failure, schemes, caller.confirms_downgrade)}
    state.retries.append(record)
    ctx.cseq += 1
    sent = len(ctx.invites)
    send_invite(state, ctx, target, retry=True)
    if len(ctx.invites) == sent:  # no retry INVITE was allowed (uac_invite blocked): no retry happened
        state.retries.remove(record)


def _register_response(state: SimState, uac: UacTxn, response: SipMessage) -> None:
    """A 200 to REGISTER: keep the Service-Route it returns (RFC 3608 6.1)."""
    if response.status == 200 and state.registration is not None:
        routes = response.service_routes()
        state.service_routes[state.registration.ua] = tuple(r.uri.render() for r in routes)


def _uac_dialog(state: SimState, ctx: CallCtx, uac: UacTxn, response: SipMessage) -> None:
    """RFC 3261 12.1.2: route set = Record-Route reversed, remote target = the 2xx Contact; then ACK.

    The first 2xx of a call makes the call's dialog. A later 2xx with another To tag (another branch
    of a forked INVITE answered too) establishes a second dialog all the same (RFC 3261 13.2.2.4):
    the UAC acknowledges it and, as it keeps only the first, ends it at once with a BYE along that
    dialog's own route set. The second dialog is recorded in ``state.dialogs`` (and so in the
    observation): the UAC did establish it, and its ACK and BYE are requests of that dialog. A 2xx
    with the To tag of the call's dialog is a retransmission: it is acknowledged again, nothing more.
    In this simulator the proxy that forwards the first 2xx cancels the other branches before any
    UAS answers again (answers are sent one at a time), so a second 2xx is reached only by driving
    ``on_response`` directly, as the tests do.
    """
    contacts, to, request = response.contacts(), response.to(), uac.request
    sent_contacts = request.contacts()
    sender = request.from_()
    if not isinstance(contacts, list) or not contacts or to is None or sender is None:
        state.notes.append(f"{ctx.caller}: 2xx without Contact or To; no dialog")
        return
    assert isinstance(sent_contacts, list)
    caller = state.network.element(ctx.caller)
    ruri = _scheme(scheme_of(request.request_uri))
    dialog = Dialog(
        ctx.index, uac.req_id, "uac", caller.name, is_secure(uac.transport) and ruri == "sips",
        list(reversed(response.record_routes())), contacts[0].uri, sent_contacts[0], sender, to, ctx.call_id,
        ctx.cseq, caller.tls, ruri, "none", _scheme(scheme_of(sent_contacts[0].uri)),
    )  # fmt: skip
    ack_first = bool(ctx.call.in_dialog) and ctx.call.in_dialog[0] == ("caller", "ACK")
    if ctx.dialog is None:
        ctx.dialog = dialog
        state.dialogs.append(dialog)
        if ack_first:
            send_in_dialog(state, dialog, "ACK")
    elif ctx.dialog.remote_uri.tag == to.tag:
        state.notes.append(f"{ctx.caller}: the 2xx of call {ctx.index} again; acknowledged again")
        send_in_dialog(state, ctx.dialog, "ACK")
    else:
        state.notes.append(f"{ctx.caller}: a second 2xx for call {ctx.index} (To tag {to.tag}): "
                           "a second dialog, acknowledged and ended with BYE")
        state.dialogs.append(dialog)
        send_in_dialog(state, dialog, "ACK")
        send_in_dialog(state, dialog, "BYE")

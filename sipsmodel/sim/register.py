"""Registration: the UA's REGISTER, edge proxies adding Path, the registrar and its bindings.

RFC 3261 10.2 and 10.3 (AoR key, Contact matching with 19.1.4, refresh and removal), RFC 3327
(Path), RFC 3608 (Service-Route), RFC 5626 5.1 and 6 (outbound flow tokens), draft-04 section 5,
RFC 5630 section 5.2, as docs/semantics.md fixes them.
"""

from __future__ import annotations

from sipsmodel.defaults import DEFAULT_EXPIRES
from sipsmodel.model.bounds import MAX_FORWARDS
from sipsmodel.model.expr import Value
from sipsmodel.model.message_values import opt_scheme, scheme_of
from sipsmodel.model.scenario import Element, Registration
from sipsmodel.model.vocab import is_secure
from sipsmodel.sim.decide import attach, check_request, visit
from sipsmodel.sim.deliver import mark_last, send_request, send_response
from sipsmodel.sim.state import Binding, Branch, ServerTxn, SimState, UacTxn
from sipsmodel.sim.wire import (
    decrement_max_forwards,
    make_via,
    push_via,
    render_all,
    response_to,
    set_values,
    sip_uri,
    with_tparam,
)
from sipsmodel.steps import features as steps_features
from sipsmodel.steps.ops import CONCRETE
from sipsmodel.syntax import NameAddr, SipMessage, SipUri, aor_key, build_request, uri_equal


def _scheme(value: str) -> str:
    return "sips" if value == "sips" else "sip"


def run_registration(state: SimState, registration: Registration) -> None:
    """The UA visits ua_register and sends its REGISTER (docs/semantics.md, Registration step 1)."""
    network = state.network
    ua = network.element(registration.ua)
    registrar = network.element(registration.registrar)
    first = network.element(registration.via[0]) if registration.via else registrar
    features = steps_features.ua_register(CONCRETE, ua.want_sips, (ua.tls, network.next_tls(ua.name, first.name)))
    decision, options = visit(state, ua.name, "ua_register", features, (ua.name, first.name))
    if options is None:
        state.notes.append(f"{ua.name}: no REGISTER is allowed (ua_register has no allowed option)")
        return
    transport = str(options["transport"])
    message = _register_message(state, registration, ua, registrar, options, transport)
    check_request("ua_register", options, message, transport)
    state.registration = registration
    state.reg_flow = transport if registration.outbound else "none"
    req_id = state.new_request()
    uac = UacTxn(None, message, transport, first.name, req_id)
    attach(state, decision, len(state.transmissions))
    send_request(state, ua.name, first.name, message, transport, uac, (req_id, -1, str(options["ruri"]), -1))


def _register_message(
    state: SimState, registration: Registration, ua: Element, registrar: Element, options: dict[str, Value],
    transport: str,
) -> SipMessage:
    network = state.network
    ruri_scheme = str(options["ruri"])
    aor = SipUri(str(options["aor"]), registration.aor_user, None, registration.domain)
    params: list[tuple[str, str | None]] = []
    instance = registration.instance or (f"urn:uuid:{ua.name}" if registration.outbound else None)
    if instance:
        params.append(("+sip.instance", f'"<{instance}>"'))
    if registration.reg_id is not None or registration.outbound:
        params.append(("reg-id", str(registration.reg_id or 1)))
    contact = NameAddr(with_tparam(SipUri(str(options["contact"]), registration.aor_user, None, ua.host),
                                   options["contact_tp"]), ua.display_name,
                       tuple(params))
    state.tags[f"{ua.name}/cseq"] += 1
    cseq = registration.cseq if registration.cseq is not None else state.tags[f"{ua.name}/cseq"]
    routes = [NameAddr(SipUri(ruri_scheme, None, None, network.element(v).host, None, (("lr", None),)))
              for v in registration.via]
    lines = [
        ("Via", make_via(network.via_host(ua), transport, state.branch(ua.name)).render()),
        ("Max-Forwards", str(MAX_FORWARDS)),
        *([("Route", ", ".join(render_all(routes)))] if routes else []),
        ("To", NameAddr(aor, ua.display_name).render()),
        ("From", NameAddr(aor, ua.display_name, (("tag", registration.from_tag or state.tag(ua.name)),)).render()),
        ("Call-ID", registration.call_id or f"reg-{ua.name}@{ua.host}"),
        ("CSeq", f"{cseq} REGISTER"),
        ("Contact", contact.render()),
        *([("Expires", str(registration.expires))] if registration.expires is not None else []),
    ]
    supported = (["path"] if registration.via else []) + (["outbound"] if registration.outbound else [])
    if supported:
        lines.append(("Supported", ", ".join(supported)))
    return build_request("REGISTER", SipUri(ruri_scheme, None, None, registrar.host), lines)


def forward_register(state: SimState, txn: ServerTxn, element: Element, message: SipMessage) -> None:
    """An edge proxy visits edge_register, may push a Path value, and forwards (RFC 3327, RFC 5626 5.1)."""
    routes = message.routes()
    target = message.request_uri
    following = state.network.resolve(routes[0].uri if routes else target) if target is not None else None
    if following is None or following is element:
        mark_last(state, txn.in_hop)
        send_response(state, txn, response_to(message, 404, state.tag(element.name)))
        return
    contacts = message.contacts()
    contact = scheme_of(contacts[0].uri) if isinstance(contacts, list) and contacts else "sip"
    features = steps_features.edge_register(CONCRETE, (_scheme(scheme_of(target)), is_secure(txn.transport),
                                                       _scheme(contact)),
                                            (element.tls, state.network.next_tls(element.name, following.name)),
                                            element.malicious)
    decision, options = visit(state, element.name, "edge_register", features, (element.name, following.name))
    if options is None:
        mark_last(state, txn.in_hop)
        send_response(state, txn, response_to(message, 480, state.tag(element.name)))
        return
    out = message
    if options["path"] != "none":
        value = _path_value(state, element, str(options["path"]), options["path_tp"])
        out = set_values(out, "Path", [value, *render_all(out.paths())])
    transport = str(options["transport"])
    out = push_via(decrement_max_forwards(out), make_via(state.network.via_host(element), transport,
                                                         state.branch(element.name)))
    check_request("edge_register", options, out, transport)
    branch = Branch(txn, out, following.name, transport, len(state.transmissions), -1, False, False)
    txn.branches.append(branch)
    attach(state, decision, branch.out_hop)
    send_request(state, element.name, following.name, out, transport, branch, (txn.req_id, -1, txn.origin, -1))


def _path_value(state: SimState, element: Element, scheme: str, tparam: Value) -> str:
    """``<scheme:token@edge;lr>``, with ``ob`` at the first edge of an outbound registration and the
    transport parameter ``tparam`` (option path_tp; none: no parameter)."""
    registration = state.registration
    params: tuple[tuple[str, str | None], ...] = (("lr", None),)
    token = f"{element.name}-token"
    if registration is not None and element.name in registration.via:
        position = registration.via.index(element.name)
        tokens = registration.path_tokens
        token = tokens[position] if position < len(tokens) else f"{registration.ua}-{element.name}-{position}"
        if registration.outbound and position == 0:
            params = (*params, ("ob", None))
    return NameAddr(with_tparam(SipUri(scheme, token, None, element.host, None, params), tparam)).render()


def on_register(state: SimState, txn: ServerTxn) -> None:
    """The registrar visits registrar_accept, updates the bindings and answers (RFC 3261 10.3)."""
    element = state.network.element(txn.element)
    message = txn.request
    mark_last(state, txn.in_hop)
    to, sender = message.to(), message.from_()
    contacts = message.contacts()
    if to is None or sender is None or not isinstance(contacts, list) or not contacts:
        send_response(state, txn, response_to(message, 400, state.tag(element.name)))
        return
    features = steps_features.registrar_accept(CONCRETE, _scheme(scheme_of(message.request_uri)),
                                               (_scheme(scheme_of(to.uri)), _scheme(scheme_of(sender.uri))),
                                               _scheme(scheme_of(contacts[0].uri)), opt_scheme(message.paths()),
                                               is_secure(txn.transport))
    decision, options = visit(state, element.name, "registrar_accept", features)
    attach(state, decision, len(state.transmissions))
    registration = state.registration
    to_tag = registration.to_tag if registration is not None and registration.to_tag else state.tag(element.name)
    if options is None or options["status"] != 200:
        status = 403 if options is None else int(options["status"])
        send_response(state, txn, response_to(message, status, to_tag))
        return
    key = aor_key(to.uri, bool(options["key_scheme"]))
    _update_bindings(state, txn, key, bool(options["key_scheme"]), features)
    send_response(state, txn, response_to(message, 200, to_tag, _ok_headers(state, message, key)))


def _update_bindings(state: SimState, txn: ServerTxn, key: str, key_scheme: bool, features: dict[str, Value]) -> None:
    """Add, refresh or remove the Contact's binding under ``key`` (RFC 3261 10.3 steps 6 to 8)."""
    message = txn.request
    contacts = message.contacts()
    assert isinstance(contacts, list)
    contact = contacts[0]
    header_expires = message.header_values("Expires")
    expires_param = contact.param("expires")
    expires = int(expires_param) if expires_param else int(header_expires[0]) if header_expires else DEFAULT_EXPIRES
    existing = [b for b in state.bindings if b.key == key and uri_equal(b.contact.uri, contact.uri)]
    if expires == 0:
        state.bindings = [b for b in state.bindings if b not in existing]
        return
    ua = state.registration.ua if state.registration is not None else txn.prev
    params = tuple(p for p in contact.params if p[0].lower() != "expires")
    fields = {
        "key": key, "key_scheme": key_scheme, "contact": NameAddr(contact.uri, contact.display_name, params),
        "path": tuple(message.paths()), "flow": state.reg_flow, "aor": str(features["to"]),
        "reg_ruri": str(features["ruri"]), "reg_from": str(features["from"]),
        "reg_secure": bool(features["in_secure"]), "ua": ua, "expires": expires,
    }
    if existing:
        for name, value in fields.items():
            setattr(existing[0], name, value)
        return
    state.bindings.append(Binding(state.binding_ids, **fields))  # type: ignore[arg-type]
    state.binding_ids += 1


def _ok_headers(state: SimState, message: SipMessage, key: str) -> list[tuple[str, str]]:
    """Path echoed, every binding of the AoR with its expiry, Require outbound, Service-Route."""
    extra: list[tuple[str, str]] = []
    paths = message.paths()
    if paths:
        extra.append(("Path", ", ".join(render_all(paths))))
    bound = [b for b in state.bindings if b.key == key]
    if bound:
        values = [NameAddr(b.contact.uri, b.contact.display_name, (*b.contact.params, ("expires", str(b.expires))))
                  for b in bound]
        extra.append(("Contact", ", ".join(render_all(values))))
    if paths and isinstance(paths[0].uri, SipUri) and paths[0].uri.has_param("ob"):
        extra.append(("Require", "outbound"))
    registration = state.registration
    if registration is not None and registration.service_route:
        routes = [NameAddr(sip_uri(text.strip("<>"))).render() for text in registration.service_route]
        extra.append(("Service-Route", ", ".join(routes)))
    return extra

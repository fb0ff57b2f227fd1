"""The features a choice point reads, built in one place for both engines (issue 11 item 1d).

Each function takes what a visit's state offers (in the engine's values) and returns the feature
mapping ``rules.visit`` (smt) and ``sim.decide.visit`` (simulator) receive; the names are the choice
point's own (``sipsmodel/rules/choicepoints.py``; tests/steps checks them). What a feature is derived
from (a failure from a status and warn-code, ``next`` from the Route value left, a malicious sender
only when it is a proxy) is written here once; how each engine obtains the raw values (a message's
headers, a slot's fields) stays with the engine. Theory of operation: ``sipsmodel.steps``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic

from sipsmodel.model.vocab import BOOL
from sipsmodel.steps.ops import B, E, N, Ops
from sipsmodel.steps.responses import contact_feature
from sipsmodel.steps.routing import NextHop

Features = dict[str, Any]


@dataclass(frozen=True)
class Retargeting(Generic[B, E]):
    """How a proxy_forward branch relates to the location service (RFC 3261 16.5; RFC 3327; RFC 5626 5.3.1).

    ``responsible``: the proxy is responsible for the Request-URI's domain and retargets; ``binding``:
    the scheme of the binding's Contact (OPT_SCHEME, none when not retargeting to a binding);
    ``route_next``: the scheme of the first Route value sent (a Path, a preloaded route; none without one);
    ``flow``: the transport of the flow the hop must reuse (none without one).
    """

    responsible: B | bool
    binding: E
    route_next: E
    flow: E


def proxy_forward(ops: Ops[B, N, E], incoming: tuple[E, B | bool], how: Retargeting[B, E], dialog_forming: B | bool,
                  link: tuple[B | bool, B | bool], last_hop: B | bool, malicious: B | bool, ruri_tp: E,
                  next_tp: E) -> Features:
    """proxy_forward (RFC 3261 16.6): the request as received, the branch's target, the link to the next hop.

    ``incoming``: (the Request-URI's scheme as received, the incoming hop is protected by TLS);
    ``link``: (the proxy supports TLS, TLS is possible to the next hop); ``last_hop``: the next hop is
    the UAS; ``ruri_tp``: the transport parameter of the Request-URI the branch is sent to (TPARAM;
    the Request-URI sent keeps it); ``next_tp``: the transport parameter of the URI the next hop is resolved
    from, ``NextHop.tparam`` of steps/routing.py (RFC 3263 4.1).
    """
    in_ruri, in_secure = incoming
    tls, next_tls = link
    return {"in_ruri": in_ruri, "in_secure": ops.feature(BOOL, in_secure),
            "responsible": ops.feature(BOOL, how.responsible), "binding": how.binding,
            "route_next": how.route_next, "dialog_forming": ops.feature(BOOL, dialog_forming),
            "tls": ops.feature(BOOL, tls), "next_tls": ops.feature(BOOL, next_tls), "flow": how.flow,
            "last_hop": ops.feature(BOOL, last_hop), "ruri_tp": ruri_tp, "next_tp": next_tp,
            "malicious": ops.feature(BOOL, malicious)}


def proxy_target(ops: Ops[B, N, E], in_ruri: E, binding: E, malicious: B | bool) -> Features:
    """proxy_target (RFC 3261 16.5): the Request-URI's and the binding's Contact's schemes."""
    return {"in_ruri": in_ruri, "binding": binding, "malicious": ops.feature(BOOL, malicious)}


def proxy_response_rr(ops: Ops[B, N, E], inserted: tuple[E, E, E], secure: tuple[B | bool, B | bool],
                      malicious: B | bool) -> Features:
    """proxy_response_rr (RFC 3261 16.7 step 8): what the proxy inserted, and the security of its two hops.

    ``inserted``: (rr, rr_out, rr_tp) of the proxy's proxy_forward visit; ``secure``: (the request's
    incoming hop, the branch's outgoing hop) are protected by TLS.
    """
    rr, rr_out, rr_tp = inserted
    in_secure, out_secure = secure
    return {"rr": rr, "rr_out": rr_out, "rr_tp": rr_tp, "in_secure": ops.feature(BOOL, in_secure),
            "out_secure": ops.feature(BOOL, out_secure), "malicious": ops.feature(BOOL, malicious)}


def proxy_recurse(ops: Ops[B, N, E], ruri: E, failure: E, contact: E, malicious: B | bool) -> Features:
    """proxy_recurse (RFC 3261 16.7 step 4): the branch's Request-URI, the failure, a 3xx's Contact scheme."""
    return {"ruri": ruri, "failure": failure, "contact": contact_feature(ops, failure, contact),
            "malicious": ops.feature(BOOL, malicious)}


def uac_retry(ops: Ops[B, N, E], ruri: E, failure: E, contact: E, confirmed: B | bool) -> Features:
    """uac_retry (RFC 3261 8.1.3.4): the failed request's Request-URI, the failure, a 3xx's Contact scheme."""
    return {"ruri": ruri, "failure": failure, "contact": contact_feature(ops, failure, contact),
            "confirmed": ops.feature(BOOL, confirmed)}


def send_in_dialog(ops: Ops[B, N, E], proxy: bool, ruri: E, hop: NextHop[E, Any], link: tuple[B | bool, B | bool],
                   flow: E, malicious: B | bool, dialog_secure: B | bool = False) -> Features:
    """send_in_dialog (RFC 3261 12.2.1.1, 16.6 step 7): ``next``/``next_tp`` from the next hop, a sender's TLS.

    ``link``: (the sender supports TLS, TLS is possible to the next hop); ``malicious``: the sender's
    mark, which counts only for a proxy (a UAC is honest in the model); ``dialog_secure``: the sending
    UA's secure flag (RFC 3261 12.1.1 at the UAS, 12.1.2 at the UAC; SIPS-RULES.md F-1), which only a
    UA has (a proxy keeps no dialog state).
    """
    tls, next_tls = link
    return {"proxy": ops.feature(BOOL, proxy), "ruri": ruri, "next": hop.route, "next_tp": hop.tparam,
            "tls": ops.feature(BOOL, tls), "next_tls": ops.feature(BOOL, next_tls), "flow": flow,
            "malicious": ops.feature(BOOL, ops.and_(proxy, malicious)),
            "dialog_secure": ops.feature(BOOL, ops.and_(ops.not_(proxy), dialog_secure))}


def uac_invite(ops: Ops[B, N, E], target: E, link: tuple[B | bool, B | bool], route: tuple[E, B | bool],
               retry: B | bool, tparams: tuple[E, E]) -> Features:
    """uac_invite (RFC 3261 8.1.1.1, 8.1.2; RFC 3608 6.1): the target, the caller's first link, its route set.

    ``link``: (the caller supports TLS, TLS is possible to the first hop); ``route``: (the scheme of the
    pre-existing route set's first value, none without one; that value is a strict entry, F-19);
    ``tparams``: (the target's transport parameter, the one of the URI the first hop is resolved from).
    """
    tls, next_tls = link
    stored, strict = route
    target_tp, next_tp = tparams
    return {"target": target, "tls": ops.feature(BOOL, tls), "next_tls": ops.feature(BOOL, next_tls),
            "route_stored": stored, "route_strict": ops.feature(BOOL, strict), "retry": ops.feature(BOOL, retry),
            "target_tp": target_tp, "next_tp": next_tp}


def uas_answer(ops: Ops[B, N, E], request: tuple[E, B | bool, E, E], policy: tuple[B | bool, B | bool, B | bool],
               gateway: B | bool) -> Features:
    """uas_answer (RFC 3261 8.2, 12.1.1): the INVITE as the UAS received it, and the UAS's policy.

    ``request``: (the Request-URI's scheme, the last hop is protected by TLS, the top Record-Route
    value's scheme or none, the first Contact's scheme); ``policy``: (the UAS supports TLS, accepts
    sips, accepts sip); ``gateway``: the UAS is a gateway to a non-SIP network, where SIPS ends.
    """
    ruri, in_secure, rr_top, req_contact = request
    tls, sips_ok, sip_ok = policy
    return {"ruri": ruri, "in_secure": ops.feature(BOOL, in_secure), "rr_top": rr_top, "req_contact": req_contact,
            "tls": ops.feature(BOOL, tls), "sips_ok": ops.feature(BOOL, sips_ok), "sip_ok": ops.feature(BOOL, sip_ok),
            "gateway": ops.feature(BOOL, gateway)}


def redirect_answer(ops: Ops[B, N, E], ruri: E, contact: E) -> Features:
    """redirect_answer (RFC 3261 8.3): the Request-URI's scheme and the scheme of the 302's Contact."""
    return {"ruri": ruri, "contact": contact}


def ua_register(ops: Ops[B, N, E], want_sips: B | bool, link: tuple[B | bool, B | bool]) -> Features:
    """ua_register (RFC 3261 10.2; draft-04 5): the UA's wish for sips and its link to the first hop."""
    tls, next_tls = link
    return {"want_sips": ops.feature(BOOL, want_sips), "tls": ops.feature(BOOL, tls),
            "next_tls": ops.feature(BOOL, next_tls)}


def edge_register(ops: Ops[B, N, E], incoming: tuple[E, B | bool, E], link: tuple[B | bool, B | bool],
                  malicious: B | bool) -> Features:
    """edge_register (RFC 3327; RFC 5626 5.1): the REGISTER as received, the link on to the registrar.

    ``incoming``: (the Request-URI's scheme, the hop is protected by TLS, the Contact's scheme).
    """
    in_ruri, in_secure, contact = incoming
    tls, next_tls = link
    return {"in_ruri": in_ruri, "in_secure": ops.feature(BOOL, in_secure), "contact": contact,
            "tls": ops.feature(BOOL, tls), "next_tls": ops.feature(BOOL, next_tls),
            "malicious": ops.feature(BOOL, malicious)}


def registrar_accept(ops: Ops[B, N, E], ruri: E, aor: tuple[E, E], contact: E, path: E,
                     in_secure: B | bool) -> Features:
    """registrar_accept (RFC 3261 10.3): the REGISTER as the registrar received it.

    ``aor``: (the To URI's scheme, the From URI's scheme); ``path``: the top Path value's scheme, none
    without one.
    """
    to, frm = aor
    return {"ruri": ruri, "to": to, "from": frm, "contact": contact, "path": path,
            "in_secure": ops.feature(BOOL, in_secure)}

"""The INVITE of the bounded scenario, from alice through p1..pm to pb and its branches (docs/semantics.md).

Theory of operation: the chain position ``i`` (alice = 0, ``p_i``) sends at most one request slot whose
receiver is ``p(i+1)`` when that proxy is present, else ``pb``. A proxy with no allowed option answers
480 (``blocked``). ``pb`` is responsible for ``example.com``: each binding whose AoR key matches the
Request-URI is a branch, visited in binding-id order, all sent before any UAS answers (parallel
forking, sim/state.py); a branch with a Path goes through the edge proxy, which sees the flow.
The Record-Route list is kept as per-proxy (in, out) entry slots in insertion order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import z3

from sipsmodel.model.vocab import ANY_SCHEME, BOOL, FLOW, INT, OPT_SCHEME, RR_KIND, SCHEME, TPARAM
from sipsmodel.smt.compile import Sym, SymRecord, const, convert, is_value, ite
from sipsmodel.smt.ops import Z3
from sipsmodel.smt.records import (
    PARAM_ATTRS,
    contact_params,
    forwards_fields,
    proxy_forward_hop,
    retarget_params,
    rr_params,
    uac_addressed,
    uac_invite_hop,
    uac_route_params,
    uac_target_params,
    value_params,
    with_params,
)
from sipsmodel.smt.register import BindingState, choose_link, next_tls
from sipsmodel.smt.topology import Slot, Topology
from sipsmodel.smt.visits import Visit
from sipsmodel.steps import features as steps_features
from sipsmodel.steps.features import Retargeting
from sipsmodel.steps.routing import RouteLeft, next_hop

Term = Any


@dataclass
class RREntry:
    """One Record-Route value a proxy may have inserted (``out`` faces downstream, ``in`` upstream)."""

    owner: Term | int  # a position (a term once the lists of two devices are merged)
    present: Term
    scheme: Sym
    is_out: bool
    tparam: Sym = field(default_factory=lambda: const(TPARAM, "none"))  # its transport parameter (rr_tp)
    strict: Term = field(default_factory=lambda: z3.BoolVal(False))  # its owner is a strict router (no lr)


@dataclass
class Leg:
    """A request slot and what its receiver needs: fields, the RR entries inserted so far."""

    slot: Slot
    rr: list[RREntry]
    last: Term  # receiver answers the request itself
    ruri_tp: Sym = field(default_factory=lambda: const(TPARAM, "none"))  # its Request-URI's transport parameter
    #: parameter attributes of its Route values (a pushed Path value; none by default): its CANCEL copies them
    #: (RFC 3261 9.1), and its receiver, whose own they are in the bounded family, removes them (16.4)
    route_params: dict[str, Sym] = field(default_factory=dict)
    kept: dict[str, Sym] | None = None  # the parameter attributes of its other URIs (None: no Route value counted)
    # the Request-URI's scheme as the receiver works with it, when a strict router's 16.4 fix-up changes it
    received: Sym | None = None
    #: the parameter attributes of the URIs its receiver keeps but the Request-URI (which a retargeting
    #: receiver replaces, 16.5); None: as ``kept_params`` (no Request-URI parameter counted apart)
    base: dict[str, Sym] | None = None

    def kept_params(self) -> dict[str, Sym]:
        """The parameter attributes of the URIs its receiver keeps (all but its own Route values)."""
        return self.kept if self.kept is not None else {a: self.slot.fields[a] for a in PARAM_ATTRS}

    def base_params(self) -> dict[str, Sym]:
        """The parameter attributes of the URIs its receiver keeps, its Request-URI left out."""
        return self.base if self.base is not None else self.kept_params()


@dataclass
class Forward:
    """A proxy_forward visit that may send: its in and out legs and its RR entries."""

    visit: Visit
    element: int
    incoming: Leg
    outgoing: Leg | None
    sent: Term
    entries: list[RREntry] = field(default_factory=list)


@dataclass
class Branch:
    """One branch of pb towards binding ``j``: pb's leg, the edge's leg, and the UAS visit."""

    binding: BindingState
    found: Term
    pb_forward: Forward
    edge_forward: Forward
    delivered: Term
    uas: Visit
    uas_leg: Leg
    request: Term  # the request id its hops carry (a recursion branch is a new request)
    status: Term  # the UA's final answer (302 from a redirect UA, else the uas_answer option)
    warn: Term
    contact: Sym  # the Contact scheme of a 2xx or 302
    targeted: Term  # pb's proxy_target put the binding in its target set (always, for a recursion branch)
    contact_tp: Sym = field(default_factory=lambda: const(TPARAM, "none"))  # transport parameter of that Contact


def rr_top(entries: list[RREntry]) -> Sym:
    """Scheme of the topmost present Record-Route value (the last inserted), ``none`` without one."""
    result = const(OPT_SCHEME, "none")
    for entry in entries:
        result = ite(entry.present, convert(entry.scheme, OPT_SCHEME), result)
    return result


def _entries(v: Visit, element: int, sending: Term, strict: Term) -> list[RREntry]:
    o = v.options
    rr = o["rr"]
    double = z3.And(sending, rr.term == const(RR_KIND, "double").term)
    some = z3.And(sending, z3.Not(rr.term == const(RR_KIND, "none").term))
    tp = o["rr_tp"]
    return [RREntry(element, double, o["rr_in"], False, tp, strict),
            RREntry(element, some, o["rr_out"], True, tp, strict)]


def forward(topo: Topology, element: int, active: Term, incoming: Leg, features: dict[str, Sym], receiver: Term | int,
            link: dict[str, Term], label: str, request: Term, binding_hop: Term | None = None,
            pushed: dict[str, Sym] | None = None) -> Forward:
    """A proxy_forward visit and its outgoing slot (RFC 3261 16.6; docs/semantics.md call step 2).

    ``pushed``: the parameter attributes of the Route values the proxy pushes (a stored Path, RFC 3327).
    """
    v = topo.rules.visit("proxy_forward", element, active, features, label, link=link)
    sent = z3.And(active, z3.Not(v.blocked))
    entries = _entries(v, element, sent, topo.strict(element))
    rr = incoming.rr + entries
    ruri_tp = features["ruri_tp"]  # the Request-URI sent keeps the target's parameter
    # the received URIs it keeps, the inserted values and the Request-URI sent
    base = with_params(incoming.base_params(), rr_params(entries))
    kept = retarget_params(v.options["ruri"], ruri_tp, base)
    fields = {
        **proxy_forward_hop(v, rr_top(incoming.rr)),
        **{a: incoming.slot.fields[a] for a in ("origin", "contact", "to", "from", "call")},
        **(with_params(kept, pushed) if pushed else kept),  # with the Route values pushed
        "status": const(INT, 0),
        "receiver": topo.role(receiver),
        "binding": Sym(binding_hop if binding_hop is not None else z3.IntVal(-1), INT),
    }
    last = z3.Bool(f"{label}!last")
    fields["last"] = Sym(last, BOOL)
    slot = topo.send(sent, element, receiver, fields, request, f"{label}!out")
    leg = Leg(slot, rr, last, ruri_tp, pushed or {}, kept if pushed else None, base=base)
    return Forward(v, element, incoming, leg, sent, entries)


def _passing_through(flow: Sym) -> Retargeting[Term, Sym]:
    """A chain proxy's or the edge proxy's branch: not responsible, no binding, no Route value sent."""
    return Retargeting(False, const(OPT_SCHEME, "none"), const(OPT_SCHEME, "none"), flow)


def _resolved(ruri_tp: Sym, outbound: Term | bool = False) -> Sym:
    """``next_tp`` of a chain proxy's or the edge proxy's visit: no Route value is left, so the next hop is
    resolved from the Request-URI sent unless an outbound proxy is configured (``outbound``: a chain proxy
    followed by another sends to it, sim ``decode``) (steps/routing.py)."""
    none: RouteLeft[Term, Sym, Term] = RouteLeft(False, 0, const(OPT_SCHEME, "none"), const(TPARAM, "none"))
    return next_hop(Z3, none, outbound, 0, 0, ruri_tp).tparam


def forwards_record(fw: Forward, index: Term, in_hop: Term, out_hop: Term) -> SymRecord:
    """The ``forwards`` record of a visit that sent (docs/semantics.md Observation)."""
    values = {**forwards_fields(fw.visit), "index": Sym(index, INT), "in_hop": Sym(in_hop, INT),
              "out_hop": Sym(out_hop, INT)}
    return SymRecord(fw.sent, values)


def uac_invite(topo: Topology, label: str, target: Sym, route_stored: Sym, request: Term, active: Term,
               retry: bool = False, strict: Term | None = None, target_tp: Sym | None = None) -> tuple[
    Visit, Leg
]:
    """alice's INVITE (RFC 3261 8.1.1; docs/semantics.md call step 1).

    ``strict``: the preloaded route's entry (p1) is a strict router's (``route_strict``): the INVITE's
    Request-URI is that entry and the target its Route value (RFC 3261 8.1.1.1, 12.2.1.1), which p1
    takes back as the Request-URI (16.4): the leg's ``received`` scheme (SIPS-RULES.md F-19).
    ``target_tp``: the target's transport parameter (a retry's 3xx Contact, 8.1.3.4), none when not given.
    """
    tp = target_tp if target_tp is not None else const(TPARAM, "none")
    preloaded = z3.Not(is_value(OPT_SCHEME, route_stored, "none"))
    # alice has no outbound proxy in the family: the target's parameter counts without a preloaded route
    unnamed: RouteLeft[Term, Sym, Term] = RouteLeft(preloaded, 1, route_stored, const(TPARAM, "none"))
    next_tp = next_hop(Z3, unnamed, False, topo.pb, topo.pb, tp).tparam  # (the element is uac_invite's ``first``)
    alice = topo.ALICE
    # sim/ua.py send_invite: the first hop is the preloaded Route (p1) or what the target resolves to (pb)
    chain1 = topo.chain[1] if topo.k > 1 else z3.BoolVal(False)
    first = z3.If(chain1, 1, topo.pb) if topo.k > 1 else topo.pb
    ntls = z3.If(chain1, next_tls(topo, alice, 1), next_tls(topo, alice, topo.pb)) if topo.k > 1 else next_tls(
        topo, alice, topo.pb)
    link = choose_link(topo, chain1, (alice, 1), (alice, topo.pb)) if topo.k > 1 else topo.link(alice, topo.pb)
    v = topo.rules.visit(
        "uac_invite", alice, active,
        steps_features.uac_invite(Z3, target, (topo.tls(alice), ntls),
                                  (route_stored, strict if strict is not None else False), retry, (tp, next_tp)),
        label, link=link,
    )
    sends = z3.And(active, z3.Not(v.blocked))  # sim/ua.py: no INVITE is allowed, the call is not placed
    last = z3.Bool(f"{label}!last")
    fields = {**uac_invite_hop(v), "call": const(INT, 0), "status": const(INT, 0),
              "receiver": topo.role(first), "binding": const(INT, -1), "last": Sym(last, BOOL)}
    slot = topo.send(sends, alice, first, fields, request, f"{label}!out")
    # p1 removes its preloaded Route value (RFC 3261 16.4) and keeps the Contact and the target (the
    # Request-URI, which a strict p1 takes back from the last Route value)
    base = contact_params(v.options["contact"], v.options["contact_tp"])
    kept = with_params(base, uac_target_params(v))
    received = None if strict is None else convert(uac_addressed(v), SCHEME)
    return v, Leg(slot, [], last, ruri_tp=tp, route_params=uac_route_params(v), kept=kept, received=received,
                  base=base)


def chain_forwards(topo: Topology, label: str, first: Leg, request: Term) -> tuple[list[Forward], list[Leg]]:
    """p1 .. p(K-1) forward towards pb, each sending to the next proxy when present, else to pb."""
    legs, forwards = [first], []
    for i in range(1, topo.k):
        incoming = legs[-1]
        at = z3.And(incoming.slot.active, topo.chain[i])
        has_next = topo.chain[i + 1] if i + 1 < topo.k else z3.BoolVal(False)
        receiver = z3.If(has_next, i + 1, topo.pb) if i + 1 < topo.k else topo.pb
        ntls = z3.If(has_next, next_tls(topo, i, i + 1), next_tls(topo, i, topo.pb)) if i + 1 < topo.k else \
            next_tls(topo, i, topo.pb)
        link = choose_link(topo, has_next, (i, i + 1), (i, topo.pb)) if i + 1 < topo.k else topo.link(i, topo.pb)
        f = incoming.slot.fields
        in_ruri = incoming.received if incoming.received is not None else convert(f["ruri"], SCHEME)
        features = steps_features.proxy_forward(Z3, (in_ruri, f["secure"]),
                                                _passing_through(const(FLOW, "none")), True, (topo.tls(i), ntls), False,
                                                topo.malicious(i), incoming.ruri_tp,
                                                _resolved(incoming.ruri_tp, has_next))
        fw = forward(topo, i, at, incoming, features, receiver, link, f"{label}!p{i}", request)
        forwards.append(fw)
        legs.append(fw.outgoing if fw.outgoing is not None else incoming)
    return forwards, legs


def arrives_at_pb(topo: Topology, legs: list[Leg]) -> list[Term]:
    """For each chain position, whether its slot is the one that reaches pb."""
    result = []
    for i, leg in enumerate(legs):
        has_next = topo.chain[i + 1] if i + 1 < topo.k else z3.BoolVal(False)
        result.append(z3.And(leg.slot.active, z3.Not(has_next)))
    return result


def select(conds: list[Term], values: list[Sym]) -> Sym:
    """The value whose condition holds (conditions exclusive; the last is the default)."""
    result = values[-1]
    for cond, value in zip(conds[:-1][::-1], values[:-1][::-1], strict=True):
        result = ite(cond, value, result)
    return result


def pb_branch(topo: Topology, label: str, b: BindingState, active: Term, pb_in: Leg, in_ruri: Sym, request: Term,
              recursion: bool = False, twin_tp: Sym | None = None) -> Branch:
    """pb retargets to binding ``j`` (RFC 3261 16.5, 16.6; RFC 3327): pb's visit, the edge's, the UAS.

    ``active``: pb holds the request (first branch) or chose to recurse to the twin of the branch's
    Request-URI (``recursion``: binding ``none``, the same stored Path as Route, docs/semantics.md step 5;
    ``twin_tp``: that Request-URI's transport parameter, which the twin keeps).
    """
    j, pb, eb, bob = b.j, topo.pb, topo.eb(b.j), topo.bob(b.j)
    found = active if recursion else z3.And(active, b.bound, z3.Or(z3.Not(b.key_scheme), b.aor.term == in_ruri.term))
    ruri_tp = twin_tp if recursion and twin_tp is not None else b.contact_tp  # the registered Contact's
    path: RouteLeft[Term, Sym, Term] = RouteLeft(b.has_path, eb, b.path, b.path_tp)  # the stored Path (RFC 3327)
    hop = next_hop(Z3, path, False, bob, bob, ruri_tp)  # pb has no outbound proxy: the Path's edge, else bob
    receiver = hop.element
    binding = const(OPT_SCHEME, "none") if recursion else convert(b.contact, OPT_SCHEME)
    pb_tls = (topo.tls(pb), z3.If(b.has_path, next_tls(topo, pb, eb), next_tls(topo, pb, bob)))
    features = steps_features.proxy_forward(Z3, (in_ruri, pb_in.slot.fields["secure"]),
                                            Retargeting(True, binding, b.path, const(FLOW, "none")), True, pb_tls,
                                            z3.Not(b.has_path), topo.malicious(pb), ruri_tp, hop.tparam)
    targeted = z3.BoolVal(True) if recursion else _targeted(topo, label, b, found, in_ruri)
    link = choose_link(topo, b.has_path, (pb, eb), (pb, bob))
    direct_binding = z3.If(b.has_path, -1, b.id)
    fw = forward(topo, pb, z3.And(found, targeted), pb_in, features, receiver, link, f"{label}!pb{j}", request,
                 direct_binding, value_params(b.path, b.path_tp, b.has_path))
    assert fw.outgoing is not None
    at_edge = z3.And(fw.sent, b.has_path)
    f = fw.outgoing.slot.fields
    edge_tls = (topo.tls(eb), next_tls(topo, eb, bob))
    edge_features = steps_features.proxy_forward(Z3, (convert(f["ruri"], SCHEME), f["secure"]),
                                                 _passing_through(b.flow), True, edge_tls, True, topo.malicious(eb),
                                                 fw.outgoing.ruri_tp, _resolved(fw.outgoing.ruri_tp))
    efw = forward(topo, eb, at_edge, fw.outgoing, edge_features, bob, topo.link(eb, bob), f"{label}!eb{j}", request,
                  b.id)
    assert efw.outgoing is not None
    delivered = z3.Or(z3.And(fw.sent, z3.Not(b.has_path)), efw.sent)
    leg = _uas_leg(b.has_path, fw.outgoing, efw.outgoing)
    lf = leg.slot.fields
    redirect = topo.redirect(bob)
    uas = topo.rules.visit(
        "uas_answer", bob, z3.And(delivered, z3.Not(redirect)),
        steps_features.uas_answer(Z3, (convert(lf["ruri"], SCHEME), lf["secure"], lf["rr_top"],
                                       convert(lf["contact"], SCHEME)),
                                  (topo.tls(bob), z3.Bool(f"bob{j}!sips_ok"), z3.Bool(f"bob{j}!sip_ok")),
                                  topo.gateway(bob)),
        f"{label}!uas{j}", fallback={"status": 480, "warn": 0, "contact": "sip", "contact_tp": "none"},
    )
    o = uas.options
    rv = topo.rules.visit("redirect_answer", bob, z3.And(delivered, redirect),
                          steps_features.redirect_answer(Z3, convert(lf["ruri"], SCHEME), topo.redirect_scheme(j)),
                          f"{label}!redirect{j}", fallback={"contact_tp": "none"})
    status = z3.If(redirect, 302, o["status"].term)
    warn = z3.If(redirect, 0, o["warn"].term)
    contact = ite(redirect, topo.redirect_scheme(j), o["contact"])
    contact_tp = ite(redirect, rv.options["contact_tp"], o["contact_tp"])  # the 302's, else the 2xx's Contact
    return Branch(b, found, fw, efw, delivered, uas, leg, request, status, warn, contact, targeted, contact_tp)


def _targeted(topo: Topology, label: str, b: BindingState, found: Term, in_ruri: Sym) -> Term:
    """pb's proxy_target visit for a binding found under the key (RFC 3261 16.5; sim/proxy.py ``_targets``)."""
    features = steps_features.proxy_target(Z3, in_ruri, convert(b.contact, SCHEME), topo.malicious(topo.pb))
    tv = topo.rules.visit("proxy_target", topo.pb, found, features, f"{label}!target{b.j}", fallback={"target": False})
    return z3.And(z3.Not(tv.blocked), tv.options["target"].term)


def _uas_leg(has_path: Term, direct: Leg, via_edge: Leg) -> Leg:
    """The leg that reaches the UAS: pb's own, or the edge proxy's."""
    fields = {a: ite(has_path, via_edge.slot.fields[a], direct.slot.fields[a]) for a in direct.slot.fields}
    rr = via_edge.rr  # the edge's entries are inactive when there is no Path
    slot = Slot(z3.Or(direct.slot.active, via_edge.slot.active), z3.If(has_path, via_edge.slot.sender,
                direct.slot.sender), 0, fields, direct.slot.request, "uas-leg")
    return Leg(slot, rr, z3.BoolVal(True))


__all__ = ["ANY_SCHEME", "Branch", "Forward", "Leg", "RREntry", "arrives_at_pb", "chain_forwards",
           "forward", "forwards_record", "pb_branch", "rr_top", "select", "uac_invite"]

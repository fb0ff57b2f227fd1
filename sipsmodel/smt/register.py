"""Symbolic registrations of the bounded scenario (docs/semantics.md, Registration).

Each of bob's devices ``bob1``, ``bob2`` may register (``bob2`` only after ``bob1``), directly to the
registrar ``pb`` or through its edge proxy ``eb1`` / ``eb2``, with or without outbound (RFC 5626; only
with an edge proxy in this family). Visits: ``ua_register``, ``edge_register``, ``registrar_accept``; the
REGISTER and its response are transmission slots; a 200 creates a binding with the next id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import z3

from sipsmodel.model.vocab import ANY_SCHEME, BOOL, FLOW, INT, OPT_SCHEME, REG_STATUS, SCHEME, TPARAM, TRANSPORT
from sipsmodel.smt.compile import Sym, SymRecord, const, convert, ite
from sipsmodel.smt.ops import Z3
from sipsmodel.smt.records import (
    PARAM_ATTRS,
    contact_params,
    edge_register_hop,
    path_params,
    ua_register_hop,
    with_params,
)
from sipsmodel.smt.topology import Topology, response_fields
from sipsmodel.smt.visits import Visit
from sipsmodel.steps import features as steps_features
from sipsmodel.steps import records as steps_records

Term = Any


@dataclass
class BindingState:
    """What the call needs to know about binding ``j`` (bob's device ``j``)."""

    j: int
    registers: Term
    edge: Term
    outbound: Term
    bound: Term
    id: Term
    contact: Sym
    aor: Sym
    key_scheme: Term
    has_path: Term
    path: Sym
    flow: Sym
    record: SymRecord
    ua_visit: Visit
    edge_visit: Visit
    registrar_visit: Visit
    contact_tp: Sym  # the transport parameter of the registered Contact (ua_register contact_tp)
    path_tp: Sym  # the transport parameter of the stored Path value (edge_register path_tp; none without one)


def next_tls(topo: Topology, sender: Term | int, receiver: Term | int) -> Term:
    """``next_tls``: the next element supports TLS and the link offers TLS (sim/network.py)."""
    return z3.And(topo.tls(receiver), topo.link(sender, receiver)["TLS"])


def choose_link(topo: Topology, cond: Term, a: tuple[int, int], b: tuple[int, int]) -> dict[str, Term]:
    """The link of a hop whose receiver depends on ``cond``."""
    la, lb = topo.link(*a), topo.link(*b)
    return {t: z3.If(cond, la[t], lb[t]) for t in la}


def _same_key(a: BindingState, aor: Sym, key_scheme: Term) -> Term:
    """Two AoR keys are equal (``aor_key`` with keep_scheme; one AoR user and domain in this family)."""
    return z3.And(a.key_scheme == key_scheme, z3.Or(z3.Not(key_scheme), a.aor.term == aor.term))


def register(topo: Topology, j: int, earlier: list[BindingState]) -> BindingState:
    """The registration of bob's device ``j`` (docs/semantics.md, Registration steps 1-3)."""
    registers, edge, outbound = z3.Bool(f"reg{j}"), z3.Bool(f"reg{j}!edge"), z3.Bool(f"reg{j}!outbound")
    if earlier:
        topo.assertions.append(z3.Implies(registers, earlier[-1].registers))
    topo.assertions.append(z3.Implies(outbound, edge))
    bob, eb, pb = topo.bob(j), topo.eb(j), topo.pb
    want = z3.Bool(f"bob{j}!want_sips")
    first_tls = z3.If(edge, next_tls(topo, bob, eb), next_tls(topo, bob, pb))
    ua = topo.rules.visit(
        "ua_register", bob, registers,
        steps_features.ua_register(Z3, want, (topo.tls(bob), first_tls)),
        f"reg{j}!ua", link=choose_link(topo, edge, (bob, eb), (bob, pb)),
    )
    sends = z3.And(registers, z3.Not(ua.blocked))  # sim/register.py: no REGISTER is allowed
    request = topo.new_request(sends)
    route0 = ite(edge, convert(ua.options["ruri"], OPT_SCHEME), const(OPT_SCHEME, "none"))
    first = z3.If(edge, eb, pb)
    hop1 = {
        **ua_register_hop(ua, route0),
        "sender": topo.role(bob),
        "receiver": ite(edge, topo.role(eb), topo.role(pb, registrar=True)),
        "last": Sym(z3.Bool(f"reg{j}!last"), BOOL),
        "status": const(INT, 0),
    }
    topo.send(sends, bob, first, hop1, request, f"reg{j}!register")
    o = ua.options
    edge_features = steps_features.edge_register(Z3, (o["ruri"], hop1["secure"], o["contact"]),
                                                 (topo.tls(eb), next_tls(topo, eb, pb)), topo.malicious(eb))
    ev = topo.rules.visit("edge_register", eb, z3.And(sends, edge), edge_features, f"reg{j}!edge",
                          link=topo.link(eb, pb))
    via_edge = z3.And(sends, edge, z3.Not(ev.blocked))
    edge_rejects = z3.And(sends, edge, ev.blocked)  # the edge proxy answers 480 itself
    topo.assertions.append(hop1["last"].term == z3.Or(z3.Not(edge), edge_rejects))
    hop2 = {
        **edge_register_hop(ev),
        # the relayed Contact and the Path value the edge proxy inserts (RFC 3327)
        **with_params({a: hop1[a] for a in PARAM_ATTRS}, path_params(ev)),
        "origin": hop1["origin"], "to": hop1["to"], "from": hop1["from"],
        "receiver": topo.role(pb, registrar=True), "last": const(BOOL, True), "status": const(INT, 0),
    }
    topo.send(via_edge, eb, pb, hop2, request, f"reg{j}!register-edge")
    has_path = z3.And(edge, z3.Not(ev.options["path"].term == const(OPT_SCHEME, "none").term))
    path = ite(edge, ev.options["path"], const(OPT_SCHEME, "none"))
    in_secure = ite(edge, hop2["secure"], hop1["secure"])
    at_registrar = z3.And(sends, z3.Or(z3.Not(edge), z3.Not(ev.blocked)))
    rv = topo.rules.visit(
        "registrar_accept", pb, at_registrar,
        steps_features.registrar_accept(Z3, o["ruri"], (o["aor"], o["aor"]), o["contact"], path, in_secure),
        f"reg{j}!registrar", fallback={"status": 403},
    )
    status = rv.options["status"].term
    bound = z3.And(at_registrar, status == 200)
    key_scheme = rv.options["key_scheme"].term
    binding_id = z3.Sum([z3.If(b.bound, 1, 0) for b in earlier]) if earlier else z3.IntVal(0)
    contact_any = convert(o["contact"], ANY_SCHEME)
    listed = contact_any
    for b in reversed(earlier):
        listed = ite(z3.And(b.bound, _same_key(b, o["aor"], key_scheme)), convert(b.contact, ANY_SCHEME), listed)
    resp_contact = ite(z3.And(status == 200, z3.Not(edge_rejects)), listed, const(ANY_SCHEME, "none"))
    ok = z3.And(status == 200, z3.Not(edge_rejects))
    # the 200 lists the bound Contacts and echoes the Path (sim/register.py _ok_headers)
    params = with_params(_listed_params(earlier, o, key_scheme, ok),
                         {a: Sym(z3.And(ok, edge, p.term), BOOL) for a, p in path_params(ev).items()})
    no_rr = const(OPT_SCHEME, "none")
    resp_hop2 = {**response_fields(hop2, status, resp_contact, no_rr, topo.role(pb, registrar=True), topo.role(eb)),
                 **params}
    topo.send(via_edge, pb, eb, resp_hop2, request, f"reg{j}!response-edge")
    resp_hop1 = {**response_fields(hop1, z3.If(edge_rejects, 480, status), resp_contact, no_rr,
                                   ite(edge, topo.role(eb), topo.role(pb, registrar=True)), topo.role(bob)),
                 **params}
    topo.send(sends, first, bob, resp_hop1, request, f"reg{j}!response")
    flow = ite(outbound, convert(o["transport"], FLOW), const(FLOW, "none"))
    record = SymRecord(bound, steps_records.binding(Z3, binding_id, (o["contact"], o["aor"], key_scheme),
                                                    (o["ruri"], o["aor"], path, in_secure), flow))
    return BindingState(j, registers, edge, outbound, bound, binding_id, o["contact"], o["aor"], key_scheme,
                        has_path, path, flow, record, ua, ev, rv, o["contact_tp"],
                        ite(has_path, ev.options["path_tp"], const(TPARAM, "none")))


def _listed_params(earlier: list[BindingState], o: dict[str, Sym], key_scheme: Term, ok: Term) -> dict[str, Sym]:
    """The parameter attributes of a 200 to a REGISTER: every Contact bound under the key (sim/register.py)."""
    listed = [(ok, contact_params(o["contact"], o["contact_tp"]))]
    listed += [(z3.And(ok, b.bound, _same_key(b, o["aor"], key_scheme)), contact_params(b.contact, b.contact_tp))
               for b in earlier]
    return {a: Sym(z3.Or([z3.And(on, p[a].term) for on, p in listed]), BOOL) for a in PARAM_ATTRS}


__all__ = ["BindingState", "REG_STATUS", "SCHEME", "TRANSPORT", "choose_link", "next_tls", "register"]

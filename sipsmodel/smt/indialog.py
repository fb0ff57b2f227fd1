"""In-dialog requests of the bounded scenario: a symbolic walk along a route set (RFC 3261 12.2.1.1, 16.4).

Theory of operation: the walk has a bounded number of steps; at each one the sender ``cur`` (a
symbolic position) has removed every Route value naming itself, and sends to the owner of the first
value left, else (a proxy that is not responsible and has an outbound proxy) to that proxy, else to
the element the Request-URI resolves to (docs/semantics.md, Resolution). Every step is a
``send_in_dialog`` visit of the sender and one transmission slot; the walk must arrive within its steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import z3

from sipsmodel.model.vocab import ANY_SCHEME, BOOL, FLOW, INT, OPT_SCHEME, SCHEME
from sipsmodel.smt.compile import Sym, const, convert, ite
from sipsmodel.smt.invite import RREntry
from sipsmodel.smt.records import send_in_dialog_hop
from sipsmodel.smt.register import BindingState
from sipsmodel.smt.topology import Topology, pick, response_fields

Term = Any


@dataclass
class Walk:
    """What an in-dialog request needs: who sends, to whom, along which route set."""

    method: str
    start: int
    target: int
    route: list[RREntry]
    ruri: Sym
    to: Sym
    frm: Sym
    request: Term
    active: Term
    binding: BindingState


def outbound_of(topo: Topology, position: Term) -> tuple[Term, Term]:
    """Whether the element at ``position`` is a proxy with an outbound proxy, and which (p_i -> p_(i+1))."""
    has = z3.BoolVal(False)
    for i in range(1, topo.k - 1):
        has = z3.If(position == i, topo.chain[i + 1], has)
    return has, position + 1


def walk(topo: Topology, w: Walk, label: str) -> None:
    """Emit the visits and slots of one in-dialog request (docs/semantics.md call step 7)."""
    consumed = [z3.BoolVal(False) for _ in w.route]
    cur: Term = z3.IntVal(w.start)
    done: Term = z3.BoolVal(False)  # arrived, or stopped at a sender with no allowed transport
    arrived: Term = z3.BoolVal(False)
    steps = 2 * (topo.k + 2) + 1
    sent: list[tuple[Any, dict[str, Sym], Term]] = []
    blocked_at: list[Term] = []
    for s in range(steps):
        act = z3.And(w.active, z3.Not(done))
        if s > 0:
            consumed = [z3.Or(c, e.owner == cur) for c, e in zip(consumed, w.route, strict=True)]
        left = [z3.And(e.present, z3.Not(c)) for c, e in zip(consumed, w.route, strict=True)]
        exists = z3.Or(left) if left else z3.BoolVal(False)
        owner: Term = z3.IntVal(w.target)
        scheme = const(OPT_SCHEME, "none")
        for entry, avail in zip(reversed(w.route), reversed(left), strict=True):
            owner = z3.If(avail, entry.owner, owner)
            scheme = ite(avail, convert(entry.scheme, OPT_SCHEME), scheme)
        has_outbound, outbound = outbound_of(topo, cur)
        nxt = z3.If(exists, owner, z3.If(z3.And(topo.is_proxy(cur), has_outbound), outbound, w.target))
        b = w.binding
        to_ua = z3.And(nxt == topo.bob(b.j), b.outbound)
        features = {
            "proxy": const(BOOL, s > 0), "ruri": w.ruri, "next": ite(exists, scheme, const(OPT_SCHEME, "none")),
            "tls": Sym(topo.tls(cur), BOOL),
            "next_tls": Sym(z3.And(topo.tls(nxt), topo.link(cur, nxt)["TLS"]), BOOL),
            "flow": ite(to_ua, b.flow, const(FLOW, "none")),
            "malicious": Sym(topo.malicious(cur) if s > 0 else z3.BoolVal(False), BOOL),
        }
        v = topo.rules.visit("send_in_dialog", cur, act, features, f"{label}!s{s}", link=topo.link(cur, nxt))
        blocked_at.append(v.blocked)
        go = z3.And(act, z3.Not(v.blocked))
        fields = {
            **send_in_dialog_hop(v, w.method),
            "call": const(INT, 0), "status": const(INT, 0), "origin": convert(w.ruri, ANY_SCHEME),
            "contact": const(ANY_SCHEME, "none"), "to": w.to, "from": w.frm,
            "receiver": topo.role(nxt), "last": Sym(z3.Bool(f"{label}!s{s}!last"), BOOL),
            "binding": Sym(z3.If(z3.And(nxt == topo.bob(b.j), b.bound), b.id, -1), INT),
        }
        sent.append((topo.send(go, cur, nxt, fields, w.request, f"{label}!s{s}"), fields, nxt == w.target))
        arrived = z3.Or(arrived, z3.And(go, nxt == w.target))
        done = z3.Or(done, v.blocked, z3.And(go, nxt == w.target))
        cur = nxt
    topo.assertions.append(z3.Implies(w.active, done))
    for n, (_, fields, reaches) in enumerate(sent):
        # sim/dialog.py marks every ACK hop last (no response comes back); a BYE hop is last when it
        # reaches the UA or the next sender cannot send (that proxy answers 480)
        stops = blocked_at[n + 1] if n + 1 < len(blocked_at) else z3.BoolVal(False)
        last = z3.BoolVal(True) if w.method == "ACK" else z3.Or(reaches, stops)
        topo.assertions.append(fields["last"].term == last)
    if w.method != "ACK":
        status = z3.If(arrived, 200, 480)
        for slot, fields, _ in reversed(sent):  # each hop is answered after the next one (sim/dialog.py _hop)
            response = response_fields(fields, status, const(ANY_SCHEME, "none"), const(OPT_SCHEME, "none"),
                                       topo.role(slot.receiver), topo.role(slot.sender))
            topo.send(slot.active, slot.receiver, slot.sender, response, w.request, f"{slot.label}!resp")


__all__ = ["SCHEME", "Walk", "pick", "walk"]

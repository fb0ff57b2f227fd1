"""The answers in the encoding: the drain order at pb, the final response back to alice, RR rewrites (RFC 3261 16.7).

See ``sipsmodel.smt.encode`` for the layout of segments; the simulator's counterpart is ``sim/ua.py`` ``drain``.
"""


from __future__ import annotations

from typing import Any

import z3

from sipsmodel.smt.answers import respond, rewritten
from sipsmodel.smt.compile import Sym, ite
from sipsmodel.smt.failures import has_failure
from sipsmodel.smt.invite import (
    Branch,
    Forward,
    Leg,
    RREntry,
)
from sipsmodel.smt.topology import Segment, Topology

Term = Any


class Drain:
    """The answers pb receives in drain order: which one wins, which are cancelled, their RR lists."""

    def __init__(self, topo: Topology, label: str) -> None:
        self.topo, self.label = topo, label
        self.winners: list[Term] = []
        self.cancelled: list[Term] = []
        self.events: list[tuple[Term, Segment]] = []
        self.rr: list[list[Any]] = []

    def answer(self, b: Branch, segment: Segment) -> Term:
        """Lay out ``b``'s answer; return whether it is a failure pb may recurse on."""
        earlier = z3.Or(self.winners) if self.winners else z3.BoolVal(False)
        cancelled = z3.And(b.delivered, earlier)
        self.rr.append(branch_answer(self.topo, b, cancelled, f"{self.label}!ans{len(self.rr)}"))
        self.winners.append(z3.And(b.delivered, b.status == 200, z3.Not(earlier)))
        self.cancelled.append(cancelled)
        self.events.append((b.delivered, segment))
        return z3.And(b.delivered, z3.Not(earlier), has_failure(b.status, b.warn))

    def deciding(self, base: int) -> Term:
        """The rank of the segment after which pb sends its final response: the first 2xx, else the last answer."""
        last: Term = z3.IntVal(base)
        for delivered, segment in self.events:
            last = z3.If(delivered, segment.rank, last)
        result = last
        for won, (_, segment) in zip(reversed(self.winners), reversed(self.events), strict=True):
            result = z3.If(won, segment.rank, result)
        return result


def branch_answer(topo: Topology, b: Branch, cancelled: Term, label: str) -> list[Any]:
    """The UAS's final response back to pb (through the edge proxy), with the RR rewrites of a 2xx.

    A cancelled UAS answers 487 instead of what it decided at ``uas_answer`` (sim/ua.py ``drain``).
    """
    status, contact = z3.If(cancelled, 487, b.status), b.contact
    pb_leg, edge_leg = b.pb_forward.outgoing, b.edge_forward.outgoing
    assert pb_leg is not None and edge_leg is not None
    has_path = b.binding.has_path
    respond(topo, edge_leg, z3.And(b.delivered, has_path), status, contact, edge_leg.rr, f"{label}!ua-eb",
            b.contact_tp)
    ok = z3.And(b.delivered, z3.Not(cancelled), b.status == 200)
    after_edge = rewritten(topo, b.edge_forward, z3.And(ok, has_path), edge_leg.rr, f"{label}!eb")
    respond(topo, pb_leg, b.delivered, status, contact, after_edge, f"{label}!to-pb", b.contact_tp)
    return rewritten(topo, b.pb_forward, ok, after_edge, f"{label}!pb")


def merge_rr(choices: list[tuple[Term, list[Any]]]) -> list[Any]:
    """The RR list of whichever choice holds (lists aligned entry by entry; the last is the default).

    An entry shared by every list keeps its identity (``rewritten`` recognises a proxy's own entries).
    """
    result = choices[-1][1]
    for cond, rr in reversed(choices[:-1]):
        result = [e if e is f else RREntry(_merge_owner(cond, f.owner, e.owner), z3.If(cond, f.present, e.present),
                                           ite(cond, f.scheme, e.scheme), e.is_out, ite(cond, f.tparam, e.tparam),
                                           f.strict if f.strict.eq(e.strict) else z3.If(cond, f.strict, e.strict))
                  for e, f in zip(result, rr, strict=True)]
    return result


def _merge_owner(cond: Term, a: Term | int, b: Term | int) -> Term | int:
    """The owner of a merged entry: the branches of two devices have their own edge proxies."""
    if isinstance(a, int) and isinstance(b, int) and a == b:
        return a
    return z3.If(cond, a, b)


def winner_rr(answers: list[list[Any]], winner: Term) -> list[Any]:
    """The RR list of the 2xx pb forwards (the winning branch's, after pb's own proxy_response_rr)."""
    if not answers:
        return []
    return merge_rr([(winner == n, rr) for n, rr in enumerate(answers)])


def chain_answer(topo: Topology, legs: list[Leg], chain: list[Forward], at_pb: Term, status: Term,
                  contact: tuple[Sym, Sym], rr: list[Any], ok: Term, label: str) -> list[Any]:
    """pb's final response, then each chain proxy's, back to alice (proxy_response_rr on a 2xx).

    ``contact``: the scheme and the transport parameter of the final response's Contact.
    """
    final = z3.If(at_pb, status, 480)
    scheme, tparam = contact
    for i in range(len(legs) - 1, -1, -1):
        leg = legs[i]
        if i + 1 < len(legs):
            fw = chain[i]
            rr = rewritten(topo, fw, z3.And(ok, fw.sent), rr, f"{label}!ans!p{i + 1}")
        respond(topo, leg, leg.slot.active, final, scheme, rr, f"{label}!ans!to{i}", tparam)
    return rr

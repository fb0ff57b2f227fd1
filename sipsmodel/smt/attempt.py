"""One INVITE attempt in the encoding: the chain to pb, its branches, recursions and CANCELs (RFC 3261 16.6-16.10).

See ``sipsmodel.smt.encode`` for the layout of segments (docs/semantics.md, Forking).
"""


from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import z3

from sipsmodel.model.vocab import ANY_SCHEME, BOOL, FAILURE, METHOD, OPT_SCHEME, SCHEME, TPARAM
from sipsmodel.smt.answers import respond
from sipsmodel.smt.compile import Sym, SymRecord, const, convert, is_value, ite
from sipsmodel.smt.drain import Drain, chain_answer, winner_rr
from sipsmodel.smt.failures import (
    blocked_edge,
    failure_of,
    final_at_pb,
    retry_record,
    retry_scheme,
)
from sipsmodel.smt.invite import (
    Branch,
    Forward,
    Leg,
    arrives_at_pb,
    chain_forwards,
    pb_branch,
    select,
    uac_invite,
)
from sipsmodel.smt.ops import Z3
from sipsmodel.smt.records import PARAM_ATTRS, ruri_params, with_params
from sipsmodel.smt.register import BindingState
from sipsmodel.smt.topology import Segment, Slot, Topology, response_fields
from sipsmodel.steps import features

Term = Any


def _last_flags(topo: Topology, legs: list[Leg], chain: list[Forward], branches: list[Branch]) -> None:
    """``last``: the receiver of a hop answers the request itself (docs/semantics.md Observation)."""
    any_branch = z3.Or([b.pb_forward.sent for b in branches]) if branches else z3.BoolVal(False)
    for i, leg in enumerate(legs):
        nxt = chain[i].visit.blocked if i < len(chain) else None
        has_next = topo.chain[i + 1] if i + 1 < topo.k else z3.BoolVal(False)
        pb_answers = z3.Not(any_branch)
        topo.assertions.append(leg.last == z3.If(has_next, nxt if nxt is not None else False, pb_answers))


def branch_last(topo: Topology, b: Branch) -> None:
    pb_leg, edge_leg = b.pb_forward.outgoing, b.edge_forward.outgoing
    assert pb_leg is not None and edge_leg is not None
    topo.assertions.append(pb_leg.last == z3.If(b.binding.has_path, b.edge_forward.visit.blocked, True))
    topo.assertions.append(edge_leg.last)


@dataclass
class Outcome:
    """One branch whose 2xx may reach alice: the attempt it belongs to and the RR list alice sees."""

    won: Term
    branch: Branch
    uac: Any
    first: Leg
    rr: list[Any]
    final_rank: Term | int  # the rank of the segment in which the 2xx reaches alice (her ACK follows)


@dataclass
class AttemptResult:
    """What one INVITE (alice's first, or her retry) leaves behind."""

    uac: Any
    first: Leg
    final: Term
    warn: Term
    contact: Sym
    outcomes: list[Outcome]
    forwards: list[Forward]
    pb_alias: tuple[Slot, list[Term], list[Leg]]
    retries: list[tuple[SymRecord, Any]]
    final_segment: Segment
    contact_tp: Sym  # the transport parameter of the final's Contact (a 302's: a retry's target keeps it)


def attempt(topo: Topology, label: str, bindings: list[BindingState], target: Sym, route_stored: Sym,
             active: Term, base: int, retry: bool = False, strict: Term | None = None,
             target_tp: Sym | None = None) -> AttemptResult:
    """One INVITE along p1..pm to pb, its branches and recursion branches, and the final response back.

    Segments (ranks from ``base``): the forwarding (every branch, and the 480 of an edge that cannot
    send), then one per drained answer in arrival order (first branches, then recursion branches), and
    the movable final segment (the final response to alice and her ACK) followed by pb's CANCELs, placed
    after the answer that decided the final response (docs/semantics.md, Forking). ``strict``: the
    preloaded route's entry is a strict router's (``invite.uac_invite``); ``target_tp``: the transport
    parameter of the target (a retry's 3xx Contact), none when not given.
    """
    after = z3.Int(f"{label}!final_after")
    forwarding = Segment(base, f"{label}!forwarding")
    final_segment = Segment(after + 5, f"{label}!final")
    cancel_segment = Segment(after + 7, f"{label}!cancel")
    with topo.in_segment(forwarding):
        request = topo.new_request(active)
        uac, first = uac_invite(topo, label, target, route_stored, request, active, retry, strict, target_tp)
        chain, legs = chain_forwards(topo, label, first, request)
        arrive = arrives_at_pb(topo, legs)
        at_pb = z3.Or(arrive)
        pb_in_fields = {a: select(arrive, [leg.slot.fields[a] for leg in legs]) for a in legs[0].slot.fields}
        # pb retargets (16.5): the received Request-URI's parameter is not kept, the other URIs' are
        pb_base = {a: select(arrive, [leg.base_params()[a] for leg in legs]) for a in PARAM_ATTRS}
        pb_leg = Leg(Slot(at_pb, 0, topo.pb, pb_in_fields, request, f"{label}!pb-in"), legs[-1].rr,
                     z3.BoolVal(False), base=pb_base)
        in_ruri = convert(pb_in_fields["ruri"], SCHEME)
        branches = []
        for binding in bindings:
            branches.append(pb_branch(topo, label, binding, at_pb, pb_leg, in_ruri, request))
            _blocked_answer(topo, branches[-1], f"{label}!blocked{binding.j}")
    _last_flags(topo, legs, chain, branches)
    for b in branches:
        branch_last(topo, b)
    forwards = chain + [f for b in branches for f in (b.pb_forward, b.edge_forward)]
    # the drain: each UAS answers in the order its request arrived; the answer retraces the branch; pb may
    # recurse once on a branch's failure (RFC 3261 16.7 step 4), to the twin of the branch's Request-URI.
    # The first 2xx wins; every branch still without a final response is cancelled and answers 487.
    retries: list[tuple[SymRecord, Any]] = []
    drained = Drain(topo, label)
    recursions = []
    for n, b in enumerate(branches):
        with topo.in_segment(Segment(base + 10 * (1 + n), f"{label}!answer{b.binding.j}")) as segment:
            failed = drained.answer(b, segment)
            rec, record = _recursion(topo, label, b, failed, pb_leg, in_ruri)
            retries.append(record)
            forwards += [rec.pb_forward, rec.edge_forward]
            recursions.append(rec)
    for n, rec in enumerate(recursions):
        rank = base + 10 * (1 + len(branches) + n)  # after every first branch's answer
        with topo.in_segment(Segment(rank, f"{label}!recanswer{rec.binding.j}")) as segment:
            drained.answer(rec, segment)
    finals = branches + recursions
    topo.assertions.append(after == drained.deciding(base))
    # the final's Contact (a 2xx's, the winner's, or a redirect UA's 302's) with its transport parameter
    status, warn, contact, winner, contact_tp = final_at_pb(branches, finals, in_ruri)
    ok = z3.And(at_pb, status == 200)
    rr = winner_rr(drained.rr, winner)
    with topo.in_segment(final_segment):
        rr = chain_answer(topo, legs, chain, at_pb, status, (contact, contact_tp), rr, ok, label)
    with topo.in_segment(cancel_segment):
        for n, x in enumerate(finals):  # pb's branches in the order it created them (16.10)
            _cancel(topo, x, drained.cancelled[n], f"{label}!cancel{n}")
    outcomes = [Outcome(z3.And(ok, winner == n), b, uac, first, rr, final_segment.rank) for n, b in enumerate(finals)]
    return AttemptResult(uac, first, z3.If(at_pb, status, 480), z3.If(at_pb, warn, 0), contact, outcomes,
                         forwards, (pb_leg.slot, arrive, legs), retries, final_segment,
                         ite(at_pb, contact_tp, const(TPARAM, "none")))


def _recursion(topo: Topology, label: str, b: Branch, failed: Term, pb_leg: Leg, in_ruri: Sym) -> tuple[
    Branch, tuple[SymRecord, Any]
]:
    """pb's proxy_recurse visit on ``b``'s failure and the recursion branch it may send at once."""
    failure = failure_of(b.status, b.warn)
    old = b.pb_forward.visit.options["ruri"]
    recurse_features = features.proxy_recurse(Z3, old, failure, b.contact, topo.malicious(topo.pb))
    rv = topo.rules.visit("proxy_recurse", topo.pb, failed, recurse_features, f"{label}!recurse{b.binding.j}",
                          fallback={"action": "forward"})
    new = retry_scheme(failure, recurse_features["contact"])
    record = retry_record("proxy", rv, old, new, failure, z3.BoolVal(False), "recurse")
    chosen = z3.And(rv.active, is_value(rv.options["action"].domain, rv.options["action"], "recurse"))
    # a 3xx Contact (bob's AoR) resolves to pb itself: no branch is sent (sim/proxy.py forward_branch)
    twin = z3.And(chosen, z3.Not(failure.term == const(FAILURE, "r3xx").term))
    sent = z3.Bool(f"{label}!rec{b.binding.j}!request")
    rec_request = topo.new_request(sent)
    assert b.pb_forward.outgoing is not None
    rec = pb_branch(topo, f"{label}!rec", b.binding, twin, pb_leg, in_ruri, rec_request, recursion=True,
                    twin_tp=b.pb_forward.outgoing.ruri_tp)
    topo.assertions.append(sent == rec.pb_forward.sent)
    branch_last(topo, rec)
    _blocked_answer(topo, rec, f"{label}!recblocked{b.binding.j}")
    return rec, (record, rv)


def _blocked_answer(topo: Topology, b: Branch, label: str) -> None:
    """An edge proxy with no allowed option answers 480 to pb at once (during forwarding)."""
    pb_leg = b.pb_forward.outgoing
    assert pb_leg is not None
    respond(topo, pb_leg, blocked_edge(b), z3.IntVal(480), const(SCHEME, "sip"), [], label)


def _cancel(topo: Topology, b: Branch, on: Term, label: str) -> None:
    """CANCEL pb->eb, eb->bob, 200 bob->eb, 200 eb->pb (direct: CANCEL, 200); RFC 3261 9.1, 16.10."""
    pb_leg, edge_leg = b.pb_forward.outgoing, b.edge_forward.outgoing
    assert pb_leg is not None and edge_leg is not None
    outer = _cancel_request(topo, pb_leg, on, f"{label}!pb")
    inner = _cancel_request(topo, edge_leg, z3.And(on, b.binding.has_path), f"{label}!eb")
    for slot in (inner, outer):  # the edge answers its CANCEL after the UA has answered the edge's
        f = slot.fields
        topo.send(slot.active, slot.receiver, slot.sender,
                  response_fields(f, z3.IntVal(200), const(ANY_SCHEME, "none"), const(OPT_SCHEME, "none"),
                                  f["receiver"], f["sender"]), slot.request, f"{slot.label}!200")


def _cancel_request(topo: Topology, leg: Leg, on: Term, label: str) -> Slot:
    """The CANCEL of the INVITE hop ``leg``: same Request-URI, top Via, Route, To, From, transport (9.1)."""
    f = leg.slot.fields
    fields = {**f, "method": const(METHOD, "CANCEL"), "origin": f["ruri"], "contact": const(ANY_SCHEME, "none"),
              "rr_top": const(OPT_SCHEME, "none"), "last": const(BOOL, True),
              # its URIs that may name a transport: the Request-URI and the Route values (a pushed Path)
              **with_params(ruri_params(f["ruri"], leg.ruri_tp), leg.route_params)}
    return topo.send(on, leg.slot.sender, leg.slot.receiver, fields, topo.new_request(on), label)

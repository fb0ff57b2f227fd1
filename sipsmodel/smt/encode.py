"""The bounded symbolic scenario (docs/semantics.md, "The bounded symbolic scenario (SMT)").

Theory of operation: :func:`build_encoding` lays out, for a maximum bound ``K``, every transmission
slot and choice point visit the simulator can make on a scenario of the template family, in the
order the simulator makes them: bob's registrations, alice's INVITE along ``p1..pm`` (``m < k``,
selected by the bound literal) to ``pb``, pb's branches, the answers drained in the order the requests
reached the UASs, the final response back to alice, the dialogs, the caller's ACK and the callee's
BYE. The observation collections are lists of symbolic records with ``active`` literals, so property
formulas compile unchanged (``sipsmodel.smt.compile``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import z3

from sipsmodel.model.expr import Record
from sipsmodel.model.scenario import Scenario
from sipsmodel.model.vocab import ACTOR, ANY_SCHEME, BOOL, FAILURE, INT, OPT_SCHEME, SCHEME
from sipsmodel.smt.answers import dialog_record, first_entry, respond, rewritten
from sipsmodel.smt.compile import Sym, SymRecord, const, convert, decode, fresh, is_value, ite
from sipsmodel.smt.indialog import Walk, walk
from sipsmodel.smt.invite import (
    Branch,
    Forward,
    Leg,
    RREntry,
    arrives_at_pb,
    chain_forwards,
    forwards_record,
    pb_branch,
    select,
    uac_invite,
)
from sipsmodel.smt.register import BindingState, register
from sipsmodel.smt.topology import Slot, Topology

Term = Any

#: Number of bob's devices (bindings) in the template family.
BINDINGS = 1


@dataclass
class BoundedEncoding:
    """Assertions, observation and decoding of the bounded scenario for bounds up to ``max_bound``."""

    max_bound: int
    topo: Topology
    bindings: list[BindingState]
    call: dict[str, Term]
    forwards: list[Forward]
    dialogs: list[SymRecord]
    collections: dict[str, list[SymRecord]] = field(default_factory=dict)
    assertions: list[Term] = field(default_factory=list)

    def bound_literal(self, k: int) -> Term:
        """Assumed, restricts the call path to at most ``k`` proxies before the edge (p1..p(k-1), pb)."""
        literal = z3.Bool(f"bound<={k}")
        if k < self.max_bound:
            self.assertions.append(z3.Implies(literal, z3.Not(self.topo.chain[k])))
        return literal

    def transmissions(self) -> list[Term]:
        """The active literal of every transmission slot."""
        return [s.active for s in self.topo.slots]

    def transmission_count(self, model: Term) -> int:
        """How many transmissions a model makes."""
        return sum(1 for a in self.transmissions() if z3.is_true(model.eval(a, model_completion=True)))

    def observation(self, model: Term) -> dict[str, list[Record]]:
        """The concrete observation of a model (the differential test compares it with the simulator's)."""
        result: dict[str, list[Record]] = {}
        for name, records in self.collections.items():
            result[name] = [
                {attr: decode(model, sym) for attr, sym in r.values.items()}
                for r in records if z3.is_true(model.eval(r.active, model_completion=True))
            ]
        return result

    def describe(self, model: Term) -> str:
        """A readable dump of a model's observation."""
        lines = []
        for name, records in self.observation(model).items():
            lines.append(f"{name}:")
            lines.extend(f"  {dict(r)}" for r in records)
        return "\n".join(lines)

    def decode(self, model: Term, name: str = "counterexample") -> Scenario:
        """The concrete, canonicalised scenario and script of a model (``sipsmodel.smt.decode``)."""
        from sipsmodel.smt.decode import decode_scenario

        return decode_scenario(self, model, name)


def _malicious(topo: Topology, malicious: bool) -> list[Term]:
    """Honest: nobody is malicious. Malicious: at most one proxy is, never a UA (I-21)."""
    marks = [topo.malicious(e) for e in range(topo.n)]
    proxies = [marks[e] for e in range(topo.n) if topo.is_proxy_position(e)]
    uas = [marks[e] for e in range(topo.n) if not topo.is_proxy_position(e)]
    if not malicious:
        return [z3.Not(m) for m in marks]
    return [z3.Not(m) for m in uas] + [z3.AtMost(*proxies, 1)]


def _last_flags(topo: Topology, legs: list[Leg], chain: list[Forward], branches: list[Branch], at_pb: Term) -> None:
    """``last``: the receiver of a hop answers the request itself (docs/semantics.md Observation)."""
    any_branch = z3.Or([b.pb_forward.sent for b in branches]) if branches else z3.BoolVal(False)
    for i, leg in enumerate(legs):
        nxt = chain[i].visit.blocked if i < len(chain) else None
        has_next = topo.chain[i + 1] if i + 1 < topo.k else z3.BoolVal(False)
        pb_answers = z3.Not(any_branch)
        topo.assertions.append(leg.last == z3.If(has_next, nxt if nxt is not None else False, pb_answers))
    for b in branches:
        pb_leg, edge_leg = b.pb_forward.outgoing, b.edge_forward.outgoing
        assert pb_leg is not None and edge_leg is not None
        topo.assertions.append(pb_leg.last == z3.If(b.binding.has_path, b.edge_forward.visit.blocked, True))
        topo.assertions.append(edge_leg.last)


def _final_at_pb(branches: list[Branch], in_ruri: Sym) -> tuple[Term, Term, Sym, Term]:
    """pb's final response (status, warn, Contact, winning branch): sim/proxy.py ``complete``.

    A 2xx is forwarded at once; otherwise the first branch's final response (branch order, all 4xx);
    with no branch sent, 480 with warn-code 380 when the Request-URI is sips and a sip binding was
    left out (RFC 3261 16.7 step 6; RFC 5630 5.3).
    """
    left_out_sip = z3.Or([z3.And(b.found, b.pb_forward.visit.blocked, b.binding.contact.term ==
                                 const(SCHEME, "sip").term) for b in branches] or [z3.BoolVal(False)])
    status: Term = z3.IntVal(480)
    warn: Term = z3.If(z3.And(is_value(SCHEME, in_ruri, "sips"), left_out_sip), 380, 0)
    contact = const(SCHEME, "sip")
    winner: Term = z3.IntVal(-1)
    for n in range(len(branches) - 1, -1, -1):
        b = branches[n]
        o = b.uas.options
        blocked_edge = z3.And(b.pb_forward.sent, b.binding.has_path, b.edge_forward.visit.blocked)
        status = z3.If(b.delivered, o["status"].term, z3.If(blocked_edge, 480, status))
        warn = z3.If(b.delivered, o["warn"].term, z3.If(blocked_edge, 0, warn))
    for n in range(len(branches) - 1, -1, -1):  # a 2xx wins
        b = branches[n]
        won = z3.And(b.delivered, b.uas.options["status"].term == 200)
        status = z3.If(won, 200, status)
        contact = ite(won, b.uas.options["contact"], contact)
        winner = z3.If(won, n, winner)
    return status, warn, contact, winner


def failure_of(status: Term, warn: Term) -> Sym:
    """FAILURE of a final response (sim/proxy.py ``failure_of``); ``r3xx`` stands for none here."""
    return Sym(z3.If(status == 416, const(FAILURE, "r416").term,
                     z3.If(z3.And(status == 480, warn == 380), const(FAILURE, "r480_380").term,
                           const(FAILURE, "r480_381").term)), FAILURE)


def has_failure(status: Term, warn: Term) -> Term:
    """The response is one a proxy may recurse on or a UAC may retry (no 3xx in this family)."""
    return z3.Or(status == 416, z3.And(status == 480, z3.Or(warn == 380, warn == 381)))


def _retry_record(kind: str, v: Any, old: Sym, failure: Sym, confirmed: Term, chosen: str) -> SymRecord:
    """docs/semantics.md Observation: a retries record for a visit that chose to retry or recurse."""
    new_sips = z3.Or(failure.term == const(FAILURE, "r480_381").term)
    active = z3.And(v.active, v.options["action"].term == const(v.options["action"].domain, chosen).term)
    return SymRecord(active, {
        "index": Sym(z3.IntVal(-1), INT), "by": const(ACTOR, kind), "failure": failure, "old": old,
        "new": Sym(z3.If(new_sips, const(SCHEME, "sips").term, const(SCHEME, "sip").term), SCHEME),
        "confirmed": Sym(confirmed, BOOL),
    })


def build_encoding(max_bound: int, malicious: bool) -> BoundedEncoding:
    """Lay out the bounded scenario for every bound up to ``max_bound`` (docs/semantics.md, SMT)."""
    topo = Topology(max_bound)
    topo.assertions.extend(_malicious(topo, malicious))
    bindings: list[BindingState] = []
    for j in range(BINDINGS):
        bindings.append(register(topo, j, bindings))
    target, route_scheme = fresh("call!target", SCHEME), fresh("call!route_stored", SCHEME)
    preload = z3.Bool("call!preload")
    if topo.k > 1:
        topo.assertions.append(preload == topo.chain[1])
    else:
        topo.assertions.append(z3.Not(preload))
    route_stored = ite(preload, convert(route_scheme, OPT_SCHEME), const(OPT_SCHEME, "none"))
    request = topo.new_request(z3.BoolVal(True))
    uac, first = uac_invite(topo, "inv", target, route_stored, request, z3.BoolVal(True))
    chain, legs = chain_forwards(topo, "inv", first, request)
    arrive = arrives_at_pb(topo, legs)
    at_pb = z3.Or(arrive)
    pb_in_fields = {a: select(arrive, [leg.slot.fields[a] for leg in legs]) for a in legs[0].slot.fields}
    pb_leg = Leg(Slot(at_pb, 0, topo.pb, pb_in_fields, request, "pb-in"), legs[-1].rr, z3.BoolVal(False))
    in_ruri = convert(pb_in_fields["ruri"], SCHEME)
    branches = [pb_branch(topo, "inv", b, at_pb, pb_leg, in_ruri, request) for b in bindings]
    _last_flags(topo, legs, chain, branches, at_pb)
    forwards = chain + [f for b in branches for f in (b.pb_forward, b.edge_forward)]
    # drain: each UAS answers in the order its request arrived; the answer retraces the branch
    dialogs: list[SymRecord] = []
    answers = [_branch_answer(topo, b) for b in branches]
    status, warn, contact, winner = _final_at_pb(branches, in_ruri)
    retries = []
    for b in branches:  # pb may recurse on the branch's failure (RFC 3261 16.7 step 4)
        o = b.uas.options
        failed = z3.And(b.delivered, has_failure(o["status"].term, o["warn"].term))
        failure = failure_of(o["status"].term, o["warn"].term)
        rv = topo.rules.visit("proxy_recurse", topo.pb, failed,
                              {"ruri": b.pb_forward.visit.options["ruri"], "failure": failure,
                               "contact": const(SCHEME, "sip")}, f"recurse{b.binding.j}",
                              fallback={"action": "forward"})
        retries.append(_retry_record("proxy", rv, b.pb_forward.visit.options["ruri"], failure, z3.BoolVal(False),
                                     "recurse"))
    ok = z3.And(at_pb, status == 200)
    rr = _winner_rr(topo, branches, answers, ok, winner)
    rr = _chain_answer(topo, legs, chain, at_pb, status, contact, rr, ok)
    final, final_warn = z3.If(at_pb, status, 480), z3.If(at_pb, warn, 0)
    failure = failure_of(final, final_warn)
    confirmed = z3.Bool("alice!confirms_downgrade")
    sent_ruri = uac.options["ruri"]
    uv = topo.rules.visit("uac_retry", topo.ALICE, has_failure(final, final_warn),
                          {"ruri": sent_ruri, "failure": failure, "contact": const(SCHEME, "sip"),
                           "confirmed": Sym(confirmed, BOOL)}, "retry", fallback={"action": "stop"})
    retries.append(_retry_record("ua", uv, sent_ruri, failure, confirmed, "retry"))
    for n, b in enumerate(branches):
        won = z3.And(ok, winner == n)
        dialogs += _dialogs(topo, b, first, uac, rr, won, request)
        _in_dialog(topo, b, first, uac, rr, won, target)
    encoding = BoundedEncoding(max_bound, topo, bindings, {"target": target, "preload": preload,
                                                          "route_scheme": route_scheme}, forwards, dialogs)
    encoding.collections = _collections(topo, bindings, forwards, dialogs, (pb_leg.slot, arrive, legs), retries)
    encoding.assertions = topo.assertions + topo.rules.assertions
    return encoding


def _branch_answer(topo: Topology, b: Branch) -> list[Any]:
    """The UAS's final response back to pb (through the edge proxy with its proxy_response_rr)."""
    status, contact = b.uas.options["status"].term, b.uas.options["contact"]
    pb_leg, edge_leg = b.pb_forward.outgoing, b.edge_forward.outgoing
    assert pb_leg is not None and edge_leg is not None
    has_path = b.binding.has_path
    respond(topo, edge_leg, z3.And(b.delivered, has_path), status, contact, edge_leg.rr, f"ans{b.binding.j}!ua-eb")
    ok = z3.And(b.delivered, status == 200)
    after_edge = rewritten(topo, b.edge_forward, z3.And(ok, has_path), edge_leg.rr, f"ans{b.binding.j}!eb")
    blocked_edge = z3.And(b.pb_forward.sent, has_path, b.edge_forward.visit.blocked)
    up_status = z3.If(blocked_edge, 480, status)
    respond(topo, pb_leg, z3.Or(b.delivered, blocked_edge), up_status, contact, after_edge,
            f"ans{b.binding.j}!to-pb")
    return after_edge


def _winner_rr(topo: Topology, branches: list[Branch], answers: list[list[Any]], ok: Term, winner: Term) -> list[
    Any
]:
    """The RR list of the 2xx pb forwards after pb's own proxy_response_rr (the winning branch's)."""
    if not branches:
        return []
    result = answers[0]
    for n, b in enumerate(branches):
        rr = rewritten(topo, b.pb_forward, z3.And(ok, winner == n), answers[n], f"ans!pb{n}")
        if n == 0:
            result = rr
        else:
            result = [RREntry(e.owner, z3.If(winner == n, f.present, e.present), ite(winner == n, f.scheme, e.scheme),
                              e.is_out) for e, f in zip(result, rr, strict=True)]
    return result


def _chain_answer(topo: Topology, legs: list[Leg], chain: list[Forward], at_pb: Term, status: Term, contact: Sym,
                  rr: list[Any], ok: Term) -> list[Any]:
    """pb's final response, then each chain proxy's, back to alice (proxy_response_rr on a 2xx)."""
    final = z3.If(at_pb, status, 480)
    for i in range(len(legs) - 1, -1, -1):
        leg = legs[i]
        if i + 1 < len(legs):
            fw = chain[i]
            rr = rewritten(topo, fw, z3.And(ok, fw.sent), rr, f"ans!p{i + 1}")
        respond(topo, leg, leg.slot.active, final, contact, rr, f"ans!to{i}")
    return rr


def _dialogs(topo: Topology, b: Branch, first: Leg, uac: Any, rr: list[Any], won: Term, request: Term) -> list[
    SymRecord
]:
    """UAS dialog (12.1.1) then UAC dialog (12.1.2) of the 2xx that reaches alice."""
    uas_leg = b.uas_leg.slot.fields
    o = b.uas.options
    ua_secure = z3.And(uas_leg["secure"].term, is_value(ANY_SCHEME, uas_leg["ruri"], "sips"))
    uas = dialog_record("uas", ua_secure, convert(uas_leg["contact"], SCHEME), uas_leg["rr_top"], o["contact"],
                        topo.tls(topo.bob(b.binding.j)), uas_leg, request, won, z3.IntVal(0))
    f = first.slot.fields
    uac_secure = z3.And(f["secure"].term, is_value(ANY_SCHEME, f["ruri"], "sips"))
    uac_req = {"ruri": f["ruri"], "rr_top": const(OPT_SCHEME, "none"), "contact": f["contact"]}
    uac_record = dialog_record("uac", uac_secure, o["contact"], first_entry(rr), uac.options["contact"],
                               topo.tls(topo.ALICE), uac_req, request, won, z3.IntVal(1))
    return [uas, uac_record]


def _in_dialog(topo: Topology, b: Branch, first: Leg, uac: Any, rr: list[Any], won: Term, target: Sym) -> None:
    """The caller's ACK along its route set, then the callee's BYE along its own."""
    f = first.slot.fields
    ack_request = topo.new_request(won)
    walk(topo, Walk("ACK", topo.ALICE, topo.bob(b.binding.j), rr, b.uas.options["contact"], f["to"], f["from"],
                    ack_request, won, b.binding), f"ack{b.binding.j}")
    bye_request = topo.new_request(won)
    bob_route = list(reversed(b.uas_leg.rr))
    walk(topo, Walk("BYE", topo.bob(b.binding.j), topo.ALICE, bob_route, uac.options["contact"], f["from"], f["to"],
                    bye_request, won, b.binding), f"bye{b.binding.j}")


def _decision_indices(topo: Topology) -> dict[int, Term]:
    """Each visit's position in the simulator's decision list (blocked visits count)."""
    result, count = {}, z3.IntVal(0)
    for v in topo.rules.visits:
        result[id(v)] = count
        count = count + z3.If(v.active, 1, 0)
    return result


def _collections(topo: Topology, bindings: list[BindingState], forwards: list[Forward], dialogs: list[SymRecord],
                 pb_in: tuple[Slot, list[Term], list[Leg]], retries: list[SymRecord]) -> dict[str, list[SymRecord]]:
    hops = topo.hops()
    index_of = {id(slot): rec.values["index"].term for slot, rec in zip(topo.slots, hops, strict=True)}
    alias, arrive, legs = pb_in
    index_of[id(alias)] = select(arrive, [Sym(index_of[id(leg.slot)], INT) for leg in legs]).term
    decisions = _decision_indices(topo)
    records = []
    for fw in forwards:
        assert fw.outgoing is not None
        records.append(forwards_record(fw, decisions[id(fw.visit)], index_of[id(fw.incoming.slot)],
                                       index_of[id(fw.outgoing.slot)]))
    dialog_records = []
    ident: Term = z3.IntVal(0)
    for d in dialogs:
        values = dict(d.values)
        values["id"] = Sym(ident, INT)
        dialog_records.append(SymRecord(d.active, values))
        ident = ident + z3.If(d.active, 1, 0)
    visit_of = {id(r): v for r, v in zip(retries, [v for v in topo.rules.visits if v.cp.name in
                                                     ("proxy_recurse", "uac_retry")], strict=True)}
    retry_records = [SymRecord(r.active, {**r.values, "index": Sym(decisions[id(visit_of[id(r)])], INT)})
                     for r in retries]
    return {"hops": hops, "forwards": records, "bindings": [b.record for b in bindings],
            "dialogs": dialog_records, "retries": retry_records}


__all__ = ["BOOL", "BoundedEncoding", "build_encoding"]

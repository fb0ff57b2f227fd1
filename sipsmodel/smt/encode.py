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

from sipsmodel.model.bounds import check_bound
from sipsmodel.model.expr import Record
from sipsmodel.model.scenario import Scenario
from sipsmodel.model.vocab import ACTOR, ANY_SCHEME, BOOL, FAILURE, INT, METHOD, OPT_SCHEME, SCHEME, TPARAM
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
from sipsmodel.smt.topology import BASE, Segment, Slot, Topology, positions, response_fields

Term = Any

#: Number of bob's devices (bindings) in the template family: with two, pb forks.
#:
#: Forking follows sim/proxy.py, sim/ua.py and sim/deliver.py event for event (the family has no 100
#: or 180), and the layout mirrors the simulator's order through segments (``topology.Segment``):
#:
#: 1. Forwarding, in binding-id order: per found binding pb's ``proxy_target`` and ``proxy_forward``, the
#:    edge's, the UAS's ``uas_answer`` (the answer waits); an edge with no allowed option answers 480 to
#:    pb at once. pb sends no final response before every branch is created (16.7 step 6).
#: 2. The answers drain in arrival order, one segment each: branch 0, branch 1, then the recursion
#:    branches. A failure visits ``proxy_recurse``; a recursion branch is forwarded at once (in the
#:    segment of the answer that caused it) and its own answer drains last.
#: 3. The final segment (the final response down the chain, alice's dialog and the whole ACK walk) and
#:    then pb's CANCEL segment come right after the answer that decides: the first 2xx, else the last
#:    answer. Every branch still without a final response is cancelled (CANCEL pb->eb, eb->bob, 200
#:    bob->eb, 200 eb->pb; each CANCEL a new request) and its UAS answers 487 when its turn comes.
#: 4. alice's ``uac_retry`` lies in the final segment of the first attempt; the whole second attempt
#:    follows. The winning device's BYE comes after everything.
BINDINGS = 2


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

    malicious: bool = False

    def family(self, bound: int) -> str:
        """What a bounded answer at ``bound`` covers, from the encoding's own parameters."""
        n = len(self.bindings)
        proxies = f"k<={bound} proxies on the caller's path (0 to {bound - 1} before pb)"
        binding = f"{n} binding{'s' if n != 1 else ''} of bob (0 to {n}) with or without edge proxy and outbound"
        callee = "callee a UAS or a redirect UA (302 to bob's AoR, sip or sips Contact), no gateway"
        failure = ("one proxy recursion per branch and one UAC retry (each with its hops), ACK and BYE (no re-INVITE, "
                   "no Service-Route)")
        adversary = "at most one malicious proxy" if self.malicious else "no malicious element"
        fork = "forking and CANCEL covered" if n > 1 else "forking (and its CANCEL/487) not covered"
        return f"{proxies}, {binding}, {callee}, {failure}, {adversary}; {fork}"

    def bound_literal(self, k: int) -> Term:
        """Assumed, restricts the call path to at most ``k`` proxies before the edge (p1..p(k-1), pb).

        Its meaning is asserted by ``build_encoding`` for every ``k`` below the maximum, so a solver
        built from ``assertions`` before the first call already knows it.
        """
        return z3.Bool(f"bound<={k}")

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
            key = "id" if name in ("dialogs", "bindings") else "index"
            result[name].sort(key=lambda r: int(r[key]))  # run order, as the simulator
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


def _last_flags(topo: Topology, legs: list[Leg], chain: list[Forward], branches: list[Branch]) -> None:
    """``last``: the receiver of a hop answers the request itself (docs/semantics.md Observation)."""
    any_branch = z3.Or([b.pb_forward.sent for b in branches]) if branches else z3.BoolVal(False)
    for i, leg in enumerate(legs):
        nxt = chain[i].visit.blocked if i < len(chain) else None
        has_next = topo.chain[i + 1] if i + 1 < topo.k else z3.BoolVal(False)
        pb_answers = z3.Not(any_branch)
        topo.assertions.append(leg.last == z3.If(has_next, nxt if nxt is not None else False, pb_answers))


def _branch_last(topo: Topology, b: Branch) -> None:
    pb_leg, edge_leg = b.pb_forward.outgoing, b.edge_forward.outgoing
    assert pb_leg is not None and edge_leg is not None
    topo.assertions.append(pb_leg.last == z3.If(b.binding.has_path, b.edge_forward.visit.blocked, True))
    topo.assertions.append(edge_leg.last)


def _blocked_edge(b: Branch) -> Term:
    return z3.And(b.pb_forward.sent, b.binding.has_path, b.edge_forward.visit.blocked)


def _up_status(b: Branch) -> tuple[Term, Term]:
    """The final response pb receives on branch ``b`` (the edge answers 480 when it cannot send)."""
    blocked = _blocked_edge(b)
    return z3.If(blocked, 480, b.status), z3.If(blocked, 0, b.warn)


def _final_at_pb(originals: list[Branch], finals: list[Branch], in_ruri: Sym) -> tuple[Term, Term, Sym, Term]:
    """pb's final response (status, warn, Contact, winning branch): sim/proxy.py ``complete``.

    ``finals`` are pb's branches in the order they were created (the first branches, then the
    recursion branches). A 2xx is forwarded at once (the first one); otherwise the best response
    (3xx before 4xx, RFC 3261 16.7 step 6), the first of its class; with no branch sent, 480 with
    warn-code 380 when the Request-URI is sips and a sip binding was left out (RFC 5630 5.3).
    """
    left_out_sip = z3.Or([z3.And(b.found, z3.Or(z3.Not(b.targeted), b.pb_forward.visit.blocked),
                                 b.binding.contact.term ==
                                 const(SCHEME, "sip").term) for b in originals] or [z3.BoolVal(False)])
    status: Term = z3.IntVal(480)
    warn: Term = z3.If(z3.And(is_value(SCHEME, in_ruri, "sips"), left_out_sip), 380, 0)
    contact = const(SCHEME, "sip")
    winner: Term = z3.IntVal(-1)
    answered = [z3.Or(b.delivered, _blocked_edge(b)) for b in finals]
    ups = [_up_status(b) for b in finals]
    for n in range(len(finals) - 1, -1, -1):  # the first branch's answer (all 4xx)
        status = z3.If(answered[n], ups[n][0], status)
        warn = z3.If(answered[n], ups[n][1], warn)
        contact = ite(answered[n], finals[n].contact, contact)
    for cls in (300, 200):  # a 3xx beats a 4xx, a 2xx wins
        for n in range(len(finals) - 1, -1, -1):
            won = z3.And(answered[n], ups[n][0] >= cls, ups[n][0] < cls + 100)
            status = z3.If(won, ups[n][0], status)
            warn = z3.If(won, ups[n][1], warn)
            contact = ite(won, finals[n].contact, contact)
            if cls == 200:
                winner = z3.If(won, n, winner)
    return status, warn, contact, winner


def failure_of(status: Term, warn: Term) -> Sym:
    """FAILURE of a final response (sim/proxy.py ``failure_of``); ``r480_381`` stands for none here."""
    return Sym(z3.If(z3.And(status >= 300, status < 400), const(FAILURE, "r3xx").term,
                     z3.If(status == 416, const(FAILURE, "r416").term,
                           z3.If(z3.And(status == 480, warn == 380), const(FAILURE, "r480_380").term,
                                 const(FAILURE, "r480_381").term))), FAILURE)


def has_failure(status: Term, warn: Term) -> Term:
    """The response is one a proxy may recurse on or a UAC may retry (3xx, 416, 480 with 380 or 381)."""
    return z3.Or(z3.And(status >= 300, status < 400), status == 416,
                 z3.And(status == 480, z3.Or(warn == 380, warn == 381)))


def retry_scheme(failure: Sym, contact: Sym) -> Sym:
    """The scheme of the new target: the 3xx Contact's, else the twin (480/381: sips, else sip)."""
    twin = ite(failure.term == const(FAILURE, "r480_381").term, const(SCHEME, "sips"),
               const(SCHEME, "sip"))
    return ite(failure.term == const(FAILURE, "r3xx").term, contact, twin)


def _retry_record(kind: str, v: Any, old: Sym, new: Sym, failure: Sym, confirmed: Term, chosen: str) -> SymRecord:
    """docs/semantics.md Observation: a retries record for a visit that chose to retry or recurse."""
    active = z3.And(v.active, v.options["action"].term == const(v.options["action"].domain, chosen).term)
    return SymRecord(active, {
        "index": Sym(z3.IntVal(-1), INT), "by": const(ACTOR, kind), "failure": failure, "old": old,
        "new": new, "confirmed": Sym(confirmed, BOOL),
    })


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


def _attempt(topo: Topology, label: str, bindings: list[BindingState], target: Sym, route_stored: Sym,
             active: Term, base: int, retry: bool = False) -> AttemptResult:
    """One INVITE along p1..pm to pb, its branches and recursion branches, and the final response back.

    Segments (ranks from ``base``): the forwarding (every branch, and the 480 of an edge that cannot
    send), then one per drained answer in arrival order (first branches, then recursion branches), and
    the movable final segment (the final response to alice and her ACK) followed by pb's CANCELs, placed
    after the answer that decided the final response (docs/semantics.md, Forking).
    """
    after = z3.Int(f"{label}!final_after")
    forwarding = Segment(base, f"{label}!forwarding")
    final_segment = Segment(after + 5, f"{label}!final")
    cancel_segment = Segment(after + 7, f"{label}!cancel")
    with topo.in_segment(forwarding):
        request = topo.new_request(active)
        uac, first = uac_invite(topo, label, target, route_stored, request, active, retry)
        chain, legs = chain_forwards(topo, label, first, request)
        arrive = arrives_at_pb(topo, legs)
        at_pb = z3.Or(arrive)
        pb_in_fields = {a: select(arrive, [leg.slot.fields[a] for leg in legs]) for a in legs[0].slot.fields}
        pb_leg = Leg(Slot(at_pb, 0, topo.pb, pb_in_fields, request, f"{label}!pb-in"), legs[-1].rr,
                     z3.BoolVal(False))
        in_ruri = convert(pb_in_fields["ruri"], SCHEME)
        branches = []
        for binding in bindings:
            branches.append(pb_branch(topo, label, binding, at_pb, pb_leg, in_ruri, request))
            _blocked_answer(topo, branches[-1], f"{label}!blocked{binding.j}")
    _last_flags(topo, legs, chain, branches)
    for b in branches:
        _branch_last(topo, b)
    forwards = chain + [f for b in branches for f in (b.pb_forward, b.edge_forward)]
    # the drain: each UAS answers in the order its request arrived; the answer retraces the branch; pb may
    # recurse once on a branch's failure (RFC 3261 16.7 step 4), to the twin of the branch's Request-URI.
    # The first 2xx wins; every branch still without a final response is cancelled and answers 487.
    retries: list[tuple[SymRecord, Any]] = []
    drained = _Drain(topo, label)
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
    status, warn, contact, winner = _final_at_pb(branches, finals, in_ruri)
    ok = z3.And(at_pb, status == 200)
    rr = _winner_rr(drained.rr, winner)
    contact_tp = const(TPARAM, "none")  # only a 2xx's Contact (the winner's) names a transport
    for n in range(len(finals) - 1, -1, -1):
        contact_tp = ite(winner == n, finals[n].contact_tp, contact_tp)
    with topo.in_segment(final_segment):
        rr = _chain_answer(topo, legs, chain, at_pb, status, (contact, contact_tp), rr, ok, label)
    with topo.in_segment(cancel_segment):
        for n, x in enumerate(finals):  # pb's branches in the order it created them (16.10)
            _cancel(topo, x, drained.cancelled[n], f"{label}!cancel{n}")
    outcomes = [Outcome(z3.And(ok, winner == n), b, uac, first, rr, final_segment.rank) for n, b in enumerate(finals)]
    return AttemptResult(uac, first, z3.If(at_pb, status, 480), z3.If(at_pb, warn, 0), contact, outcomes,
                         forwards, (pb_leg.slot, arrive, legs), retries, final_segment)


class _Drain:
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
        self.rr.append(_branch_answer(self.topo, b, cancelled, f"{self.label}!ans{len(self.rr)}"))
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


def _recursion(topo: Topology, label: str, b: Branch, failed: Term, pb_leg: Leg, in_ruri: Sym) -> tuple[
    Branch, tuple[SymRecord, Any]
]:
    """pb's proxy_recurse visit on ``b``'s failure and the recursion branch it may send at once."""
    failure = failure_of(b.status, b.warn)
    contact = ite(failure.term == const(FAILURE, "r3xx").term, b.contact, const(SCHEME, "sip"))
    old = b.pb_forward.visit.options["ruri"]
    rv = topo.rules.visit("proxy_recurse", topo.pb, failed,
                          {"ruri": old, "failure": failure, "contact": contact,
                           "malicious": Sym(topo.malicious(topo.pb), BOOL)}, f"{label}!recurse{b.binding.j}",
                          fallback={"action": "forward"})
    record = _retry_record("proxy", rv, old, retry_scheme(failure, contact), failure, z3.BoolVal(False), "recurse")
    chosen = z3.And(rv.active, is_value(rv.options["action"].domain, rv.options["action"], "recurse"))
    # a 3xx Contact (bob's AoR) resolves to pb itself: no branch is sent (sim/proxy.py forward_branch)
    twin = z3.And(chosen, z3.Not(failure.term == const(FAILURE, "r3xx").term))
    sent = z3.Bool(f"{label}!rec{b.binding.j}!request")
    rec_request = topo.new_request(sent)
    rec = pb_branch(topo, f"{label}!rec", b.binding, twin, pb_leg, in_ruri, rec_request, recursion=True)
    topo.assertions.append(sent == rec.pb_forward.sent)
    _branch_last(topo, rec)
    _blocked_answer(topo, rec, f"{label}!recblocked{b.binding.j}")
    return rec, (record, rv)


def _blocked_answer(topo: Topology, b: Branch, label: str) -> None:
    """An edge proxy with no allowed option answers 480 to pb at once (during forwarding)."""
    pb_leg = b.pb_forward.outgoing
    assert pb_leg is not None
    respond(topo, pb_leg, _blocked_edge(b), z3.IntVal(480), const(SCHEME, "sip"), [], label)


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
              "rr_top": const(OPT_SCHEME, "none"), "last": const(BOOL, True), "tls_param": const(BOOL, False),
              "udp_param": const(BOOL, False), "sips_udp_param": const(BOOL, False)}
    return topo.send(on, leg.slot.sender, leg.slot.receiver, fields, topo.new_request(on), label)


def build_encoding(max_bound: int, malicious: bool, devices: int = BINDINGS,
                   deadline: float | None = None) -> BoundedEncoding:
    """Lay out the bounded scenario for every bound up to ``max_bound`` (docs/semantics.md, SMT).

    ``devices`` (0 to 2) is how many of bob's devices may register; with 2, pb forks (see ``BINDINGS``).
    Raises BoundTooLarge beyond ``sipsmodel.model.bounds.MAX_BOUND``, and ``OutOfTime`` when the
    ``deadline`` (``time.monotonic()``) passes during the build.
    """
    check_bound(max_bound, "bound")
    topo = Topology(max_bound, deadline=deadline)
    topo.assertions.extend(_malicious(topo, malicious))
    bindings: list[BindingState] = []
    for j in range(devices):
        bindings.append(register(topo, j, bindings))
    for j in range(devices, 2):
        topo.assertions.append(z3.Not(topo.redirect(topo.bob(j))))
    target, route_scheme = fresh("call!target", SCHEME), fresh("call!route_stored", SCHEME)
    preload = z3.Bool("call!preload")
    if topo.k > 1:
        topo.assertions.append(preload == topo.chain[1])
    else:
        topo.assertions.append(z3.Not(preload))
    route_stored = ite(preload, convert(route_scheme, OPT_SCHEME), const(OPT_SCHEME, "none"))
    first = _attempt(topo, "inv", bindings, target, route_stored, z3.BoolVal(True), 100)
    failure = failure_of(first.final, first.warn)
    contact = ite(failure.term == const(FAILURE, "r3xx").term, first.contact, const(SCHEME, "sip"))
    confirmed = z3.Bool("alice!confirms_downgrade")
    sent_ruri = first.uac.options["ruri"]
    with topo.in_segment(first.final_segment):  # alice decides when the final response reaches her
        uv = topo.rules.visit("uac_retry", topo.ALICE, has_failure(first.final, first.warn),
                              {"ruri": sent_ruri, "failure": failure, "contact": contact,
                               "confirmed": Sym(confirmed, BOOL)}, "retry", fallback={"action": "stop"})
    new_target = retry_scheme(failure, contact)
    retry_record = _retry_record("ua", uv, sent_ruri, new_target, failure, confirmed, "retry")
    retried = retry_record.active  # a new INVITE, same call (RFC 3261 8.1.3.4, 8.1.3.5); at most one per call
    second = _attempt(topo, "re", bindings, new_target, route_stored, retried, 200, retry=True)
    outcomes = first.outcomes + second.outcomes
    dialogs: list[SymRecord] = []
    for o in outcomes:
        dialogs += _dialogs(topo, o)
    bye = Segment(1000, "bye")
    for b in bindings:
        _in_dialog(topo, b, [o for o in outcomes if o.branch.binding is b], bye)
    forwards = first.forwards + second.forwards
    retries = first.retries + [(retry_record, uv)] + second.retries
    encoding = BoundedEncoding(max_bound, topo, bindings, {"target": target, "preload": preload,
                                                          "route_scheme": route_scheme}, forwards, dialogs)
    encoding.malicious = malicious
    encoding.collections = _collections(topo, bindings, forwards, dialogs, [first.pb_alias, second.pb_alias],
                                        retries)
    bounds = [z3.Implies(encoding.bound_literal(k), z3.Not(topo.chain[k])) for k in range(1, max_bound)]
    encoding.assertions = topo.assertions + topo.request_ids() + topo.rules.assertions + bounds
    return encoding


def _branch_answer(topo: Topology, b: Branch, cancelled: Term, label: str) -> list[Any]:
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
                                           ite(cond, f.scheme, e.scheme), e.is_out)
                  for e, f in zip(result, rr, strict=True)]
    return result


def _merge_owner(cond: Term, a: Term | int, b: Term | int) -> Term | int:
    """The owner of a merged entry: the branches of two devices have their own edge proxies."""
    if isinstance(a, int) and isinstance(b, int) and a == b:
        return a
    return z3.If(cond, a, b)


def _winner_rr(answers: list[list[Any]], winner: Term) -> list[Any]:
    """The RR list of the 2xx pb forwards (the winning branch's, after pb's own proxy_response_rr)."""
    if not answers:
        return []
    return merge_rr([(winner == n, rr) for n, rr in enumerate(answers)])


def _chain_answer(topo: Topology, legs: list[Leg], chain: list[Forward], at_pb: Term, status: Term,
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


def _dialogs(topo: Topology, o: Outcome) -> list[SymRecord]:
    """UAS dialog (12.1.1) then UAC dialog (12.1.2) of the 2xx that reaches alice."""
    b = o.branch
    uas_leg = b.uas_leg.slot.fields
    ua_secure = z3.And(uas_leg["secure"].term, is_value(ANY_SCHEME, uas_leg["ruri"], "sips"))
    uas = dialog_record("uas", ua_secure, convert(uas_leg["contact"], SCHEME), uas_leg["rr_top"], b.contact,
                        topo.tls(topo.bob(b.binding.j)), uas_leg, b.request, o.won, z3.IntVal(0))
    f = o.first.slot.fields
    uac_secure = z3.And(f["secure"].term, is_value(ANY_SCHEME, f["ruri"], "sips"))
    uac_req = {"ruri": f["ruri"], "rr_top": const(OPT_SCHEME, "none"), "contact": f["contact"]}
    uac_record = dialog_record("uac", uac_secure, b.contact, first_entry(o.rr), o.uac.options["contact"],
                               topo.tls(topo.ALICE), uac_req, o.first.slot.request, o.won, z3.IntVal(1))
    return [uas, uac_record]


def _in_dialog(topo: Topology, b: BindingState, outcomes: list[Outcome], bye: Segment) -> None:
    """The caller's ACK along its route set, then the callee's BYE along its own (whichever branch won)."""
    if not outcomes:
        return
    won = z3.Or([o.won for o in outcomes])

    def pick(values: list[Sym]) -> Sym:
        result = values[-1]
        for o, v in zip(reversed(outcomes[:-1]), reversed(values[:-1]), strict=True):
            result = ite(o.won, v, result)
        return result

    to = pick([o.first.slot.fields["to"] for o in outcomes])
    frm = pick([o.first.slot.fields["from"] for o in outcomes])
    rr = merge_rr([(o.won, o.rr) for o in outcomes])
    rank: Term = z3.IntVal(0)
    for o in outcomes:
        rank = z3.If(o.won, o.final_rank, rank)
    with topo.in_segment(Segment(rank + 1, f"ack{b.j}")):  # at once, before pb cancels the other branches
        ack_request = topo.new_request(won)
        walk(topo, Walk("ACK", topo.ALICE, topo.bob(b.j), rr, pick([o.branch.contact for o in outcomes]), to, frm,
                        ack_request, won, b, pick([o.branch.contact_tp for o in outcomes])), f"ack{b.j}")
    with topo.in_segment(bye):  # after every answer has been drained
        bye_request = topo.new_request(won)
        bob_route = merge_rr([(o.won, list(reversed(o.branch.uas_leg.rr))) for o in outcomes])
        walk(topo, Walk("BYE", topo.bob(b.j), topo.ALICE, bob_route,
                        pick([o.uac.options["contact"] for o in outcomes]), frm, to, bye_request, won, b,
                        pick([o.uac.options["contact_tp"] for o in outcomes])), f"bye{b.j}")


def _decision_indices(topo: Topology) -> dict[int, Term]:
    """Each visit's position in the simulator's decision list (blocked visits count)."""
    visits = topo.rules.visits
    indices = positions([(v.active, v.segment or BASE) for v in visits])
    return {id(v): index for v, index in zip(visits, indices, strict=True)}


def _collections(topo: Topology, bindings: list[BindingState], forwards: list[Forward], dialogs: list[SymRecord],
                 aliases: list[tuple[Slot, list[Term], list[Leg]]], retries: list[tuple[SymRecord, Any]]) -> dict[
    str, list[SymRecord]
]:
    hops = topo.hops()
    index_of = {id(slot): rec.values["index"].term for slot, rec in zip(topo.slots, hops, strict=True)}
    for alias, arrive, legs in aliases:
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
    retry_records = [SymRecord(r.active, {**r.values, "index": Sym(decisions[id(v)], INT)}) for r, v in retries]
    return {"hops": hops, "forwards": records, "bindings": [b.record for b in bindings],
            "dialogs": dialog_records, "retries": retry_records}


__all__ = ["BOOL", "BoundedEncoding", "build_encoding"]

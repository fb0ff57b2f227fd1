"""In-dialog requests of the bounded scenario: a symbolic walk along a route set (RFC 3261 12.2.1.1, 16.4).

Theory of operation: the walk has a bounded number of steps; at each one the sender ``cur`` (a
symbolic position) has removed every Route value naming itself, and sends to the owner of the first
value left, else (a proxy that is not responsible and has an outbound proxy) to that proxy, else to
the element the Request-URI resolves to (docs/semantics.md, Resolution). Every step is a
``send_in_dialog`` visit of the sender and one transmission slot; the walk must arrive within its steps.

Which value is first left is asked of a *router*. The route sets the encoding builds are runs of
values per owner (a proxy's ``in`` and ``out`` values side by side), and no owner has two runs:
then the walk visits the owners of the runs that have a value, in list order, and the state after
visiting one is a function of that owner alone (every run before it is used up, every run after it
is intact). :class:`RunRouter` tabulates "is there a run with a value after the owner ``p``'s, whose,
and the scheme of its first value" once per run, as uninterpreted functions of the position ``p``,
so a step costs a constant number of terms and the walk is linear in the bound (so is "has an
outbound proxy", ``Topology.has_outbound``). Every route set the encoding builds has that shape; any
other (an owner that may appear in two runs, or own the sender's position) is refused loudly. With strict
routers (``Topology.strict_routers``) it also tabulates whether the first value left is a strict router's
and the second value's scheme: the request then carries that value as its Request-URI and the target last
in Route (``steps.routing.request_uri``/``route_top``, RFC 3261 12.2.1.1, 16.6 step 6), and the strict router
takes the target back (16.4), so its own step sends the target again. The exact
quadratic reference, which keeps the set of values removed so far, is the test oracle
``tests/smt/consumed_router.py``: both give the same visits, slots and field values
(tests/smt/test_smt_indialog.py proves it on the encoding).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import z3

from sipsmodel.errors import ModelDisagreement
from sipsmodel.model.vocab import ANY_SCHEME, BOOL, FLOW, INT, OPT_SCHEME, SCHEME, TPARAM
from sipsmodel.smt.compile import Sym, const, convert, is_value, ite, sort_of
from sipsmodel.smt.invite import RREntry
from sipsmodel.smt.ops import Z3
from sipsmodel.smt.records import contact_params, ruri_params, send_in_dialog_hop, with_params
from sipsmodel.smt.register import BindingState
from sipsmodel.smt.topology import Topology, pick, response_fields
from sipsmodel.steps import features as steps_features
from sipsmodel.steps.routing import RouteLeft, next_hop, request_uri, route_top

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
    ruri_tp: Sym | None = None  # transport parameter of the remote target (the Request-URI); none when None
    contact: tuple[Sym, Sym] | None = None  # a re-INVITE's Contact: the sender's (ANY_SCHEME scheme, TPARAM)
    answer_contact: tuple[Sym, Sym] | None = None  # the Contact of the peer's 200 to a re-INVITE, likewise
    secure: Term = False  # the sender's dialog secure flag (RFC 3261 12.1.1, 12.1.2; SIPS-RULES.md F-1)


@dataclass(frozen=True)
class NextHop:
    """At one step: whether a Route value is left, the owner of the first one and its scheme.

    ``tparam`` is the first value's transport parameter (RFC 3263 4.1 resolves the next hop from it);
    ``tls`` and ``sips_udp`` say whether some value left, all of which the request carries in Route,
    names transport=tls, or is a sips URI naming transport=udp.
    """

    exists: Term
    owner: Term
    scheme: Sym
    tparam: Sym = field(default_factory=lambda: const(TPARAM, "none"))
    tls: Term = False
    sips_udp: Term = False
    strict: Term | bool = False  # the first value is a strict router's (no lr): it travels as the Request-URI
    second: Sym = field(default_factory=lambda: const(OPT_SCHEME, "none"))  # the second value's scheme


def value_params(entry: RREntry) -> tuple[Term, Term]:
    """Whether one present Route value names transport=tls, and whether it is sips naming transport=udp."""
    tls = z3.And(entry.present, is_value(TPARAM, entry.tparam, "TLS"))
    sudp = z3.And(entry.present, is_value(entry.scheme.domain, entry.scheme, "sips"),
                  is_value(TPARAM, entry.tparam, "UDP"))
    return tls, sudp


class Router(Protocol):
    def step(self, s: int, cur: Term) -> NextHop:
        """The Route values left when ``cur`` sends at step ``s`` (called once per step, in order)."""
        ...


def owner_values(owner: Term | int) -> frozenset[int] | None:
    """The positions an owner term can take (an int, or an If-tree of ints), None when not evident."""
    if isinstance(owner, int):
        return frozenset({owner})
    if z3.is_int_value(owner):
        return frozenset({owner.as_long()})
    if z3.is_app_of(owner, z3.Z3_OP_ITE):
        then, other = owner_values(owner.arg(1)), owner_values(owner.arg(2))
        return None if then is None or other is None else then | other
    return None


def _same(a: Term | int, b: Term | int) -> bool:
    if isinstance(a, int) or isinstance(b, int):
        return isinstance(a, int) and isinstance(b, int) and a == b
    return bool(a.eq(b))


def owner_runs(route: list[RREntry], start: int) -> list[list[RREntry]] | None:
    """The route set as runs of one owner each, when no position can own two runs nor be ``start``.

    ``None`` when the owners do not evidently satisfy that (then only the quadratic reference is exact).
    """
    runs: list[list[RREntry]] = []
    for entry in route:
        if runs and _same(runs[-1][0].owner, entry.owner):
            runs[-1].append(entry)
        else:
            runs.append([entry])
    seen: set[int] = {start}
    for run in runs:
        values = owner_values(run[0].owner)
        if values is None or values & seen:
            return None
        seen |= values
    return runs


class RunRouter:
    """The route set as owner runs, tabulated per owner position (linear; see the module docstring).

    ``exists``, ``owner`` and ``scheme`` after the run of position ``p`` are uninterpreted functions
    of ``p`` defined at each run's owner. At step 0 every run is intact; at step ``s > 0`` the sender
    is the owner of the run the previous step went to while a value was left, and once none is left
    none ever is again (a later sender, reached through an outbound proxy or the Request-URI, finds
    nothing).
    """

    def __init__(self, runs: list[list[RREntry]], target: int, label: str) -> None:
        scheme_sort = sort_of(OPT_SCHEME)
        # strict routers (F-19): whether the first value left is strict, and the second value's scheme
        self.strict = any(not z3.is_false(e.strict) for run in runs for e in run)
        self.strict_after = z3.Function(f"{label}!strict_after", z3.IntSort(), z3.BoolSort())
        self.second_after = z3.Function(f"{label}!second_after", z3.IntSort(), scheme_sort)
        self.definitions: list[Term] = []  # the functions at each run's owner (the walk asserts them)
        self.exists_after = z3.Function(f"{label}!left_after", z3.IntSort(), z3.BoolSort())
        self.owner_after = z3.Function(f"{label}!next_after", z3.IntSort(), z3.IntSort())
        self.scheme_after = z3.Function(f"{label}!scheme_after", z3.IntSort(), scheme_sort)
        self.tparam_after = z3.Function(f"{label}!tparam_after", z3.IntSort(), sort_of(TPARAM))
        self.tls_after = z3.Function(f"{label}!tls_after", z3.IntSort(), z3.BoolSort())
        self.sips_udp_after = z3.Function(f"{label}!sips_udp_after", z3.IntSort(), z3.BoolSort())
        following = NextHop(z3.BoolVal(False), z3.IntVal(target), const(OPT_SCHEME, "none"),
                            const(TPARAM, "none"), z3.BoolVal(False), z3.BoolVal(False),
                            z3.BoolVal(False) if self.strict else False)
        for run in reversed(runs):
            owner = run[0].owner
            self.definitions += [self.exists_after(owner) == following.exists,
                                 self.owner_after(owner) == following.owner,
                                 self.scheme_after(owner) == following.scheme.term,
                                 self.tparam_after(owner) == following.tparam.term,
                                 self.tls_after(owner) == following.tls,
                                 self.sips_udp_after(owner) == following.sips_udp]
            if self.strict:
                self.definitions += [self.strict_after(owner) == following.strict,
                                     self.second_after(owner) == following.second.term]
            following = _before(run, following, self.strict)
        self.first = following
        self.left: Term = following.exists

    def step(self, s: int, cur: Term) -> NextHop:
        if s == 0:
            return self.first
        was_left = self.left  # cur owns the run the previous step went to: the values after it are left
        self.left = z3.And(self.left, self.exists_after(cur))
        strict: Term | bool = False
        second = const(OPT_SCHEME, "none")
        if self.strict:
            strict = self.strict_after(cur)
            second = Sym(self.second_after(cur), OPT_SCHEME)
        return NextHop(self.left, self.owner_after(cur), Sym(self.scheme_after(cur), OPT_SCHEME),
                       Sym(self.tparam_after(cur), TPARAM), z3.And(was_left, self.tls_after(cur)),
                       z3.And(was_left, self.sips_udp_after(cur)), strict, second)


def _before(run: list[RREntry], following: NextHop, strict: bool = False) -> NextHop:
    """The values left when ``run`` (one owner's values) comes before those ``following`` describes.

    ``strict``: also the owner's strict routing and the second value's scheme (the first value's and
    the second's of the run's present values, else of ``following``).
    """
    owner = run[0].owner
    present = z3.Or([e.present for e in run])
    scheme, tparam = const(OPT_SCHEME, "none"), const(TPARAM, "none")
    first, second = following.scheme, following.second
    for entry in reversed(run):
        scheme = ite(entry.present, convert(entry.scheme, OPT_SCHEME), scheme)
        tparam = ite(entry.present, entry.tparam, tparam)
        if strict:
            first, second = ite(entry.present, convert(entry.scheme, OPT_SCHEME), first), \
                ite(entry.present, first, second)
    params = [value_params(e) for e in run]
    return NextHop(z3.Or(present, following.exists), z3.If(present, owner, following.owner),
                   ite(present, scheme, following.scheme), ite(present, tparam, following.tparam),
                   z3.Or(following.tls, *(t for t, _ in params)), z3.Or(following.sips_udp, *(u for _, u in params)),
                   z3.If(present, run[0].strict, following.strict) if strict else False, second)


def router(topo: Topology, w: Walk, label: str) -> Router:
    """The linear router; a route set it cannot take is a bug of the encoding, reported (exit 2)."""
    runs = owner_runs(w.route, w.start)
    if runs is None:
        raise ModelDisagreement(
            f"in-dialog walk {label}: an owner of the route set may hold two runs of values or be the sender; "
            "the linear router (sipsmodel/smt/indialog.py) cannot encode that route set. The bounded family "
            "changed: give the walk an exact router (tests/smt/consumed_router.py is the quadratic reference)")
    linear = RunRouter(runs, w.target, label)
    topo.assertions.extend(linear.definitions)
    return linear


def _params(uris: dict[str, Sym], contact: tuple[Sym, Sym] | None) -> dict[str, Sym]:
    """The parameter attributes of a request with its Request-URI's and Route values' and, on a re-INVITE,
    its Contact's."""
    return uris if contact is None else with_params(uris, contact_params(*contact))


def walk(topo: Topology, w: Walk, label: str) -> Term:
    """Emit the visits and slots of one in-dialog request (docs/semantics.md call step 7); True when it arrived."""
    route = router(topo, w, label)
    target_tp = w.ruri_tp if w.ruri_tp is not None else const(TPARAM, "none")
    origin: Sym | None = None  # the Request-URI the UA sent (the request's origin)
    cur: Term = z3.IntVal(w.start)
    done: Term = z3.BoolVal(False)  # arrived, or stopped at a sender with no allowed transport
    arrived: Term = z3.BoolVal(False)
    steps = 2 * (topo.k + 2) + 1
    sent: list[tuple[Any, dict[str, Sym], Term]] = []
    blocked_at: list[Term] = []
    for s in range(steps):
        act = z3.And(w.active, z3.Not(done))
        hop = route.step(s, cur)
        outbound = z3.And(topo.is_proxy(cur), topo.has_outbound(cur))
        # steps/routing.py; RFC 3263 4.1: the URI the next hop is resolved from names the transport
        left = RouteLeft(hop.exists, hop.owner, hop.scheme, hop.tparam, hop.strict)
        going = next_hop(Z3, left, outbound, cur + 1, w.target, target_tp)
        # a strict router's value travels as the Request-URI, the target last in Route (steps/routing.py)
        ruri = request_uri(Z3, left, convert(hop.scheme, w.ruri.domain), w.ruri)
        ruri_tp = request_uri(Z3, left, hop.tparam, target_tp)
        route0 = route_top(Z3, left, hop.second, convert(w.ruri, OPT_SCHEME))
        origin = ruri if origin is None else origin
        sent_params = ruri_params(ruri, ruri_tp)
        nxt = going.element
        b = w.binding
        to_ua = z3.And(nxt == topo.bob(b.j), b.outbound)
        link = (topo.tls(cur), z3.And(topo.tls(nxt), topo.link(cur, nxt)["TLS"]))
        flow = ite(to_ua, b.flow, const(FLOW, "none"))
        features = steps_features.send_in_dialog(Z3, s > 0, ruri, going, link, flow, topo.malicious(cur), w.secure)
        v = topo.rules.visit("send_in_dialog", cur, act, features, f"{label}!s{s}", link=topo.link(cur, nxt))
        blocked_at.append(v.blocked)
        go = z3.And(act, z3.Not(v.blocked))
        fields = {
            **send_in_dialog_hop(v, w.method), "route0": route0,
            # the URIs carried are the target and the values left whichever is the Request-URI; udp_param is
            # the Request-URI's own
            **_params(with_params({**ruri_params(w.ruri, target_tp), "udp_param": sent_params["udp_param"]},
                                  {"tls_param": Sym(hop.tls, BOOL), "sips_udp_param": Sym(hop.sips_udp, BOOL)}),
                      w.contact),
            "call": const(INT, 0), "status": const(INT, 0), "origin": convert(origin, ANY_SCHEME),
            "contact": w.contact[0] if w.contact is not None else const(ANY_SCHEME, "none"), "to": w.to, "from": w.frm,
            "sender": topo.role(cur), "receiver": topo.role(nxt), "last": Sym(z3.Bool(f"{label}!s{s}!last"), BOOL),
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
        none = const(ANY_SCHEME, "none")
        answer = None
        if w.answer_contact is not None:  # the UA's 200 has it, a proxy's 480 none
            answer = (ite(arrived, w.answer_contact[0], none), ite(arrived, w.answer_contact[1], const(TPARAM, "none")))
        for slot, fields, _ in reversed(sent):  # each hop is answered after the next one (sim/dialog.py _hop)
            response = response_fields(fields, status, none if answer is None else answer[0],
                                       const(OPT_SCHEME, "none"), topo.role(slot.receiver), topo.role(slot.sender))
            if answer is not None:
                response.update(contact_params(*answer))
            topo.send(slot.active, slot.receiver, slot.sender, response, w.request, f"{slot.label}!resp")
    return arrived


__all__ = ["SCHEME", "NextHop", "value_params", "RunRouter", "Walk", "owner_runs", "pick", "router", "walk"]

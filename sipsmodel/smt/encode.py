"""The bounded symbolic scenario (docs/semantics.md, "The bounded symbolic scenario (SMT)").

Theory of operation: :func:`build_encoding` lays out, for a maximum bound ``K``, every transmission
slot and choice point visit the simulator can make on a scenario of the template family, in the
order the simulator makes them: bob's registrations, alice's INVITE along ``p1..pm`` (``m < k``,
selected by the bound literal) to ``pb``, pb's branches, the answers drained in the order the requests
reached the UASs, the final response back to alice, the dialogs, the caller's ACK and the callee's
BYE. The observation collections are lists of symbolic records with ``active`` literals, so property
formulas compile unchanged (``sipsmodel.smt.compile``).

By topic: ``attempt`` (one INVITE: the chain to pb, its branches, recursions and CANCELs), ``drain``
(the answers in arrival order and the final response back), ``failures`` (failure classes, retry
targets, pb's best final response), ``dialogs`` (dialogs, ACK and BYE), ``observe`` (the
observation collections); ``invite``, ``register``, ``indialog`` and ``answers`` lay out single hops.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import z3

from sipsmodel.model.bounds import check_bound
from sipsmodel.model.expr import Record
from sipsmodel.model.scenario import Scenario
from sipsmodel.model.vocab import BOOL, FAILURE, OPT_SCHEME, SCHEME, TPARAM
from sipsmodel.smt.attempt import attempt
from sipsmodel.smt.compile import SymRecord, const, convert, decode, fresh, is_value, ite
from sipsmodel.smt.dialogs import ReInvite, dialogs_of, in_dialog
from sipsmodel.smt.failures import failure_of, has_failure, retry_record, retry_scheme
from sipsmodel.smt.invite import (
    Forward,
)
from sipsmodel.smt.observe import collections_of
from sipsmodel.smt.ops import Z3
from sipsmodel.smt.records import uac_addressed
from sipsmodel.smt.register import BindingState, register
from sipsmodel.smt.topology import Segment, Topology
from sipsmodel.steps import features

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
#:    follows. The winning device's optional re-INVITE (with its ACK) and its BYE come after everything.
BINDINGS = 2

#: The families ``build_encoding`` lays out (``sipsmodel check --family``): ``default``, and ``full``,
#: which adds what makes the grid much slower to check: the optional re-INVITE after the ACK and a third
#: device of bob (``FULL_DEVICES``; pb forks three ways, the layout above with three branches) (issue 11).
FAMILIES = ("default", "full")
FULL_DEVICES = 3

#: Whether a family's proxies may be strict routers (SIPS-RULES.md F-19): each proxy's Record-Route values
#: lack ``lr``, and so does p1's preloaded Route value, so alice's INVITE and every in-dialog request may be
#: strict-routed (RFC 3261 8.1.1.1, 12.2.1.1, 16.4, 16.6 step 6). In both families since issue 11 item 2: it
#: refuted five cells the loose family proved (the property files' notes say which and why), and a
#: counterexample shows a strict router only where no loose one exists (``smt.prove._loose``). ``False``
#: stays available to ``build_encoding`` for the tests that compare the two.
STRICT_ROUTERS = {"default": True, "full": True}


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
    reinvite: bool = False  # the family's calls may have a re-INVITE (``--family full``)
    strict: bool = False  # a proxy may be a strict router (``STRICT_ROUTERS``)

    def family(self, bound: int) -> str:
        """What a bounded answer at ``bound`` covers, from the encoding's own parameters."""
        n = len(self.bindings)
        proxies = f"k<={bound} proxies on the caller's path (0 to {bound - 1} before pb)"
        if self.strict:
            proxies += (", any of them (and the edge proxies) loose or strict routers (a strict router's "
                        "Record-Route values and p1's preloaded Route value without lr)")
        else:
            proxies += ", no strict router"
        binding = f"{n} binding{'s' if n != 1 else ''} of bob (0 to {n}) with or without edge proxy and outbound"
        callee = ("callee a UAS, a gateway (a UAS where SIPS ends, e.g. to the PSTN) or a redirect UA (302 to bob's "
                  "AoR, sip or sips Contact)")
        failure = "one proxy recursion per branch and one UAC retry (each with its hops), "
        if self.reinvite:
            failure += ("ACK, an optional re-INVITE by either side (answered 200 with the same Contact, then ACKed) "
                        "and BYE (no Service-Route)")
        else:
            failure += "ACK and BYE (no re-INVITE, no Service-Route)"
        adversary = "no malicious element"
        if self.malicious:
            adversary = "at most one malicious proxy, any of them (p1..pm, pb, the edge proxies; UAs honest, I-21)"
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


def build_encoding(max_bound: int, malicious: bool, devices: int | None = None,
                   deadline: float | None = None, family: str = "default",
                   strict: bool | None = None) -> BoundedEncoding:
    """Lay out the bounded scenario for every bound up to ``max_bound`` (docs/semantics.md, SMT).

    ``devices`` (0 to 3) is how many of bob's devices may register (default ``BINDINGS``, ``FULL_DEVICES``
    in the full family); with 2 or more, pb forks (see ``BINDINGS``). ``family`` (one of ``FAMILIES``):
    ``full`` lays out the optional re-INVITE too. ``strict`` (default ``STRICT_ROUTERS[family]``): a proxy may
    be a strict router (its Record-Route values, and p1's preloaded Route value, without ``lr``; F-19).
    Raises BoundTooLarge beyond ``sipsmodel.model.bounds.MAX_BOUND``, and ``OutOfTime`` when the
    ``deadline`` (``time.monotonic()``) passes during the build.
    """
    check_bound(max_bound, "bound")
    if devices is None:
        devices = FULL_DEVICES if family == "full" else BINDINGS
    if strict is None:
        strict = STRICT_ROUTERS[family]
    topo = Topology(max_bound, deadline=deadline, devices=max(devices, BINDINGS), strict_routers=strict)
    topo.assertions.extend(_malicious(topo, malicious))
    bindings: list[BindingState] = []
    for j in range(devices):
        bindings.append(register(topo, j, bindings))
    for j in range(devices, topo.devices):
        topo.assertions += [z3.Not(topo.redirect(topo.bob(j))), z3.Not(topo.gateway(topo.bob(j)))]
    for j in range(devices):  # a redirect UA answers every INVITE with 302: it is not also a gateway
        topo.assertions.append(z3.Not(z3.And(topo.redirect(topo.bob(j)), topo.gateway(topo.bob(j)))))
    target, route_scheme = fresh("call!target", SCHEME), fresh("call!route_stored", SCHEME)
    preload = z3.Bool("call!preload")
    if topo.k > 1:
        topo.assertions.append(preload == topo.chain[1])
    else:
        topo.assertions.append(z3.Not(preload))
    route_stored = ite(preload, convert(route_scheme, OPT_SCHEME), const(OPT_SCHEME, "none"))
    route_strict = z3.Bool("call!strict") if strict else None  # the preloaded entry is p1's, strict when p1 is
    if route_strict is not None:
        topo.assertions.append(route_strict == z3.And(preload, topo.strict(1)))
    first = attempt(topo, "inv", bindings, target, route_stored, z3.BoolVal(True), 100, strict=route_strict)
    failure = failure_of(first.final, first.warn)
    confirmed = z3.Bool("alice!confirms_downgrade")
    sent_ruri = first.uac.options["ruri"]
    if route_strict is not None:  # the target it addressed (sim/ua.py ``uac.target``), not a strict entry
        sent_ruri = convert(uac_addressed(first.uac), SCHEME)
    retry_features = features.uac_retry(Z3, sent_ruri, failure, first.contact, confirmed)
    with topo.in_segment(first.final_segment):  # alice decides when the final response reaches her
        uv = topo.rules.visit("uac_retry", topo.ALICE, has_failure(first.final, first.warn), retry_features,
                              "retry", fallback={"action": "stop"})
    new_target = retry_scheme(failure, retry_features["contact"])
    ua_retry = retry_record("ua", uv, sent_ruri, new_target, failure, confirmed, "retry")
    retried = ua_retry.active  # a new INVITE, same call (RFC 3261 8.1.3.4, 8.1.3.5); at most one per call
    # a 3xx Contact is the new target whole, its transport parameter with it (8.1.3.4); a twin has none
    target_tp = ite(is_value(FAILURE, failure, "r3xx"), first.contact_tp, const(TPARAM, "none"))
    second = attempt(topo, "re", bindings, new_target, route_stored, retried, 200, retry=True, strict=route_strict,
                     target_tp=target_tp)
    # a retry happens when its INVITE is sent (sim/ua.py on_response): not when uac_invite is blocked
    ua_retry = SymRecord(z3.And(retried, z3.Not(second.uac.blocked)), ua_retry.values)
    outcomes = first.outcomes + second.outcomes
    dialogs: list[SymRecord] = []
    for o in outcomes:
        dialogs += dialogs_of(topo, o)
    bye = Segment(1000, "bye")
    reinvite = ReInvite(z3.Bool("call!reinvite"), z3.Bool("call!reinvite_by_callee"))
    if family != "full":
        topo.assertions += [z3.Not(reinvite.sent), z3.Not(reinvite.by_callee)]
    for b in bindings:
        in_dialog(topo, b, [o for o in outcomes if o.branch.binding is b], bye,
                  reinvite if family == "full" else None)
    forwards = first.forwards + second.forwards
    retries = first.retries + [(ua_retry, uv)] + second.retries
    encoding = BoundedEncoding(max_bound, topo, bindings, {"target": target, "preload": preload,
                                                          "route_scheme": route_scheme, "reinvite": reinvite.sent,
                                                          "reinvite_by_callee": reinvite.by_callee}, forwards, dialogs)
    encoding.malicious = malicious
    encoding.reinvite = family == "full"
    encoding.strict = strict
    encoding.collections = collections_of(topo, bindings, forwards, dialogs, [first.pb_alias, second.pb_alias],
                                        retries)
    bounds = [z3.Implies(encoding.bound_literal(k), z3.Not(topo.chain[k])) for k in range(1, max_bound)]
    encoding.assertions = topo.assertions + topo.request_ids() + topo.rules.assertions + bounds
    return encoding


__all__ = ["BOOL", "FAMILIES", "FULL_DEVICES", "STRICT_ROUTERS", "BoundedEncoding", "build_encoding"]

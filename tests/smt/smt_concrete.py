"""Test oracle: fix the bounded encoding to one concrete run (a scenario of the template family, its decisions).

The differential test (DESIGN.md "kept honest by a differential test") draws a scenario as
:class:`TemplateParams`, lets the simulator run it, then asserts here every parameter and, for every
visit, the options the simulator's decision with the same (element, choice point, occurrence) took.
The SMT observation of the unique model must then equal the simulator's, record by record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import z3

from sipsmodel.model.expr import Record
from sipsmodel.model.scenario import Scenario
from sipsmodel.model.trace import Decision
from sipsmodel.smt.compile import is_value
from sipsmodel.smt.encode import BoundedEncoding
from sipsmodel.smt.solving import assumptions
from sipsmodel.smt.visits import LINK_TRANSPORTS

Term = Any


@dataclass(frozen=True)
class Device:
    """One of bob's devices: how it registers and its policies."""

    edge: bool = False
    outbound: bool = False
    want_sips: bool = True
    sips_ok: bool = True
    sip_ok: bool = True
    redirect: str | None = None  # a redirect UA: the scheme of its 302 Contact (bob's AoR)
    gateway: bool = False  # a gateway to a non-SIP network (never also a redirect UA)


@dataclass(frozen=True)
class TemplateParams:
    """A concrete scenario of the template family (docs/semantics.md, The bounded symbolic scenario)."""

    chain: int = 0  # m: proxies p1..pm (a preloaded Route names p1 when m > 0)
    target: str = "sips"
    route_scheme: str = "sip"
    devices: tuple[Device, ...] = ()
    tls: dict[str, bool] = field(default_factory=dict)  # by element name (default True)
    links: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)  # default UDP, TCP, TLS
    confirms: bool = False
    reinvite: str | None = None  # "caller" or "callee": that side sends a re-INVITE after the ACK
    strict: frozenset[str] = frozenset()  # the proxies that are strict routers (no lr; p1's preloaded Route too)
    malicious: str | None = None  # the one proxy marked malicious (an encoding built with malicious=True)


def scenario_constraints(enc: BoundedEncoding, p: TemplateParams) -> list[Term]:
    """Every topology and policy literal of the encoding fixed to ``p``."""
    topo = enc.topo
    names = topo.names()
    out = [topo.chain[i] == (i <= p.chain) for i in range(1, topo.k)]
    out.append(is_value(enc.call["target"].domain, enc.call["target"], p.target))
    out.append(is_value(enc.call["route_scheme"].domain, enc.call["route_scheme"], p.route_scheme))
    out.append(z3.Bool("alice!confirms_downgrade") == p.confirms)
    out.append(enc.call["reinvite"] == (p.reinvite is not None))
    out.append(enc.call["reinvite_by_callee"] == (p.reinvite == "callee"))
    for b in enc.bindings:
        if b.j < len(p.devices):
            d = p.devices[b.j]
            out += [b.registers, b.edge == d.edge, b.outbound == d.outbound,
                    z3.Bool(f"bob{b.j}!want_sips") == d.want_sips, z3.Bool(f"bob{b.j}!sips_ok") == d.sips_ok,
                    z3.Bool(f"bob{b.j}!sip_ok") == d.sip_ok, topo.redirect(topo.bob(b.j)) == (d.redirect is not None),
                    topo.gateway(topo.bob(b.j)) == d.gateway]
            if d.redirect is not None:
                out.append(is_value(topo.redirect_scheme(b.j).domain, topo.redirect_scheme(b.j), d.redirect))
        else:
            out += [z3.Not(b.registers), z3.Not(topo.gateway(topo.bob(b.j)))]
    for position, name in enumerate(names):
        out.append(topo.tls(position) == p.tls.get(name, True))
        if topo.strict_routers:
            out.append(topo.strict(position) == (name in p.strict))
        if enc.malicious:
            out.append(topo.malicious(position) == (name == p.malicious))
        for other in range(position + 1, topo.n):
            offered = p.links.get((name, names[other]), p.links.get((names[other], name), LINK_TRANSPORTS))
            out += [topo.link(position, other)[t] == (t in offered) for t in LINK_TRANSPORTS]
    return out


def decision_constraints(enc: BoundedEncoding, decisions: tuple[Decision, ...],
                         features: tuple[str, ...] = ()) -> list[Term]:
    """Each active visit takes the options of the simulator's decision with its element and occurrence.

    ``features``: these features of the visit (where its choice point has them) must also equal the
    decision's, so a run the SMT reads differently (say, another next_tp) has no model.
    """
    topo = enc.topo
    names = topo.names()
    taken = {(d.element, d.choice_point, d.occurrence): d for d in decisions}
    out: list[Term] = []
    counts: dict[tuple[int, str], Term] = {}
    for v in topo.rules.visits:
        positions = [v.element] if isinstance(v.element, int) else range(topo.n)
        for position in positions:
            here = z3.BoolVal(True) if isinstance(v.element, int) else v.element == position
            key = (position, v.cp.name)
            occurrence = counts.get(key, z3.IntVal(0))
            for n in range(len(decisions) + 1):
                d = taken.get((names[position], v.cp.name, n))
                if d is None:
                    continue
                seen = [is_value(v.features[f].domain, v.features[f], d.features[f]) for f in features
                         if f in v.features and f in d.features]
                if not d.options and not seen:
                    continue
                options = d.options or {}
                fixed = z3.And([is_value(v.options[o].domain, v.options[o], value) for o, value in options.items()]
                               + seen)
                out.append(z3.Implies(z3.And(v.active, here, occurrence == n), fixed))
            counts[key] = occurrence + z3.If(z3.And(v.active, here), 1, 0)
    return out


def smt_observation(enc: BoundedEncoding, constraints: list[Term], active_rules: tuple[str, ...]) -> tuple[
    dict[str, list[Record]] | None, Term
]:
    """The observation of the encoding under ``constraints`` (None when unsatisfiable) and the model."""
    solver = z3.Solver()
    solver.set("timeout", 60_000)
    solver.add(*enc.assertions, *constraints)
    if solver.check(*assumptions(active_rules)) != z3.sat:
        return None, None
    model = solver.model()
    return enc.observation(model), model


def params_scenario(enc: BoundedEncoding, p: TemplateParams, active_rules: tuple[str, ...]) -> Scenario:
    """The canonical Scenario of ``p`` (decoded from any model of the fixed topology)."""
    solver = z3.Solver()
    solver.add(*enc.assertions, *scenario_constraints(enc, p))
    if solver.check(*assumptions(active_rules)) != z3.sat:
        raise ValueError(f"template parameters {p} have no model")
    scenario = enc.decode(solver.model(), name="differential")
    return Scenario(scenario.name, scenario.elements, scenario.links, scenario.registrations, scenario.calls)

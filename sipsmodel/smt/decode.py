"""Decode a Z3 model of the bounded scenario into a canonical Scenario with a script (DESIGN.md flow 3).

Names are stable: ``alice`` (``alice-1.example.net``), ``p1`` .. (``p1.example.net``), ``pb``
(``pb.example.com``, responsible for and registrar of ``example.com``), ``eb1``, ``eb2``
(``eb1.example.com``), ``bob1``, ``bob2`` (``bob1.example.com``). Only the elements that take part are
listed; every pair of them gets an explicit link with the transports the model offers. The script
has one ScriptedChoice per visit that chose, numbered per (element, choice point) in visit order,
which is the simulator's order (blocked ``proxy_forward`` visits count but carry no choice).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

import z3

from sipsmodel.model.expr import Value
from sipsmodel.model.scenario import Call, Element, Link, Registration, Scenario, ScriptedChoice
from sipsmodel.smt.compile import decode
from sipsmodel.smt.visits import LINK_TRANSPORTS

if TYPE_CHECKING:
    from sipsmodel.smt.encode import BoundedEncoding

Term = Any

HOSTS = {"alice": "alice-1.example.net", "pb": "pb.example.com"}


def host_of(name: str) -> str:
    """The canonical host of an element name."""
    if name in HOSTS:
        return HOSTS[name]
    domain = "example.net" if name.startswith("p") else "example.com"
    return f"{name}.{domain}"


def _true(model: Term, term: Term) -> bool:
    return bool(z3.is_true(model.eval(term, model_completion=True)))


def _int(model: Term, term: Term) -> int:
    return int(model.eval(term, model_completion=True).as_long())


def decode_scenario(enc: BoundedEncoding, model: Term, name: str) -> Scenario:
    """The scenario and script a model describes (replayed by ``sipsmodel.sim.simulate``)."""
    topo = enc.topo
    names = topo.names()
    present = {0, topo.pb}
    present |= {i for i in range(1, topo.k) if _true(model, topo.chain[i])}
    registrations = []
    for b in enc.bindings:
        if not _true(model, b.registers):
            continue
        present.add(topo.bob(b.j))
        via: tuple[str, ...] = ()
        if _true(model, b.edge):
            present.add(topo.eb(b.j))
            via = (names[topo.eb(b.j)],)
        outbound = _true(model, b.outbound)
        registrations.append(Registration(
            ua=names[topo.bob(b.j)], aor_user="bob", domain="example.com", registrar="pb", via=via,
            outbound=outbound, instance=f"urn:uuid:00000000-0000-0000-0000-00000000000{b.j + 1}" if outbound else None,
            reg_id=1 if outbound else None,
        ))
    elements = tuple(_element(enc, model, p, names, present) for p in sorted(present))
    links = tuple(
        Link(names[a], names[b], tuple(t for t in LINK_TRANSPORTS if _true(model, topo.link(a, b)[t])))
        for a in sorted(present) for b in sorted(present) if a < b
    )
    target = decode(model, enc.call["target"])
    route: tuple[str, ...] = ()
    if _true(model, enc.call["preload"]):
        lr = "" if _true(model, topo.strict(1)) else ";lr"  # a strict router's value has no lr (F-19)
        route = (f"{decode(model, enc.call['route_scheme'])}:p1.example.net{lr}",)
    reinvite: tuple[tuple[str, str], ...] = ()
    if _true(model, enc.call["reinvite"]):
        reinvite = (("callee" if _true(model, enc.call["reinvite_by_callee"]) else "caller", "INVITE"),)
    call = Call(caller="alice", target=f"{target}:bob@example.com", route=route,
                in_dialog=(("caller", "ACK"), *reinvite, ("callee", "BYE")))
    return Scenario(name=name, elements=elements, links=links, registrations=tuple(registrations), calls=(call,),
                    script=script(enc, model), description="decoded from an SMT model (sipsmodel.smt)")


def _element(enc: BoundedEncoding, model: Term, position: int, names: list[str], present: set[int]) -> Element:
    topo = enc.topo
    name = names[position]
    tls = _true(model, topo.tls(position))
    if not topo.is_proxy_position(position):
        policy: dict[str, bool] = {}
        if name.startswith("bob"):
            j = int(name[3:]) - 1
            policy = {"want_sips": _true(model, z3.Bool(f"bob{j}!want_sips")),
                      "sips_ok": _true(model, z3.Bool(f"bob{j}!sips_ok")),
                      "sip_ok": _true(model, z3.Bool(f"bob{j}!sip_ok"))}
        if name == "alice":
            policy = {"confirms_downgrade": _true(model, z3.Bool("alice!confirms_downgrade"))}
        outbound = None
        redirect_to = None
        if name.startswith("bob") and _true(model, topo.redirect(position)):
            redirect_to = f"{decode(model, topo.redirect_scheme(int(name[3:]) - 1))}:bob@example.com"
        return Element(name, "ua", host_of(name), tls=tls, outbound=outbound, want_sips=policy.get("want_sips", True),
                       sips_ok=policy.get("sips_ok", True), sip_ok=policy.get("sip_ok", True),
                       confirms_downgrade=policy.get("confirms_downgrade", False), redirect_to=redirect_to,
                       gateway=_true(model, topo.gateway(position)))
    outbound = names[position + 1] if 1 <= position < topo.k - 1 and position + 1 in present else None
    return Element(
        name, "proxy", host_of(name), tls=tls, malicious=_true(model, topo.malicious(position)),
        responsible_for=("example.com",) if position == topo.pb else (), registrar=position == topo.pb,
        edge=position in [topo.eb(j) for j in range(topo.devices)], outbound=outbound, trying=False,
        strict=_true(model, topo.strict(position)),
    )


def script(enc: BoundedEncoding, model: Term) -> tuple[ScriptedChoice, ...]:
    """One ScriptedChoice per active visit that chose, with its per-element occurrence number."""
    names = enc.topo.names()
    counts: Counter[tuple[str, str]] = Counter()
    result = []
    for v in enc.topo.rules.visits:
        if not _true(model, v.active):
            continue
        element = names[v.element if isinstance(v.element, int) else _int(model, v.element)]
        key = (element, v.cp.name)
        occurrence = counts[key]
        counts[key] += 1
        if _true(model, v.blocked):
            continue
        options: dict[str, Value] = {n: decode(model, sym) for n, sym in v.options.items()}
        result.append(ScriptedChoice(element, v.cp.name, occurrence, options))
    return tuple(result)

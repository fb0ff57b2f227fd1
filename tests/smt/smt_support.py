"""Support for the SMT-versus-simulator differential tests: random template scenarios and choices."""

from __future__ import annotations

import random
from collections.abc import Mapping
from functools import cache

from smt_concrete import (
    Device,
    TemplateParams,
    decision_constraints,
    params_scenario,
    scenario_constraints,
    smt_observation,
)

from sipsmodel.model.expr import Record, Value
from sipsmodel.model.trace import Trace
from sipsmodel.rules.engine import choose_default
from sipsmodel.rules.sets import RuleSet
from sipsmodel.sim import simulate
from sipsmodel.smt.encode import BINDINGS, BoundedEncoding, build_encoding

NAMES = ("alice", "p1", "p2", "pb", "eb1", "eb2", "bob1", "bob2")


@cache
def encoding(bound: int = 3, devices: int = BINDINGS, family: str = "default",
             strict: bool | None = None, malicious: bool = False) -> BoundedEncoding:
    return build_encoding(bound, malicious, devices, family=family, strict=strict)


class RandomChooser:
    """Random allowed options (the rule engine's default choice 30% of the time)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def choose(self, element: str, choice_point: str, occurrence: int, features: Mapping[str, Value],
               allowed: list[dict[str, Value]]) -> dict[str, Value]:
        pool = allowed
        if self.rng.random() < 0.3:
            return choose_default(choice_point, features, pool)
        return self.rng.choice(pool)


def random_params(rng: random.Random, max_devices: int = BINDINGS) -> TemplateParams:
    devices = tuple(
        Device(edge=(edge := rng.random() < 0.5), outbound=edge and rng.random() < 0.5,
               want_sips=rng.random() < 0.6, sips_ok=rng.random() < 0.8, sip_ok=rng.random() < 0.8,
               redirect=rng.choice(("sip", "sips")) if rng.random() < 0.25 else None)
        for _ in range(rng.randint(0, max_devices))
    )
    tls = {n: rng.random() < 0.8 for n in NAMES}
    links = {}
    for a in NAMES:
        for b in NAMES:
            if a < b and rng.random() < 0.2:
                links[(a, b)] = tuple(t for t in ("UDP", "TCP", "TLS") if rng.random() < 0.6)
    return TemplateParams(chain=rng.randint(0, 2), target=rng.choice(("sip", "sips")),
                          route_scheme=rng.choice(("sip", "sips")), devices=devices, tls=tls, links=links,
                          confirms=rng.random() < 0.3)


def run_both(params: TemplateParams, rule_set: RuleSet, seed: int, devices: int = BINDINGS,
             family: str = "default", strict: bool | None = None) -> tuple[Trace, dict[str, list[Record]] | None]:
    """The simulator's trace and the SMT observation of the same concrete run (None: not encodable).

    ``strict``: whether the encoding has strict routers (default: as the family has them). A run with a
    malicious proxy (``params.malicious``) is encoded with the malicious family."""
    enc = encoding(3, devices, family, strict, params.malicious is not None)
    active = tuple(r.id for r in rule_set.active)
    scenario = params_scenario(enc, params, active)
    trace = simulate(scenario, rule_set, RandomChooser(random.Random(seed)))
    constraints = scenario_constraints(enc, params) + decision_constraints(enc, trace.decisions)
    observation, _ = smt_observation(enc, constraints, active)
    return trace, observation


def first_difference(sim: Mapping[str, object], smt: Mapping[str, list[Record]]) -> str | None:
    for name, records in smt.items():
        theirs = [dict(r) for r in sim.get(name, ())]  # type: ignore[attr-defined]
        for i in range(max(len(theirs), len(records))):
            a = theirs[i] if i < len(theirs) else None
            b = records[i] if i < len(records) else None
            if a != b:
                keys = sorted(set(a or {}) | set(b or {}))
                delta = {k: ((a or {}).get(k), (b or {}).get(k)) for k in keys if (a or {}).get(k) != (b or {}).get(k)}
                return f"{name}[{i}] (sim, smt): {delta}"
    return None


def fork_params(rng: random.Random) -> TemplateParams:
    """A template scenario biased towards forks: both devices register, most elements offer TLS."""
    devices = tuple(
        Device(edge=(edge := rng.random() < 0.5), outbound=edge and rng.random() < 0.3,
               want_sips=rng.random() < 0.5, sips_ok=rng.random() < 0.9, sip_ok=rng.random() < 0.9,
               redirect=rng.choice(("sip", "sips")) if rng.random() < 0.15 else None)
        for _ in range(2)
    )
    return TemplateParams(chain=rng.randint(0, 2), target=rng.choice(("sip", "sips")),
                          route_scheme=rng.choice(("sip", "sips")), devices=devices,
                          tls={n: rng.random() < 0.95 for n in NAMES}, confirms=rng.random() < 0.3)

"""Solver configuration, rule-literal assumptions and the minimal cores a proof rests on (CrossHair-style).

Every query runs with a deterministic resource limit (``rlimit``), a wall-clock safety timeout and a
fixed random seed, so a verdict is reproducible. The rules a set makes active are assumptions: the
rule's literal for active rules, its negation for every other rule of the table (a rule outside the
set must not narrow the options, or a blocked branch would appear that the simulator never sees).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import z3

from sipsmodel.defaults import RLIMIT
from sipsmodel.errors import ModelDisagreement
from sipsmodel.rules.readings import rules_with_literal
from sipsmodel.rules.sets import RuleSet
from sipsmodel.smt.mus import Query, first_core_and_all, first_joint_core
from sipsmodel.smt.visits import rule_literal

Term = Any



def z3_version() -> str:
    """The solver name and version for reports."""
    return f"z3 {z3.get_version_string()}"


#: Solver parameters of every query. Without relevancy propagation (on by default), the bounded
#: encoding's checks cost about 30 % less CPU (benchmarks/bench_check.py); answers are the same facts.
PARAMS: dict[str, Any] = {"smt.relevancy": 0}


@contextmanager
def collector_paused() -> Iterator[None]:
    """Collect first, then keep the collector off while the block builds terms: what a build creates must
    not depend on when this process last collected (term ids decide z3's choices; the ``prepare_*``
    functions build state before jobs fork from this process)."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def make_solver(timeout: float, seed: int, rlimit: int = RLIMIT) -> Term:
    """A solver with a fixed seed, a wall-clock timeout (seconds), a resource limit and ``PARAMS``."""
    solver = configured(z3.Solver(), timeout, seed, rlimit)
    z3.set_param("smt.random_seed", seed)
    return solver


def configured(solver: Term, timeout: float, seed: int, rlimit: int) -> Term:
    """``solver`` with ``PARAMS``, the seed, a wall-clock timeout (seconds) and a resource limit set."""
    for name, value in PARAMS.items():
        solver.set(name, value)
    solver.set("random_seed", seed)
    solver.set("timeout", max(1, int(timeout * 1000)))
    solver.set("rlimit", rlimit)
    return solver


def active_rule_ids(rule_set: RuleSet) -> tuple[str, ...]:
    """The IDs of the rules that bind honest elements under the set (SHOULD mode applied)."""
    return tuple(r.id for r in rule_set.active)


def assumptions(active: Iterable[str]) -> list[Term]:
    """Rule literals: positive for the active rules, negated for every other rule of the table."""
    on = set(active)
    return [rule_literal(r.id) if r.id in on else z3.Not(rule_literal(r.id)) for r in rules_with_literal()]


@dataclass(frozen=True)
class RestsOn:
    """The rules a proof rests on: the deterministic minimal core, and every minimal core found."""

    core: tuple[str, ...]
    cores: tuple[tuple[str, ...], ...]
    complete: bool
    reason: str = ""


#: How many minimal cores of one cell are enumerated before the list is called incomplete.
CORE_LIMIT = 8

#: Why a proof lists only its first core when every core was not asked for (``check --all-cores``).
FIRST_CORE_ONLY = "not enumerated; --all-cores or --explain lists every one"


def rests_on(queries: Sequence[Query], active: Sequence[str], limit: int = CORE_LIMIT, *,
             every: bool = True) -> RestsOn:
    """The minimal cores of a proof among the active rules; every other rule of the table stays off.

    A core C is a rule set on its own (the rules of C on, all others off) under which every query is
    unsat; each rule of C is necessary. ``core`` is deletion in sorted rule-ID order from the whole
    active set (``sipsmodel.smt.mus``), so it depends on the cell alone, never on earlier queries.
    ``every`` enumerates every minimal core (MARCO, up to ``limit``); without it only ``core`` is sought
    and the list is marked incomplete (``FIRST_CORE_ONLY``): the enumeration is most of a proof's cost.
    """
    on = set(active)
    hard = [z3.Not(rule_literal(r.id)) for r in rules_with_literal() if r.id not in on]
    soft = {i: rule_literal(i) for i in sorted(on)}
    absent = {i: z3.Not(rule_literal(i)) for i in sorted(on)}
    joint = [(solver, [*extra, *hard]) for solver, extra in queries]
    if not every:
        first = first_joint_core(joint, soft, absent=absent)
        if first is None:
            raise ModelDisagreement("the proof's rule set is no longer unsat when its core is computed")
        return RestsOn(first, (first,), False, FIRST_CORE_ONLY)
    core, found = first_core_and_all(joint, soft, limit=limit, absent=absent)
    if core is None:
        raise ModelDisagreement("the proof's rule set is no longer unsat when its cores are computed")
    cores = found.cores if core in found.cores else tuple(sorted({*found.cores, core}))
    return RestsOn(core, cores, found.complete, found.reason)

"""Solver configuration, rule-literal assumptions and unsat-core minimisation (CrossHair-style).

Every query runs with a deterministic resource limit (``rlimit``), a wall-clock safety timeout and a
fixed random seed, so a verdict is reproducible. The rules a set makes active are assumptions: the
rule's literal for active rules, its negation for every other rule of the table (a rule outside the
set must not narrow the options, or a blocked branch would appear that the simulator never sees).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import z3

from sipsmodel.rules.readings import CONSTRAINT_RULES
from sipsmodel.rules.sets import RuleSet
from sipsmodel.smt.visits import rule_literal

Term = Any

#: Deterministic resource limit per check (z3 ``rlimit`` units); generous for the default bound.
RLIMIT = 60_000_000


def z3_version() -> str:
    """The solver name and version for reports."""
    return f"z3 {z3.get_version_string()}"


def make_solver(timeout: float, seed: int, rlimit: int = RLIMIT) -> Term:
    """A solver with a fixed seed, a wall-clock timeout (seconds) and a resource limit."""
    solver = z3.Solver()
    solver.set("random_seed", seed)
    solver.set("timeout", max(1, int(timeout * 1000)))
    solver.set("rlimit", rlimit)
    z3.set_param("smt.random_seed", seed)
    return solver


def active_rule_ids(rule_set: RuleSet) -> tuple[str, ...]:
    """The IDs of the rules that bind honest elements under the set (SHOULD mode applied)."""
    return tuple(r.id for r in rule_set.active)


def assumptions(active: Iterable[str]) -> list[Term]:
    """Rule literals: positive for the active rules, negated for every other rule of the table."""
    on = set(active)
    return [rule_literal(r.id) if r.id in on else z3.Not(rule_literal(r.id)) for r in CONSTRAINT_RULES]


def literal_ids(core: Sequence[Term]) -> list[str]:
    """The rule IDs whose positive literal is in an unsat core."""
    ids = []
    for term in core:
        name = str(term)
        if name.startswith("rule!"):
            ids.append(name[len("rule!"):])
    return ids


def minimise_core(solver: Term, extra: Sequence[Term], core_ids: Sequence[str], active: Sequence[str]) -> tuple[
    str, ...
]:
    """Deletion loop: drop each rule of the core whose absence (literal false) keeps the query unsat.

    Rules are not monotone (a rule can block a branch), so the core is first checked alone with every
    other rule off; when that is sat the loop starts from the whole active set.
    """
    kept = list(dict.fromkeys(core_ids))
    if solver.check(*extra, *assumptions(kept)) != z3.unsat:
        kept = list(active)
    for rule_id in list(kept):
        trial = [i for i in kept if i != rule_id]
        if solver.check(*extra, *assumptions(trial)) == z3.unsat:
            kept = trial
    return tuple(sorted(kept))

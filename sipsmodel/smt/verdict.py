"""The bare bounded verdict of one property under one rule set: one solver check, no core, no model.

Used by the ambiguity and diff queries (``sipsmodel.decide``), which compare verdicts across rule sets
and readings and only need a counterexample (``sipsmodel.smt.prove``) where a verdict flips. It asks
the very solver ``prove`` uses (DESIGN.md "One semantics, two engines"), under the same assumptions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import z3

from sipsmodel.defaults import DEFAULT_BOUND, DEFAULT_SEED, DEFAULT_TIMEOUT, RLIMIT
from sipsmodel.errors import ModelDisagreement
from sipsmodel.model.expr import Value
from sipsmodel.model.scenario import Scenario
from sipsmodel.model.trace import Trace
from sipsmodel.props import Property, evaluate_property
from sipsmodel.rules.rule import Rule
from sipsmodel.rules.sets import RuleSet
from sipsmodel.sim import ScriptedChooser, simulate
from sipsmodel.smt.compile import is_value
from sipsmodel.smt.encode import BoundedEncoding
from sipsmodel.smt.prove import BoundedProver, bounded_prover, shortest_model
from sipsmodel.smt.solving import active_rule_ids, assumptions, collector_paused


def bounded_verdict(prop: Property, rule_set: RuleSet, bound: int = DEFAULT_BOUND, timeout: float = DEFAULT_TIMEOUT,
                    seed: int = DEFAULT_SEED, rlimit: int = RLIMIT) -> str:
    """``proved`` (no violation up to the bound), ``refuted`` (a violation exists) or ``unknown``."""
    return _set_query(prop, rule_set, bound, timeout, seed, rlimit)[2]


Term = Any


def verdict_and_violation(prop: Property, rule_set: RuleSet, bound: int = DEFAULT_BOUND,
                          timeout: float = DEFAULT_TIMEOUT, seed: int = DEFAULT_SEED,
                          rlimit: int = RLIMIT) -> tuple[str, Counterexample | None]:
    """``bounded_verdict``, and when refuted the solver's violating run as it answered (not the shortest,
    and depending on what the cached solver was asked before), decoded and replayed.

    For callers that only need *some* conforming violation (``decide.ambiguities``: a run that conforms
    to another reading too settles that verdict without a query). Raises ModelDisagreement when the
    replay does not show the violation, as ``counterexample`` does.
    """
    prover, _, verdict = _set_query(prop, rule_set, bound, timeout, seed, rlimit)
    if verdict != "refuted":
        return verdict, None
    return verdict, _replayed(prop, rule_set, prover.encoding.decode(prover.solver.model(),
                                                                      name=f"{prop.id}-{rule_set.name}"))


@dataclass(frozen=True)
class Counterexample:
    """A decoded violating scenario and the simulator's replay of it (which shows the violation)."""

    scenario: Scenario
    trace: Trace


def counterexample(prop: Property, rule_set: RuleSet, bound: int = DEFAULT_BOUND, timeout: float = DEFAULT_TIMEOUT,
                   seed: int = DEFAULT_SEED, rlimit: int = RLIMIT) -> Counterexample | None:
    """The shortest violating scenario, replayed; None when there is none (or the solver gave up).

    Raises ModelDisagreement when the replay does not show the violation, as ``prove`` does.
    """
    return verdict_and_counterexample(prop, rule_set, bound, timeout, seed, rlimit)[1]


#: (solver, literal name) pairs whose meaning is already asserted in that solver.
_FIXED: set[tuple[int, str]] = set()


def _fixing_literal(prover: BoundedProver, cp: str, state: Mapping[str, Value], option: str, value: Value) -> Term:
    """A literal that, assumed, makes every honest visit of ``cp`` in ``state`` take ``option = value``."""
    name = f"fix!{cp}!{sorted(state.items())}!{option}={value}"
    literal = z3.Bool(name)
    key = (id(prover.solver), name)
    if key not in _FIXED:
        parts = []
        for visit in prover.encoding.topo.rules.visits:
            if visit.cp.name != cp:
                continue
            here = [is_value(sym.domain, sym, state[n]) for n, sym in visit.features.items() if n in state]
            chosen = visit.options[option]
            parts.append(z3.Implies(z3.And(visit.active, z3.Not(visit.blocked), *here),
                                    is_value(chosen.domain, chosen, value)))
        prover.solver.add(z3.Implies(literal, z3.And(parts)))
        _FIXED.add(key)
    return literal


def verdict_with_choice_fixed(prop: Property, rule_set: RuleSet, cp: str, state: Mapping[str, Value], option: str,
                              value: Value, bound: int = DEFAULT_BOUND, timeout: float = DEFAULT_TIMEOUT,
                              seed: int = DEFAULT_SEED, rlimit: int = RLIMIT) -> str:
    """The bounded verdict when the choice is made deterministic: in ``state`` at ``cp``, ``option = value``.

    The mutation "add a rule that fixes this choice" as a solver query over the same encoding. Only for
    options the link does not restrict (not ``transport``), where the fixed value is allowed in that state.
    """
    if option == "transport":
        raise ValueError("a transport choice is also restricted by the link; it cannot be fixed by state alone")
    prover = bounded_prover(prop, rule_set, bound, False, timeout, seed, rlimit)
    extra = [prover.encoding.bound_literal(bound), *assumptions(active_rule_ids(rule_set))]
    answer = prover.solver.check(*extra, _fixing_literal(prover, cp, state, option, value))
    if answer == z3.unsat:
        return "proved"
    return "refuted" if answer == z3.sat else "unknown"


def _breaking(encoding: BoundedEncoding, rule: Rule) -> Term:
    """Some honest visit breaks ``rule`` (a reading the set does not take)."""
    parts = []
    for visit in encoding.topo.rules.visits:
        expr = rule.constraints.get(visit.cp.name)
        if expr is None:
            continue
        parts.append(z3.And(visit.active, z3.Not(visit.blocked), *visit.honest_violation(expr)))
    return z3.Or(parts) if parts else z3.BoolVal(False)


#: (solver, rule) pairs whose breaking literal is already defined in that solver.
_BREAKING: set[tuple[int, str]] = set()


def _breaking_literal(prover: BoundedProver, rule: Rule, breaking: Term) -> Term:
    """A literal that, assumed on the cached prover, means ``breaking`` (some honest visit breaks ``rule``)."""
    literal = z3.Bool(f"breaks!{rule.id}")
    key = (id(prover.solver), rule.id)
    if key not in _BREAKING:
        prover.solver.add(z3.Implies(literal, breaking))
        _BREAKING.add(key)
    return literal


def prepare_provers(props: Sequence[Property], rule_set: RuleSet, bound: int = DEFAULT_BOUND) -> None:
    """Build the cached prover of each property now, before a worker's first search
    (``report.ambiguities_run``), with nothing checked yet: the collector runs first and not during the
    build, as ``smt.prove.prepare_encoding``, so the solvers are built alike in every worker."""
    with collector_paused():
        for prop in props:
            bounded_prover(prop, rule_set, bound, False, WITNESS_TIMEOUT, DEFAULT_SEED, RLIMIT)


#: Wall-clock safety limit of a witness query: generous, so that the deterministic ``rlimit`` decides
#: when it gives up, never the load of the machine (a witness must not depend on it).
WITNESS_TIMEOUT = 600.0


def counterexample_breaking(prop: Property, rule_set: RuleSet, rule: Rule | None, bound: int = DEFAULT_BOUND,
                            timeout: float = WITNESS_TIMEOUT, seed: int = DEFAULT_SEED,
                            rlimit: int = RLIMIT) -> Counterexample | None:
    """The shortest violating scenario under ``rule_set`` in which an honest element breaks ``rule``, replayed.

    ``rule`` is a reading the set does not take (inactive, so the set allows breaking it): the flow
    exercises the choice that reading would constrain (None: any violating scenario). None when there
    is none within the bound. The cached prover answers (the breaking constraint behind a literal) and
    finds the fewest transmissions; the model comes from a Z3 context of its own (``shortest_model``:
    the encoding, the negated property, the breaking constraint, the assumptions), so the scenario does
    not depend on earlier queries. Raises ModelDisagreement when the replay does not show the violation,
    as ``counterexample``.
    """
    prover = bounded_prover(prop, rule_set, bound, False, timeout, seed, rlimit)
    extra = [prover.encoding.bound_literal(bound), *assumptions(active_rule_ids(rule_set))]
    behind = []
    if rule is not None:
        breaking = _breaking(prover.encoding, rule)
        behind.append((_breaking_literal(prover, rule, breaking), breaking))
    if prover.solver.check(*extra, *(literal for literal, _ in behind)) != z3.sat:
        return None
    name = f"{prop.id}-{rule_set.name}" + (f"-breaks-{rule.id}" if rule is not None else "")
    return _replayed_shortest(prop, rule_set, prover, extra, behind, name)


def verdict_and_counterexample(prop: Property, rule_set: RuleSet, bound: int = DEFAULT_BOUND,
                               timeout: float = WITNESS_TIMEOUT, seed: int = DEFAULT_SEED,
                               rlimit: int = RLIMIT) -> tuple[str, Counterexample | None]:
    """``bounded_verdict`` and, when refuted, ``counterexample_breaking(prop, rule_set, None, ...)``, from
    one check: the shortest-run search starts from the verdict's own ``sat`` answer instead of asking
    the same query again. The counterexample is the same (its size and parameter count are minima, its
    model comes from a context of its own, ``shortest_model``)."""
    prover, extra, verdict = _set_query(prop, rule_set, bound, timeout, seed, rlimit)
    if verdict != "refuted":
        return verdict, None
    return verdict, _replayed_shortest(prop, rule_set, prover, extra, [], f"{prop.id}-{rule_set.name}")


def _set_query(prop: Property, rule_set: RuleSet, bound: int, timeout: float, seed: int,
               rlimit: int) -> tuple[BoundedProver, list[Term], str]:
    """The set's bounded query on the cached prover, checked once: the prover, the assumptions it was
    checked under, and the verdict (``refuted`` leaves the prover's model to read)."""
    prover = bounded_prover(prop, rule_set, bound, False, timeout, seed, rlimit)
    extra = [prover.encoding.bound_literal(bound), *assumptions(active_rule_ids(rule_set))]
    answer = prover.solver.check(*extra)
    return prover, extra, "proved" if answer == z3.unsat else "refuted" if answer == z3.sat else "unknown"


def _replayed_shortest(prop: Property, rule_set: RuleSet, prover: BoundedProver, extra: list[Term],
                       behind: list[tuple[Term, Term]], name: str) -> Counterexample:
    """The shortest model of the query the prover just found ``sat``, decoded and replayed (see
    ``counterexample_breaking``)."""
    return _replayed(prop, rule_set, prover.encoding.decode(shortest_model(prover, extra, behind), name=name))


def _replayed(prop: Property, rule_set: RuleSet, scenario: Scenario) -> Counterexample:
    """A decoded violating scenario replayed by the simulator, which must show the violation too."""
    trace = simulate(scenario, rule_set, ScriptedChooser(scenario.script))
    if evaluate_property(prop, trace.observation).holds:
        raise ModelDisagreement(f"{prop.id} under {rule_set.name}: the SMT model violates the property but the "
                                f"simulator's replay does not (scenario {scenario})")
    return Counterexample(scenario, trace)

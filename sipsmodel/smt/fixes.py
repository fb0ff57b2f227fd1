"""Minimal sets of candidate changes that prove a property, on the property's own solver (issue 8 item 3).

Theory of operation: the bounded solver of ``sipsmodel.smt.prove`` already holds the encoding and the
negated property, and reads every rule through its one literal. The rules no candidate touches are
fixed (hard assumptions: the base's active rules on, every other rule off, the bound literal); each
candidate change is a soft assumption, ``rule!R`` for an addition and a selector for a removal.
A base rule that a candidate removes, or that an added rule supersedes, is defined as "on exactly when
no applied change removes or replaces it": an added rule stands in for the rule it replaces, as the
documents (and ``compose``) have it, so a set never proves a property vacuously by leaving the old
and the new text both binding with no option between them. A candidate left out of a subset is *not
applied* (``absent``), so a subset is exactly one rule set
(``sipsmodel.decide.candidates.changed_rule_set``), and a minimal unsatisfiable subset is a minimal
set of changes under which no violation exists up to the bound. The enumeration is MARCO
(``sipsmodel.smt.mus.minimal_cores``), which checks each core it reports minimal directly; its
pruning assumes that applying more changes never loses a proof, which is the case for additions but
not for removals (they weaken). So the removals are searched apart (``sipsmodel.smt.mus.switch_cores``):
first MARCO over the additions with every removal left out, then, for each non-empty pattern of
removals and each maximal satisfiable set of additions that MARCO found, a check whether the pattern
turns it into a proof, and MARCO within it where it does. A removal only adds behaviours unless the
rule it deletes was the one leaving an element no option (the element then refused, and without the
rule it sends), so a removal is expected in no minimal set; the search looks anyway. A removal whose
rule can never be that one (:func:`may_block`, one local check per choice point) only adds
behaviours whatever else is applied, so it is left out of the patterns; the others are searched.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import z3

from sipsmodel.defaults import DEFAULT_CORE_LIMIT, RLIMIT
from sipsmodel.props import Property
from sipsmodel.rules.choicepoints import CHOICE_POINTS
from sipsmodel.rules.readings import rules_with_literal
from sipsmodel.rules.sets import RuleSet
from sipsmodel.rules.table import RULES_BY_ID
from sipsmodel.smt.compile import domain_constraint, fresh
from sipsmodel.smt.mus import MusEnumeration, minimal_cores, switch_cores
from sipsmodel.smt.prove import bounded_prover
from sipsmodel.smt.solving import active_rule_ids
from sipsmodel.smt.visits import LINK_TRANSPORTS, rule_literal, some_option_allowed

Term = Any


def _label(rule: str, action: str) -> str:
    return f"+{rule}" if action == "add" else f"-{rule}"


def _selector(label: str) -> Term:
    return z3.Bool(f"change!{label}")


def soft_literals(changes: Sequence[tuple[str, str]], applied: bool = True) -> dict[str, Term]:
    """``{label: literal}`` for each change (rule, action) applied (or not); labels ``+R`` (add), ``-R`` (remove).

    An addition is its rule's literal; a removal is a selector that the base rule's definition reads
    (:func:`base_rule_definitions`).
    """
    result = {}
    for rule, action in changes:
        term = rule_literal(rule) if action == "add" else _selector(_label(rule, action))
        result[_label(rule, action)] = term if applied else z3.Not(term)
    return result


def replaced_by(base: RuleSet, changes: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    """Each active base rule that a candidate removes or that an added rule supersedes, with those additions."""
    active = set(active_rule_ids(base))
    result: dict[str, list[str]] = {}
    for rule, action in changes:
        if action == "remove" and rule in active:
            result.setdefault(rule, [])
        for old in RULES_BY_ID[rule].supersedes if action == "add" else ():
            if old in active:
                result.setdefault(old, []).append(rule)
    return result


def base_rule_definitions(base: RuleSet, changes: Sequence[tuple[str, str]]) -> list[Term]:
    """A touched base rule is on exactly when no applied change removes it or replaces it (``supersedes``).

    So an added rule stands in for the base rule it supersedes, as in the documents and in
    ``sipsmodel.rules.sets.compose``: adding it never leaves both the old and the new text binding.
    """
    removals = {rule for rule, action in changes if action == "remove"}
    definitions = []
    for old, newer in sorted(replaced_by(base, changes).items()):
        off = [rule_literal(r) for r in newer] + ([_selector(f"-{old}")] if old in removals else [])
        definitions.append(rule_literal(old) == z3.Not(z3.Or(off)))
    return definitions


def fixed_literals(base: RuleSet, changes: Sequence[tuple[str, str]]) -> list[Term]:
    """The rule literals no candidate touches (readings too): on for the base's active rules, off for the rest."""
    touched = {rule for rule, _ in changes} | set(replaced_by(base, changes))
    on = set(active_rule_ids(base))
    kept = [r.id for r in rules_with_literal() if r.id not in touched]
    return [rule_literal(i) if i in on else z3.Not(rule_literal(i)) for i in kept]


def _guard(solver: Term, definitions: list[Term]) -> Term:
    """A literal that, assumed, asserts the definitions on this solver (added once per solver and text).

    The guards live on the solver object itself, so a new solver never inherits another's guard.
    """
    guards: dict[str, Term] = solver.__dict__.setdefault("sipsmodel_fix_guards", {})
    key = str(definitions)
    if key not in guards:
        guard = z3.FreshBool("fixes")
        solver.add(z3.Implies(guard, z3.And(definitions)))
        guards[key] = guard
    return guards[key]


def fixing_cores(prop: Property, base: RuleSet, changes: Sequence[tuple[str, str]], bound: int, *, timeout: float,
                 seed: int, rlimit: int = RLIMIT, limit: int = DEFAULT_CORE_LIMIT) -> MusEnumeration:
    """Every minimal subset of the changes (by label) under which ``prop`` has no violation up to ``bound``."""
    prover = bounded_prover(prop, base, bound, False, timeout, seed, rlimit)
    hard = [prover.encoding.bound_literal(bound), *fixed_literals(base, changes)]
    definitions = base_rule_definitions(base, changes)
    if definitions:
        hard.append(_guard(prover.solver, definitions))
    additions = [c for c in changes if c[1] == "add"]
    removals = [c for c in changes if c[1] != "add"]
    off = soft_literals(removals, applied=False)
    soft, absent = soft_literals(additions), soft_literals(additions, applied=False)
    first = minimal_cores(prover.solver, [*hard, *off.values()], soft, limit=limit, absent=absent)
    blocking = [c for c in removals if may_block(base, changes, c[0])]
    more = switch_cores([(prover.solver, [*hard, *soft_literals([c for c in removals if c not in blocking],
                                                                    applied=False).values()])],
                        soft, absent, soft_literals(blocking), soft_literals(blocking, applied=False), first,
                        limit=limit)
    cores = tuple(sorted({*first.cores, *more.cores}))
    complete = first.complete and more.complete
    reason = first.reason or more.reason
    return MusEnumeration(cores, complete, reason, first.satisfiable)


@cache
def _may_block(base: RuleSet, changes: tuple[tuple[str, str], ...], rule_id: str) -> bool:
    """Could the base rule ``rule_id`` be what leaves an element no option, under some applied changes?

    One check per choice point of the rule on a free visit (any features, any link): some option is
    allowed with the rule off and none with it on, the untouched rules fixed as in the search, the other
    candidates free, and no addition that replaces the rule applied. When this is unsat everywhere,
    deleting the rule only adds options, never removes a refusal, so it only adds behaviours: it can
    be in no minimal set of a safety property, whatever else is applied. Unknown counts as "may".
    """
    rule = RULES_BY_ID[rule_id]
    replacing = [rule_literal(r) for r, action in changes if action == "add" and rule_id in RULES_BY_ID[r].supersedes]
    for cp_name in rule.constraints:
        cp = CHOICE_POINTS[cp_name]
        features = {f.name: fresh(f"block!{cp_name}!{f.name}", f.domain) for f in cp.features}
        link = {t: z3.Bool(f"block!{cp_name}!link!{t}") for t in LINK_TRANSPORTS}
        allowed = some_option_allowed(cp_name, features, link)
        literal = rule_literal(rule_id)
        solver = z3.Solver()
        solver.set("timeout", 10_000)
        solver.add(*(domain_constraint(sym) for sym in features.values()), *fixed_literals(base, list(changes)),
                   *(z3.Not(r) for r in replacing),
                   z3.substitute(allowed, (literal, z3.BoolVal(False))),
                   z3.Not(z3.substitute(allowed, (literal, z3.BoolVal(True)))))
        if solver.check() != z3.unsat:
            return True
    return False


def may_block(base: RuleSet, changes: Sequence[tuple[str, str]], rule_id: str) -> bool:
    """:func:`_may_block`, remembered per base, candidate list and rule."""
    return _may_block(base, tuple(changes), rule_id)

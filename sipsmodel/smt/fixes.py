"""Minimal sets of candidate changes that prove a property, on the property's own solver (issue 8 item 3).

Theory of operation: the bounded solver of ``sipsmodel.smt.prove`` already holds the encoding and the
negated property, and reads every rule through its one literal. The rules no candidate touches are
fixed (hard assumptions: the base's active rules on, every other rule off, the bound literal); each
candidate change is a soft assumption, ``rule!R`` for an addition and ``not rule!R`` for a removal.
A candidate left out of a subset is *not applied* (``absent``: the added rule's literal off, the removed
rule's on), so a subset is exactly one rule set, and a minimal unsatisfiable subset is a minimal set of
changes under which no violation exists up to the bound. The enumeration is MARCO
(``sipsmodel.smt.mus.minimal_cores``), which checks each core it reports minimal directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import z3

from sipsmodel.props import Property
from sipsmodel.rules.sets import RuleSet
from sipsmodel.rules.table import RULES
from sipsmodel.smt.mus import MusEnumeration, minimal_cores
from sipsmodel.smt.prove import bounded_prover
from sipsmodel.smt.solving import RLIMIT, active_rule_ids
from sipsmodel.smt.visits import rule_literal

Term = Any


def soft_literals(changes: Sequence[tuple[str, str]], applied: bool = True) -> dict[str, Term]:
    """``{label: literal}`` for each change (rule, action) applied (or not); labels ``+R`` (add), ``-R`` (remove)."""
    return {
        (f"+{rule}" if action == "add" else f"-{rule}"): (rule_literal(rule) if (action == "add") == applied
                                                         else z3.Not(rule_literal(rule)))
        for rule, action in changes
    }


def fixed_literals(base: RuleSet, changes: Sequence[tuple[str, str]]) -> list[Term]:
    """The rule literals no candidate touches: on for the base's active rules, off for every other rule."""
    touched = {rule for rule, _ in changes}
    on = set(active_rule_ids(base))
    return [rule_literal(r.id) if r.id in on else z3.Not(rule_literal(r.id)) for r in RULES if r.id not in touched]


def fixing_cores(prop: Property, base: RuleSet, changes: Sequence[tuple[str, str]], bound: int, *, timeout: float,
                 seed: int, rlimit: int = RLIMIT, limit: int = 16) -> MusEnumeration:
    """Every minimal subset of the changes (by label) under which ``prop`` has no violation up to ``bound``."""
    prover = bounded_prover(prop, base, bound, False, timeout, seed, rlimit)
    hard = [prover.encoding.bound_literal(bound), *fixed_literals(base, changes)]
    return minimal_cores(prover.solver, hard, soft_literals(changes), limit=limit,
                         absent=soft_literals(changes, applied=False))

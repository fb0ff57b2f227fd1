"""The small engine over the tables: which options a rule set allows, and which rules a choice breaks.

``evaluate_options`` is what the simulator asks at every choice point: each physically possible
option with the rules it breaks, so the options allowed and the rules that ruled out the others come
from one evaluation (``allowed_options`` keeps the former). ``violated_rules`` is the
independent checker used on traces: it re-evaluates the rule table on a recorded decision without
any of the simulator's decision code. RFC 2119 keywords map to ``RuleSet.should``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from sipsmodel.model.expr import Value, flat_scope, truth
from sipsmodel.model.typecheck import check_formula
from sipsmodel.rules.choicepoints import CHOICE_POINTS, ChoicePoint
from sipsmodel.rules.readings import rules_with_literal
from sipsmodel.rules.sets import RuleSet

Assignment = Mapping[str, Value]


def _scope(features: Assignment, options: Assignment) -> dict[str, Value]:
    return {**features, **options}


def physically_possible(cp: ChoicePoint, features: Assignment, options: Assignment) -> bool:
    """The choice point's model constraints (always on, whatever the rule set)."""
    scope = flat_scope(_scope(features, options))
    return all(truth(c, scope) for c in cp.constraint_exprs)


def violated_rules(
    cp_name: str, features: Assignment, options: Assignment, rule_set: RuleSet
) -> list[str]:
    """IDs of the active rules whose constraint the decision breaks (none for a malicious element)."""
    if features.get("malicious") is True:
        return []
    scope = flat_scope(_scope(features, options))
    return [rule.id for rule, expr in rule_set.constraints_at(cp_name) if not truth(expr, scope)]


@dataclass(frozen=True)
class OptionVerdict:
    """One physically possible option at a choice point and the active rules it breaks (none: allowed)."""

    options: tuple[tuple[str, Value], ...]
    violates: tuple[str, ...]


@lru_cache(maxsize=65536)
def _possible(cp_name: str, features: tuple[tuple[str, Value], ...]) -> tuple[dict[str, Value], ...]:
    """The physically possible options in this state, whatever the rule set (computed once per state:
    the readings of a search are many rule sets over the same states)."""
    cp = CHOICE_POINTS[cp_name]
    feats = dict(features)
    return tuple(options for options in cp.option_space() if physically_possible(cp, feats, options))


@lru_cache(maxsize=65536)
def _evaluate(cp_name: str, features: tuple[tuple[str, Value], ...], rule_set: RuleSet) -> tuple[OptionVerdict, ...]:
    feats = dict(features)
    return tuple(
        OptionVerdict(tuple(options.items()), tuple(violated_rules(cp_name, feats, options, rule_set)))
        for options in _possible(cp_name, features)
    )


def evaluate_options(cp_name: str, features: Assignment, rule_set: RuleSet) -> tuple[OptionVerdict, ...]:
    """Every physically possible option in domain order, each with the active rules it breaks.

    The one evaluation of the rule table at a visit: the allowed options are those that break none
    (``allowed_options``), and the others name the rules that ruled them out (DESIGN.md, pybatfish steps).
    """
    names = (f.name for f in CHOICE_POINTS[cp_name].features)
    return _evaluate(cp_name, tuple(zip(names, feature_key(cp_name, features), strict=True)), rule_set)


def feature_key(cp_name: str, features: Assignment) -> tuple[Value, ...]:
    """The values of the choice point's features, in its order (KeyError naming any that is missing)."""
    cp = CHOICE_POINTS[cp_name]
    missing = [f.name for f in cp.features if f.name not in features]
    if missing:
        raise KeyError(f"choice point {cp_name}: features missing: {missing}")
    return tuple(features[f.name] for f in cp.features)


def allowed_options(cp_name: str, features: Assignment, rule_set: RuleSet) -> list[dict[str, Value]]:
    """Every option assignment the rule set allows at the choice point, in domain order."""
    return [dict(v.options) for v in evaluate_options(cp_name, features, rule_set) if not v.violates]


def preference_key(cp: ChoicePoint, features: Assignment, options: Assignment) -> tuple[bool, ...]:
    """How well an option meets the choice point's preferences (higher is preferred)."""
    scope = flat_scope(_scope(features, options))
    return tuple(truth(p, scope) for p in cp.prefer_exprs)


def choose_default(cp_name: str, features: Assignment, allowed: list[dict[str, Value]]) -> dict[str, Value]:
    """The fixed default chooser: the most preferred allowed option (first in domain order on ties)."""
    cp = CHOICE_POINTS[cp_name]
    best = max(range(len(allowed)), key=lambda i: (preference_key(cp, features, allowed[i]), -i))
    return allowed[best]


def check_tables() -> None:
    """Type-check every rule constraint, model constraint and preference against its choice point."""
    for cp in CHOICE_POINTS.values():
        for expr in cp.constraint_exprs + cp.prefer_exprs:
            check_formula(expr, cp.variables, {}, f"choice point {cp.name}")
    for rule in rules_with_literal():
        for cp_name, expr in rule.constraints.items():
            if cp_name not in CHOICE_POINTS:
                raise KeyError(f"rule {rule.id}: unknown choice point {cp_name}")
            check_formula(expr, CHOICE_POINTS[cp_name].variables, {}, f"rule {rule.id} at {cp_name}")

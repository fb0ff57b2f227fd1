"""Where one rule set allows an option that another forbids: one solver query per choice point.

For ``sipsmodel diff`` (issue 9 item 4): a state (features) and an option assignment that is
physically possible, allowed by every active constraint of set ``a`` and forbidden by some active
constraint of set ``b``. The constraints are the table's own expression trees compiled to Z3
(``smt.compile``), as the encoding compiles them; malicious elements are left out (no rule binds them).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import z3

from sipsmodel.model.expr import Value
from sipsmodel.rules.choicepoints import CHOICE_POINTS
from sipsmodel.rules.sets import RuleSet
from sipsmodel.smt.compile import SymScope, compile_formula, decode, domain_constraint, fresh, is_value

Term = Any


def _allowed_by(rule_set: RuleSet, cp_name: str, scope: SymScope) -> Term:
    return z3.And([compile_formula(expr, scope) for _, expr in rule_set.constraints_at(cp_name)])


def allowed_only_by(cp_name: str, a: RuleSet, b: RuleSet, seed: int = 0) -> tuple[dict[str, Value],
                                                                                  dict[str, Value]] | None:
    """``(features, options)`` that ``a`` allows and ``b`` forbids at ``cp_name``, or None when none."""
    cp = CHOICE_POINTS[cp_name]
    features = {f.name: fresh(f"perm!{cp_name}!{f.name}", f.domain) for f in cp.features}
    options = {o.name: fresh(f"perm!{cp_name}!opt!{o.name}", o.domain) for o in cp.options}
    scope = SymScope({**features, **options})
    solver = z3.Solver()
    solver.set("random_seed", seed)
    solver.add(*(domain_constraint(s) for s in (*features.values(), *options.values())))
    solver.add(*(compile_formula(c, scope) for c in cp.constraint_exprs))
    if "malicious" in features:
        solver.add(is_value(features["malicious"].domain, features["malicious"], False))
    solver.add(_allowed_by(a, cp_name, scope), z3.Not(_allowed_by(b, cp_name, scope)))
    if solver.check() != z3.sat:
        return None
    model = solver.model()
    return ({n: decode(model, s) for n, s in features.items()}, {n: decode(model, s) for n, s in options.items()})


def choice_point_names() -> Sequence[str]:
    """Every choice point, in table order."""
    return tuple(CHOICE_POINTS)

"""Choice point visits as symbolic instances: features, options, model constraints, tracked rules.

Theory of operation (DESIGN.md "One semantics, two engines"): every visit of a choice point in the
bounded scenario, and the single visit of an inductive step check, is a :class:`Visit`. Its features
are terms the caller wires to earlier state, its options are fresh variables, and :class:`Rules`
asserts, guarded by the visit's ``active`` literal, the choice point's model constraints and for every
rule ``Implies(rule_literal, Or(malicious, constraint))`` with ONE literal per rule ID shared by all
visits. Rules are read from ``sipsmodel.rules.table`` and choice points from
``sipsmodel.rules.choicepoints``: nothing is restated here. ``proxy_forward`` may find no allowed
option (docs/semantics.md, call step 2); :func:`some_option_allowed` gives that condition exactly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import z3

from sipsmodel.model.expr import Value
from sipsmodel.model.vocab import TRANSPORT
from sipsmodel.rules.choicepoints import CHOICE_POINTS, ChoicePoint
from sipsmodel.rules.readings import rules_with_literal
from sipsmodel.smt.compile import (
    Sym,
    SymScope,
    compile_formula,
    domain_constraint,
    fresh,
    is_value,
    simplified,
    value_term,
)

Term = Any

#: Transports a link of the bounded scenario may offer (the transport domain stays the full vocab one).
LINK_TRANSPORTS = ("UDP", "TCP", "TLS")


@cache
def rule_literal(rule_id: str) -> Term:
    """The one tracked literal of a rule, shared by every visit of every encoding."""
    return z3.Bool(f"rule!{rule_id}")


@dataclass
class Visit:
    """One symbolic visit of a choice point by an element."""

    cp: ChoicePoint
    element: int | Term
    occurrence: int
    active: Term
    features: dict[str, Sym]
    options: dict[str, Sym]
    label: str
    blocked: Term = field(default_factory=lambda: z3.BoolVal(False))
    segment: Any = None  # the topology segment it lies in (``sipsmodel.smt.topology.Segment``)
    link: Mapping[str, Term] | None = None  # the transports the hop's link offers (None: every one)

    def scope(self) -> SymScope:
        return SymScope({**self.features, **self.options})

    def honest_violation(self, constraint: Any) -> tuple[Term, Term]:
        """The conjuncts of "an honest element's choice here breaks ``constraint``" (a rule's expression for
        this choice point): the element is not malicious (no rule binds one), and the constraint is false."""
        malicious = self.features.get("malicious")
        honest = z3.Not(malicious.term) if malicious is not None else z3.BoolVal(True)
        return honest, z3.Not(compile_formula(constraint, self.scope()))


def _malicious(features: Mapping[str, Sym]) -> Term:
    """A visit is free of rules only when its choice point reads the ``malicious`` mark (rules/engine.py)."""
    sym = features.get("malicious")
    return sym.term if sym is not None else z3.BoolVal(False)


def _transport_on_link(transport: Sym, link: Mapping[str, Term]) -> Term:
    """The chosen transport is one the link offers (docs/semantics.md, Resolution)."""
    return z3.Or([z3.And(is_value(TRANSPORT, transport, t), link[t]) for t in LINK_TRANSPORTS])


def allowed(cp: ChoicePoint, scope: SymScope, features: Mapping[str, Sym], link: Mapping[str, Term] | None) -> Term:
    """Model constraints, link, and every rule of the table under its literal (the set picks literals)."""
    parts = [compile_formula(c, scope) for c in cp.constraint_exprs]
    if link is not None and "transport" in scope.variables:
        parts.append(_transport_on_link(scope.variables["transport"], link))
    malicious = _malicious(features)
    for rule in rules_with_literal():
        expr = rule.constraints.get(cp.name)
        if expr is not None:
            parts.append(z3.Implies(rule_literal(rule.id), z3.Or(malicious, compile_formula(expr, scope))))
    return z3.And(parts)


@cache
def _existence_template(cp_name: str) -> tuple[Term, tuple[tuple[str, Term], ...], tuple[Term, ...]]:
    """``exists options: allowed`` over placeholder features and link literals, by finite expansion."""
    cp = CHOICE_POINTS[cp_name]
    features = {f.name: fresh(f"tmpl!{cp_name}!{f.name}", f.domain) for f in cp.features}
    options = {o.name: fresh(f"tmpl!{cp_name}!opt!{o.name}", o.domain) for o in cp.options}
    link = {t: z3.Bool(f"tmpl!{cp_name}!link!{t}") for t in LINK_TRANSPORTS}
    body = allowed(cp, SymScope({**features, **options}), features, link)
    seen: dict[int, Term] = {}
    for combo in cp.option_space():
        if combo.get("transport", "UDP") not in LINK_TRANSPORTS:
            continue
        pairs = [(options[k].term, value_term(options[k].domain, v)) for k, v in combo.items()]
        case = simplified(z3.substitute(body, *pairs))
        if not z3.is_false(case):
            seen.setdefault(case.hash(), case)
    placeholders = tuple((name, sym.term) for name, sym in features.items())
    return z3.Or(list(seen.values())), placeholders, tuple(link[t] for t in LINK_TRANSPORTS)


def some_option_allowed(cp_name: str, features: Mapping[str, Sym], link: Mapping[str, Term]) -> Term:
    """True exactly when at least one option is physically possible and allowed by the rule literals."""
    template, placeholders, link_terms = _existence_template(cp_name)
    pairs = [(term, features[name].term) for name, term in placeholders]
    pairs += [(term, link[t]) for term, t in zip(link_terms, LINK_TRANSPORTS, strict=True)]
    return z3.substitute(template, *pairs)


class Rules:
    """Collects the guarded assertions of every visit of one encoding."""

    def __init__(self) -> None:
        self.assertions: list[Term] = []
        self.visits: list[Visit] = []
        self.segment: Any = None

    def visit(
        self,
        cp_name: str,
        element: int | Term,
        active: Term,
        features: Mapping[str, Sym],
        label: str,
        link: Mapping[str, Term] | None = None,
        fallback: Mapping[str, Value] | None = None,
    ) -> Visit:
        """Create a visit: fresh options, guarded model constraints and tracked rules.

        ``blocked`` holds exactly when no option is allowed (the simulator then records the visit with
        no choice and takes its fallback, sim/decide.py); ``fallback`` fixes the options in that case.
        """
        cp = CHOICE_POINTS[cp_name]
        missing = {f.name for f in cp.features} - set(features)
        if missing:
            raise KeyError(f"{label}: features missing at {cp_name}: {sorted(missing)}")
        options = {o.name: fresh(f"{label}!{o.name}", o.domain) for o in cp.options}
        visit = Visit(cp, element, len(self.visits), active, dict(features), options, label, segment=self.segment,
                      link=link)
        for sym in options.values():
            self.assertions.append(domain_constraint(sym))
        body = allowed(cp, visit.scope(), features, link)
        visit.blocked = z3.Bool(f"{label}!blocked")
        everywhere = {t: z3.BoolVal(True) for t in LINK_TRANSPORTS}
        exists = some_option_allowed(cp_name, features, link if link is not None else everywhere)
        self.assertions.append(visit.blocked == z3.And(active, z3.Not(exists)))
        self.assertions.append(z3.Implies(z3.And(active, z3.Not(visit.blocked)), body))
        if fallback:
            fixed = [is_value(options[n].domain, options[n], v) for n, v in fallback.items()]
            self.assertions.append(z3.Implies(visit.blocked, z3.And(fixed)))
        self.visits.append(visit)
        return visit

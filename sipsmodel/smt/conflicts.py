"""Does a candidate change contradict RFC 3261? Solver queries with witnesses (issue 8 item 4).

Theory of operation: every visit of a choice point in the bounded encoding (``sipsmodel.smt.encode``)
is a reachable state once its ``active`` literal holds under the base's rule literals. For a visit
``v`` and constraints ``X``, ``E(v, X)`` says that some option physically possible at ``v`` satisfies
``X`` (``some_option_allowed`` with every rule literal false, so only ``X`` and the model constraints
count); ``E_base(v, X)`` also requires the base's rules (their literals are assumed). For an added
rule ``R`` at choice point ``cp`` and a base rule ``B`` binding ``cp``:

- **MUST** conflict: some reachable ``v`` where the base leaves an option and ``R`` alone leaves one,
  but ``not E(v, {R, B})``: no option satisfies both.
- **SHOULD** conflict: the same query with ``B`` a SHOULD: every option ``R`` leaves goes against it.
- **permission** conflict (``sipsmodel.rules.permissions``): ``when`` holds at ``v``,
  ``E_base(v, {option})`` and ``not E_base(v, {R, option})``: the permitted option is gone.
- **combination**: ``not E_base(v, {R})`` although the base leaves an option; the base rules involved
  are named by a deletion loop.

``B`` is judged by every value put on the wire: a rule about the inserted Record-Route value
(``rr_out``) is also read for the second value of a double Record-Route (``rr_in``). A removed base
rule is a deletion; its witness is a state where the base without it allows an option it forbids.
A BCP-able addition's narrowing is a state where the base allows an option the rule forbids. Every
witness is decoded, replayed by the simulator under the base, and the conflicting visit located in
the replayed trace (a disagreement raises ModelDisagreement).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import z3

from sipsmodel.errors import ModelDisagreement
from sipsmodel.model.expr import Expr, Not, parse_expr
from sipsmodel.model.trace import Trace
from sipsmodel.rules.choicepoints import CHOICE_POINTS
from sipsmodel.rules.permissions import Permission, permissions_at
from sipsmodel.rules.rule import Rule
from sipsmodel.rules.sets import RuleSet
from sipsmodel.rules.table import RULES, RULES_BY_ID
from sipsmodel.smt.compile import SymScope, compile_formula, decode, domain_constraint, fresh
from sipsmodel.smt.encode import BoundedEncoding
from sipsmodel.smt.prove import DEFAULT_BOUND, shared_encoding
from sipsmodel.smt.solving import RLIMIT, active_rule_ids, assumptions, make_solver
from sipsmodel.smt.visits import LINK_TRANSPORTS, Visit, rule_literal, some_option_allowed

Term = Any
_EVERYWHERE = {t: z3.BoolVal(True) for t in LINK_TRANSPORTS}
#: Multi-valued wire elements: at a choice point, an option naming one inserted value, and the other
#: value(s) of the same header with the condition under which they are sent.
OTHER_VALUES: dict[str, dict[str, tuple[str, str]]] = {"proxy_forward": {"rr_out": ("rr_in", "rr == double")}}


@dataclass(frozen=True)
class Finding:
    """A witness state at a choice point: a conflict with ``target`` (or a narrowing when ``kind`` says so)."""

    target: str
    kind: str
    choice_point: str
    state: Mapping[str, Any]
    trace: Trace | None
    mark: int | None
    removed: tuple[Mapping[str, Any], ...] = ()
    note: str = ""


@dataclass(frozen=True)
class ChangeFindings:
    """Everything the queries found for one change; ``unknown`` lists checks z3 gave up on."""

    conflicts: tuple[Finding, ...]
    narrowings: tuple[Finding, ...]
    quiet: tuple[str, ...]
    unknown: tuple[str, ...]


def wire_readings(rule: Rule, cp: str) -> tuple[Expr, ...]:
    """The rule at ``cp`` read for every value it speaks of (the other values of a multi-valued header)."""
    text = rule.at[cp]
    readings = [rule.constraints[cp]]
    for name, (other, condition) in OTHER_VALUES.get(cp, {}).items():
        if re.search(rf"\b{name}\b", text):
            renamed = re.sub(rf"\b{name}\b", other, text)
            readings.append(parse_expr(f"{condition} -> ({renamed})", source=f"rule {rule.id} at {cp}, {other}"))
    return tuple(readings)


@cache
def _solver(max_bound: int) -> tuple[BoundedEncoding, Term]:
    encoding = shared_encoding(max_bound, False)
    solver = make_solver(60.0, 0)
    solver.add(*encoding.assertions)
    return encoding, solver


@cache
def _all_off() -> tuple[tuple[Term, Term], ...]:
    return tuple((rule_literal(r.id), z3.BoolVal(False)) for r in RULES)


def _exists(v: Visit, extra: tuple[Expr, ...], base_rules: bool) -> Term:
    term = some_option_allowed(v.cp.name, v.features, v.link if v.link is not None else _EVERYWHERE, extra)
    return term if base_rules else z3.substitute(term, *_all_off())


class ConflictSearch:
    """Queries for one base rule set and bound on the process's shared conflict solver."""

    def __init__(self, base: RuleSet, bound: int, timeout: float, seed: int, rlimit: int = RLIMIT) -> None:
        self.base, self.bound = base, bound
        self.encoding, self.solver = _solver(max(bound, DEFAULT_BOUND))
        self.solver.set("timeout", max(1, int(timeout * 1000)))
        self.solver.set("rlimit", rlimit)
        self.solver.set("random_seed", seed)
        self.unknown: list[str] = []

    def visits(self, cp: str) -> list[Visit]:
        return [v for v in self.encoding.topo.rules.visits if v.cp.name == cp]

    def witness(self, cp: str, condition: Any, active: Sequence[str], label: str) -> tuple[Visit, Term] | None:
        """A model where ``condition(v)`` holds at some visit of ``cp``, under the rules ``active``.

        A check on one unconstrained visit of ``cp`` (any features, any link) comes first: when even that
        is unsat, no reachable visit can satisfy the condition and the encoding is not asked.
        """
        visits = self.visits(cp)
        if not visits or _local_check(cp, condition, active) == z3.unsat:
            return None
        terms = [z3.And(v.active, condition(v)) for v in visits]
        self.solver.push()
        self.solver.add(z3.Or(terms))
        try:
            answer = self.solver.check(self.encoding.bound_literal(self.bound), *assumptions(active))
            if answer == z3.unknown:
                self.unknown.append(f"{label}: z3 {self.solver.reason_unknown()}")
                return None
            if answer != z3.sat:
                return None
            model = self.solver.model()
            hit = next(v for v, t in zip(visits, terms, strict=True) if z3.is_true(model.eval(t, True)))
            return hit, model
        finally:
            self.solver.pop()

    def finding(self, target: str, kind: str, cp: str, found: tuple[Visit, Term], rule_set: RuleSet,
                removed: tuple[Mapping[str, Any], ...] = (), note: str = "") -> Finding:
        """Decode the witness, replay it under ``rule_set``, and locate the state in the replayed trace."""
        from sipsmodel.sim import ScriptedChooser, simulate

        visit, model = found
        state = {name: decode(model, sym) for name, sym in visit.features.items()}
        scenario = self.encoding.decode(model, name=f"{kind}-{target}-{cp}")
        trace = simulate(scenario, rule_set, ScriptedChooser(scenario.script))
        decision = next((d for d in trace.decisions if d.choice_point == cp
                         and all(d.features.get(k) == v for k, v in state.items())), None)
        if decision is None:
            raise ModelDisagreement(
                f"{target} at {cp}: the solver's witness state {state} is not visited in the simulator's replay "
                f"of {scenario.name} under {rule_set.name}")
        return Finding(target, kind, cp, state, trace, decision.transmission, removed, note)


@cache
def _local_visit(cp_name: str) -> tuple[Visit, tuple[Term, ...]]:
    """One visit of ``cp_name`` with free features and a free link (over-approximates every reachable one)."""
    cp = CHOICE_POINTS[cp_name]
    features = {f.name: fresh(f"local!{cp_name}!{f.name}", f.domain) for f in cp.features}
    link = {t: z3.Bool(f"local!{cp_name}!link!{t}") for t in LINK_TRANSPORTS}
    visit = Visit(cp, 0, 0, z3.BoolVal(True), features, {}, f"local!{cp_name}", link=link)
    visit.blocked = z3.Not(some_option_allowed(cp_name, features, link))
    return visit, tuple(domain_constraint(sym) for sym in features.values())


def _local_check(cp_name: str, condition: Any, active: Sequence[str]) -> Any:
    visit, domains = _local_visit(cp_name)
    solver = z3.Solver()
    solver.set("timeout", 10_000)
    solver.add(*domains, condition(visit))
    return solver.check(*assumptions(active))


def _base_rules_at(base: RuleSet, cp: str, skip: str) -> list[Rule]:
    return [r for r in base.active if cp in r.constraints and r.id != skip]


def _kind(rule: Rule) -> str:
    return "should" if rule.is_should else "must"


def added_rule_findings(search: ConflictSearch, rule: Rule) -> ChangeFindings:
    """Conflicts of an added rule with the base's rules and permissions, else the choices it narrows."""
    base, active = search.base, active_rule_ids(search.base)
    conflicts: list[Finding] = []
    narrowings: list[Finding] = []
    quiet: list[str] = []
    for cp, mine in rule.constraints.items():
        found_here = False
        for target in _base_rules_at(base, cp, rule.id):
            for reading in wire_readings(target, cp):
                hit = search.witness(cp, _clashes(mine, reading), active, f"{rule.id} vs {target.id} at {cp}")
                if hit is not None:
                    conflicts.append(search.finding(target.id, _kind(target), cp, hit, base))
                    found_here = True
                    break
        for permission in permissions_at(cp):
            hit = search.witness(cp, _removes_permission(mine, permission), active,
                                 f"{rule.id} vs {permission.id} at {cp}")
            if hit is not None:
                conflicts.append(search.finding(permission.id, "permission", cp, hit, base))
                found_here = True
        if not found_here:
            conflicts += _combination(search, rule, cp, mine, active)
        narrowing = _narrowing(search, rule, cp, mine, active)
        if narrowing is None:
            quiet.append(cp)
        else:
            narrowings.append(narrowing)
    return ChangeFindings(tuple(conflicts), tuple(narrowings), tuple(quiet), tuple(search.unknown))


def _clashes(mine: Expr, reading: Expr) -> Any:
    def condition(v: Visit) -> Term:
        return z3.And(z3.Not(v.blocked), _exists(v, (mine,), False), z3.Not(_exists(v, (mine, reading), False)))
    return condition


def _removes_permission(mine: Expr, permission: Permission) -> Any:
    def condition(v: Visit) -> Term:
        when = compile_formula(permission.when_expr, SymScope(dict(v.features)))
        option = permission.option_expr
        return z3.And(z3.Not(v.blocked), when, _exists(v, (option,), True),
                      z3.Not(_exists(v, (mine, option), True)))
    return condition


def _combination(search: ConflictSearch, rule: Rule, cp: str, mine: Expr, active: Sequence[str]) -> list[Finding]:
    """A state where the rule leaves no option the whole base allows, though no single base rule clashes."""
    def condition(v: Visit) -> Term:
        return z3.And(z3.Not(v.blocked), _exists(v, (mine,), False), z3.Not(_exists(v, (mine,), True)))
    hit = search.witness(cp, condition, active, f"{rule.id} vs the base at {cp}")
    if hit is None:
        return []
    names = [r.id for r in _base_rules_at(search.base, cp, rule.id)]
    note = "no single base rule clashes; together: " + ", ".join(names)
    return [search.finding(names[0] if names else "(model)", "must", cp, hit, search.base, note=note)]


def _narrowing(search: ConflictSearch, rule: Rule, cp: str, mine: Expr, active: Sequence[str]) -> Finding | None:
    """A state where the base allows an option the rule forbids (None: the base already implies it)."""
    from sipsmodel.rules.engine import allowed_options

    def condition(v: Visit) -> Term:
        return z3.And(z3.Not(v.blocked), _exists(v, (Not(mine),), True))
    hit = search.witness(cp, condition, active, f"{rule.id} narrowing at {cp}")
    if hit is None:
        return None
    visit, model = hit
    state = {name: decode(model, sym) for name, sym in visit.features.items()}
    with_rule = RuleSet(f"{search.base.name}+{rule.id}", (*search.base.rule_ids, rule.id), search.base.should)
    kept = allowed_options(cp, state, with_rule)
    removed = tuple(o for o in allowed_options(cp, state, search.base) if o not in kept)
    return search.finding(rule.id, "narrowing", cp, hit, search.base, removed[:3])


def removed_rule_findings(search: ConflictSearch, rule: Rule) -> ChangeFindings:
    """A deletion always contradicts the base; the witness is a state where the rule was what bound."""
    without = search.base.without(rule.id)
    active = active_rule_ids(without)
    conflicts: list[Finding] = []
    quiet: list[str] = []
    for cp, expr in rule.constraints.items():
        def condition(v: Visit, expr: Expr = expr) -> Term:
            return z3.And(z3.Not(v.blocked), _exists(v, (Not(expr),), True))
        hit = search.witness(cp, condition, active, f"deleting {rule.id} at {cp}")
        if hit is None:
            quiet.append(cp)
        else:
            conflicts.append(search.finding(rule.id, "deletion", cp, hit, without))
    if not conflicts:
        conflicts.append(Finding(rule.id, "deletion", ", ".join(rule.constraints) or "-", {}, None, None,
                                 note="the rule never binds in the bounded family; deleting it is still a change "
                                      "to RFC 3261"))
    return ChangeFindings(tuple(conflicts), (), tuple(quiet), tuple(search.unknown))


def change_findings(rule_id: str, action: str, base: RuleSet, bound: int, *, timeout: float = 20.0,
                    seed: int = 0, rlimit: int = RLIMIT) -> ChangeFindings:
    """The conflict and narrowing witnesses of one change (``add`` or ``remove`` of ``rule_id``)."""
    search = ConflictSearch(base, bound, timeout, seed, rlimit)
    rule = RULES_BY_ID[rule_id]
    return added_rule_findings(search, rule) if action == "add" else removed_rule_findings(search, rule)

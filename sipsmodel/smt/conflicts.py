"""Does a candidate change contradict RFC 3261? Solver queries with witnesses (issue 8 item 4).

Theory of operation: every visit of a choice point in the bounded encoding (``sipsmodel.smt.encode``)
is a reachable state once its ``active`` literal holds under the base's rule literals (``blocked``
false: the base leaves an option there). ``E(v, rules, extras)`` says that some option physically
possible at visit ``v`` (its link included) meets exactly the given rules and extra constraints; it
is one template per choice point, expanded once over the option space, with the rule literals and
the extras' selectors set to constants per query. For an added rule ``R`` at choice point ``cp``:

- **MUST / SHOULD** conflict with a base rule ``B`` at ``cp``: some reachable ``v`` with
  ``E(v, {R})`` but not ``E(v, {R}, {wire(B)})``: no option meets both (for a SHOULD: every option
  ``R`` leaves goes against it), unless only the missing TLS leaves no option, that is some option
  would meet both at the same state with TLS to the next hop (``REFUSAL_CLAUSE`` in
  ``sipsmodel.rules.permissions``: the element then fails the request, as RFC 3261 fails any SIPS
  request toward a hop without TLS; the state is reported as a narrowing to refusal). SHOULDs of the base are
  met whatever the SHOULD mode. An added SHOULD yields to a base MUST where no option meets both
  (RFC 2119: a valid reason not to follow it): reported as ``yields``, not as a conflict.
- **permission** (``sipsmodel.rules.permissions``): ``when`` holds at ``v``, the base's MUST-level
  rules leave the permitted option (``E(v, musts, {option})``) and with ``R`` none is left. For a
  permission of kind ``local-policy`` the same witness is a narrowing of local policy (BCP-able).
- **combination**, when no single rule clashes: no option meets ``R`` and all the base rules at ``cp``
  together; the group is narrowed by deletion and each member named with the others.

``wire(B)`` judges ``B`` by every value put on the wire: a rule about the inserted Record-Route
value (``rr_out``) also reads the second value of a double Record-Route (``rr_in``). "No option"
means the element sends nothing (the simulator answers 480); that is a clash unless it is only for want of
TLS (see above). A removed base rule is
a deletion; its witness is a state where the base without it allows an option it forbids. A BCP-able
addition's narrowing is a state where the base allows an option the rule forbids; the absence of
every conflict query's witness is the check at every reachable state. A check on one unconstrained
visit comes first and spares the encoding when even that is unsat. Every witness is decoded,
replayed by the simulator under the base, and the conflicting visit located in the replayed trace (a
disagreement raises ModelDisagreement).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import z3

from sipsmodel.defaults import DEFAULT_BOUND, DEFAULT_SEED, DEFAULT_TIMEOUT, RLIMIT
from sipsmodel.errors import ModelDisagreement
from sipsmodel.model.expr import And, Expr, Not, parse_expr
from sipsmodel.model.trace import Decision, Trace
from sipsmodel.rules.choicepoints import CHOICE_POINTS
from sipsmodel.rules.permissions import REFUSAL_CLAUSE, REFUSAL_FEATURES, Permission, permissions_at
from sipsmodel.rules.readings import rules_with_literal
from sipsmodel.rules.rule import Rule
from sipsmodel.rules.sets import RuleSet
from sipsmodel.rules.table import RULES_BY_ID
from sipsmodel.smt.compile import SymScope, compile_formula, decode, domain_constraint, fresh, simplified, value_term
from sipsmodel.smt.encode import BoundedEncoding
from sipsmodel.smt.fresh import Limits, fresh_model
from sipsmodel.smt.prove import shared_encoding
from sipsmodel.smt.solving import active_rule_ids, assumptions, collector_paused, make_solver
from sipsmodel.smt.visits import LINK_TRANSPORTS, Visit, allowed, rule_literal, some_option_allowed

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
    yields: tuple[Finding, ...] = ()
    implied: tuple[str, ...] = ()  # superseded base rules the added rule implies: replacing them deletes nothing


def wire_reading(rule: Rule, cp: str) -> Expr:
    """The rule at ``cp`` read for every value it speaks of: each other value of a multi-valued header too."""
    text = rule.at[cp]
    readings = [rule.constraints[cp]]
    for name, (other, condition) in OTHER_VALUES.get(cp, {}).items():
        if re.search(rf"\b{name}\b", text):
            renamed = re.sub(rf"\b{name}\b", other, text)
            readings.append(parse_expr(f"{condition} -> ({renamed})", source=f"rule {rule.id} at {cp}, {other}"))
    return readings[0] if len(readings) == 1 else And(tuple(readings))


@cache
def _solver(max_bound: int) -> tuple[BoundedEncoding, Term]:
    encoding = shared_encoding(max_bound, False)
    solver = make_solver(60.0, 0)
    solver.add(*encoding.assertions)
    return encoding, solver


_PREPARED: set[int] = set()


def prepare_conflicts(bound: int) -> None:
    """Build the shared conflict solver for ``bound`` and every choice point's option template now, before
    the change jobs fork from this process (``sipsmodel.report.decide_run.change_job``): every child starts from
    the same state, and none rebuilds (or preprocesses) what the others need too."""
    if max(bound, DEFAULT_BOUND) in _PREPARED:
        return
    with collector_paused():
        _PREPARED.add(max(bound, DEFAULT_BOUND))
        encoding, solver = _solver(max(bound, DEFAULT_BOUND))
        # One check here, the same in every process: z3's preprocessing of the encoding is then done
        # once, not again in every change job's child (about a third of question 3's CPU time).
        solver.check(encoding.bound_literal(bound))
        for cp_name in sorted(CHOICE_POINTS):
            _selector_template(cp_name)
            _local_visit(cp_name)


def _extras(cp_name: str) -> dict[tuple[str, str], Expr]:
    """The constraints a query may switch on at ``cp_name`` besides the rules' own (by selector name)."""
    extras: dict[tuple[str, str], Expr] = {}
    for rule in rules_with_literal():  # a reading is never a candidate, so its selectors stay off
        if cp_name in rule.constraints:
            extras[("wire", rule.id)] = wire_reading(rule, cp_name)
            extras[("not", rule.id)] = Not(rule.constraints[cp_name])
    for permission in permissions_at(cp_name):
        extras[("perm", permission.id)] = permission.option_expr
    return extras


@cache
def _selector_template(cp_name: str) -> tuple[Term, dict[str, Term], dict[str, Term], dict[tuple[str, str], Term]]:
    """``exists options: allowed and (each selected extra)``, expanded once per choice point.

    Rules are switched by their literals (as in every visit), the extras of :func:`_extras` by selector
    Booleans; a query substitutes constants for both, then a visit's features and link.
    """
    cp = CHOICE_POINTS[cp_name]
    features = {f.name: fresh(f"sel!{cp_name}!{f.name}", f.domain) for f in cp.features}
    options = {o.name: fresh(f"sel!{cp_name}!opt!{o.name}", o.domain) for o in cp.options}
    link = {t: z3.Bool(f"sel!{cp_name}!link!{t}") for t in LINK_TRANSPORTS}
    scope = SymScope({**features, **options})
    selectors = {key: z3.Bool(f"sel!{cp_name}!{key[0]}!{key[1]}") for key in _extras(cp_name)}
    body = z3.And(allowed(cp, scope, features, link),
                  *[z3.Implies(selectors[key], compile_formula(e, scope)) for key, e in _extras(cp_name).items()])
    cases = []
    for combo in cp.option_space():
        if combo.get("transport", "UDP") not in LINK_TRANSPORTS:
            continue
        pairs = [(options[k].term, value_term(options[k].domain, v)) for k, v in combo.items()]
        case = simplified(z3.substitute(body, *pairs))
        if not z3.is_false(case):
            cases.append(case)
    return z3.Or(cases), {n: s.term for n, s in features.items()}, link, selectors


@cache
def _switched(cp_name: str, rules_on: frozenset[str], extras_on: frozenset[tuple[str, str]]) -> Term:
    """The template with the given rules and extras on and everything else off."""
    template, _, _, selectors = _selector_template(cp_name)
    pairs = [(rule_literal(r.id), z3.BoolVal(r.id in rules_on)) for r in rules_with_literal()]
    pairs += [(term, z3.BoolVal(key in extras_on)) for key, term in selectors.items()]
    return simplified(z3.substitute(template, *pairs))


def _exists(v: Visit, rules_on: Collection[str], extras_on: Collection[tuple[str, str]] = (), *,
            with_tls: bool = False) -> Term:
    """Some option at visit ``v`` is physically possible and meets the rules and extras switched on.

    ``with_tls``: the same state, were TLS available to the element and its next hop (every transport
    possible on the link): the ``REFUSAL_FEATURES`` set to True.
    """
    _, features, link, _ = _selector_template(v.cp.name)
    switched = _switched(v.cp.name, frozenset(rules_on), frozenset(extras_on))
    supported = set(REFUSAL_FEATURES) if with_tls else set()
    pairs = [(term, z3.BoolVal(True) if name in supported else v.features[name].term)
             for name, term in features.items()]
    visit_link = v.link if v.link is not None and not with_tls else _EVERYWHERE
    pairs += [(term, visit_link[t]) for t, term in link.items()]
    return z3.substitute(switched, *pairs)


class ConflictSearch:
    """Queries for one base rule set and bound on the process's shared conflict solver."""

    def __init__(self, base: RuleSet, bound: int, timeout: float, seed: int, rlimit: int = RLIMIT) -> None:
        self.base, self.bound = base, bound
        self.encoding, self.solver = _solver(max(bound, DEFAULT_BOUND))
        self.solver.set("timeout", max(1, int(timeout * 1000)))
        self.solver.set("rlimit", rlimit)
        self.solver.set("random_seed", seed)
        self.limits = Limits(seed, timeout, rlimit)
        self.unknown: list[str] = []
        self._model: Term = None  # the shared solver's model of the last satisfiable ``_sat`` query

    def visits(self, cp: str) -> list[Visit]:
        return [v for v in self.encoding.topo.rules.visits if v.cp.name == cp]

    def witness(self, cp: str, condition: Any, active: Sequence[str], label: str) -> tuple[Visit, Term] | None:
        """A model where ``condition(v)`` holds at some visit of ``cp``, under the rules ``active``.

        A check on one unconstrained visit of ``cp`` (any features, any link) comes first: when even that
        is unsat, no reachable visit can satisfy the condition and the encoding is not asked. The shared
        solver answers whether there is one; the model is read in a Z3 context of its own
        (``smt.fresh``), so the witness does not depend on what the process asked before (should that
        check give up, the shared solver's model is used).
        """
        met = self._sat(cp, condition, active, label)
        if met is None:
            return None
        query = [*self.encoding.assertions, z3.Or([t for _, t in met]), self.encoding.bound_literal(self.bound),
                 *assumptions(active)]
        found = fresh_model(query, self.limits)
        model = self._model if found is None else found
        return next(v for v, t in met if z3.is_true(model.eval(t, True))), model

    def exists(self, cp: str, condition: Any, active: Sequence[str], label: str) -> bool:
        """Whether some reachable visit of ``cp`` meets ``condition`` under ``active`` (``witness``'s answer
        without its model)."""
        return self._sat(cp, condition, active, label) is not None

    def _sat(self, cp: str, condition: Any, active: Sequence[str], label: str) -> list[tuple[Visit, Term]] | None:
        """Each visit of ``cp`` with its term of ``condition`` when the shared solver finds one satisfiable
        (its model kept in ``_model``), else None (an unknown answer is noted)."""
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
            self._model = self.solver.model()
            return list(zip(visits, terms, strict=True))
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
        return Finding(target, kind, cp, state, trace, _mark(trace, decision), removed, note)


def _mark(trace: Trace, decision: Decision) -> int | None:
    """The transmission a decision sent, or else the last one its element received before deciding.

    A recursion or retry decision sends nothing itself: its state came with the response that reached
    the element between the transmissions of the decisions before and after it.
    """
    if decision.transmission is not None:
        return decision.transmission
    before = [d.transmission for d in trace.decisions[:decision.index] if d.transmission is not None]
    after = [d.transmission for d in trace.decisions[decision.index + 1:] if d.transmission is not None]
    low, high = max(before, default=-1), min(after, default=len(trace.transmissions))
    received = [t.index for t in trace.transmissions if low < t.index < high and t.receiver == decision.element]
    return received[-1] if received else None


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
    """The base's rules at ``cp``, SHOULDs included whatever the SHOULD mode: the text is what a change meets."""
    return [r for r in base.rules if cp in r.constraints and r.id != skip]


def _kind(rule: Rule) -> str:
    return "should" if rule.is_should else "must"


Condition = Callable[[Visit], Term]


def refusable(v: Visit, rule: Rule, wires: Sequence[tuple[str, str]]) -> Term:
    """Only the missing TLS leaves no option meeting the rule and the wire readings at ``v``: with TLS to the
    next hop some option would (``REFUSAL_CLAUSE``). False at a choice point without TLS features."""
    if not all(name in v.features for name in REFUSAL_FEATURES):
        return z3.BoolVal(False)
    return _exists(v, [rule.id], wires, with_tls=True)


def _clashes(rule: Rule, group: Sequence[Rule], refusing: bool = False) -> Condition:
    """The base leaves an option, the rule alone leaves one, but none meets the rule and the group (wire readings),
    and not only for want of TLS (``refusing``: only for want of TLS, a narrowing to refusal)."""
    wires = [("wire", r.id) for r in group]

    def condition(v: Visit) -> Term:
        refuse = refusable(v, rule, wires)
        return z3.And(z3.Not(v.blocked), _exists(v, [rule.id]), z3.Not(_exists(v, [rule.id], wires)),
                      refuse if refusing else z3.Not(refuse))
    return condition


def _removes_permission(rule: Rule, permission: Permission, base_ids: Sequence[str]) -> Condition:
    """The permitted option is available under the base's requirements, and none is left with the rule added.

    ``base_ids`` are the base's MUST-level rules: a permission is what the text leaves allowed, and a
    SHOULD NOT leaves the opposite allowed even where honest elements follow it.
    """
    option = [("perm", permission.id)]

    def condition(v: Visit) -> Term:
        when = compile_formula(permission.when_expr, SymScope(dict(v.features)))
        return z3.And(z3.Not(v.blocked), when, _exists(v, base_ids, option),
                      z3.Not(_exists(v, [*base_ids, rule.id], option)))
    return condition


def _forbids(rule: Rule, base_ids: Sequence[str]) -> Condition:
    """The base (``base_ids``) allows an option that the rule forbids."""
    def condition(v: Visit) -> Term:
        return z3.And(z3.Not(v.blocked), _exists(v, base_ids, [("not", rule.id)]))
    return condition


def added_rule_findings(search: ConflictSearch, rule: Rule, original: ConflictSearch | None = None) -> ChangeFindings:
    """Conflicts of an added rule with the base's rules and permissions, else the choices it narrows.

    ``original``: the search on the unchanged base when ``search`` reads the base without the rules the
    added one supersedes; the narrowings are then what the unchanged base allows and the rule forbids.
    """
    base, active = search.base, active_rule_ids(search.base)
    conflicts: list[Finding] = []
    narrowings: list[Finding] = []
    yields: list[Finding] = []
    quiet: list[str] = []
    for cp in rule.constraints:
        found_here = False
        for target in _base_rules_at(base, cp, rule.id):
            hit = search.witness(cp, _clashes(rule, [target]), active, f"{rule.id} vs {target.id} at {cp}")
            if hit is not None:
                found = search.finding(target.id, _kind(target), cp, hit, base)
                (yields if _yields(rule, [target]) else conflicts).append(found)
                found_here = True
        found_here |= _permission_findings(search, rule, cp, active, conflicts, narrowings)
        if not found_here:
            for found in _combination(search, rule, cp, active):
                (yields if found.note.startswith(_YIELDS) else conflicts).append(found)
        narrowings += _refusal(search, rule, cp, active)
        unchanged = original or search
        narrowing = _narrowing(unchanged, rule, cp, active_rule_ids(unchanged.base))
        if narrowing is None:
            quiet.append(cp)
        else:
            narrowings.append(narrowing)
    return ChangeFindings(tuple(conflicts), tuple(narrowings), tuple(quiet), tuple(search.unknown), tuple(yields))


_YIELDS = "yields: "


def _yields(rule: Rule, group: Sequence[Rule]) -> bool:
    """An added SHOULD yields to base MUSTs that leave no option meeting it: RFC 2119 counts them a valid reason."""
    return rule.is_should and not any(r.is_should for r in group)


def _permission_findings(search: ConflictSearch, rule: Rule, cp: str, active: Sequence[str],
                         conflicts: list[Finding], narrowings: list[Finding]) -> bool:
    """Permissions the rule removes: a conflict, or for local policy a narrowing. True when a conflict was found."""
    musts = [i for i in active if not RULES_BY_ID[i].is_should]
    found_here = False
    for permission in permissions_at(cp):
        hit = search.witness(cp, _removes_permission(rule, permission, musts), active,
                             f"{rule.id} vs {permission.id} at {cp}")
        if hit is None:
            continue
        if permission.kind == "local-policy":
            narrowings.append(search.finding(permission.id, "local-policy", cp, hit, search.base))
        else:
            conflicts.append(search.finding(permission.id, "permission", cp, hit, search.base))
            found_here = True
    return found_here


def _refusal(search: ConflictSearch, rule: Rule, cp: str, active: Sequence[str]) -> list[Finding]:
    """A state where the rule and the base leave no option but RFC 3261 lets the element refuse: it narrows to
    refusal (the element fails the branch, as the base lets it), which contradicts nothing."""
    group = _base_rules_at(search.base, cp, rule.id)
    if not group or not {f.name for f in CHOICE_POINTS[cp].features} >= set(REFUSAL_FEATURES):
        return []
    hit = search.witness(cp, _clashes(rule, group, refusing=True), active, f"{rule.id} refusal at {cp}")
    if hit is None:
        return []
    return [search.finding(rule.id, "refusal", cp, hit, search.base, note=REFUSAL_CLAUSE)]


def _combination(search: ConflictSearch, rule: Rule, cp: str, active: Sequence[str]) -> list[Finding]:
    """A state where no option meets the rule and the base rules together (each read on every wire value).

    The base rules involved are narrowed by deletion (in table order) to a minimal group that still
    leaves no option at some reachable state; each member is reported, with the others named.
    """
    group = _base_rules_at(search.base, cp, rule.id)
    label = f"{rule.id} vs the base at {cp}"
    if not search.exists(cp, _clashes(rule, group), active, label):
        return []
    for member in list(group):
        trial = [r for r in group if r is not member]
        if search.exists(cp, _clashes(rule, trial), active, label):
            group = trial
    hit = search.witness(cp, _clashes(rule, group), active, label)
    if hit is None:  # the same query just answered sat: only a solver that gave up (noted) lands here
        return []
    kind = "should" if any(r.is_should for r in group) else "must"
    prefix = _YIELDS if _yields(rule, group) else ""
    found = []
    for member in group:
        others = ", ".join(r.id for r in group if r is not member)
        note = f"together with {others}: no option meets all of them and the change" if others else ""
        found.append(search.finding(member.id, kind, cp, hit, search.base, note=prefix + note))
    return found


def _narrowing(search: ConflictSearch, rule: Rule, cp: str, active: Sequence[str]) -> Finding | None:
    """A state where the base allows an option the rule forbids (None: the base already implies it)."""
    from sipsmodel.rules.engine import allowed_options

    hit = search.witness(cp, _forbids(rule, active), active, f"{rule.id} narrowing at {cp}")
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
    for cp in rule.constraints:
        hit = search.witness(cp, _forbids(rule, active), active, f"deleting {rule.id} at {cp}")
        if hit is None:
            quiet.append(cp)
        else:
            conflicts.append(search.finding(rule.id, "deletion", cp, hit, without))
    if not conflicts:
        conflicts.append(Finding(rule.id, "deletion", ", ".join(rule.constraints) or "-", {}, None, None,
                                 note="the rule never binds in the bounded family; deleting it is still a change "
                                      "to RFC 3261"))
    return ChangeFindings(tuple(conflicts), (), tuple(quiet), tuple(search.unknown))


def _allows_what_it_forbade(rule: Rule, old: Rule, active: Sequence[str]) -> Condition:
    """The base (``active``, without ``old``) with ``rule`` applied at the state allows an option ``old`` forbids."""
    def condition(v: Visit) -> Term:
        return z3.And(z3.Not(v.blocked), _exists(v, [*active, rule.id], [("not", old.id)]))
    return condition


def superseded_findings(search: ConflictSearch, rule: Rule, replaced: Sequence[str]) -> tuple[list[Finding], list[str]]:
    """The base rules an added rule supersedes, judged as what applying it does: remove them, add it.

    ``search`` reads the base without them. For each superseded rule ``O`` and each choice point of
    ``O``: a reachable state (as for every conflict: reachable under the base, the change applied at
    the state) where the base without ``O``, with the rule, allows an option ``O`` forbids. Such a
    witness shows ``O`` deleted, not only restated: a base rule must be deleted, so the change needs
    standards track (the issue's test; RFC 5630 Appendix A deleting the 16.7 rewrite is the example).
    Its flow is replayed under the base without ``O``. Where no state has one, the rule implies ``O``
    wherever ``O`` speaks: superseding it deletes nothing (a SHOULD made a MUST narrows), and ``O`` is
    returned as implied.
    """
    active = active_rule_ids(search.base)
    deletions: list[Finding] = []
    implied: list[str] = []
    for old_id in replaced:
        old = RULES_BY_ID[old_id]
        found = [search.finding(old_id, "deletion", cp, hit, search.base,
                                note=f"superseded by {rule.id}, which lets an element do what {old_id} forbids: "
                                     f"{old_id} is deleted, not only restated")
                 for cp in old.constraints
                 if (hit := search.witness(cp, _allows_what_it_forbade(rule, old, active), active,
                                           f"{rule.id} in place of {old_id} at {cp}")) is not None]
        deletions += found
        if not found:
            implied.append(old_id)
    return deletions, implied


def change_findings(rule_id: str, action: str, base: RuleSet, bound: int, *, timeout: float = DEFAULT_TIMEOUT,
                    seed: int = DEFAULT_SEED, rlimit: int = RLIMIT) -> ChangeFindings:
    """The conflict and narrowing witnesses of one change (``add`` or ``remove`` of ``rule_id``).

    An addition that supersedes base rules is what the documents make of it (and what the minimal sets
    apply, ``sipsmodel.smt.fixes``): the superseded rules removed and the rule added. It is judged by its
    conflicts with the rest of the base, and each superseded rule it does not imply is a deletion
    (:func:`superseded_findings`).
    """
    search = ConflictSearch(base, bound, timeout, seed, rlimit)
    rule = RULES_BY_ID[rule_id]
    if action != "add":
        return removed_rule_findings(search, rule)
    replaced = [i for i in rule.supersedes if i in base.rule_ids]
    if not replaced:
        return added_rule_findings(search, rule)
    rest = ConflictSearch(base.without(*replaced), bound, timeout, seed, rlimit)
    found = added_rule_findings(rest, rule, original=search)
    deletions, implied = superseded_findings(rest, rule, replaced)
    return ChangeFindings((*deletions, *found.conflicts), found.narrowings, found.quiet,
                          (*search.unknown, *rest.unknown), found.yields, tuple(implied))

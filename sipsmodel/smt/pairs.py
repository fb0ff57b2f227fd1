"""Witness pairs as one solver query: two runs of one scenario (issue 9, docs/ambiguities.md "Flips").

Theory of operation: the bounded encoding (``sipsmodel.smt.encode``) is laid out twice in one query.
Run A uses the encoding's own terms; run B is the same encoding with every constant renamed except the
scenario's environment (the elements, links, registrations, policies and the call: whatever
``decode_scenario`` reads outside the script), so both runs play the same scenario. The query asks for:

* A under the failing rule set violating the property, B under the holding rule set satisfying it;
* a first differing visit ``c`` at one of the named choice points (both runs active there, different
  options; A breaks ``breaks`` there when given), every visit decided before ``c`` taking the same
  options in both runs (so both runs make the same transmissions up to the choice);
* non-vacuity: the transmission that shows A's violation (``locate_violation``: the witness hop, the
  forward's outgoing hop, the retry's next request, the dialog's request, else A's last transmission)
  comes before the choice, or B makes, after the choice, a message of the same kind received by an
  element of the same role (``decide.witness.reaches_the_point``).

Every pair the replayed definition accepts satisfies the query (the query over-approximates: any
violating record may stand for the first, and "after the choice" counts from the transmissions before
the choice rather than from the first differing one), so ``unsat`` means no non-vacuous pair exists
within the bound with its first difference at those choice points. A ``sat`` answer is replayed and
checked by the caller (``decide.witness``); an answer the replay rejects is blocked and the query asked
again. Every query runs in a fresh Z3 context (its terms translated there), so its answer depends on the
query alone, never on what the process asked before.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import z3

from sipsmodel.defaults import DEFAULT_BOUND, DEFAULT_SEED, RLIMIT
from sipsmodel.model.expr import Expr, Implies, Quant
from sipsmodel.model.scenario import Scenario
from sipsmodel.model.vocab import KIND, ROLE
from sipsmodel.props import Property
from sipsmodel.rules.rule import Rule
from sipsmodel.rules.sets import RuleSet
from sipsmodel.smt.compile import SymRecord, SymScope, compile_formula, const
from sipsmodel.smt.decode import decode_scenario, script
from sipsmodel.smt.encode import BoundedEncoding
from sipsmodel.smt.prove import shared_encoding, violated
from sipsmodel.smt.solving import active_rule_ids, assumptions, collector_paused, configured
from sipsmodel.smt.terms import and_, eq, or_
from sipsmodel.smt.topology import BASE, Segment
from sipsmodel.smt.verdict import WITNESS_TIMEOUT
from sipsmodel.smt.visits import Visit

Term = Any
#: A choice's selectors, the slots run A (B) makes before it, its assertions, and "the runs take the same
#: options at every other visit both make" (``_choice``).
Choice = tuple[list[Term], list[Term], list[Term], list[Term], Term]

#: The deterministic resource limit of a two-run query (two copies of the encoding: four times a cell's).
PAIR_RLIMIT = 4 * RLIMIT
#: The choice points whose visits make the ``retries`` records, in the encoding's order.
_RETRY_POINTS = ("proxy_recurse", "uac_retry")


def _constants(roots: Sequence[Term]) -> list[Term]:
    """Every uninterpreted constant under ``roots``, in first-seen order (a walk over z3's C API: the
    encoding has about a quarter of a million arguments, and a Python wrapper per argument took seconds)."""
    ctx = roots[0].ctx
    ref = ctx.ref()
    seen: set[int] = set()
    found: dict[int, Any] = {}
    stack = [root.as_ast() for root in reversed(roots)]
    while stack:
        ast = stack.pop()
        ident = z3.Z3_get_ast_id(ref, ast)
        if ident in seen:
            continue
        seen.add(ident)
        kind = z3.Z3_get_ast_kind(ref, ast)
        if kind == z3.Z3_QUANTIFIER_AST:
            stack.append(z3.Z3_get_quantifier_body(ref, ast))
            continue
        if kind != z3.Z3_APP_AST:
            continue
        app = z3.Z3_to_app(ref, ast)
        count = z3.Z3_get_app_num_args(ref, app)
        if count == 0:
            if z3.Z3_get_decl_kind(ref, z3.Z3_get_app_decl(ref, app)) == z3.Z3_OP_UNINTERPRETED:
                found[ident] = ast
            continue
        stack.extend(z3.Z3_get_app_arg(ref, app, i) for i in reversed(range(count)))
    return [z3.z3._to_expr_ref(ast, ctx) for ast in found.values()]


class _Everything:
    """A stand-in model under which every element, link, registration and option is present (every
    Boolean true), so ``decode_scenario`` reads every environment term; it notes what it is asked."""

    def __init__(self) -> None:
        self.terms: list[Term] = []

    def eval(self, term: Term, model_completion: bool = False) -> Term:
        self.terms.append(term)
        sort = term.sort()
        if sort.kind() == z3.Z3_BOOL_SORT:
            return z3.BoolVal(True)
        if sort.kind() == z3.Z3_INT_SORT:
            return z3.IntVal(0)
        return sort.constructor(0)()


class _Renamed:
    """Run B's view of a model: every term is renamed before it is evaluated."""

    def __init__(self, model: Term, product: Product) -> None:
        self.model, self.product = model, product

    def eval(self, term: Term, model_completion: bool = False) -> Term:
        return self.model.eval(self.product.rename(term), model_completion=model_completion)


@dataclass
class Product:
    """The encoding and its renamed copy (run B), built once per process and bound."""

    encoding: BoundedEncoding
    pairs: list[tuple[Term, Term]]
    renamed_assertions: Term
    environment: list[Term]
    slot_index: list[Term] = field(default_factory=list)
    violations: dict[tuple[str, str], list[tuple[Term, int]]] = field(default_factory=dict)
    choices: dict[tuple[tuple[str, ...], str | None], Choice] = field(default_factory=dict)
    #: B's counterpart of the violating transmission, by the ``before_b`` list of a cached choice
    counterparts: dict[int, Term] = field(default_factory=dict)
    sames: dict[str, Term] = field(default_factory=dict)  # ``_same`` per visit label

    def rename(self, term: Term) -> Term:
        """``term`` in run B (the environment's constants stay); memoised, since one substitution call
        reads every renamed constant and the queries rename the same small terms many times."""
        if not hasattr(self, "_memo"):
            self._memo: dict[int, tuple[Term, Term]] = {}
        ident = term.get_id()
        if ident not in self._memo:  # the term is kept alive with its copy, so its id is not reused
            self._memo[ident] = (term, self._substitute(term))
        return self._memo[ident][1]

    def _substitute(self, term: Term) -> Term:
        n = len(self.pairs)
        if not hasattr(self, "_arrays"):
            sources, targets = (z3.Ast * n)(), (z3.Ast * n)()
            for i, (a, b) in enumerate(self.pairs):
                sources[i], targets[i] = a.as_ast(), b.as_ast()
            self._arrays = (sources, targets)
        sources, targets = self._arrays
        return z3.z3._to_expr_ref(z3.Z3_substitute(term.ctx.ref(), term.as_ast(), n, sources, targets), term.ctx)


_PRODUCTS: dict[int, Product] = {}


def _environment(encoding: BoundedEncoding) -> list[Term]:
    """The constants ``decode_scenario`` reads outside the script: the scenario both runs share."""
    everything, scripted = _Everything(), _Everything()
    decode_scenario(encoding, everything, "environment")
    script(encoding, scripted)
    read = everything.terms[:len(everything.terms) - len(scripted.terms)]  # decode_scenario reads the script last
    return _constants(read)


def product(bound: int) -> Product:
    """The shared product of the encoding for ``bound`` (built once per process)."""
    encoding = shared_encoding(max(bound, DEFAULT_BOUND), False)
    key = id(encoding)
    if key not in _PRODUCTS:
        env_terms = _environment(encoding)
        env = {c.get_id() for c in env_terms}
        roots = [*encoding.assertions, *(r.active for rs in encoding.collections.values() for r in rs),
                 *(s.term for rs in encoding.collections.values() for r in rs for s in r.values.values())]
        consts = [c for c in _constants(roots) if c.get_id() not in env and not str(c).startswith("bound<=")]
        pairs = [(c, z3.Const(f"B!{c}", c.sort())) for c in consts]
        made = Product(encoding, pairs, z3.BoolVal(True), env_terms)
        made.renamed_assertions = made.rename(z3.And(encoding.assertions))
        made.slot_index = [r.values["index"].term for r in encoding.collections["hops"]]
        _PRODUCTS[key] = made
    return _PRODUCTS[key]


def prepare_product(bound: int) -> None:
    """Build the shared encoding and its product now, before a worker's first search
    (``report.ambiguities_run``); the collector runs first and not during the build, as ``prepare_encoding``."""
    encoding = shared_encoding(max(bound, DEFAULT_BOUND), False)
    if id(encoding) in _PRODUCTS:
        return
    with collector_paused():
        product(bound)


# --- the violating transmission -------------------------------------------------------------------


def _witnesses(expr: Expr, scope: SymScope) -> list[tuple[Term, list[tuple[str, SymRecord]]]]:
    """Every record chain that may be the witness of a violation (``props.evaluate._witness``)."""
    if isinstance(expr, Quant) and expr.kind == "forall":
        out: list[tuple[Term, list[tuple[str, SymRecord]]]] = []
        for record in scope.collections[expr.collection]:
            inner = scope.bind(expr.var, record)
            where = compile_formula(expr.where, inner) if expr.where is not None else z3.BoolVal(True)
            fails = z3.And(record.active, where, z3.Not(compile_formula(expr.body, inner)))
            deeper = _witnesses(expr.body, inner)
            out += [(z3.And(fails, c), [(expr.collection, record), *chain]) for c, chain in deeper] or \
                [(fails, [(expr.collection, record)])]
        return out
    if isinstance(expr, Implies):
        left = compile_formula(expr.left, scope)
        return [(z3.And(left, c), chain) for c, chain in _witnesses(expr.right, scope)]
    return []


def _segment(item: Any) -> Segment:
    return item.segment or BASE


#: ``_rank_below`` per pair of segments (by identity; the segments live as long as their encoding).
_RANKS: dict[tuple[int, int], tuple[Segment, Segment, bool | Term]] = {}


def _rank_below(a: Segment, b: Segment) -> bool | Term:
    """Segment ``a`` comes before segment ``b``: a Python bool when both ranks are constants."""
    if isinstance(a.rank, int) and isinstance(b.rank, int):
        return a.rank < b.rank
    key = (id(a), id(b))
    if key not in _RANKS:  # the segments are kept with the answer, so their ids are not reused
        _RANKS[key] = (a, b, z3.IntVal(a.rank) < b.rank if isinstance(a.rank, int) else a.rank < b.rank)
    return _RANKS[key][2]


def _slot_before(slot: Any, visit: Visit) -> bool | Term:
    """The slot's transmission is made before the visit decides (run order; a bool within a segment)."""
    if _segment(slot) is _segment(visit):
        return bool(slot.after_visits <= visit.occurrence)
    return _rank_below(_segment(slot), _segment(visit))


def _visit_before(w: Visit, c: Visit) -> bool | Term:
    """Visit ``w`` decides before visit ``c`` (run order; a bool within a segment)."""
    if _segment(w) is _segment(c):
        return bool(w.occurrence < c.occurrence)
    return _rank_below(_segment(w), _segment(c))


def _as_int(x: Term | int) -> Term:
    return z3.IntVal(x) if isinstance(x, int) else x


def _transmissions(made: Product, chain: list[tuple[str, SymRecord]], cond: Term) -> Iterator[tuple[Term, int]]:
    """(condition, slot number) for each transmission that may show a violation witnessed by ``chain``."""
    encoding = made.encoding
    slots = encoding.topo.slots
    hops = encoding.collections["hops"]
    for collection, record in chain:
        if collection == "hops":
            yield cond, next(i for i, h in enumerate(hops) if h is record)
            return
        if collection == "forwards":
            n = next(i for i, f in enumerate(encoding.collections["forwards"]) if f is record)
            outgoing = encoding.forwards[n].outgoing
            assert outgoing is not None
            yield cond, next(i for i, s in enumerate(slots) if s is outgoing.slot)
            return
    for collection, record in chain:
        if collection == "retries":
            n = next(i for i, r in enumerate(encoding.collections["retries"]) if r is record)
            visit = [v for v in encoding.topo.rules.visits if v.cp.name in _RETRY_POINTS][n]
            for i, s in enumerate(slots):  # a transmission of the same element after the decision
                yield z3.And(cond, s.active, _as_int(s.sender) == _as_int(visit.element),
                             z3.Not(_slot_before(s, visit))), i
            return
        if collection == "dialogs":  # the request's hop to a UA, as ``props.locate_violation`` shows it
            for i, s in enumerate(slots):
                h = hops[i].values
                yield z3.And(cond, s.active, h["kind"].term == const(KIND, "request").term,
                             h["request"].term == record.values["request"].term, _is_ua(h["receiver"].term)), i
            return
    total = z3.Sum([z3.If(s.active, 1, 0) for s in slots])
    for i, s in enumerate(slots):  # no transmission in the witness: the flow's last one
        yield z3.And(cond, s.active, made.slot_index[i] == total - 1), i


def _is_ua(role: Term) -> Term:
    return z3.Or([role == const(ROLE, r).term for r in ("ua", "redirect", "gateway")])


def _kind_terms(made: Product, i: int, renamed: bool) -> tuple[Term, ...]:
    """The kind of slot ``i``'s message (kind, method, status), its receiver's class and its index."""
    h = made.encoding.collections["hops"][i].values
    terms = (h["kind"].term, h["method"].term, h["status"].term, _is_ua(h["receiver"].term))
    return tuple(made.rename(t) for t in terms) if renamed else terms


def _non_vacuous(made: Product, prop: Property, before: list[Term], before_b: list[Term]) -> list[Term]:
    """Assertions: A's violating transmission comes before the choice, or B has a counterpart after it.

    ``before[i]`` (``before_b[i]``): slot ``i``'s transmission is made before the choice in run A (B).
    """
    encoding = made.encoding
    scope = SymScope(collections=encoding.collections)
    kind, method, status = (z3.Const("pair!v!kind", const(KIND, "request").term.sort()),
                            z3.Const("pair!v!method", encoding.collections["hops"][0].values["method"].term.sort()),
                            z3.Int("pair!v!status"))
    ua, early = z3.Bool("pair!v!ua"), z3.Bool("pair!v!before")
    key = (prop.id, prop.formula_text)
    if key not in made.violations:  # compiled once per property: the queries differ in the choice only
        made.violations[key] = [(when, i) for cond, chain in _witnesses(prop.formula, scope)
                                for when, i in _transmissions(made, chain, cond)]
    picks = []
    for when, i in made.violations[key]:
        k, m, s, u = _kind_terms(made, i, False)
        picks.append(and_([when, eq(kind, k), eq(method, m), eq(status, s), eq(ua, u), eq(early, before[i])]))
    if id(before_b) not in made.counterparts:  # per choice (its cached ``before_b``), not per property
        counterparts = []
        is_request = kind == const(KIND, "request").term
        for i, slot in enumerate(encoding.topo.slots):
            k, m, s, u = _kind_terms(made, i, True)
            counterparts.append(and_([made.rename(slot.active), z3.Not(before_b[i]), eq(k, kind), eq(m, method),
                                      or_([is_request, eq(s, status)]), eq(u, ua)]))
        made.counterparts[id(before_b)] = z3.Or(early, *counterparts)
    return [z3.Or(picks) if picks else z3.BoolVal(True), made.counterparts[id(before_b)]]


# --- the choice ----------------------------------------------------------------------------------


def _differs(made: Product, v: Visit) -> Term:
    return z3.Or([sym.term != made.rename(sym.term) for sym in v.options.values()] or [z3.BoolVal(False)])


def _same(made: Product, v: Visit) -> Term:
    """Both runs make the visit alike (active, blocked, options), built once per visit."""
    if v.label not in made.sames:
        same = [sym.term == made.rename(sym.term) for sym in v.options.values()]
        made.sames[v.label] = z3.And(v.active == made.rename(v.active), v.blocked == made.rename(v.blocked), *same)
    return made.sames[v.label]


def _breaks(v: Visit, rule: Rule | None) -> Term:
    """An honest element breaks ``rule`` at ``v`` (True without a rule)."""
    if rule is None:
        return z3.BoolVal(True)
    expr = rule.constraints.get(v.cp.name)
    if expr is None:
        return z3.BoolVal(False)
    return z3.And(*v.honest_violation(expr))


def _choice(made: Product, points: Sequence[str], rule: Rule | None) -> Choice:
    """Selectors of the first differing visit, and for each slot whether run A (B) makes it before that
    visit decides, with the assertions: one selected visit, where the runs differ, and every visit
    decided before it taking the same options in both runs (built once per product, points and rule:
    the same terms, so the same query, whatever was asked before)."""
    key = (tuple(points), None if rule is None else rule.id)
    if key not in made.choices:
        made.choices[key] = _new_choice(made, points, rule)
    return made.choices[key]


def _new_choice(made: Product, points: Sequence[str], rule: Rule | None) -> Choice:
    visits = made.encoding.topo.rules.visits
    candidates = [v for v in visits if v.cp.name in points and v.options]
    sels = [z3.Bool(f"pair!first!{v.label}") for v in candidates]
    out = [z3.PbEq([(s, 1) for s in sels], 1)] if sels else [z3.BoolVal(False)]
    for s, v in zip(sels, candidates, strict=True):
        out.append(z3.Implies(s, z3.And(v.active, made.rename(v.active), z3.Not(v.blocked),
                                        z3.Not(made.rename(v.blocked)), _differs(made, v), _breaks(v, rule))))

    def before(order: Any, item: Any, renamed: bool) -> Term:
        terms, ranked = [], False
        for s, v in zip(sels, candidates, strict=True):
            when = order(item, v)  # a Python bool within a segment: kept out of the query
            if when is True:
                terms.append(s)
            elif when is not False:
                terms.append(and_([s, when]))
                ranked = True
        either = z3.Or(terms) if terms else z3.BoolVal(False)
        return made.rename(either) if renamed and ranked else either  # selectors are not renamed

    for w in visits:
        earlier = or_([and_([w.active, before(_visit_before, w, False)]),
                       and_([made.rename(w.active), before(_visit_before, w, True)])])
        out.append(z3.Implies(earlier, _same(made, w)))
    slots = made.encoding.topo.slots
    chosen = {v.label: s for s, v in zip(sels, candidates, strict=True)}
    alike = z3.And([z3.Implies(z3.And(w.active, made.rename(w.active), z3.Not(chosen.get(w.label, False))),
                               z3.And([sym.term == made.rename(sym.term) for sym in w.options.values()]))
                    for w in visits if w.options])
    return (sels, [before(_slot_before, s, False) for s in slots], [before(_slot_before, s, True) for s in slots], out,
            alike)


# --- the query -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PairQuery:
    """What one witness-pair query asks (see the module docstring)."""

    prop: Property
    failing: RuleSet
    holding: RuleSet
    points: tuple[str, ...]
    breaks: Rule | None = None
    bound: int = DEFAULT_BOUND


@dataclass(frozen=True)
class PairAnswer:
    """``sat`` with the two decoded scenarios (same elements, each run's script), ``unsat`` or ``unknown``."""

    status: str
    failing: Scenario | None = None
    holding: Scenario | None = None
    reason: str = ""


class PairSearch:
    """One witness-pair query in a Z3 context of its own; ``next()`` answers, ``block()`` excludes a pair."""

    def __init__(self, query: PairQuery, timeout: float = WITNESS_TIMEOUT, seed: int = DEFAULT_SEED,
                 rlimit: int = PAIR_RLIMIT) -> None:
        self.query = query
        made = product(query.bound)
        self.made = made
        encoding = made.encoding
        fails = violated(query.prop, encoding)
        sels, before, before_b, choice, alike = _choice(made, query.points, query.breaks)
        self.sels = sels
        facts = [*encoding.assertions, made.renamed_assertions, fails, made.rename(z3.Not(fails)), *choice,
                 *_non_vacuous(made, query.prop, before, before_b)]
        self.assumed = [encoding.bound_literal(query.bound), *assumptions(active_rule_ids(query.failing)),
                        *(made.rename(a) for a in assumptions(active_rule_ids(query.holding)))]
        self.ctx = z3.Context()
        # no preprocessing (as ``smt.fresh``): the query is checked once or a few times
        self.solver = configured(z3.SimpleSolver(ctx=self.ctx), timeout, seed, rlimit)
        self.solver.add(z3.And(facts).translate(self.ctx))
        self.extra = [a.translate(self.ctx) for a in self.assumed]
        self.alike: Term = z3.Bool("pair!alike", self.ctx)
        self.solver.add(z3.Implies(self.alike, alike.translate(self.ctx)))
        self.loose: Term = z3.Bool("pair!loose", self.ctx)
        loose = encoding.topo.no_strict_routers()
        self.solver.add(z3.Implies(self.loose, z3.And(loose, made.rename(loose)).translate(self.ctx)))
        self.model: Term = None

    def next(self) -> PairAnswer:
        """The next pair (``unsat``: none is left). Not the shortest, but first one whose runs take the same
        options at every other visit both make, when there is one (the issue's "differ only at that
        choice"; one check under an assumption); otherwise any pair (the exhaustive query). Both come first
        with no proxy a strict router: a strict router (F-19) only where the pair needs one, as in a
        counterexample (``smt.prove._loose``)."""
        answer = z3.unknown
        for shape in ((self.alike, self.loose), (self.loose,), (self.alike,), ()):
            answer = self.solver.check(*self.extra, *shape)
            if answer == z3.sat:
                break
        if answer == z3.unsat:
            return PairAnswer("unsat")
        if answer != z3.sat:
            return PairAnswer("unknown", reason=f"z3: {self.solver.reason_unknown()}")
        self.model = self.solver.model().translate(z3.main_ctx())
        q = self.query
        name = f"{q.prop.id}-{q.failing.name}"
        failing = decode_scenario(self.made.encoding, self.model, name)
        holding = dataclasses.replace(failing, name=f"{q.prop.id}-{q.holding.name}",
                                      script=script(self.made.encoding, _Renamed(self.model, self.made)))
        return PairAnswer("sat", failing, holding)

    def block(self) -> None:
        """Exclude the last pair (its environment and both runs' choices) from later answers."""
        encoding, model = self.made.encoding, self.model
        terms = [sym.term for v in encoding.topo.rules.visits for sym in v.options.values()]
        terms += [self.made.rename(t) for t in terms]
        terms += self.made.environment
        same = [t == model.eval(t, model_completion=True) for t in terms]
        self.solver.add(z3.Not(z3.And(same)).translate(self.ctx))

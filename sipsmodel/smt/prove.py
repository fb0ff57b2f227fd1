"""``prove``: the verdict of one property under one rule set (DESIGN.md "Verdicts and exit codes").

Theory of operation: a property with ``inductive = true`` whose formula is a per-record invariant is
first tried by the step check of ``sipsmodel.smt.step`` (``proved``, scope ``unbounded``). Otherwise, or
when a step is satisfiable, the negated property is asserted over the bounded symbolic scenario of
``sipsmodel.smt.encode`` and checked under the rule literals of the set plus the bound literal:
``unsat`` is ``proved`` (scope ``bounded``) with its first minimal core, or every one when asked
(``rests_on``); ``sat`` is shrunk to the fewest active transmissions, decoded into a Scenario and a
script, replayed by the simulator and reported only when the evaluator sees the violation in the
replayed trace (otherwise ``ModelDisagreement``); ``unknown`` carries z3's reason. Every check runs
under the deterministic resource limit ``rlimit`` (and the wall-clock ``timeout``); a step check that
gives up is never read as a proof: the bounded check decides, and its result says that the step was
unknown. The bounded encoding is built once per process, and one solver per (property, malicious) is
kept and reused across rule sets and bounds. Building them counts against the first bounded check's
``timeout``: a build that passes the deadline stops and the cell is ``unknown`` with that reason.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import z3

from sipsmodel.defaults import DEFAULT_BOUND, DEFAULT_SEED, DEFAULT_TIMEOUT, RLIMIT
from sipsmodel.errors import ModelDisagreement
from sipsmodel.model.vocab import RR_KIND, TPARAM
from sipsmodel.props import Property, evaluate_property, locate_violation
from sipsmodel.rules.sets import RuleSet
from sipsmodel.smt.compile import SymScope, compile_formula, is_value, value_term
from sipsmodel.smt.encode import BoundedEncoding, build_encoding
from sipsmodel.smt.fresh import Limits, fresh_model
from sipsmodel.smt.mus import Query
from sipsmodel.smt.solving import (
    RestsOn,
    active_rule_ids,
    assumptions,
    collector_paused,
    make_solver,
    rests_on,
    z3_version,
)
from sipsmodel.smt.step import per_record_shape, record_invariant, step_sources, violation
from sipsmodel.smt.topology import OutOfTime
from sipsmodel.verdict import Result

Term = Any


#: The options by which an element writes a ``transport`` parameter into a URI it generates.
TPARAM_OPTIONS = ("contact_tp", "rr_tp")


@dataclass
class BoundedProver:
    """One solver for (property, malicious), reused across rule sets and bounds with assumption literals.

    ``own`` lists what the query asserts beyond the encoding (the negated property, a query's own
    constraint), in order: with the encoding's assertions it is the query a counterexample is read from
    (``sipsmodel.smt.fresh``). ``limits`` are those of the latest ``bounded_prover`` call.
    """

    prop: Property
    encoding: BoundedEncoding
    solver: Term
    own: list[Term] = field(default_factory=list)
    limits: Limits = Limits(DEFAULT_SEED, DEFAULT_TIMEOUT, RLIMIT)
    size_literals: dict[int, Term] = field(default_factory=dict)
    plain: dict[int, Term] = field(default_factory=dict)  # the transport_params_at_most literals, once made

    def add(self, formula: Term) -> None:
        """Assert ``formula`` as part of the query itself (kept in ``own``)."""
        self.solver.add(formula)
        self.own.append(formula)

    def transport_params_at_most(self, n: int) -> Term:
        """A literal that, assumed, allows at most ``n`` generated URIs with a ``transport`` parameter."""
        if n not in self.plain:
            literal = z3.Bool(f"transport-params<={n}")
            self.solver.add(z3.Implies(literal, self.params_bound(n)))
            self.plain[n] = literal
        return self.plain[n]

    def params_bound(self, n: int) -> Term:
        """At most ``n`` generated URIs carry a ``transport`` parameter (``TPARAM_OPTIONS``: Contacts,
        Record-Route values)."""
        named = [(term, 1) for term in _parameter_uris(self.encoding)]
        return z3.PbLe(named, n) if named else z3.BoolVal(True)

    def size_at_most(self, n: int) -> Term:
        """A literal that, assumed, allows at most ``n`` active transmissions."""
        if n not in self.size_literals:
            literal = z3.Bool(f"size<={n}")
            self.solver.add(z3.Implies(literal, self.size_bound(n)))
            self.size_literals[n] = literal
        return self.size_literals[n]

    def size_bound(self, n: int) -> Term:
        """At most ``n`` active transmissions."""
        return z3.PbLe([(a, 1) for a in self.encoding.transmissions()], n)


_PROVERS: dict[tuple[str, str, bool, str], BoundedProver] = {}
_ENCODINGS: dict[tuple[int, bool, str], BoundedEncoding] = {}


def shared_encoding(max_bound: int, malicious: bool, deadline: float | None = None,
                    family: str = "default") -> BoundedEncoding:
    """The bounded encoding, built once per process: every property and rule set reads the same terms.

    Solvers only add to their own assertion sets, so sharing the (immutable) terms is safe; what differs
    per cell is the negated property and the assumed rule literals. A build that passes ``deadline``
    raises ``OutOfTime`` and leaves nothing behind (the next cell tries again with its own deadline).
    """
    key = (max_bound, malicious, family)
    if key not in _ENCODINGS:
        _ENCODINGS[key] = build_encoding(max_bound, malicious, deadline=deadline, family=family)
    return _ENCODINGS[key]


def prepare_encoding(bound: int, malicious: bool, timeout: float, family: str = "default") -> None:
    """Build the shared encoding for ``bound`` now, before the cells fork from this process (``check``).

    A build that does not finish within ``timeout`` is dropped; each cell then tries under its own deadline.
    """
    key = (max(bound, DEFAULT_BOUND), malicious, family)
    if key in _ENCODINGS:
        return
    with collector_paused(), contextlib.suppress(OutOfTime):
        shared_encoding(key[0], malicious, time.monotonic() + timeout, family)


def bounded_prover(prop: Property, rule_set: RuleSet, bound: int, malicious: bool, timeout: float, seed: int,
                   rlimit: int = RLIMIT, deadline: float | None = None, family: str = "default") -> BoundedProver:
    """The cached solver for the property (rebuilt only when a larger bound is asked for).

    Building the encoding and the solver stops with ``OutOfTime`` once ``deadline`` has passed.
    """
    key = (prop.id, prop.formula_text, malicious, family)  # rule sets differ only in the assumed rule literals
    prover = _PROVERS.get(key)
    if prover is None or prover.encoding.max_bound < bound:
        encoding = shared_encoding(max(bound, DEFAULT_BOUND), malicious, deadline, family)
        prover = new_prover(prop, encoding, timeout, seed, rlimit)
        if deadline is not None and time.monotonic() > deadline:
            raise OutOfTime("stopped once the solver had read the encoding")
        _PROVERS[key] = prover
    prover.solver.set("timeout", max(1, int(timeout * 1000)))
    prover.solver.set("rlimit", rlimit)
    prover.solver.set("random_seed", seed)
    prover.limits = Limits(seed, timeout, rlimit)
    return prover


def new_prover(prop: Property, encoding: BoundedEncoding, timeout: float, seed: int, rlimit: int) -> BoundedProver:
    """A new solver over the encoding and the negated property (not cached)."""
    solver = make_solver(timeout, seed, rlimit)
    solver.add(*encoding.assertions)
    prover = BoundedProver(prop, encoding, solver, limits=Limits(seed, timeout, rlimit))
    prover.add(violated(prop, encoding))
    return prover


_VIOLATED: dict[tuple[str, str, int], Term] = {}


def violated(prop: Property, encoding: BoundedEncoding) -> Term:
    """The negated property over the encoding's observation, compiled once per property and encoding: the
    provers a worker builds first (``smt.verdict.prepare_provers``) leave it for the pair queries."""
    key = (prop.id, prop.formula_text, id(encoding))
    if key not in _VIOLATED:
        _VIOLATED[key] = z3.Not(compile_formula(prop.formula, SymScope(collections=encoding.collections)))
    return _VIOLATED[key]


@dataclass(frozen=True)
class StepOutcome:
    """The unbounded step check: the rules it rests on when every source is unsat, else None.

    ``unknown`` is z3's reason when a source's check gave up (then ``used`` is None: no unbounded claim).
    """

    used: RestsOn | None
    unknown: str = ""


def _step_check(prop: Property, active: tuple[str, ...], malicious: bool, timeout: float, seed: int,
                rlimit: int = RLIMIT, all_cores: bool = False) -> StepOutcome:
    """The unbounded step check (see :class:`StepOutcome`); sat or unknown on any source means no claim."""
    shape = per_record_shape(prop.formula)
    if shape is None:
        return StepOutcome(None)
    collection, quant = shape
    queries: list[Query] = []
    for source in step_sources(collection, record_invariant(quant), malicious):
        solver = make_solver(timeout, seed, rlimit)
        solver.add(*source.assertions)
        solver.add(violation(quant, source.record))
        answer = solver.check(*assumptions(active))
        if answer == z3.unknown:
            return StepOutcome(None, f"z3: {solver.reason_unknown()} (step source {source.name})")
        if answer != z3.unsat:
            return StepOutcome(None)
        queries.append((solver, []))
    return StepOutcome(rests_on(queries, active, every=all_cores))


def _core_details(used: RestsOn) -> dict[str, object]:
    """Every minimal core of the proof, and whether the list is known to be all of them."""
    details: dict[str, object] = {"cores": [list(c) for c in used.cores], "cores_complete": used.complete}
    if not used.complete:
        details["cores_reason"] = used.reason
    return details


def _expected(prop: Property, rule_set: RuleSet, malicious: bool) -> str | None:
    table = prop.expected_malicious if malicious else prop.expected
    key = rule_set.expectation_key
    return None if key is None else table.get(key)


def prove(
    prop: Property,
    rule_set: RuleSet,
    bound: int = DEFAULT_BOUND,
    malicious: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    seed: int = DEFAULT_SEED,
    rlimit: int = RLIMIT,
    all_cores: bool = False,
    family: str = "default",
) -> Result:
    """Prove or refute ``prop`` under ``rule_set`` (bounded by ``bound`` proxies on the call path).

    Returns a Result: ``proved`` (scope ``unbounded`` from a step check, else ``bounded``), ``refuted``
    with the replayed counterexample, or ``unknown`` with z3's reason. Raises ModelDisagreement when
    the simulator does not reproduce a model's violation. DESIGN.md "Verdicts and exit codes".
    ``timeout`` (seconds, wall clock) and ``rlimit`` (z3 resource units, deterministic; 0 for none)
    bound each solver check. A proof names its first minimal core (``rules_used``); ``all_cores``
    enumerates every minimal core as well (``details["cores"]``, otherwise the first alone, marked
    incomplete). ``family`` (``sipsmodel.smt.encode.FAMILIES``) chooses the bounded family.
    """
    start = time.perf_counter()
    active = active_rule_ids(rule_set)
    common: dict[str, Any] = {
        "property": prop.id, "rules": rule_set.name, "malicious": malicious, "should": rule_set.should,
        "seed": seed, "solver": z3_version(), "expected": _expected(prop, rule_set, malicious),
    }
    step_unknown = ""
    if prop.inductive:
        step = _step_check(prop, active, malicious, timeout, seed, rlimit, all_cores)
        if step.used is not None:
            return Result(verdict="proved", scope="unbounded", rules_used=step.used.core,
                          seconds=time.perf_counter() - start, details=_core_details(step.used), **common)
        step_unknown = step.unknown
    deadline = time.monotonic() + timeout - (time.perf_counter() - start)  # building counts against timeout
    try:
        prover = bounded_prover(prop, rule_set, bound, malicious, timeout, seed, rlimit, deadline, family)
    except OutOfTime as exc:
        reason = (f"the encoding for k={bound} was not built within the timeout of {timeout:g} s ({exc}); "
                  "building it counts against --timeout")
        return Result(verdict="unknown", bound=bound, reason=reason, seconds=time.perf_counter() - start,
                      details={"timeout": timeout, "rlimit": rlimit}, **common)
    extra = [prover.encoding.bound_literal(bound)]
    covers: dict[str, object] = {"family": prover.encoding.family(bound), "timeout": timeout, "rlimit": rlimit}
    if step_unknown:
        covers["step"] = f"unknown: {step_unknown}"
    prover.solver.set("timeout", max(1, int((deadline - time.monotonic()) * 1000)))  # what the build left
    answer = prover.solver.check(*extra, *assumptions(active))
    prover.solver.set("timeout", max(1, int(timeout * 1000)))
    if answer == z3.unsat:
        used = rests_on([(prover.solver, extra)], active, every=all_cores)
        note = f"the inductive step check gave up ({step_unknown}): proved up to the bound only" if step_unknown else ""
        return Result(verdict="proved", scope="bounded", bound=bound, rules_used=used.core, reason=note,
                      seconds=time.perf_counter() - start, details={**covers, **_core_details(used)}, **common)
    if answer == z3.unknown:
        reason = f"z3: {prover.solver.reason_unknown()} (rlimit {rlimit}, timeout {timeout:g} s)"
        return Result(verdict="unknown", bound=bound, reason=reason,
                      seconds=time.perf_counter() - start, details=covers, **common)
    model = shortest_model(prover, extra + assumptions(active))
    return refuted(prop, rule_set, prover.encoding, model, bound, start, common)


def shortest_model(prover: BoundedProver, extra: list[Term], behind: Sequence[tuple[Term, Term]] = ()) -> Term:
    """The model with the fewest active transmissions, found in a context of its own (``fresh_model``).

    The shared solver, just answered ``sat``, first asks for a model where no proxy is a strict router
    (``_loose``; then the search stays with that shape), then finds the fewest transmissions (binary search on a PbLe
    assumption) and, at that size, the fewest transport parameters (readable ladders: none the violation
    does not need). Both numbers are facts, whatever that solver learned before. The model itself comes
    from a new context asked once: the query (encoding, ``own``, ``extra``) at that size and parameter
    count, and with no gateway when one without exists there (also a fact). Should that check give up, the
    shared solver's model is returned (then it may depend on the history). ``behind``: (literal, formula)
    pairs, a query's own constraint asserted in the shared solver behind a literal: the shared solver
    assumes the literal, the fresh query asserts the formula (after ``own``, as if the prover had been
    built with it).
    """
    assumed = [*extra, *(literal for literal, _ in behind)]
    model, loose = _loose(prover, assumed)
    model, best, params, plain = _fewest(prover, [*assumed, *loose], model)
    query = [*prover.encoding.assertions, *prover.own, *(formula for _, formula in behind), *extra, *loose,
             prover.size_bound(best), prover.params_bound(params), *plain]
    found = fresh_model(query, prover.limits)
    return model if found is None else found


def _loose(prover: BoundedProver, extra: list[Term]) -> tuple[Term, list[Term]]:
    """A model of the violation to start the size search from, and ``[no_strict_routers]`` when it has one
    where every proxy is a loose router (that model, else the one in hand and ``[]``).

    Asked before the size search, so a strict router (F-19) appears only in a counterexample that needs one,
    even when a longer loose one exists: with loose routers the counterexample is the one the family without
    strict routers finds. When the model in hand already has no strict router, no check is asked."""
    in_hand, loose = prover.solver.model(), prover.encoding.topo.no_strict_routers()
    if z3.is_true(in_hand.eval(loose, model_completion=True)):
        return in_hand, [loose]
    if prover.solver.check(*extra, loose) == z3.sat:
        return prover.solver.model(), [loose]
    return in_hand, []


#: The fewest transmissions last found for each property's violation: the first sizes tried for its next
#: query (under another rule set or reading the minimum is often the same). Only the number of checks
#: depends on it; the size found is the minimum either way (a fact), so the counterexample is the same.
_LAST_FEWEST: dict[str, int] = {}


def _fewest(prover: BoundedProver, extra: list[Term], model: Term) -> tuple[Term, int, int, list[Term]]:
    """A model with the fewest active transmissions of a violation (binary search from ``model``, trying the
    property's last minimum and one below it first), that number, the fewest transport parameters at that
    size, and ``[no_gateways]`` when a model of that size and parameter count has no gateway (else ``[]``)."""
    solver, encoding = prover.solver, prover.encoding
    best = encoding.transmission_count(model)
    low = 1
    guess = _LAST_FEWEST.get(prover.prop.id)
    probes = [guess, guess - 1] if guess is not None else []
    while low < best:
        middle = probes.pop(0) if probes else (low + best - 1) // 2
        if not low <= middle < best:
            continue
        answer = solver.check(*extra, prover.size_at_most(middle))
        if answer == z3.sat:
            model = solver.model()
            best = encoding.transmission_count(model)
        elif answer == z3.unsat:
            low = middle + 1
        else:
            break
    _LAST_FEWEST[prover.prop.id] = best
    # As short, with the fewest transport parameters, and with no gateway where one without exists (readable
    # ladders: nothing the violation does not need). A model without a gateway is asked first at each count:
    # usually it exists, and one check answers both.
    named, plain = _transport_params(prover, model), [encoding.topo.no_gateways()]
    for n in range(named + 1):
        for shape in (plain, []):
            if n == named and (not shape or z3.is_true(model.eval(plain[0], model_completion=True))):
                return model, best, n, shape  # the model in hand has this many parameters (and this shape)
            if solver.check(*extra, prover.size_at_most(best), prover.transport_params_at_most(n), *shape) == z3.sat:
                return solver.model(), best, n, shape
    raise AssertionError("unreachable: the model in hand has its own parameter count")


def _parameter_uris(encoding: BoundedEncoding) -> list[Term]:
    """One term per generated URI that may carry a ``transport`` parameter, true when it does (both values of
    a double Record-Route count)."""
    none = value_term(TPARAM, "none")
    terms = []
    for v in encoding.topo.rules.visits:
        for name in TPARAM_OPTIONS:
            if name in v.options:
                named = z3.And(v.active, z3.Not(v.options[name].term == none))
                terms.append(named)
                if name == "rr_tp":
                    terms.append(z3.And(named, is_value(RR_KIND, v.options["rr"], "double")))
    return terms


def _transport_params(prover: BoundedProver, model: Term) -> int:
    """How many generated URIs of ``model`` carry a ``transport`` parameter (an upper bound for the search)."""
    return sum(1 for term in _parameter_uris(prover.encoding) if z3.is_true(model.eval(term, model_completion=True)))


def refuted(prop: Property, rule_set: RuleSet, encoding: BoundedEncoding, model: Term, bound: int, start: float,
            common: dict[str, Any]) -> Result:
    """Decode, replay with the simulator, and report only a violation the simulator reproduces."""
    from sipsmodel.sim import ScriptedChooser, simulate

    scenario = encoding.decode(model, name=f"{prop.id}-{rule_set.name}")
    trace = simulate(scenario, rule_set, ScriptedChooser(scenario.script))
    evaluation = evaluate_property(prop, trace.observation)
    if evaluation.holds:
        raise ModelDisagreement(
            f"{prop.id} under {rule_set.name}: the SMT model violates the property but the simulator's replay "
            f"does not.\nSMT observation:\n{encoding.describe(model)}\nscenario: {scenario}\n"
            f"replayed observation: {dict(trace.observation)}"
        )
    return Result(verdict="refuted", bound=bound, counterexample=trace, violation=locate_violation(evaluation, trace),
                  seconds=time.perf_counter() - start,
                  details={"transmissions": len(trace.transmissions), "scenario": scenario.name,
                           "smt_transmissions": encoding.transmission_count(model),
                           "family": encoding.family(bound)}, **common)

"""``sipsmodel decide`` as independent jobs: one per property (questions 1 and 2), one per change (question 3).

Theory of operation: :func:`plan_decide` resolves the options (base, candidates, properties) into
picklable job descriptions; :func:`run_property_job` and :func:`run_change_job` are module-level
functions of one job each (so a process pool or a Dask cluster can run them), each returning frozen
data of ``sipsmodel.decide.report``; :func:`assemble` joins them: a minimal set's track and conflicts
are those of its changes, a change's ``in_minimal_sets`` the properties it helps. The command runs the
jobs on the job layer (``sipsmodel.report.decide_run``, which this package does not import). Every
proof and counterexample comes from ``sipsmodel.smt.prove`` (replayed by the simulator), every
conflict from ``sipsmodel.smt.conflicts``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sipsmodel.decide.candidates import Candidates, changed_rule_set, select_candidates
from sipsmodel.decide.report import (
    Change,
    ChangeAnswer,
    Conflict,
    Counterexample,
    DecideReport,
    MinimalSet,
    Narrowing,
    OneFewer,
    PropertyAnswer,
)
from sipsmodel.defaults import DEFAULT_BOUND, DEFAULT_CORE_LIMIT, DEFAULT_SEED, DEFAULT_TIMEOUT, RLIMIT
from sipsmodel.errors import ModelDisagreement
from sipsmodel.props import Property
from sipsmodel.rules.permissions import PERMISSIONS_BY_ID
from sipsmodel.rules.sets import RuleSet, load_rule_set
from sipsmodel.rules.table import RULES_BY_ID
from sipsmodel.selection import select_properties
from sipsmodel.verdict import Result

if TYPE_CHECKING:
    from sipsmodel.smt.conflicts import Finding


@dataclass(frozen=True)
class DecideOptions:
    """What ``sipsmodel decide`` was asked (empty tuples: every property, the default candidates)."""

    properties: tuple[str, ...] = ()
    directory: Path | None = None
    base: str = "rfc3261"
    candidates: tuple[str, ...] = ()
    bound: int = DEFAULT_BOUND
    should: str = "binding"
    timeout: float = DEFAULT_TIMEOUT
    seed: int = DEFAULT_SEED
    rlimit: int = RLIMIT
    limit: int = DEFAULT_CORE_LIMIT


@dataclass(frozen=True)
class Solving:
    """The solver settings every job carries."""

    bound: int
    timeout: float
    seed: int
    rlimit: int
    limit: int


@dataclass(frozen=True)
class PropertyJob:
    """Questions 1 and 2 for one property."""

    prop: Property
    base: RuleSet
    changes: tuple[Change, ...]
    solving: Solving


@dataclass(frozen=True)
class ChangeJob:
    """Question 3 for one candidate change."""

    change: Change
    base: RuleSet
    solving: Solving


@dataclass(frozen=True)
class DecidePlan:
    """The jobs of one run, and the candidates left out (with why)."""

    base: RuleSet
    candidates: Candidates
    property_jobs: tuple[PropertyJob, ...]
    change_jobs: tuple[ChangeJob, ...]
    left_out: tuple[str, ...] = ()


def plan_decide(options: DecideOptions) -> DecidePlan:
    """Resolve the options (raises ScenarioError on an unknown property, rule, base or file)."""
    base = load_rule_set(options.base).with_should(options.should)
    props = select_properties(options.properties, options.directory)
    candidates = select_candidates(options.candidates, base)
    kept = tuple(candidates.changes)
    left_out: list[str] = []
    if base.should == "optional":
        shoulds = [c for c in kept if RULES_BY_ID[c.rule].is_should]
        kept = tuple(c for c in kept if c not in shoulds)
        left_out += [f"{c.label}: a SHOULD binds no one with --should optional (left out of the minimal sets; "
                     "still classified)" for c in shoulds]
    solving = Solving(options.bound, options.timeout, options.seed, options.rlimit, options.limit)
    return DecidePlan(
        base, candidates,
        tuple(PropertyJob(p, base, kept, solving) for p in props),
        tuple(ChangeJob(c, base, solving) for c in candidates.changes), tuple(left_out),
    )


#: The verdicts one property job has computed, by rule set (its rule IDs and SHOULD mode): a set with one change
#: fewer is often the base itself or another set's, and is proved (or refuted and replayed) once.
_Proofs = dict[tuple[tuple[str, ...], str], Result]


def _prove(prop: Property, rule_set: RuleSet, solving: Solving, proofs: _Proofs | None = None) -> Result:
    from sipsmodel.smt import prove

    key = (tuple(sorted(rule_set.rule_ids)), rule_set.should)
    if proofs is not None and key in proofs:
        return proofs[key]
    result = prove(prop, rule_set, bound=solving.bound, timeout=solving.timeout, seed=solving.seed,
                   rlimit=solving.rlimit)
    if proofs is not None:
        proofs[key] = result
    return result


def _flow(result: Result, changes: tuple[Change, ...]) -> Counterexample | None:
    if result.counterexample is None:
        return None
    return Counterexample(result.rules, changes, result.counterexample, result.violation)


def _minimal_set(job: PropertyJob, changes: tuple[Change, ...], proofs: _Proofs) -> MinimalSet:
    """A core of the enumeration: proved with it, refuted (replayed) with any change fewer.

    The enumeration's own check is the bounded proof (the prover's query on the same solver with exactly
    this set's rule literals); an inductive property is re-proved to learn whether the step check gives
    all sizes (and the rules that proof rests on).
    """
    scope = "bounded"
    rules_used: tuple[str, ...] = ()
    if job.prop.inductive:
        result = _prove(job.prop, changed_rule_set(job.base, changes), job.solving, proofs)
        if result.verdict == "refuted":
            raise ModelDisagreement(f"{job.prop.id}: the minimal set {[c.label for c in changes]} was found unsat "
                                    f"by the enumeration but {result.rules} is refuted")
        scope, rules_used = result.scope or "bounded", result.rules_used
    fewer = []
    for dropped in changes:
        rest = tuple(c for c in changes if c != dropped)
        other = _prove(job.prop, changed_rule_set(job.base, rest), job.solving, proofs)
        if other.verdict == "proved":
            raise ModelDisagreement(f"{job.prop.id}: {[c.label for c in changes]} is not minimal: "
                                    f"{other.rules} is proved without {dropped.label}")
        fewer.append(OneFewer(dropped, other.verdict, _flow(other, rest)))
    shoulds = tuple(c.rule for c in changes if c.action == "add" and RULES_BY_ID[c.rule].is_should)
    bound = None if scope == "unbounded" else job.solving.bound
    return MinimalSet(changes, "proved", scope, bound, one_fewer=tuple(fewer), shoulds=shoulds,
                      rules_used=rules_used)


def run_property_job(job: PropertyJob) -> PropertyAnswer:
    """Question 1 (the base verdict) and question 2 (every minimal set of changes) for one property."""
    import time

    from sipsmodel.smt.fixes import fixing_cores

    start = time.perf_counter()
    prop, solving = job.prop, job.solving
    if prop.scope == "trace":
        return PropertyAnswer(prop.id, prop.title, "trace-only", None, None, None, (), False,
                              reason="scope = trace: checked on imported traces only")
    proofs: _Proofs = {}
    base = _prove(prop, job.base, solving, proofs)
    head = PropertyAnswer(prop.id, prop.title, base.verdict, base.scope, solving.bound, _flow(base, ()), (), False)
    if base.verdict == "proved":
        empty = MinimalSet((), "proved", base.scope, base.bound, rules_used=base.rules_used)
        return replace(head, minimal_sets=(empty,), seconds=time.perf_counter() - start)
    if base.verdict != "refuted":
        return replace(head, complete=False, reason=base.reason, seconds=time.perf_counter() - start)
    by_label = {c.label: c for c in job.changes}
    found = fixing_cores(prop, job.base, [(c.rule, c.action) for c in job.changes], solving.bound,
                         timeout=solving.timeout, seed=solving.seed, rlimit=solving.rlimit, limit=solving.limit)
    sets = tuple(_minimal_set(job, tuple(sorted(by_label[i] for i in core)), proofs) for core in found.cores)
    everything = _prove(prop, changed_rule_set(job.base, job.changes), solving) if not sets else None
    return replace(
        head, minimal_sets=sets, unfixable=not sets and found.complete,
        all_candidates=everything.label if everything else "",
        all_candidates_counterexample=_flow(everything, job.changes) if everything else None,
        complete=found.complete, reason=found.reason, seconds=time.perf_counter() - start,
    )


def clause_of(target: str) -> tuple[str, str]:
    """The keyword and the clause (document, section, reading) of a rule or permission ID."""
    if target in PERMISSIONS_BY_ID:
        p = PERMISSIONS_BY_ID[target]
        kind = "local policy" if p.kind == "local-policy" else "permission"
        return p.keyword, f"{p.document} {p.section} ({kind} read from {p.rule}): {p.reading}"
    rule = RULES_BY_ID[target]
    return rule.keyword, f"{rule.document} {rule.section}: {rule.reading}"


def _state_text(state: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in state.items() if k != "malicious")


def _narrowing(n: Finding, bound: int) -> Narrowing:
    """A narrowing finding as the report shows it: an open option, local policy, or refusal it narrows."""
    states = f"checked at every reachable state of {n.choice_point} in the bounded family (k<={bound})"
    where = _state_text(dict(n.state))
    if n.kind == "local-policy":
        _, clause = clause_of(n.target)
        return Narrowing(n.choice_point, f"narrows local policy {n.target} ({clause}): where {where} it removes "
                                         "that option, which RFC 3261 leaves open", {}, states)
    if n.kind == "refusal":
        return Narrowing(n.choice_point, f"where {where} it leaves no option with the base only for want of "
                                         f"TLS: the element fails the request, as RFC 3261 does ({n.note})", {}, states)
    summary = (f"where {where} the base allows {dict(n.removed[0])}, which the change forbids" if n.removed
               else "the base allows more options")
    return Narrowing(n.choice_point, summary, dict(n.removed[0]) if n.removed else {}, states)


def _yield_note(y: Finding) -> str:
    keyword, clause = clause_of(y.target)
    extra = f" ({y.note.removeprefix('yields: ')})" if y.note.removeprefix("yields: ") else ""
    return (f"as a SHOULD it yields to {y.target} ({keyword}, {clause}) at {y.choice_point} where "
            f"{_state_text(dict(y.state))}: no option meets both{extra}, and RFC 2119 lets a SHOULD give way to a "
            "valid reason; read as a MUST (--should binding, for the fixes) the two would contradict")


def _supersedes_note(old: str, conflicts: Sequence[Conflict], implied: Sequence[str], bound: int) -> str:
    """What superseding the base rule ``old`` amounts to: a deletion (standards track) or a narrowing."""
    head = f"it supersedes {old}: judged as {old} removed and this rule added (as in the minimal sets)"
    if any(c.kind == "deletion" and c.contradicts == old for c in conflicts):
        return (f"{head}; it lets an element do what {old} forbids, so {old} is deleted: standards track "
                "(a base rule must be deleted)")
    if old in implied:
        return (f"{head}; it implies {old} at every reachable state (k<={bound}), so nothing of {old} is deleted: "
                "it is judged by its conflicts with the rest of the base")
    return f"{head}; whether that deletes anything of {old} is not known (z3 gave up)"


def run_change_job(job: ChangeJob) -> ChangeAnswer:
    """Question 3 for one change: conflicts with the base (each with a replayed flow), else its narrowing."""
    from sipsmodel.smt.conflicts import change_findings

    change, solving, rule = job.change, job.solving, RULES_BY_ID[job.change.rule]
    found = change_findings(change.rule, change.action, job.base, solving.bound, timeout=solving.timeout,
                            seed=solving.seed, rlimit=solving.rlimit)
    conflicts = []
    for f in found.conflicts:
        keyword, clause = clause_of(f.target)
        state = dict(f.state)
        flow = None if f.trace is None else Counterexample(
            f.trace.rules, (), f.trace, f.mark, f"the state at {f.choice_point}: {_state_text(state)}")
        conflicts.append(Conflict(change.rule, f.target, keyword, clause, f.kind, f.choice_point, state, flow))
    narrows = tuple(_narrowing(n, solving.bound) for n in found.narrowings)
    replaced = [old for old in rule.supersedes if old in job.base.rule_ids] if change.action == "add" else []
    notes = [_supersedes_note(old, conflicts, found.implied, solving.bound) for old in replaced]
    notes += [_yield_note(y) for y in found.yields]
    notes += [f"at {cp} the base already implies it at every reachable state (k<={solving.bound})"
             for cp in found.quiet if change.action == "add"]
    notes += [f"z3 gave up: {u}" for u in found.unknown]
    track = "standards-track" if conflicts else ("unknown" if found.unknown else "bcp")
    return ChangeAnswer(change.rule, change.action, rule.keyword, rule.reading, track, tuple(conflicts), narrows,
                        notes=tuple(notes))


def _set_track(changes: Sequence[ChangeAnswer]) -> str:
    tracks = {c.track for c in changes}
    return "standards-track" if "standards-track" in tracks else ("unknown" if "unknown" in tracks else "bcp")


def assemble(plan: DecidePlan, properties: Sequence[PropertyAnswer], changes: Sequence[ChangeAnswer]) -> DecideReport:
    """Join the job results: each minimal set gets its changes' track and conflicts; each change its properties."""
    from sipsmodel.tool import tool_block

    by_change = {c.change: c for c in changes}
    answers = []
    for p in properties:
        sets = tuple(replace(m, track=_set_track([by_change[c] for c in m.changes]),
                             conflicts=tuple(x for c in m.changes for x in by_change[c].conflicts))
                     for m in p.minimal_sets)
        answers.append(replace(p, minimal_sets=sets))
    helped = {c.change: tuple(p.property for p in answers if any(c.change in m.changes for m in p.minimal_sets))
              for c in changes}
    inferred = {j.prop.id: j.prop.title for j in plan.property_jobs if reads_peer_inference(j.prop)}
    rows = tuple(replace(c, in_minimal_sets=helped[c.change], notes=c.notes + _inference_notes(c, helped[c.change],
                                                                                               inferred))
                 for c in changes)
    bound = plan.property_jobs[0].solving.bound if plan.property_jobs else 0
    return DecideReport(plan.base.name, plan.base.should, bound, plan.candidates.source, tuple(answers), rows,
                        tool=tool_block(), left_out=plan.left_out)


def reads_peer_inference(prop: Property) -> bool:
    """The property is about what an endpoint infers from a message: a dialog's secure flag (RFC 3261 12.1.1,
    12.1.2), read from the Request-URI, the Record-Route and the Contact it received."""
    return re.search(r"\bforall (\w+) in dialogs\b.*\b\1\.secure\b", prop.formula_text) is not None


def _inference_notes(change: ChangeAnswer, helped: Sequence[str], inferred: dict[str, str]) -> tuple[str, ...]:
    """SIPS-RULES.md section B: a BCP-able change that fixes what a peer infers binds only those who follow it."""
    if change.track != "bcp":
        return ()
    return tuple(f"BCP-able as operator policy, but it is in a minimal fix of {p} ({inferred[p]}), which is what a "
                 "peer infers from a message: the peer can rely on it only if every element applies the change, "
                 "which a BCP cannot require (SIPS-RULES.md section B)" for p in helped if p in inferred)

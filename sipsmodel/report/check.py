"""``sipsmodel check``: every (property, rule set) cell through the prover, in a stable order.

Theory of operation: the selection gives properties x rule sets; each cell is an independent job of
``sipsmodel.jobs`` (this process, local worker processes with ``--jobs N``, or a Dask cluster with
``--scheduler``), and results come back in cell order whatever order the workers finish in. A
trace-only property is never sent to the prover: its cell says ``trace-only``. The expectation of the
property file for that rule set (and mode) is set on each result, so every report format and the exit
code judge the same thing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from sipsmodel.defaults import DEFAULT_BOUND, DEFAULT_SEED, DEFAULT_TIMEOUT, RLIMIT
from sipsmodel.jobs import Runner, forked, run_jobs
from sipsmodel.model.bounds import check_bound
from sipsmodel.props import Property
from sipsmodel.report.expect import expectation
from sipsmodel.rules.sets import RuleSet, with_reading_options
from sipsmodel.selection import select_properties, select_rule_sets, selection_warnings
from sipsmodel.verdict import Result

TRACE_ONLY_REASON = "scope = trace: the model never produces what it speaks about; it is checked on imported traces"


@dataclass(frozen=True)
class CheckOptions:
    """What ``sipsmodel check`` was asked (empty tuples mean every property / the four presets)."""

    rules: tuple[str, ...] = ()
    properties: tuple[str, ...] = ()
    directory: Path | None = None
    bound: int = DEFAULT_BOUND
    should: str | None = None
    malicious: bool = False
    timeout: float = DEFAULT_TIMEOUT
    seed: int = DEFAULT_SEED
    jobs: int = 1
    rlimit: int = RLIMIT
    readings: tuple[str, ...] = ()
    all_readings: bool = False
    scheduler: str | None = None
    all_cores: bool = False  # every minimal core of each proof (``--all-cores``, ``--explain``), not the first only
    family: str = "default"  # the bounded family (``--family``; sipsmodel.smt.encode.FAMILIES)


@dataclass(frozen=True)
class Plan:
    """The cells of a run: properties (rows) by rule sets (columns)."""

    properties: tuple[Property, ...]
    rule_sets: tuple[RuleSet, ...]

    @property
    def cells(self) -> list[tuple[Property, RuleSet]]:
        return [(p, s) for p in self.properties for s in self.rule_sets]


def plan(options: CheckOptions) -> Plan:
    """Resolve the selection (raises ScenarioError on an unknown property, rule set or folder, and
    BoundTooLarge on a bound beyond the family, before anything is built)."""
    check_bound(options.bound)
    props = select_properties(options.properties, options.directory)
    sets = [with_reading_options(s, list(options.readings)) for s in select_rule_sets(options.rules, options.should)]
    return Plan(tuple(props), tuple(sets))


def warnings(cells: Plan) -> list[str]:
    """What the run would otherwise do silently (``selection_warnings``), for stderr."""
    return selection_warnings(cells.properties, cells.rule_sets)


def prove(prop: Property, rule_set: RuleSet, bound: int, malicious: bool, timeout: float, seed: int,
          rlimit: int = RLIMIT, all_cores: bool = False, family: str = "default") -> Result:
    """Ask the SMT prover (imported here, so z3 loads only when a proof is needed)."""
    from sipsmodel.smt import prove as smt_prove

    return smt_prove(prop, rule_set, bound=bound, malicious=malicious, timeout=timeout, seed=seed, rlimit=rlimit,
                     all_cores=all_cores, family=family)


def check_cell(prop: Property, rule_set: RuleSet, options: CheckOptions) -> Result:
    """The verdict of one cell, with its expectation and run settings recorded."""
    if prop.scope == "trace":
        result = Result(prop.id, rule_set.label, "trace-only", reason=TRACE_ONLY_REASON)
    else:
        result = prove(prop, rule_set, options.bound, options.malicious, options.timeout, options.seed, options.rlimit,
                       options.all_cores, options.family)
    expected = expectation(prop, rule_set.expectation_key, options.malicious, rule_set.should)
    if result.verdict in ("proved", "refuted"):
        result = with_readings(prop, result, rule_set, options)
    return replace(
        result,
        property=prop.id,
        rules=rule_set.label,
        expected=expected,
        malicious=options.malicious,
        should=rule_set.should,
        seed=options.seed,
    )


def with_readings(prop: Property, result: Result, rule_set: RuleSet, options: CheckOptions) -> Result:
    """The readings the verdict rests on, and with ``all_readings`` the verdict under every reading
    (not with ``--malicious``: those queries ask the honest model)."""
    from sipsmodel.decide.readings import embodied_readings, rested_on, verdicts_by_reading
    from sipsmodel.report.core import all_cores

    details = dict(result.details)
    if result.verdict == "proved":
        core = tuple(dict.fromkeys(r for c in all_cores(result) for r in c))
        details["embodies"] = embodied_readings(core, rule_set)
    if options.malicious:  # the reading queries are of the honest model only
        return replace(result, details=details)
    readings = rested_on(prop, result, rule_set, options.bound)
    if options.all_readings:
        details["by_reading"] = verdicts_by_reading(prop, result, rule_set, options.bound)
    return replace(result, readings=readings, details=details)


def check_cell_job(job: tuple[Property, RuleSet, CheckOptions]) -> Result:
    """One cell as an independent job of the job layer (module level, so it can be pickled)."""
    prop, rule_set, options = job
    return check_cell(prop, rule_set, options)


def check_property_job(job: tuple[Property, tuple[RuleSet, ...], CheckOptions]) -> list[Result]:
    """The cells of one property, one job of the job layer (module level, so it can be pickled).

    They run in a child forked from this process once the shared encoding is built here
    (``sipsmodel.jobs.forked``), so every property starts from the same solver state whatever this
    process checked before: the results do not depend on ``--jobs``, on the selection, or on the order.
    """
    prop, rule_sets, options = job
    if prop.scope == "trace":  # never sent to the prover
        return [check_cell(prop, s, options) for s in rule_sets]
    from sipsmodel.smt.prove import prepare_encoding

    prepare_encoding(options.bound, options.malicious, options.timeout, options.family)
    return forked(_check_cells, job)


def _check_cells(job: tuple[Property, tuple[RuleSet, ...], CheckOptions]) -> list[Result]:
    prop, rule_sets, options = job
    return [check_cell(prop, s, options) for s in rule_sets]


def run_plan(cells: Plan, options: CheckOptions, tick: Callable[[str], None] = lambda _d: None) -> list[Result]:
    """Check every cell through the job layer (``sipsmodel.jobs``); results in cell order.

    A property's solver is reused across its rule sets, so a property is one job: its cells stay in one
    process, in a child forked from a state that is the same in every process (``check_property_job``).
    A counterexample's model comes from a context of its own (``sipsmodel.smt.fresh``) and cores and
    verdicts are facts, so the same command line gives the same results, counterexamples included,
    whatever ``--jobs`` and whichever worker takes a property: local workers take the next property as
    soon as they are free (``pull``), which balances properties of uneven cost.
    ``--scheduler`` runs the same shares on a Dask cluster, so it prints what ``--jobs N`` prints.
    """
    jobs = [(prop, cells.rule_sets, options) for prop in cells.properties]
    runner = Runner(options.jobs, options.scheduler)

    def ticks(job: tuple[Property, tuple[RuleSet, ...], CheckOptions]) -> None:
        for rule_set in job[1]:
            tick(f"{job[0].id} {rule_set.name}")

    done = run_jobs(check_property_job, jobs, runner, group=lambda job: job[0].id, tick=ticks, pull=True)
    return [result for results in done for result in results]


def run_check(options: CheckOptions, tick: Callable[[str], None] = lambda _d: None) -> list[Result]:
    """Plan and run ``sipsmodel check``."""
    return run_plan(plan(options), options, tick)

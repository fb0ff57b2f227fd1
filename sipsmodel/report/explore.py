"""``sipsmodel explore``: search random scenarios with Hypothesis (as a library) for violations.

Theory of operation: for one (property, rule set) cell, a ``@given`` function draws a scenario from
``sipsmodel.strategies.scenarios`` and lets Hypothesis drive every choice of the simulator, runs it,
and evaluates the property on the trace. A violation raises; Hypothesis then shrinks the scenario and
the choices and runs the smallest failing example last, so the last trace recorded is the shrunk
counterexample. No violation in N examples gives the verdict ``sampled``, never ``proved``. The seed
(``hypothesis.seed``) and ``database=None`` make a run reproducible: the same seed draws the same
scenarios in the same order.

The whole run has a time budget (issue 13, item 2), shared out over the cells by ``Budget``; when a
cell's share runs out, the search raises ``_OutOfTime``, a ``KeyboardInterrupt``: Hypothesis re-raises
that at once without recording the test case (an ``Exception`` would be a failure to shrink, and any
other early stop breaks its record of what each run drew), so the search stops in generation or in
shrinking, after at least one scenario per cell and never in the last replay of the shrunk example.
The budget only truncates the seed's sequence of scenarios; every cell reports how many it saw.

Choices are drawn by ``PreferringChooser``: every option the rule set allows can be drawn, but the
element's preferred option (what ``DefaultChooser`` takes: a sips: target called as sips:, a UA that
wants SIPS registering a sips: AoR, TLS where it can) comes about half the time, and it is the option
Hypothesis shrinks to. Uniform choices rarely line up the several natural steps that interesting flows
need (a sips: registration *and* a sips: call reaching the home proxy), and shrinking towards the
preferred option leaves a counterexample that departs from natural behaviour only where it must.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st
from hypothesis.reporting import with_reporter

from sipsmodel.defaults import DEFAULT_BUDGET, DEFAULT_EXAMPLES, DEFAULT_MAX_ELEMENTS, DEFAULT_SEED
from sipsmodel.model.expr import Value
from sipsmodel.model.trace import Trace
from sipsmodel.props import Property, evaluate_property
from sipsmodel.report.budget import Budget
from sipsmodel.report.check import TRACE_ONLY_REASON
from sipsmodel.report.expect import expectation
from sipsmodel.rules.sets import RuleSet
from sipsmodel.selection import select_properties, select_rule_sets
from sipsmodel.verdict import Result

Options = dict[str, Value]


Clock = Callable[[], float]


@dataclass(frozen=True)
class ExploreOptions:
    """What ``sipsmodel explore`` was asked (empty tuples: every model property, the four presets)."""

    properties: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    directory: Path | None = None
    examples: int = DEFAULT_EXAMPLES
    max_elements: int = DEFAULT_MAX_ELEMENTS
    seed: int = DEFAULT_SEED
    budget: float = DEFAULT_BUDGET  # seconds for the whole run; 0: no time limit


@dataclass(frozen=True)
class ExploreStatus:
    """What the progress display shows while a cell is searched."""

    cell: str
    scenarios: int
    cells_done: int
    seconds_left: float | None


class _Violation(Exception):
    """Raised inside the search when the property fails (Hypothesis shrinks on it)."""


class _OutOfTime(KeyboardInterrupt):
    """Raised inside the search when the cell's time is up; Hypothesis stops at once, as on Ctrl-C."""


@dataclass
class _Search:
    """What one cell's search saw: examples run and the last (after shrinking, smallest) violation."""

    runs: int = 0
    first: int = 0
    found: list[tuple[Trace, int | None]] = field(default_factory=list)
    out_of_time: bool = False


class PreferringChooser:
    """Draws every choice from Hypothesis ``data``; the preferred allowed option about half the time.

    One draw ``k`` in ``[0, 2n - 2]`` over the ``n`` allowed options, ordered with the preferred
    option (``choose_default``) first and the others in their allowed order: ``k < n`` takes option
    ``k``, a larger ``k`` the preferred one. So the preferred option has probability ``n / (2n - 1)``,
    every other one ``1 / (2n - 1)``, and Hypothesis shrinks a choice towards the preferred option.
    """

    def __init__(self, data: st.DataObject) -> None:
        self.data = data

    def choose(
        self, element: str, choice_point: str, occurrence: int, features: Mapping[str, Value], allowed: list[Options]
    ) -> Options:
        from sipsmodel.rules.engine import choose_default

        if len(allowed) == 1:
            return allowed[0]
        preferred = choose_default(choice_point, features, allowed)
        ordered = [preferred, *(o for o in allowed if o is not preferred)]
        k = self.data.draw(st.integers(0, 2 * len(allowed) - 2), label=f"{element}.{choice_point}")
        return ordered[k] if k < len(ordered) else preferred


def simulate_drawn(prop: Property, rule_set: RuleSet, data: st.DataObject, max_elements: int) -> Trace:
    """Draw a scenario and run it with every choice drawn by Hypothesis."""
    from sipsmodel.sim import simulate
    from sipsmodel.strategies import scenarios

    scenario = data.draw(scenarios(max_elements=max_elements, malicious=False))
    return simulate(scenario, rule_set, chooser=PreferringChooser(data))


def _final_replay() -> bool:
    """True in Hypothesis's last run of the shrunk example, which must not be cut short (its record breaks)."""
    from hypothesis.control import current_build_context

    return current_build_context().is_final


def _search(
    prop: Property, rule_set: RuleSet, options: ExploreOptions, tick: Callable[[], None], deadline: float | None,
    clock: Clock,
) -> _Search:  # fmt: skip
    seen = _Search()

    @hypothesis_seed(options.seed)
    @settings(
        database=None,
        derandomize=False,
        max_examples=options.examples,
        deadline=None,
        phases=(Phase.generate, Phase.shrink),
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
        report_multiple_bugs=False,
        print_blob=False,
    )
    @given(st.data())
    def probe(data: st.DataObject) -> None:
        if deadline is not None and seen.runs and clock() >= deadline and not _final_replay():
            raise _OutOfTime
        seen.runs += 1
        tick()
        trace = simulate_drawn(prop, rule_set, data, options.max_elements)
        evaluation = evaluate_property(prop, trace.observation)
        if not evaluation.holds:
            seen.first = seen.first or seen.runs
            seen.found.append((trace, evaluation.violation))
            raise _Violation(prop.id)

    try:
        with with_reporter(lambda _message: None):
            probe()
    except _Violation:
        pass
    except _OutOfTime:
        seen.out_of_time = True
    return seen


def _stop_note(seen: _Search, deadline: float | None, started: float) -> str:
    """Why the search of a cell ended early, if its time ran out."""
    if not seen.out_of_time or deadline is None:
        return ""
    return f"; stopped by the time budget (this cell's share: {deadline - started:.1f} s)"


def explore_cell(
    prop: Property, rule_set: RuleSet, options: ExploreOptions, tick: Callable[[], None],
    deadline: float | None = None, clock: Clock = time.monotonic,
) -> Result:  # fmt: skip
    """Search one cell until ``deadline`` on ``clock`` (None: no limit): refuted (shrunk) or sampled."""
    expected = expectation(prop, rule_set.expectation_key, False, rule_set.should)
    if prop.scope == "trace":
        return Result(prop.id, rule_set.label, "trace-only", expected=expected, reason=TRACE_ONLY_REASON)
    start, started = time.perf_counter(), clock()
    seen = _search(prop, rule_set, options, tick, deadline, clock)
    where = f"seed {options.seed}, up to {options.max_elements} elements"
    stop = _stop_note(seen, deadline, started)
    if seen.found:
        trace, violation = seen.found[-1]
        shrinks = seen.runs - seen.first
        stopped = seen.out_of_time and deadline is not None
        shrunk = f"shrinking stopped by the time budget after {shrinks} more runs" if stopped else (
            f"shrunk in {shrinks} more runs")
        reason = f"found in scenario {seen.first} of random search ({where}), {shrunk}"
        result = Result(prop.id, rule_set.label, "refuted", counterexample=trace, violation=violation, reason=reason)
    else:
        runs = f"{seen.runs} random {'scenario' if seen.runs == 1 else 'scenarios'}"
        reason = f"no violation in {runs} ({where}){stop}; not a proof"
        result = Result(prop.id, rule_set.label, "sampled", reason=reason)
    seconds = time.perf_counter() - start
    return replace(
        result, expected=expected, should=rule_set.should, seed=options.seed, seconds=seconds, scenarios=seen.runs
    )


def explore_plan(options: ExploreOptions) -> list[tuple[Property, RuleSet]]:
    """The cells of a run, properties by rule sets (raises ScenarioError on a bad selection)."""
    props = select_properties(options.properties, options.directory)
    return [(p, s) for p in props for s in select_rule_sets(options.rules)]


def status_text(status: ExploreStatus) -> tuple[str, int, str]:
    """What the progress bar shows: the cell and its count, the cells done, the time left."""
    left = "no time limit" if status.seconds_left is None else f"{status.seconds_left:.0f} s left"
    return f"{status.cell}: {status.scenarios} scenarios", status.cells_done, left


def run_explore(
    cells: list[tuple[Property, RuleSet]], options: ExploreOptions,
    progress: Callable[[ExploreStatus], None] = lambda _status: None, clock: Clock = time.monotonic,
) -> list[Result]:  # fmt: skip
    """Explore every cell in order, within ``options.budget`` seconds shared out over the searched cells."""
    searched = sum(1 for prop, _ in cells if prop.scope != "trace")
    budget = Budget(options.budget, searched, clock)
    results: list[Result] = []
    for prop, rule_set in cells:
        deadline = budget.next_cell() if prop.scope != "trace" else None
        name, count = f"{prop.id} {rule_set.name}", [0]

        def tick(name: str = name, count: list[int] = count) -> None:
            count[0] += 1
            progress(ExploreStatus(name, count[0], len(results), budget.seconds_left()))

        results.append(explore_cell(prop, rule_set, options, tick, deadline, clock))
    return results

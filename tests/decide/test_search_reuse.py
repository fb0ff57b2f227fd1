"""What the ambiguity search reuses instead of asking again gives the same answers (issue 9: speed).

``verdict_and_counterexample`` answers the set's verdict and its shortest counterexample from one check;
it must give the verdict ``bounded_verdict`` gives and the very counterexample ``counterexample_breaking``
gives (the sizes it minimises are facts, the model comes from a context of its own). A violating run
``verdict_and_violation`` answers is a replayed, conforming violation, so it may settle the verdict under
another reading it conforms to. Each comparison runs in forked children, so neither answer sees the
other's solver history. The phase timers (``decide.phases``) count a nested phase for itself only.
"""

from __future__ import annotations

import pytest

from sipsmodel.decide import phases
from sipsmodel.decide.witness import nonconforming
from sipsmodel.jobs import forked
from sipsmodel.props import evaluate_property, load_properties
from sipsmodel.rules.sets import PRESETS
from sipsmodel.smt.verdict import (
    bounded_verdict,
    counterexample_breaking,
    verdict_and_counterexample,
    verdict_and_violation,
)

PROPS = {p.id: p for p in load_properties()}


def _merged(case: tuple[str, str]) -> tuple[str, str | None]:
    prop, rule_set = case
    verdict, example = verdict_and_counterexample(PROPS[prop], PRESETS[rule_set], 3)
    return verdict, None if example is None else repr(example.scenario)


def _separate(case: tuple[str, str]) -> tuple[str, str | None]:
    prop, rule_set = case
    verdict = bounded_verdict(PROPS[prop], PRESETS[rule_set], 3)
    example = counterexample_breaking(PROPS[prop], PRESETS[rule_set], None, 3) if verdict == "refuted" else None
    return verdict, None if example is None else repr(example.scenario)


@pytest.mark.slow  # a few solver checks and minimisations per case, twice
@pytest.mark.parametrize(("prop", "rule_set"), [("I-1", "rfc3261"), ("I-13", "rfc5630"), ("I-17", "rfc3261")])
def test_one_check_gives_the_verdict_and_the_counterexample_of_two(prop: str, rule_set: str) -> None:
    merged, separate = forked(_merged, (prop, rule_set)), forked(_separate, (prop, rule_set))
    assert merged == separate
    assert (merged[1] is None) == (merged[0] == "proved")


def _violation(case: tuple[str, str]) -> tuple[str, bool, list[str]]:
    prop, rule_set = case
    verdict, run = verdict_and_violation(PROPS[prop], PRESETS[rule_set], 3)
    assert run is not None
    return verdict, evaluate_property(PROPS[prop], run.trace.observation).holds, nonconforming(run.trace,
                                                                                                PRESETS[rule_set])


@pytest.mark.slow  # one solver check and one replay
def test_a_violating_run_is_replayed_and_conforms() -> None:
    verdict, holds, broken = forked(_violation, ("I-7", "rfc3261"))
    assert (verdict, holds, broken) == ("refuted", False, [])


def test_a_nested_phase_counts_for_itself_only(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = iter(range(100))  # a CPU clock that advances one second per reading
    monkeypatch.setattr(phases.time, "process_time", lambda: float(next(clock)))
    phases.reset()  # reads 0
    with phases.phase("outer"), phases.phase("inner"):  # outer from 1, inner 2 .. 3
        pass
    # 4: outer ran 1..2 and 3..4, inner 2..3
    assert phases.totals() == {"outer": 2.0, "inner": 1.0}
    phases.reset()
    assert phases.totals() == {}

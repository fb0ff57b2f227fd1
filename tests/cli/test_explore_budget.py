"""``sipsmodel explore --budget``: the run's time shared out over the cells, and every cell's weight shown.

Issue 13, item 2. Counts are asserted, never wall time: a fake clock that advances one second per
simulated scenario makes the sharing exact; the real search with a tiny budget is checked by its counts.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import strategies as st

from sipsmodel.cli import cli
from sipsmodel.model.trace import Trace
from sipsmodel.props import Property
from sipsmodel.props.property import property_from_mapping
from sipsmodel.report import explore
from sipsmodel.report.budget import Budget
from sipsmodel.report.formats import render_report
from sipsmodel.report.progress import status_bar
from sipsmodel.resources import resource_path
from sipsmodel.rules.sets import RuleSet


class FakeClock:
    """A clock that only moves when a scenario is simulated (one second each)."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def secure_hops(clock: FakeClock, secure_under: str = "rfc5630"):  # type: ignore[no-untyped-def]
    """A stand-in for the simulator: drawn hops, all secure under ``secure_under``; each call takes 1 s."""

    def simulate(prop: Property, rule_set: RuleSet, data: st.DataObject, max_elements: int) -> Trace:
        clock.now += 1.0
        hops = []
        for index in range(data.draw(st.integers(0, max_elements))):
            drawn = data.draw(st.booleans())  # always drawn, so every rule set has as many distinct scenarios
            secure = rule_set.name == secure_under or drawn
            hops.append({"index": index, "kind": "request", "initial": True, "origin": "sips", "ruri": "sips",
                         "secure": secure})  # fmt: skip
        return Trace(rule_set.name, (), observation={"hops": hops})

    return simulate


def cells(*ids: str, rules: str = "rfc5630") -> list[tuple[Property, RuleSet]]:
    return explore.explore_plan(explore.ExploreOptions(properties=ids, rules=(rules,)))


TRACE_ONLY = {"id": "T-1", "title": "A trace-only property", "formula": "forall h in hops: not h.tls_param",
              "scope": "trace"}


def trace_only_folder(folder: Path) -> Path:
    """I-1b, I-17 and a trace-scope property (no shipped property is trace-only)."""
    for name in ("I-01b.toml", "I-17.toml"):
        (folder / name).write_text(resource_path("properties", name).read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "T-1.toml").write_text("".join(f'{k} = "{v}"\n' for k, v in TRACE_ONLY.items()), encoding="utf-8")
    return folder


def test_each_cell_gets_the_time_left_divided_by_the_cells_left(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeClock()
    monkeypatch.setattr(explore, "simulate_drawn", secure_hops(clock))
    trace_only = property_from_mapping(dict(TRACE_ONLY), "T-1.toml")
    i1, i1b = cells("I-1", "I-1b")
    plan = [i1, (trace_only, i1[1]), i1b]  # T-1 is trace-only: no search, no share
    results = explore.run_explore(plan, explore.ExploreOptions(budget=10.0), clock=clock)
    assert sorted((r.property, r.verdict, r.scenarios) for r in results) == [
        ("I-1", "sampled", 5), ("I-1b", "sampled", 5), ("T-1", "trace-only", None),
    ]  # fmt: skip
    searched = [r for r in results if r.verdict == "sampled"]
    assert all("stopped by the time budget (this cell's share: 5.0 s)" in r.reason for r in searched)


def test_time_a_cell_does_not_use_goes_to_the_next(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeClock()
    monkeypatch.setattr(explore, "simulate_drawn", secure_hops(clock))
    results = explore.run_explore(cells("I-1", "I-1b"), explore.ExploreOptions(examples=2, budget=10.0), clock=clock)
    assert [r.scenarios for r in results] == [2, 2]  # capped by --examples, not by time
    results = explore.run_explore(cells("I-1", "I-1b"), explore.ExploreOptions(examples=3, budget=8.0), clock=clock)
    assert [r.scenarios for r in results] == [3, 3] and "time budget" not in results[1].reason
    clock.now = 0.0
    budget = Budget(8.0, 2, clock)
    assert budget.next_cell() == 4.0
    clock.now = 1.0  # the first cell ended after 1 s: the second gets the 7 s left
    assert budget.next_cell() == 8.0 and budget.seconds_left() == 7.0


def test_no_budget_runs_every_example(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeClock()
    monkeypatch.setattr(explore, "simulate_drawn", secure_hops(clock))
    results = explore.run_explore(cells("I-1"), explore.ExploreOptions(examples=40, budget=0), clock=clock)
    assert results[0].scenarios == 40 and "time budget" not in results[0].reason
    assert Budget(0, 3, clock).next_cell() is None


def test_a_budget_ending_while_shrinking_keeps_the_smallest_violation_so_far(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeClock()
    monkeypatch.setattr(explore, "simulate_drawn", secure_hops(clock, secure_under="none"))
    results = explore.run_explore(cells("I-1", rules="rfc3261"), explore.ExploreOptions(budget=3.0), clock=clock)
    result = results[0]
    assert result.verdict == "refuted" and result.scenarios == 3 and result.counterexample is not None
    assert "shrinking stopped by the time budget" in result.reason
    assert any(not hop["secure"] for hop in result.counterexample.observation["hops"])


def test_progress_reports_the_cell_its_count_and_the_time_left(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeClock()
    monkeypatch.setattr(explore, "simulate_drawn", secure_hops(clock))
    seen: list[explore.ExploreStatus] = []
    explore.run_explore(cells("I-1", "I-1b"), explore.ExploreOptions(budget=4.0), seen.append, clock)
    assert [(s.cell, s.scenarios, s.cells_done) for s in seen] == [
        ("I-1 rfc5630", 1, 0), ("I-1 rfc5630", 2, 0), ("I-1b rfc5630", 1, 1), ("I-1b rfc5630", 2, 1),
    ]  # fmt: skip
    assert [s.seconds_left for s in seen] == [4.0, 3.0, 2.0, 1.0]
    assert explore.status_text(seen[1]) == ("I-1 rfc5630: 2 scenarios", 0, "3 s left")


def test_the_bar_is_drawn_only_on_a_terminal() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen, pipe = Terminal(), io.StringIO()
    for stream in (screen, pipe):
        with status_bar(3, "explore", stream) as show:
            show("I-1 rfc3261: 3 scenarios", 1, "42 s left")
    assert "explore I-1 rfc3261: 3 scenarios" in screen.getvalue() and "42 s left" in screen.getvalue()
    assert pipe.getvalue() == ""


def test_a_tiny_budget_stops_the_real_search_and_every_format_states_the_weights(tmp_path: Path) -> None:
    args = ["explore", "--properties", str(trace_only_folder(tmp_path)), "--rules", "rfc5630",
            "--rules", "draft-04", "--budget", "0.2"]  # fmt: skip
    outcome = CliRunner().invoke(cli, [*args, "--format", "json"])
    assert outcome.exit_code == 0, outcome.output
    results = json.loads(outcome.stdout)["results"]
    searched = [r for r in results if r["verdict"] != "trace-only"]
    assert len(searched) == 4 and all(1 <= r["scenarios"] < explore.DEFAULT_EXAMPLES for r in searched)
    assert all(r["verdict"] == "sampled" and "stopped by the time budget" in r["reason"] for r in searched)
    assert [r["scenarios"] for r in results if r["verdict"] == "trace-only"] == [None, None]

    text = CliRunner().invoke(cli, args).stdout
    assert "sampled (n=" in text and "random scenarios (" in text and "per cell)" in text
    sarif = json.loads(CliRunner().invoke(cli, [*args, "--format", "sarif"]).stdout)
    explored = sarif["runs"][0]["properties"]["explored"]
    assert len(explored) == 4 and all(cell["scenarios"] >= 1 for cell in explored)
    assert "sampled (n=" in CliRunner().invoke(cli, [*args, "--format", "markdown"]).stdout


def test_check_reports_carry_no_scenario_counts() -> None:
    from sipsmodel.report.result import Result

    proved = Result("I-1", "rfc5630", "proved", scope="unbounded")
    assert "random scenarios" not in render_report("text", [proved], {})
    assert "explored" not in json.loads(render_report("sarif", [proved], {}))["runs"][0]["properties"]

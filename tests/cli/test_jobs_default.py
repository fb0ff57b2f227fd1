"""``sipsmodel check`` uses the machine's CPUs by default (issue 11): ``--jobs`` defaults to the CPUs this
process may run on; ``--jobs 1`` stays. (That the results do not depend on the job count is
``tests/cli/test_check_reproducible.py``.)"""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from sipsmodel import jobs
from sipsmodel.cli import cli
from sipsmodel.jobs import cpu_count as real_cpu_count  # the conftest replaces the module's attribute
from sipsmodel.report import check
from sipsmodel.report.result import Result


def test_cpu_count_is_the_affinity_mask() -> None:
    expected = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert real_cpu_count() == expected >= 1


def _jobs_used(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    seen: list[int] = []

    def run_plan(cells: check.Plan, options: check.CheckOptions, tick: object = None) -> list[Result]:
        seen.append(options.jobs)
        return [Result(p.id, s.label, "trace-only") for p, s in cells.cells]

    monkeypatch.setattr(check, "run_plan", run_plan)
    outcome = CliRunner().invoke(cli, ["check", "--property", "I-16", "--rules", "rfc3261", *args])
    assert outcome.exit_code == 0, outcome.output
    return seen[0]


def test_jobs_default_to_the_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jobs, "cpu_count", lambda: 3)
    assert _jobs_used(monkeypatch) == 3
    assert _jobs_used(monkeypatch, "--jobs", "1") == 1
    assert "the number of CPUs" in CliRunner().invoke(cli, ["check", "--help"]).output

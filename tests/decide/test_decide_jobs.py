"""``sipsmodel decide --jobs`` (issue 8): it defaults to the CPUs, as ``check`` does, and the report is the same
whatever N: every property and change job runs in a child forked from a state built the same way in every
process (``sipsmodel.decide.jobs.property_job``, ``change_job``; the deprecation cells as ``check`` runs them)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sipsmodel import jobs
from sipsmodel.cli import cli
from sipsmodel.decide.report import DecideReport


def _without_seconds(value: object) -> object:
    if isinstance(value, dict):
        return {k: _without_seconds(v) for k, v in value.items() if k != "seconds"}
    if isinstance(value, list):
        return [_without_seconds(v) for v in value]
    return value


def test_decide_jobs_default_to_the_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    import sipsmodel.report.decide_run as decide_run
    from sipsmodel.report import decide_view

    seen: list[int] = []

    def run_decide(options: object, runner: jobs.Runner) -> DecideReport:
        seen.append(runner.width)
        return DecideReport("rfc3261", "binding", 3, "test", (), ())

    monkeypatch.setattr(decide_run, "run_decide", run_decide)
    monkeypatch.setattr(decide_view, "deprecation", lambda props, options, tick=None, known=None: ())
    monkeypatch.setattr(decide_view, "trial_balloon", lambda report: ())
    monkeypatch.setattr(jobs, "cpu_count", lambda: 3)
    for args, width in (((), 3), (("--jobs", "1"), 1), (("--jobs", "2"), 2)):
        outcome = CliRunner().invoke(cli, ["decide", "--property", "I-1", "--format", "json", *args])
        assert outcome.exit_code == 0, outcome.output
        assert seen[-1] == width
    assert "the number of CPUs" in CliRunner().invoke(cli, ["decide", "--help"]).output


def _decide(*args: str) -> dict[str, object]:
    """``sipsmodel decide`` as a user runs it: a new process."""
    done = subprocess.run([sys.executable, "-m", "sipsmodel", "decide", *args], capture_output=True, text=True,
                          timeout=1200, check=False)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert isinstance(data, dict)
    return data


@pytest.mark.slow
def test_the_report_is_the_same_whatever_the_job_count(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('add = ["DEAN-2", "DEAN-4a", "R-5630-5.3-g"]\nremove = ["R-3261-16.7-4a"]\n')
    args = ["--property", "I-13", "--property", "I-2", "--candidates", str(path), "--format", "json"]
    found = _decide(*args, "--jobs", "1")
    properties = found["properties"]
    assert isinstance(properties, list)
    assert [p["base_verdict"] for p in properties] == ["refuted", "refuted"]
    assert all(p["counterexample"]["transmissions"] for p in properties)  # flows compared, not only verdicts
    fixes = {p["property"]: [m["changes"] for m in p["minimal_sets"]] for p in properties}
    assert fixes == {"I-2": [[{"rule": "DEAN-2", "action": "add"}]], "I-13": [[{"rule": "DEAN-4a", "action": "add"}]]}
    changes, rows = found["changes"], found["deprecation"]
    assert isinstance(changes, list) and any(c["conflicts"] for c in changes)
    assert isinstance(rows, list) and any(r["counterexample"] for r in rows)  # a deprecation flow compared too
    assert _without_seconds(_decide(*args, "--jobs", "2")) == _without_seconds(found)

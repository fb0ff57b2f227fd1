"""The job layer (``sipsmodel.jobs``): shares, local processes and a Dask cluster give the same answers.

The Dask tests start a ``distributed.LocalCluster`` in this process (threads, TCP on 127.0.0.1 only)
and close it; each share still runs in a fresh interpreter, as on a real cluster.
"""

from __future__ import annotations

import json
import operator
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from sipsmodel import jobs
from sipsmodel.cli import cli
from sipsmodel.errors import ScenarioError, SipsModelError
from sipsmodel.jobs import Runner, run_jobs, shares
from sipsmodel.rules.sets import preset


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    from distributed import LocalCluster

    with LocalCluster(processes=False, n_workers=1, threads_per_worker=2, host="127.0.0.1", protocol="tcp",
                      dashboard_address=None) as cluster:
        yield str(cluster.scheduler_address)


def test_groups_go_round_robin_to_the_shares() -> None:
    items = ["a1", "b1", "a2", "c1", "b2", "d1"]
    assert shares(items, 2, group=lambda item: item[0]) == [[0, 2, 3], [1, 4, 5]]
    assert shares(items, 1, group=lambda item: item[0]) == [list(range(6))]
    assert shares(items, 9, group=lambda item: item[0]) == [[0, 2], [1, 4], [3], [5]]


def test_local_processes_keep_the_job_order() -> None:
    seen: list[int] = []
    answers = run_jobs(operator.neg, list(range(7)), Runner(3), group=lambda n: n % 4, tick=seen.append)
    assert answers == [-n for n in range(7)]
    assert sorted(seen) == list(range(7))


def test_pulling_workers_keep_the_job_order_and_take_every_job_once() -> None:
    seen: list[int] = []
    answers = run_jobs(operator.neg, list(range(9)), Runner(2), tick=seen.append, pull=True)
    assert answers == [-n for n in range(9)]
    assert sorted(seen) == list(range(9))


def test_pulling_workers_return_real_results_and_errors_as_themselves() -> None:
    assert run_jobs(preset, ["rfc5630", "dean-bcp", "rfc3261"], Runner(2), pull=True) == [
        preset("rfc5630"), preset("dean-bcp"), preset("rfc3261")]
    with pytest.raises(ScenarioError, match="unknown rule set 'no-such-set'"):
        run_jobs(preset, ["rfc3261", "no-such-set", "rfc5630"], Runner(2), pull=True)


def test_a_pulling_worker_that_dies_is_a_clear_error() -> None:
    with pytest.raises(SipsModelError, match="exited with code 3 without an answer"):
        run_jobs(sys.exit, [3, 3], Runner(2), pull=True)


def test_dask_gives_the_answers_in_job_order(scheduler: str) -> None:
    seen: list[int] = []
    answers = run_jobs(operator.neg, list(range(5)), Runner(2, scheduler), group=lambda n: n, tick=seen.append)
    assert answers == [0, -1, -2, -3, -4]
    assert sorted(seen) == list(range(5))


def test_an_error_in_a_dask_job_comes_back_as_itself(scheduler: str) -> None:
    with pytest.raises(ScenarioError, match="unknown rule set 'no-such-set'"):
        run_jobs(preset, ["rfc3261", "no-such-set"], Runner(2, scheduler), group=lambda name: name)


def test_a_fresh_share_process_returns_real_results() -> None:
    assert jobs.run_share_fresh(preset, ["rfc5630"]) == [preset("rfc5630")]


def _results(out: str) -> list[dict[str, object]]:
    results = json.loads(out)["results"]
    for result in results:
        result.pop("seconds")
    return list(results)


@pytest.mark.slow
def test_check_on_dask_prints_what_local_jobs_print(scheduler: str) -> None:
    args = ["check", "--property", "I-2", "--rules", "rfc3261", "--rules", "dean-bcp", "--format", "json",
            "--jobs", "2"]
    local = CliRunner().invoke(cli, args)
    remote = CliRunner().invoke(cli, [*args, "--scheduler", scheduler])
    assert (local.exit_code, remote.exit_code) == (0, 0), remote.stderr
    assert [r["verdict"] for r in _results(local.stdout)] == ["refuted", "proved"]
    assert _results(remote.stdout) == _results(local.stdout)


def test_missing_dask_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(SipsModelError, match=r"pip install 'sipsmodel\[dask\]'"):
        jobs.dask_client("tcp://127.0.0.1:8786")
    outcome = CliRunner().invoke(cli, ["check", "--property", "I-2", "--scheduler", "tcp://127.0.0.1:8786"])
    assert outcome.exit_code == 2
    assert "sipsmodel[dask]" in outcome.stderr and "Traceback" not in outcome.stderr


def test_an_unreachable_scheduler_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jobs, "CONNECT_TIMEOUT", 1.0)
    outcome = CliRunner().invoke(cli, ["check", "--property", "I-2", "--scheduler", "tcp://127.0.0.1:9"])
    assert outcome.exit_code == 2
    assert "no Dask scheduler answered" in outcome.stderr and "tcp://127.0.0.1:9" in outcome.stderr


def _without_seconds(value: object) -> object:
    if isinstance(value, dict):
        return {k: _without_seconds(v) for k, v in value.items() if k != "seconds"}
    if isinstance(value, list):
        return [_without_seconds(v) for v in value]
    return value


@pytest.mark.slow
def test_decide_on_dask_prints_what_local_jobs_print(scheduler: str, tmp_path: Path) -> None:
    candidates = tmp_path / "candidates.toml"
    candidates.write_text('add = ["DEAN-4a"]\n')
    args = ["decide", "--property", "I-13", "--candidates", str(candidates), "--format", "json", "--jobs", "2"]
    local = CliRunner().invoke(cli, args)
    remote = CliRunner().invoke(cli, [*args, "--scheduler", scheduler])
    assert (local.exit_code, remote.exit_code) == (0, 0), (local.output, remote.stderr)
    found = json.loads(local.stdout)
    assert [m["changes"] for m in found["properties"][0]["minimal_sets"]] == [[{"rule": "DEAN-4a", "action": "add"}]]
    assert _without_seconds(json.loads(remote.stdout)) == _without_seconds(found)


@pytest.mark.slow
def test_check_json_is_the_same_with_one_and_two_jobs_counterexamples_included() -> None:
    # refuted cells whose counterexamples come from several solver calls; two workers pull properties
    args = ["check", "--property", "I-12", "--property", "I-10", "--property", "I-22", "--rules", "rfc3261",
            "--rules", "rfc5630", "--format", "json"]
    one = CliRunner().invoke(cli, [*args, "--jobs", "1"])
    two = CliRunner().invoke(cli, [*args, "--jobs", "2"])
    assert one.exit_code == two.exit_code == 0, one.output + two.output
    assert [r["verdict"] for r in _results(one.stdout)].count("refuted") >= 3
    assert _results(two.stdout) == _results(one.stdout)

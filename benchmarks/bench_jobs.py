"""Benchmark of the job layer (issue 8 item 8). A script, not a test: python benchmarks/bench_jobs.py.

Prints, for the same ``check`` cells (real prover): the wall time in this process (``--jobs 1``), with
two local worker processes (``--jobs 2``), and on a Dask cluster of one and of two workers (a
``LocalCluster`` on 127.0.0.1, started and closed here), with the speed-up over one worker and a
check that every way gives the same results. Then the overhead per job: trivial jobs through each way
(per job, and per share for the fresh interpreter that each share gets on Dask). The figures depend on
the machine's load; the ratios are what to compare.
"""

from __future__ import annotations

import argparse
import operator
import os
import time
from collections.abc import Callable
from typing import Any

from sipsmodel.jobs import Runner, run_jobs, run_share_fresh
from sipsmodel.report.check import CheckOptions, check_cell_job, plan
from sipsmodel.report.result import Result


def _timed(run: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = run()
    return time.perf_counter() - start, value


def _comparable(results: list[Result]) -> list[tuple[object, ...]]:
    return [(r.property, r.rules, r.verdict, r.scope, r.rules_used, r.violation) for r in results]


def cells(properties: list[str]) -> list[tuple[Any, Any, CheckOptions]]:
    options = CheckOptions(properties=tuple(properties))
    return [(prop, rule_set, options) for prop, rule_set in plan(options).cells]


def bench_cells(properties: list[str]) -> None:
    from distributed import LocalCluster

    jobs = cells(properties)
    print(f"{len(jobs)} check cells: {', '.join(properties)} under the four presets")

    def run(runner: Runner) -> list[Result]:
        return run_jobs(check_cell_job, jobs, runner, group=lambda job: job[0].id)

    serial, reference = _timed(lambda: run(Runner(1)))
    print(f"  this process (--jobs 1)        {serial:7.2f} s")
    local, answer = _timed(lambda: run(Runner(2)))
    same = "same results" if _comparable(answer) == _comparable(reference) else "DIFFERENT results"
    print(f"  2 local processes (--jobs 2)   {local:7.2f} s   speed-up x{serial / local:.2f}   {same} as --jobs 1")
    per_width: dict[int, float] = {}
    for workers in (1, 2):
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=False, host="127.0.0.1",
                          protocol="tcp", dashboard_address=None) as cluster:
            seconds, answer = _timed(lambda: run(Runner(workers, str(cluster.scheduler_address))))
        per_width[workers] = seconds
        local_same = _comparable(run(Runner(workers))) == _comparable(answer) if workers > 1 else (
            _comparable(answer) == _comparable(reference))
        ratio = per_width[1] / seconds
        print(f"  Dask, {workers} worker(s) (--jobs {workers})   {seconds:7.2f} s   speed-up x{ratio:.2f} over 1 worker"
              f"   {'same' if local_same else 'DIFFERENT'} results as --jobs {workers} locally")


def bench_overhead(count: int) -> None:
    from distributed import LocalCluster

    items = list(range(count))
    print(f"overhead per job ({count} trivial jobs)")
    seconds, _ = _timed(lambda: run_jobs(operator.neg, items, Runner(1)))
    print(f"  this process                   {seconds / count * 1e6:9.1f} us per job")
    seconds, _ = _timed(lambda: run_jobs(operator.neg, items, Runner(2)))
    print(f"  2 local processes              {seconds / count * 1e3:9.1f} ms per job (2 fresh processes in all)")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, host="127.0.0.1", protocol="tcp",
                      dashboard_address=None) as cluster:
        address = str(cluster.scheduler_address)
        seconds, _ = _timed(lambda: run_jobs(operator.neg, items, Runner(2, address)))
        print(f"  Dask, 2 shares                 {seconds / count * 1e3:9.1f} ms per job (connect, 2 tasks, 2 fresh "
              "interpreters)")
        seconds, _ = _timed(lambda: run_jobs(operator.neg, items, Runner(count, address), group=lambda n: n))
        print(f"  Dask, one share per job        {seconds / count * 1e3:9.1f} ms per job (a task and a fresh "
              "interpreter each)")
    seconds, _ = _timed(lambda: run_share_fresh(operator.neg, [1]))
    print(f"  one fresh interpreter          {seconds * 1e3:9.1f} ms per share (python -m sipsmodel.jobs)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--property", action="append", dest="properties",
                        help="property IDs (default: I-1 I-2 I-4b I-13 I-14)")
    parser.add_argument("--overhead-jobs", type=int, default=20)
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (a speed-up needs idle CPUs)")
    bench_cells(args.properties or ["I-1", "I-2", "I-4b", "I-13", "I-14"])
    bench_overhead(args.overhead_jobs)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

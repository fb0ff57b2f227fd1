"""Benchmark of ``sipsmodel decide`` (issue 8). A script, not a test: python benchmarks/bench_decide.py.

Prints the CPU time of ``decide`` with default arguments (every property, base rfc3261, the candidates
of draft-04, dean-bcp and rfc5630, bound 3), job by job as the command runs them (each in a child
forked after the encoding and the conflict solver are built; its CPU read from the child's resource
usage), split into the property jobs (questions 1 and 2), the change jobs (question 3) and the
deprecation cells, with the slowest jobs. From those figures it computes what ``--jobs 2`` needs on
an idle 2-core machine: the shares are the command's own (``sipsmodel.jobs.shares``), so the wall
time is the serial part plus the busier share of each round. ``--cli`` also runs the command itself
(``sipsmodel decide --jobs 2``) and prints its wall and CPU time with the load average. Then how the
time grows with the number of candidates (the first N candidate changes in table order, additions
first, for all three questions), each size in a fresh process, and the CPU seconds per candidate.
CPU time is the figure to compare on a loaded machine: the wall clock also counts the other
processes sharing the cores. Target: under 2 minutes on a 2-core machine.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

_SIZE_SCRIPT = """
import json, sys
from dataclasses import replace
sys.path.insert(0, sys.argv[2])
from bench_decide import measured_jobs
from sipsmodel.decide.jobs import DecideOptions, plan_decide
plan = plan_decide(DecideOptions())
n = int(sys.argv[1])
chosen = plan.candidates.changes[:n]
kept = tuple(c for c in plan.property_jobs[0].changes if c in chosen)
props = [replace(j, changes=kept) for j in plan.property_jobs]
changes = [j for j in plan.change_jobs if j.change in chosen]
times, answers = measured_jobs([*props, *changes])
print(json.dumps({"sets": sum(len(a.minimal_sets) for a in answers[:len(props)]),
                  "properties": sum(times[:len(props)]), "changes": sum(times[len(props):])}))
"""


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measured_jobs(jobs: Sequence[Any], run: Callable[[Any], Any] | None = None) -> tuple[list[float], list[Any]]:
    """Each job as ``decide`` runs it (forked from the prepared state) and the CPU seconds its child used."""
    from sipsmodel.report.decide_run import decide_job

    times, answers = [], []
    for job in jobs:
        before = child_cpu()
        answers.append((run or decide_job)(job))
        times.append(child_cpu() - before)
    return times, answers


def busiest_share(times: Sequence[float], groups: Sequence[str], width: int) -> float:
    """The CPU seconds of the busiest of ``width`` shares, as ``sipsmodel.jobs.shares`` splits the jobs."""
    from sipsmodel.jobs import shares

    return max(sum(times[i] for i in share) for share in shares(list(range(len(times))), width, lambda i: groups[i]))


def full_run() -> tuple[int, int, float, float]:
    """decide with default arguments, job by job, and what --jobs 2 needs on an idle machine.

    Returns the growth table's row of every candidate: count, minimal sets, property and change CPU.
    """
    from sipsmodel.decide.jobs import DecideOptions, assemble, plan_decide
    from sipsmodel.report import deprecation as dep
    from sipsmodel.report.check import CheckOptions
    from sipsmodel.report.decide_run import job_group, prepare_forks
    from sipsmodel.rules.sets import load_rule_set
    from sipsmodel.selection import select_properties

    start = time.process_time()
    options = DecideOptions()
    plan = plan_decide(options)
    prepare_forks(options.bound, options.timeout)
    serial = time.process_time() - start
    jobs: list[Any] = [*plan.property_jobs, *plan.change_jobs]
    times, answers = measured_jobs(jobs)
    count = len(plan.property_jobs)
    report = assemble(plan, answers[:count], answers[count:])
    known = dep.known_base_cells(report)
    cells = CheckOptions((), (), None, options.bound, "binding", False, options.timeout, options.seed, 1,
                         options.rlimit)
    wanted: dict[str, tuple[Any, list[Any]]] = {}
    for prop, restated in dep.pairs(select_properties((), None)):
        for p, set_names in ((prop, dep.SIPS_SETS), (restated, dep.TLS_SETS)):
            for name in set_names:
                if (p.id, name) not in known:
                    wanted.setdefault(p.id, (p, []))[1].append(load_rule_set(name))
    cell_jobs = [(p, tuple(sets), cells) for p, sets in wanted.values()]
    cell_times, _ = measured_jobs(cell_jobs, dep.deprecation_job)
    props, changes, cell_cpu = sum(times[:count]), sum(times[count:]), sum(cell_times)
    total = serial + props + changes + cell_cpu
    print(f"decide (defaults): {count} properties, {len(plan.change_jobs)} candidate changes, "
          f"{sum(len(p.minimal_sets) for p in report.properties)} minimal sets, "
          f"{sum(len(s) for _, s, _ in cell_jobs)} deprecation cells")
    print(f"  serial part (plan, encoding, conflict solver): cpu {serial:6.1f} s")
    print(f"  properties (questions 1 and 2):               cpu {props:6.1f} s")
    print(f"  changes (question 3):                         cpu {changes:6.1f} s")
    print(f"  deprecation cells:                            cpu {cell_cpu:6.1f} s")
    print(f"  total:                                        cpu {total:6.1f} s")
    names = [job_group(j) for j in jobs] + [j[0].id for j in cell_jobs]
    slow = sorted(zip([*times, *cell_times], names, strict=True), reverse=True)[:8]
    print("  slowest jobs (cpu s): " + ", ".join(f"{name} {t:.1f}" for t, name in slow))
    groups = [job_group(j) for j in jobs]
    for width in (1, 2):
        wall = (serial + busiest_share(times, groups, width)
                + busiest_share(cell_times, [j[0].id for j in cell_jobs], width) + (width > 1) * 2 * STARTUP)
        print(f"  --jobs {width} on an idle {width}-core machine: about {wall:5.1f} s wall (serial part, the busiest "
              f"share of each of the two rounds{', a fresh interpreter per share and round' if width > 1 else ''})"
              f"{'  (target < 120 s)' if width == 2 else ''}")
    return len(plan.change_jobs), sum(len(p.minimal_sets) for p in report.properties), props, changes


#: CPU seconds a fresh share interpreter needs before its first job (import, encoding, conflict solver).
STARTUP = 1.5


def cli_run() -> None:
    """The command itself with two jobs: wall, CPU (this process's children) and the load average."""
    before, start = child_cpu(), time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "sipsmodel", "decide", "--jobs", "2", "--format", "json"],
                          capture_output=True, text=True, check=False)
    wall, cpu = time.perf_counter() - start, child_cpu() - before
    print(f"\nsipsmodel decide --jobs 2: exit {done.returncode}, wall {wall:.1f} s, cpu {cpu:.1f} s, "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end")


def growth(sizes: list[int], every: tuple[int, int, float, float] | None) -> None:
    """CPU time against the number of candidates, each size in a fresh process (``every``: the full run's row)."""
    print("\ncandidates  minimal sets  properties cpu s  changes cpu s  cpu s per candidate")
    rows = []
    for n in sizes:
        done = subprocess.run([sys.executable, "-c", _SIZE_SCRIPT, str(n), str(Path(__file__).parent)],
                              capture_output=True, text=True, check=True)
        data = json.loads(done.stdout.strip().splitlines()[-1])
        rows.append((n, data["sets"], data["properties"], data["changes"]))
    rows += [every] if every is not None else []
    for n, sets, props, changes in rows:
        print(f"{n:10d}  {sets:12d}  {props:16.1f}  {changes:13.1f}  {(props + changes) / n:19.2f}")
    totals = sorted((n, props + changes) for n, _, props, changes in rows)
    for (n0, t0), (n1, t1) in itertools.pairwise(totals):
        print(f"  {n0} -> {n1} candidates (x{n1 / n0:.2f}): cpu x{t1 / t0:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="11,22", help="candidate counts for the growth table (the full run "
                                                          "adds the row of every candidate)")
    parser.add_argument("--skip-full", action="store_true", help="only the growth table")
    parser.add_argument("--cli", action="store_true", help="also run sipsmodel decide --jobs 2 itself")
    args = parser.parse_args()
    every = None if args.skip_full else full_run()
    if args.cli:
        cli_run()
    growth([int(n) for n in args.sizes.split(",") if n], every)


if __name__ == "__main__":
    main()

"""Benchmark of ``sipsmodel decide`` (issue 8). A script, not a test: python benchmarks/bench_decide.py.

Prints the wall-clock and CPU time of ``decide`` with default arguments (every property, base rfc3261,
the candidates of draft-04, dean-bcp and rfc5630, bound 3), split into the property jobs (questions 1
and 2) and the change jobs (question 3), with the slowest jobs; then how the time grows with the number
of candidates (the first N default additions in table order for questions 1 and 2, the first N
candidate changes for question 3), run in fresh processes so that each size
pays the same encoding build. CPU time is the figure to compare on a loaded machine: the wall clock
also counts the other processes sharing the cores. Target: under 2 minutes on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

from sipsmodel.decide.jobs import DecideOptions, assemble, plan_decide, run_change_job, run_property_job

_SIZE_SCRIPT = """
import json, sys, time
from sipsmodel.decide.jobs import DecideOptions, plan_decide, run_change_job, run_property_job
from dataclasses import replace
plan = plan_decide(DecideOptions())
n = int(sys.argv[1])
kept = plan.property_jobs[0].changes[:n]  # the additions the minimal-set search uses
props = [replace(j, changes=kept) for j in plan.property_jobs]
start, cpu = time.perf_counter(), time.process_time()
answers = [run_property_job(j) for j in props]
middle, cpu_middle = time.perf_counter(), time.process_time()
changes = [run_change_job(j) for j in plan.change_jobs[:n]]
print(json.dumps({"sets": sum(len(a.minimal_sets) for a in answers),
                  "properties": [middle - start, cpu_middle - cpu],
                  "changes": [time.perf_counter() - middle, time.process_time() - cpu_middle]}))
"""


def clocks() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def full_run() -> None:
    """decide with default arguments, in this process, phase by phase."""
    wall0, cpu0 = clocks()
    plan = plan_decide(DecideOptions())
    slow: list[tuple[float, str]] = []
    properties = []
    for job in plan.property_jobs:
        start = time.process_time()
        properties.append(run_property_job(job))
        slow.append((time.process_time() - start, job.prop.id))
    wall1, cpu1 = clocks()
    changes = []
    for change_job in plan.change_jobs:
        start = time.process_time()
        changes.append(run_change_job(change_job))
        slow.append((time.process_time() - start, change_job.change.label))
    wall2, cpu2 = clocks()
    report = assemble(plan, properties, changes)
    print(f"decide (defaults): {len(plan.property_jobs)} properties, {len(plan.change_jobs)} candidate changes, "
          f"{sum(len(p.minimal_sets) for p in report.properties)} minimal sets")
    print(f"  properties (questions 1 and 2): wall {wall1 - wall0:6.1f} s  cpu {cpu1 - cpu0:6.1f} s "
          "(includes the encoding build)")
    print(f"  changes (question 3):           wall {wall2 - wall1:6.1f} s  cpu {cpu2 - cpu1:6.1f} s")
    print(f"  total:                          wall {wall2 - wall0:6.1f} s  cpu {cpu2 - cpu0:6.1f} s  (target < 120 s)")
    print("  slowest jobs (cpu s): " + ", ".join(f"{name} {t:.1f}" for t, name in sorted(slow, reverse=True)[:8]))


def growth(sizes: list[int]) -> None:
    """Time against the number of candidates, each size in a fresh process."""
    print("\ncandidates  minimal sets  properties cpu s  changes cpu s  (wall s)")
    for n in sizes:
        done = subprocess.run([sys.executable, "-c", _SIZE_SCRIPT, str(n)], capture_output=True, text=True,
                              check=True)
        data = json.loads(done.stdout.strip().splitlines()[-1])
        props, changes = data["properties"], data["changes"]
        print(f"{n:10d}  {data['sets']:12d}  {props[1]:16.1f}  {changes[1]:13.1f}  "
              f"({props[0] + changes[0]:.1f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5,10,20,35", help="candidate counts for the growth table")
    parser.add_argument("--skip-full", action="store_true", help="only the growth table")
    args = parser.parse_args()
    if not args.skip_full:
        full_run()
    growth([int(n) for n in args.sizes.split(",") if n])


if __name__ == "__main__":
    main()

"""Benchmark of ``sipsmodel check`` (issue 11: the whole grid under 20 s on 2 cores, growth about linear).

A script, not a test: ``python benchmarks/bench_check.py [--skip-cli] [--skip-cells] [--skip-growth]``.

1. The command as a user runs it, ``sipsmodel check --summary`` with the default ``--jobs`` (the CPUs)
   and with ``--jobs 1``, each in a fresh process: wall time, CPU time (user + system of the process
   and its workers) and peak memory.
2. Every cell of the grid in this process (``--jobs 1``): CPU seconds and z3 resource units (Mu, which
   do not depend on the machine's load) per cell, the cells that dominate, and the totals; then the
   estimate of the default command's wall time on an idle machine: the CPU of the largest share when
   ``--jobs`` workers take the properties in order as they free up (``check``'s ``pull``), each
   worker also paying its start (a fresh interpreter that imports and builds the encoding, measured).
3. Growth with the bound k = 2, 4, 8, 16 for a few cells, each k in a fresh process (so it builds its
   own encoding): CPU seconds, Mu and peak memory, with the ratio to k = 2.

The machine may be shared: the load average is printed at the start and the end, and CPU time and Mu
are the figures to compare; wall time is only meaningful on an idle machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time

GROWTH_CELLS = (("I-1", "rfc5630"), ("I-4", "rfc3261"))
GROWTH_BOUNDS = (2, 4, 8, 16)
#: The wall-clock limit of each check here: CPU time and Mu are measured, so a loaded machine must not
#: turn a slow cell into ``unknown`` (the command keeps its default, 20 s).
TIMEOUT = 600.0

ONE_CELL = f"TIMEOUT = {TIMEOUT}\n" + """
import json, resource, sys, time
import z3
from sipsmodel.report import check
def units():
    s = z3.Solver(); s.check(); return int(s.statistics().get_key_value("rlimit count"))
pid, rules, bound = sys.argv[1], sys.argv[2], int(sys.argv[3])
options = check.CheckOptions(rules=(rules,), properties=(pid,), bound=bound, jobs=1, timeout=TIMEOUT)
(prop, rule_set), = check.plan(options).cells
start, before = time.process_time(), units()
result = check.check_cell(prop, rule_set, options)
print(json.dumps({"label": result.label, "cpu": time.process_time() - start, "mu": (units() - before) / 1e6,
                  "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def load() -> str:
    return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"


def bench_cli() -> None:
    print("== sipsmodel check --summary, in a fresh process ==")
    for extra in ([], ["--jobs", "1"]):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "sipsmodel", "check", "--summary", *extra], capture_output=True,
                              text=True, check=False)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        counts = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-300:]
        print(f"  {' '.join(extra) or '(default --jobs)':17} exit {done.returncode}  wall {wall:6.1f} s  "
              f"CPU {cpu:6.1f} s  peak {after.ru_maxrss / 1024:5.0f} MB (largest process)  [{load()}]")
        print(f"    {counts}")


def bench_cells() -> None:
    import z3

    from sipsmodel.report import check

    def units() -> int:
        solver = z3.Solver()
        solver.check()
        return int(solver.statistics().get_key_value("rlimit count"))

    print("== every cell in this process (--jobs 1) ==")
    options = check.CheckOptions(jobs=1, timeout=TIMEOUT)
    rows = []
    for prop, rule_set in check.plan(options).cells:
        start, before = time.process_time(), units()
        result = check.check_cell(prop, rule_set, options)
        rows.append((time.process_time() - start, (units() - before) / 1e6, prop.id, rule_set.name, result.label))
    total_cpu, total_mu = sum(r[0] for r in rows), sum(r[1] for r in rows)
    print(f"  {len(rows)} cells: CPU {total_cpu:.1f} s, {total_mu:.0f} Mu  [{load()}]")
    print("  the cells that dominate (CPU s, Mu, share of the CPU):")
    for cpu, mu, pid, rules, label in sorted(rows, reverse=True)[:12]:
        print(f"    {pid:5} {rules:9} {label:24} {cpu:6.2f} s {mu:7.1f} Mu  {100 * cpu / total_cpu:4.1f} %")
    by_verdict: dict[str, float] = {}
    for cpu, _, _, _, label in rows:
        key = label.split(" ")[0]
        by_verdict[key] = by_verdict.get(key, 0.0) + cpu
    print("  CPU by verdict: " + ", ".join(f"{k} {v:.1f} s" for k, v in sorted(by_verdict.items())))
    print("  every cell (CPU s): " + ", ".join(f"{pid}/{rules} {cpu:.2f}" for cpu, _, pid, rules, _ in rows))
    share_estimate(rows, os.cpu_count() or 1)


START = """
import time
start = time.process_time()
import importlib
from sipsmodel.report import check
from sipsmodel.defaults import DEFAULT_BOUND, DEFAULT_TIMEOUT
importlib.import_module("sipsmodel.smt.prove").prepare_encoding(DEFAULT_BOUND, False, DEFAULT_TIMEOUT)
print(time.process_time() - start)
"""


def share_estimate(rows: list[tuple[float, float, str, str, str]], width: int) -> None:
    """The CPU of each worker when ``width`` workers take the properties in order (``pull``), with their start."""
    done = subprocess.run([sys.executable, "-c", START], capture_output=True, text=True, check=False)
    start = float(done.stdout.strip() or "nan")
    per: dict[str, float] = {}
    for cpu, _, pid, _, _ in rows:
        per[pid] = per.get(pid, 0.0) + cpu
    shares = [start] * width
    for cpu in per.values():  # the next property goes to the worker that is free first
        shares[shares.index(min(shares))] += cpu
    print(f"  estimate for --jobs {width} on an idle machine: largest share {max(shares):.1f} s CPU "
          f"(shares {', '.join(f'{s:.1f}' for s in shares)} s; each starts with {start:.1f} s of imports and build)"
          f"  [{load()}]")


def bench_growth(cells: list[tuple[str, str]]) -> None:
    print("== growth with the bound (each k in a fresh process: build, solver, cores or counterexample) ==")
    for pid, rules in cells:
        base: dict[str, float] | None = None
        for bound in GROWTH_BOUNDS:
            done = subprocess.run([sys.executable, "-c", ONE_CELL, pid, rules, str(bound)], capture_output=True,
                                  text=True, check=False)
            if done.returncode != 0:
                print(f"  {pid}/{rules} k={bound}: failed: {done.stderr[-300:]}")
                continue
            row = json.loads(done.stdout)
            base = base or row
            cpu, mu, rss = row["cpu"] / base["cpu"], row["mu"] / max(base["mu"], 1e-9), row["rss"] / base["rss"]
            print(f"  {pid:5} {rules:9} k={bound:2d}  {row['label']:22} CPU {row['cpu']:6.2f} s (x{cpu:4.1f})"
                  f"  {row['mu']:7.1f} Mu (x{mu:4.1f})  peak {row['rss']:5.0f} MB (x{rss:4.2f})")
    print(f"  [{load()}]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-cli", action="store_true", help="do not run the command in fresh processes")
    parser.add_argument("--skip-cells", action="store_true", help="do not time every cell in this process")
    parser.add_argument("--skip-growth", action="store_true", help="do not measure growth with the bound")
    parser.add_argument("--growth-cell", action="append", metavar="ID:RULES", help="a cell for the growth part")
    args = parser.parse_args()
    print(f"start: {load()}")
    if not args.skip_cli:
        bench_cli()
    if not args.skip_cells:
        bench_cells()
    if not args.skip_growth:
        bench_growth([tuple(c.split(":", 1)) for c in args.growth_cell] if args.growth_cell else list(GROWTH_CELLS))
    print(f"end: {load()}")


if __name__ == "__main__":
    main()

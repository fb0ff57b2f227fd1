"""Benchmark of ``sipsmodel ambiguities`` over the four presets (issue 9: under 2 minutes on 2 cores).

A script, not a test: python benchmarks/bench_ambiguities.py [JOBS] [--json FILE]. Runs the search over
the four presets and every property as the command does (the presets on JOBS processes at once, default
the CPUs), and prints the wall time, the CPU time of this process and of its children (which does not
grow when other processes share the machine), the findings of each kind per preset, the CPU time of each
preset's search by phase (``decide.phases``: which part dominates), each worker's sets in the order it
searched them (the second reuses what the first built) and their total, and what is left for the processes'
setup (interpreter, encoding and its two-run product), the F-items found, and the load average before
and after, since a loaded machine stretches wall time. ``--json FILE`` also writes the report as
``sipsmodel ambiguities --format json`` prints it (to compare the findings of two versions). Exits 1 when the
coverage of section F differs from docs/ambiguities.md's table (the tests pin each found item by its
narrowest query; the whole search's coverage is checked here).
"""

from __future__ import annotations

import os
import re
import resource
import sys
import time
from pathlib import Path

from sipsmodel.decide.ambiguities import Phases, coverage, find_ambiguities
from sipsmodel.jobs import Runner, cpu_count
from sipsmodel.props import load_properties
from sipsmodel.report.ambiguities import RENDERERS
from sipsmodel.report.ambiguities_run import search_order, worker_map
from sipsmodel.rules.sets import PRESETS

#: The coverage table of docs/ambiguities.md (item -> status as ``coverage`` spells it).
DOCS = {item: status for item, status in re.findall(
    r"^\| (F-\d+) \| ([^|]+?) \|", (Path(__file__).resolve().parents[1] / "docs" / "ambiguities.md").read_text(
        encoding="utf-8"), re.M)}
DOCS = {item: {"found": "found", "expressed, not security-relevant": "not-security-relevant",
               "not expressible": "not-expressible"}[status] for item, status in DOCS.items()}


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _print_phases(phases: Phases, cpu: float) -> None:
    """Each preset's CPU time by phase, largest phase first, and what the searches leave for the setup."""
    names = sorted({name for times in phases.values() for name in times},
                   key=lambda n: -sum(times.get(n, 0.0) for times in phases.values()))
    print(f"{'cpu s by phase':<44}" + "".join(f"{preset:>10}" for preset in phases) + f"{'all':>10}")
    for name in names:
        row = [times.get(name, 0.0) for times in phases.values()]
        print(f"{name:<44}" + "".join(f"{t:10.1f}" for t in row) + f"{sum(row):10.1f}")
    searches = [sum(times.values()) for times in phases.values()]
    print(f"{'search (each preset, in its worker)':<44}" + "".join(f"{t:10.1f}" for t in searches)
          + f"{sum(searches):10.1f}")
    print(f"setup (interpreters, encoding, two-run product): {cpu - sum(searches):.1f} s")


def _print_workers(phases: Phases, jobs: int) -> None:
    """Each worker's sets in the order it searched them and their CPU time: the largest bounds the wall time."""
    names = list(PRESETS)
    order = search_order([(PRESETS[name], (), 0) for name in names], jobs)
    for worker in range(max(1, jobs)):
        mine = [names[i] for n, i in enumerate(order) if n % max(1, jobs) == worker]
        times = [sum(phases.get(name, {}).values()) for name in mine]
        searched = ", then ".join(f"{name} {t:.1f} s" for name, t in zip(mine, times, strict=True))
        print(f"worker {worker + 1}: {searched} = {sum(times):.1f} s of search")


def main() -> None:
    args = sys.argv[1:]
    out = None
    if "--json" in args:
        at = args.index("--json")
        out = Path(args[at + 1])
        del args[at:at + 2]
    jobs = int(args[0]) if args else cpu_count()
    props = load_properties()
    load0 = os.getloadavg()[0]
    wall0, cpu0 = time.perf_counter(), _cpu()
    phases: Phases = {}
    everything = find_ambiguities(list(PRESETS.values()), props, mapper=worker_map(Runner(jobs)),
                                  phases=phases)
    wall, cpu = time.perf_counter() - wall0, _cpu() - cpu0
    for name in PRESETS:
        findings = [f for f in everything if f.rule_set == name]
        kinds = {k: sum(1 for f in findings if f.kind == k) for k in ("reading", "exercise", "flow", "choice")}
        print(f"{name:<9} findings: {kinds['reading']} reading, {kinds['exercise']} exercise, "
              f"{kinds['flow']} built-in flow, {kinds['choice']} open choice")
    _print_phases(phases, cpu)
    _print_workers(phases, jobs)
    cover = coverage(everything)
    if out is not None:
        out.write_text(RENDERERS["json"](everything, cover), encoding="utf-8")
    found = sorted((k for k, v in cover.items() if v == "found"), key=lambda k: int(k[2:]))
    print(f"total     wall {wall:6.1f} s  cpu {cpu:6.1f} s (this process and its children)  jobs {jobs}  "
          f"(target: under 120 s wall on an idle 2-core machine); load average {load0:.1f} before, "
          f"{os.getloadavg()[0]:.1f} after")
    print(f"F-items found: {', '.join(found)} ({len(found)})")
    differ = {item: (status, DOCS[item]) for item, status in cover.items() if DOCS.get(item) != status}
    if differ:  # the tests pin each item by its narrowest query; the whole search is checked here
        print(f"coverage differs from docs/ambiguities.md (item: search, docs): {differ}")
        sys.exit(1)
    print("coverage: as docs/ambiguities.md's table")


if __name__ == "__main__":
    main()

"""Benchmark of ``sipsmodel ambiguities`` over the four presets (issue 9: under 2 minutes on 2 cores).

A script, not a test: python benchmarks/bench_ambiguities.py [JOBS]. Runs the search over the four
presets and every property as the command does (the presets on JOBS processes at once, default the
CPUs), and prints the wall time, the CPU time of this process and of its children (which does not grow
when other processes share the machine), the findings of each kind per preset, the F-items found, and
the load average before and after, since a loaded machine stretches wall time. Exits 1 when the
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

from sipsmodel.decide.ambiguities import coverage, find_ambiguities
from sipsmodel.defaults import DEFAULT_BOUND
from sipsmodel.jobs import Runner, cpu_count
from sipsmodel.props import load_properties
from sipsmodel.report.ambiguities_run import forking_map
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


def main() -> None:
    jobs = int(sys.argv[1]) if len(sys.argv) > 1 else cpu_count()
    props = load_properties()
    load0 = os.getloadavg()[0]
    wall0, cpu0 = time.perf_counter(), _cpu()
    everything = find_ambiguities(list(PRESETS.values()), props, mapper=forking_map(Runner(jobs), DEFAULT_BOUND))
    wall, cpu = time.perf_counter() - wall0, _cpu() - cpu0
    for name in PRESETS:
        findings = [f for f in everything if f.rule_set == name]
        kinds = {k: sum(1 for f in findings if f.kind == k) for k in ("reading", "exercise", "flow", "choice")}
        print(f"{name:<9} findings: {kinds['reading']} reading, {kinds['exercise']} exercise, "
              f"{kinds['flow']} built-in flow, {kinds['choice']} open choice")
    cover = coverage(everything)
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

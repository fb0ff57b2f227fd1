"""Benchmark of ``sipsmodel ambiguities`` over the four presets (issue 9: under 2 minutes on 2 cores).

A script, not a test: python benchmarks/bench_ambiguities.py. Prints, per preset and in total, the wall
time, the CPU time of this process (which does not grow when other processes share the machine), the
number of findings of each kind, the F-items found, and the load average, since a loaded machine
stretches wall time.
"""

from __future__ import annotations

import os
import time

from sipsmodel.decide.ambiguities import coverage, find_ambiguities
from sipsmodel.props import load_properties
from sipsmodel.rules.sets import PRESETS


def main() -> None:
    props = load_properties()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    everything = []
    for name, rule_set in PRESETS.items():
        wall, cpu = time.perf_counter(), time.process_time()
        findings = find_ambiguities([rule_set], props)
        everything += findings
        kinds = {k: sum(1 for f in findings if f.kind == k) for k in ("reading", "exercise", "flow", "choice")}
        print(f"{name:<9} wall {time.perf_counter() - wall:6.1f} s  cpu {time.process_time() - cpu:6.1f} s  "
              f"findings: {kinds['reading']} reading, {kinds['exercise']} exercise, {kinds['flow']} built-in flow, "
              f"{kinds['choice']} open choice")
    cover = coverage(everything)
    found = sorted((k for k, v in cover.items() if v == "found"), key=lambda k: int(k[2:]))
    print(f"total     wall {time.perf_counter() - wall0:6.1f} s  cpu {time.process_time() - cpu0:6.1f} s  "
          f"(target: under 120 s wall on an idle 2-core machine); load average {os.getloadavg()[0]:.1f}")
    print(f"F-items found: {', '.join(found)} ({len(found)})")


if __name__ == "__main__":
    main()

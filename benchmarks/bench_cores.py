"""Every core of every proved cell of the default grid is the cell's own and every rule in it is needed (issue 14).

A script, not a unit test (a few minutes): ``python benchmarks/bench_cores.py``; CI runs it with
``--no-fresh`` (``.ci/run``, the single-cell processes would take a second core for minutes) and fails
on exit 1; the full run comes before a release. For each property under each preset it proves the cell twice, once after the
whole grid has been through the shared solvers and once in a fresh process for that cell alone (the
``check --property ID --rules NAME`` situation), and requires the same core and the same list of
minimal cores. For every minimal core C and every rule r of C it then checks the rule set C minus r
(every other rule off) and requires a refutation that the simulator replayed (``prove`` reports a
refutation only after the replay). A rule of every core (one that all proofs need) is also dropped
from the whole preset and must refute. Prints one line per cell and the totals with the time taken.
Every core is asked for (``prove(..., all_cores=True)``, as ``check --all-cores``); ``check`` without
it computes the first core alone, the same one as ``rules_used`` here.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from sipsmodel.props import Property, load_properties
from sipsmodel.report.explain import all_cores
from sipsmodel.report.result import Result
from sipsmodel.rules.sets import PRESETS, RuleSet
from sipsmodel.smt import prove

PROPS = {p.id: p for p in load_properties()}


def fresh_cell(pid: str, rules: str) -> list[list[str]]:
    """The cores of one cell computed in a new process, [first core, *all cores]."""
    code = ("import json, sys; from sipsmodel.props import load_properties; from sipsmodel.rules.sets import PRESETS;"
            "from sipsmodel.smt import prove; from sipsmodel.report.explain import all_cores;"
            "p = {x.id: x for x in load_properties()}[sys.argv[1]]; r = prove(p, PRESETS[sys.argv[2]], all_cores=True);"
            "print(json.dumps([list(r.rules_used), *map(list, all_cores(r))]))")
    out = subprocess.run([sys.executable, "-c", code, pid, rules], check=True, capture_output=True, text=True)
    return list(json.loads(out.stdout))


def core_failures(prop: Property, base: RuleSet, result: Result) -> list[str]:
    """The rules of some core whose removal (from the core, or from the set when in every core) still proves."""
    failures = []
    cores = all_cores(result)
    for core in cores:
        for rule in core:
            alone = RuleSet(f"core-minus-{rule}", tuple(r for r in core if r != rule), base.should)
            verdict = prove(prop, alone).verdict
            if verdict != "refuted":
                failures.append(f"{{{', '.join(core)}}} without {rule}: {verdict}")
    for rule in sorted(set.intersection(*(set(c) for c in cores))):
        verdict = prove(prop, base.without(rule)).verdict
        if verdict != "refuted":
            failures.append(f"{base.name} without {rule} (in every core): {verdict}")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--property", action="append", help="only these properties (repeatable)")
    parser.add_argument("--no-fresh", action="store_true", help="skip the single-cell runs in new processes")
    args = parser.parse_args()
    start, problems = time.perf_counter(), 0
    proved = [(pid, name, result) for pid in args.property or list(PROPS) if PROPS[pid].scope != "trace"
              for name, result in ((n, prove(PROPS[pid], s, all_cores=True)) for n, s in PRESETS.items())
              if result.verdict == "proved"]
    with ThreadPoolExecutor(max_workers=2) as pool:  # the single-cell processes run beside the checks below
        fresh = {(pid, name): pool.submit(fresh_cell, pid, name) for pid, name, _ in proved if not args.no_fresh}
        for pid, name, result in proved:
            seen = [list(result.rules_used), *map(list, all_cores(result))]
            failures = core_failures(PROPS[pid], PRESETS[name], result)
            alone = fresh[(pid, name)].result() if fresh else seen
            if alone != seen:
                failures.append(f"single-cell run differs: {alone} != {seen}")
            problems += len(failures)
            shown = " | ".join(", ".join(c) for c in all_cores(result))
            print(f"{pid:5} {name:9} {result.label:18} {shown}", flush=True)
            for failure in failures:
                print(f"      FAIL {failure}", flush=True)
    print(f"{len(proved)} proved cells, {problems} failures, {time.perf_counter() - start:.0f} s")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

"""What recording and showing the decisions costs: simulation CPU time per scenario, ladder rendering.

Run: ``python benchmarks/bench_why.py [--repeat 20]``. Simulates every scenario of ``scenarios/``
``repeat`` times with the default chooser (each decision now records the options the model had and
the rules that ruled out the others, docs/why.md) and prints the CPU milliseconds per simulation, then
the rendering of every ladder with and without the decisions. Run it with ``PYTHONPATH`` pointing at an
older checkout to compare the simulation figure (that checkout's ladder has no ``why`` and is skipped).
"""

from __future__ import annotations

import argparse
import inspect
import time
from pathlib import Path

from sipsmodel.model.loader import load_scenario
from sipsmodel.render import render_ladder
from sipsmodel.rules import load_rule_set
from sipsmodel.sim import DefaultChooser, simulate

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    repeat = parser.parse_args().repeat
    loaded = [load_scenario(p) for p in sorted((ROOT / "scenarios").glob("*.toml"))]
    runs = [(s, load_rule_set(s.rules or "rfc3261")) for s in loaded]
    traces = [simulate(s, r, DefaultChooser()) for s, r in runs]  # warm the caches once
    start = time.process_time()
    for _ in range(repeat):
        for scenario, rule_set in runs:
            simulate(scenario, rule_set, DefaultChooser())
    per_run = (time.process_time() - start) / (repeat * len(runs)) * 1000
    decisions = sum(len(t.decisions) for t in traces)
    print(f"simulate: {per_run:.2f} ms CPU per scenario ({len(runs)} scenarios x {repeat}, {decisions} decisions)")
    if "why" not in inspect.signature(render_ladder).parameters:
        return
    for why in (False, True):
        start = time.process_time()
        for _ in range(repeat):
            lines = sum(render_ladder(t, why=why).count("\n") + 1 for t in traces)
        per_ladder = (time.process_time() - start) / (repeat * len(traces)) * 1000
        print(f"ladder why={why}: {per_ladder:.2f} ms CPU per ladder, {lines} lines for the {len(traces)} ladders")


if __name__ == "__main__":
    main()

"""Benchmark of the SMT prover (issue 4, Performance). A script, not a test: python benchmarks/bench_smt.py.

Prints: encoding build time and size (distinct term nodes) and query time per bound (2, 4, 8, 16) for
path-shaped queries with one solver reused across bounds, and with a fresh encoding per bound (also in
z3 resource units, Mu, which do not depend on the machine's load); the time of each unbounded per-hop
proof; every built-in property under the four presets at the default bound; and the ratio against
exhaustive enumeration of the same bounded scenarios in the simulator where enumeration is feasible.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import z3

from sipsmodel.props import load_properties
from sipsmodel.rules.sets import PRESETS
from sipsmodel.sim import enumerate_traces
from sipsmodel.smt import DEFAULT_BOUND, prove
from sipsmodel.smt.compile import SymScope, compile_formula
from sipsmodel.smt.encode import build_encoding
from sipsmodel.smt.prove import bounded_prover
from sipsmodel.smt.solving import active_rule_ids, assumptions

# The differential tests' oracle (fixing the encoding to one concrete run) lives beside them in tests/smt/.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "smt"))
from smt_concrete import Device, TemplateParams, params_scenario, scenario_constraints  # noqa: E402

PROPS = {p.id: p for p in load_properties()}


def term_nodes(terms: list[z3.ExprRef]) -> int:
    """Distinct nodes of the term DAG (shared subterms counted once)."""
    seen: set[int] = set()
    stack = list(terms)
    while stack:
        term = stack.pop()
        if term.get_id() not in seen:
            seen.add(term.get_id())
            stack.extend(term.children())
    return len(seen)


def resource_count() -> int:
    """z3's resource counter (process-wide; a check's cost is the difference around it)."""
    solver = z3.Solver()
    solver.check()
    return int(solver.statistics().get_key_value("rlimit count"))


def growth(bounds: list[int]) -> None:
    print("== query time by bound (one solver per property, reused across bounds) ==")
    for k in bounds:
        start = time.perf_counter()
        enc = build_encoding(k, False)
        seconds = time.perf_counter() - start
        records = [t for rs in enc.collections.values() for r in rs
                   for t in (r.active, *(v.term for v in r.values.values()))]
        print(f"  encoding build k={k:2d}: {seconds:6.2f} s, {term_nodes(enc.assertions + records):7d} term nodes")
    for pid, rules in (("I-1", "rfc5630"), ("I-4", "rfc5630"), ("I-4b", "dean-bcp"), ("I-1", "rfc3261")):
        prop, rule_set = PROPS[pid], PRESETS[rules]
        start = time.perf_counter()
        prover = bounded_prover(prop, rule_set, max(bounds), False, 60.0, 0)
        built = time.perf_counter() - start
        row = []
        for k in bounds:
            start = time.perf_counter()
            answer = prover.solver.check(prover.encoding.bound_literal(k), *assumptions(active_rule_ids(rule_set)))
            row.append(f"k={k}: {answer} {1000 * (time.perf_counter() - start):7.1f} ms")
        print(f"  {pid:5s} {rules:8s} (solver built in {built:5.2f} s)  " + "  ".join(row))
        fresh = []
        for k in bounds:
            start = time.perf_counter()
            enc = build_encoding(k, False)
            solver = z3.Solver()
            solver.add(*enc.assertions, z3.Not(compile_formula(prop.formula, SymScope(collections=enc.collections))))
            before = resource_count()
            answer = solver.check(*assumptions(active_rule_ids(rule_set)))
            units = (int(solver.statistics().get_key_value("rlimit count")) - before) / 1e6
            fresh.append(f"k={k}: {answer} {time.perf_counter() - start:5.2f} s {units:6.2f} Mu")
        print(f"  {'':5s} {'':8s} fresh encoding+solver per bound:  " + "  ".join(fresh))


def unbounded() -> None:
    print("== unbounded per-hop proofs (warm: second run) ==")
    for pid in ("I-1b", "I-2", "I-3", "I-17", "I-22"):
        for rules in ("rfc3261", "rfc5630"):
            prove(PROPS[pid], PRESETS[rules])
            start = time.perf_counter()
            result = prove(PROPS[pid], PRESETS[rules])
            print(f"  {pid:5s} {rules:8s} {result.label:20s} {1000 * (time.perf_counter() - start):7.1f} ms")


def table() -> None:
    print(f"== all properties x four presets at the default bound k={DEFAULT_BOUND} (sequential, cold) ==")
    start = time.perf_counter()
    slowest = (0.0, "")
    for prop in load_properties():
        if prop.scope != "model":
            continue
        cells = []
        for rule_set in PRESETS.values():
            result = prove(prop, rule_set)
            slowest = max(slowest, (result.seconds, f"{prop.id}/{rule_set.name}"))
            mark = "" if result.meets_expectation in (None, True) else f" (expected {result.expected})"
            cells.append(f"{result.label}{mark}")
        print(f"  {prop.id:5s} " + " | ".join(f"{c:28s}" for c in cells))
    print(f"  total {time.perf_counter() - start:.1f} s wall; slowest cell {slowest[1]} {slowest[0]:.2f} s")


def versus_enumeration() -> None:
    print("== SMT versus exhaustive enumeration in the simulator (same fixed scenario, every choice) ==")
    cases = [("I-1", "rfc3261", TemplateParams(chain=0, devices=(Device(),))),
             ("I-1", "rfc5630", TemplateParams(chain=0, devices=(Device(),))),
             ("I-10", "rfc5630", TemplateParams(chain=0, devices=(Device(edge=True),))),
             ("I-4", "draft-04", TemplateParams(chain=1, devices=(Device(),)))]
    for pid, rules, params in cases:
        prop, rule_set = PROPS[pid], PRESETS[rules]
        enc = build_encoding(DEFAULT_BOUND, False)
        active = active_rule_ids(rule_set)
        scenario = params_scenario(enc, params, active)
        start = time.perf_counter()
        traces, violated = 0, 0
        for trace in enumerate_traces(scenario, rule_set, limit=200_000):
            traces += 1
            violated += not _holds(prop, trace)
        sim_seconds = time.perf_counter() - start
        start = time.perf_counter()
        solver = z3.Solver()
        solver.add(*enc.assertions, *scenario_constraints(enc, params))
        solver.add(z3.Not(compile_formula(prop.formula, SymScope(collections=enc.collections))))
        answer = solver.check(*assumptions(active))
        smt_seconds = time.perf_counter() - start
        print(f"  {pid:5s} {rules:8s} chain={params.chain} edge={params.devices[0].edge}: enumeration {traces} "
              f"traces ({violated} violating) {sim_seconds:6.2f} s; SMT {answer} {smt_seconds:6.2f} s; "
              f"ratio {sim_seconds / smt_seconds:6.1f}x")


def _holds(prop: object, trace: object) -> bool:
    from sipsmodel.props import evaluate_property

    return evaluate_property(prop, trace.observation).holds  # type: ignore[arg-type, attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bounds", default="2,4,8,16")
    parser.add_argument("--skip", default="", help="comma-separated parts to skip: growth,unbounded,table,enum")
    args = parser.parse_args()
    skip = set(args.skip.split(","))
    if "table" not in skip:
        table()
    if "unbounded" not in skip:
        unbounded()
    if "growth" not in skip:
        growth([int(b) for b in args.bounds.split(",")])
    if "enum" not in skip:
        versus_enumeration()


if __name__ == "__main__":
    main()

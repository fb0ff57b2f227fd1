"""Witness pairs as one solver query over two runs (``smt.pairs``), confirmed by the simulator (issue 9).

The query is exhaustive within the bound for the item's choice points: where it is unsat, no non-vacuous
pair exists; where it is sat, the replayed pair is checked like every witness pair. Its answer depends on
the query alone (a Z3 context of its own), so the same pair comes back after unrelated queries, and in a
process that did other work first.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import narrow
import pytest

from sipsmodel.decide.ambiguities import find_ambiguities, pair_witness
from sipsmodel.decide.finding import Finding
from sipsmodel.decide.witness import WitnessPair
from sipsmodel.jobs import Runner
from sipsmodel.props import load_properties
from sipsmodel.report.ambiguities_run import worker_map
from sipsmodel.rules.readings import AMBIGUITIES_BY_ITEM, READING_RULES_BY_ID
from sipsmodel.rules.sets import PRESETS
from sipsmodel.smt.verdict import bounded_verdict, counterexample_breaking

PROPS = {p.id: p for p in load_properties()}
pytestmark = pytest.mark.slow  # each pair query is a solver query over two copies of the encoding


def _pair(rule_set: str, item: str, letter: str, prop: str) -> tuple[WitnessPair | None, str]:
    base = PRESETS[rule_set]
    variant = base.with_readings({item: letter})
    return pair_witness(PROPS[prop], base, variant, AMBIGUITIES_BY_ITEM[item],
                        READING_RULES_BY_ID.get(f"{item}/{letter}"), 3)


def _digest(pair: WitnessPair | None) -> tuple[object, ...]:
    assert pair is not None
    return (pair.choice, pair.alternative, pair.differing,
            tuple(t.message.render() for t in pair.failing.trace.transmissions),
            tuple(t.message.render() for t in pair.holding.trace.transmissions))


def test_no_non_vacuous_f12_pair_exists_for_i13_under_rfc5630() -> None:
    """F-12/b proves I-13 only because the UAC stops: the two-run query is unsat (exhaustive), while a
    vacuous pair does exist (the counterexample replayed with the UAC stopping)."""
    pair, outcome = _pair("rfc5630", "F-12", "b", "I-13")
    assert (pair, outcome) == (None, "none")
    assert bounded_verdict(PROPS["I-13"], PRESETS["rfc5630"].with_readings({"F-12": "b"})) == "proved"
    assert counterexample_breaking(PROPS["I-13"], PRESETS["rfc5630"], READING_RULES_BY_ID["F-12/b"]) is not None


def test_a_pair_does_not_depend_on_earlier_queries_in_the_process() -> None:
    """The F-20 pin's pair (``narrow``: asked first, or by the pin test earlier in this process) comes back
    the same from a new query after unrelated queries on the shared, cached provers."""
    pin = narrow.reading("rfc3261", "I-3", "F-20", "b")
    assert pin is not None
    first = _digest(pin.witness)
    for prop in ("I-1", "I-5", "I-13"):  # unrelated queries on the shared, cached provers
        bounded_verdict(PROPS[prop], PRESETS["draft-04"])
    counterexample_breaking(PROPS["I-7"], PRESETS["rfc3261"], None)
    assert _digest(_pair("rfc3261", "F-20", "b", "I-3")[0]) == first


def test_a_pair_is_the_same_in_a_process_that_did_other_work_first() -> None:
    """Another process creates other terms and asks other queries before it builds the encoding."""
    script = textwrap.dedent("""
        import sys
        import z3
        sys.path.insert(0, "..")  # the tests' shared modules (narrow), as pytest's conftest puts them
        from sipsmodel.props import load_properties
        from sipsmodel.rules.sets import PRESETS
        from sipsmodel.smt.verdict import bounded_verdict
        junk = [z3.Int(f"junk{i}") + i for i in range(5000)]
        print(bounded_verdict(next(p for p in load_properties() if p.id == "I-13"), PRESETS["rfc5630"]))
        from test_pair_query import _digest, _pair
        print(repr(_digest(_pair("rfc3261", "F-20", "b", "I-3")[0])))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=1200,
                         cwd=__file__.rsplit("/", 1)[0]).stdout.splitlines()
    assert out[-1] == repr(_digest(_pair("rfc3261", "F-20", "b", "I-3")[0]))


def test_the_findings_are_the_same_whatever_the_jobs() -> None:
    """Two rule sets searched in this process, and on two processes (fresh interpreters, ``sipsmodel.jobs``)."""
    sets, props = [PRESETS["rfc5630"], PRESETS["dean-bcp"]], [PROPS["I-13"]]

    def summary(findings: list[Finding]) -> list[tuple[object, ...]]:
        return [(f.rule_set, f.kind, f.f_item, f.choice_point, f.options, f.properties, f.vacuous,
                 None if f.witness is None else _digest(f.witness)) for f in findings]

    alone = find_ambiguities(sets, props)
    assert alone and summary(find_ambiguities(sets, props, mapper=worker_map(Runner(2)))) == summary(alone)

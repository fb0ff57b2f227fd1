"""Issue 14, item 1: the cores of a proof depend on the cell alone, not on what the shared solver did before."""

from __future__ import annotations

import pytest

from sipsmodel.props import load_properties
from sipsmodel.report.explain import all_cores
from sipsmodel.rules.sets import PRESETS, RuleSet
from sipsmodel.smt import prove
from sipsmodel.smt.solving import FIRST_CORE_ONLY

PROPS = {p.id: p for p in load_properties()}


@pytest.mark.slow
@pytest.mark.usefixtures("fresh_provers")
def test_same_cores_alone_and_after_the_other_rule_sets() -> None:
    alone = prove(PROPS["I-8b"], PRESETS["draft-04"], all_cores=True)
    for name in ("rfc3261", "rfc5630", "dean-bcp"):
        prove(PROPS["I-8b"], PRESETS[name])
    again = prove(PROPS["I-8b"], PRESETS["draft-04"], all_cores=True)
    assert alone.verdict == again.verdict == "proved"
    assert (alone.rules_used, all_cores(alone)) == (again.rules_used, all_cores(again))
    assert all_cores(alone) == [("R-04-5-c", "R-3261-16.6-7"), ("R-04-5-e", "R-3261-16.6-7", "R-3261-8.1.2-b")]
    assert alone.details["cores_complete"] is True


@pytest.mark.slow
def test_each_rule_of_each_core_is_needed() -> None:
    result = prove(PROPS["I-8b"], PRESETS["draft-04"], all_cores=True)
    for core in all_cores(result):
        assert prove(PROPS["I-8b"], RuleSet("core", core)).verdict == "proved"
        for rule in core:
            weaker = RuleSet(f"core-without-{rule}", tuple(r for r in core if r != rule))
            assert prove(PROPS["I-8b"], weaker).verdict == "refuted", (core, rule)


@pytest.mark.slow
def test_without_all_cores_only_the_first_core_is_sought() -> None:
    every = prove(PROPS["I-8b"], PRESETS["draft-04"], all_cores=True)
    first = prove(PROPS["I-8b"], PRESETS["draft-04"])
    assert first.verdict == "proved" and first.rules_used == every.rules_used
    assert all_cores(first) == [first.rules_used] and len(all_cores(every)) == 2
    assert first.details["cores_complete"] is False and first.details["cores_reason"] == FIRST_CORE_ONLY

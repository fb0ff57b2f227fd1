"""Readings that decide a published call flow (the scenarios of ``scenarios/``, SIPS-RULES.md D).

A sampled complement to the solver's reading search (``decide.ambiguities``): some flows lie outside
the bounded family (a published flow's exact shape), and a property can fail in other ways too, so no
verdict flips. Each built-in scenario is replayed under the set (its script where the set allows it,
``decide.witness.RepairChooser``); where the replay conforms and a property fails, it is replayed under
each other reading; a conforming replay on which the property holds is a finding of kind ``flow``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sipsmodel.decide.finding import Finding
from sipsmodel.decide.witness import RepairChooser, holding_replay, make_pair, nonconforming
from sipsmodel.errors import ScenarioError
from sipsmodel.model.scenario import Scenario
from sipsmodel.model.trace import Trace
from sipsmodel.props import Property, evaluate_property
from sipsmodel.resources import resource_dir
from sipsmodel.rules.readings import AMBIGUITIES
from sipsmodel.rules.scenarios import load_scenario
from sipsmodel.rules.sets import RuleSet
from sipsmodel.sim import simulate

FLOW_SEARCH = "sampled: the built-in call flow {name} (scenarios/), replayed under both readings"


def builtin_scenarios() -> list[Scenario]:
    """The call flows shipped in ``scenarios/``, in file name order."""
    return [load_scenario(path) for path in sorted(Path(resource_dir("scenarios")).glob("*.toml"))]


def _replay(scenario: Scenario, rule_set: RuleSet) -> Trace | None:
    try:
        trace = simulate(scenario, rule_set, RepairChooser(scenario))
    except ScenarioError:
        return None
    return None if nonconforming(trace, rule_set) else trace


def flow_findings(rule_set: RuleSet, props: Sequence[Property], scenarios: Sequence[Scenario],
                  known: set[tuple[str, str]]) -> list[Finding]:
    """Readings that make a property hold on a built-in flow where the set's reading lets it fail.

    ``known`` holds (reading ID, property) pairs the solver search already reported; they are skipped.
    """
    findings: dict[str, Finding] = {}
    for scenario in scenarios:
        trace = _replay(scenario, rule_set)
        if trace is None:
            continue
        failing = [p for p in props if not evaluate_property(p, trace.observation).holds]
        for ambiguity in AMBIGUITIES:
            current = dict(rule_set.readings)[ambiguity.item]
            for reading in (r for r in ambiguity.readings if r.letter != current):
                variant = rule_set.with_readings({ambiguity.item: reading.letter})
                replayed = None  # one replay under the reading, paired with each failing property
                for prop in failing:
                    if (reading.id, prop.id) in known:
                        continue
                    replayed = replayed or holding_replay(scenario, trace, variant)
                    if replayed is None:
                        break
                    pair = make_pair(prop, scenario, trace, rule_set, variant, replayed=replayed)
                    if pair is None:
                        continue
                    known.add((reading.id, prop.id))
                    options = [f"{ambiguity.item}/{current}", reading.id]
                    if reading.id in findings:
                        findings[reading.id].properties.append(prop.id)
                        continue
                    findings[reading.id] = Finding(
                        rule_set.name, "flow", ambiguity.item, pair.choice.choice_point, dict(pair.choice.features),
                        options, [prop.id], options, FLOW_SEARCH.format(name=scenario.name), pair)
    return list(findings.values())

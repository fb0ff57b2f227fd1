"""The published call flows (known-answer scenarios) against the prover, under their own rule sets.

Issue 4: evaluated against every property, each KAT trace must be consistent with what the prover
says for its rule set: a property the published flow violates can never be reported as proved.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sipsmodel.model.loader import load_scenario
from sipsmodel.props import evaluate_property, load_properties
from sipsmodel.rules import load_rule_set
from sipsmodel.sim import simulate
from sipsmodel.smt import prove

pytestmark = pytest.mark.slow  # the prover on whole rule sets

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.toml"))
MODEL_PROPERTIES = [p for p in load_properties() if p.scope == "model"]


def test_every_published_flow_is_checked() -> None:
    assert len(SCENARIOS) >= 9


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_kat_violations_are_refuted_by_the_prover(path: Path) -> None:
    scenario = load_scenario(path)
    rule_set = load_rule_set(scenario.rules or "rfc3261")
    trace = simulate(scenario, rule_set)
    violated = [p for p in MODEL_PROPERTIES if not evaluate_property(p, trace.observation).holds]
    for prop in violated:
        result = prove(prop, rule_set)
        assert result.verdict == "refuted", (path.name, prop.id, result.label)


def test_the_draft04_upgrade_flow_violates_what_the_texts_say() -> None:
    """draft-04 9.2 (KAT D.4): the upgrade breaks I-3, I-4 and I-5 (SIPS-RULES.md F-16, I-4, I-5)."""
    path = next(p for p in SCENARIOS if p.stem == "draft-04-9.2")
    scenario = load_scenario(path)
    trace = simulate(scenario, load_rule_set(scenario.rules or "rfc3261"))
    violated = {p.id for p in MODEL_PROPERTIES if not evaluate_property(p, trace.observation).holds}
    assert {"I-3", "I-4", "I-5"} <= violated
    assert "I-1b" not in violated

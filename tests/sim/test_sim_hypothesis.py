"""Hypothesis: random scenarios never crash the simulator, every decision obeys the rule set as judged by
the rule table alone (``violated_rules``), and the observation agrees with the messages and decisions."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sipsmodel.model.scenario import Scenario
from sipsmodel.model.trace import Trace, check_observation
from sipsmodel.model.vocab import is_secure
from sipsmodel.rules import CHOICE_POINTS, PRESETS, violated_rules
from sipsmodel.rules.engine import physically_possible
from sipsmodel.sim import DefaultChooser, HypothesisChooser, simulate
from sipsmodel.sim.network import Network
from sipsmodel.strategies import scenarios, topologies

RULE_SETS = st.sampled_from(sorted(PRESETS))


def check_trace(scenario: Scenario, trace: Trace, rules: str) -> None:
    """The independent checks: rule table on decisions, links, and observation against messages."""
    check_observation(trace.observation)
    rule_set = PRESETS[rules]
    network = Network(scenario)
    for decision in trace.decisions:
        if decision.allowed == 0:
            assert decision.options == {}
            continue
        cp = CHOICE_POINTS[decision.choice_point]
        assert physically_possible(cp, decision.features, decision.options), decision
        assert violated_rules(decision.choice_point, decision.features, decision.options, rule_set) == [], decision
        if decision.transmission is not None and "transport" in decision.options:
            assert trace.transmissions[decision.transmission].transport == decision.options["transport"]
    hops = trace.observation["hops"]
    for item, hop in zip(trace.transmissions, hops, strict=True):
        assert item.transport in network.transports(item.sender, item.receiver)
        assert hop["secure"] == is_secure(item.transport)
        malicious = network.element(item.sender).malicious
        if hop["kind"] == "request" and not malicious:
            assert hop["via_secure"] == hop["secure"]
    for record in trace.observation["forwards"]:
        sent, received = hops[record["out_hop"]], hops[record["in_hop"]]
        assert (sent["ruri"], sent["secure"], sent["route0"]) == (record["out_ruri"], record["out_secure"],
                                                                  record["out_route0"])
        assert (received["ruri"], received["secure"]) == (record["in_ruri"], record["in_secure"])
        if record["rr"] != "none":
            assert sent["rr_top"] == record["rr_out"]
    for dialog in trace.observation["dialogs"]:
        assert dialog["call"] < len(scenario.calls)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), RULE_SETS)
def test_random_scenarios_with_drawn_choices(data: st.DataObject, rules: str) -> None:
    scenario = data.draw(scenarios(max_elements=12))
    trace = simulate(scenario, PRESETS[rules], HypothesisChooser(data))
    check_trace(scenario, trace, rules)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(max_elements=12), RULE_SETS)
def test_random_scenarios_with_default_choices(scenario: Scenario, rules: str) -> None:
    trace = simulate(scenario, PRESETS[rules], DefaultChooser())
    check_trace(scenario, trace, rules)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(scenarios(min_elements=25, max_elements=30))
def test_large_scenarios_simulate(scenario: Scenario) -> None:
    assert 25 <= len(scenario.elements) <= 30
    trace = simulate(scenario, PRESETS["rfc5630"], DefaultChooser())
    check_trace(scenario, trace, "rfc5630")


@settings(max_examples=30, deadline=None)
@given(topologies(min_elements=2, max_elements=12))
def test_topologies_are_consistent(topology: Scenario) -> None:
    network = Network(topology)
    assert 2 <= len(topology.elements) <= 12
    for element in topology.elements:
        if element.outbound is not None:
            assert network.element(element.outbound).role == "proxy"

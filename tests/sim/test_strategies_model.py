"""The model strategies (``sipsmodel.strategies`` section 2): valid scenarios of every size, every kind
of scenario still drawn, the distributions explore relies on, and the shrink target."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from sipsmodel.model.scenario import Scenario
from sipsmodel.rules import PRESETS
from sipsmodel.sim import DefaultChooser, Simulation, simulate
from sipsmodel.sim.network import Network
from sipsmodel.strategies import scenarios, topologies
from sipsmodel.syntax import parse_uri

SIZES = st.tuples(st.integers(0, 31), st.integers(0, 31))


def check_names(scenario: Scenario) -> None:
    """Every name and host the scenario refers to is one of its elements, of the right role."""
    network = Network(scenario)  # unique names and hosts, links between known elements
    role = {e.name: e.role for e in scenario.elements}
    for element in scenario.elements:
        if element.outbound is not None:
            assert role.get(element.outbound) == "proxy", (element.name, element.outbound, sorted(role))
        if element.redirect_to is not None:
            assert network.resolve(parse_uri(element.redirect_to)) is not None, element.redirect_to
    for registration in scenario.registrations:
        assert role.get(registration.ua) == "ua" and role.get(registration.registrar) == "proxy", registration
        assert all(role.get(v) == "proxy" and network.element(v).edge for v in registration.via), registration
    for call in scenario.calls:
        assert role.get(call.caller) == "ua", call
        assert network.resolve(parse_uri(call.target)) is not None, call.target
        assert all(network.resolve(parse_uri(r)) is not None for r in call.route), call.route
    Simulation(scenario, PRESETS["rfc3261"])  # the simulator's own reference check


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), SIZES, st.booleans())
def test_every_name_a_scenario_uses_is_an_element(data: st.DataObject, sizes: tuple[int, int], malicious: bool) -> None:
    low, high = sizes
    scenario = data.draw(scenarios(min_elements=low, max_elements=high, malicious=malicious))
    assert max(2, low) <= len(scenario.elements) <= max(2, low, high)
    check_names(scenario)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(2, 12), st.sampled_from(sorted(PRESETS)), st.data())
def test_small_bounds_simulate_without_scenario_errors(high: int, rules: str, data: st.DataObject) -> None:
    """What ``explore --max-elements M`` draws runs (a ScenarioError there is exit 2)."""
    from sipsmodel.report.explore import PreferringChooser

    scenario = data.draw(scenarios(max_elements=high, malicious=False))
    check_names(scenario)
    simulate(scenario, PRESETS[rules], PreferringChooser(data))


def _sample(count: int) -> list[Scenario]:
    drawn: list[Scenario] = []

    @settings(max_examples=count, database=None, derandomize=True, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(scenarios(max_elements=12))
    def collect(scenario: Scenario) -> None:
        drawn.append(scenario)

    collect()
    return drawn


def _kinds(scenario: Scenario) -> set[str]:
    names = {e.name for e in scenario.elements}
    kinds = {f"size-{min(len(names), 6)}", f"calls-{len(scenario.calls)}"}
    kinds |= {"chain" for n in names if n.startswith("p") and n != "pb"} | {"edge" for n in names if n.startswith("eb")}
    kinds |= {"forking" for n in names if n == "ua2"} | {"direct" for _ in [0] if "pb" not in names}
    for element in scenario.elements:
        kinds |= {"outbound"} if element.outbound else set()
        kinds |= {"redirect"} if element.redirect_to else set()
        kinds |= {"gateway"} if element.gateway else set()
        kinds |= {"malicious"} if element.malicious else set()
        kinds |= {"no-tls"} if not element.tls else set()
        kinds |= {"refuses"} if not (element.sips_ok and element.sip_ok) else set()
        kinds |= {"ringing"} if element.ringing else set()
        kinds |= {"confirms"} if element.confirms_downgrade else set()
    for link in scenario.links:
        kinds |= {"link-without-tls"} if "TLS" not in link.transports else set()
        kinds |= {"sctp"} if any("SCTP" in t for t in link.transports) else set()
    for registration in scenario.registrations:
        kinds |= {"via-edge"} if registration.via else set()
        kinds |= {"reg-outbound"} if registration.outbound else set()
        kinds |= {"removal"} if registration.expires == 0 else set()
        kinds |= {"refresh"} if registration.expires else set()
    for call in scenario.calls:
        kinds |= {call.target.split(":")[0], "unregistered" if "carol" in call.target else "registered"}
        kinds |= {"preloaded"} if call.route else set()
        kinds |= {"ack"} if ("caller", "ACK") in call.in_dialog else set()
        kinds |= {f"{who}-{method}" for who, method in call.in_dialog if method != "ACK"}
    return kinds


@pytest.mark.slow
def test_every_kind_of_scenario_is_drawn_and_the_interesting_ones_often() -> None:
    drawn = _sample(400)
    seen = Counter(kind for scenario in drawn for kind in _kinds(scenario))
    for kind in ("direct", "chain", "edge", "forking", "outbound", "redirect", "gateway", "malicious", "no-tls",
                 "refuses", "ringing", "confirms", "link-without-tls", "sctp", "via-edge", "reg-outbound", "removal",
                 "refresh", "sip", "sips", "unregistered", "preloaded", "ack", "caller-BYE", "callee-BYE",
                 "caller-INVITE", "callee-INVITE", "calls-2", "size-6"):  # fmt: skip
        assert seen[kind] > 0, kind
    n = len(drawn)
    elements = [e for s in drawn for e in s.elements]
    links = [link for s in drawn for link in s.links]
    calls = [c for s in drawn for c in s.calls]
    chains = [sum(1 for e in s.elements if e.name.startswith("p") and e.name != "pb") for s in drawn]
    assert sum(c <= 1 for c in chains) >= 0.6 * n  # short chains most of the time
    assert sum(e.tls for e in elements) >= 0.7 * len(elements)  # TLS on most elements, not all
    assert 0.7 * len(links) <= sum("TLS" in link.transports for link in links) < len(links)
    assert 0.35 * len(calls) <= sum(c.target.startswith("sips:") for c in calls) <= 0.65 * len(calls)
    uas = [e for e in elements if e.role == "ua" and e.name != "alice"]
    assert sum(e.sips_ok and e.sip_ok for e in uas) >= 0.5 * len(uas)  # policies accept most of the time
    registered = [s for s in drawn if "pb" in {e.name for e in s.elements}]
    assert all({r.aor_user for r in s.registrations} == {"bob"} for s in registered)
    assert sum(any("bob@example.com" in c.target for c in s.calls) for s in registered) >= 0.8 * len(registered)


def test_scenarios_shrink_to_the_three_element_flow() -> None:
    quick = settings(database=None, derandomize=True, max_examples=200)
    smallest = find(scenarios(), lambda s: "pb" in {e.name for e in s.elements}, settings=quick)
    assert [e.name for e in smallest.elements] == ["alice", "pb", "ua1"]
    assert all(e.tls and e.sips_ok and e.sip_ok and e.outbound is None for e in smallest.elements)
    assert all(link.transports == ("UDP", "TCP", "TLS") for link in smallest.links)
    assert [(r.ua, r.via, r.outbound, r.expires) for r in smallest.registrations] == [("ua1", (), False, None)]
    assert [(c.target, c.route, c.in_dialog) for c in smallest.calls] == [("sips:bob@example.com", (), ())]
    topology = find(topologies(), lambda s: True, settings=quick)  # fewer draws win: the direct call
    assert [e.name for e in topology.elements] == ["alice", "ua1"]
    assert all(e.tls for e in topology.elements) and topology.links[0].transports == ("UDP", "TCP", "TLS")


def test_a_drawn_flow_runs_under_the_default_chooser() -> None:
    for scenario in _sample(30):
        simulate(scenario, PRESETS["rfc5630"], DefaultChooser())

"""``simulate``: run a scenario under a rule set with a chooser and return its Trace (DESIGN.md flow 2)."""

from __future__ import annotations

from collections.abc import Iterator

from sipsmodel.errors import ScenarioError
from sipsmodel.model.scenario import Call, Registration, Scenario
from sipsmodel.model.trace import Trace
from sipsmodel.rules.sets import RuleSet
from sipsmodel.sim.choosers import Chooser, DefaultChooser, ExhaustiveChooser, ScriptedChooser, enumerate_choices
from sipsmodel.sim.handlers import RECEIVERS
from sipsmodel.sim.network import Network
from sipsmodel.sim.observe import observe
from sipsmodel.sim.register import run_registration
from sipsmodel.sim.state import SimState
from sipsmodel.sim.ua import drain, run_call


def _check_references(scenario: Scenario, network: Network) -> None:
    """Every name a registration or call uses is an element of the right role."""
    def need(name: str, role: str, what: str) -> None:
        if network.element(name).role != role:
            raise ScenarioError(f"scenario {scenario.name!r}: {what} {name!r} must be a {role}")

    for n, registration in enumerate(scenario.registrations):
        need(registration.ua, "ua", f"registrations[{n}].ua")
        need(registration.registrar, "proxy", f"registrations[{n}].registrar")
        if not network.element(registration.registrar).registrar:
            raise ScenarioError(f"scenario {scenario.name!r}: registrations[{n}].registrar "
                                f"{registration.registrar!r} is not marked registrar")
        for via in registration.via:
            need(via, "proxy", f"registrations[{n}].via")
    for n, call in enumerate(scenario.calls):
        need(call.caller, "ua", f"calls[{n}].caller")
        for who, method in call.in_dialog:
            if who not in ("caller", "callee") or method not in ("ACK", "BYE", "INVITE"):
                raise ScenarioError(f"scenario {scenario.name!r}: calls[{n}].in_dialog entry {[who, method]}: "
                                    "expected [caller|callee, ACK|BYE|INVITE]")
    for element in scenario.elements:
        if element.outbound is not None:
            need(element.outbound, "proxy", f"element {element.name!r} outbound")


class Simulation:
    """A run in progress: registrations and calls can be interleaved in any order (stateful tests)."""

    def __init__(self, scenario: Scenario, rule_set: RuleSet, chooser: Chooser | None = None) -> None:
        if chooser is None:
            chooser = ScriptedChooser(scenario.script) if scenario.script else DefaultChooser()
        self.chooser = chooser
        network = Network(scenario)
        _check_references(scenario, network)
        self.state = SimState(scenario, network, rule_set, chooser, RECEIVERS)
        self.calls = 0

    def register(self, registration: Registration) -> None:
        """Run one registration (docs/semantics.md, Registration)."""
        run_registration(self.state, registration)
        drain(self.state)

    def call(self, call: Call) -> None:
        """Run one call with its in-dialog requests (docs/semantics.md, A call)."""
        run_call(self.state, self.calls, call)
        self.calls += 1

    def trace(self) -> Trace:
        """The Trace so far."""
        state = self.state
        notes = list(state.notes)
        if isinstance(self.chooser, ScriptedChooser):
            notes += [f"script entry {e}/{c}#{o} was never reached" for e, c, o in self.chooser.unused()]
        observation = observe(state)
        return Trace(state.rule_set.name, tuple(state.transmissions), tuple(state.decisions), observation,
                     tuple(notes))


def simulate(scenario: Scenario, rule_set: RuleSet, chooser: Chooser | None = None) -> Trace:
    """Run registrations, then calls, under ``rule_set``; choices from ``chooser`` (default: the script)."""
    run = Simulation(scenario, rule_set, chooser)
    for registration in scenario.registrations:
        run.register(registration)
    for call in scenario.calls:
        run.call(call)
    return run.trace()


def enumerate_traces(scenario: Scenario, rule_set: RuleSet, limit: int = 10_000) -> Iterator[Trace]:
    """Every trace of every allowed choice sequence of a (small) scenario, depth first."""
    def run(chooser: ExhaustiveChooser) -> Trace:
        return simulate(scenario, rule_set, chooser)

    return enumerate_choices(run, limit)

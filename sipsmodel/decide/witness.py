"""Witness pairs: two replayed flows of one scenario that differ at one choice (DESIGN.md flow 6).

Theory of operation: the failing flow is a counterexample the prover decoded and the simulator
replayed. The holding flow replays the same scenario, under the same or another rule set (another
reading), with :class:`RepairChooser`: it follows the failing flow's script wherever the rule set
allows it, takes the overridden option at the one choice being compared, and elsewhere the allowed
option that agrees with the script on the most option values. :func:`make_pair` accepts the pair only
when the independent checker ``violated_rules`` finds nothing in either flow, the property fails on
the first and holds on the second; otherwise it returns None, never a pair that does not show it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sipsmodel.errors import ScenarioError
from sipsmodel.model.expr import Value
from sipsmodel.model.scenario import Scenario
from sipsmodel.model.trace import Decision, Trace, Transmission
from sipsmodel.props import Property, evaluate_property, locate_violation
from sipsmodel.rules.engine import choose_default, violated_rules
from sipsmodel.rules.sets import RuleSet
from sipsmodel.sim import simulate

Key = tuple[str, str, int]
Options = dict[str, Value]


class RepairChooser:
    """The script where allowed, ``overrides`` at their visits, else the closest allowed option."""

    def __init__(self, scenario: Scenario, overrides: Mapping[Key, Options] | None = None) -> None:
        self.script = {(s.element, s.choice_point, s.occurrence): dict(s.options) for s in scenario.script}
        self.script.update(overrides or {})

    def choose(
        self, element: str, choice_point: str, occurrence: int, features: Mapping[str, Value], allowed: list[Options]
    ) -> Options:
        wanted = self.script.get((element, choice_point, occurrence))
        if wanted is None:
            return choose_default(choice_point, features, allowed)
        best = max(sum(o.get(k) == v for k, v in wanted.items()) for o in allowed)
        closest = [o for o in allowed if sum(o.get(k) == v for k, v in wanted.items()) == best]
        return choose_default(choice_point, features, closest)


@dataclass(frozen=True)
class Flow:
    """One replayed flow of a witness pair and what the property says on it."""

    rules: str
    trace: Trace
    holds: bool
    violation: int | None


@dataclass(frozen=True)
class WitnessPair:
    """Two conforming flows of one scenario: the property fails on ``failing`` and holds on ``holding``.

    ``choice`` is the first visit where the flows choose differently (the same visit in both, by
    element, choice point and occurrence); ``differing`` the first transmission that differs.
    """

    property: str
    scenario: str
    failing: Flow
    holding: Flow
    choice: Decision
    alternative: Decision
    differing: int | None
    other_differences: int


def nonconforming(trace: Trace, rule_set: RuleSet) -> list[str]:
    """Every rule of the set that a decision of the trace breaks (the independent checker)."""
    broken: list[str] = []
    for d in trace.decisions:
        if d.options:
            broken += [f"{r} at {d.element}/{d.choice_point}#{d.occurrence}"
                       for r in violated_rules(d.choice_point, d.features, d.options, rule_set)]
    return broken


def _key(d: Decision) -> Key:
    return (d.element, d.choice_point, d.occurrence)


def _same(a: Transmission, b: Transmission) -> bool:
    return (a.sender, a.receiver, a.transport) == (b.sender, b.receiver, b.transport) and \
        a.message.render() == b.message.render()


def first_difference(a: Trace, b: Trace) -> int | None:
    """The index of the first transmission of ``b`` that differs from ``a`` (None when none does)."""
    for x, y in zip(a.transmissions, b.transmissions, strict=False):
        if not _same(x, y):
            return y.index
    if len(a.transmissions) != len(b.transmissions):
        return min(len(a.transmissions), len(b.transmissions))
    return None


def _differing_decisions(a: Trace, b: Trace) -> list[tuple[Decision, Decision]]:
    """Visits made in both flows with different options, in the order of ``b``."""
    by_key = {_key(d): d for d in a.decisions}
    return [(by_key[_key(d)], d) for d in b.decisions if _key(d) in by_key and by_key[_key(d)].options != d.options]


def flow(prop: Property, trace: Trace, rules: str) -> Flow:
    """A trace with the property's verdict on it."""
    evaluation = evaluate_property(prop, trace.observation)
    return Flow(rules, trace, evaluation.holds, None if evaluation.holds else locate_violation(evaluation, trace))


def make_pair(prop: Property, scenario: Scenario, failing: Trace, failing_set: RuleSet, holding_set: RuleSet,
              overrides: Mapping[Key, Options] | None = None) -> WitnessPair | None:
    """Replay ``scenario`` under ``holding_set`` next to ``failing``; the pair, or None if it shows nothing."""
    try:
        holding = simulate(scenario, holding_set, RepairChooser(scenario, overrides))
    except ScenarioError:  # a replay the model cannot run is no witness; the caller says so
        return None
    a, b = flow(prop, failing, failing_set.name), flow(prop, holding, holding_set.name)
    if a.holds or not b.holds or nonconforming(failing, failing_set) or nonconforming(holding, holding_set):
        return None
    changes = _differing_decisions(failing, holding)
    if not changes:
        return None
    choice, alternative = changes[0]
    return WitnessPair(prop.id, scenario.name, a, b, choice, alternative, first_difference(failing, holding),
                       len(changes) - 1)

"""Witness pairs: two replayed flows of one scenario that differ at one choice (DESIGN.md flow 6).

Theory of operation: the failing flow is a counterexample the prover decoded and the simulator
replayed. The holding flow replays the same scenario, under the same or another rule set (another
reading), with :class:`RepairChooser`: it follows the failing flow's script wherever the rule set
allows it, takes the overridden option at the one choice being compared, and elsewhere the allowed
option that agrees with the script on the most option values. :func:`make_pair` accepts the pair only
when the independent checker ``violated_rules`` finds nothing in either flow, the property fails on
the first and holds on the second; otherwise it returns None, never a pair that does not show it.

A pair is *non-vacuous* (:func:`reaches_the_point`) when the holding flow reaches the point where the
failing flow fails: the two flows are identical up to the first differing transmission, and the
failing flow's violating transmission has a counterpart in the holding flow from there on, a message
of the same kind (the request method, or the response status and CSeq method) received by an element
of the same role. A holding flow that the choice cuts short (the proxy answers 480 instead of
delivering, the UAC gives up) has no counterpart: the property holds on it only because nothing
happens, so the pair is vacuous and shows no flip (docs/ambiguities.md, "Flips").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sipsmodel.errors import ModelDisagreement, ScenarioError
from sipsmodel.model.expr import Value
from sipsmodel.model.scenario import Scenario
from sipsmodel.model.trace import Decision, Trace, Transmission
from sipsmodel.props import Property, evaluate_property, locate_violation
from sipsmodel.rules.engine import choose_default, violated_rules
from sipsmodel.rules.sets import RuleSet
from sipsmodel.sim import ScriptedChooser, simulate

Key = tuple[str, str, int]
Options = dict[str, Value]


class RepairChooser:
    """The script where allowed, ``overrides`` at their visits, else the closest allowed option.

    With ``states`` (the failing flow's features per visit), a visit whose state differs from the
    failing flow's is a new decision, made by the element's default preferences (``choose_default``),
    not by the script written for another state.
    """

    def __init__(self, scenario: Scenario, overrides: Mapping[Key, Options] | None = None,
                 states: Mapping[Key, Mapping[str, Value]] | None = None) -> None:
        self.script = {(s.element, s.choice_point, s.occurrence): dict(s.options) for s in scenario.script}
        self.script.update(overrides or {})
        self.overridden = set(overrides or {})
        self.states = states

    def choose(
        self, element: str, choice_point: str, occurrence: int, features: Mapping[str, Value], allowed: list[Options]
    ) -> Options:
        key = (element, choice_point, occurrence)
        wanted = self.script.get(key)
        fresh = self.states is not None and key not in self.overridden and key in self.states \
            and dict(self.states[key]) != dict(features)
        if wanted is None or fresh:
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
    element, choice point and occurrence); ``differing`` the first transmission that differs;
    ``reaches`` whether the pair is non-vacuous (:func:`reaches_the_point`).
    """

    property: str
    scenario: str
    failing: Flow
    holding: Flow
    choice: Decision
    alternative: Decision
    differing: int | None
    other_differences: int
    reaches: bool = True  # the holding flow reaches the failing flow's violating point (non-vacuous)


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


def message_kind(t: Transmission) -> tuple[object, ...]:
    """A request by its method, a response by its status and CSeq method (what a counterpart repeats)."""
    message = t.message
    if message.is_request:
        return ("request", message.method)
    cseq = message.cseq()
    return ("response", message.status, cseq.method if cseq is not None else None)


def reaches_the_point(scenario: Scenario, failing: Flow, holding: Trace, differing: int | None) -> bool:
    """Whether ``holding`` reaches the point where ``failing`` fails (the pair is non-vacuous).

    The point is the violating transmission (the failing flow's last one when the violation has no
    transmission). A point before the first difference is in both flows. Otherwise the holding flow
    must carry, from the first difference on, a message of the same kind to an element of the same
    role: the call is still delivered, the registration still made, the retry still sent.
    """
    sent = failing.trace.transmissions
    if not sent:
        return True
    point = sent[failing.violation] if failing.violation is not None else sent[-1]
    if differing is None or point.index < differing:
        return True
    kind, role = message_kind(point), scenario.element(point.receiver).role
    return any(message_kind(t) == kind and scenario.element(t.receiver).role == role
               for t in holding.transmissions[differing:])


def holding_replay(scenario: Scenario, failing: Trace, holding_set: RuleSet,
                   overrides: Mapping[Key, Options] | None = None, fresh: bool = False) -> Trace | None:
    """The replay of ``scenario`` under ``holding_set`` that ``make_pair`` compares (None: the model cannot run it)."""
    states = {_key(d): d.features for d in failing.decisions} if fresh else None
    try:
        return simulate(scenario, holding_set, RepairChooser(scenario, overrides, states))
    except ScenarioError:  # a replay the model cannot run is no witness; the caller says so
        return None


def flow(prop: Property, trace: Trace, rules: str) -> Flow:
    """A trace with the property's verdict on it."""
    evaluation = evaluate_property(prop, trace.observation)
    return Flow(rules, trace, evaluation.holds, None if evaluation.holds else locate_violation(evaluation, trace))


def make_pair(prop: Property, scenario: Scenario, failing: Trace, failing_set: RuleSet, holding_set: RuleSet,
              overrides: Mapping[Key, Options] | None = None, vacuous: bool = False,
              fresh: bool = False, replayed: Trace | None = None) -> WitnessPair | None:
    """Replay ``scenario`` under ``holding_set`` next to ``failing``; the pair, or None if it shows nothing.

    A vacuous pair (the holding flow never reaches the violating point) is None unless ``vacuous``.
    ``fresh``: visits whose state the differing choice changed are decided afresh (``RepairChooser``).
    ``replayed``: that replay, already made (``holding_replay``), for callers that pair it with several
    properties.
    """
    holding = replayed if replayed is not None else holding_replay(scenario, failing, holding_set, overrides, fresh)
    if holding is None:
        return None
    a, b = flow(prop, failing, failing_set.name), flow(prop, holding, holding_set.name)
    if a.holds or not b.holds or nonconforming(failing, failing_set) or nonconforming(holding, holding_set):
        return None
    changes = _differing_decisions(failing, holding)
    if not changes:
        return None
    choice, alternative = changes[0]
    differing = first_difference(failing, holding)
    reaches = reaches_the_point(scenario, a, holding, differing)
    if not reaches and not vacuous:
        return None
    return WitnessPair(prop.id, scenario.name, a, b, choice, alternative, differing, len(changes) - 1, reaches)


def replayed_pair(prop: Property, failing: Scenario, holding: Scenario, failing_set: RuleSet, holding_set: RuleSet,
                  points: tuple[str, ...]) -> WitnessPair | None:
    """The independent confirmation of a solver's pair (``smt.pairs``): both scenarios replayed by the
    simulator, each under its own set, must conform, fail and satisfy the property as the solver said,
    first differ at a visit of ``points`` and be non-vacuous. None when the replay does not confirm the
    over-approximated parts (the caller blocks the pair and asks again).

    Raises ModelDisagreement when a replay contradicts the solver's semantics (a run that breaks its
    rule set, or the property's verdict on a run), as ``counterexample`` does.
    """
    a_trace = simulate(failing, failing_set, ScriptedChooser(failing.script))
    b_trace = simulate(holding, holding_set, ScriptedChooser(holding.script))
    a, b = flow(prop, a_trace, failing_set.name), flow(prop, b_trace, holding_set.name)
    broken = nonconforming(a_trace, failing_set) + nonconforming(b_trace, holding_set)
    if a.holds or not b.holds or broken:
        raise ModelDisagreement(f"{prop.id}: the solver's witness pair ({failing_set.name} / {holding_set.name}) "
                                f"does not replay as solved: holds {a.holds}/{b.holds}, broken {broken}; "
                                f"scenarios {failing} and {holding}")
    changes = _differing_decisions(a_trace, b_trace)
    if not changes or changes[0][0].choice_point not in points:
        return None
    choice, alternative = changes[0]
    differing = first_difference(a_trace, b_trace)
    if not reaches_the_point(failing, a, b_trace, differing):
        return None
    return WitnessPair(prop.id, failing.name, a, b, choice, alternative, differing, len(changes) - 1, True)

"""Choosers: who picks among the options a rule set allows at a choice point (DESIGN.md).

``DefaultChooser`` takes the most preferred option (``engine.choose_default``); ``ScriptedChooser``
follows a scenario's ``ScriptedChoice`` entries; ``ExhaustiveChooser`` with ``enumerate_choices``
walks every allowed choice sequence depth first; ``HypothesisChooser`` draws from Hypothesis data.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sipsmodel.model.expr import Value
from sipsmodel.model.scenario import ScriptedChoice
from sipsmodel.rules.engine import choose_default

Options = dict[str, Value]


class Chooser(Protocol):
    """Picks one of the allowed option assignments at one visit of a choice point."""

    def choose(
        self, element: str, choice_point: str, occurrence: int, features: Mapping[str, Value], allowed: list[Options]
    ) -> Options: ...


class DefaultChooser:
    """The fixed default: the most preferred allowed option (choice point ``prefer`` list)."""

    def choose(
        self, element: str, choice_point: str, occurrence: int, features: Mapping[str, Value], allowed: list[Options]
    ) -> Options:
        return choose_default(choice_point, features, allowed)


@dataclass
class ScriptedOptionNotAllowed(Exception):
    """A scripted choice that the rule set (or the link) does not allow; the simulator explains it."""

    element: str
    choice_point: str
    occurrence: int
    scripted: Options


class ScriptedChooser:
    """Scripted options per (element, choice point, occurrence); the fallback chooses the rest.

    A scripted entry may give only some options: the most preferred allowed assignment that agrees
    with it is taken. When none agrees, the simulator raises ScenarioError naming the rules.
    """

    def __init__(self, script: Sequence[ScriptedChoice], fallback: Chooser | None = None) -> None:
        self.script = {(s.element, s.choice_point, s.occurrence): dict(s.options) for s in script}
        self.fallback: Chooser = fallback or DefaultChooser()
        self.used: set[tuple[str, str, int]] = set()

    def choose(
        self, element: str, choice_point: str, occurrence: int, features: Mapping[str, Value], allowed: list[Options]
    ) -> Options:
        key = (element, choice_point, occurrence)
        scripted = self.script.get(key)
        if scripted is None:
            return self.fallback.choose(element, choice_point, occurrence, features, allowed)
        self.used.add(key)
        agreeing = [o for o in allowed if all(o.get(k) == v for k, v in scripted.items())]
        if not agreeing:
            raise ScriptedOptionNotAllowed(element, choice_point, occurrence, scripted)
        return choose_default(choice_point, features, agreeing)

    def unused(self) -> list[tuple[str, str, int]]:
        """Script entries never reached (a scenario whose script does not match its run)."""
        return sorted(set(self.script) - self.used)


@dataclass
class ExhaustiveChooser:
    """Follows ``prefix`` (indices into the allowed list), then takes index 0; records the trail."""

    prefix: Sequence[int] = ()
    trail: list[tuple[int, int]] = field(default_factory=list)

    def choose(
        self, element: str, choice_point: str, occurrence: int, features: Mapping[str, Value], allowed: list[Options]
    ) -> Options:
        step = len(self.trail)
        index = self.prefix[step] if step < len(self.prefix) else 0
        self.trail.append((index, len(allowed)))
        return allowed[index]


def next_prefix(trail: Sequence[tuple[int, int]]) -> list[int] | None:
    """The next choice sequence in depth-first order after ``trail``, or None when all are done."""
    for depth in range(len(trail) - 1, -1, -1):
        index, count = trail[depth]
        if index + 1 < count:
            return [i for i, _ in trail[:depth]] + [index + 1]
    return None


def enumerate_choices(run: Any, limit: int = 10_000) -> Iterator[Any]:
    """Call ``run(chooser)`` for every allowed choice sequence (depth first), yielding its results."""
    prefix: list[int] | None = []
    count = 0
    while prefix is not None and count < limit:
        chooser = ExhaustiveChooser(prefix)
        yield run(chooser)
        count += 1
        prefix = next_prefix(chooser.trail)


class HypothesisChooser:
    """Draws every choice from Hypothesis ``data`` (shrinks towards the first allowed option)."""

    def __init__(self, data: Any) -> None:
        self.data = data

    def choose(
        self, element: str, choice_point: str, occurrence: int, features: Mapping[str, Value], allowed: list[Options]
    ) -> Options:
        from hypothesis import strategies as st

        index: int = self.data.draw(st.integers(0, len(allowed) - 1), label=f"{element}.{choice_point}")
        return allowed[index]

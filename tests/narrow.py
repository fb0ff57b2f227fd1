"""The narrowest queries that yield each pinned F-item, built once per test process (issue 9, CI cost).

Each function asks one property under one preset at one F-item (its reading, exercise, open-choice or
built-in flow search, as ``decide.ambiguities`` runs them inside the whole search), and is cached, so
the tests that read the same finding share one search. Every witness query runs in a Z3 context of its
own and every counterexample model comes from one, so a cached answer is the answer a new process
gets (``test_pair_query`` checks that).
"""

from __future__ import annotations

from functools import cache

from sipsmodel.decide.ambiguities import Search, choice_findings, exercise_finding, reading_findings
from sipsmodel.decide.finding import Finding
from sipsmodel.decide.flows import builtin_scenarios, flow_findings
from sipsmodel.props import Property, load_properties
from sipsmodel.rules.readings import AMBIGUITIES_BY_ITEM
from sipsmodel.rules.sets import PRESETS

PROPS: dict[str, Property] = {p.id: p for p in load_properties()}
BOUND = 3


@cache
def search(rule_set: str, prop: str) -> Search:
    """One preset's search state (verdicts, counterexamples) over one property."""
    return Search(PRESETS[rule_set], [PROPS[prop]], BOUND)


@cache
def reading(rule_set: str, prop: str, item: str, letter: str) -> Finding | None:
    """The reading search of one F-item's reading for one property (``reading_findings``)."""
    return reading_findings(search(rule_set, prop), AMBIGUITIES_BY_ITEM[item], letter)


@cache
def exercise(rule_set: str, prop: str, item: str, letter: str) -> Finding | None:
    """The two-run query of a reading that decides a flow of one property (``exercise_finding``)."""
    return exercise_finding(search(rule_set, prop), AMBIGUITIES_BY_ITEM[item], letter, PROPS[prop])


@cache
def choices(rule_set: str, prop: str) -> tuple[Finding, ...]:
    """The sampled open choices of one property's counterexample (``choice_findings``)."""
    found: dict[tuple[str, str], Finding] = {}
    choice_findings(search(rule_set, prop), PROPS[prop], found)
    return tuple(found.values())


@cache
def flows(rule_set: str, prop: str, scenario: str) -> tuple[Finding, ...]:
    """The readings that decide one built-in call flow (the one whose name starts with ``scenario``) for
    one property (``flow_findings``)."""
    chosen = [s for s in builtin_scenarios() if s.name.startswith(scenario)]
    assert chosen, f"no built-in scenario {scenario}"
    return tuple(flow_findings(PRESETS[rule_set], [PROPS[prop]], chosen, set()))

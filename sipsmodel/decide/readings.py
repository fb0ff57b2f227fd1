"""Which readings a verdict rests on, and the verdict under each reading (``check``, issue 9 item 6).

A proof rests on the readings in its minimised unsat core (their literals are tracked like rules; a
preset's default readings are embodied by its rules, which the core names). A refutation depends on
the set's reading of an F-item when the counterexample breaks another reading of that item and the
property is proved under that other reading.
"""

from __future__ import annotations

from sipsmodel.decide.witness import nonconforming
from sipsmodel.model.trace import Trace
from sipsmodel.props import Property
from sipsmodel.rules.readings import AMBIGUITIES, AMBIGUITIES_BY_ITEM, is_reading_id
from sipsmodel.rules.sets import RuleSet
from sipsmodel.verdict import Result


def counterexample_readings(trace: Trace, rule_set: RuleSet) -> tuple[str, ...]:
    """The set's readings a flow needs: those of items with another reading the flow breaks."""
    current = dict(rule_set.readings)
    found = []
    for ambiguity in AMBIGUITIES:
        letter = current.get(ambiguity.item)
        others = [r.letter for r in ambiguity.readings if r.letter != letter]
        if letter is not None and any(nonconforming(trace, rule_set.with_readings({ambiguity.item: o}))
                                      for o in others):
            found.append(f"{ambiguity.item}/{letter}")
    return tuple(found)


def rested_on(prop: Property, result: Result, rule_set: RuleSet, bound: int) -> tuple[str, ...]:
    """The readings the verdict depends on.

    A proof: the readings in its minimised unsat core. A refutation: each reading the counterexample
    needs (``counterexample_readings``) and under whose alternative the property is proved up to the
    bound (one solver query per alternative), so ``refuted (F-12/a)`` means F-12/b would prove it.
    """
    if result.verdict == "proved":
        return tuple(r for r in result.rules_used if is_reading_id(r))
    if result.verdict != "refuted" or result.counterexample is None:
        return ()
    from sipsmodel.smt.verdict import bounded_verdict

    found = []
    for reading_id in counterexample_readings(result.counterexample, rule_set):
        item, letter = reading_id.split("/")
        others = [r.letter for r in AMBIGUITIES_BY_ITEM[item].readings if r.letter != letter]
        if any(bounded_verdict(prop, rule_set.with_readings({item: o}), bound) == "proved" for o in others):
            found.append(reading_id)
    return tuple(found)


def embodied_readings(rule_ids: tuple[str, ...], rule_set: RuleSet) -> dict[str, list[str]]:
    """For each rule, the set's readings it embodies: those of the F-items with a reading that supersedes it.

    A preset's default reading adds no constraint because its rules already say it; a reading that
    supersedes a rule replaces it, so a rule the core names stands for the set's reading of that item
    (``R-04-5-b`` for ``F-3/b`` under draft-04). A reading in the core (``F-8/b``) embodies itself.
    """
    current = dict(rule_set.readings)
    found: dict[str, list[str]] = {}
    for rule_id in rule_ids:
        if is_reading_id(rule_id):
            found[rule_id] = [rule_id]
            continue
        items = [a.item for a in AMBIGUITIES if a.item in current
                 and any(rule_id in r.supersedes for r in a.readings)]
        found[rule_id] = [f"{item}/{current[item]}" for item in items]
    return found


def plain_label(result: Result) -> str:
    """The verdict label without the readings it rests on."""
    if result.verdict != "proved":
        return result.verdict
    return "proved (all sizes)" if result.scope == "unbounded" else f"proved (k<={result.bound})"


def verdicts_by_reading(prop: Property, result: Result, rule_set: RuleSet, bound: int) -> dict[str, str]:
    """The verdict under every reading of every F-item with readings (one bounded solver query each)."""
    from sipsmodel.smt.verdict import bounded_verdict

    current = dict(rule_set.readings)
    out: dict[str, str] = {}
    for ambiguity in AMBIGUITIES:
        for reading in ambiguity.readings:
            if reading.letter == current.get(ambiguity.item):
                out[reading.id] = plain_label(result)
                continue
            verdict = bounded_verdict(prop, rule_set.with_readings({ambiguity.item: reading.letter}), bound)
            out[reading.id] = f"proved (k<={bound})" if verdict == "proved" else verdict
    return out

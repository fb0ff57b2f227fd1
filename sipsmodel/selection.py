"""Which properties and rule sets a run covers: ``--property``, ``--properties``, ``--rules``, ``--should``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sipsmodel.errors import ScenarioError
from sipsmodel.props import Property, load_properties
from sipsmodel.rules.sets import PRESETS, RuleSet, check_unique_names, load_rule_set


def _normal(prop_id: str) -> str:
    """``i-01b`` and ``I-1b`` name the same property."""
    head, _, tail = prop_id.strip().upper().rpartition("-")
    digits = tail.rstrip("B").lstrip("0") or "0"
    return f"{head}-{digits}{tail[len(tail.rstrip('B')):]}".lower()


def select_properties(ids: Sequence[str], directory: Path | None = None) -> list[Property]:
    """The properties named by ``ids`` (all of them when empty), in catalogue order."""
    props = load_properties(directory)
    if not ids:
        return props
    known = {_normal(p.id): p for p in props}
    unknown = [i for i in ids if _normal(i) not in known]
    if unknown:
        raise ScenarioError(f"unknown property {', '.join(unknown)}; known: {', '.join(p.id for p in props)}")
    wanted = {_normal(i) for i in ids}
    return [p for p in props if _normal(p.id) in wanted]


def select_rule_sets(names: Sequence[str], should: str | None = None) -> list[RuleSet]:
    """The rule sets named (presets or .toml files; the four presets when empty), SHOULD mode applied."""
    sets = [load_rule_set(n) for n in dict.fromkeys(names)] if names else list(PRESETS.values())
    check_unique_names(sets)
    return sets if should is None else [s.with_should(should) for s in sets]


def selection_warnings(props: Sequence[Property], rule_sets: Sequence[RuleSet]) -> list[str]:
    """What a run would otherwise do silently (issue 14): ignored expectations, rules dropped by supersedes."""
    names = set(PRESETS) | {s.name for s in rule_sets}
    warnings = []
    for prop in props:
        for table, keys in (("expected", prop.expected), ("malicious", prop.expected_malicious)):
            for key in sorted(set(keys) - names):
                warnings.append(f"{prop.source or prop.id}: [{table}] {key!r} is neither a preset nor a rule set of "
                                f"this run, so it is never used; presets: {', '.join(PRESETS)}")
    for rule_set in rule_sets:
        if rule_set.source and rule_set.expectation_key is None:
            warnings.append(f"{rule_set.source}: named like the preset {rule_set.name!r}, but the preset's "
                            "expectations do not apply to it (no expectation for its cells)")
        if rule_set.source:
            warnings += [f"{rule_set.source}: {dropped} is not in the set: {by} supersedes it "
                         "(`sipsmodel rules --set FILE` shows why)" for dropped, by in rule_set.superseded]
    return warnings

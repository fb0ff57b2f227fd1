"""``sipsmodel diff --rules A --rules B``: what changes between two rule sets (or two readings).

Theory of operation (a differential reachability query, issue 9 item 4): for every property, the
bounded verdict under A and under B (one solver query each, ``smt.verdict``); where they differ, the
counterexample of the refuting side and its replay under the other side form a witness pair
(``decide.witness``). Then for every choice point, one solver query each way for a state and an option
that one set allows and the other forbids (``smt.permits``), with the rules that forbid it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sipsmodel.decide.witness import WitnessPair, make_pair
from sipsmodel.defaults import DEFAULT_BOUND
from sipsmodel.errors import ScenarioError
from sipsmodel.model.expr import Value
from sipsmodel.props import Property
from sipsmodel.rules.engine import violated_rules
from sipsmodel.rules.sets import RuleSet
from sipsmodel.smt.permits import allowed_only_by, choice_point_names
from sipsmodel.smt.verdict import bounded_verdict, counterexample


@dataclass(frozen=True)
class VerdictChange:
    """A property whose bounded verdict differs, with the witness pair (failing side first)."""

    property: str
    verdicts: dict[str, str]
    witness: WitnessPair | None


@dataclass(frozen=True)
class PermissionChange:
    """A state and option at a choice point that ``allowed_by`` allows and ``forbidden_by`` forbids."""

    choice_point: str
    allowed_by: str
    forbidden_by: str
    state: dict[str, Value]
    option: dict[str, Value]
    rules: tuple[str, ...]


def check_distinct(a: RuleSet, b: RuleSet) -> None:
    """Two rule sets that constrain the same way are no diff: a clear error (exit 2)."""
    if a.name == b.name or (set(r.id for r in a.active) == set(r.id for r in b.active)):
        raise ScenarioError(f"diff needs two different rule sets: {a.name!r} and {b.name!r} have the same "
                            "active rules and readings; name another preset, file or --reading")


def verdict_changes(a: RuleSet, b: RuleSet, props: Sequence[Property], bound: int = DEFAULT_BOUND) -> list[
        VerdictChange]:
    """Every property whose bounded verdict differs under ``a`` and ``b``."""
    changes = []
    for prop in (p for p in props if p.scope != "trace"):
        va, vb = bounded_verdict(prop, a, bound), bounded_verdict(prop, b, bound)
        if va == vb or "unknown" in (va, vb):
            continue
        failing, holding = (a, b) if va == "refuted" else (b, a)
        example = counterexample(prop, failing, bound)
        pair = None if example is None else make_pair(prop, example.scenario, example.trace, failing, holding,
                                                             vacuous=True)
        changes.append(VerdictChange(prop.id, {a.name: va, b.name: vb}, pair))
    return changes


def permission_changes(a: RuleSet, b: RuleSet) -> list[PermissionChange]:
    """For each choice point, one witness state each way where exactly one set allows an option."""
    out = []
    for cp in choice_point_names():
        for allows, forbids in ((a, b), (b, a)):
            found = allowed_only_by(cp, allows, forbids)
            if found is not None:
                state, option = found
                rules = tuple(violated_rules(cp, state, option, forbids))
                out.append(PermissionChange(cp, allows.name, forbids.name, state, option, rules))
    return out

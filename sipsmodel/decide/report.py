"""The answer of ``sipsmodel decide`` as frozen data, its JSON form and its terminal text (issue 8).

Theory of operation: ``decide`` answers three questions per property (SIPS-RULES.md section B): what
the base rule set gives today (:class:`PropertyAnswer` ``base_verdict`` and counterexample), which
minimal sets of candidate changes prove it (:class:`MinimalSet`, each with the replayed
counterexample that every set with one change fewer admits), and whether each change can be had as a
BCP or needs a standards-track update (:class:`ChangeAnswer`, with a :class:`Conflict` per contradicted
base rule or permission, each with a call flow replayed at the conflicting state, or the
:class:`Narrowing` of open choices it makes). ``to_json`` gives the issue's JSON shape; the keys the
issue lists come first, and a few documented extra keys carry what the text report also shows.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sipsmodel.model.trace import Trace

ACTIONS = ("add", "remove")
TRACKS = ("bcp", "standards-track", "unknown")  # unknown: z3 gave up on a check and no conflict was found


@dataclass(frozen=True, order=True)
class Change:
    """One candidate change to the base rule set: add a rule of the table, or remove a base rule."""

    rule: str
    action: str = "add"

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError(f"a change's action is one of {ACTIONS}, not {self.action!r}")

    @property
    def label(self) -> str:
        return f"+{self.rule}" if self.action == "add" else f"-{self.rule}"

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "action": self.action}


@dataclass(frozen=True)
class Counterexample:
    """A violation (or a conflicting state) replayed by the simulator under one rule set."""

    rule_set: str
    changes: tuple[Change, ...]
    trace: Trace
    violation: int | None
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        from sipsmodel.render import transmissions_json

        return {
            "rule_set": self.rule_set,
            "changes": [c.to_json() for c in self.changes],
            "transmissions": transmissions_json(self.trace),
            "violation": self.violation,
            "note": self.note,
        }


def _flow_json(flow: Counterexample | None) -> dict[str, Any] | None:
    return None if flow is None else flow.to_json()


@dataclass(frozen=True)
class Conflict:
    """A change (``rule``) contradicts a base rule or permission (``contradicts``) at a choice point.

    ``kind`` says how: ``must`` (no option satisfies both at some reachable state), ``should`` (every
    option the change leaves goes against the SHOULD), ``permission`` (the permitted option is gone),
    ``deletion`` (the change removes the base rule). ``counterexample`` is a call flow replayed up to the
    conflicting state (``violation`` marks the transmission the state belongs to).
    """

    rule: str
    contradicts: str
    keyword: str
    clause: str
    kind: str
    choice_point: str
    state: Mapping[str, Any]
    counterexample: Counterexample | None

    @property
    def verb(self) -> str:
        """How the report says it: a deletion deletes the base rule (standards track), the others contradict."""
        return "deletes" if self.kind == "deletion" else "contradicts"

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "contradicts": self.contradicts,
            "clause": self.clause,
            "counterexample": _flow_json(self.counterexample),
            "keyword": self.keyword,
            "kind": self.kind,
            "choice_point": self.choice_point,
            "state": dict(self.state),
        }


@dataclass(frozen=True)
class Narrowing:
    """An open choice of the base that a BCP-able change narrows, checked at every state of its choice point.

    ``removed`` is an example of an option the base allows and the change forbids (with the state);
    ``states`` says what the check covered.
    """

    choice_point: str
    summary: str
    removed: Mapping[str, Any]
    states: str

    def to_json(self) -> dict[str, Any]:
        return {"choice_point": self.choice_point, "summary": self.summary, "removed": dict(self.removed),
                "states": self.states}


@dataclass(frozen=True)
class OneFewer:
    """Dropping ``dropped`` from a minimal set: the verdict, and its replayed counterexample."""

    dropped: Change
    verdict: str
    counterexample: Counterexample | None

    def to_json(self) -> dict[str, Any]:
        return {"dropped": self.dropped.to_json(), "verdict": self.verdict,
                "counterexample": _flow_json(self.counterexample)}


@dataclass(frozen=True)
class MinimalSet:
    """A minimal set of changes under which the property is proved (``scope`` bounded or unbounded)."""

    changes: tuple[Change, ...]
    verdict: str
    scope: str | None
    bound: int | None
    track: str = ""
    conflicts: tuple[Conflict, ...] = ()
    one_fewer: tuple[OneFewer, ...] = ()
    shoulds: tuple[str, ...] = ()
    rules_used: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return "{" + ", ".join(c.label for c in self.changes) + "}" if self.changes else "{} (the base)"

    @property
    def verdict_label(self) -> str:
        if self.verdict != "proved":
            return self.verdict
        return "proved (all sizes)" if self.scope == "unbounded" else f"proved (k<={self.bound})"

    def to_json(self) -> dict[str, Any]:
        return {
            "changes": [c.to_json() for c in self.changes],
            "verdict": self.verdict,
            "scope": self.scope,
            "bound": self.bound,
            "track": self.track,
            "conflicts": [c.to_json() for c in self.conflicts],
            "one_fewer": [o.to_json() for o in self.one_fewer],
            "shoulds": list(self.shoulds),
            "rules_used": list(self.rules_used),
        }


@dataclass(frozen=True)
class PropertyAnswer:
    """Questions 1 and 2 for one property: the base verdict and every minimal set of changes."""

    property: str
    title: str
    base_verdict: str
    base_scope: str | None
    bound: int | None
    counterexample: Counterexample | None
    minimal_sets: tuple[MinimalSet, ...]
    unfixable: bool
    all_candidates: str = ""
    all_candidates_counterexample: Counterexample | None = None
    complete: bool = True
    reason: str = ""
    seconds: float = 0.0

    @builtins.property
    def base_label(self) -> str:
        if self.base_verdict != "proved":
            return self.base_verdict
        return "proved (all sizes)" if self.base_scope == "unbounded" else f"proved (k<={self.bound})"

    def to_json(self) -> dict[str, Any]:
        return {
            "property": self.property,
            "base_verdict": self.base_verdict,
            "counterexample": _flow_json(self.counterexample),
            "minimal_sets": [m.to_json() for m in self.minimal_sets],
            "unfixable": self.unfixable,
            "title": self.title,
            "base_scope": self.base_scope,
            "bound": self.bound,
            "all_candidates": self.all_candidates,
            "all_candidates_counterexample": _flow_json(self.all_candidates_counterexample),
            "complete": self.complete,
            "reason": self.reason,
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class ChangeAnswer:
    """Question 3 for one candidate change: its track, its conflicts or narrowings, where it helps."""

    rule: str
    action: str
    keyword: str
    reading: str
    track: str
    conflicts: tuple[Conflict, ...] = ()
    narrows: tuple[Narrowing, ...] = ()
    in_minimal_sets: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def change(self) -> Change:
        return Change(self.rule, self.action)

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "action": self.action,
            "track": self.track,
            "conflicts": [c.to_json() for c in self.conflicts],
            "in_minimal_sets": list(self.in_minimal_sets),
            "keyword": self.keyword,
            "reading": self.reading,
            "narrows": [n.to_json() for n in self.narrows],
            "notes": list(self.notes),
        }


class JsonItem(Protocol):
    """A section item another module adds (trial-balloon points, deprecation rows)."""

    def to_json(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class DecideReport:
    """The whole answer of ``sipsmodel decide``."""

    base: str
    should: str
    bound: int
    candidates: str
    properties: tuple[PropertyAnswer, ...]
    changes: tuple[ChangeAnswer, ...]
    trial_balloon: tuple[JsonItem, ...] = ()
    deprecation: tuple[JsonItem, ...] = ()
    tool: Mapping[str, str] = field(default_factory=dict)
    left_out: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "tool": dict(self.tool),
            "base": self.base,
            "properties": [p.to_json() for p in self.properties],
            "changes": [c.to_json() for c in self.changes],
            "trial_balloon": [t.to_json() for t in self.trial_balloon],
            "deprecation": [d.to_json() for d in self.deprecation],
            "should": self.should,
            "bound": self.bound,
            "candidates": self.candidates,
            "left_out": list(self.left_out),
        }


def _flow_lines(flow: Counterexample | None, indent: str) -> list[str]:
    """A replayed flow as an RFC-style ladder, indented (the violating transmission marked)."""
    if flow is None:
        return []
    from sipsmodel.render.ladder import render_ladder

    head = f"{indent}call flow under {flow.rule_set}" + (f" ({flow.note})" if flow.note else "") + ":"
    ladder = render_ladder(flow.trace, flow.violation, why=True)
    return [head] + [indent + "  " + line for line in ladder.splitlines()]


def _property_lines(answer: PropertyAnswer, flows: bool) -> list[str]:
    lines = [f"{answer.property}  {answer.title}", f"  today: {answer.base_label}"]
    if flows:
        lines += _flow_lines(answer.counterexample, "    ")
    if answer.base_verdict == "proved":
        return lines
    if answer.unfixable:
        lines.append(f"  no subset of the candidates fixes it (all candidates together: {answer.all_candidates})")
        if flows:
            lines += _flow_lines(answer.all_candidates_counterexample, "    ")
    for m in answer.minimal_sets:
        should = (f"; works only if {', '.join(m.shoulds)} binds as a MUST (or with --should binding)"
                  if m.shoulds else "")
        lines.append(f"  fixed by {m.label}: {m.verdict_label}, {m.track or 'track not decided'}{should}")
        for c in m.conflicts:
            lines.append(f"    {c.verb} {c.contradicts} ({c.keyword}, {c.clause}) via {c.rule}")
    if not answer.complete:
        lines.append(f"  the list of minimal sets may be incomplete: {answer.reason}")
    return lines


def _change_lines(answer: ChangeAnswer, flows: bool) -> list[str]:
    where = ", ".join(answer.in_minimal_sets) or "no minimal set (buys nothing the model can see)"
    lines = [f"{answer.change.label}  ({answer.keyword})  {answer.track}  in: {where}"]
    for c in answer.conflicts:
        lines.append(f"  {c.verb} {c.contradicts} ({c.keyword}, {c.kind}) at {c.choice_point}: {c.clause}")
        if flows:
            lines += _flow_lines(c.counterexample, "    ")
    for n in answer.narrows:
        lines.append(f"  narrows {n.choice_point}: {n.summary} ({n.states})")
    lines += [f"  note: {note}" for note in answer.notes]
    return lines


def decide_text(report: DecideReport, flows: bool = True) -> str:
    """The terminal report: per property the three answers, then per change its track and evidence."""
    lines = [f"sipsmodel decide: base {report.base}, candidates {report.candidates}, bound k<={report.bound}, "
             f"SHOULD {report.should}"]
    lines += [f"  left out: {item}" for item in report.left_out] + [""]
    for answer in report.properties:
        lines += _property_lines(answer, flows)
        lines.append("")
    lines.append("Changes (BCP-able or standards track):")
    for change in report.changes:
        lines += _change_lines(change, flows)
    return "\n".join(lines) + "\n"


def changes_in(sets: Sequence[MinimalSet]) -> frozenset[Change]:
    """Every change that appears in some minimal set."""
    return frozenset(c for m in sets for c in m.changes)

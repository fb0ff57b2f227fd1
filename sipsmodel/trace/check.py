"""Evaluating properties on the records of a real trace, group by group (DESIGN.md flow 4).

A property is evaluated on a closed group only when every record attribute it reads was observed
there (``Observed.unknown``); otherwise it is undecided for that group, with the reason. Each failing
item of a property's outermost ``forall`` is one violation, located at a transmission (the hop, the
forward's outgoing hop, the REGISTER of a binding, the dialog's request) with its record and frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sipsmodel.model.expr import Expr, Quant, Ref
from sipsmodel.model.trace import Trace
from sipsmodel.props import Property, locate_violation, violations
from sipsmodel.props.evaluate import Evaluation
from sipsmodel.render.ladder import render_ladder
from sipsmodel.trace.records import Hop, Observed


@dataclass(frozen=True)
class Where:
    """A transmission a person should look at."""

    index: int
    record: int
    frame: int | None
    source: str
    sender: str
    receiver: str
    transport: str
    lines: tuple[str, ...]
    src: str = ""
    dst: str = ""

    @classmethod
    def of(cls, hop: Hop, sender: str, receiver: str) -> Where:
        head = hop.frame.data.split(b"\r\n\r\n", 1)[0].decode("utf-8", errors="replace")
        return cls(hop.index, hop.frame.record, hop.frame.frame, hop.frame.source, sender, receiver,
                   hop.frame.transport or "unknown", tuple(head.splitlines()), str(hop.frame.src), str(hop.frame.dst))


@dataclass(frozen=True)
class Violation:
    """One violation of one property at one place in the trace."""

    property: str
    title: str
    rules: tuple[str, ...]
    element: str
    where: Where | None
    ladder: str = ""


def reads(expr: Expr, scope: dict[str, str] | None = None) -> set[tuple[str, str]]:
    """(collection, attribute) pairs a formula reads; (collection, "*") for each collection it ranges over."""
    scope = scope or {}
    if isinstance(expr, Quant):
        inner = {**scope, expr.var: expr.collection}
        found = {(expr.collection, "*")} | reads(expr.body, inner)
        return found | (reads(expr.where, inner) if expr.where is not None else set())
    if isinstance(expr, Ref):
        return {(scope[expr.path[0]], expr.path[1])} if len(expr.path) == 2 and expr.path[0] in scope else set()
    found = set()
    for value in vars(expr).values():
        parts = value if isinstance(value, tuple) else (value,)
        for part in parts:
            if not isinstance(part, str | int | bool | type(None)) and hasattr(part, "__dataclass_fields__"):
                found |= reads(part, scope)
    return found


def blocking(read: set[tuple[str, str]], unknown: dict[tuple[str, str], str]) -> str | None:
    """The reason a property that reads ``read`` cannot be decided, or None."""
    for (collection, attr), why in unknown.items():
        if (collection, attr) in read or (attr == "*" and (collection, "*") in read):
            return why
    return None


@dataclass
class Checker:
    """Collects violations and undecided properties over the groups of one trace."""

    properties: list[Property]
    ladders: bool = True
    rule_ids: frozenset[str] | None = None
    found: list[Violation] = field(default_factory=list)
    undecided: dict[str, tuple[str, int]] = field(default_factory=dict)
    binding_places: dict[int, tuple[Where, str]] = field(default_factory=dict)
    groups: int = 0
    _seen: set[tuple[str, int | None, str]] = field(default_factory=set)
    _reads: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    _bindings_version: int = -1

    def __post_init__(self) -> None:
        self._reads = {p.id: reads(p.formula) for p in self.properties}

    def check(self, observed: Observed) -> None:
        """Evaluate every decidable property on one closed group."""
        self.groups += 1
        self._remember_bindings(observed)
        bindings_changed = observed.bindings_version != self._bindings_version
        self._bindings_version = observed.bindings_version
        for prop in self.properties:
            if not bindings_changed and {c for c, _ in self._reads[prop.id]} == {"bindings"}:
                continue  # a property of the bindings alone: already evaluated on these bindings
            why = blocking(self._reads[prop.id], observed.unknown)
            if why is not None:
                reason, count = self.undecided.get(prop.id, (why, 0))
                self.undecided[prop.id] = (reason, count + 1)
                continue
            for evaluation in violations(prop, observed.observation):
                self._add(prop, evaluation, observed)

    def _remember_bindings(self, observed: Observed) -> None:
        by_index = {h.index: h for h in observed.hops}
        names = {t.index: t for t in observed.transmissions}
        for binding, index in observed.binding_hops.items():
            if binding not in self.binding_places and index in by_index:
                item = names[index]
                self.binding_places[binding] = (Where.of(by_index[index], item.sender, item.receiver), item.receiver)
        live = set(observed.binding_hops)
        self.binding_places = {k: v for k, v in self.binding_places.items() if k in live}

    def _add(self, prop: Property, evaluation: Evaluation, observed: Observed) -> None:
        element, where = self._locate(evaluation, observed)
        key = (prop.id, None if where is None else where.index, element)
        if key in self._seen:
            return
        self._seen.add(key)
        ladder = ""
        if self.ladders and where is not None and any(t.index == where.index for t in observed.transmissions):
            ladder = render_ladder(Trace("trace", observed.transmissions), mark=where.index)
        rules = tuple(r for r in prop.follows_from if self.rule_ids is None or r in self.rule_ids)
        self.found.append(Violation(prop.id, prop.title, rules, element, where, ladder))

    def _locate(self, evaluation: Evaluation, observed: Observed) -> tuple[str, Where | None]:
        """The element to blame and the transmission to show: the witness hop, forward, dialog or binding."""
        collection, _, record = evaluation.witness[0] if evaluation.witness else ("", "", {})
        trace = Trace("trace", observed.transmissions, observation=observed.observation)
        index = locate_violation(evaluation, trace)
        hop = next((h for h in observed.hops if h.index == index), None)
        item = next((t for t in observed.transmissions if t.index == index), None)
        if hop is None or item is None:
            if collection == "bindings":
                place = self.binding_places.get(int(record["id"]))
                return (place[1], place[0]) if place is not None else ("unknown registrar", None)
            return ("unknown", None)
        element = item.sender
        if collection == "dialogs":
            element = observed.dialog_owners.get(int(record["id"]), element)
        return element, Where.of(hop, item.sender, item.receiver)

    def undecided_list(self) -> list[tuple[str, str]]:
        """(property, why) for every property left undecided somewhere, with how often."""
        listed = []
        for prop in self.properties:
            if prop.id in self.undecided:
                why, count = self.undecided[prop.id]
                listed.append((prop.id, f"{why} (undecided in {count} of {self.groups} groups of messages)"))
        return listed


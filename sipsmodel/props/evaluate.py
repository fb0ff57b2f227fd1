"""Evaluate a property on a Trace's observation, and find the witness of a violation.

The witness is what a counterexample shows a person: the records bound by the outermost ``forall``
chain at the first point where the formula fails (for example the hop that crossed without TLS).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sipsmodel.model.expr import Expr, Implies, Quant, Record, Scope, truth
from sipsmodel.model.trace import Trace
from sipsmodel.props.property import Property


@dataclass(frozen=True)
class Evaluation:
    """The verdict of one property on one trace, with the witness when it fails."""

    holds: bool
    witness: tuple[tuple[str, str, Record], ...] = ()

    @property
    def violation(self) -> int | None:
        """Index of the transmission that shows the violation, when the witness names one."""
        for collection, _, record in self.witness:
            if collection == "hops":
                return int(record["index"])
            if collection == "forwards":
                return int(record["out_hop"])
        return None


def _retry_transmission(trace: Trace, decision_index: int) -> int | None:
    """The request a retry or recursion decision led to: the element's next transmission."""
    decision = next((d for d in trace.decisions if d.index == decision_index), None)
    if decision is None:
        return None
    later = (d for d in trace.decisions if d.index > decision_index and d.element == decision.element)
    return next((d.transmission for d in later if d.transmission is not None), None)


def locate_violation(evaluation: Evaluation, trace: Trace) -> int | None:
    """The transmission a person should look at: the witness hop, forward, retry, or dialog request."""
    if evaluation.violation is not None:
        return evaluation.violation
    for collection, _, record in evaluation.witness:
        if collection == "retries":
            return _retry_transmission(trace, int(record["index"]))
        if collection == "dialogs":
            hops = [h for h in trace.collection("hops") if h["request"] == record["request"] and h["kind"] == "request"]
            return int(hops[-1]["index"]) if hops else None
    return None


def _witness(expr: Expr, scope: Scope) -> tuple[tuple[str, str, Record], ...]:
    """Descend the failing forall chain and collect the records that make it fail."""
    if isinstance(expr, Quant) and expr.kind == "forall":
        for item in scope.collections[expr.collection]:
            inner = scope.bind(expr.var, item)
            if expr.where is not None and not truth(expr.where, inner):
                continue
            if not truth(expr.body, inner):
                return ((expr.collection, expr.var, item), *_witness(expr.body, inner))
    if isinstance(expr, Implies) and truth(expr.left, scope):
        return _witness(expr.right, scope)
    return ()


def evaluate_property(prop: Property, observation: Mapping[str, Sequence[Record]]) -> Evaluation:
    """Evaluate ``prop`` on the collections of a trace."""
    scope = Scope({}, {}, observation)
    if truth(prop.formula, scope):
        return Evaluation(True)
    return Evaluation(False, _witness(prop.formula, scope))


def violations(prop: Property, observation: Mapping[str, Sequence[Record]]) -> list[Evaluation]:
    """Every violation of ``prop``: one per item of its outermost ``forall`` that fails, with its witness."""
    formula = prop.formula
    scope = Scope({}, {}, observation)
    if not (isinstance(formula, Quant) and formula.kind == "forall"):
        return [] if truth(formula, scope) else [Evaluation(False, _witness(formula, scope))]
    found: list[Evaluation] = []
    for item in scope.collections[formula.collection]:
        inner = scope.bind(formula.var, item)
        if formula.where is not None and not truth(formula.where, inner):
            continue
        if not truth(formula.body, inner):
            found.append(Evaluation(False, ((formula.collection, formula.var, item), *_witness(formula.body, inner))))
    return found

"""Evaluate a property on a Trace's observation, and find the witness of a violation.

The witness is what a counterexample shows a person: the records bound by the outermost ``forall``
chain at the first point where the formula fails (for example the hop that crossed without TLS).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sipsmodel.model.expr import Expr, Implies, Quant, Record, Scope, truth
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

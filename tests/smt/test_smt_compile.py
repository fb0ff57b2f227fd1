"""compile.py against expr.evaluate: the same tree gives the same truth value (DESIGN.md, one language)."""

from __future__ import annotations

import pytest
import z3
from hypothesis import given, settings
from hypothesis import strategies as st

from sipsmodel.model.expr import Scope, evaluate, flat_scope, truth
from sipsmodel.model.vocab import RECORD_SCHEMAS
from sipsmodel.props import load_properties
from sipsmodel.rules.choicepoints import CHOICE_POINTS
from sipsmodel.rules.table import RULES
from sipsmodel.smt.compile import SymScope, compile_formula, concrete_records, flat_symbols

CONSTRAINTS = [(cp, expr) for r in RULES for cp, expr in r.constraints.items()] + [
    (cp.name, expr) for cp in CHOICE_POINTS.values() for expr in cp.constraint_exprs + cp.prefer_exprs
]
PROPERTIES = [p for p in load_properties()]


def _value(domain_values: tuple[object, ...]) -> st.SearchStrategy[object]:
    first = domain_values[0]
    if isinstance(first, int) and not isinstance(first, bool) and len(domain_values) == 1:
        return st.integers(-1, 3)
    return st.sampled_from(domain_values)


@settings(max_examples=300)
@given(st.data())
def test_rule_constraints_compile_to_their_truth_value(data: st.DataObject) -> None:
    cp_name, expr = data.draw(st.sampled_from(CONSTRAINTS))
    variables = CHOICE_POINTS[cp_name].variables
    values = {name: data.draw(st.sampled_from(d.values), label=name) for name, d in variables.items()}
    term = z3.simplify(compile_formula(expr, SymScope(flat_symbols(values, variables))))
    assert z3.is_true(term) or z3.is_false(term)
    assert z3.is_true(term) == evaluate(expr, flat_scope(values))


def _records(name: str) -> st.SearchStrategy[list[dict[str, object]]]:
    schema = RECORD_SCHEMAS[name]
    record = st.fixed_dictionaries({attr: _value(d.values) for attr, (d, _) in schema.items()})
    return st.lists(record, max_size=4)


@pytest.mark.slow
@settings(max_examples=200)
@given(st.data())
def test_property_formulas_compile_to_their_truth_value(data: st.DataObject) -> None:
    prop = data.draw(st.sampled_from(PROPERTIES))
    observation = {name: data.draw(_records(name), label=name) for name in RECORD_SCHEMAS}
    expected = truth(prop.formula, Scope({}, {}, observation))  # type: ignore[arg-type]
    collections = {n: concrete_records(rs, RECORD_SCHEMAS[n]) for n, rs in observation.items()}  # type: ignore[arg-type]
    term = z3.simplify(compile_formula(prop.formula, SymScope(collections=collections)))
    assert z3.is_true(term) == expected and (z3.is_true(term) or z3.is_false(term))


@pytest.mark.parametrize("formula", [
    "forall h in hops where h.kind == response: h.status != 200",
    "exists h in hops: h.status == 200",
    "forall h in hops: h.binding < 0 or h.status == 487",
    "forall h in hops: h.status in {180, 200}",
])
@pytest.mark.parametrize("status", [0, 180, 200, 487])
def test_integer_literals_compile_to_their_truth_value(formula: str, status: int) -> None:
    """An integer attribute compared with a literal other than 0 (``INT`` lists only 0): the SMT term once
    made ``h.status == 200`` false for every hop, so a user's property about 200s was proved vacuously."""
    from sipsmodel.props.property import property_from_mapping

    prop = property_from_mapping({"id": "X", "title": "x", "formula": formula}, "test")
    hop = {a: (d.values[-1] if a != "kind" else "response") for a, (d, _) in RECORD_SCHEMAS["hops"].items()}
    hop.update(status=status, binding=-1 if status else 0)
    observation = {name: [] for name in RECORD_SCHEMAS}
    observation["hops"] = [hop]
    expected = truth(prop.formula, Scope({}, {}, observation))  # type: ignore[arg-type]
    collections = {n: concrete_records(rs, RECORD_SCHEMAS[n]) for n, rs in observation.items()}  # type: ignore[arg-type]
    term = z3.simplify(compile_formula(prop.formula, SymScope(collections=collections)))
    assert z3.is_true(term) == expected and (z3.is_true(term) or z3.is_false(term))

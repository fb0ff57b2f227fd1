"""Compiled closures are kept on the expression nodes (issue 11, item 7): same results, no global cache."""

from __future__ import annotations

import copy
import gc
import pickle
import weakref

import pytest

from sipsmodel.model import expr as expr_module
from sipsmodel.model.expr import Scope, evaluate, flat_scope, parse_expr, truth

FORMULA = "forall h in hops where h.request: secure(h.transport) or h.last"
RECORDS = [
    {"request": True, "transport": "TLS", "last": False},
    {"request": True, "transport": "UDP", "last": True},
    {"request": False, "transport": "UDP", "last": False},
]


def scope(records: list[dict[str, object]]) -> Scope:
    return Scope({}, {}, {"hops": records})  # type: ignore[dict-item]


def test_a_node_evaluates_the_same_before_and_after_its_closure_is_kept() -> None:
    tree = parse_expr(FORMULA)
    fresh = parse_expr(FORMULA)
    bad = [*RECORDS, {"request": True, "transport": "TCP", "last": False}]
    first = [truth(tree, scope(RECORDS)), truth(tree, scope(bad))]
    assert first == [True, False]
    assert [truth(tree, scope(RECORDS)), truth(tree, scope(bad))] == first  # from the kept closure
    assert [truth(fresh, scope(bad)), truth(fresh, scope(RECORDS))] == first[::-1]


def test_errors_are_the_same_on_every_evaluation() -> None:
    tree = parse_expr("x.y == 1")
    for _ in range(2):
        with pytest.raises(KeyError, match="unknown variable 'x'"):
            evaluate(tree, flat_scope({}))


def test_the_closure_is_no_field_equality_hash_and_repr_ignore_it() -> None:
    tree, twin = parse_expr("a == b and c"), parse_expr("a == b and c")
    evaluate(tree, flat_scope({"a": 1, "b": 1, "c": True}))
    assert "_evaluator" in vars(tree) and "_evaluator" not in vars(twin)
    assert tree == twin and hash(tree) == hash(twin) and repr(tree) == repr(twin)


def test_evaluated_nodes_pickle_and_copy_without_their_closure() -> None:
    tree = parse_expr(FORMULA)
    truth(tree, scope(RECORDS))
    for clone in (pickle.loads(pickle.dumps(tree)), copy.deepcopy(tree), copy.copy(tree)):
        assert clone == tree and "_evaluator" not in vars(clone)
        assert truth(clone, scope(RECORDS)) is True


def test_no_module_level_cache_keeps_dropped_trees_alive() -> None:
    assert not any(isinstance(v, dict) and k.isupper() and "COMPILED" in k for k, v in vars(expr_module).items())
    tree = parse_expr("a == 1")
    evaluate(tree, flat_scope({"a": 1}))
    ref = weakref.ref(tree)
    del tree
    gc.collect()
    assert ref() is None

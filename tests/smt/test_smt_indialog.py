"""The in-dialog walk: the linear router means exactly what the set of removed Route values means.

``RunRouter`` (linear in the bound) replaces ``ConsumedRouter`` (one literal per Route value per step)
wherever the route set is runs of distinct owners. Two encodings that differ only in the router share
every variable name, so Z3 can prove them equivalent: each one's assertions imply the other's (the
run tables are definitions, true for some interpretation whatever the rest is), and under both, every
observed record (hops, forwards, dialogs...) has the same presence and the same values.
"""

from __future__ import annotations

from typing import Any

import pytest
import z3
from consumed_router import ConsumedRouter

from sipsmodel.model.vocab import OPT_SCHEME, SCHEME
from sipsmodel.smt import indialog
from sipsmodel.smt.compile import const
from sipsmodel.smt.encode import BoundedEncoding, build_encoding
from sipsmodel.smt.indialog import RunRouter, owner_runs, owner_values
from sipsmodel.smt.invite import RREntry

pytestmark = pytest.mark.slow  # the prover on whole rule sets

Term = Any


def _encodings(monkeypatch: pytest.MonkeyPatch, k: int, malicious: bool) -> tuple[
    BoundedEncoding, BoundedEncoding, list[indialog.Router]
]:
    made: list[indialog.Router] = []
    real = indialog.router

    def spy(topo: Any, w: indialog.Walk, label: str) -> indialog.Router:
        chosen = real(topo, w, label)
        made.append(chosen)
        return chosen

    monkeypatch.setattr(indialog, "router", spy)
    linear = build_encoding(k, malicious)
    monkeypatch.setattr(indialog, "router", lambda topo, w, label: ConsumedRouter(w.route, w.target))
    reference = build_encoding(k, malicious)
    return linear, reference, made


def _differences(a: BoundedEncoding, b: BoundedEncoding) -> list[Term]:
    result = []
    assert a.collections.keys() == b.collections.keys()
    for name in a.collections:
        for ra, rb in zip(a.collections[name], b.collections[name], strict=True):
            values = [ra.values[f].term != rb.values[f].term for f in ra.values]
            result.append(z3.Or(ra.active != rb.active, z3.And(ra.active, z3.Or(values))))
    return result


def _unsat(*terms: Term) -> bool:
    """Unsat within a resource limit (a search that does not end counts as a failure, not a hang)."""
    solver = z3.Solver()
    solver.set("rlimit", 200_000_000)
    solver.add(*terms)
    return bool(solver.check() == z3.unsat)


@pytest.mark.parametrize("malicious", [False, True])
def test_linear_walk_is_equivalent_to_the_removed_values_walk(monkeypatch: pytest.MonkeyPatch, malicious: bool) -> None:
    linear, reference, made = _encodings(monkeypatch, 3, malicious)
    assert made and all(isinstance(r, RunRouter) for r in made)  # the encoding's route sets take the linear path
    definitions = [d for r in made if isinstance(r, RunRouter) for d in r.definitions]
    assert len(linear.topo.slots) == len(reference.topo.slots)
    assert [s.label for s in linear.topo.slots] == [s.label for s in reference.topo.slots]
    assert [v.label for v in linear.topo.rules.visits] == [v.label for v in reference.topo.rules.visits]
    # no rule literal is assumed: the equivalence holds under every rule set (booleans only in the asserts:
    # pytest would otherwise print the encodings' terms, which takes z3's printer very long)
    linear_implies_reference = _unsat(*linear.assertions, z3.Not(z3.And(reference.assertions)))
    assert linear_implies_reference, "a run of the linear walk that the reference walk does not allow"
    reference_implies_linear = _unsat(*reference.assertions, *definitions, z3.Not(z3.And(linear.assertions)))
    assert reference_implies_linear, "a run of the reference walk that the linear walk does not allow"
    same_records = _unsat(*linear.assertions, *reference.assertions, z3.Or(_differences(linear, reference)))
    assert same_records, "a run where the two walks observe different records"


def _entry(owner: Term | int, name: str) -> RREntry:
    return RREntry(owner, z3.Bool(f"test!{name}!present"), const(SCHEME, "sips"), False)


def test_owner_runs_group_neighbours_and_refuse_what_only_the_reference_handles() -> None:
    won = z3.Bool("test!won")
    edge = z3.If(won, 4, 5)
    route = [_entry(1, "a"), _entry(1, "b"), _entry(3, "c"), _entry(edge, "d"), _entry(edge, "e")]
    runs = owner_runs(route, 0)
    assert runs is not None and [len(r) for r in runs] == [2, 1, 2]
    assert owner_values(edge) == {4, 5} and owner_values(7) == {7}
    assert owner_runs([_entry(1, "a"), _entry(2, "b"), _entry(1, "c")], 0) is None  # an owner with two runs
    assert owner_runs([_entry(1, "a"), _entry(z3.If(won, 1, 2), "b")], 0) is None  # may be the same owner
    assert owner_runs([_entry(6, "a")], 6) is None  # the sender's own value
    assert owner_runs([_entry(z3.Int("test!somewhere"), "a")], 0) is None  # owner not evident


def test_both_routers_agree_where_owners_repeat_only_through_the_reference() -> None:
    """On a route set the linear router does not take, the reference still removes every value of an owner."""
    route = [_entry(1, "a"), _entry(2, "b"), _entry(1, "c")]
    reference = ConsumedRouter(route, 9)
    first = reference.step(0, z3.IntVal(0))
    solver = z3.Solver()
    solver.add(*[e.present for e in route])
    solver.add(z3.Not(z3.And(first.exists, first.owner == 1, first.scheme.term == const(OPT_SCHEME, "sips").term)))
    assert solver.check() == z3.unsat
    after = reference.step(1, z3.IntVal(1))  # p1 removes both of its values: p2's is next
    solver = z3.Solver()
    solver.add(*[e.present for e in route])
    solver.add(z3.Not(z3.And(after.exists, after.owner == 2)))
    assert solver.check() == z3.unsat

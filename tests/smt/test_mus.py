"""sipsmodel.smt.mus on small z3 problems whose MUSes are known (issue 14, item 1)."""

from __future__ import annotations

import itertools

import pytest
import z3
from hypothesis import given, settings
from hypothesis import strategies as st

from sipsmodel.smt.mus import (
    MusEnumeration,
    first_core_and_all,
    first_joint_core,
    first_minimal_core,
    joint_minimal_cores,
    minimal_cores,
)

X, Y = z3.Ints("x y")


def _soft() -> dict[str, z3.BoolRef]:
    """Three MUSes: {a, b}, {c, d} and {a, e}; f is harmless."""
    return {
        "a": X > 5, "b": X < 3, "c": Y > 5, "d": Y < 2, "e": X < 4, "f": Y > 0,
    }


def test_all_minimal_cores_of_a_problem_with_several() -> None:
    result = minimal_cores(z3.Solver(), [], _soft())
    assert result == MusEnumeration((("a", "b"), ("a", "e"), ("c", "d")), True)


def test_no_core_when_everything_together_is_sat() -> None:
    soft = {"a": X > 1, "b": X < 9, "c": Y == X}
    assert minimal_cores(z3.Solver(), [], soft) == MusEnumeration((), True)
    assert first_minimal_core(z3.Solver(), [], soft) is None


def test_every_soft_id_is_needed_when_all_form_one_core() -> None:
    soft = {"a": X > 1, "b": X < 3, "c": X != 2}
    assert minimal_cores(z3.Solver(), [], soft).cores == (("a", "b", "c"),)
    assert first_minimal_core(z3.Solver(), [], soft) == ("a", "b", "c")


def test_hard_constraints_alone_unsat_give_the_empty_core() -> None:
    result = minimal_cores(z3.Solver(), [X > 1, X < 0], _soft())
    assert result == MusEnumeration(((),), True)
    assert first_minimal_core(z3.Solver(), [X > 1, X < 0], _soft()) == ()


def test_hard_constraints_join_the_soft_ones() -> None:
    result = minimal_cores(z3.Solver(), [X > 5], _soft())
    assert result.cores == (("b",), ("c", "d"), ("e",))


def test_the_first_core_is_deletion_in_sorted_order() -> None:
    # Deleting a first (sat without it? no: {b..f} still holds {c,d}) then b... keeps {c, d}.
    assert first_minimal_core(z3.Solver(), [], _soft()) == ("c", "d")
    assert first_minimal_core(z3.Solver(), [], {k: v for k, v in _soft().items() if k not in "cd"}) == ("a", "e")


def test_the_answer_does_not_depend_on_the_solver_history() -> None:
    fresh = first_minimal_core(z3.Solver(), [], _soft())
    used = z3.Solver()
    soft = _soft()
    for names in itertools.permutations(sorted(soft), 3):  # queries that leave cores and lemmas behind
        used.check(*(soft[n] for n in names))
        used.check(soft["a"], soft["b"])
        used.unsat_core()
    assert first_minimal_core(used, [], soft) == fresh
    assert minimal_cores(used, [], soft) == minimal_cores(z3.Solver(), [], soft)


def test_absent_says_what_a_left_out_id_means() -> None:
    # Guarded literals: a left-out ID is switched off, so a core is a rule set that is unsat on its own.
    lits = {n: z3.Bool(f"lit!{n}") for n in "abc"}
    hard = [z3.Implies(lits["a"], X > 5), z3.Implies(lits["b"], X < 3),
            z3.Implies(z3.Not(lits["c"]), X == 10)]  # c off forces x = 10, which b rules out
    absent = {n: z3.Not(v) for n, v in lits.items()}
    # Not monotone: {b} alone is unsat (c off) but {b, c} is sat. Deletion in order keeps {a, b}; the
    # necessity pass then finds that a is not needed.
    assert first_minimal_core(z3.Solver(), hard, lits, absent=absent) == ("b",)
    # Without absent, c left out is free (may be on), so b alone is sat and the only core is {a, b}.
    assert minimal_cores(z3.Solver(), hard, lits) == MusEnumeration((("a", "b"),), True)
    assert first_minimal_core(z3.Solver(), hard, lits) == ("a", "b")


def test_the_limit_makes_the_enumeration_incomplete_and_says_so() -> None:
    result = minimal_cores(z3.Solver(), [], _soft(), limit=2)
    assert len(result.cores) == 2 and not result.complete
    assert "limit of 2" in result.reason
    assert set(result.cores) <= {("a", "b"), ("a", "e"), ("c", "d")}


def test_an_unknown_answer_makes_the_enumeration_incomplete() -> None:
    solver = z3.Solver()
    solver.set("rlimit", 1)
    a, b = z3.Ints("a b")
    soft = {"p": a * a * a + b * b * b == 33 * a * b, "q": a > 1000, "r": b > 1000}
    result = minimal_cores(solver, [], soft)
    assert not result.complete and result.reason.startswith("z3: ")


def _brute_force_muses(soft: dict[str, z3.BoolRef]) -> tuple[tuple[str, ...], ...]:
    def unsat(ids: tuple[str, ...]) -> bool:
        return bool(z3.Solver().check(*(soft[i] for i in ids)) == z3.unsat)

    names = sorted(soft)
    subsets = [c for n in range(len(names) + 1) for c in itertools.combinations(names, n)]
    return tuple(sorted(c for c in subsets if unsat(c) and not any(unsat(tuple(j for j in c if j != i)) for i in c)))


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("<>="), st.integers(0, 6)), min_size=1, max_size=6))
def test_marco_finds_exactly_the_brute_force_muses(bounds: list[tuple[str, int]]) -> None:
    ops = {"<": X.__lt__, ">": X.__gt__, "=": X.__eq__}
    soft = {f"s{n}": ops[op](value) for n, (op, value) in enumerate(bounds)}
    expected = _brute_force_muses(soft)
    assert minimal_cores(z3.Solver(), [], soft, limit=100) == MusEnumeration(expected, True)
    first = first_minimal_core(z3.Solver(), [], soft)
    assert (first is None) == (not expected) and (first is None or first in expected)
    assert first == _one_by_one_deletion(soft)


def _one_by_one_deletion(soft: dict[str, z3.BoolRef]) -> tuple[str, ...] | None:
    """The reference the chunked deletion must match: drop each ID in sorted order while unsat."""
    kept = sorted(soft)
    if z3.Solver().check(*(soft[i] for i in kept)) != z3.unsat:
        return None
    for name in sorted(soft):
        trial = [i for i in kept if i != name]
        if z3.Solver().check(*(soft[i] for i in trial)) == z3.unsat:
            kept = trial
    return tuple(kept)


def test_joint_cores_need_every_query_unsat() -> None:
    lits = {n: z3.Bool(f"joint!{n}") for n in "abcd"}
    means = {"a": X > 5, "b": X < 3, "c": Y > 5, "d": Y < 2}
    first, second = z3.Solver(), z3.Solver()
    first.add(*(z3.Implies(lits[n], means[n]) for n in "abcd"))
    second.add(*(z3.Implies(lits[n], means[n]) for n in "ab"))  # here c and d constrain nothing
    queries = [(first, []), (second, [])]
    assert first_minimal_core(first, [], lits) == ("c", "d")
    assert first_joint_core(queries, lits) == ("a", "b")
    assert joint_minimal_cores(queries, lits) == MusEnumeration((("a", "b"),), True)
    found_first, everything = first_core_and_all([(first, [])], lits)
    assert found_first == ("c", "d") and everything.cores == (("a", "b"), ("c", "d"))


def _brute_force_minimal(check: dict[frozenset[str], bool], ids: list[str]) -> set[tuple[str, ...]]:
    """Every unsat subset whose single drops are all sat (the definition decide uses)."""
    return {tuple(sorted(s)) for s in check if check[s] and all(not check[s - {i}] for i in s)}


def _switch_problem() -> tuple[z3.Solver, dict[str, z3.BoolRef], dict[str, z3.BoolRef], dict[str, z3.BoolRef],
                               dict[str, z3.BoolRef]]:
    """Additions +a, +b and a removal -r (switch r on = the base rule deleted).

    Monotone in the additions; the removal is not: with r on, +a alone proves (a blocking rule gone), with
    r off it needs +b. So the minimal sets are {+a, +b} and {+a, -r}."""
    a, b, r = z3.Bools("sw_a sw_b sw_r")
    solver = z3.Solver()
    solver.add(z3.Implies(z3.And(a, b), X > 5), z3.Implies(z3.And(a, b), X < 3))
    solver.add(z3.Implies(z3.And(a, r), Y > 5), z3.Implies(z3.And(a, r), Y < 2))
    return solver, {"+a": a, "+b": b}, {"+a": z3.Not(a), "+b": z3.Not(b)}, {"-r": r}, {"-r": z3.Not(r)}


def test_switch_cores_find_a_minimal_set_with_a_removal() -> None:
    from sipsmodel.smt.mus import switch_cores

    solver, soft, absent, switches, off = _switch_problem()
    first = minimal_cores(solver, list(off.values()), soft, absent=absent)
    assert first.cores == (("+a", "+b"),) and first.complete
    assert sorted(first.satisfiable) == [("+a",), ("+b",)]
    more = switch_cores([(solver, [])], soft, absent, switches, off, first)
    assert more == MusEnumeration((("+a", "-r"),), True)
    terms = {**soft, **switches}
    check = {}
    for size in range(4):
        for chosen in itertools.combinations(sorted(terms), size):
            assumed = [terms[i] if i in chosen else {**absent, **off}[i] for i in sorted(terms)]
            check[frozenset(chosen)] = solver.check(*assumed) == z3.unsat
    assert _brute_force_minimal(check, sorted(terms)) == {*first.cores, *more.cores}


def test_a_removal_that_only_weakens_is_in_no_minimal_set() -> None:
    from sipsmodel.smt.mus import switch_cores

    a, b, r = z3.Bools("wk_a wk_b wk_r")
    solver = z3.Solver()
    solver.add(z3.Implies(z3.And(a, b, z3.Not(r)), X > 5), z3.Implies(z3.And(a, b, z3.Not(r)), X < 3))
    soft, absent = {"+a": a, "+b": b}, {"+a": z3.Not(a), "+b": z3.Not(b)}
    first = minimal_cores(solver, [z3.Not(r)], soft, absent=absent)
    assert first.cores == (("+a", "+b"),)
    assert switch_cores([(solver, [])], soft, absent, {"-r": r}, {"-r": z3.Not(r)}, first) == MusEnumeration((), True)

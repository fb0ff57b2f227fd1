"""pb's best final response (sipsmodel/steps/best.py): one function, the same answer on both engines.

RFC 3261 16.7 step 6 and RFC 5630 5.3. The concrete run is checked against the ranking the simulator
used before the step was shared (a 6xx, else a 2xx, else the lowest class; the first of its class);
the Z3 run is checked to build, node for node, the terms the encoding wrote by hand (smt/failures.py
``final_at_pb`` at 90baa96), and to agree with the concrete run on every assignment it is given.
"""

from __future__ import annotations

from typing import Any

import pytest
import z3
from hypothesis import given
from hypothesis import strategies as st

from sipsmodel.model.vocab import SCHEME
from sipsmodel.smt.compile import const, fresh, ite, value_term
from sipsmodel.smt.ops import Z3
from sipsmodel.steps import best
from sipsmodel.steps.ops import CONCRETE

STATUS = st.sampled_from([200, 202, 302, 380, 400, 416, 480, 487, 500, 503, 603, 699])


def _by_rank(statuses: list[int]) -> int:
    """The simulator's ranking before the step (sim/proxy.py ``complete`` at 90baa96): the index chosen."""
    rank = {6: 0, 2: 1, 3: 2, 4: 3, 5: 4}
    return min(range(len(statuses)), key=lambda n: rank.get(statuses[n] // 100, 5))


@given(st.lists(STATUS, min_size=1, max_size=6))
def test_concrete_best_is_the_ranking_of_rfc_3261_16_7_step_6(statuses: list[int]) -> None:
    answers = [best.Answer(True, s, (n,)) for n, s in enumerate(statuses)]
    chosen = best.best_final(CONCRETE, answers, best.Answer(False, 0, (-1,)))
    assert chosen.payload == (_by_rank(statuses),)
    assert chosen.status == statuses[_by_rank(statuses)]
    first_2xx = next((n for n, s in enumerate(statuses) if 200 <= s < 300), -1)
    assert chosen.winner == first_2xx


def test_no_branch_sent_gives_480_with_380_only_for_sips_with_a_sip_binding_left_out() -> None:
    left = best.left_out_sip(CONCRETE, True, True, "sip")
    assert left and not best.left_out_sip(CONCRETE, True, True, "sips")
    assert not best.left_out_sip(CONCRETE, True, False, "sip")
    assert best.no_branch_warn(CONCRETE, "sips", [False, left]) == 380
    assert best.no_branch_warn(CONCRETE, "sip", [left]) == 0
    assert best.no_branch_warn(CONCRETE, "sips", []) == 0


def _by_hand(answered: list[Any], ups: list[tuple[Any, Any]], contacts: list[Any], warn0: Any) -> tuple[Any, ...]:
    """The loops of smt/failures.py ``final_at_pb`` at 90baa96 (status, warn, contact, winner)."""
    status: Any = z3.IntVal(480)
    warn, contact, winner = warn0, const(SCHEME, "sip"), z3.IntVal(-1)
    for n in range(len(answered) - 1, -1, -1):
        status = z3.If(answered[n], ups[n][0], status)
        warn = z3.If(answered[n], ups[n][1], warn)
        contact = ite(answered[n], contacts[n], contact)
    for cls in (300, 200):
        for n in range(len(answered) - 1, -1, -1):
            won = z3.And(answered[n], ups[n][0] >= cls, ups[n][0] < cls + 100)
            status = z3.If(won, ups[n][0], status)
            warn = z3.If(won, ups[n][1], warn)
            contact = ite(won, contacts[n], contact)
            if cls == 200:
                winner = z3.If(won, n, winner)
    return status, warn, contact, winner


def _symbolic(count: int) -> tuple[list[Any], list[tuple[Any, Any]], list[Any], Any]:
    answered = [z3.Bool(f"answered{n}") for n in range(count)]
    ups = [(z3.Int(f"status{n}"), z3.Int(f"warn{n}")) for n in range(count)]
    contacts = [fresh(f"contact{n}", SCHEME) for n in range(count)]
    return answered, ups, contacts, z3.Int("warn_none")


@pytest.mark.parametrize("count", [0, 1, 2, 4])
def test_the_z3_step_builds_the_hand_written_terms(count: int) -> None:
    answered, ups, contacts, warn0 = _symbolic(count)
    answers = [best.Answer(a, s, (w, c)) for a, (s, w), c in zip(answered, ups, contacts, strict=True)]
    nobody = best.Answer(False, z3.IntVal(480), (warn0, const(SCHEME, "sip")))
    chosen = best.best_final(Z3, answers, nobody, classes=(200, 300, 400))
    status, warn, contact, winner = _by_hand(answered, ups, contacts, warn0)
    assert chosen.status.eq(status) and chosen.payload[0].eq(warn) and chosen.winner.eq(winner)
    assert chosen.payload[1].term.eq(contact.term)


@given(st.lists(st.tuples(st.booleans(), st.sampled_from([200, 302, 416, 480, 487])), min_size=1, max_size=4))
def test_both_engines_choose_the_same_answer(rows: list[tuple[bool, int]]) -> None:
    answered, ups, contacts, warn0 = _symbolic(len(rows))
    answers = [best.Answer(a, s, (n,)) for n, (a, (s, _w)) in enumerate(zip(answered, ups, strict=True))]
    symbolic = best.best_final(Z3, answers, best.Answer(False, z3.IntVal(480), (z3.IntVal(-1),)), (200, 300, 400))
    concrete = best.best_final(CONCRETE, [best.Answer(a, s, (n,)) for n, (a, s) in enumerate(rows)],
                               best.Answer(False, 480, (-1,)), (200, 300, 400))
    pairs = [(answered[n], z3.BoolVal(a)) for n, (a, _) in enumerate(rows)]
    pairs += [(ups[n][0], z3.IntVal(s)) for n, (_, s) in enumerate(rows)]
    for term, value in ((symbolic.status, concrete.status), (symbolic.payload[0], concrete.payload[0]),
                        (symbolic.winner, concrete.winner)):
        assert z3.simplify(z3.substitute(term, *pairs)).eq(z3.IntVal(value))


def test_no_branch_warn_builds_the_hand_written_term() -> None:
    in_ruri, left = fresh("in_ruri", SCHEME), [z3.Bool("left0"), z3.Bool("left1")]
    by_hand = z3.If(z3.And(in_ruri.term == value_term(SCHEME, "sips"), z3.Or(left)), 380, 0)
    assert best.no_branch_warn(Z3, in_ruri, left).eq(by_hand)

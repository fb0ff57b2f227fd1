"""The next hop (sipsmodel/steps/routing.py): one function, the same answer on both engines.

RFC 3261 12.2.1.1, 16.4, 16.6 steps 6-7; RFC 3263 4.1. The concrete run is checked case by case
against the text (the simulator's branches before the step was shared); the Z3 run against the
concrete one on every combination, and node for node against the terms smt/indialog.py ``walk``
wrote by hand (at 90baa96).
"""

from __future__ import annotations

import itertools

import pytest
import z3

from sipsmodel.model.vocab import OPT_SCHEME, TPARAM
from sipsmodel.smt.compile import const, fresh, ite, value_term
from sipsmodel.smt.ops import Z3
from sipsmodel.steps.ops import CONCRETE
from sipsmodel.steps.routing import RouteLeft, next_hop

ROUTE, OUTBOUND, TARGET = 1, 2, 3


def _concrete(exists: bool, strict: bool, outbound: bool, scheme: str = "sips", tp: str = "TCP",
              target_tp: str = "TLS") -> tuple[int, str, str]:
    left = RouteLeft(exists, ROUTE, scheme, tp, strict)
    hop = next_hop(CONCRETE, left, outbound, OUTBOUND, TARGET, target_tp)
    return hop.element, hop.route, hop.tparam


def test_a_loose_route_value_wins_and_names_its_scheme_and_transport() -> None:
    assert _concrete(True, False, True) == (ROUTE, "sips", "TCP")


def test_a_strict_route_value_is_the_next_hop_but_names_no_route_scheme() -> None:
    assert _concrete(True, True, False) == (ROUTE, "none", "TCP")


def test_without_a_route_value_the_outbound_proxy_then_the_request_uri() -> None:
    assert _concrete(False, False, True) == (OUTBOUND, "none", "none")
    assert _concrete(False, False, False) == (TARGET, "none", "TLS")


@pytest.mark.parametrize(("exists", "strict", "outbound"), list(itertools.product([False, True], repeat=3)))
def test_both_engines_agree(exists: bool, strict: bool, outbound: bool) -> None:
    e, s, o = z3.Bools("exists strict outbound")
    left = RouteLeft(e, z3.IntVal(ROUTE), const(OPT_SCHEME, "sips"), const(TPARAM, "TCP"), s)
    hop = next_hop(Z3, left, o, z3.IntVal(OUTBOUND), z3.IntVal(TARGET), const(TPARAM, "TLS"))
    values = [(e, z3.BoolVal(exists)), (s, z3.BoolVal(strict)), (o, z3.BoolVal(outbound))]
    element, route, tparam = _concrete(exists, strict, outbound)
    assert z3.simplify(z3.substitute(hop.element, *values)).eq(z3.IntVal(element))
    assert z3.simplify(z3.substitute(hop.route.term, *values)).eq(value_term(OPT_SCHEME, route))
    assert z3.simplify(z3.substitute(hop.tparam.term, *values)).eq(value_term(TPARAM, tparam))


def test_the_z3_step_builds_the_walks_hand_written_terms() -> None:
    exists, outbound, cur, owner = z3.Bool("exists"), z3.Bool("outbound"), z3.Int("cur"), z3.Int("owner")
    scheme, ruri_tp, target = fresh("scheme", OPT_SCHEME), fresh("ruri_tp", TPARAM), 7
    left = RouteLeft(exists, owner, scheme, const(TPARAM, "none"))  # the family: Route values name no transport
    hop = next_hop(Z3, left, outbound, cur + 1, target, ruri_tp)
    assert hop.element.eq(z3.If(exists, owner, z3.If(outbound, cur + 1, target)))
    assert hop.tparam.term.eq(ite(z3.Or(exists, outbound), const(TPARAM, "none"), ruri_tp).term)
    assert hop.route.term.eq(ite(exists, scheme, const(OPT_SCHEME, "none")).term)

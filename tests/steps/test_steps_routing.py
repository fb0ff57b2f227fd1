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
from sipsmodel.steps.routing import RouteLeft, addressed, next_hop, request_uri, route_top

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


# --- the Request-URI swap of a strict router (RFC 3261 8.1.1.1, 12.2.1.1, 16.6 step 6; F-19) ------------------


def test_a_strict_value_travels_as_the_request_uri_and_the_target_goes_last() -> None:
    strict, loose = (RouteLeft(True, ROUTE, "sip", "UDP", s) for s in (True, False))
    none: RouteLeft[bool, str, int | None] = RouteLeft(False, None, "none", "none", True)
    assert request_uri(CONCRETE, strict, "sip:p1", "sips:bob") == "sip:p1"
    assert request_uri(CONCRETE, loose, "sip:p1", "sips:bob") == "sips:bob"
    assert request_uri(CONCRETE, none, "sip:p1", "sips:bob") == "sips:bob"
    assert route_top(CONCRETE, strict, "none", "sips") == "sips"  # only the target is left in Route
    assert route_top(CONCRETE, strict, "sip", "sips") == "sip"  # the second value left is on top
    assert route_top(CONCRETE, loose, "sips", "sips") == "sip"  # a loose value stays on top
    assert route_top(CONCRETE, none, "sips", "sips") == "none"


def test_a_uac_reads_entry_and_target_from_what_it_sends() -> None:
    assert addressed(CONCRETE, True, "sip", "sips") == ("sip", "sips")  # Request-URI the entry, Route the target
    assert addressed(CONCRETE, False, "sips", "sip") == ("sip", "sips")  # Route the entry, Request-URI the target


@pytest.mark.parametrize(("exists", "strict"), list(itertools.product([False, True], repeat=2)))
def test_both_engines_swap_alike(exists: bool, strict: bool) -> None:
    e, s = z3.Bools("exists strict")
    schemes = {"scheme": "sip", "second": "none", "target": "sips"}
    left = RouteLeft(e, z3.IntVal(ROUTE), const(OPT_SCHEME, schemes["scheme"]), const(TPARAM, "UDP"), s)
    values = [(e, z3.BoolVal(exists)), (s, z3.BoolVal(strict))]
    concrete = RouteLeft(exists, ROUTE, schemes["scheme"], "UDP", strict)
    symbolic = request_uri(Z3, left, const(OPT_SCHEME, "sip"), const(OPT_SCHEME, "sips"))
    expected = request_uri(CONCRETE, concrete, "sip", "sips")
    assert z3.simplify(z3.substitute(symbolic.term, *values)).eq(value_term(OPT_SCHEME, expected))
    top = route_top(Z3, left, const(OPT_SCHEME, schemes["second"]), const(OPT_SCHEME, schemes["target"]))
    expected = route_top(CONCRETE, concrete, schemes["second"], schemes["target"])
    assert z3.simplify(z3.substitute(top.term, *values)).eq(value_term(OPT_SCHEME, expected))
    entry, target = addressed(Z3, s, const(OPT_SCHEME, "sip"), const(OPT_SCHEME, "sips"))
    c_entry, c_target = addressed(CONCRETE, strict, "sip", "sips")
    assert z3.simplify(z3.substitute(entry.term, *values)).eq(value_term(OPT_SCHEME, c_entry))
    assert z3.simplify(z3.substitute(target.term, *values)).eq(value_term(OPT_SCHEME, c_target))


def test_without_strict_routers_the_swap_builds_no_term() -> None:
    """A strict mark that is the Python ``False`` (a family without strict routers) folds away."""
    left = RouteLeft(z3.Bool("exists"), z3.Int("owner"), fresh("scheme", OPT_SCHEME), const(TPARAM, "none"))
    target = fresh("target", OPT_SCHEME)
    assert request_uri(Z3, left, fresh("entry", OPT_SCHEME), target) is target

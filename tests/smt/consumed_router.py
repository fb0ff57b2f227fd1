"""Test oracle: the exact in-dialog router that keeps every Route value's ``consumed`` literal (quadratic).

``sipsmodel.smt.indialog.RunRouter`` (linear) must give the same visits, slots and records on every
route set the encoding builds; tests/smt/test_smt_indialog.py proves it against this reference.
"""

from __future__ import annotations

from typing import Any

import z3

from sipsmodel.model.vocab import OPT_SCHEME, TPARAM
from sipsmodel.smt.compile import const, convert, ite
from sipsmodel.smt.indialog import NextHop, value_params
from sipsmodel.smt.invite import RREntry

Term = Any


class ConsumedRouter:
    """Every value's ``consumed`` literal, updated at every step (exact for any route set)."""

    def __init__(self, route: list[RREntry], target: int) -> None:
        self.route = route
        self.target = target
        self.consumed = [z3.BoolVal(False) for _ in route]
        self.strict = any(not z3.is_false(e.strict) for e in route)

    def step(self, s: int, cur: Term) -> NextHop:
        if s > 0:
            self.consumed = [z3.Or(c, e.owner == cur) for c, e in zip(self.consumed, self.route, strict=True)]
        left = [z3.And(e.present, z3.Not(c)) for c, e in zip(self.consumed, self.route, strict=True)]
        exists = z3.Or(left) if left else z3.BoolVal(False)
        owner: Term = z3.IntVal(self.target)
        scheme, tparam = const(OPT_SCHEME, "none"), const(TPARAM, "none")
        # strict routers (F-19): whether the first value left is a strict router's, and the second's scheme
        strict: Term | bool = z3.BoolVal(False) if self.strict else False
        second = const(OPT_SCHEME, "none")
        for entry, avail in zip(reversed(self.route), reversed(left), strict=True):
            owner = z3.If(avail, entry.owner, owner)
            second = ite(avail, scheme, second) if self.strict else second
            scheme = ite(avail, convert(entry.scheme, OPT_SCHEME), scheme)
            tparam = ite(avail, entry.tparam, tparam)
            strict = z3.If(avail, entry.strict, strict) if self.strict else False
        params = [value_params(RREntry(e.owner, avail, e.scheme, e.is_out, e.tparam))
                  for e, avail in zip(self.route, left, strict=True)]
        return NextHop(exists, owner, scheme, tparam, z3.Or([t for t, _ in params]),
                       z3.Or([u for _, u in params]), strict, second)

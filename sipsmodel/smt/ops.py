"""The step operations on Z3 terms: what the encoding runs (``Ops[Term, Term, Sym]``, see ``sipsmodel.steps``).

Each operation builds the term the hand-written encoding built before the steps were shared
(``z3.If``, ``z3.And``, ``sym.term == constant``, ``status >= 300``). A condition or part that is a
Python ``bool`` folds away (no term), and so does an ``If`` whose two branches are one term. An
element of the engine (a position) may be a Python ``int`` or an Int term; ``ite`` over two
vocabulary values gives a ``Sym`` of their domain.
"""

from __future__ import annotations

from typing import Any, TypeVar, cast

import z3

from sipsmodel.model.vocab import Domain
from sipsmodel.smt.compile import Sym, const, ite, value_term

Term = Any
T = TypeVar("T")


class Z3Ops:
    """If-then-else, connectives, comparisons and constants as Z3 terms (vocabulary values as ``Sym``)."""

    def truth(self, value: bool) -> Term:
        return z3.BoolVal(value)

    def number(self, value: int) -> Term:
        return z3.IntVal(value)

    def const(self, domain: Domain, value: str) -> Sym:
        return const(domain, value)

    def not_(self, a: Term) -> Term:
        return (not a) if isinstance(a, bool) else z3.Not(a)

    def and_(self, *parts: Term) -> Term:
        if any(p is False for p in parts):
            return z3.BoolVal(False)
        kept = [p for p in parts if p is not True]
        return _joined(z3.And, kept, len(kept) < len(parts), True)

    def or_(self, *parts: Term) -> Term:
        if any(p is True for p in parts):
            return z3.BoolVal(True)
        kept = [p for p in parts if p is not False]
        return _joined(z3.Or, kept, len(kept) < len(parts), False)

    def ite(self, cond: Term, then: T, other: T) -> T:
        if isinstance(cond, bool):
            return then if cond else other
        if isinstance(then, Sym) and isinstance(other, Sym):
            if then.domain == other.domain and then.term.eq(other.term):
                return then  # both branches are one term: no If
            return cast(T, ite(cond, then, other))
        return cast(T, z3.If(cond, then, other))

    def is_(self, value: Sym, member: str) -> Term:
        return value.term == value_term(value.domain, member)

    def eq(self, a: Term, k: int) -> Term:
        return a == k

    def ge(self, a: Term, k: int) -> Term:
        return a >= k

    def lt(self, a: Term, k: int) -> Term:
        return a < k

    def feature(self, domain: Domain, value: object) -> Sym:
        if isinstance(value, Sym):
            return value
        if isinstance(value, bool | int | str):
            return const(domain, value)
        return Sym(value, domain)


def _joined(connective: Any, kept: list[Term], folded: bool, empty: bool) -> Term:
    """``connective(kept)``; a part a Python ``bool`` folded away leaves the one remaining term alone."""
    if not kept:
        return z3.BoolVal(empty)
    if folded and len(kept) == 1:
        return kept[0]
    return connective(kept)


#: The one Z3 implementation (stateless).
Z3 = Z3Ops()

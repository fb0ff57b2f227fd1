"""Boolean connectives and equality over z3 terms through z3's C API: the very terms ``z3.And``,
``z3.Or``, ``z3.Not``, ``z3.Implies`` and ``==`` build, without the Python API's coercion of every
argument (the compiler and the two-run product build hundreds of thousands of them).

Each function takes the fast path only when every argument is already a z3 Boolean (or, for ``eq``,
both are z3 terms of one context); anything else goes through the Python API, so the result is always
the term the Python API would have built, argument order included.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import z3

Term = Any


def _booleans(terms: Sequence[Term]) -> bool:
    if not terms:
        return False
    ctx = terms[0].ctx if isinstance(terms[0], z3.BoolRef) else None
    return ctx is not None and all(isinstance(t, z3.BoolRef) and t.ctx is ctx for t in terms)


def and_(terms: Sequence[Term]) -> Term:
    """``z3.And(terms)``."""
    if not _booleans(terms):
        return z3.And(list(terms))
    ctx = terms[0].ctx
    args = (z3.Ast * len(terms))(*(t.as_ast() for t in terms))
    return z3.BoolRef(z3.Z3_mk_and(ctx.ref(), len(terms), args), ctx)


def or_(terms: Sequence[Term]) -> Term:
    """``z3.Or(terms)``."""
    if not _booleans(terms):
        return z3.Or(list(terms))
    ctx = terms[0].ctx
    args = (z3.Ast * len(terms))(*(t.as_ast() for t in terms))
    return z3.BoolRef(z3.Z3_mk_or(ctx.ref(), len(terms), args), ctx)


def not_(term: Term) -> Term:
    """``z3.Not(term)``."""
    if not isinstance(term, z3.BoolRef):
        return z3.Not(term)
    return z3.BoolRef(z3.Z3_mk_not(term.ctx.ref(), term.as_ast()), term.ctx)


def implies(left: Term, right: Term) -> Term:
    """``z3.Implies(left, right)``."""
    if not _booleans([left, right]):
        return z3.Implies(left, right)
    return z3.BoolRef(z3.Z3_mk_implies(left.ctx.ref(), left.as_ast(), right.as_ast()), left.ctx)


def eq(a: Term, b: Term) -> Term:
    """``a == b`` for two z3 terms of one context, operands in the order Python gives them
    (the right one first when its class is a subclass of the left's)."""
    if not (isinstance(a, z3.ExprRef) and isinstance(b, z3.ExprRef) and a.ctx is b.ctx):
        return a == b
    if type(b) is not type(a) and isinstance(b, type(a)):
        a, b = b, a
    try:
        return z3.BoolRef(z3.Z3_mk_eq(a.ctx.ref(), a.as_ast(), b.as_ast()), a.ctx)
    except z3.Z3Exception:  # two sorts: the Python API coerces (or says why it cannot)
        return a == b

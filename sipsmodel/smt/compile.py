"""Compile the shared expression tree (``sipsmodel.model.expr``) to Z3 terms.

Theory of operation: every value the model speaks of lives in a vocab ``Domain``. An enum domain is
one Z3 ``EnumSort`` (constructors named ``<domain>.<value>`` so that ``sip`` of ``scheme`` and ``sip``
of ``opt_scheme`` never clash), a boolean domain is ``Bool`` and an integer domain is ``Int`` (bounded
by :func:`domain_constraint` when its values are listed). A :class:`Sym` is a Z3 term together with its
domain; bare names that are not variables are enum literals, read in the domain of the other operand,
exactly as :func:`sipsmodel.model.expr.evaluate` reads them. Quantifiers range over finite lists of
:class:`SymRecord`, each with an ``active`` literal: ``forall`` becomes ``And(Implies(active, body))``
and ``exists`` becomes ``Or(And(active, body))``. DESIGN.md "One expression language".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import z3

from sipsmodel.model.expr import (
    BUILTINS,
    And,
    Call,
    Compare,
    Const,
    Expr,
    Iff,
    Implies,
    Member,
    Not,
    Or,
    Quant,
    Ref,
    Value,
)
from sipsmodel.model.vocab import BOOL, INT, Domain
from sipsmodel.smt.terms import and_, eq, implies, not_, or_

Term = Any  # a z3.ExprRef (z3 ships no type stubs)


@dataclass(frozen=True)
class Sym:
    """A Z3 term and the vocab domain its values belong to."""

    term: Term
    domain: Domain


@dataclass(frozen=True)
class SymRecord:
    """A symbolic record of a ``RECORD_SCHEMAS`` collection: present when ``active`` holds."""

    active: Term
    values: Mapping[str, Sym]


@dataclass(frozen=True)
class SymScope:
    """What names mean during compilation: flat variables, bound records, collections."""

    variables: Mapping[str, Sym] = field(default_factory=dict)
    records: Mapping[str, SymRecord] = field(default_factory=dict)
    collections: Mapping[str, Sequence[SymRecord]] = field(default_factory=dict)

    def bind(self, name: str, record: SymRecord) -> SymScope:
        return SymScope(self.variables, {**self.records, name: record}, self.collections)


# ---------------------------------------------------------------------------------------------
# Domains as sorts


def simplified(term: Term) -> Term:
    """``z3.simplify`` with the arguments of a disjunction kept in their order.

    By default z3 sorts a disjunction's arguments by term id, and ids follow the order in which the
    process created its terms, so a cached template built after other work came out in another order and
    the queries built on it (hence their models) depended on the process's history (issue 11).
    """
    return z3.simplify(term, sort_disjunctions=False)


@cache
def _enum(domain: Domain) -> tuple[Term, tuple[Term, ...]]:
    sort, constants = z3.EnumSort(domain.name, [f"{domain.name}.{v}" for v in domain.values])
    return sort, tuple(constants)


def sort_of(domain: Domain) -> Term:
    """The Z3 sort of a vocab domain (EnumSort, Bool or Int)."""
    if domain.kind == "bool":
        return z3.BoolSort()
    if domain.kind == "int":
        return z3.IntSort()
    return _enum(domain)[0]


def value_term(domain: Domain, value: Value) -> Term:
    """The Z3 constant for a concrete value of ``domain``."""
    if domain.kind == "bool":
        return z3.BoolVal(bool(value))
    if domain.kind == "int":
        return z3.IntVal(int(value))
    return _enum(domain)[1][domain.values.index(value)]


def const(domain: Domain, value: Value) -> Sym:
    """A constant Sym."""
    return Sym(value_term(domain, value), domain)


def fresh(name: str, domain: Domain) -> Sym:
    """A fresh symbolic variable of ``domain`` (bounded ints need :func:`domain_constraint`)."""
    return Sym(z3.Const(name, sort_of(domain)), domain)


def domain_constraint(sym: Sym) -> Term:
    """The values an integer-valued Sym may take (True for enums, bools and open ints)."""
    if sym.domain.kind != "int" or sym.domain is INT or sym.domain.name == "int":
        return z3.BoolVal(True)
    return z3.Or([sym.term == v for v in sym.domain.values])


def is_value(domain: Domain, sym: Sym, value: Value) -> Term:
    """``sym == value`` where ``value`` is a literal (False when it is outside ``sym``'s domain).

    ``INT`` lists one value only (its terms are Z3 integers), so any integer literal is compared."""
    if domain.kind == "int" and type(value) is int:
        return eq(sym.term, z3.IntVal(value))
    if value not in domain:
        return z3.BoolVal(False)
    return eq(sym.term, value_term(domain, value))


def decode(model: Term, sym: Sym) -> Value:
    """The concrete value a Z3 model gives a Sym (model completion on)."""
    got = model.eval(sym.term, model_completion=True)
    if sym.domain.kind == "bool":
        return bool(z3.is_true(got))
    if sym.domain.kind == "int":
        return int(got.as_long())
    for value, constant in zip(sym.domain.values, _enum(sym.domain)[1], strict=True):
        if got.eq(constant):
            return value
    raise ValueError(f"{got} is not a value of {sym.domain.name}")


def ite(cond: Term, then: Sym, other: Sym) -> Sym:
    """``If(cond, then, other)`` on two Syms of one domain."""
    if then.domain != other.domain:
        raise TypeError(f"ite over {then.domain.name} and {other.domain.name}")
    return Sym(z3.If(cond, then.term, other.term), then.domain)


def equal(a: Sym, b: Sym) -> Term:
    """``a == b`` by value, across domains (enum members compare by name)."""
    if a.domain == b.domain or a.domain.kind != "enum" or b.domain.kind != "enum":
        return a.term == b.term
    common = [v for v in a.domain.values if v in b.domain]
    return z3.Or([z3.And(is_value(a.domain, a, v), is_value(b.domain, b, v)) for v in common])


def convert(sym: Sym, domain: Domain) -> Sym:
    """The same value read in another enum domain (the value must belong to both)."""
    if sym.domain == domain:
        return sym
    common = [v for v in sym.domain.values if v in domain]
    result = value_term(domain, common[-1])
    for v in common[:-1]:
        result = z3.If(is_value(sym.domain, sym, v), value_term(domain, v), result)
    return Sym(result, domain)


# ---------------------------------------------------------------------------------------------
# Expressions


class CompileError(TypeError):
    """An expression that does not fit the scope it is compiled in (typecheck lets none through)."""


def _literal(expr: Expr, scope: SymScope) -> Value | None:
    if isinstance(expr, Const):
        return expr.value
    if isinstance(expr, Ref) and len(expr.path) == 1 and expr.path[0] not in scope.variables:
        return expr.path[0]
    return None


def _term(expr: Expr, scope: SymScope) -> Sym:
    match expr:
        case Ref(path) if len(path) == 1:
            return scope.variables[path[0]]
        case Ref(path):
            record = scope.records.get(path[0])
            if record is None or len(path) != 2 or path[1] not in record.values:
                raise CompileError(f"unknown attribute {'.'.join(path)!r}")
            return record.values[path[1]]
    return Sym(compile_formula(expr, scope), BOOL)


def _compare_literal(op: str, sym: Sym, value: Value) -> Term:
    if op == "==":
        return is_value(sym.domain, sym, value)
    if op == "!=":
        return not_(is_value(sym.domain, sym, value))
    return _order(op, sym.term, z3.IntVal(int(value)))


def _order(op: str, a: Term, b: Term) -> Term:
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def _compare(op: str, left: Expr, right: Expr, scope: SymScope) -> Term:
    lv, rv = _literal(left, scope), _literal(right, scope)
    if lv is not None and rv is not None:
        holds = lv == rv if op == "==" else lv != rv if op == "!=" else _order(op, int(lv), int(rv))
        return z3.BoolVal(bool(holds))
    if rv is not None:
        return _compare_literal(op, _term(left, scope), rv)
    if lv is not None:
        flipped = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}.get(op, op)
        return _compare_literal(flipped, _term(right, scope), lv)
    ls, rs = _term(left, scope), _term(right, scope)
    if op in ("==", "!="):
        same = equal(ls, rs)
        return same if op == "==" else not_(same)
    return _order(op, ls.term, rs.term)


def compile_formula(expr: Expr, scope: SymScope) -> Term:
    """Compile a formula to a Z3 Bool term (the counterpart of ``expr.truth``)."""
    match expr:
        case Const(value) if isinstance(value, bool):
            return z3.BoolVal(value)
        case Ref():
            sym = _term(expr, scope)
            if sym.domain.kind != "bool":
                raise CompileError(f"{expr.dotted!r} is not a truth value")
            return sym.term
        case Compare(op, left, right):
            return _compare(op, left, right, scope)
        case Member(item, options, negated):
            found = or_([_compare("==", item, o, scope) for o in options])
            return not_(found) if negated else found
        case Not(body):
            return not_(compile_formula(body, scope))
        case And(parts):
            return and_([compile_formula(p, scope) for p in parts])
        case Or(parts):
            return or_([compile_formula(p, scope) for p in parts])
        case Implies(left, right):
            return implies(compile_formula(left, scope), compile_formula(right, scope))
        case Iff(left, right):
            return compile_formula(left, scope) == compile_formula(right, scope)
        case Call(name, args):
            return _call(name, args, scope)
        case Quant(kind, var, collection, where, body):
            return _quant(kind, var, scope.collections[collection], where, body, scope)
    raise CompileError(f"not a formula: {expr!r}")


def _call(name: str, args: tuple[Expr, ...], scope: SymScope) -> Term:
    members = BUILTINS[name]
    literal = _literal(args[0], scope)
    if literal is not None:
        return z3.BoolVal(literal in members)
    sym = _term(args[0], scope)
    return z3.Or([is_value(sym.domain, sym, v) for v in sym.domain.values if v in members])


def _quant(
    kind: str, var: str, items: Sequence[SymRecord], where: Expr | None, body: Expr, scope: SymScope
) -> Term:
    parts = []
    for item in items:
        inner = scope.bind(var, item)
        guard = item.active if where is None else and_([item.active, compile_formula(where, inner)])
        value = compile_formula(body, inner)
        parts.append(implies(guard, value) if kind == "forall" else and_([guard, value]))
    return and_(parts) if kind == "forall" else or_(parts)


def flat_symbols(values: Mapping[str, Value], domains: Mapping[str, Domain]) -> dict[str, Sym]:
    """Concrete values as constant Syms (for fixed-assignment compilation)."""
    return {name: const(domains[name], value) for name, value in values.items()}


def concrete_records(records: Sequence[Mapping[str, Value]], schema: Mapping[str, tuple[Domain, str]]) -> list[
    SymRecord
]:
    """Concrete observation records as always-active SymRecords."""
    return [
        SymRecord(z3.BoolVal(True), {a: const(schema[a][0], v) for a, v in r.items()}) for r in records
    ]

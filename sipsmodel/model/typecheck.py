"""Static checks of expressions: every name is known and every literal belongs to its domain.

A typo in a rule or property (``h.secur``, ``ruri == sipps``) must be an error naming the file and
expression, never a formula that is silently false. The same check resolves which bare names are
enum literals, so that both engines read an expression the same way.
"""

from __future__ import annotations

from collections.abc import Mapping

from sipsmodel.errors import ScenarioError
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
from sipsmodel.model.vocab import BOOL, INT, TRANSPORT, Domain

Schemas = Mapping[str, Mapping[str, tuple[Domain, str]]]


class _Checker:
    def __init__(self, variables: Mapping[str, Domain], schemas: Schemas, where: str) -> None:
        self.variables = dict(variables)
        self.schemas = schemas
        self.bound: dict[str, str] = {}
        self.where = where

    def fail(self, message: str) -> ScenarioError:
        return ScenarioError(f"{self.where}: {message}")

    def domain_of(self, expr: Expr) -> Domain | None:
        """The domain of a term, or None for a bare enum literal / constant."""
        match expr:
            case Ref(path) if len(path) == 1:
                return self.variables.get(path[0])
            case Ref(path):
                return self._attribute(path)
            case Call():
                return BOOL
            case Const(value):
                return BOOL if isinstance(value, bool) else None
        return BOOL

    def _attribute(self, path: tuple[str, ...]) -> Domain:
        head = path[0]
        if head not in self.bound:
            raise self.fail(f"unknown variable {head!r} in {'.'.join(path)!r}")
        schema = self.schemas[self.bound[head]]
        if len(path) != 2 or path[1] not in schema:
            known = ", ".join(sorted(schema))
            raise self.fail(f"unknown attribute {'.'.join(path)!r}; {self.bound[head]} have: {known}")
        return schema[path[1]][0]

    def literal(self, expr: Expr, domain: Domain) -> None:
        """Check that a literal operand belongs to ``domain``."""
        value: Value | None = None
        if isinstance(expr, Const):
            value = expr.value
        elif isinstance(expr, Ref) and len(expr.path) == 1 and expr.path[0] not in self.variables:
            value = expr.path[0]
        if value is None or domain is INT or domain.name == "int":
            return
        if value not in domain.values:
            raise self.fail(f"{value!r} is not a value of {domain.name} (expected one of {list(domain.values)})")

    def operands(self, left: Expr, right: Expr) -> None:
        ld, rd = self.domain_of(left), self.domain_of(right)
        for term in (left, right):
            self.term(term)
        if ld is None and rd is None:
            raise self.fail(f"comparison of two literals: {left!r} and {right!r}")
        if ld is not None and rd is None:
            self.literal(right, ld)
        elif rd is not None and ld is None:
            self.literal(left, rd)
        elif ld is not None and rd is not None and ld.kind != rd.kind:
            raise self.fail(f"cannot compare {ld.name} with {rd.name}")

    def term(self, expr: Expr) -> None:
        if isinstance(expr, Ref) and len(expr.path) > 1:
            self._attribute(expr.path)
        elif isinstance(expr, (Call, Not, And, Or, Implies, Iff, Quant, Compare, Member)):
            self.formula(expr)

    def formula(self, expr: Expr) -> None:
        match expr:
            case Const(value) if isinstance(value, bool):
                return
            case Ref(path):
                if self.domain_of(expr) is not BOOL:
                    raise self.fail(f"{'.'.join(path)!r} is not a truth value")
            case Compare(_, left, right):
                self.operands(left, right)
            case Member(item, options, _):
                for option in options:
                    self.operands(item, option)
            case Not(body):
                self.formula(body)
            case And(parts) | Or(parts):
                for part in parts:
                    self.formula(part)
            case Implies(left, right) | Iff(left, right):
                self.formula(left)
                self.formula(right)
            case Call(name, args):
                self._call(name, args)
            case Quant(_, var, collection, where, body):
                self._quant(var, collection, where, body)
            case _:
                raise self.fail(f"not a formula: {expr!r}")

    def _call(self, name: str, args: tuple[Expr, ...]) -> None:
        if name not in BUILTINS:
            raise self.fail(f"unknown predicate {name}(); known: {', '.join(sorted(BUILTINS))}")
        if len(args) != 1:
            raise self.fail(f"{name}() takes one argument")
        domain = self.domain_of(args[0])
        if domain is None:
            self.literal(args[0], TRANSPORT)
        elif domain.name not in ("transport", "flow"):
            raise self.fail(f"{name}() takes a transport, not {domain.name}")

    def _quant(self, var: str, collection: str, where: Expr | None, body: Expr) -> None:
        if collection not in self.schemas:
            raise self.fail(f"unknown collection {collection!r}; known: {', '.join(sorted(self.schemas))}")
        if var in self.bound or var in self.variables:
            raise self.fail(f"variable {var!r} is bound twice")
        self.bound[var] = collection
        try:
            if where is not None:
                self.formula(where)
            self.formula(body)
        finally:
            del self.bound[var]


def check_formula(expr: Expr, variables: Mapping[str, Domain], schemas: Schemas, where: str) -> None:
    """Raise ScenarioError unless ``expr`` is a well-typed formula over ``variables`` and ``schemas``."""
    _Checker(variables, schemas, where).formula(expr)

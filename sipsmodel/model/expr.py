"""The expression tree shared by rule constraints and property formulas.

Theory of operation: text in the language of ``grammar/property.lark`` is parsed once into frozen
nodes. ``evaluate`` runs a tree on concrete values (the simulator, the trace checker, the property
evaluator); ``sipsmodel.smt`` compiles the very same nodes to Z3 terms. Nothing about a rule or a
property is written twice. Bare names are resolved against the variables in scope: a name that is not
a variable is an enum literal (``sips``, ``TLS``, ``request``), checked against the other operand's
domain by :func:`check`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

Value = bool | int | str


class _Node:
    """Base of the frozen nodes: :func:`evaluate` keeps a node's compiled closure on the node itself.

    The closure is an attribute outside the dataclass fields (so equality, hashing and ``repr`` ignore
    it) and it is left out when a node is pickled or copied (worker processes compile their own).
    """

    _evaluator: Callable[[Scope], Value]  # set by evaluate(); a plain annotation, not a dataclass field

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state.pop(_EVALUATOR, None)
        return state


@dataclass(frozen=True)
class Const(_Node):
    """A literal: boolean, integer, or enum member / string."""

    value: Value


@dataclass(frozen=True)
class Ref(_Node):
    """A name (``ruri``) or an attribute path (``h.secure``)."""

    path: tuple[str, ...]

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


@dataclass(frozen=True)
class Compare(_Node):
    """``left op right`` for op in == != < <= > >=."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Member(_Node):
    """``item in {v1, v2, ...}`` (``negated`` for ``not in``)."""

    item: Expr
    options: tuple[Expr, ...]
    negated: bool = False


@dataclass(frozen=True)
class Not(_Node):
    body: Expr


@dataclass(frozen=True)
class And(_Node):
    parts: tuple[Expr, ...]


@dataclass(frozen=True)
class Or(_Node):
    parts: tuple[Expr, ...]


@dataclass(frozen=True)
class Implies(_Node):
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Iff(_Node):
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Call(_Node):
    """A built-in predicate, e.g. ``secure(transport)`` (see :data:`BUILTINS`)."""

    name: str
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class Quant(_Node):
    """``forall|exists var in collection [where filter]: body`` (properties only)."""

    kind: str
    var: str
    collection: str
    where: Expr | None
    body: Expr


Expr = Const | Ref | Compare | Member | Not | And | Or | Implies | Iff | Call | Quant

# Transports whose hop is protected by TLS (RFC 3261 section 26.2.1, RFC 4168, RFC 7118 for WSS).
SECURE_TRANSPORTS = frozenset({"TLS", "TLS-SCTP", "WSS"})
RELIABLE_TRANSPORTS = frozenset({"TCP", "TLS", "SCTP", "TLS-SCTP", "WS", "WSS"})

#: Built-in predicates: name -> (arity, set of argument values for which it holds).
BUILTINS: dict[str, frozenset[str]] = {
    "secure": SECURE_TRANSPORTS,
    "reliable": RELIABLE_TRANSPORTS,
}


# ---------------------------------------------------------------------------------------------
# Parsing


def _ref(c: list[Any]) -> Expr:
    names = tuple(str(t) for t in c)
    if len(names) == 1 and names[0] in ("true", "false"):
        return Const(names[0] == "true")
    return Ref(names)


#: One constructor per rule of grammar/property.lark (the parser lives in ``sipsmodel.syntax.formula``).
_BUILD: dict[str, Callable[[list[Any]], Expr]] = {
    "quantified": lambda c: Quant(str(c[0]), str(c[1]), str(c[2]), c[3], c[4]),
    "implies": lambda c: Implies(c[0], c[1]),
    "iff": lambda c: Iff(c[0], c[1]),
    "any_of": lambda c: c[0] if len(c) == 1 else Or(tuple(c)),
    "all_of": lambda c: c[0] if len(c) == 1 else And(tuple(c)),
    "negate": lambda c: Not(c[0]),
    "comparison": lambda c: Compare(str(c[1]), c[0], c[2]),
    "member": lambda c: Member(c[0], tuple(c[1:])),
    "not_member": lambda c: Member(c[0], tuple(c[1:]), negated=True),
    "number": lambda c: Const(int(c[0])),
    "string": lambda c: Const(str(c[0])[1:-1]),
    "call": lambda c: Call(str(c[0]), tuple(a for a in c[1:] if a is not None)),
    "ref": _ref,
}


def _build(rule: str, children: list[Any]) -> Expr:
    return _BUILD[rule](children)


def parse_expr(text: str, source: str = "<expression>") -> Expr:
    """Parse a rule constraint or a property formula (``grammar/property.lark``)."""
    from sipsmodel.syntax.formula import parse_formula

    result: Expr = parse_formula(text, _build, source)
    return result


# ---------------------------------------------------------------------------------------------
# Concrete evaluation

Record = Mapping[str, Value]


@dataclass(frozen=True)
class Scope:
    """What names mean during evaluation: flat variables, bound records, and collections."""

    variables: Mapping[str, Value]
    records: Mapping[str, Record]
    collections: Mapping[str, Sequence[Record]]

    def bind(self, name: str, record: Record) -> Scope:
        return Scope(self.variables, {**self.records, name: record}, self.collections)


def flat_scope(variables: Mapping[str, Value]) -> Scope:
    """A scope with only flat variables (rule constraints)."""
    return Scope(variables, {}, {})


def _lookup(ref: Ref, scope: Scope) -> Value:
    head = ref.path[0]
    if len(ref.path) == 1:
        if head in scope.variables:
            return scope.variables[head]
        return head  # an enum literal
    record = scope.records.get(head)
    if record is None:
        raise KeyError(f"unknown variable {head!r} in {ref.dotted!r}")
    attr = ref.path[1]
    if len(ref.path) != 2 or attr not in record:
        raise KeyError(f"unknown attribute {ref.dotted!r}")
    return record[attr]


_ORDER: dict[str, Callable[[int, int], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}

#: A node compiled to a Python closure over a scope (see :func:`evaluate`).
Evaluator = Callable[[Scope], Value]

#: The attribute of a node holding its compiled closure (see :class:`_Node`).
_EVALUATOR = "_evaluator"


def evaluate(expr: Expr, scope: Scope) -> Value:
    """Evaluate ``expr`` on concrete values.

    Each node is compiled once into a closure kept on the node (the trace checker evaluates the same
    formulas on millions of records); the closures do exactly what a walk of the tree would, errors
    included. A tree built on the fly takes its closure with it when it is dropped.
    """
    run: Evaluator | None = getattr(expr, _EVALUATOR, None)
    if run is None:
        run = _compile(expr)
        object.__setattr__(expr, _EVALUATOR, run)  # frozen: not a field, so set past the dataclass guard
    return run(scope)


def truth(expr: Expr, scope: Scope) -> bool:
    """Evaluate a formula that must be boolean."""
    value = evaluate(expr, scope)
    if not isinstance(value, bool):
        raise TypeError(f"expected a truth value, got {value!r}")
    return value


def _truth_of(expr: Expr) -> Callable[[Scope], bool]:
    """The compiled formula, checked to be boolean (as :func:`truth`)."""
    run = _compile(expr)

    def checked(scope: Scope) -> bool:
        value = run(scope)
        if not isinstance(value, bool):
            raise TypeError(f"expected a truth value, got {value!r}")
        return value

    return checked


def _compile(expr: Expr) -> Evaluator:
    match expr:
        case Const(value):
            return lambda scope: value
        case Ref():
            return _compile_ref(expr)
        case Compare(op, left, right):
            return _compile_compare(op, _compile(left), _compile(right))
        case Member(item, options, negated):
            return _compile_member(_compile(item), tuple(_compile(o) for o in options), negated)
        case Not(body):
            inner = _truth_of(body)
            return lambda scope: not inner(scope)
        case And(parts):
            checks = tuple(_truth_of(p) for p in parts)
            return lambda scope: all(c(scope) for c in checks)
        case Or(parts):
            checks = tuple(_truth_of(p) for p in parts)
            return lambda scope: any(c(scope) for c in checks)
        case Implies(left, right):
            first, then = _truth_of(left), _truth_of(right)
            return lambda scope: (not first(scope)) or then(scope)
        case Iff(left, right):
            first, second = _truth_of(left), _truth_of(right)
            return lambda scope: first(scope) == second(scope)
        case Call(name, args):
            arg = _compile(args[0])
            return lambda scope: arg(scope) in BUILTINS[name]
        case Quant(kind, var, collection, where, body):
            return _compile_quant(kind, var, collection, where, body)
    raise TypeError(f"not an expression: {expr!r}")


def _compile_ref(ref: Ref) -> Evaluator:
    head = ref.path[0]
    if len(ref.path) == 1:
        return lambda scope: scope.variables.get(head, head)  # a name that is not a variable is an enum literal

    if len(ref.path) != 2:
        return lambda scope: _lookup(ref, scope)  # raises what a walk of the tree raises
    attr = ref.path[1]

    def attribute(scope: Scope) -> Value:
        try:
            return scope.records[head][attr]
        except KeyError:
            return _lookup(ref, scope)  # raises the error that names the variable or the attribute

    return attribute


def _compile_compare(op: str, left: Evaluator, right: Evaluator) -> Evaluator:
    if op == "==":
        return lambda scope: left(scope) == right(scope)
    if op == "!=":
        return lambda scope: left(scope) != right(scope)
    order = _ORDER[op]
    return lambda scope: order(int(left(scope)), int(right(scope)))


def _compile_member(get: Evaluator, choices: tuple[Evaluator, ...], negated: bool) -> Evaluator:
    def member(scope: Scope) -> bool:
        value = get(scope)
        return any(value == o(scope) for o in choices) != negated

    return member


def _compile_quant(kind: str, var: str, collection: str, where: Expr | None, body: Expr) -> Evaluator:
    keep = None if where is None else _truth_of(where)
    holds = _truth_of(body)
    every = kind == "forall"

    def quantified(scope: Scope) -> bool:
        selected = (scope.bind(var, item) for item in scope.collections[collection])
        inner = (s for s in selected if keep is None or keep(s))
        return all(holds(s) for s in inner) if every else any(holds(s) for s in inner)

    return quantified


def names_in(expr: Expr) -> frozenset[str]:
    """Every single-segment name the expression mentions (variables and enum literals alike)."""
    match expr:
        case Ref(path):
            return frozenset({path[0]}) if len(path) == 1 else frozenset()
        case Const():
            return frozenset()
        case Compare(_, left, right) | Implies(left, right) | Iff(left, right):
            return names_in(left) | names_in(right)
        case Member(item, options, _):
            return names_in(item).union(*(names_in(o) for o in options))
        case Not(body):
            return names_in(body)
        case And(parts) | Or(parts):
            return frozenset().union(*(names_in(p) for p in parts))
        case Call(_, args):
            return frozenset().union(*(names_in(a) for a in args))
        case Quant(_, _, _, where, body):
            return names_in(body) | (names_in(where) if where is not None else frozenset())
    raise TypeError(f"not an expression: {expr!r}")

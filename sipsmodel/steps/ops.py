"""The operations a protocol step computes with, and their concrete implementation (plain Python).

Theory of operation: see ``sipsmodel.steps``. ``B``, ``N`` and ``E`` are the engine's booleans,
integers and vocabulary values; a step is generic in them and sees only these operations. A condition
may also be a Python ``bool`` (a fact known while the step is called, such as "this route set has a
strict first entry" in a bounded family that has none): every implementation then takes the branch
at once, so the symbolic one builds no ``If`` for it.
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

from sipsmodel.model.vocab import Domain

B = TypeVar("B")
N = TypeVar("N")
E = TypeVar("E")
T = TypeVar("T")


class Ops(Protocol[B, N, E]):
    """If-then-else, connectives, comparisons and constants over one engine's values."""

    def truth(self, value: bool) -> B:
        """The boolean constant ``value``."""
        ...

    def number(self, value: int) -> N:
        """The integer constant ``value``."""
        ...

    def const(self, domain: Domain, value: str) -> E:
        """The member ``value`` of the enum ``domain``."""
        ...

    def not_(self, a: B | bool) -> B:
        """Negation."""
        ...

    def and_(self, *parts: B | bool) -> B:
        """Conjunction (of no part: true)."""
        ...

    def or_(self, *parts: B | bool) -> B:
        """Disjunction (of no part: false)."""
        ...

    def ite(self, cond: B | bool, then: T, other: T) -> T:
        """``then`` when ``cond`` holds, else ``other`` (values of one kind: B, N, E or an engine's element)."""
        ...

    def is_(self, value: E, member: str) -> B:
        """``value`` is the vocabulary constant ``member`` (of ``value``'s own domain)."""
        ...

    def eq(self, a: N, k: int) -> B:
        """``a == k``."""
        ...

    def ge(self, a: N, k: int) -> B:
        """``a >= k``."""
        ...

    def lt(self, a: N, k: int) -> B:
        """``a < k``."""
        ...

    def feature(self, domain: Domain, value: object) -> Any:
        """``value`` as a feature of ``domain`` handed to a choice point's visit (a boolean or number included)."""
        ...


class ConcreteOps:
    """The operations on Python values: what the simulator runs (``Ops[bool, int, str]``)."""

    def truth(self, value: bool) -> bool:
        return value

    def number(self, value: int) -> int:
        return value

    def const(self, domain: Domain, value: str) -> str:
        if value not in domain:
            raise ValueError(f"{value!r} is not a value of {domain.name}")
        return value

    def not_(self, a: bool) -> bool:
        return not a

    def and_(self, *parts: bool) -> bool:
        return all(parts)

    def or_(self, *parts: bool) -> bool:
        return any(parts)

    def ite(self, cond: bool, then: T, other: T) -> T:
        return then if cond else other

    def is_(self, value: str, member: str) -> bool:
        return value == member

    def eq(self, a: int, k: int) -> bool:
        return a == k

    def ge(self, a: int, k: int) -> bool:
        return a >= k

    def lt(self, a: int, k: int) -> bool:
        return a < k

    def feature(self, domain: Domain, value: object) -> Any:
        return value


#: The one concrete implementation (stateless).
CONCRETE = ConcreteOps()


def in_class(ops: Ops[B, N, E], status: N, hundreds: int) -> B:
    """The status is of the class ``hundreds`` (``300``: a 3xx), RFC 3261 21."""
    return ops.and_(ops.ge(status, hundreds), ops.lt(status, hundreds + 100))

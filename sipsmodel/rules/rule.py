"""A normative rule as data: who it binds, where, how strongly, and its constraint expression."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from sipsmodel.model.expr import Expr, parse_expr

#: Keywords whose rules are optional when SHOULD is treated as optional (RFC 2119).
SHOULD_KEYWORDS = frozenset({"SHOULD", "SHOULD NOT", "RECOMMENDED", "NOT RECOMMENDED"})
KEYWORDS = SHOULD_KEYWORDS | {"MUST", "MUST NOT", "REQUIRED", "SHALL", "SHALL NOT", "MAY", "(definition)", "(deletion)"}


@dataclass(frozen=True)
class Rule:
    """One R-... rule of SIPS-RULES.md: its constraint at each choice point it binds."""

    id: str
    document: str
    section: str
    keyword: str
    binds: str
    reading: str
    at: Mapping[str, str] = field(default_factory=dict)
    supersedes: tuple[str, ...] = ()

    @property
    def is_should(self) -> bool:
        return self.keyword in SHOULD_KEYWORDS

    @cached_property
    def constraints(self) -> dict[str, Expr]:
        """The parsed constraint at each choice point (``at``)."""
        return {cp: parse_expr(text, source=f"rule {self.id} at {cp}") for cp, text in self.at.items()}


@dataclass(frozen=True)
class Unexpressed:
    """A rule of SIPS-RULES.md that the model does not express as a constraint, and why."""

    id: str
    reason: str

"""Loading grammar/property.lark (rule constraints and property formulas) and running it.

The grammars' loaders live in ``sipsmodel.syntax`` (DESIGN.md: only ``syntax`` imports Lark). This
module knows nothing of the expression tree: :func:`parse_formula` hands each grammar rule's name and
children to a ``build`` callback (``sipsmodel.model.expr`` builds its frozen nodes that way); terminals
arrive as ``str`` (Lark tokens), absent optional parts as ``None``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

from lark import Lark, Transformer
from lark.exceptions import UnexpectedInput

from sipsmodel.errors import ParseError
from sipsmodel.resources import resource_path
from sipsmodel.syntax.diagnostics import expected_terminals
from sipsmodel.syntax.terminals import PROPERTY_TERMINALS, anonymous_literals, describe_expected

T = TypeVar("T")

#: ``build(rule_name, children)``: one node of the caller's tree per grammar rule.
Build = Callable[[str, list[Any]], Any]


@cache
def property_parser() -> Lark:
    """The one Lark LALR parser of grammar/property.lark."""
    text = resource_path("grammar", "property.lark").read_text(encoding="utf-8")
    return Lark(text, parser="lalr", lexer="contextual", maybe_placeholders=True)


def parse_formula(text: str, build: Build, source: str = "<expression>") -> Any:
    """Parse ``text`` (grammar/property.lark) bottom-up through ``build``; a ParseError has line, column, caret."""
    parser = property_parser()
    try:
        tree = parser.parse(text)
    except UnexpectedInput as exc:
        terminals = expected_terminals(exc)
        literals = anonymous_literals(parser.terminals, PROPERTY_TERMINALS)
        raise ParseError(
            "syntax error in expression",
            line=getattr(exc, "line", 0) or 0,
            column=getattr(exc, "column", 0) or 0,
            context=exc.get_context(text),
            expected=describe_expected(terminals, PROPERTY_TERMINALS, literals),
            expected_terminals=terminals,
            source=source,
            hint="see docs/property-language.md for the syntax",
        ) from None
    return _Builder(build).transform(tree)


class _Builder(Transformer[Any, Any]):
    """Every rule goes to the caller's ``build`` (Lark's default hook), so no rule is named twice."""

    def __init__(self, build: Build) -> None:
        super().__init__()
        self._build = build

    def __default__(self, data: Any, children: list[Any], meta: Any) -> Any:
        return self._build(str(data), children)

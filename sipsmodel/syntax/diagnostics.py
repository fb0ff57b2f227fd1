"""Turning Lark errors and semantic check failures into ParseError with labels and hints.

Labels follow Lark's ``match_examples`` idea: each common mistake has a few malformed examples;
an error is labelled by the example that fails in the same parser state on the same kind of
character. Checks done after parsing (ranges, duplicates, ...) raise ``SemanticError`` with
their own label.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from sipsmodel.errors import ParseError
from sipsmodel.syntax.terminals import SIP_TERMINALS, anonymous_literals, describe_expected


class SemanticError(Exception):
    """A value that fits the grammar but breaks a rule the grammar cannot state."""

    def __init__(self, message: str, pos: int, label: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos
        self.label = label
        self.hint = hint


#: label -> (hint, examples per start symbol).
EXAMPLES: dict[str, tuple[str, dict[str, tuple[str, ...]]]] = {
    "missing-host": (
        "a SIP URI needs a host after the scheme or the '@', e.g. sip:alice@atlanta.com",
        {"start_uri": ("sip:", "sips:alice@", "sip:alice@;lr", "sip:;lr"), "start_addr": ("<sip:>",)},
    ),
    "escaped-host": (
        "the host part cannot be %-escaped (RFC 3261 section 19.1.2); write it plainly",
        {"start_uri": ("sip:alice@%61tlanta.com", "sip:%61lice.com")},
    ),
    "unescaped-space": (
        "escape a space inside a URI as %20 (RFC 3261 section 19.1.2)",
        {"start_uri": ("sip:alice smith@x.com", "sip:alice@x.com ;lr", "sip:a@b;p=a b", "sip:a@b ")},
    ),
    "bad-ipv6-reference": (
        "write an IPv6 address in brackets, e.g. sip:[2001:db8::1]:5060 (RFC 5954 grammar)",
        {"start_uri": ("sip:[2001:db8::1", "sip:alice@[::1", "sip:[x]")},
    ),
    "unbalanced-angle-bracket": (
        "every '<' needs its '>' around the URI of a name-addr, e.g. <sip:bob@biloxi.com>",
        {
            "start_addr": ("<sip:bob@b.com", "Bob <sip:bob@b.com;lr", "sip:bob@b.com>", "<sips:b@c;x?a=b"),
            "start_route": ("<sip:p.com;lr", "<sip:p.com;lr>, <sip:q.com"),
            "start_contact": ("<sip:p.com", "sip:p.com>"),
        },
    ),
    "needs-angle-brackets": (
        "an address whose URI has ',', ';' or '?' must be written in angle brackets (RFC 3261 section 20)",
        {
            "start_addr": ("sip:alice;day=tuesday@atlanta.com", "sip:a@b?x=y"),
            "start_contact": ("sip:alice;day=tuesday@atlanta.com", "sip:a@b?x=y"),
            "start_route": ("sip:p.example.com;lr",),
        },
    ),
}


def error_pos(exc: UnexpectedInput, text: str) -> int:
    """Offset of the error in ``text`` (the end for an unexpected end of input)."""
    at_end = isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END")
    pos = len(text) if at_end or exc.pos_in_stream is None else exc.pos_in_stream
    return min(pos, len(text))


def _kind_of(exc: UnexpectedInput, text: str) -> str:
    """What the offending input is: end of input, or the class of the unexpected character."""
    pos = error_pos(exc, text)
    if pos >= len(text):
        return "eof"
    char = text[pos]
    return "space" if char in " \t" else char if not char.isalnum() else "alnum"


def _signature(exc: UnexpectedInput, text: str) -> tuple[object, str]:
    return (getattr(exc.state, "position", exc.state), _kind_of(exc, text))


@cache
def _example_signatures(start: str, parse: Callable[[str, str], object]) -> dict[tuple[object, str], str]:
    table: dict[tuple[object, str], str] = {}
    for label, (_hint, per_start) in EXAMPLES.items():
        for example in per_start.get(start, ()):
            try:
                parse(start, example)
            except UnexpectedInput as exc:
                table.setdefault(_signature(exc, example), label)
            except SemanticError:
                continue
    return table


def expected_terminals(exc: UnexpectedInput) -> tuple[str, ...]:
    """The terminals (and ``$END``) that could really come next where ``exc`` happened, sorted.

    Lark's own list is that of the LALR state, whose lookaheads are merged over every context
    that shares the state (after a URI: '>' of a name-addr, the SIP version of a request line,
    the end of the input). The interactive parser Lark attaches to the error feeds each of them
    to a copy of the parser and keeps those it accepts, so a bare URI expects only its end.
    """
    if isinstance(exc, UnexpectedToken | UnexpectedEOF):
        names = set(exc.expected)
    elif isinstance(exc, UnexpectedCharacters):
        names = set(exc.allowed or ())
    else:
        return ()
    interactive = getattr(exc, "interactive_parser", None)
    if interactive is not None:
        try:
            accepted = set(interactive.accepts())
        except Exception:  # noqa: BLE001 - the narrowing is a nicety; keep Lark's list then
            accepted = set()
        if accepted:
            names = accepted
    return tuple(sorted(names))


@cache
def _sip_literals() -> dict[str, str]:
    from sipsmodel.syntax.parser import lark_parser  # the parser module imports this one

    return anonymous_literals(lark_parser().terminals, SIP_TERMINALS)


def expected_text(names: tuple[str, ...]) -> tuple[str, ...]:
    """What the terminals ``names`` of grammar/sip.lark mean, in words (sipsmodel/syntax/terminals.py)."""
    return describe_expected(names, SIP_TERMINALS, _sip_literals())


def _found(text: str, pos: int) -> str:
    return "end of input" if pos >= len(text) else repr(text[pos])


def caret_context(text: str, pos: int, span: int = 40) -> str:
    """The line of ``text`` around ``pos`` with a caret under it (like Lark's get_context)."""
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    line_end = len(text) if line_end < 0 else line_end
    start = max(line_start, pos - span)
    end = min(line_end, pos + span)
    before = text[start:pos].replace("\t", " ")
    shown = (before + text[pos:end]).replace("\r", "")
    return f"{shown}\n{' ' * len(before)}^\n"


def line_col(text: str, pos: int) -> tuple[int, int]:
    """1-based line and column of ``pos`` in ``text``."""
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


def from_lark(
    exc: UnexpectedInput, text: str, start: str, parse: Callable[[str, str], object], source: str
) -> ParseError:
    """A ParseError for a Lark error, labelled by the matching example when one fits."""
    pos = error_pos(exc, text)
    label = _example_signatures(start, parse).get(_signature(exc, text))
    hint = EXAMPLES[label][0] if label else None
    line, column = line_col(text, pos)
    terminals = expected_terminals(exc)
    return ParseError(
        message=f"unexpected {_found(text, pos)}",
        line=line,
        column=column,
        context=caret_context(text, pos),
        expected=expected_text(terminals),
        expected_terminals=terminals,
        label=label,
        hint=hint,
        source=source,
    )


def from_semantic(exc: SemanticError, text: str, source: str) -> ParseError:
    """A ParseError for a failed semantic check at ``exc.pos``."""
    pos = min(max(exc.pos, 0), len(text))
    line, column = line_col(text, pos)
    return ParseError(
        message=exc.message,
        line=line,
        column=column,
        context=caret_context(text, pos),
        label=exc.label,
        hint=exc.hint,
        source=source,
    )

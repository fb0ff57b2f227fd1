"""Loading grammar/sip.lark once per process (LALR, contextual lexer) and running it.

The compiled parse table is cached on disk (Lark's ``cache=`` option) in the user cache
directory (``$SIPSMODEL_CACHE_DIR``, else ``$XDG_CACHE_HOME/sipsmodel``, else
``~/.cache/sipsmodel``), so a new process starts fast. Lark checks the grammar hash itself.
"""

from __future__ import annotations

import os
import re
import zlib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from lark import Lark
from lark.exceptions import UnexpectedInput
from lark.lexer import LexerThread, Token
from lark.parsers.lalr_analysis import Shift

from sipsmodel.errors import ParseError
from sipsmodel.resources import resource_path
from sipsmodel.syntax.diagnostics import SemanticError, from_lark, from_semantic
from sipsmodel.syntax.limits import MAX_VALUE_CHARS
from sipsmodel.syntax.transform import ToValues

#: The start symbols of grammar/sip.lark.
STARTS = (
    "start_uri",
    "start_head",
    "start_addr",
    "start_contact",
    "start_route",
    "start_via",
    "start_warning",
    "start_cseq",
    "start_callid",
    "start_number",
    "start_tags",
    "start_media",
)

_START_SET = frozenset(STARTS)


def _cache_file(grammar: str) -> str | bool:
    base = os.environ.get("SIPSMODEL_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache"), "sipsmodel"
    )
    digest = f"{zlib.crc32(grammar.encode('utf-8')):08x}"  # Lark checks its own SHA-256 inside
    try:
        os.makedirs(base, exist_ok=True)
    except OSError:
        return False
    return os.path.join(base, f"sip-{digest}.lark-cache")


@cache
def lark_parser() -> Lark:
    """The one Lark LALR parser of grammar/sip.lark, with the value transformer inlined."""
    grammar = resource_path("grammar", "sip.lark").read_text(encoding="utf-8")
    return Lark(
        grammar,
        parser="lalr",
        lexer="contextual",
        start=list(STARTS),
        transformer=ToValues(),
        maybe_placeholders=True,
        cache=_cache_file(grammar),
    )


@cache
def _lalr() -> tuple[Any, Any]:
    """The contextual lexer and the LALR ``_Parser`` of lark_parser().

    ``Lark.parse`` goes through the parsing front end (start check, plugin look-up, lexer
    thread) and ``LALR_Parser.parse`` (an error-recovery wrapper, unused here) before reaching
    ``_Parser.parse``; calling that directly gives the very same result and exceptions.
    """
    frontend = lark_parser().parser
    return frontend.lexer, frontend.parser.parser


@cache
def terminal_re(name: str) -> re.Pattern[str]:
    """The compiled regular expression of terminal ``name``, exactly as Lark's lexer matches it."""
    parser = lark_parser()
    return re.compile(parser.get_terminal(name).pattern.to_regexp(), parser.options.g_regex_flags)


class _Bail(Exception):
    """The fast driver met something it leaves to Lark (an error, or a lexer callback)."""


_BAIL = _Bail()


@cache
def _driver_tables() -> tuple[Any, Any, Any, dict[int, tuple[Any, Any, Any]], Any]:
    """What ``drive`` reads of Lark: the parse table, the callbacks, and (filled on first use, as
    Lark builds its scanners lazily too) per parser state what ``lexer_entry`` gives."""
    table = _lalr()[1].parse_table
    return table.states, table.start_states, table.end_states, {}, _lalr()[1].callbacks


def lexer_entry(state: int) -> tuple[Any, Any, Any]:
    """The contextual lexer's compiled scanner patterns, lexer callbacks and ignored types in ``state``."""
    lexers = _driver_tables()[3]
    entry = lexers.get(state)
    if entry is None:
        basic = _lalr()[0].lexers[state]
        scanner = basic.scanner  # builds the scanner and basic.callback
        entry = lexers[state] = (tuple(scanner._mres), frozenset(basic.callback), frozenset(basic.ignore_types))
    return entry


new_token: Callable[..., Token] = Token._future_new


def drive(start: str, text: str) -> Any:
    """Lark's contextual lexer and LALR parser loop on Lark's own tables, without the layers.

    This follows ``ContextualLexer.lex``, ``BasicLexer.next_token`` and ``ParserState.feed_token``
    step by step: the lexer of the current parser state matches its scanner patterns, in order, at
    the current position; the token is shifted after the reductions the table asks for, each
    calling the same callback (the ToValues method behind Lark's child filters) on the same
    children. Tokens carry their type, text and ``start_pos`` (what ToValues reads). Whenever Lark
    would do anything else (raise an error, call a lexer callback, skip an ignored token) or a
    callback raises, it raises ``_Bail`` and ``run`` hands the text to Lark itself, which then
    gives the result or raises the error. tests/syntax/test_fast_driver.py checks the two agree.
    """
    states, start_states, end_states, lexers, callbacks = _driver_tables()
    state_stack = [start_states[start]]
    value_stack: list[Any] = []
    end_state = end_states[start]
    pos, end = 0, len(text)
    while pos < end:
        entry = lexers.get(state_stack[-1])
        mres, lexer_callbacks, ignored = entry if entry is not None else lexer_entry(state_stack[-1])
        for mre in mres:
            found = mre.match(text, pos)
            if found:
                break
        else:
            raise _BAIL
        value = found.group(0)
        type_ = found.lastgroup
        if not value or type_ in lexer_callbacks or type_ in ignored:
            raise _BAIL
        token = new_token(type_, value, pos)  # what Token(type_, value, pos) calls
        pos += len(value)
        while True:
            action = states[state_stack[-1]].get(type_)
            if action is None:
                raise _BAIL
            if action[0] is Shift:
                state_stack.append(action[1])
                value_stack.append(token if type_ not in callbacks else callbacks[type_](token))
                break
            rule = action[1]  # a reduction, as _reduce below (inlined: this is the hot loop)
            size = len(rule.expansion)
            if size:
                children = value_stack[-size:]
                del state_stack[-size:]
                del value_stack[-size:]
            else:
                children = []
            reduced = callbacks[rule](children) if callbacks else children
            state_stack.append(states[state_stack[-1]][rule.origin.name][1])
            value_stack.append(reduced)
    end_type = "$END"
    while True:
        action = states[state_stack[-1]].get(end_type)
        if action is None or action[0] is Shift:
            raise _BAIL
        _reduce(action[1], state_stack, value_stack, states, callbacks)
        if state_stack[-1] == end_state:
            return value_stack[-1]


def _reduce(rule: Any, state_stack: list[Any], value_stack: list[Any], states: Any, callbacks: Any) -> None:
    size = len(rule.expansion)
    if size:
        children = value_stack[-size:]
        del state_stack[-size:]
        del value_stack[-size:]
    else:
        children = []
    value = callbacks[rule](children) if callbacks else children
    _action, new_state = states[state_stack[-1]][rule.origin.name]
    state_stack.append(new_state)
    value_stack.append(value)


def _parse_raw(start: str, text: str) -> Any:
    return lark_parser().parse(text, start=start)


def run(start: str, text: str, source: str = "<input>") -> Any:
    """Parse ``text`` from start symbol ``start``; raise ParseError on any syntax problem."""
    if len(text) > MAX_VALUE_CHARS and start != "start_head":
        raise ParseError(
            f"input of {len(text)} characters exceeds the limit of {MAX_VALUE_CHARS}",
            label="too-long",
            source=source,
        )
    if start in _START_SET:
        try:
            return drive(start, text)
        except (_Bail, SemanticError):
            pass
    lexer, lalr = _lalr()
    try:
        if start not in _START_SET:  # Lark's own ConfigurationError
            return lark_parser().parse(text, start=start)
        return lalr.parse(LexerThread.from_text(lexer, text), start)
    except UnexpectedInput as exc:
        raise from_lark(exc, text, start, _parse_raw, source) from None
    except SemanticError as exc:
        raise from_semantic(exc, text, source) from None

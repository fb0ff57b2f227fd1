"""grammar/sip.lark: every rule and terminal is documented with its ABNF (or says why not)."""

from __future__ import annotations

import re

from sipsmodel.resources import resource_path
from sipsmodel.syntax.parser import STARTS, lark_parser

_DEFINITION = re.compile(r"^([?!]?[a-z_][a-z0-9_]*|[A-Z_][A-Z0-9_]*)(\.\d+)?\s*:", re.MULTILINE)


def _grammar() -> str:
    return resource_path("grammar", "sip.lark").read_text(encoding="utf-8")


def test_every_definition_follows_a_comment_block_that_cites_its_source() -> None:
    lines = _grammar().splitlines()
    undocumented = []
    for index, line in enumerate(lines):
        if not _DEFINITION.match(line) or line.startswith("start_"):
            continue
        back = index - 1
        while back >= 0 and lines[back].strip() and not lines[back].startswith("//"):
            back -= 1  # definitions grouped under one comment block
        block = []
        while back >= 0 and lines[back].startswith("//"):
            block.append(lines[back])
            back -= 1
        if not any(word in " ".join(block) for word in ("ABNF:", "DEPARTURE:", "LENIENT:", "RFC", "terminal")):
            undocumented.append(line.split(":")[0])
    assert undocumented == []


def test_departures_and_leniencies_are_marked() -> None:
    grammar = _grammar()
    assert grammar.count("DEPARTURE:") >= 2
    assert grammar.count("LENIENT:") >= 3


def test_parser_is_lalr_with_the_contextual_lexer_and_all_start_symbols() -> None:
    parser = lark_parser()
    assert parser.options.parser == "lalr"
    assert parser.options.lexer == "contextual"
    assert set(parser.options.start) == set(STARTS)

"""Parse errors say what was expected in words a SIP engineer reads, never in terminal names.

Every terminal of grammar/sip.lark and grammar/property.lark has a description in
sipsmodel/syntax/terminals.py (a new terminal without one fails here); the messages of common
mistakes read naturally; the raw terminal names stay on the error as ``expected_terminals``.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from sipsmodel.cli import cli
from sipsmodel.errors import ParseError
from sipsmodel.model.expr import parse_expr
from sipsmodel.resources import resource_path
from sipsmodel.syntax import parse_header, parse_uri
from sipsmodel.syntax.formula import property_parser
from sipsmodel.syntax.parser import lark_parser
from sipsmodel.syntax.terminals import (
    END,
    PROPERTY_TERMINALS,
    SIP_TERMINALS,
    anonymous_literals,
    describe_expected,
)

DOCS = Path(__file__).resolve().parents[2] / "docs"
_DEFINITION = re.compile(r"^([A-Z_][A-Z0-9_]*)(?:\.-?\d+)?[ \t]*:", re.MULTILINE)
_IMPORT = re.compile(r"^%import\s+[\w.]+\.([A-Z_][A-Z0-9_]*)\s*$", re.MULTILINE)


def _defined(grammar: str) -> set[str]:
    """The terminals grammar/<grammar> defines or imports, read from the file itself."""
    text = resource_path("grammar", grammar).read_text(encoding="utf-8")
    return set(_DEFINITION.findall(text)) | set(_IMPORT.findall(text))


def _raw_names_in(text: str) -> list[str]:
    names = set(SIP_TERMINALS) | _defined("sip.lark") | {"$END", "__ANON_0"}
    return [name for name in names if re.search(rf"(?<![\w$]){re.escape(name)}(?!\w)", text)]


# ---------------------------------------------------------------------------------------------
# Every terminal has a description


@pytest.mark.parametrize(("grammar", "table"), [("sip.lark", SIP_TERMINALS), ("property.lark", PROPERTY_TERMINALS)])
def test_every_named_terminal_of_the_grammar_file_has_a_description(grammar: str, table: dict[str, str]) -> None:
    defined = _defined(grammar)
    assert defined, grammar  # the file was read and has terminals
    assert sorted(defined - set(table)) == [], f"terminals of {grammar} without a description"
    assert sorted(set(table) - defined) == [], f"descriptions of terminals {grammar} no longer has"


@pytest.mark.parametrize(
    ("parser", "table"), [(lark_parser, SIP_TERMINALS), (property_parser, PROPERTY_TERMINALS)], ids=["sip", "property"]
)
def test_every_terminal_lark_knows_is_described_in_words(parser: object, table: dict[str, str]) -> None:
    terminals = parser().terminals  # type: ignore[operator]
    literals = anonymous_literals(terminals, table)
    assert terminals
    for term in terminals:
        (text,) = describe_expected((term.name,), table, literals)
        assert text.strip() and text != term.name, term.name
        assert term.name not in text, (term.name, text)
        if term.name not in table:  # an anonymous literal ("in", "->", "(") is shown in quotes
            assert term.pattern.type == "str", term.name
            assert text == f"'{term.pattern.value}'"


def test_the_property_grammar_has_anonymous_literals_shown_in_quotes() -> None:
    literals = anonymous_literals(property_parser().terminals, PROPERTY_TERMINALS)  # type: ignore[attr-defined]
    assert {"in", "where", "->", "<->", "("} <= set(literals.values())


def test_descriptions_are_deduplicated_and_in_table_order() -> None:
    got = describe_expected(["RAQUOT", END, "BARE_SIP_HEAD", "LAQUOT", "SIP_HEAD", "NOT_A_TERMINAL"], SIP_TERMINALS)
    assert got == (
        "a 'sip:' or 'sips:' URI",
        "'<' opening the name-addr",
        "'>' closing the name-addr",
        "NOT_A_TERMINAL",
        "end of input",
    )
    assert describe_expected(reversed(["RAQUOT", "LAQUOT"]), SIP_TERMINALS) == describe_expected(
        ["RAQUOT", "LAQUOT"], SIP_TERMINALS
    )


def test_one_expected_item_reads_as_a_sentence_several_as_a_list() -> None:
    one = ParseError("unexpected end of input", 1, 5, expected=("'>' closing the name-addr",))
    assert str(one).splitlines()[-1] == "expected '>' closing the name-addr"
    several = ParseError("unexpected ' '", 1, 5, expected=("',' and the next value", "end of input"))
    assert str(several).splitlines()[-1] == "expected one of: ',' and the next value; end of input"
    assert "expected" not in str(ParseError("bad", 1, 1))


# ---------------------------------------------------------------------------------------------
# The three examples of the brief, through the CLI


def _cli_parse(*args: str, stdin: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["parse", *args, "-"], input=stdin)
    return result.exit_code, result.stderr


def test_double_at_expects_a_host() -> None:
    code, err = _cli_parse("--uri", stdin="sips:alice@@example.com")
    assert code == 2
    lines = err.splitlines()
    assert lines[0].endswith("<stdin>:1:12: unexpected '@'")
    assert lines[1:3] == ["sips:alice@@example.com", "           ^"]
    assert "expected a host name, IPv4 address or [IPv6] reference" in lines
    assert _raw_names_in(err) == []


def test_unclosed_name_addr_in_a_message_expects_the_closing_bracket() -> None:
    message = (
        "INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/TLS host;branch=z9\r\nTo: <sip:bob@example.com\r\n\r\n"
    )
    code, err = _cli_parse(stdin=message)
    assert code == 2
    lines = err.splitlines()
    assert lines[0].endswith("<stdin>:3:21: in To (line 3): unexpected end of input [unbalanced-angle-bracket]")
    assert "expected '>' closing the name-addr" in lines
    assert any(line.startswith("hint: every '<' needs its '>'") for line in lines)
    assert _raw_names_in(err) == []


def test_space_in_a_bare_uri_expects_its_end_not_a_bracket_or_a_version() -> None:
    # The LALR state after a URI is shared with name-addr ('>') and the request line (SIP/2.0);
    # in a bare URI only its end can follow.
    code, err = _cli_parse("--uri", stdin="sips:bob@exa mple.com")
    assert code == 2
    lines = err.splitlines()
    assert lines[0].endswith("<stdin>:1:13: unexpected ' ' [unescaped-space]")
    assert "expected end of input" in lines
    assert "hint: escape a space inside a URI as %20 (RFC 3261 section 19.1.2)" in lines
    assert "closing the name-addr" not in err and "SIP/2.0" not in err
    assert _raw_names_in(err) == []


# ---------------------------------------------------------------------------------------------
# The error object keeps both forms


def test_the_raw_terminals_stay_on_the_error() -> None:
    with pytest.raises(ParseError) as info:
        parse_uri("sips:bob@exa mple.com")
    assert info.value.expected_terminals == (END,)
    assert info.value.expected == ("end of input",)
    with pytest.raises(ParseError) as info:
        parse_header("To", "<sips:bob@example.com")
    assert info.value.expected_terminals == ("RAQUOT",)
    assert info.value.expected == ("'>' closing the name-addr",)


def test_several_expectations_of_a_header_value() -> None:
    with pytest.raises(ParseError) as info:
        parse_header("Route", "<sips:p1.example.com;lr> <sips:p2.example.com;lr>")
    assert info.value.expected_terminals == (END, "COMMA", "HEADER_PARAMS")
    assert str(info.value).splitlines()[-1] == (
        "expected one of: ',' and the next value; header parameters ';name=value'; end of input"
    )


def test_property_language_errors_name_keywords_in_quotes() -> None:
    with pytest.raises(ParseError) as info:
        parse_expr("forall h hops: h.secure")
    assert info.value.expected_terminals == ("IN",)
    assert "expected 'in'" in str(info.value).splitlines()
    with pytest.raises(ParseError) as info:
        parse_expr("a == b c")
    text = str(info.value)
    assert "'->'" in text and "'<->'" in text and "'and'" in text and "end of input" in text
    assert "__ANON" not in text and "$END" not in text


# ---------------------------------------------------------------------------------------------
# The error examples of docs/parse.md are what the CLI prints

_CONSOLE = re.compile(r"^```console\n(.*?)^```", re.DOTALL | re.MULTILINE)


def _doc_error_examples() -> list[tuple[str, list[str]]]:
    text = (DOCS / "parse.md").read_text(encoding="utf-8")
    found: list[tuple[str, list[str]]] = []
    for block in _CONSOLE.findall(text):
        for chunk in re.split(r"\n(?=\$ )", block.strip("\n")):
            command, *output = chunk.split("\n")
            if output and output[0].startswith("error:") and "sipsmodel parse --uri -" in command:
                found.append((command, [line for line in output if line]))
    return found


def test_docs_parse_page_shows_a_readable_expected_line() -> None:
    assert any(line.startswith("expected ") for _command, output in _DOC_EXAMPLES for line in output)


_DOC_EXAMPLES = _doc_error_examples()


@pytest.mark.parametrize(("command", "output"), _DOC_EXAMPLES, ids=[command for command, _ in _DOC_EXAMPLES])
def test_docs_parse_error_examples_match_the_cli(command: str, output: list[str]) -> None:
    words = shlex.split(command.removeprefix("$ "))
    assert words[0] == "echo" and words[2:] == ["|", "sipsmodel", "parse", "--uri", "-"], command
    code, err = _cli_parse("--uri", stdin=words[1] + "\n")
    assert code == 2
    got = err.rstrip("\n").split("\n")
    assert len(got) == len(output), (got, output)
    for have, want in zip(got, output, strict=True):
        if want.endswith("..."):
            assert have.startswith(want.removesuffix("...").rstrip()), (have, want)
        else:
            assert have == want

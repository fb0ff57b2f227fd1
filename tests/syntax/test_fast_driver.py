"""The fast parse paths give exactly what Lark gives (differential tests, valid and mutated inputs).

``sipsmodel.syntax.parser.drive`` runs Lark's contextual lexer and LALR loop over Lark's own tables
without Lark's layers; ``sipsmodel.syntax.message.parse_head`` lexes header lines with the
HEADER_LINE terminal's own regular expression. Both must give the value Lark gives, equal and of
the same types, and must refuse (or hand over to Lark) exactly the texts Lark refuses.
"""

from __future__ import annotations

from typing import Any

import pytest
from draws import draws
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lark.exceptions import UnexpectedInput

from sipsmodel import strategies as sst
from sipsmodel.errors import ParseError
from sipsmodel.syntax.diagnostics import SemanticError
from sipsmodel.syntax.message import _split, parse_head
from sipsmodel.syntax.parser import STARTS, _Bail, _lalr, drive, lark_parser, lexer_entry, run
from sipsmodel.syntax.values import NameAddr

pytestmark = pytest.mark.slow  # long Hypothesis comparisons with the Lark parser

_SETTINGS = settings(max_examples=draws(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Characters that matter to the grammar, for mutations.
_MUTATION_CHARS = st.sampled_from(list(" \t\r\n;:,?&=<>@\"\\/[]%*.-+~'!`_()$#^{}|aZ09é\x00\x7f"))


def _lark(start: str, text: str) -> tuple[str, Any]:
    try:
        return "ok", lark_parser().parse(text, start=start)
    except (UnexpectedInput, SemanticError):
        return "refused", None
    except Exception as exc:  # noqa: BLE001 - any other outcome must be the same too
        return "raised", (type(exc), str(exc))


def _drive(start: str, text: str) -> tuple[str, Any]:
    try:
        return "ok", drive(start, text)
    except (_Bail, SemanticError):
        return "refused", None
    except Exception as exc:  # noqa: BLE001
        return "raised", (type(exc), str(exc))


def _same(start: str, text: str) -> None:
    expected = _lark(start, text)
    got = _drive(start, text)
    assert got[0] == expected[0], (start, text, got, expected)
    assert got[1] == expected[1], (start, text, got, expected)
    assert repr(got[1]) == repr(expected[1]), (start, text)  # same types all the way down
    if expected[0] == "ok":
        assert repr(run(start, text)) == repr(expected[1])
    elif expected[0] == "refused":
        with pytest.raises(ParseError):
            run(start, text)
    else:
        with pytest.raises(expected[1][0]):
            run(start, text)


@st.composite
def _mutated(draw: st.DrawFn, texts: st.SearchStrategy[str]) -> str:
    text = draw(texts)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(["insert", "delete", "replace", "duplicate"]))
        if op == "insert":
            text = text[:at] + draw(_MUTATION_CHARS) + text[at:]
        elif op == "delete":
            text = text[:at] + text[at + 1 :]
        elif op == "replace":
            text = text[:at] + draw(_MUTATION_CHARS) + text[at + 1 :]
        else:
            size = draw(st.integers(1, 8))
            text = text[:at] + text[at : at + size] * 2 + text[at + size :]
    return text


def _name_addr_list() -> st.SearchStrategy[str]:
    return st.lists(sst.name_addr_texts(), min_size=1, max_size=3).map(", ".join)


def _route_list() -> st.SearchStrategy[str]:
    item = st.builds(lambda a: NameAddr(a.uri, a.display_name, a.params).render(), sst.name_addrs())
    return st.lists(item, min_size=1, max_size=3).flatmap(
        lambda items: st.sampled_from([", ", ",", " ,\t"]).map(lambda sep: sep.join(items))
    )


_SIMPLE = {
    "start_cseq": st.sampled_from(["1 INVITE", "314159 INVITE", "4294967296 BYE", "7\tACK", "01 x"]),
    "start_callid": st.sampled_from(["a84b4c76e66710@pc33.atlanta.com", "x", "a@b@c", "<a>:b"]),
    "start_number": st.sampled_from(["0", "70", "4294967295", "12a", ""]),
    "start_tags": st.sampled_from(["", "100rel", "100rel, timer", "a ,b,\tc", "*"]),
    "start_warning": st.sampled_from(['380 p.example.com "x"', '381 h:5060 "a\\"b", 399 x "y"', '38 x "y"']),
    "start_media": st.sampled_from(["application/sdp", "text/plain;charset=utf-8", 'a / b ; q="x"']),
}

_VALID: dict[str, st.SearchStrategy[str]] = {
    "start_uri": st.one_of(sst.sip_uri_texts(), sst.uris().map(lambda u: u.render())),
    "start_addr": sst.name_addr_texts(),
    "start_contact": st.one_of(_name_addr_list(), st.just("*")),
    "start_route": _route_list(),
    "start_via": st.lists(sst.via_texts(), min_size=1, max_size=3).map(", ".join),
    **_SIMPLE,
}


def test_every_start_symbol_is_covered() -> None:
    assert set(_VALID) | {"start_head"} == set(STARTS)


def test_no_lexer_callbacks_or_ignored_terminals() -> None:
    """The driver bails on these; the grammar has none, so it never hands a valid text to Lark."""
    entries = [lexer_entry(state) for state in _lalr()[0].lexers]
    assert entries
    assert all(not callbacks and not ignored for _mres, callbacks, ignored in entries)


@pytest.mark.parametrize("start", sorted(_VALID))
@_SETTINGS
@given(data=st.data())
def test_driver_matches_lark_on_valid_texts(start: str, data: st.DataObject) -> None:
    _same(start, data.draw(_VALID[start]))


@pytest.mark.parametrize("start", sorted(_VALID))
@_SETTINGS
@given(data=st.data())
def test_driver_matches_lark_on_mutated_texts(start: str, data: st.DataObject) -> None:
    _same(start, data.draw(_mutated(_VALID[start])))


@_SETTINGS
@given(st.text(max_size=30), st.sampled_from(sorted(_VALID)))
def test_driver_matches_lark_on_any_text(text: str, start: str) -> None:
    _same(start, text)


def _head_of(raw: bytes) -> str:
    return _split(raw)[0]


def _heads() -> st.SearchStrategy[str]:
    return sst.sip_message_texts().map(_head_of)


def _same_head(head: str) -> None:
    expected = _lark("start_head", head)
    got = _drive("start_head", head)
    assert got[0] == expected[0] and repr(got[1]) == repr(expected[1]), head
    try:
        split = ("ok", parse_head(head))
    except ParseError:
        split = ("refused", None)
    assert split[0] == expected[0], (head, split, expected)
    assert split[1] == expected[1] and repr(split[1]) == repr(expected[1]), head


@_SETTINGS
@given(_heads())
def test_head_paths_match_lark_on_valid_heads(head: str) -> None:
    _same_head(head)


@_SETTINGS
@given(_mutated(_heads()).filter(lambda h: h.endswith("\n")))
def test_head_paths_match_lark_on_mutated_heads(head: str) -> None:
    _same_head(head)


@pytest.mark.parametrize(
    "head",
    [
        "INVITE sip:a@b.com SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n",
        "SIP/2.0 200 OK\r\nTo: <sip:a@b>\r\n  ;tag=1\r\n",
        "SIP/2.0 999 Odd\r\nTo: <sip:a@b>\r\n",
        "INVITE sip:a@b.com SIP/2.0\r\nBad header\r\n",
        "INVITE sip:a@b.com SIP/2.0\r\n\tFolded: x\r\n",
        "INVITE sip:a@b.com SIP/2.0\n",
        "INVITE sip:a@b.com;lr;lr SIP/2.0\r\nX: y\r\n",
        "INVITE  sip:a@b.com SIP/2.0\r\nX: y\r\n",
    ],
)
def test_head_paths_match_lark_on_examples(head: str) -> None:
    _same_head(head)

"""Loading grammar/sip.lark once per process (LALR, contextual lexer) and running it.

The compiled parse table is cached on disk (Lark's ``cache=`` option) in the user cache
directory (``$SIPSMODEL_CACHE_DIR``, else ``$XDG_CACHE_HOME/sipsmodel``, else
``~/.cache/sipsmodel``), so a new process starts fast. Lark checks the grammar hash itself.
"""

from __future__ import annotations

import os
import zlib
from functools import cache
from pathlib import Path
from typing import Any

from lark import Lark
from lark.exceptions import UnexpectedInput

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
    try:
        return lark_parser().parse(text, start=start)
    except UnexpectedInput as exc:
        raise from_lark(exc, text, start, _parse_raw, source) from None
    except SemanticError as exc:
        raise from_semantic(exc, text, source) from None

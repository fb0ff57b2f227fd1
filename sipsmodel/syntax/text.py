"""Character classes, %-escapes and quoted strings (RFC 3261 section 25.1, from RFC 2396)."""

from __future__ import annotations

import re
from functools import lru_cache

#: ``reserved`` of RFC 3261 section 25.1: escapes of these are *not* equal to the character.
RESERVED = frozenset(";/?:@&=+$,")

_ESCAPE_RE = re.compile(r"%([0-9A-Fa-f]{2})")
_TOKEN_RE = re.compile(r"[A-Za-z0-9\-.!%*_+`'~]+")
_TOKENS_RE = re.compile(r"[A-Za-z0-9\-.!%*_+`'~]+(?: [A-Za-z0-9\-.!%*_+`'~]+)*")
_QUOTED_PAIR_RE = re.compile(r"\\(.)", re.DOTALL)

#: Characters allowed unescaped in each URI component (RFC 3261 section 25.1).
_UNRESERVED = "A-Za-z0-9\\-_.!~*'()"
USER_SAFE = re.compile(f"[{_UNRESERVED}&=+$,;?/]")
PASSWORD_SAFE = re.compile(f"[{_UNRESERVED}&=+$,]")
PARAM_SAFE = re.compile(f"[{_UNRESERVED}\\[\\]/:&+$]")
HNV_SAFE = re.compile(f"[{_UNRESERVED}\\[\\]/?:+$]")


def is_token(text: str) -> bool:
    """Whether ``text`` is an RFC 3261 ``token``."""
    return _TOKEN_RE.fullmatch(text) is not None


def is_token_run(text: str) -> bool:
    """Whether ``text`` is tokens separated by single spaces (a bare display-name)."""
    return _TOKENS_RE.fullmatch(text) is not None


@lru_cache(maxsize=4096)
def normalize_escapes(text: str) -> str:
    """Unescape ``%HH`` of characters outside ``reserved`` and upper-case the rest (RFC 3261 19.1.4)."""
    if "%" not in text:
        return text

    def repl(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return "%" + match.group(1).upper() if char in RESERVED or char == "%" else char

    return _ESCAPE_RE.sub(repl, text)


def unescape_all(text: str) -> str:
    """Decode every ``%HH`` escape (as UTF-8 octets), as RFC 3261 section 10.3 step 5 asks."""
    if "%" not in text:
        return text
    data = bytearray()
    pos = 0
    for match in _ESCAPE_RE.finditer(text):
        data += text[pos : match.start()].encode("utf-8")
        data.append(int(match.group(1), 16))
        pos = match.end()
    data += text[pos:].encode("utf-8")
    return data.decode("utf-8", errors="surrogateescape")


def escape(text: str, safe: re.Pattern[str]) -> str:
    """Escape every character of ``text`` that ``safe`` does not allow (RFC 3261 section 19.1.2)."""
    out = []
    for char in text:
        if safe.fullmatch(char):
            out.append(char)
        else:
            out.extend(f"%{octet:02X}" for octet in char.encode("utf-8"))
    return "".join(out)


def unquote(text: str) -> str:
    """Content of a ``quoted-string`` with quoted-pairs resolved; other text is returned as is."""
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        return _QUOTED_PAIR_RE.sub(r"\1", text[1:-1])
    return text


_QUOTE_RE = re.compile(r'["\\\x00-\x08\x0b\x0c\x0e-\x1f\x7f]')


def quote(text: str) -> str:
    """``text`` as a ``quoted-string`` (RFC 3261 section 25.1).

    ``"``, ``\\`` and the control characters a quoted-pair allows (%x00-08, %x0B-0C, %x0E-1F,
    %x7F) are written as quoted-pairs; CR and LF cannot be quoted and are kept as they are.
    """
    return '"' + _QUOTE_RE.sub(lambda match: "\\" + match.group(), text) + '"'

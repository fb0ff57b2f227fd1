"""Reading the user's files (scenarios, rule sets, properties, and any new loader) with one kind of error.

Theory of operation: every loader goes through ``read_bytes_file`` (a regular file, not a directory,
not empty, not larger than a limit), then ``read_text_file`` (UTF-8 without NUL bytes: the byte
offset, line and column of the first bad byte) and, for TOML, ``read_toml`` (the line and column
tomllib reports, with the line and a caret). Each problem is an ``InputFileError``: the file, where,
what is wrong, what was expected and how to fix it; the CLI prints it and exits 2 (issue 13, item 1).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sipsmodel.errors import InputFileError

#: Larger files are refused rather than read (a device such as /dev/zero would never end).
MAX_BYTES = 64 * 1024 * 1024

_TOML_WHERE = re.compile(r"^(?P<what>.*) \(at line (?P<line>\d+), column (?P<column>\d+)\)$", re.DOTALL)
_UTF8_HINT = "save the file as UTF-8 (for a Latin-1 file: iconv -f latin1 -t utf-8 FILE > NEW)"


@dataclass(frozen=True)
class BadByte:
    """Where the first byte that is not UTF-8 text (or is NUL) sits: 0-based offset, 1-based line, column."""

    offset: int
    line: int
    column: int
    value: int
    reason: str


def _article(what: str) -> str:
    return f"an {what}" if what[:1].lower() in "aeiou" else f"a {what}"


def expected_text(what: str, fmt: str) -> str:
    """``a rule set in UTF-8 TOML``: the words every error of one loader ends with."""
    return f"{_article(what)} in {fmt}"


def first_bad_byte(data: bytes) -> BadByte | None:
    """The first byte that makes ``data`` not UTF-8 text: an undecodable byte or a NUL; None when clean."""
    try:
        data.decode("utf-8")
        offset, reason = len(data), ""
    except UnicodeDecodeError as exc:
        offset, reason = exc.start, f"not UTF-8 ({exc.reason})"
    nul = data.find(b"\x00", 0, offset)
    if nul >= 0:
        offset, reason = nul, "a NUL byte: this looks like a binary file"
    if not reason:
        return None
    line = data.count(b"\n", 0, offset) + 1
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return BadByte(offset, line, column, data[offset], reason)


def read_bytes_file(path: Path, what: str, fmt: str = "UTF-8 text", max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a regular, non-empty file of at most ``max_bytes``; else an InputFileError naming it."""
    expected = expected_text(what, fmt)
    if path.is_dir():
        raise InputFileError(str(path), "is a directory", expected, hint=f"give the path of {_article(what)} file")
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise InputFileError(str(path), f"cannot be read: {exc.strerror or exc}", expected) from None
    if not data:
        raise InputFileError(str(path), "is empty", expected)
    if len(data) > max_bytes:
        raise InputFileError(str(path), f"is larger than {max_bytes} bytes", expected, offset=max_bytes)
    return data


def decode_text(data: bytes, source: str, what: str, fmt: str = "UTF-8 text") -> str:
    """``data`` as text (a leading UTF-8 byte order mark dropped); the first bad byte is an InputFileError."""
    bad = first_bad_byte(data)
    if bad is not None:
        problem = f"byte 0x{bad.value:02X} is {bad.reason}"
        hint = None if bad.value == 0 else _UTF8_HINT
        raise InputFileError(
            source, problem, expected_text(what, fmt), line=bad.line, column=bad.column, offset=bad.offset, hint=hint
        )
    return data.decode("utf-8").removeprefix("\ufeff")


def read_text_file(path: Path, what: str, fmt: str = "UTF-8 text") -> str:
    """The text of a user file: a regular, non-empty file of UTF-8 text, else an InputFileError."""
    return decode_text(read_bytes_file(path, what, fmt), str(path), what, fmt)


def _toml_where(message: str, text: str) -> tuple[str, int, int]:
    """tomllib's message split into what, line and column ('at end of document': after the last character)."""
    match = _TOML_WHERE.match(message)
    if match is not None:
        return match["what"], int(match["line"]), int(match["column"])
    what = message.removesuffix(" (at end of document)")
    lines = text.split("\n")
    return what, len(lines), len(lines[-1]) + 1


def _toml_error(path: Path, text: str, exc: tomllib.TOMLDecodeError, what: str) -> InputFileError:
    problem, line, column = _toml_where(str(exc), text)
    lines = text.split("\n")
    context = f"{lines[line - 1]}\n{' ' * (column - 1)}^" if line <= len(lines) else ""
    expected = expected_text(what, "UTF-8 TOML")
    problem = f"is not valid TOML: {problem}"
    return InputFileError(str(path), problem, expected, line=line, column=column, context=context)


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """Parse a user's TOML file; any problem (file, bytes, TOML syntax) is an InputFileError naming it."""
    text = read_text_file(path, what, "UTF-8 TOML")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _toml_error(path, text, exc, what) from None

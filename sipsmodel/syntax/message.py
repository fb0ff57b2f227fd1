"""Whole SIP messages: framing, lazy header values, accessors and rendering (RFC 3261 section 7).

``parse_message`` splits the head from the body at the empty line, parses the head with the
``start_head`` rule of grammar/sip.lark (start line, raw header lines, unfolding), then parses the
Request-URI and the headers the model needs (Via, Route, Record-Route, Path, Contact, To, From)
eagerly and every other header only when asked. The body is delimited by Content-Length, or is
the rest of the datagram when Content-Length is absent (RFC 3261 section 18.3); octets beyond
Content-Length are discarded as section 18.3 says.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sipsmodel.errors import ParseError
from sipsmodel.syntax.diagnostics import caret_context, line_col
from sipsmodel.syntax.headers import (
    LIST_KINDS,
    HeaderValue,
    canonical_name,
    check_sips_transport,
    kind_of,
    parse_value,
)
from sipsmodel.syntax.limits import MAX_HEADER_LINES, MAX_MESSAGE_BYTES
from sipsmodel.syntax.parser import run, terminal_re
from sipsmodel.syntax.transform import HeaderLine, StartLine, header_line
from sipsmodel.syntax.uri import Uri
from sipsmodel.syntax.values import STAR, CSeq, NameAddr, Star, Via, WarningValue

#: Headers parsed as soon as the message is read (what the model needs, plus Content-Length).
EAGER = frozenset({"Via", "Route", "Record-Route", "Path", "Contact", "To", "From", "Content-Length"})

_END_OF_HEAD = re.compile(rb"\r?\n\r?\n")


@dataclass(frozen=True, slots=True)
class Header:
    """One header line: ``name`` as written, ``value`` as raw unfolded text, ``key`` canonical.

    Two headers are equal when their canonical names and raw values are equal.
    """

    name: str = field(compare=False)
    value: str
    key: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", canonical_name(self.name))

    def parsed(self, strict: bool = True) -> HeaderValue:
        """The parsed value (cached on the text); a RawValue for headers sipsmodel does not model."""
        return parse_value(kind_of(self.key), self.value, strict)

    def render(self) -> str:
        """``Canonical-Name: value``."""
        return f"{self.key}: {self.value}"


@dataclass(frozen=True, slots=True)
class SipMessage:
    """A SIP request or response (RFC 3261 section 7), frozen.

    Requests have ``method`` and ``request_uri``; responses ``status`` and ``reason``.
    ``headers`` keep their order; ``body`` is text (undecodable octets kept as surrogates).
    """

    method: str | None = None
    request_uri: Uri | None = None
    status: int | None = None
    reason: str | None = None
    headers: tuple[Header, ...] = ()
    body: str = ""
    version: str = "SIP/2.0"
    strict: bool = field(default=True, compare=False)

    @property
    def is_request(self) -> bool:
        """Whether this is a request."""
        return self.method is not None

    def header_values(self, name: str) -> list[Any]:
        """All values of header ``name`` in order: compact forms folded in, comma lists split.

        Known list headers give their items, other known headers one parsed value per line,
        unknown headers one RawValue per line.
        """
        key = canonical_name(name)
        values: list[Any] = []
        for header in self.headers:
            if header.key == key:
                value = header.parsed(self.strict)
                if kind_of(key) in LIST_KINDS and isinstance(value, tuple):
                    values.extend(value)
                else:
                    values.append(value)
        return values

    def _single(self, name: str) -> Any:
        values = self.header_values(name)
        return values[0] if values else None

    def vias(self) -> list[Via]:
        """The Via values, topmost first (RFC 3261 section 20.42)."""
        return self.header_values("Via")

    def routes(self) -> list[NameAddr]:
        """The Route values in order (RFC 3261 section 20.34)."""
        return self.header_values("Route")

    def record_routes(self) -> list[NameAddr]:
        """The Record-Route values in order (RFC 3261 section 20.30)."""
        return self.header_values("Record-Route")

    def paths(self) -> list[NameAddr]:
        """The Path values in order (RFC 3327)."""
        return self.header_values("Path")

    def service_routes(self) -> list[NameAddr]:
        """The Service-Route values in order (RFC 3608)."""
        return self.header_values("Service-Route")

    def contacts(self) -> list[NameAddr] | Star:
        """The Contact values, or STAR for ``Contact: *`` (RFC 3261 section 20.10)."""
        values = self.header_values("Contact")
        return STAR if STAR in values else values

    def to(self) -> NameAddr | None:
        """The To value (RFC 3261 section 20.39)."""
        value: NameAddr | None = self._single("To")
        return value

    def from_(self) -> NameAddr | None:
        """The From value (RFC 3261 section 20.20)."""
        value: NameAddr | None = self._single("From")
        return value

    def call_id(self) -> str | None:
        """The Call-ID (RFC 3261 section 20.8)."""
        value: str | None = self._single("Call-ID")
        return value

    def cseq(self) -> CSeq | None:
        """The CSeq as (number, method) (RFC 3261 section 20.16)."""
        value: CSeq | None = self._single("CSeq")
        return value

    def max_forwards(self) -> int | None:
        """Max-Forwards, 0..255 (RFC 3261 section 20.22)."""
        value: int | None = self._single("Max-Forwards")
        return value

    def warnings(self) -> list[WarningValue]:
        """The Warning values (RFC 3261 section 20.43, RFC 5630 section 9)."""
        return self.header_values("Warning")

    def render(self) -> str:
        """The message as text: CRLF line ends, canonical header names, headers in order."""
        if self.is_request:
            uri = "" if self.request_uri is None else self.request_uri.render()
            start = f"{self.method} {uri} {self.version}"
        else:
            start = f"{self.version} {self.status:03d} {self.reason}"
        lines = [start, *(h.render() for h in self.headers), "", self.body]
        return "\r\n".join(lines)

    def __str__(self) -> str:
        return self.render()


def _error(message: str, label: str, text: str = "", pos: int = 0, hint: str | None = None) -> ParseError:
    line, column = line_col(text, pos) if text else (0, 0)
    context = caret_context(text, pos) if text else ""
    return ParseError(message, line, column, context, label=label, hint=hint, source="<message>")


def _split(raw: bytes) -> tuple[str, bytes]:
    raw = raw.lstrip(b"\r\n")  # RFC 3261 section 7.5: CRLFs before the start line are ignored
    match = _END_OF_HEAD.search(raw)
    if match is None:
        head_text = raw.decode("utf-8", errors="replace")
        raise _error("no empty line ends the header section", "missing-empty-line", head_text, len(head_text))
    first_eol = raw.index(b"\n", match.start()) + 1
    try:
        head = raw[:first_eol].decode("utf-8")
    except UnicodeDecodeError as exc:
        text = raw[:first_eol].decode("utf-8", errors="replace")
        raise _error("the header section is not UTF-8", "not-utf8", text, exc.start) from None
    return head, raw[match.end() :]


def _content_length(headers: tuple[Header, ...], head: str) -> int | None:
    lengths = {cast(int, h.parsed()) for h in headers if h.key == "Content-Length"}
    if len(lengths) > 1:
        raise _error("Content-Length headers disagree", "content-length-conflict", head, 0)
    return next(iter(lengths)) if lengths else None


def _body(headers: tuple[Header, ...], head: str, rest: bytes) -> str:
    length = _content_length(headers, head)
    if length is not None and length > len(rest):
        raise _error(
            f"Content-Length {length} is larger than the {len(rest)} octets of body",
            "content-length-exceeds-body",
            hint="fix Content-Length to the body's size in octets (RFC 3261 section 20.14)",
        )
    body = rest if length is None else rest[:length]
    return body.decode("utf-8", errors="surrogateescape")


def _parse_eager(headers: tuple[Header, ...], head: str, offsets: list[int], strict: bool) -> None:
    for header, offset in zip(headers, offsets, strict=True):
        if header.key in EAGER:
            try:
                header.parsed(strict)
            except ParseError as exc:
                line, _ = line_col(head, offset)
                exc.message = f"in {header.key} (line {line}): {exc.message}"
                exc.line, exc.source = line, "<message>"
                raise


def parse_head(head: str) -> tuple[StartLine, list[HeaderLine]]:
    """The start line and the raw header lines of ``head``: what ``run("start_head", head)`` gives.

    The grammar's head is ``(request_line | STATUS_LINE) HEADER_LINE*``. The start line is parsed
    by Lark on its own: no terminal of it can match past its first LF, so its tokens are those of
    the whole head. After it, the contextual lexer accepts HEADER_LINE alone, so its tokens are the
    successive matches of the HEADER_LINE terminal's own regular expression, and LALR accepts any
    sequence of them; each becomes a header line just as ToValues.head makes it. When the start
    line or a header line does not match, the whole head goes to Lark, which raises the error.
    """
    first_end = head.find("\n") + 1
    if first_end == 0:
        return cast(tuple[StartLine, list[HeaderLine]], run("start_head", head, "<message>"))
    try:
        start: StartLine = run("start_head", head[:first_end], "<message>")[0]
    except ParseError:
        return cast(tuple[StartLine, list[HeaderLine]], run("start_head", head, "<message>"))
    match = terminal_re("HEADER_LINE").match
    lines: list[HeaderLine] = []
    pos, end = first_end, len(head)
    while pos < end:
        found = match(head, pos)
        if found is None:
            return cast(tuple[StartLine, list[HeaderLine]], run("start_head", head, "<message>"))
        lines.append(header_line(found.group(), pos))
        pos = found.end()
    return start, lines


def parse_message(data: bytes | str, strict: bool = True) -> SipMessage:
    """Parse a whole SIP message (RFC 3261 section 7); raise ParseError.

    ``strict=False`` accepts ``sips:`` URIs with ``transport=udp`` with a warning. Octets after the
    ``Content-Length`` body are not read (``parse_messages`` reads every message of a stream).
    """
    raw = data.encode("utf-8", errors="surrogateescape") if isinstance(data, str) else bytes(data)
    return _parse_one(raw, strict)[0]


def parse_messages(data: bytes | str, strict: bool = True) -> list[tuple[int, SipMessage]]:
    """Every message of a stream, each with the byte offset where it starts (RFC 3261 section 18.3).

    A message without ``Content-Length`` takes the rest as its body, so it ends the stream; CRLFs
    between messages are skipped (section 7.5). An error names the message's number and offset.
    """
    raw = data.encode("utf-8", errors="surrogateescape") if isinstance(data, str) else bytes(data)
    found: list[tuple[int, SipMessage]] = []
    offset = len(raw) - len(raw.lstrip(b"\r\n"))
    while offset < len(raw):
        try:
            message, used = _parse_one(raw[offset:], strict)
        except ParseError as exc:
            if found:
                exc.message = f"message {len(found) + 1} (at byte offset {offset}): {exc.message}"
            raise
        found.append((offset, message))
        offset += used
        offset += len(raw[offset:]) - len(raw[offset:].lstrip(b"\r\n"))
    return found


def _parse_one(raw: bytes, strict: bool) -> tuple[SipMessage, int]:
    """The first message of ``raw`` and the number of octets it took (leading CRLFs included)."""
    if len(raw) > MAX_MESSAGE_BYTES:
        raise _error(f"message of {len(raw)} octets exceeds the limit of {MAX_MESSAGE_BYTES}", "message-too-large")
    head, rest = _split(raw)
    if head.count("\n") > MAX_HEADER_LINES + 1:
        raise _error(f"more than {MAX_HEADER_LINES} header lines", "too-many-headers")
    start, lines = parse_head(head)
    headers = tuple(Header(name, value) for name, value, _ in lines)
    _parse_eager(headers, head, [pos for _, _, pos in lines], strict)
    body = _body(headers, head, rest)
    used = len(raw) - len(rest) + len(body.encode("utf-8", errors="surrogateescape"))
    if start[0] == "request":
        check_sips_transport(start[2], head.split("\n", 1)[0], strict, "<request line>")
        return SipMessage(start[1], start[2], None, None, headers, body, start[3], strict), used
    return SipMessage(None, None, start[1], start[2], headers, body, start[3], strict), used


def _with_length(headers: Sequence[tuple[str, str]], body: str) -> tuple[Header, ...]:
    built = tuple(Header(name, value) for name, value in headers)
    if any(h.key == "Content-Length" for h in built):
        return built
    size = len(body.encode("utf-8", errors="surrogateescape"))
    return (*built, Header("Content-Length", str(size)))


def build_request(method: str, request_uri: Uri, headers: Sequence[tuple[str, str]], body: str = "") -> SipMessage:
    """A request value; Content-Length is appended when absent (RFC 3261 section 20.14)."""
    return SipMessage(method, request_uri, None, None, _with_length(headers, body), body)


def build_response(status: int, reason: str, headers: Sequence[tuple[str, str]], body: str = "") -> SipMessage:
    """A response value; Content-Length is appended when absent (RFC 3261 section 20.14)."""
    return SipMessage(None, None, status, reason, _with_length(headers, body), body)

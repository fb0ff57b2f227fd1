"""Whole SIP messages: framing, lazy header values, accessors and rendering (RFC 3261 section 7).

``parse_message`` splits the head from the body at the empty line, parses the head with the
``start_head`` rule of grammar/sip.lark (start line, raw header lines, unfolding), then parses the
Request-URI and the headers the model needs (Via, Route, Record-Route, Path, Contact, To, From)
eagerly and every other header only when asked. The body is delimited by Content-Length, or is
the rest of the datagram when Content-Length is absent (RFC 3261 section 18.3; from a stream,
``stream=True``, it is required); octets beyond Content-Length are discarded as section 18.3 says.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sipsmodel.errors import ParseError
from sipsmodel.syntax.diagnostics import caret_context, line_col
from sipsmodel.syntax.headers import (
    LIST_KINDS,
    URI_KINDS,
    HeaderValue,
    canonical_name,
    check_sips_transport,
    kind_of,
    parse_value,
)
from sipsmodel.syntax.lenient import Leniency, sips_udp_leniencies, warn_each
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


#: Where the framing rules of a message body come from (RFC 3261 sections 18.3 and 20.14).
FRAMING_RULE = "RFC 3261 section 18.3"


def _framing(
    headers: tuple[Header, ...], head: str, offsets: list[int], rest: bytes, stream: bool, strict: bool
) -> tuple[bytes, list[Leniency]]:
    """The body that Content-Length frames, and the framing leniencies of a lenient parse.

    RFC 3261 section 18.3: octets beyond Content-Length are discarded; a body shorter than
    Content-Length is an error; over a stream Content-Length is required (section 20.14), over a
    datagram its absence means the rest of the datagram. A lenient parse takes the body as it is
    and reports what a strict one refuses.
    """
    length = _content_length(headers, head)
    if length is None and stream:
        if strict:
            raise _error(
                "no Content-Length in a message read from a stream",
                "content-length-missing",
                hint="over TCP, TLS, SCTP or WebSocket every message carries Content-Length (RFC 3261 section 20.14)",
            )
        why = "the body is taken to be the rest of the octets given"
        return rest, [Leniency(FRAMING_RULE, "no Content-Length in a message read from a stream", 1, 1, why)]
    if length is not None and length > len(rest):
        what = f"Content-Length {length} is larger than the {len(rest)} octets of body"
        at = _offset_of(headers, offsets, "Content-Length")
        if strict:
            raise _error(what, "content-length-exceeds-body", head, at, _LENGTH_HINT)
        why = "the body is taken as received, so that the message and what it carries are kept"
        line, column = line_col(head, at)
        return rest, [Leniency(FRAMING_RULE, what, line, column, why)]
    return (rest if length is None else rest[:length]), []


def _offset_of(headers: tuple[Header, ...], offsets: list[int], key: str) -> int:
    """Offset in the head of the first header ``key`` (0 when there is none)."""
    return next((offset for header, offset in zip(headers, offsets, strict=True) if header.key == key), 0)


_LENGTH_HINT = "fix Content-Length to the body's size in octets (RFC 3261 section 20.14)"


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


def _read(data: bytes | str, strict: bool, stream: bool) -> tuple[SipMessage, str, list[int], list[Leniency], int]:
    """The message, its head as text, the offset of each header line in it, framing leniencies, octets used."""
    raw = data.encode("utf-8", errors="surrogateescape") if isinstance(data, str) else bytes(data)
    if len(raw) > MAX_MESSAGE_BYTES:
        raise _error(f"message of {len(raw)} octets exceeds the limit of {MAX_MESSAGE_BYTES}", "message-too-large")
    head, rest = _split(raw)
    if head.count("\n") > MAX_HEADER_LINES + 1:
        raise _error(f"more than {MAX_HEADER_LINES} header lines", "too-many-headers")
    start, lines = parse_head(head)
    headers = tuple(Header(name, value) for name, value, _ in lines)
    offsets = [pos for _, _, pos in lines]
    _parse_eager(headers, head, offsets, strict)
    octets, framing = _framing(headers, head, offsets, rest, stream, strict)
    body = octets.decode("utf-8", errors="surrogateescape")
    if start[0] == "request":
        check_sips_transport(start[2], head.split("\n", 1)[0], strict, "<request line>")
        message = SipMessage(start[1], start[2], None, None, headers, body, start[3], strict)
    else:
        message = SipMessage(None, None, start[1], start[2], headers, body, start[3], strict)
    return message, head, offsets, framing, len(raw) - len(rest) + len(octets)


def parse_message(data: bytes | str, strict: bool = True, *, stream: bool = False) -> SipMessage:
    """Parse a whole SIP message (RFC 3261 section 7); raise ParseError.

    ``stream=True`` says the octets were framed from a stream (TCP, TLS), where Content-Length
    is required (RFC 3261 section 20.14). ``strict=False`` accepts what ``parse_message_lenient``
    accepts and emits one warning per leniency (a SipsTransportWarning or a LeniencyWarning);
    that function returns them as values.
    """
    if strict:
        return _read(data, True, stream)[0]
    message, leniencies = parse_message_lenient(data, stream=stream)
    warn_each(leniencies, "<message>")
    return message


def parse_message_lenient(data: bytes | str, *, stream: bool = False) -> tuple[SipMessage, tuple[Leniency, ...]]:
    """Parse a message leniently: the message and every Leniency in it, each time; raise ParseError.

    What a strict parse refuses only because a rule forbids it (a ``sips:`` URI with
    ``transport=udp``, R-3261-19.1.1-a) is accepted and reported, once per occurrence, with its
    line and column (lines counted from the start line). A body shorter than Content-Length, or
    a message from a stream (``stream=True``) without Content-Length, is taken as it is and
    reported too (RFC 3261 section 18.3). Syntax errors still raise ParseError.
    The Request-URI and every header that holds URIs (Route, Record-Route, Path, Service-Route,
    Contact, To, From, Reply-To, Refer-To, Referred-By) are looked at; a lazily parsed header
    whose value does not parse is left to raise when it is asked for, as in a strict parse.
    """
    message, head, offsets, framing, _ = _read(data, False, stream)
    found: list[Leniency] = []
    if message.request_uri is not None:
        first_line = head.split("\n", 1)[0]
        found += sips_udp_leniencies(message.request_uri, first_line, lambda pos: (1, pos + 1))
    ends = [*offsets[1:], len(head)][: len(offsets)]  # a message may have no header line at all
    for header, offset, end in zip(message.headers, offsets, ends, strict=True):
        if kind_of(header.key) not in URI_KINDS:
            continue
        try:
            value = header.parsed(False)
        except ParseError:
            continue
        found += sips_udp_leniencies(value, head[offset:end], _located_in(head, offset))
    return message, (*found, *framing)


def _located_in(head: str, offset: int) -> Callable[[int], tuple[int, int]]:
    """Line and column in ``head`` of an offset in the header line that starts at ``offset``."""
    return lambda pos: line_col(head, offset + pos)


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
            message, *_, used = _read(raw[offset:], strict, False)
        except ParseError as exc:
            if found:
                exc.message = f"message {len(found) + 1} (at byte offset {offset}): {exc.message}"
            raise
        found.append((offset, message))
        offset += used
        offset += len(raw[offset:]) - len(raw[offset:].lstrip(b"\r\n"))
    return found




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

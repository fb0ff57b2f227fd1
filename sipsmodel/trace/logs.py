"""Text message logs: SIPp ``-trace_msg`` files and plain logs of SIP messages.

SIPp (``sipp ... -trace_msg``) writes each message after a line of dashes and a time stamp, then
``<TRANSPORT> message sent (<n> bytes):`` or ``<TRANSPORT> message received [<n>] bytes :``, a blank
line and the message. The log names no addresses: the two ends are ``sipp`` and ``remote`` (an element
map can name them), the transport is the one SIPp used.

A plain log is SIP messages one after the other, each ended by its Content-Length (0 when absent),
separated by blank lines or by a marker line of three or more ``-``, ``=`` or ``#``. A marker may say
how the next messages travelled: ``--- TLS 192.0.2.1:5061 -> 192.0.2.2:5061``; without one, the
ends and the transport are unknown (and every property that needs them is left undecided).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from sipsmodel.trace.frames import CAPTURE_TRANSPORTS, Endpoint, Frame, Item, Problem

SIPP_MARKER = re.compile(rb"^-{20,} (.*)$")
_SIPP_WHAT = re.compile(rb"^(UDP|TCP|TLS|SCTP|u1|un|ui|t1|tn|l1|ln)\b.*message (sent|received)", re.IGNORECASE)
_START = re.compile(rb"^(?:SIP/2\.0 \d{3}(?: |$)|[A-Za-z!%*_+`'~.-]+ \S+ SIP/2\.0$)")
_MARKER = re.compile(rb"^(?:-{3,}|={3,}|#{3,})\s*(?:(\S+)\s+(\S+)\s*->\s*(\S+))?\s*$")
_LENGTH = re.compile(rb"^(?:content-length|l)[ \t]*:[ \t]*(\d+)", re.IGNORECASE)
SIPP = Endpoint("sipp", 0)
REMOTE = Endpoint("remote", 0)
UNKNOWN = Endpoint("unknown", 0)
_SIPP_TRANSPORTS = {"u": "UDP", "t": "TCP", "l": "TLS"}


def looks_like_sipp(head: bytes) -> bool:
    """The file starts like a SIPp -trace_msg log."""
    lines = head.lstrip(b"\r\n").split(b"\n", 2)
    return len(lines) >= 2 and bool(SIPP_MARKER.match(lines[0])) and bool(_SIPP_WHAT.match(lines[1]))


def _sipp_transport(word: bytes) -> str:
    text = word.decode("ascii").upper()
    return text if text in CAPTURE_TRANSPORTS else _SIPP_TRANSPORTS.get(text[:1].lower(), "UDP")


def _trim(data: bytes) -> bytes:
    """The message without the newlines the log writer added after it."""
    while data.endswith(b"\n") and not data.endswith(b"\r\n"):
        data = data[:-1]
    return data


def read_sipp(stream: BinaryIO, source: str) -> Iterator[Item]:
    """Every message of a SIPp -trace_msg log."""
    record, position, offset = 0, 0, 0
    what: re.Match[bytes] | None = None
    body: list[bytes] | None = None
    pending_marker = False
    for line in stream:
        start, position = position, position + len(line)
        bare = line.rstrip(b"\r\n")
        if SIPP_MARKER.match(bare):
            if what is not None and body is not None:
                record += 1
                yield _sipp_frame(what, b"".join(body), source, record, offset)
            what, body, pending_marker, offset = None, None, True, start
        elif pending_marker:
            pending_marker = False
            what = _SIPP_WHAT.match(bare)
            if what is None:
                record += 1
                yield Problem(source, f"record {record} (byte {offset})", "a SIPp record without 'message sent' or "
                              "'message received'", record=record)
        elif what is not None and body is None:
            body = [] if not bare else [line]
        elif body is not None:
            body.append(line)
    if what is not None and body is not None:
        record += 1
        yield _sipp_frame(what, b"".join(body), source, record, offset)


def _sipp_frame(what: re.Match[bytes], data: bytes, source: str, record: int, offset: int) -> Frame:
    sent = what.group(2).lower() == b"sent"
    src, dst = (SIPP, REMOTE) if sent else (REMOTE, SIPP)
    return Frame(source, record, _trim(data), src, dst, _sipp_transport(what.group(1)), None, None, offset)


def looks_like_plain(head: bytes) -> bool:
    """The file starts (after blank or marker lines) with a SIP start line."""
    for line in head.split(b"\n"):
        bare = line.rstrip(b"\r")
        if not bare.strip() or _MARKER.match(bare):
            continue
        return bool(_START.match(bare))
    return False


def _endpoint(text: bytes) -> Endpoint:
    host, _, port = text.decode("ascii", "replace").rpartition(":")
    return Endpoint(host.strip("[]"), int(port)) if port.isdigit() else Endpoint(text.decode("ascii", "replace"), 0)


def read_plain(stream: BinaryIO, source: str) -> Iterator[Item]:
    """Every message of a plain log."""
    record, position = 0, 0
    ends: tuple[Endpoint, Endpoint, str | None] = (UNKNOWN, UNKNOWN, None)
    head: list[bytes] | None = None
    body, need, offset = bytearray(), -1, 0
    for line in stream:
        start, position = position, position + len(line)
        bare = line.rstrip(b"\r\n")
        if head is None:
            marker = _MARKER.match(bare)
            if marker and marker.group(1):
                ends = _marker_ends(marker)
            elif bare.strip() and not marker:
                record += 1
                if _START.match(bare):
                    head, offset = [line], start
                else:
                    yield Problem(source, f"record {record} (byte {start})", "expected a SIP start line "
                                  "(request line or status line), a blank line or a marker line", record=record)
            continue
        if need < 0:
            head.append(line)
            if not bare:
                need = _declared_length(head)
        else:
            body += line
        if need >= 0 and len(body) >= need:
            yield Frame(source, record, b"".join(head) + bytes(body[:need]), ends[0], ends[1], ends[2], None, None,
                        offset)
            head, body, need = None, bytearray(), -1
    if head is not None:
        yield Frame(source, record, b"".join(head) + bytes(body), ends[0], ends[1], ends[2], None, None, offset)


def _marker_ends(marker: re.Match[bytes]) -> tuple[Endpoint, Endpoint, str | None]:
    transport = marker.group(1).decode("ascii", "replace").upper()
    return (_endpoint(marker.group(2)), _endpoint(marker.group(3)),
            transport if transport in CAPTURE_TRANSPORTS else None)


def _declared_length(head: list[bytes]) -> int:
    for line in head:
        match = _LENGTH.match(line)
        if match:
            return int(match.group(1))
    return 0

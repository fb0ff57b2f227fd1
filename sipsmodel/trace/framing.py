"""Framing SIP messages on a stream by Content-Length (RFC 3261 section 18.3).

A stream transport carries messages back to back; each ends after its empty line plus Content-Length
octets of body (0 when the header is absent). CRLF keep-alives between messages (RFC 5626 section
4.4.1) are skipped.
"""

from __future__ import annotations

import re

MAX_HEAD = 65536
_HEAD_END = b"\r\n\r\n"
_LENGTH = re.compile(rb"^(?:content-length|l)[ \t]*:[ \t]*(\d+)[ \t]*\r?$", re.IGNORECASE | re.MULTILINE)


class FramingError(ValueError):
    """The stream holds more than MAX_HEAD octets without the end of a SIP message head."""


def split_stream(buffer: bytearray) -> bytes | None:
    """Take one complete message off the front of ``buffer``; None while it is incomplete."""
    while buffer.startswith(b"\r\n"):
        del buffer[:2]
    end = buffer.find(_HEAD_END)
    if end < 0:
        if len(buffer) > MAX_HEAD:
            raise FramingError(f"{len(buffer)} octets without the empty line that ends a SIP message head")
        return None
    match = _LENGTH.search(bytes(buffer[:end]))
    total = end + 4 + (int(match.group(1)) if match else 0)
    if len(buffer) < total:
        return None
    message = bytes(buffer[:total])
    del buffer[:total]
    return message

"""Explicit size limits of the syntax layer: inputs beyond them are refused with a ParseError.

The limits keep parsing time linear and bounded (a hostile peer cannot make the parser do
unbounded work). They are generous for real SIP traffic: RFC 3261 section 18.1.1 caps UDP
messages near the path MTU, and real TCP/TLS messages stay far below these figures.
"""

from __future__ import annotations

#: Largest whole message accepted by ``parse_message`` (head and body together), in octets.
MAX_MESSAGE_BYTES = 256 * 1024

#: Most header lines (after unfolding) in one message.
MAX_HEADER_LINES = 1024

#: Longest single header value or standalone URI text, in characters.
MAX_VALUE_CHARS = 64 * 1024

#: Most parameters on one URI or after one header value (name-addr, Via, Content-Type).
MAX_PARAMS = 256

#: Most comma-separated values in one header value (Via, Route, Contact, ...).
MAX_LIST_ITEMS = 1024

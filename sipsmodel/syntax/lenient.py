"""Leniencies as values: what a lenient parse accepted although a rule forbids it, and where.

A real trace must never lose a message that carries a violation, so ``parse_message_lenient``
reads such a message and returns one ``Leniency`` per occurrence, every time it is called: the
detection runs on the parsed values, outside the parse caches, so a cached value never swallows a
repeat. The leniencies: a ``sips:`` URI with ``transport=udp`` (R-3261-19.1.1-a), which a strict
parse refuses with the label ``sips-transport-udp``, and two framing faults of RFC 3261 section
18.3 (a body shorter than Content-Length; no Content-Length over a stream), found in
sipsmodel/syntax/message.py.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sipsmodel.syntax.uri import SipUri
from sipsmodel.syntax.values import NameAddr

#: The rule a sips URI with transport=udp breaks (SIPS-RULES.md, RFC 3261 section 19.1.1).
SIPS_UDP_RULE = "R-3261-19.1.1-a"

_SIPS_UDP_WHY = "RFC 3261 section 19.1.1 forbids it; read anyway so that the message and its violation are kept"

# Where a sips URI names transport=udp in header or request-line text: the offset of
# "transport=udp" inside the k-th such URI (the user part may hold ';', so the URI is not split).
_SIPS_UDP_RE = re.compile(r"sips:[^\s<>\"]*?;(transport=udp)(?![A-Za-z0-9\-_.!~*'()%\[\]/:&+$])", re.IGNORECASE)


class LeniencyWarning(UserWarning):
    """Something a rule forbids was accepted because strict=False (one warning per Leniency)."""


class SipsTransportWarning(LeniencyWarning):
    """A ``sips:`` URI with ``transport=udp`` was accepted because strict=False (R-3261-19.1.1-a)."""


@dataclass(frozen=True, slots=True)
class Leniency:
    """One thing a lenient parse accepted although ``rule`` forbids it.

    ``rule`` is an ID of SIPS-RULES.md (``R-3261-19.1.1-a``) or an RFC section. ``what`` says
    what was accepted, ``line`` and ``column`` (1-based) where: lines are counted from the start
    line of the message (for a URI parsed alone, line 1), ``why`` why it was accepted rather than
    refused. R-3261-19.1.1-a, RFC 3261 section 18.3.
    """

    rule: str
    what: str
    line: int
    column: int
    why: str

    def render(self, source: str = "<input>") -> str:
        """The one-line diagnostic: ``source:line:col: accepted leniently: what [rule]; why``."""
        return f"{source}:{self.line}:{self.column}: accepted leniently: {self.what} [{self.rule}]; {self.why}"


def sips_udp_uris(value: Any) -> list[SipUri]:
    """The ``sips:`` URIs with ``transport=udp`` in a parsed URI or header value, in order."""
    if isinstance(value, SipUri):
        is_udp = value.is_sips and (value.param("transport") or "").lower() == "udp"
        return [value] if is_udp else []
    if isinstance(value, NameAddr):
        return sips_udp_uris(value.uri)
    if isinstance(value, tuple):
        return [uri for item in value if isinstance(item, SipUri | NameAddr) for uri in sips_udp_uris(item)]
    return []


def sips_udp_offsets(text: str, count: int) -> list[int]:
    """Offsets in ``text`` of ``transport=udp`` for the first ``count`` sips URIs naming it.

    When the text shows fewer than ``count`` (it cannot happen for text the grammar accepted,
    but the offsets are a courtesy, not a parse), the missing ones point at the start of ``text``.
    """
    found = [match.start(1) for match in _SIPS_UDP_RE.finditer(text)][:count]
    return found + [0] * (count - len(found))


def sips_udp_leniencies(value: Any, text: str, where: Callable[[int], tuple[int, int]]) -> list[Leniency]:
    """One Leniency per sips URI with transport=udp in ``value`` parsed from ``text``.

    ``where`` maps an offset in ``text`` to (line, column) in the message. R-3261-19.1.1-a.
    """
    uris = sips_udp_uris(value)
    if not uris:
        return []
    offsets = sips_udp_offsets(text, len(uris))
    found: list[Leniency] = []
    for uri, offset in zip(uris, offsets, strict=True):
        line, column = where(offset)
        what = f"a sips URI names transport=udp ({uri.render()})"
        found.append(Leniency(SIPS_UDP_RULE, what, line, column, _SIPS_UDP_WHY))
    return found


def warn_each(leniencies: Iterable[Leniency], source: str, stacklevel: int = 3) -> None:
    """Emit one warning per leniency (the ``strict=False`` behaviour of the older API).

    A sips URI with transport=udp gives a SipsTransportWarning, any other a LeniencyWarning.
    """
    for leniency in leniencies:
        category = SipsTransportWarning if leniency.rule == SIPS_UDP_RULE else LeniencyWarning
        warnings.warn(leniency.render(source), category, stacklevel)

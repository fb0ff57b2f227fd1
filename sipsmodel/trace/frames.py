"""What every trace reader yields: one SIP message as captured (a Frame) or a damaged record (a Problem).

A Frame carries the octets of exactly one SIP message, the two ends (address and port), and the
transport as the capture saw it (UDP, TCP, TLS, ...; ``None`` when the format does not say). The
transport is never read from Via: a Via is what the sender claims (SIPS-RULES.md section 0.1, sec(h)).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

#: Transports a capture can show; "TLS" is a TLS-protected TCP stream.
CAPTURE_TRANSPORTS = ("UDP", "TCP", "TLS", "SCTP", "TLS-SCTP", "WS", "WSS")


class Endpoint(NamedTuple):
    """One end of a transmission: an IP address (or a name when the format has none) and a port."""

    host: str
    port: int

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}" if self.port else host


@dataclass(frozen=True, slots=True)
class Frame:
    """One SIP message as captured.

    ``record`` is the 1-based position of the message in its input, ``frame`` the 1-based pcap packet
    number that completed it (``None`` for text formats), ``offset`` the byte offset of the record in
    the file when the reader knows it.
    """

    source: str
    record: int
    data: bytes
    src: Endpoint
    dst: Endpoint
    transport: str | None
    frame: int | None = None
    time: float | None = None
    offset: int | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    """A record that could not be read, or where the reader had to stop (``fatal``)."""

    source: str
    where: str
    why: str
    record: int | None = None
    frame: int | None = None
    fatal: bool = False

    def __str__(self) -> str:
        return f"{self.source}: {self.where}: {self.why}"


Item = Frame | Problem

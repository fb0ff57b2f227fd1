"""The flow on the wire: which addresses, ports and TCP connections carry each transmission.

Addressing plan (shared by the pcap, the SIPp command lines and the replay): each element has its
loopback address (``Flow.elements``); a UDP hop goes from port 5060 to port 5060; a TCP or TLS hop
travels on a connection that the first sender between two elements over that transport opens from an
ephemeral port to the other's listening port (5060 for TCP, 5061 for TLS, RFC 3261 section 18.2.1),
and every later message between them in either direction reuses it (RFC 3261 section 18.3).
"""

from __future__ import annotations

from dataclasses import dataclass

from sipsmodel.replay.flow import Flow, FlowHop, listening_port

FIRST_EPHEMERAL_PORT = 49152
#: Time of the first message of an exported flow: 2000-01-01 00:00:00 UTC (exports are reproducible).
START_TIME = 946684800.0


@dataclass(frozen=True)
class Segment:
    """One message as a capture shows it: addresses, ports, protocol, and its TCP connection."""

    hop: FlowHop
    protocol: str  # "UDP" or "TCP"
    tls: bool
    src: tuple[str, int]
    dst: tuple[str, int]
    connection: int | None  # the TCP connection's number, None for UDP
    opens: bool  # the first message of a new TCP connection (its handshake comes first)

    @property
    def payload(self) -> bytes:
        """The message octets as sent (CRLF line ends, body as written)."""
        return self.hop.message.render().encode("utf-8", errors="surrogateescape")


def wire_plan(flow: Flow) -> list[Segment]:
    """One Segment per transmission, in order."""
    connections: dict[tuple[frozenset[str], str], tuple[int, str, int]] = {}
    segments: list[Segment] = []
    for hop in flow.hops:
        src_ip, dst_ip = flow.element(hop.sender).address, flow.element(hop.receiver).address
        tls = hop.transport.startswith("TLS")
        if hop.transport == "UDP":
            port = listening_port("UDP")
            segments.append(Segment(hop, "UDP", False, (src_ip, port), (dst_ip, port), None, False))
            continue
        key = (frozenset((hop.sender, hop.receiver)), hop.transport)
        opens = key not in connections
        if opens:
            connections[key] = (len(connections), hop.sender, FIRST_EPHEMERAL_PORT + len(connections))
        number, opener, ephemeral = connections[key]
        listen = listening_port(hop.transport)
        src_port, dst_port = (ephemeral, listen) if hop.sender == opener else (listen, ephemeral)
        segments.append(Segment(hop, "TCP", tls, (src_ip, src_port), (dst_ip, dst_port), number, opens))
    return segments

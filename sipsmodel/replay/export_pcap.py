"""The flow as a pcapng capture that Wireshark opens (dpkt writer): Ethernet, IPv4, UDP or TCP.

Conventions (docs/replay.md): addresses and ports follow ``sipsmodel.replay.wire``; a TCP connection
starts with its three-way handshake and keeps its sequence numbers; a TLS hop is carried on TCP to or
from port 5061 with the SIP message in clear (as a capture decrypted with a key log shows it), and its
packet comment says ``TLS``. Every packet comment names the transmission (``F4 pb -> bob1 over TCP``)
and the violating one says so. Timestamps start at 2000-01-01 00:00:00 UTC, 10 ms apart (reproducible).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

import dpkt
from dpkt import pcapng

from sipsmodel.replay.flow import Flow
from sipsmodel.replay.wire import START_TIME, Segment, wire_plan

STEP = 0.010
SNAPLEN = 65535
SYN, ACK, PSH = dpkt.tcp.TH_SYN, dpkt.tcp.TH_ACK, dpkt.tcp.TH_PUSH
TLS_COMMENT = "TLS (sipsmodel convention: TCP port 5061, the SIP message shown decrypted)"


@dataclass
class _Tcp:
    """Next sequence number of each direction of one TCP connection."""

    next_seq: dict[tuple[str, int], int] = field(default_factory=dict)

    def seq(self, endpoint: tuple[str, int]) -> int:
        return self.next_seq.setdefault(endpoint, 1000 if not self.next_seq else 5000)


def _mac(address: str) -> bytes:
    return b"\x02\x00" + socket.inet_aton(address)


def _frame(src: tuple[str, int], dst: tuple[str, int], transport: dpkt.Packet, proto: int) -> bytes:
    ip = dpkt.ip.IP(src=socket.inet_aton(src[0]), dst=socket.inet_aton(dst[0]), p=proto, ttl=64, data=transport)
    ip.len = len(ip)  # dpkt fills the checksums when the packet is serialised
    return bytes(dpkt.ethernet.Ethernet(src=_mac(src[0]), dst=_mac(dst[0]), type=dpkt.ethernet.ETH_TYPE_IP, data=ip))


def _udp(segment: Segment) -> bytes:
    udp = dpkt.udp.UDP(sport=segment.src[1], dport=segment.dst[1], data=segment.payload)
    udp.ulen = len(udp)
    return _frame(segment.src, segment.dst, udp, dpkt.ip.IP_PROTO_UDP)


def _tcp(src: tuple[str, int], dst: tuple[str, int], seq: int, ack: int, flags: int, data: bytes = b"") -> bytes:
    tcp = dpkt.tcp.TCP(sport=src[1], dport=dst[1], seq=seq, ack=ack, flags=flags, win=65535, data=data)
    return _frame(src, dst, tcp, dpkt.ip.IP_PROTO_TCP)


def _tcp_frames(segment: Segment, state: _Tcp) -> Iterator[bytes]:
    """The handshake when the segment opens its connection, then the data segment."""
    src, dst = segment.src, segment.dst
    if segment.opens:
        client, server = state.seq(src), state.seq(dst)
        yield _tcp(src, dst, client, 0, SYN)
        yield _tcp(dst, src, server, client + 1, SYN | ACK)
        state.next_seq[src], state.next_seq[dst] = client + 1, server + 1
        yield _tcp(src, dst, client + 1, server + 1, ACK)
    payload = segment.payload
    seq, ack = state.next_seq[src], state.next_seq[dst]
    state.next_seq[src] = seq + len(payload)
    yield _tcp(src, dst, seq, ack, PSH | ACK, payload)


def comment(flow: Flow, segment: Segment) -> str:
    """``F4 pb -> bob1 over TCP`` plus the TLS mark and the violation mark."""
    hop = segment.hop
    text = f"F{hop.index + 1} {hop.sender} -> {hop.receiver} over {hop.transport}"
    if segment.tls:
        text += f"; {TLS_COMMENT}"
    if flow.violation == hop.index:
        text += f"; violation of {flow.property_id or 'the property'} under {flow.rules}"
    return text


def _block(frame: bytes, text: str, ts: float) -> pcapng.EnhancedPacketBlockLE:
    micro = round(ts * 1e6)
    opts = [pcapng.PcapngOptionLE(code=pcapng.PCAPNG_OPT_COMMENT, text=text),
            pcapng.PcapngOptionLE(code=pcapng.PCAPNG_OPT_ENDOFOPT)]
    return pcapng.EnhancedPacketBlockLE(ts_high=micro >> 32, ts_low=micro & 0xFFFFFFFF, caplen=len(frame),
                                        pkt_len=len(frame), pkt_data=frame, opts=opts)


def write_pcapng(flow: Flow, out: BinaryIO) -> int:
    """Write the flow as pcapng to ``out``; return the number of packets written."""
    header = pcapng.SectionHeaderBlockLE(opts=[
        pcapng.PcapngOptionLE(code=pcapng.PCAPNG_OPT_COMMENT, text=f"sipsmodel export: {flow.name}"),
        pcapng.PcapngOptionLE(code=pcapng.PCAPNG_OPT_ENDOFOPT)])
    interface = pcapng.InterfaceDescriptionBlockLE(snaplen=SNAPLEN, linktype=dpkt.pcap.DLT_EN10MB)
    writer = pcapng.Writer(out, snaplen=SNAPLEN, shb=header, idb=interface)
    connections: dict[int, _Tcp] = {}
    count = 0
    for number, segment in enumerate(wire_plan(flow)):
        ts = START_TIME + number * STEP
        if segment.connection is None:
            frames = [_udp(segment)]
        else:
            frames = list(_tcp_frames(segment, connections.setdefault(segment.connection, _Tcp())))
        for k, frame in enumerate(frames):
            text = comment(flow, segment) if k == len(frames) - 1 else f"TCP handshake before F{segment.hop.index + 1}"
            writer.writepkt(_block(frame, text, ts + k * STEP / 10), ts=ts + k * STEP / 10)
            count += 1
    return count

"""pcap and pcapng captures read with dpkt: SIP in UDP datagrams and in reassembled TCP streams.

UDP: one datagram is one message (RFC 3261 section 18.3). TCP: each direction of a connection is
reassembled in sequence order and framed by Content-Length (``framing.split_stream``); a stream whose
first octets are a TLS record is TLS, and its content is left to ``tls.py`` (a key log and tshark).
Kamailio's sipdump pcap (mode 4) writes every message as UDP whatever the real transport; with mode 8
each message carries ``P-KSR-SIPDump: <proto> pid=.. pno=..`` after its start line, which gives the
real transport; that header is removed before the message is parsed (it is the dump's, not the wire's).

The reader streams packets; it keeps only the open TCP connections. A packet that dpkt cannot decode
is a Problem for that frame; a damaged or truncated file ends the reading with a fatal Problem that
says at which frame and byte offset it stopped.
"""

from __future__ import annotations

import re
import socket
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

import dpkt

from sipsmodel.trace.frames import Endpoint, Frame, Item, Problem
from sipsmodel.trace.framing import FramingError, split_stream
from sipsmodel.trace.tls import TlsMessage

PCAP_MAGICS = (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
PCAPNG_MAGIC = b"\x0a\x0d\x0d\x0a"
_KSR = re.compile(rb"\r\nP-KSR-SIPDump:[ \t]*([A-Za-z]+)[^\r\n]*")
_KSR_PROTOS = {b"udp": "UDP", b"tcp": "TCP", b"tls": "TLS", b"sctp": "SCTP", b"ws": "WS", b"wss": "WSS"}
_SIP_START = re.compile(rb"^(?:SIP/2\.0 \d{3} |[A-Za-z!%*_+`'~.-]+ \S+ SIP/2\.0\r?\n)")
_TLS_RECORD = re.compile(rb"^[\x14-\x17]\x03[\x00-\x04]")


def looks_like_pcap(head: bytes) -> bool:
    """The file starts with a pcap or pcapng magic number."""
    return head[:4] in PCAP_MAGICS or head[:4] == PCAPNG_MAGIC


@dataclass
class _Flow:
    """One direction of a TCP connection being reassembled."""

    next_seq: int | None = None
    pending: dict[int, bytes] = field(default_factory=dict)
    buffer: bytearray = field(default_factory=bytearray)
    tls: bool = False
    reported: bool = False


class _Watched:
    """A file whose short reads are noticed: dpkt yields a truncated last record without a word."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self.name = getattr(stream, "name", "<capture>")
        self.position = 0
        self.short = False
        self.short_at = 0

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        if 0 < len(data) < size and not self.short:
            self.short, self.short_at = True, self.position
        self.position += len(data)
        return data

    def tell(self) -> int:
        return self.position


@dataclass
class PcapReader:
    """Reads one capture file; ``tls_flows`` lists the TLS connections it could not read itself."""

    source: str
    record: int = 0
    tls_flows: list[tuple[Endpoint, Endpoint]] = field(default_factory=list)
    _flows: dict[tuple[Endpoint, Endpoint], _Flow] = field(default_factory=dict)
    decrypted: dict[int, list[TlsMessage]] = field(default_factory=dict)

    def read(self, stream: BinaryIO) -> Iterator[Item]:
        """Every SIP message of the capture, with a Problem per damaged packet or at a damaged end."""
        watched = _Watched(stream)
        try:
            magic = stream.read(4)
            stream.seek(0)
            reader: Any = dpkt.pcapng.Reader(watched) if magic == PCAPNG_MAGIC else dpkt.pcap.Reader(watched)
        except (ValueError, dpkt.dpkt.Error, struct.error) as exc:
            yield Problem(self.source, "file header", f"not a readable pcap or pcapng file ({exc})", fatal=True)
            return
        number = 0
        try:
            for number, (time, buf) in enumerate(reader, start=1):
                if watched.short:
                    yield Problem(self.source, f"frame {number} (byte {watched.short_at})", "the file ends inside "
                                  "this frame; reading stopped", frame=number, fatal=True)
                    break
                yield from self._packet(reader.datalink(), number, float(time), buf)
                yield from self._tls_messages(self.decrypted.pop(number, []))
        except (ValueError, dpkt.dpkt.Error, EOFError, struct.error) as exc:
            yield Problem(self.source, f"after frame {number} (byte {watched.position})",
                          f"the capture is damaged or truncated here; reading stopped ({exc})", frame=number,
                          fatal=True)
        yield from self._tls_messages([m for frame in sorted(self.decrypted) for m in self.decrypted[frame]])
        yield from self._leftovers()

    def _tls_messages(self, messages: list[TlsMessage]) -> Iterator[Item]:
        for message in messages:
            self.record += 1
            yield Frame(self.source, self.record, message.data, message.src, message.dst, "TLS",
                        message.frame or None, message.time)

    def _packet(self, datalink: int, number: int, time: float, buf: bytes) -> Iterator[Item]:
        try:
            ip = _ip_layer(datalink, buf)
        except (dpkt.dpkt.Error, ValueError, IndexError) as exc:
            yield Problem(self.source, f"frame {number}", f"undecodable packet ({exc})", frame=number)
            return
        if ip is None:
            return
        declared = ip.len - ip.hl * 4 if isinstance(ip, dpkt.ip.IP) else ip.plen
        if declared > len(ip.data):
            yield Problem(self.source, f"frame {number}", f"truncated packet: {len(ip.data)} of {declared} "
                          "payload octets captured (the capture's snap length)", frame=number)
            return
        src, dst = _address(ip, "src"), _address(ip, "dst")
        payload = ip.data
        if isinstance(payload, dpkt.udp.UDP):
            yield from self._datagram(number, time, Endpoint(src, payload.sport), Endpoint(dst, payload.dport),
                                      bytes(payload.data))
        elif isinstance(payload, dpkt.tcp.TCP):
            yield from self._segment(number, time, Endpoint(src, payload.sport), Endpoint(dst, payload.dport),
                                     payload)

    def _datagram(self, number: int, time: float, src: Endpoint, dst: Endpoint, data: bytes) -> Iterator[Item]:
        if not _SIP_START.match(data):
            return
        transport = "UDP"
        match = _KSR.search(data.split(b"\r\n\r\n", 1)[0])
        if match is not None:
            transport = _KSR_PROTOS.get(match.group(1).lower(), "UDP")
            data = data[: match.start()] + data[match.end():]
        self.record += 1
        yield Frame(self.source, self.record, data, src, dst, transport, number, time)

    def _segment(self, number: int, time: float, src: Endpoint, dst: Endpoint, tcp: Any) -> Iterator[Item]:
        key = (src, dst)
        flow = self._flows.setdefault(key, _Flow())
        if tcp.flags & dpkt.tcp.TH_SYN:
            flow.next_seq = (tcp.seq + 1) & 0xFFFFFFFF
        data = bytes(tcp.data)
        if data:
            if flow.next_seq is None:  # capture started mid-connection
                flow.next_seq = tcp.seq
            flow.pending[tcp.seq] = data
            while flow.next_seq in flow.pending:
                chunk = flow.pending.pop(flow.next_seq)
                flow.next_seq = (flow.next_seq + len(chunk)) & 0xFFFFFFFF
                flow.buffer += chunk
            yield from self._drain(flow, key, number, time)
        if tcp.flags & (dpkt.tcp.TH_FIN | dpkt.tcp.TH_RST):
            self._flows.pop(key, None)

    def _drain(self, flow: _Flow, key: tuple[Endpoint, Endpoint], number: int, time: float) -> Iterator[Item]:
        if not flow.tls and _TLS_RECORD.match(bytes(flow.buffer[:3])):
            flow.tls = True
        if flow.tls:
            flow.buffer.clear()
            if not flow.reported:
                flow.reported = True
                self.tls_flows.append(key)
            return
        while True:
            try:
                message = split_stream(flow.buffer)
            except FramingError as exc:
                flow.buffer.clear()
                yield Problem(self.source, f"frame {number}", f"TCP stream {key[0]} -> {key[1]}: {exc}", frame=number)
                return
            if message is None:
                return
            self.record += 1
            yield Frame(self.source, self.record, message, key[0], key[1], "TCP", number, time)

    def _leftovers(self) -> Iterator[Item]:
        for (src, dst), flow in self._flows.items():
            if flow.buffer.strip(b"\r\n") and not flow.tls:
                yield Problem(self.source, f"TCP stream {src} -> {dst}",
                              f"{len(flow.buffer)} octets at the end of the capture do not complete a SIP message")
        self._flows.clear()


def _ip_layer(datalink: int, buf: bytes) -> Any:
    """The IP (v4 or v6) packet inside one link-layer frame, or None for anything else."""
    if datalink == dpkt.pcap.DLT_EN10MB:
        packet: Any = dpkt.ethernet.Ethernet(buf).data
    elif datalink == dpkt.pcap.DLT_LINUX_SLL:
        packet = dpkt.sll.SLL(buf).data
    elif datalink == getattr(dpkt.pcap, "DLT_LINUX_SLL2", 276):
        packet = dpkt.sll2.SLL2(buf).data
    elif datalink in (dpkt.pcap.DLT_NULL, dpkt.pcap.DLT_LOOP):
        packet = dpkt.loopback.Loopback(buf).data
    elif datalink in (dpkt.pcap.DLT_RAW, 101, 228, 229):
        packet = dpkt.ip.IP(buf) if buf[:1] and buf[0] >> 4 == 4 else dpkt.ip6.IP6(buf)
    else:
        raise ValueError(f"link type {datalink} is not read (Ethernet, Linux SLL/SLL2, loopback and raw IP are)")
    return packet if isinstance(packet, dpkt.ip.IP | dpkt.ip6.IP6) else None


def _address(ip: Any, side: str) -> str:
    raw = getattr(ip, side)
    return socket.inet_ntop(socket.AF_INET if isinstance(ip, dpkt.ip.IP) else socket.AF_INET6, raw)

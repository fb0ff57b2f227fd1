"""Small hand-made traces for the reader and record tests: one proxy (P) between alice (A) and bob (B).

The call is what a stock registrar-proxy does with a sips request to a UDP-registered sip Contact:
bob registers over UDP, alice sends INVITE sips:bob over TLS, P retargets to bob's sip Contact over UDP.
"""

from __future__ import annotations

import struct

import dpkt

A, P_TLS, P_UDP, B = ("10.0.0.1", 40000), ("10.0.0.2", 5061), ("10.0.0.2", 5060), ("10.0.0.3", 5070)


def msg(*lines: str, body: str = "") -> bytes:
    return ("\r\n".join([*lines, f"Content-Length: {len(body.encode())}", "", body])).encode()


REGISTER = msg(
    "REGISTER sip:example.test SIP/2.0", "Via: SIP/2.0/UDP 10.0.0.3:5070;branch=z9hG4bKreg1", "Max-Forwards: 70",
    "To: <sip:bob@example.test>", "From: <sip:bob@example.test>;tag=r1", "Call-ID: reg-1", "CSeq: 1 REGISTER",
    "Contact: <sip:bob@10.0.0.3:5070>", "Expires: 300",
)  # fmt: skip
REGISTER_OK = msg(
    "SIP/2.0 200 OK", "Via: SIP/2.0/UDP 10.0.0.3:5070;branch=z9hG4bKreg1", "To: <sip:bob@example.test>;tag=p1",
    "From: <sip:bob@example.test>;tag=r1", "Call-ID: reg-1", "CSeq: 1 REGISTER", "Contact: <sip:bob@10.0.0.3:5070>",
)  # fmt: skip
_VIA_A = "Via: SIP/2.0/TLS 10.0.0.1:40000;branch=z9hG4bKa1"
_VIA_P = "Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bKp1"
_DIALOG = ("To: <sips:bob@example.test>", "From: <sips:alice@example.test>;tag=a1", "Call-ID: call-1")
INVITE_IN = msg("INVITE sips:bob@example.test SIP/2.0", _VIA_A, "Max-Forwards: 70", *_DIALOG, "CSeq: 1 INVITE",
                "Contact: <sips:alice@10.0.0.1:40000>")
INVITE_OUT = msg("INVITE sip:bob@10.0.0.3:5070 SIP/2.0", _VIA_P, _VIA_A, "Max-Forwards: 69", *_DIALOG,
                 "CSeq: 1 INVITE", "Contact: <sips:alice@10.0.0.1:40000>")
_TO_TAGGED = ("To: <sips:bob@example.test>;tag=b1", *_DIALOG[1:])
OK_OUT = msg("SIP/2.0 200 OK", _VIA_P, _VIA_A, *_TO_TAGGED, "CSeq: 1 INVITE", "Contact: <sips:bob@10.0.0.3:5070>")
OK_IN = msg("SIP/2.0 200 OK", _VIA_A, *_TO_TAGGED, "CSeq: 1 INVITE", "Contact: <sips:bob@10.0.0.3:5070>")

#: (message, src, dst, transport) in wire order, as the proxy sees them.
CALL = (
    (REGISTER, B, P_UDP, "udp"), (REGISTER_OK, P_UDP, B, "udp"), (INVITE_IN, A, P_TLS, "tls"),
    (INVITE_OUT, P_UDP, B, "udp"), (OK_OUT, B, P_UDP, "udp"), (OK_IN, P_TLS, A, "tls"),
)  # fmt: skip
#: The record of the downgraded INVITE (1-based).
DOWNGRADE_RECORD = 4


def sipdump_record(data: bytes, src: tuple[str, int], dst: tuple[str, int], proto: str, tag: str = "rcv",
                   time: float = 1700000000.0) -> bytes:  # fmt: skip
    head = (f"====================\ntag: {tag}\npid: 1\nprocess: 1\ntime: {time:.6f}\ndate: Tue Nov 14 22:13:20 2023\n"
            f"proto: {proto} ipv4\nsrcip: {src[0]}\nsrcport: {src[1]}\ndstip: {dst[0]}\ndstport: {dst[1]}\n"
            "~~~~~~~~~~~~~~~~~~~~\n")
    return head.encode() + data + b"||||||||||||||||||||\n"


def sipdump(records: tuple[tuple[bytes, tuple[str, int], tuple[str, int], str], ...] = CALL) -> bytes:
    return b"".join(sipdump_record(m, s, d, p, time=1700000000.0 + n) for n, (m, s, d, p) in enumerate(records))


def _ip(src: tuple[str, int], dst: tuple[str, int], layer: dpkt.Packet, proto: int) -> bytes:
    import socket

    ip = dpkt.ip.IP(src=socket.inet_aton(src[0]), dst=socket.inet_aton(dst[0]), p=proto, data=layer)
    ip.len = len(ip)
    eth = dpkt.ethernet.Ethernet(src=b"\x00" * 6, dst=b"\x00" * 6, type=dpkt.ethernet.ETH_TYPE_IP, data=ip)
    return bytes(eth)


def udp_packet(data: bytes, src: tuple[str, int], dst: tuple[str, int]) -> bytes:
    udp = dpkt.udp.UDP(sport=src[1], dport=dst[1], data=data)
    udp.ulen = len(udp)
    return _ip(src, dst, udp, dpkt.ip.IP_PROTO_UDP)


def tcp_packet(data: bytes, src: tuple[str, int], dst: tuple[str, int], seq: int, flags: int = 0x18) -> bytes:
    tcp = dpkt.tcp.TCP(sport=src[1], dport=dst[1], seq=seq, flags=flags, data=data)
    return _ip(src, dst, tcp, dpkt.ip.IP_PROTO_TCP)


def pcap(packets: list[bytes], ng: bool = False) -> bytes:
    import io

    out = io.BytesIO()
    writer = dpkt.pcapng.Writer(out) if ng else dpkt.pcap.Writer(out)
    for n, packet in enumerate(packets):
        writer.writepkt(packet, ts=1700000000.0 + n)
    return out.getvalue()


def pcap_header_length() -> int:
    return len(struct.pack("IHHiIII", 0, 0, 0, 0, 0, 0, 0))

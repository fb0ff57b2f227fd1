"""The exported pcapng: every message on the right addresses, ports and protocol, TLS hops marked, Wireshark
(tshark) reads it as SIP (issue 12, item 1)."""

from __future__ import annotations

import io
import socket
import subprocess
from pathlib import Path

import dpkt
import pytest
from dpkt import pcapng

from sipsmodel.replay import load_flow
from sipsmodel.replay.export_pcap import write_pcapng
from sipsmodel.syntax import parse_message

pytestmark = pytest.mark.slow  # a real check run for its counterexamples


def _packets(data: bytes) -> list[tuple[dpkt.ip.IP, str]]:
    """(IP packet, packet comment) for every packet of a pcapng file, read with dpkt's own block parser."""
    packets = []
    buf = data
    while buf:
        kind = int.from_bytes(buf[:4], "little")
        length = int.from_bytes(buf[4:8], "little")
        block, buf = buf[:length], buf[length:]
        if kind == pcapng.PCAPNG_BT_EPB:
            epb = pcapng.EnhancedPacketBlockLE(block)
            comments = [o.text for o in epb.opts if o.code == pcapng.PCAPNG_OPT_COMMENT]
            packets.append((dpkt.ethernet.Ethernet(epb.pkt_data).data, comments[0]))
    return packets


def test_every_message_is_one_packet_on_its_hop(check_files: dict[str, Path]) -> None:
    flow = load_flow(check_files["I-2"])
    out = io.BytesIO()
    count = write_pcapng(flow, out)
    packets = _packets(out.getvalue())
    assert len(packets) == count
    carrying = [(ip, note) for ip, note in packets if len(ip.data.data)]
    assert len(carrying) == len(flow.hops)
    for hop, (ip, note) in zip(flow.hops, carrying, strict=True):
        assert parse_message(bytes(ip.data.data)) == hop.message
        assert socket.inet_ntoa(ip.src) == flow.element(hop.sender).address
        assert socket.inet_ntoa(ip.dst) == flow.element(hop.receiver).address
        assert note.startswith(f"F{hop.index + 1} {hop.sender} -> {hop.receiver} over {hop.transport}")
        if hop.transport == "UDP":
            assert isinstance(ip.data, dpkt.udp.UDP) and ip.data.sport == ip.data.dport == 5060
        else:
            assert isinstance(ip.data, dpkt.tcp.TCP)
            assert (5061 if hop.transport == "TLS" else 5060) in (ip.data.sport, ip.data.dport)
        assert ("TLS (sipsmodel convention" in note) == (hop.transport == "TLS")
        assert ("violation of I-2 under rfc3261" in note) == (hop.index == flow.violation)


def test_tcp_connections_open_once_and_keep_their_sequence_numbers(simulated_files: dict[str, Path]) -> None:
    flow = load_flow(simulated_files["draft-04-rr1"])
    out = io.BytesIO()
    write_pcapng(flow, out)
    tcp = [ip.data for ip, _ in _packets(out.getvalue()) if isinstance(ip.data, dpkt.tcp.TCP)]
    syns = [t for t in tcp if t.flags & dpkt.tcp.TH_SYN and not t.flags & dpkt.tcp.TH_ACK]
    assert len(syns) == len({(t.sport, t.dport) for t in syns}) == 2  # a-p over TLS, p-b over TCP
    expected: dict[tuple[int, int], int] = {}
    for segment in tcp:
        key = (segment.sport, segment.dport)
        if key in expected:
            assert segment.seq == expected[key]
        step = 1 if segment.flags & dpkt.tcp.TH_SYN else len(segment.data)
        expected[key] = segment.seq + step


def test_tshark_reads_the_capture_as_sip(check_files: dict[str, Path], tmp_path: Path) -> None:
    flow = load_flow(check_files["I-1"])
    path = tmp_path / "i1.pcapng"
    with path.open("wb") as out:
        write_pcapng(flow, out)
    shown = subprocess.run(
        ["tshark", "-r", str(path), "-d", "tcp.port==5061,sip", "-T", "fields",
         "-e", "sip.CSeq", "-e", "frame.comment"],
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout
    rows = [line.split("\t") for line in shown.splitlines() if line.split("\t")[0]]
    assert [row[0] for row in rows] == [str(h.message.cseq().render()) for h in flow.hops if h.message.cseq()]
    assert sum("TLS (sipsmodel convention" in row[1] for row in rows) == sum(h.transport == "TLS" for h in flow.hops)


def test_sipsmodels_trace_reader_reads_the_same_flow_back(check_files: dict[str, Path],
                                                          simulated_files: dict[str, Path]) -> None:
    """Round trip through sipsmodel's own pcap reader: the same messages between the same endpoints, in order.

    The reader takes the transport from the capture: UDP and TCP hops come back as such; a TLS hop, carried in
    clear on TCP port 5061 by the export's convention, comes back as TCP on port 5061 (nothing in a plaintext
    TCP packet says TLS; the reader honours only real TLS records, decrypted with a key log)."""
    from sipsmodel.trace.pcap import PcapReader

    for path in (check_files["I-1"], check_files["I-2"], simulated_files["draft-04-rr2"]):
        flow = load_flow(path)
        out = io.BytesIO()
        write_pcapng(flow, out)
        out.seek(0)
        frames = list(PcapReader(str(path)).read(out))
        assert len(frames) == len(flow.hops)
        for hop, frame in zip(flow.hops, frames, strict=True):
            assert parse_message(frame.data) == hop.message
            assert (frame.src.host, frame.dst.host) == (flow.element(hop.sender).address,
                                                        flow.element(hop.receiver).address)
            assert frame.transport == ("TCP" if hop.transport == "TLS" else hop.transport)
            if hop.transport == "TLS":
                assert 5061 in (frame.src.port, frame.dst.port)

"""The flow as a Kamailio sipdump text file: each message with its hop's transport, TLS included.

The sipdump text format (Kamailio's sipdump module, mode 1) records each message with its protocol,
addresses and ports, so that ``sipsmodel trace`` reads a TLS hop as TLS; it is also the format of the
replay's recording. Addresses and ports follow ``sipsmodel.replay.wire``; times start at
``START_TIME``, one second apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sipsmodel.replay.flow import Flow
from sipsmodel.replay.wire import START_TIME, wire_plan

#: One record: source and destination (address, port), transport, the message octets, the time.
Record = tuple[tuple[str, int], tuple[str, int], str, bytes, float]


def write_flow_sipdump(flow: Flow, path: Path) -> None:
    """The flow as a sipdump text file, each hop with its model transport."""
    records = [(s.src, s.dst, s.hop.transport, s.payload, START_TIME + n) for n, s in enumerate(wire_plan(flow))]
    write_records(records, path)


def write_records(records: Sequence[Record], path: Path) -> None:
    """Records in sipdump text format (``sipsmodel.trace.sipdump`` reads them)."""
    with path.open("wb") as out:
        for src, dst, transport, data, when in records:
            family = "ipv6" if ":" in src[0] else "ipv4"
            head = (f"====================\ntag: rcv\npid: 0\nprocess: 0\ntime: {when:.6f}\ndate: -\n"
                    f"proto: {transport.lower()} {family}\nsrcip: {src[0]}\nsrcport: {src[1]}\n"
                    f"dstip: {dst[0]}\ndstport: {dst[1]}\n~~~~~~~~~~~~~~~~~~~~\n")
            out.write(head.encode("ascii") + data + b"||||||||||||||||||||\n")

"""Kamailio sipdump text files (the sipdump module, mode 1: ``<prefix><date>.data``).

Each record is a block::

    ====================
    tag: rcv|snd
    pid: ...   process: ...   time: SECONDS.MICROS   date: ...
    proto: udp|tcp|tls|sctp|ws|wss ipv4|ipv6
    srcip: ...  srcport: ...  dstip: ...  dstport: ...
    ~~~~~~~~~~~~~~~~~~~~
    <the SIP message exactly as received or sent>
    ||||||||||||||||||||

The reader streams: it reads the file in blocks and holds one record at a time. A record whose
metadata cannot be read becomes a Problem naming its record number and byte offset, and reading goes
on at the next ``=====`` line. The writer puts ``||||`` right after the message's last octet, so the
message is everything between the ``~~~~`` line and the last ``||||`` line of the record.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from sipsmodel.trace.frames import Endpoint, Frame, Item, Problem

START = b"===================="
START_LINE, BODY_LINE, END_LINE = START + b"\n", b"~" * 20 + b"\n", b"|" * 20 + b"\n"
_BLOCK = 1 << 20
_PROTOS = {b"udp": "UDP", b"tcp": "TCP", b"tls": "TLS", b"sctp": "SCTP", b"ws": "WS", b"wss": "WSS"}
_FIELDS = ("tag", "proto", "srcip", "srcport", "dstip", "dstport")


def looks_like_sipdump(head: bytes) -> bool:
    """The file's first octets hold a sipdump record start (``====`` line, then ``tag:``)."""
    return START_LINE + b"tag:" in head


def read_sipdump(stream: BinaryIO, source: str) -> Iterator[Item]:
    """Every record of a sipdump text file, in order (read in blocks; one record held at a time)."""
    buffer, base, record, leading = b"", 0, 0, True
    while True:
        chunk = stream.read(_BLOCK)
        buffer += chunk
        start = buffer.find(START_LINE)
        if leading and (start >= 0 or not chunk):
            leading = False
            junk = buffer[:start] if start >= 0 else buffer
            if junk.strip():
                yield Problem(source, f"byte {base}", f"{len(junk)} octets before the first sipdump record are not "
                              "a record")
        if start < 0:
            base, buffer = base + max(0, len(buffer) - len(START_LINE)), buffer[-len(START_LINE):]
            if not chunk:
                return
            continue
        while True:
            following = buffer.find(START_LINE, start + len(START_LINE))
            if following < 0:
                break
            record += 1
            yield _block(buffer[start:following], source, record, base + start, final=False)
            start = following
        if not chunk:
            record += 1
            yield _block(buffer[start:], source, record, base + start, final=True)
            return
        base, buffer = base + start, buffer[start:]


def _block(block: bytes, source: str, record: int, offset: int, final: bool) -> Item:
    """One record: ``====`` line, metadata, ``~~~~`` line, the message, ``||||`` line."""
    where = f"record {record} (byte {offset})"
    head, separator, rest = block.partition(BODY_LINE)
    end = rest.rfind(END_LINE)
    if not separator or end < 0:
        why = "the file ends inside this record" if final else "record not closed by a '||||' line"
        return Problem(source, where, why, record=record, fatal=final)
    meta: dict[str, bytes] = {}
    for line in head.split(b"\n")[1:]:
        key, _, value = line.partition(b":")
        meta[key.strip().decode("ascii", "replace")] = value.strip()
    return _record(meta, rest[:end], source, record, offset)


def _record(meta: dict[str, bytes], data: bytes, source: str, record: int, offset: int) -> Item:
    where = f"record {record} (byte {offset})"
    missing = [f for f in _FIELDS if f not in meta]
    if missing:
        return Problem(source, where, f"sipdump metadata without {', '.join(missing)}", record=record)
    proto = meta["proto"].split()[0].lower() if meta["proto"].split() else b""
    transport = _PROTOS.get(proto)
    if transport is None:
        return Problem(source, where, f"unknown sipdump proto {meta['proto']!r}; expected udp, tcp, tls, sctp, ws "
                       "or wss", record=record)
    try:
        src = Endpoint(meta["srcip"].decode("ascii"), int(meta["srcport"]))
        dst = Endpoint(meta["dstip"].decode("ascii"), int(meta["dstport"]))
        time = float(meta["time"]) if "time" in meta else None
    except (UnicodeDecodeError, ValueError) as exc:
        return Problem(source, where, f"unreadable sipdump address, port or time ({exc})", record=record)
    return Frame(source, record, data, src, dst, transport, None, time, offset)

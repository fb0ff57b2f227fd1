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

The reader streams: it holds one record at a time. A block whose metadata cannot be read becomes a
Problem naming its record number and byte offset, and reading goes on at the next ``=====`` line.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from sipsmodel.trace.frames import Endpoint, Frame, Item, Problem

START = b"===================="
BODY = b"~~~~~~~~~~~~~~~~~~~~"
END = b"||||||||||||||||||||"
_PROTOS = {b"udp": "UDP", b"tcp": "TCP", b"tls": "TLS", b"sctp": "SCTP", b"ws": "WS", b"wss": "WSS"}
_FIELDS = ("tag", "proto", "srcip", "srcport", "dstip", "dstport")


def looks_like_sipdump(head: bytes) -> bool:
    """The file starts with a sipdump record separator."""
    return head.lstrip(b"\r\n").startswith(START)


def read_sipdump(stream: BinaryIO, source: str) -> Iterator[Item]:
    """Every record of a sipdump text file, in order."""
    record, offset, position = 0, 0, 0
    meta: dict[str, bytes] | None = None
    body: list[bytes] | None = None
    for line in stream:
        start, position = position, position + len(line)
        bare = line.rstrip(b"\r\n")
        if bare == START:
            if meta is not None:
                record += 1
                yield Problem(source, f"record {record} (byte {offset})", "record not closed by a '||||' line",
                              record=record)
            meta, body, offset = {}, None, start
        elif meta is None:
            continue
        elif body is None:
            if bare == BODY:
                body = []
            else:
                key, _, value = bare.partition(b":")
                meta[key.strip().decode("ascii", "replace")] = value.strip()
        elif bare.endswith(END):  # the writer puts the marker right after the message's last octet
            body.append(bare[: -len(END)])
            record += 1
            yield _record(meta, b"".join(body), source, record, offset)
            meta, body = None, None
        else:
            body.append(line)
    if meta is not None:
        record += 1
        yield Problem(source, f"record {record} (byte {offset})", "the file ends inside this record",
                      record=record, fatal=True)


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

"""SIP inside TLS connections of a capture, decrypted by tshark with a key log (NSS SSLKEYLOGFILE format).

tshark is an optional external tool (Debian package ``tshark``). Two runs: one finds the ports TLS
clients connected to (Client Hello), one decodes those ports as SIP over TLS with the key log and
prints every SIP message it reassembled (framed by Content-Length) as raw octets with its frame, so
messages keep their frame numbers and their place among the other packets. The decrypted messages of
the capture are held in memory.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sipsmodel.trace.frames import Endpoint

TSHARK_HINT = "install tshark (Debian: apt-get install tshark) to decrypt TLS with a key log"
_TIMEOUT = 300


class TlsUnavailable(Exception):
    """TLS cannot be decrypted: no tshark, or tshark failed (the message says which)."""


@dataclass(frozen=True)
class TlsMessage:
    """One decrypted SIP message: the frame that completed it and its two ends."""

    frame: int
    time: float
    src: Endpoint
    dst: Endpoint
    data: bytes


def tshark_path() -> str | None:
    """Where tshark is, or None when it is not installed."""
    return shutil.which("tshark")


def _run(args: list[str]) -> str:
    tshark = tshark_path()
    if tshark is None:
        raise TlsUnavailable(f"tshark is not installed; {TSHARK_HINT}")
    done = subprocess.run([tshark, *args], capture_output=True, text=True, timeout=_TIMEOUT, check=False)
    if done.returncode != 0:
        raise TlsUnavailable(f"tshark failed ({done.returncode}): {done.stderr.strip()[:500]}")
    return done.stdout


def _server_ports(capture: str) -> list[int]:
    """The TCP ports TLS clients connected to (their Client Hello), so tshark reads SIP inside them."""
    out = _run(["-r", capture, "-Y", "tls.handshake.type == 1", "-T", "fields", "-e", "tcp.dstport"])
    return sorted({int(p) for p in out.split() if p.isdigit()})


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """JSON object hook keeping repeated keys (tshark repeats ``sip_raw`` for each message of a frame)."""
    merged: dict[str, Any] = {}
    for key, value in pairs:
        merged.setdefault(key, []).append(value)
    return merged


def _first(layer: dict[str, Any], *keys: str) -> str:
    for key in keys:
        if key in layer:
            value = layer[key][0]
            return str(value[0] if isinstance(value, list) else value)
    return ""


def _messages(frame: dict[str, Any]) -> Iterator[TlsMessage]:
    layers = frame["_source"][0]["layers"][0]
    meta = layers["frame"][0]
    ip = (layers.get("ip") or layers.get("ipv6") or [{}])[0]
    tcp = layers["tcp"][0]
    number, time = int(_first(meta, "frame.number")), float(_first(meta, "frame.time_epoch"))
    src = Endpoint(_first(ip, "ip.src", "ipv6.src"), int(_first(tcp, "tcp.srcport")))
    dst = Endpoint(_first(ip, "ip.dst", "ipv6.dst"), int(_first(tcp, "tcp.dstport")))
    for raw in layers.get("sip_raw", []):
        yield TlsMessage(number, time, src, dst, bytes.fromhex(raw[0]))


def decrypt(capture: str, keylog: str) -> tuple[dict[int, list[TlsMessage]], list[str]]:
    """Decrypted SIP messages by frame number, and the problems met."""
    args = ["-r", capture, "-o", f"tls.keylog_file:{keylog}"]
    for port in _server_ports(capture):
        args += ["-d", f"tls.port=={port},sip"]
    out = _run([*args, "-Y", "tls and sip", "-T", "json", "-x"])
    by_frame: dict[int, list[TlsMessage]] = defaultdict(list)
    problems: list[str] = []
    try:
        frames = json.loads(out or "[]", object_pairs_hook=_pairs)
    except json.JSONDecodeError as exc:
        return {}, [f"tshark output is not JSON ({exc})"]
    for frame in frames:
        try:
            for message in _messages(frame):
                by_frame[message.frame].append(message)
        except (KeyError, IndexError, ValueError) as exc:
            problems.append(f"a decrypted frame tshark described without {exc}")
    return by_frame, problems

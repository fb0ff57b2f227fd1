"""SIP inside TLS connections of a capture, decrypted by tshark with a key log (NSS SSLKEYLOGFILE format).

tshark is an optional external tool (Debian package ``tshark``). Two runs: one lists the frames that
complete SIP messages in each TLS stream (so messages keep their frame numbers and their place among
the other packets), one follows every TLS stream as raw decrypted octets, which are framed by
Content-Length. The decrypted messages of the capture are held in memory (streams are short).
"""

from __future__ import annotations

import shutil
import subprocess
from collections import defaultdict
from dataclasses import dataclass

from sipsmodel.trace.frames import Endpoint
from sipsmodel.trace.framing import FramingError, split_stream

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


def _endpoint(text: str) -> Endpoint:
    host, _, port = text.strip().rpartition(":")
    return Endpoint(host.strip("[]"), int(port))


def _pdu_frames(capture: str, keylog: str) -> dict[tuple[Endpoint, Endpoint], list[tuple[int, float]]]:
    """Per direction of each TLS stream, the frames that complete SIP messages, one entry per message."""
    fields = ["frame.number", "frame.time_epoch", "ip.src", "ipv6.src", "tcp.srcport", "ip.dst", "ipv6.dst",
              "tcp.dstport", "sip.Call-ID"]  # fmt: skip
    out = _run(["-r", capture, "-o", f"tls.keylog_file:{keylog}", "-Y", "tls and sip", "-T", "fields",
                "-E", "occurrence=a", "-E", "aggregator=\x1f", *sum((["-e", f] for f in fields), [])])
    frames: dict[tuple[Endpoint, Endpoint], list[tuple[int, float]]] = defaultdict(list)
    for line in out.splitlines():
        cells = line.split("\t")
        if len(cells) != len(fields) or not cells[8]:
            continue
        src = Endpoint(cells[2] or cells[3], int(cells[4]))
        dst = Endpoint(cells[5] or cells[6], int(cells[7]))
        for _ in cells[8].split("\x1f"):
            frames[(src, dst)].append((int(cells[0]), float(cells[1])))
    return frames


def _followed(capture: str, keylog: str, streams: int) -> dict[tuple[Endpoint, Endpoint], bytearray]:
    """The decrypted octets of each direction of TLS streams 0..streams-1."""
    args = ["-r", capture, "-o", f"tls.keylog_file:{keylog}", "-q"]
    for number in range(streams):
        args += ["-z", f"follow,tls,raw,{number}"]
    data: dict[tuple[Endpoint, Endpoint], bytearray] = defaultdict(bytearray)
    nodes: list[Endpoint] = []
    for line in _run(args).splitlines():
        if line.startswith("Node 0:") or line.startswith("Node 1:"):
            nodes.append(_endpoint(line.split(":", 1)[1]))
            nodes = nodes[-2:]
        elif line.startswith("====") or line.startswith("Follow:") or line.startswith("Filter:"):
            if line.startswith("Filter:"):
                nodes = []
        elif len(nodes) == 2 and line.strip():
            toward = line.startswith("\t")
            src, dst = (nodes[1], nodes[0]) if toward else (nodes[0], nodes[1])
            data[(src, dst)] += bytes.fromhex(line.strip())
    return data


def _stream_count(capture: str) -> int:
    out = _run(["-r", capture, "-Y", "tls", "-T", "fields", "-e", "tcp.stream"])
    numbers = [int(n) for n in out.split() if n.isdigit()]
    return max(numbers) + 1 if numbers else 0


def decrypt(capture: str, keylog: str) -> tuple[dict[int, list[TlsMessage]], list[str]]:
    """Decrypted SIP messages by frame number, and the problems met (undecryptable or unframed octets)."""
    frames = _pdu_frames(capture, keylog)
    streams = _followed(capture, keylog, _stream_count(capture))
    by_frame: dict[int, list[TlsMessage]] = defaultdict(list)
    problems: list[str] = []
    for (src, dst), octets in streams.items():
        slots = frames.get((src, dst), [])
        count = 0
        while True:
            try:
                message = split_stream(octets)
            except FramingError as exc:
                problems.append(f"TLS stream {src} -> {dst}: {exc}")
                break
            if message is None:
                break
            frame, time = slots[count] if count < len(slots) else (slots[-1] if slots else (0, 0.0))
            by_frame[frame].append(TlsMessage(frame, time, src, dst, message))
            count += 1
        if octets.strip(b"\r\n"):
            problems.append(f"TLS stream {src} -> {dst}: {len(octets)} decrypted octets do not complete a message")
    return by_frame, problems

"""Opening trace files: the format from the first octets, the reader, and parsing each message.

Formats: Kamailio sipdump text (``sipdump``), pcap and pcapng including Kamailio's sipdump pcap
(``pcap``), SIPp ``-trace_msg`` logs (``sipp``), plain message logs (``plain``). A message that does
not parse is a Problem carrying the ParseError text (what, line and column inside the message, what
was expected) with its record number, and reading goes on. Messages are parsed leniently (a ``sips:``
URI with ``transport=udp`` is read): each leniency is reported at its record, every time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

from sipsmodel.errors import ParseError, ScenarioError
from sipsmodel.syntax import SipMessage, parse_message_lenient
from sipsmodel.trace.frames import Frame, Item, Problem
from sipsmodel.trace.logs import looks_like_plain, looks_like_sipp, read_plain, read_sipp
from sipsmodel.trace.pcap import PcapReader, looks_like_pcap
from sipsmodel.trace.sipdump import looks_like_sipdump, read_sipdump
from sipsmodel.trace.tls import TSHARK_HINT, TlsUnavailable, decrypt

FORMATS = ("sipdump", "pcap", "sipp", "plain")
_SNIFF = 4096


@dataclass(frozen=True)
class Leniency:
    """A message read although it breaks a rule (sipsmodel.syntax.Leniency), at its record and frame."""

    record: int
    frame: int | None
    rule: str
    what: str
    why: str
    line: int = 0
    column: int = 0


@dataclass
class InputFile:
    """One input and what happened while reading it."""

    path: str
    format: str = ""
    first_record: int = 0
    records: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def stopped(self) -> str | None:
        """Where reading stopped early (a damaged or truncated file), if it did."""
        fatal = [p for p in self.problems if p.fatal]
        return str(fatal[-1]) if fatal else None


def detect(head: bytes) -> str | None:
    """The format of a file from its first octets, or None."""
    if looks_like_pcap(head):
        return "pcap"
    if looks_like_sipdump(head):
        return "sipdump"
    if looks_like_sipp(head):
        return "sipp"
    return "plain" if looks_like_plain(head) else None


def open_input(path: Path) -> tuple[BinaryIO, str]:
    """Open ``path`` and tell its format; ScenarioError (exit 2) when it is none of FORMATS."""
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot open the trace ({exc.strerror})") from None
    head = stream.read(_SNIFF)
    stream.seek(0)
    kind = detect(head)
    if kind is None:
        stream.close()
        raise ScenarioError(
            f"{path}: not a trace sipsmodel reads; expected a Kamailio sipdump text file ('====' records), a pcap "
            "or pcapng capture, a SIPp -trace_msg log, or a plain log of SIP messages (see docs/trace.md)")
    return stream, kind


def items(path: Path, info: InputFile, keylog: Path | None) -> Iterator[Item]:
    """The frames and problems of one input file."""
    stream, kind = open_input(path)
    info.format = kind
    with stream:
        if kind == "sipdump":
            yield from read_sipdump(stream, str(path))
        elif kind == "sipp":
            yield from read_sipp(stream, str(path))
        elif kind == "plain":
            yield from read_plain(stream, str(path))
        else:
            yield from _pcap(stream, path, keylog)


def _pcap(stream: BinaryIO, path: Path, keylog: Path | None) -> Iterator[Item]:
    reader = PcapReader(str(path))
    failure = ""
    if keylog is not None:
        try:
            reader.decrypted, problems = decrypt(str(path), str(keylog))
            yield from (Problem(str(path), "TLS", why) for why in problems)
        except (TlsUnavailable, OSError) as exc:
            failure = str(exc)
    decrypted = {(m.src, m.dst) for messages in reader.decrypted.values() for m in messages}
    yield from reader.read(stream)
    missed = [flow for flow in reader.tls_flows if flow not in decrypted]
    if not missed:
        return
    more = "" if len(missed) <= 6 else f" and {len(missed) - 6} more"
    flows = ", ".join(f"{a} -> {b}" for a, b in missed[:6]) + more
    if keylog is None or failure:
        why = failure or f"give --keylog FILE (an SSLKEYLOGFILE of one end) and {TSHARK_HINT}"
        yield Problem(str(path), "TLS", f"{len(missed)} TLS stream directions were not decrypted ({flows}): {why}")
    else:
        yield Problem(str(path), "TLS", f"no SIP message could be decrypted in {len(missed)} TLS stream directions "
                      f"({flows}) with the key log {keylog}: its keys do not cover them, or they carry no SIP")


def parse(frame: Frame) -> tuple[SipMessage, list[Leniency]]:
    """Parse one captured message leniently, every leniency at its record; ParseError on bad syntax."""
    message, found = parse_message_lenient(frame.data)
    # The builder groups by Call-ID and CSeq, which are parsed lazily: a damaged one is this record's
    # problem (a ParseError here), not an error escaping from the builder later.
    message.call_id()
    message.cseq()
    return message, [Leniency(frame.record, frame.frame, n.rule, n.what, n.why, n.line, n.column) for n in found]


def renumber(frame: Frame, info: InputFile) -> Frame:
    """The frame with its record number counted across all inputs (1-based)."""
    return frame if info.first_record == 0 else replace(frame, record=info.first_record + frame.record)


def parse_problem(frame: Frame, exc: ParseError) -> Problem:
    text = " | ".join(line.strip() for line in str(exc).splitlines() if line.strip())
    return Problem(frame.source, f"record {frame.record}" + (f" (frame {frame.frame})" if frame.frame else ""),
                   f"not a SIP message: {text}", record=frame.record, frame=frame.frame)

"""Arbitrary octets in a trace never stop the reading: each record parses or is reported (ParseError-based)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import trace_samples as s
from hypothesis import given, settings
from hypothesis import strategies as st

from sipsmodel.errors import ScenarioError
from sipsmodel.props import load_properties
from sipsmodel.trace import TraceOptions, run_trace
from sipsmodel.trace.pcap import PCAP_MAGICS, PCAPNG_MAGIC

PROPS = load_properties()


def _run(data: bytes) -> object:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "k.data"
        path.write_bytes(data)
        return run_trace(TraceOptions([path], PROPS))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(max_size=300), min_size=1, max_size=4))
def test_arbitrary_messages_in_sipdump_records(payloads: list[bytes]) -> None:
    records = [(p, s.A, s.P_TLS, "tls") for p in payloads]
    data = s.sipdump(tuple(records)) + s.sipdump(s.CALL)
    report = _run(data)
    assert report.records == len(payloads) + len(s.CALL)  # type: ignore[attr-defined]
    read = report.messages + len(report.problems)  # type: ignore[attr-defined]
    assert read == report.records  # type: ignore[attr-defined]
    assert "I-2" in {v.property for v in report.violations}  # type: ignore[attr-defined]


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000), st.integers(min_value=0, max_value=3000))
def test_damaged_sipdump_files(noise: bytes, cut: int) -> None:
    data = s.sipdump()
    _run(data[:cut] + noise + data[cut:])  # never raises: every problem is a reported Problem


def _packets() -> list[bytes]:
    return [s.udp_packet(m, src, dst) for m, src, dst, _ in s.CALL]


@settings(max_examples=80, deadline=None)
@given(st.booleans(), st.integers(min_value=0, max_value=2500), st.binary(max_size=64), st.integers(0, 2500))
def test_damaged_pcap_files(ng: bool, at: int, noise: bytes, cut: int) -> None:
    data = s.pcap(_packets(), ng)
    damaged = (data[:at] + noise + data[at + len(noise):])[: max(cut, 4)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.pcap"
        path.write_bytes(damaged)
        if damaged[:4] not in (*PCAP_MAGICS, PCAPNG_MAGIC):
            with pytest.raises(ScenarioError, match="not a trace sipsmodel reads"):
                run_trace(TraceOptions([path], PROPS))
            return
        report = run_trace(TraceOptions([path], PROPS))
    boundaries, end = {24}, 24
    for packet in _packets():
        end += 16 + len(packet)
        boundaries.add(end)
    if not ng and damaged == data[: len(damaged)] and len(damaged) not in boundaries:
        assert report.problems, "a capture cut inside a packet must say where it stopped"


def test_a_damaged_call_id_is_the_record_s_problem() -> None:
    """Found by the fuzz test above: a Call-ID that does not parse used to escape from the builder."""
    data = s.sipdump()
    cut = data.index(b"Call-ID: ") + len(b"Call-ID: ")
    report = _run(data[:cut] + b"@" + data[cut:])
    problems = [p for p in report.problems if "Call-ID" in p.why]  # type: ignore[attr-defined]
    assert problems and problems[0].record == 1, report.problems  # type: ignore[attr-defined]


def test_a_message_without_header_lines_parses_leniently() -> None:
    """Found by the fuzz test above: no header line at all made the lenient reader fail with a ValueError."""
    from sipsmodel.syntax import parse_message_lenient

    message, leniencies = parse_message_lenient(b"OPTIONS sip:a@b.example SIP/2.0\r\n\r\n")
    assert message.headers == () and leniencies == ()

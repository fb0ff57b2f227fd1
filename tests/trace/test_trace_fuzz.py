"""Arbitrary octets in a trace never stop the reading: each record parses or is reported (ParseError-based)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import trace_samples as s
from hypothesis import given, settings
from hypothesis import strategies as st

from sipsmodel.props import load_properties
from sipsmodel.trace import TraceOptions, run_trace

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

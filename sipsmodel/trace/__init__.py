"""Real traces: readers (sipdump, SIPp logs, pcap/pcapng, TLS through tshark) and records from frames.

``run_trace`` reads the inputs, builds the model's records (hops, forwards, bindings, dialogs) group
by group and evaluates every property the trace can decide (DESIGN.md flow 4; docs/trace.md).
"""

from sipsmodel.trace.elements import Elements, MappedElement, load_element_map
from sipsmodel.trace.frames import Endpoint, Frame, Problem
from sipsmodel.trace.run import TraceOptions, TraceReport, run_trace

__all__ = [
    "Elements",
    "Endpoint",
    "Frame",
    "MappedElement",
    "Problem",
    "TraceOptions",
    "TraceReport",
    "load_element_map",
    "run_trace",
]

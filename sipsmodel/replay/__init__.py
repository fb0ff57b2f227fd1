"""From model to wire: export a counterexample (SIPp scenarios, pcap, JSON) and replay it on a real proxy
with the loopback-only SIP user agent (agent.py).

DESIGN.md flow 7; issue 12. May import model, syntax and trace.
"""

from __future__ import annotations

from sipsmodel.replay.flow import Flow, FlowElement, FlowError, FlowHop, load_flow

__all__ = ["Flow", "FlowElement", "FlowError", "FlowHop", "load_flow"]

"""Rendering traces: the RFC-style ladder, the full SIP messages, and JSON."""

from __future__ import annotations

from collections.abc import Sequence

from sipsmodel.model.trace import Trace
from sipsmodel.render.jsonview import render_json, transmission_json, transmissions_json
from sipsmodel.render.ladder import render_ladder
from sipsmodel.render.messages import message_text, render_messages

__all__ = ["message_text", "render_json", "render_ladder", "render_messages", "render_trace", "transmission_json",
           "transmissions_json"]


def render_trace(trace: Trace, mark: int | None = None, titles: dict[str, str] | None = None,
                 order: Sequence[str] = (), why: bool = True) -> str:
    """The ladder followed by every message (RFC 3665 style); ``mark`` flags one transmission.

    ``why``: the decisions taken at each transmission under its arrow (docs/why.md).
    """
    return f"{render_ladder(trace, mark, titles, order, why)}\n\n{render_messages(trace, mark)}"

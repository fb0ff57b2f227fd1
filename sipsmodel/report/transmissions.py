"""Transmissions of a Trace as JSON objects, the shape ``sipsmodel simulate --format json`` prints."""

from __future__ import annotations

from typing import Any

from sipsmodel.model.trace import Trace, Transmission
from sipsmodel.model.vocab import is_secure


def _method(message: Any) -> str | None:
    if message.method is not None:
        return str(message.method)
    cseq = message.cseq()
    return None if cseq is None else str(cseq.method)


def transmission_json(item: Transmission) -> dict[str, Any]:
    """One transmission: hop, transport, security and the full message text."""
    message = item.message
    uri = message.request_uri
    return {
        "index": item.index,
        "from": item.sender,
        "to": item.receiver,
        "transport": item.transport,
        "secure": is_secure(item.transport),
        "kind": "request" if message.is_request else "response",
        "method": _method(message),
        "status": message.status,
        "request_uri": None if uri is None else uri.render(),
        "message": message.render(),
    }


def trace_transmissions(trace: Trace) -> list[dict[str, Any]]:
    """Every transmission of ``trace`` in order."""
    return [transmission_json(t) for t in trace.transmissions]

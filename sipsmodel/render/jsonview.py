"""A Trace as the JSON object of ``sipsmodel simulate --format json``."""

from __future__ import annotations

from typing import Any

from sipsmodel.model.trace import Trace, Transmission
from sipsmodel.model.vocab import is_secure


def transmission_json(item: Transmission) -> dict[str, Any]:
    """One transmission: hop, transport, security, kind, method, status, Request-URI and the message."""
    message = item.message
    cseq = message.cseq()
    uri = message.request_uri
    return {
        "index": item.index,
        "from": item.sender,
        "to": item.receiver,
        "transport": item.transport,
        "secure": is_secure(item.transport),
        "kind": "request" if message.is_request else "response",
        "method": message.method if message.is_request else (cseq.method if cseq else None),
        "status": message.status,
        "request_uri": None if uri is None else uri.render(),
        "message": message.render(),
    }


def render_json(trace: Trace) -> dict[str, Any]:
    """``{"rules", "transmissions", "bindings", "dialogs"}`` (bindings and dialogs as observed)."""
    return {
        "rules": trace.rules,
        "transmissions": [transmission_json(t) for t in trace.transmissions],
        "bindings": [dict(b) for b in trace.collection("bindings")],
        "dialogs": [dict(d) for d in trace.collection("dialogs")],
        "notes": list(trace.notes),
    }

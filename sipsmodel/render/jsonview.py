"""A Trace as the JSON object of ``sipsmodel simulate --format json``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sipsmodel.model.trace import Trace, Transmission
from sipsmodel.model.vocab import is_secure
from sipsmodel.render.why import BEFORE_FIRST, Placed, decisions_at, place_decisions


def transmission_json(item: Transmission, placed: Mapping[int, Sequence[Placed]] | None = None) -> dict[str, Any]:
    """One transmission: hop, transport, security, kind, method, status, Request-URI and the message.

    With ``placed`` (``place_decisions``), also ``decisions``: the decisions taken there (docs/why.md).
    """
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
        **({} if placed is None else {"decisions": decisions_at(placed, item.index)}),
    }


def transmissions_json(trace: Trace) -> list[dict[str, Any]]:
    """Every transmission of ``trace``, each with the decisions taken there."""
    placed = place_decisions(trace)
    return [transmission_json(t, placed) for t in trace.transmissions]


def elements_json(trace: Trace) -> list[dict[str, str]]:
    """The elements of the flow in order of first appearance, each with its role as the hops record it."""
    roles: dict[str, str] = {}
    for hop in trace.collection("hops"):
        index = int(hop["index"])
        if 0 <= index < len(trace.transmissions) and "sender" in hop:
            item = trace.transmissions[index]
            roles.setdefault(item.sender, str(hop["sender"]))
            roles.setdefault(item.receiver, str(hop["receiver"]))
    names = dict.fromkeys(n for t in trace.transmissions for n in (t.sender, t.receiver))
    return [{"name": name, "role": roles.get(name, "unknown")} for name in names]


def render_json(trace: Trace) -> dict[str, Any]:
    """``{"rules", "elements", "transmissions", "bindings", "dialogs", "notes", "decisions_before_first"}``.

    Bindings and dialogs as observed; each transmission carries its ``decisions``, and the decisions
    taken before any transmission (normally none) are ``decisions_before_first``.
    """
    return {
        "rules": trace.rules,
        "elements": elements_json(trace),
        "transmissions": transmissions_json(trace),
        "bindings": [dict(b) for b in trace.collection("bindings")],
        "dialogs": [dict(d) for d in trace.collection("dialogs")],
        "notes": list(trace.notes),
        "decisions_before_first": decisions_at(place_decisions(trace), BEFORE_FIRST),
    }

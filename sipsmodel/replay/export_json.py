"""The flow as JSON with its addressing plan: what ``export --to json`` writes and ``load_flow`` reads back.

``{"name", "property", "rules", "violation", "elements": [{"name", "role", "address"}],
"transmissions": [{"index", "from", "to", "transport", "secure", "src", "dst", "connection", "message"}]}``;
``src`` and ``dst`` are ``address:port`` in the plan of ``sipsmodel.replay.wire``.
"""

from __future__ import annotations

from typing import Any

from sipsmodel.model.vocab import is_secure
from sipsmodel.replay.flow import Flow
from sipsmodel.replay.wire import wire_plan


def flow_json(flow: Flow) -> dict[str, Any]:
    """The flow as a JSON-ready mapping."""
    return {
        "name": flow.name,
        "property": flow.property_id,
        "rules": flow.rules,
        "violation": flow.violation,
        "elements": [{"name": e.name, "role": e.role, "address": e.address} for e in flow.elements],
        "transmissions": [
            {
                "index": s.hop.index,
                "from": s.hop.sender,
                "to": s.hop.receiver,
                "transport": s.hop.transport,
                "secure": is_secure(s.hop.transport),
                "src": f"{s.src[0]}:{s.src[1]}",
                "dst": f"{s.dst[0]}:{s.dst[1]}",
                "connection": s.connection,
                "message": s.hop.message.render(),
            }
            for s in wire_plan(flow)
        ],
    }

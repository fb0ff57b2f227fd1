"""JSON-ready views of syntax values, as printed by ``sipsmodel parse --json``."""

from __future__ import annotations

from typing import Any

from sipsmodel.syntax.message import SipMessage
from sipsmodel.syntax.uri import AbsoluteUri, SipUri, Uri
from sipsmodel.syntax.values import CSeq, MediaType, NameAddr, RawValue, Star, Via, WarningValue


def uri_json(uri: Uri) -> dict[str, Any]:
    """``{"scheme", "user", "password", "host", "port", "params", "headers"}`` (absolute: scheme, text)."""
    if isinstance(uri, AbsoluteUri):
        return {"scheme": uri.scheme, "text": uri.text}
    return {
        "scheme": uri.scheme,
        "user": uri.user,
        "password": uri.password,
        "host": uri.host,
        "port": uri.port,
        "params": [[n, v] for n, v in uri.params],
        "headers": [[n, v] for n, v in uri.headers],
    }


def value_json(value: Any) -> Any:
    """A JSON-ready view of any parsed header value."""
    if isinstance(value, SipUri | AbsoluteUri):
        return uri_json(value)
    if isinstance(value, NameAddr):
        params = [[n, v] for n, v in value.params]
        return {"display_name": value.display_name, "uri": uri_json(value.uri), "params": params}
    if isinstance(value, Via):
        params = [[n, v] for n, v in value.params]
        return {"protocol": value.protocol, "version": value.version, "transport": value.transport,
                "host": value.host, "port": value.port, "params": params}  # fmt: skip
    if isinstance(value, CSeq):
        return {"number": value.number, "method": value.method}
    if isinstance(value, WarningValue):
        return {"code": value.code, "agent": value.agent, "text": value.text}
    if isinstance(value, MediaType):
        return {"type": value.type, "subtype": value.subtype, "params": [[n, v] for n, v in value.params]}
    if isinstance(value, Star):
        return "*"
    if isinstance(value, RawValue):
        return None
    if isinstance(value, tuple):
        return [value_json(item) for item in value]
    return value


def message_json(message: SipMessage) -> dict[str, Any]:
    """``{"kind", "method", "request_uri", "status", "reason", "headers", "body_length"}``."""
    return {
        "kind": "request" if message.is_request else "response",
        "method": message.method,
        "request_uri": None if message.request_uri is None else uri_json(message.request_uri),
        "status": message.status,
        "reason": message.reason,
        "headers": [
            {"name": h.name, "value": h.value, "parsed": value_json(h.parsed(message.strict))} for h in message.headers
        ],
        "body_length": len(message.body.encode("utf-8", errors="surrogateescape")),
    }

"""The full SIP messages of a Trace, each under its F-number, with LF line ends (RFC 3261 section 7)."""

from __future__ import annotations

from sipsmodel.model.trace import Trace, Transmission


def message_text(item: Transmission) -> str:
    """The message as displayed: CRLF shown as a plain line end (parse_message reads it back)."""
    text: str = item.message.render()
    return text.replace("\r\n", "\n")


def render_messages(trace: Trace, mark: int | None = None) -> str:
    """Every message of ``trace``: ``F3 proxya -> proxyb (TLS)`` then the message, indented."""
    parts = []
    for item in trace.transmissions:
        flag = "   <== violation" if mark == item.index else ""
        body = "\n".join(f"    {line}" for line in message_text(item).rstrip("\n").split("\n"))
        parts.append(f"F{item.index + 1} {item.sender} -> {item.receiver} ({item.transport}){flag}\n\n{body}\n")
    return "\n".join(parts)

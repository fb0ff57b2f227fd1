"""Registrations seen on the wire become location-service bindings (RFC 3261 section 10.3).

When a registrar answers a REGISTER with a 2xx (and did not forward it), each Contact of the REGISTER
is bound for its expiry (the Contact's ``expires`` parameter, else the Expires header, else 3600 s,
section 10.2.1.1); an expiry of 0 or ``Contact: *`` removes bindings. Only live bindings are kept.
What the wire cannot show (whether the registrar's AoR key keeps the scheme) comes from the element
map or is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sipsmodel.defaults import DEFAULT_EXPIRES
from sipsmodel.model.expr import Record
from sipsmodel.syntax import NameAddr, SipUri, Uri, uri_equal
from sipsmodel.trace.elements import Elements

if TYPE_CHECKING:
    from sipsmodel.trace.records import Hop

_REASON_KEY = ("the wire does not show whether the registrar's AoR key keeps the scheme (RFC 3261 10.3); "
               "set aor_key_keeps_scheme for the registrar in the element map")


@dataclass
class Live:
    """One live binding: its record, the REGISTER hop that made it, the contact, when it ends."""

    record: Record
    hop: int
    registrar: str
    contact: Uri
    until: float | None
    key_known: bool


def _expires(contact: NameAddr, header: str | None) -> int:
    for value in (contact.param("expires"), header):
        if value is not None and value.strip().isdigit():
            return int(value.strip())
    return DEFAULT_EXPIRES


def _aor(uri: Uri | None) -> str:
    if isinstance(uri, SipUri):
        return f"{(uri.user or '').lower()}@{uri.host.lower()}"
    return "" if uri is None else uri.render()


def _flow(contact: NameAddr, transport: str | None) -> str:
    """The outbound flow's transport when the Contact carries reg-id (RFC 5626 section 4.2), else none."""
    return transport or "none" if contact.has_param("reg-id") else "none"


@dataclass
class Binder:
    """The live bindings, by (AoR without scheme, Contact text)."""

    live: dict[tuple[str, str], Live] = field(default_factory=dict)
    next_id: int = 0
    now: float | None = None
    version: int = 0

    def register(self, request: Hop, elements: Elements) -> None:
        """Apply one REGISTER the registrar accepted."""
        self.version += 1
        message = request.message
        to = message.to()
        aor = _aor(to.uri if to is not None else None)
        contacts = message.contacts()
        header = next((h.value for h in message.headers if h.key == "Expires"), None)
        if not isinstance(contacts, list):
            self.live = {k: v for k, v in self.live.items() if k[0] != aor}
            return
        for contact in contacts:
            key = (aor, contact.uri.render())
            seconds = _expires(contact, header)
            if seconds == 0:
                self.live.pop(key, None)
                continue
            self.live[key] = self._binding(request, contact, elements, seconds)

    def _binding(self, request: Hop, contact: NameAddr, elements: Elements, seconds: int) -> Live:
        message, frame = request.message, request.frame
        to, sender = message.to(), message.from_()
        keeps = elements.key_keeps_scheme(frame.dst)
        record: Record = {
            "id": self.next_id, "contact": "sips" if contact.uri.scheme == "sips" else "sip",
            "aor": "sips" if to is not None and to.uri.scheme == "sips" else "sip", "key_scheme": bool(keeps),
            "reg_ruri": "sips" if message.request_uri is not None and message.request_uri.scheme == "sips" else "sip",
            "reg_from": "sips" if sender is not None and sender.uri.scheme == "sips" else "sip",
            "reg_path": "none" if not message.paths() else
            ("sips" if message.paths()[0].uri.scheme == "sips" else "sip"),
            "reg_secure": request.secure, "flow": _flow(contact, frame.transport),
        }  # fmt: skip
        self.next_id += 1
        until = None if frame.time is None else frame.time + seconds
        return Live(record, request.index, elements.name(frame.dst), contact.uri, until, keeps is not None)

    def _expire(self, now: float | None) -> None:
        if now is None:
            return
        self.now = now
        if any(v.until is not None and v.until < now for v in self.live.values()):
            self.live = {k: v for k, v in self.live.items() if v.until is None or v.until >= now}
            self.version += 1

    def lookup(self, uri: Uri | None, now: float | None) -> int:
        """The id of the live binding whose Contact is ``uri`` (RFC 3261 19.1.4 comparison), else -1."""
        self._expire(now)
        if uri is None or not self.live:
            return -1
        text = uri.render()
        for (_, contact), live in self.live.items():
            if contact == text or uri_equal(live.contact, uri):
                return int(live.record["id"])
        return -1

    def records(self) -> list[Record]:
        return [live.record for live in self.live.values()]

    def hops(self) -> dict[int, int]:
        """Binding id -> index of the REGISTER hop that created it."""
        return {int(live.record["id"]): live.hop for live in self.live.values()}

    def unknown(self) -> dict[tuple[str, str], str]:
        """What the live bindings could not show."""
        if all(live.key_known for live in self.live.values()):
            return {}
        return {("bindings", "key_scheme"): _REASON_KEY}

"""The model's values read off a SIP message: URI schemes and the ``hops`` attributes a message alone decides.

Two readers turn concrete messages into observations: the simulator's observer (``sim.observe``, the
messages it sent) and the trace reader (``trace.records``, the messages a real proxy exchanged). Both
read a message the same way here, so a verdict on a real trace and one on a simulated run mean the same
thing (docs/semantics.md, Observation; the vocabulary's SCHEME, OPT_SCHEME and ANY_SCHEME). What each
knows beyond the message (request ids, roles, ends of paths) stays with it.
"""

from __future__ import annotations

from collections.abc import Sequence

from sipsmodel.model.expr import Record, Value
from sipsmodel.model.vocab import METHOD, RECORD_SCHEMAS, is_secure
from sipsmodel.syntax import NameAddr, SipMessage, SipUri, Uri


def method_value(method: str) -> str:
    """METHOD of a request's method: the ones the vocabulary names, ``OTHER`` for the rest."""
    return method if method in METHOD.values else "OTHER"


def scheme_of(uri: Uri | None) -> str:
    """ANY_SCHEME of a URI: ``sip``, ``sips``, ``other``, or ``none`` when there is no URI."""
    if uri is None:
        return "none"
    return uri.scheme if uri.scheme in ("sip", "sips") else "other"


def sip_or_sips(uri: Uri | None) -> str:
    """SCHEME of a URI: ``sips`` for a sips URI, ``sip`` otherwise."""
    return "sips" if uri is not None and uri.scheme == "sips" else "sip"


def opt_scheme(values: Sequence[NameAddr]) -> str:
    """OPT_SCHEME of a header's values: the first one's SCHEME, ``none`` when there is none."""
    return sip_or_sips(values[0].uri) if values else "none"


def first_contact(message: SipMessage) -> NameAddr | None:
    """The first Contact value (None for none, or for ``Contact: *``)."""
    contacts = message.contacts()
    return contacts[0] if isinstance(contacts, list) and contacts else None


def has_transport(uri: Uri | None, value: str) -> bool:
    """The URI carries ``transport=<value>`` (lower case; RFC 3261 19.1.1)."""
    return isinstance(uri, SipUri) and (uri.param("transport") or "").lower() == value


def message_uris(message: SipMessage) -> list[Uri]:
    """Every URI of the message: Request-URI, Route, Record-Route, Path, Contact, To and From."""
    contacts = message.contacts()
    values: list[NameAddr] = [*message.routes(), *message.record_routes(), *message.paths(),
                              *(contacts if isinstance(contacts, list) else [])]
    values += [v for v in (message.to(), message.from_()) if v is not None]
    uris = [v.uri for v in values]
    return uris if message.request_uri is None else [message.request_uri, *uris]


def hop_values(message: SipMessage) -> dict[str, Value]:
    """The ``hops`` attributes the message alone decides (RECORD_SCHEMAS["hops"]): kind, status, top Via,
    the schemes of Request-URI, Route, Contact, To, From and Record-Route, and the transport parameters."""
    contact, to, sender = first_contact(message), message.to(), message.from_()
    vias = message.vias()
    uris = message_uris(message)
    return {
        "kind": "request" if message.is_request else "response", "status": message.status or 0,
        "via_secure": bool(vias) and is_secure(vias[0].transport), "ruri": scheme_of(message.request_uri),
        "route0": opt_scheme(message.routes()),
        "contact": scheme_of(contact.uri if contact else None),
        "to": scheme_of(to.uri if to else None), "from": scheme_of(sender.uri if sender else None),
        "rr_top": opt_scheme(message.record_routes()),
        "tls_param": any(has_transport(u, "tls") for u in uris),
        "udp_param": has_transport(message.request_uri, "udp"),
        "sips_udp_param": any(u.scheme == "sips" and has_transport(u, "udp") for u in uris),
    }  # fmt: skip


def in_schema_order(collection: str, values: dict[str, Value]) -> Record:
    """The record of ``collection`` with its attributes in RECORD_SCHEMAS order (KeyError naming a missing one)."""
    return {name: values[name] for name in RECORD_SCHEMAS[collection]}

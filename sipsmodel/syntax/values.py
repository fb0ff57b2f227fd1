"""Header values: NameAddr, the Contact star, Via, Warning, CSeq, MediaType and raw values.

RFC 3261 sections 20.10 (Contact), 20.20 (From), 20.39 (To), 20.42 (Via), 20.43 (Warning),
20.16 (CSeq), 20.15 (Content-Type); RFC 3327 (Path), RFC 3608 (Service-Route). Each value is
frozen and renders back to canonical text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from sipsmodel.syntax.text import is_token_run, quote
from sipsmodel.syntax.uri import Param, Uri, find_param, render_params


def _param_value(params: tuple[Param, ...], name: str) -> str | None:
    found = find_param(params, name)
    return None if found is None else found[1]


@dataclass(frozen=True, slots=True)
class NameAddr:
    """An address with header parameters: name-addr or addr-spec (RFC 3261 section 20.10).

    ``params`` are the *header* parameters after the address (tag, q, expires, +sip.instance,
    reg-id, rr-params, ...), values as written (quoted values keep their quotes). URI
    parameters such as ``lr`` belong to ``uri``. ``display_name`` is the unquoted text, ``None``
    when absent (``""`` is an empty quoted display name).
    """

    uri: Uri
    display_name: str | None = None
    params: tuple[Param, ...] = ()

    def param(self, name: str) -> str | None:
        """The value of header parameter ``name`` (case-insensitive), None if absent or valueless."""
        return _param_value(self.params, name)

    def has_param(self, name: str) -> bool:
        """Whether header parameter ``name`` is present."""
        return find_param(self.params, name) is not None

    @property
    def tag(self) -> str | None:
        """The ``tag`` parameter of To and From (RFC 3261 section 19.3)."""
        return self.param("tag")

    def render(self) -> str:
        """Canonical text: always in angle brackets, display name bare when it is tokens."""
        name = self.display_name
        if name is None:
            shown = ""
        elif name and is_token_run(name):
            shown = name + " "
        else:
            shown = quote(name) + " "
        return f"{shown}<{self.uri.render()}>{render_params(self.params)}"

    def __str__(self) -> str:
        return self.render()


class Star:
    """The ``Contact: *`` value of a REGISTER that removes every binding (RFC 3261 section 10.2.2)."""

    _instance: Star | None = None

    def __new__(cls) -> Star:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def render(self) -> str:
        """Canonical text: ``*``."""
        return "*"

    def __repr__(self) -> str:
        return "STAR"

    def __reduce__(self) -> str:
        return "STAR"


#: The single Star value.
STAR = Star()


@dataclass(frozen=True, slots=True)
class Via:
    """One via-parm (RFC 3261 section 20.42; RFC 4168 TLS-SCTP; RFC 7118 WS/WSS; RFC 3581 rport).

    ``transport`` and ``protocol`` are upper-case; ``host`` keeps IPv6 brackets; ``params`` in
    order, values as written (``received`` holds IPv6 without brackets).
    """

    transport: str
    host: str
    port: int | None = None
    params: tuple[Param, ...] = ()
    protocol: str = "SIP"
    version: str = "2.0"

    def param(self, name: str) -> str | None:
        """The value of Via parameter ``name`` (case-insensitive), None if absent or valueless."""
        return _param_value(self.params, name)

    def has_param(self, name: str) -> bool:
        """Whether Via parameter ``name`` is present."""
        return find_param(self.params, name) is not None

    @property
    def branch(self) -> str | None:
        """The branch parameter (RFC 3261 section 8.1.1.7)."""
        return self.param("branch")

    @property
    def received(self) -> str | None:
        """The received parameter (RFC 3261 section 18.2.1)."""
        return self.param("received")

    @property
    def rport(self) -> int | None:
        """The value of rport when it has one (RFC 3581); see ``has_param('rport')`` for presence."""
        value = self.param("rport")
        return None if value is None else int(value)

    @property
    def sent_by(self) -> str:
        """``host[:port]`` as sent (RFC 3261 section 20.42 sent-by)."""
        return self.host if self.port is None else f"{self.host}:{self.port}"

    def render(self) -> str:
        """Canonical text: ``SIP/2.0/TLS host:port;params``."""
        head = f"{self.protocol}/{self.version}/{self.transport} {self.sent_by}"
        return head + render_params(self.params)

    def __str__(self) -> str:
        return self.render()


@dataclass(frozen=True, slots=True)
class WarningValue:
    """One warning-value (RFC 3261 section 20.43; codes 380 and 381 of RFC 5630 section 9)."""

    code: int
    agent: str
    text: str

    def render(self) -> str:
        """Canonical text: ``380 agent "text"``."""
        return f"{self.code:03d} {self.agent} {quote(self.text)}"

    def __str__(self) -> str:
        return self.render()


class CSeq(NamedTuple):
    """The CSeq value: sequence number and method (RFC 3261 section 20.16)."""

    number: int
    method: str

    def render(self) -> str:
        """Canonical text: ``314159 INVITE``."""
        return f"{self.number} {self.method}"


@dataclass(frozen=True, slots=True)
class MediaType:
    """A Content-Type value (RFC 3261 section 20.15); type and subtype lower-case."""

    type: str
    subtype: str
    params: tuple[Param, ...] = ()

    def render(self) -> str:
        """Canonical text: ``application/sdp;charset=utf-8``."""
        return f"{self.type}/{self.subtype}{render_params(self.params)}"


@dataclass(frozen=True, slots=True)
class RawValue:
    """The unparsed value of a header sipsmodel does not model (kept as written, unfolded)."""

    text: str

    def render(self) -> str:
        """The text as written."""
        return self.text


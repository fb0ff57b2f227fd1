"""Scenarios: the topology, the registrations and calls to run, and scripted choices.

A scenario is what a TOML file under ``scenarios/`` describes and what the SMT package decodes a
counterexample into. It holds no behaviour: ``sipsmodel.sim`` runs it under a rule set.

Routing (an abstraction of RFC 3263): a URI whose host is an element's ``host`` resolves to that
element; a URI whose host is a domain resolves to the proxy ``responsible_for`` that domain. A proxy
that is not responsible for the Request-URI's domain sends to its ``outbound`` proxy when it has one
(local policy), otherwise to what the Request-URI resolves to.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sipsmodel.model.expr import Value

ROLES = ("ua", "proxy")


@dataclass(frozen=True)
class Element:
    """A SIP element: a user agent, or a proxy (optionally registrar, edge, malicious)."""

    name: str
    role: str
    host: str
    tls: bool = True
    responsible_for: tuple[str, ...] = ()
    registrar: bool = False
    edge: bool = False
    outbound: str | None = None
    malicious: bool = False
    # user-agent policy (features of ua_register, uas_answer, uac_retry)
    want_sips: bool = True
    sips_ok: bool = True
    sip_ok: bool = True
    confirms_downgrade: bool = False
    redirect_to: str | None = None  # a UA that answers every INVITE with a 302 to this URI (redirect server)
    gateway: bool = False  # a UA that is a gateway to a non-SIP network: a terminal node where SIPS ends
    # presentation and exact values of published flows (no effect on choices)
    display_name: str | None = None
    user: str | None = None  # user part of the UA's Contact (default: its registration's AoR user, else its name)
    via_host: str | None = None  # sent-by host of its Via values (default: host)
    rr_user: str | None = None  # user part of its Record-Route values (a proxy)
    branches: tuple[str, ...] = ()  # Via branch values for its new client transactions, in order
    tag: str | None = None  # To tag of its answers to dialog-creating requests (a UA)
    # behaviour not covered by choice points
    strict: bool = False  # a proxy that strict-routes: its Record-Route values lack lr (RFC 3261 16.4, F-19)
    trying: bool | None = None  # sends 100 Trying for an INVITE (default: proxies yes, UAs no)
    ringing: bool = False  # a UA sends 180 Ringing before answering 200
    answers: bool = True  # a UA answers an INVITE; False: it rings until cancelled (another device picks up)

    @property
    def domain(self) -> str:
        """The domain part of the host (``alice-1.example.net`` -> ``example.net``)."""
        parts = self.host.split(".")
        return ".".join(parts[1:]) if len(parts) > 2 else self.host


@dataclass(frozen=True)
class Link:
    """Two elements that can exchange messages, and the transports available between them."""

    a: str
    b: str
    transports: tuple[str, ...] = ("UDP", "TCP", "TLS")
    secured_otherwise: bool = False


@dataclass(frozen=True)
class Registration:
    """A UA registers one Contact for ``aor_user@domain`` through ``via`` (edge proxies) to ``registrar``."""

    ua: str
    aor_user: str
    domain: str
    registrar: str
    via: tuple[str, ...] = ()
    outbound: bool = False
    instance: str | None = None
    reg_id: int | None = None
    expires: int | None = None  # Expires header; None: none sent (registrar default 3600); 0 removes the binding
    call_id: str | None = None
    cseq: int | None = None
    from_tag: str | None = None
    to_tag: str | None = None  # the registrar's To tag in its response
    path_tokens: tuple[str, ...] = ()  # user part of each edge proxy's Path value (flow token), by position in via
    service_route: tuple[str, ...] = ()  # Service-Route values the registrar returns (RFC 3608), URI texts


@dataclass(frozen=True)
class Call:
    """A UA calls ``target`` (a URI text), optionally through a preloaded route, then runs ``in_dialog``."""

    caller: str
    target: str
    route: tuple[str, ...] = ()
    in_dialog: tuple[tuple[str, str], ...] = (("caller", "ACK"),)
    call_id: str | None = None
    cseq: int | None = None
    from_tag: str | None = None


@dataclass(frozen=True)
class ScriptedChoice:
    """The options an element takes at the ``occurrence``-th visit of a choice point (0-based)."""

    element: str
    choice_point: str
    occurrence: int
    options: dict[str, Value]


@dataclass(frozen=True)
class Scenario:
    """Everything a simulation needs except the rule set and the chooser."""

    name: str
    elements: tuple[Element, ...]
    links: tuple[Link, ...]
    registrations: tuple[Registration, ...] = ()
    calls: tuple[Call, ...] = ()
    script: tuple[ScriptedChoice, ...] = ()
    rules: str | None = None
    description: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    columns: tuple[str, ...] = ()  # the ladder's column order when the file fixes it

    def element(self, name: str) -> Element:
        for element in self.elements:
            if element.name == name:
                return element
        raise KeyError(name)

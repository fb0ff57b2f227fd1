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


@dataclass(frozen=True)
class Call:
    """A UA calls ``target`` (a URI text), optionally through a preloaded route, then runs ``in_dialog``."""

    caller: str
    target: str
    route: tuple[str, ...] = ()
    in_dialog: tuple[tuple[str, str], ...] = (("caller", "ACK"),)


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

    def element(self, name: str) -> Element:
        for element in self.elements:
            if element.name == name:
                return element
        raise KeyError(name)

"""The topology as the simulator routes over it: resolution, links, roles (docs/semantics.md).

Resolution is the model's abstraction of RFC 3263: a URI whose host is an element's host resolves to
that element; a URI whose host is a domain resolves to the proxy responsible for that domain.
"""

from __future__ import annotations

from sipsmodel.errors import ScenarioError
from sipsmodel.model.scenario import Element, Link, Scenario
from sipsmodel.model.vocab import is_secure
from sipsmodel.syntax import SipUri, Uri

DEFAULT_TRANSPORTS = Link("", "").transports


class Network:
    """Elements, links and the resolution of URIs to elements."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.elements = {e.name: e for e in scenario.elements}
        if len(self.elements) != len(scenario.elements):
            raise ScenarioError(f"scenario {scenario.name!r}: element names are not unique")
        self.by_host: dict[str, Element] = {}
        for element in scenario.elements:
            for host in {element.host, element.via_host or element.host}:
                if host.lower() in self.by_host:
                    raise ScenarioError(f"scenario {scenario.name!r}: host {host!r} is used by two elements")
                self.by_host[host.lower()] = element
        self.responsible: dict[str, Element] = {}
        for element in scenario.elements:
            for domain in element.responsible_for:
                self.responsible.setdefault(domain.lower(), element)
        self.links: dict[frozenset[str], tuple[str, ...]] = {}
        for link in scenario.links:
            for end in (link.a, link.b):
                if end not in self.elements:
                    raise ScenarioError(f"scenario {scenario.name!r}: link names unknown element {end!r}")
            self.links[frozenset((link.a, link.b))] = link.transports

    def element(self, name: str) -> Element:
        """The element called ``name``."""
        try:
            return self.elements[name]
        except KeyError:
            raise ScenarioError(f"scenario {self.scenario.name!r}: unknown element {name!r}") from None

    def resolve(self, uri: Uri) -> Element | None:
        """The element a URI leads to (host first, then the domain's responsible proxy)."""
        if not isinstance(uri, SipUri):
            return None
        host = uri.host.lower().rstrip(".")
        return self.by_host.get(host) or self.responsible.get(host)

    def names(self, uri: Uri, element: Element) -> bool:
        """Whether ``uri`` names ``element`` itself (its host or Via host)."""
        return isinstance(uri, SipUri) and self.by_host.get(uri.host.lower().rstrip(".")) is element

    def is_responsible(self, element: Element, uri: Uri) -> bool:
        """Whether ``element`` is responsible for the domain of ``uri`` (RFC 3261 16.5)."""
        return isinstance(uri, SipUri) and uri.host.lower().rstrip(".") in {d.lower() for d in element.responsible_for}

    def transports(self, a: str, b: str) -> tuple[str, ...]:
        """Transports available between two elements (default UDP, TCP, TLS)."""
        return self.links.get(frozenset((a, b)), DEFAULT_TRANSPORTS)

    def next_tls(self, a: str, b: str) -> bool:
        """``next_tls``: the next element supports TLS and the link offers a TLS-based transport."""
        return self.element(b).tls and any(is_secure(t) for t in self.transports(a, b))

    def user_of(self, element: Element) -> str:
        """The user part of a UA's own URIs: its ``user``, its registration's AoR user, or its name."""
        if element.user:
            return element.user
        for registration in self.scenario.registrations:
            if registration.ua == element.name:
                return registration.aor_user
        return element.name

    def via_host(self, element: Element) -> str:
        """The sent-by host of the element's Via values."""
        return element.via_host or element.host

    def role(self, element: Element, method: str | None) -> str:
        """The ROLE an element plays for a message (ua, proxy, registrar, redirect)."""
        if element.role == "ua":
            return "redirect" if element.redirect_to else "gateway" if element.gateway else "ua"
        return "registrar" if element.registrar and method == "REGISTER" else "proxy"

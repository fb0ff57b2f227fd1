"""Elements of a real trace: who is at which address, in which role, with what the wire cannot show.

Without a map every address:port is an element of its own, named by its address. Two addresses are
merged into one element when the wire shows they are one: a proxy that receives a request on one
address and forwards it from another (its Via on top of the received Via stack, RFC 3261 section
16.6 step 8). Roles come from what an element did: it forwarded (proxy), it answered a REGISTER it
did not forward with a 2xx (registrar for REGISTER), else a user agent (RFC 3261 section 6).

The optional element map (TOML, read with ``read_toml``) names elements and says what the wire
cannot: roles, the domains a proxy is responsible for (RFC 3261 section 16.5), whether a user agent
supports TLS, whether a registrar's AoR key keeps the scheme (RFC 3261 section 10.3)::

    [[element]]
    name = "kamailio"
    addresses = ["127.0.0.1:5060", "127.0.0.1:5061"]
    role = "proxy"                 # proxy, registrar (a proxy that is also the registrar), ua, gateway
    domains = ["example.test"]     # responsible domains
    tls = true                     # supports TLS (user agents)
    aor_key_keeps_scheme = false   # registrars
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sipsmodel.errors import ScenarioError
from sipsmodel.model.tomlfile import read_toml
from sipsmodel.trace.frames import Endpoint

MAP_ROLES = ("proxy", "registrar", "ua", "gateway")
_KEYS = {"name", "addresses", "role", "domains", "tls", "aor_key_keeps_scheme"}


@dataclass(frozen=True)
class MappedElement:
    """One element of the map."""

    name: str
    addresses: tuple[Endpoint, ...]
    role: str | None = None
    domains: tuple[str, ...] | None = None
    tls: bool | None = None
    aor_key_keeps_scheme: bool | None = None


def _endpoint(text: str, where: str) -> Endpoint:
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit() or not host:
        raise ScenarioError(f"{where}: address {text!r} must be HOST:PORT (IPv6 as [::1]:5060)")
    return Endpoint(host.strip("[]"), int(port))


def _optional_bool(entry: dict[str, object], key: str, where: str) -> bool | None:
    value = entry.get(key)
    if value is not None and not isinstance(value, bool):
        raise ScenarioError(f"{where}: {key} must be true or false, found {value!r}")
    return value


def _element(entry: object, where: str) -> MappedElement:
    if not isinstance(entry, dict):
        raise ScenarioError(f"{where}: each [[element]] must be a table")
    unknown = sorted(set(entry) - _KEYS)
    if unknown:
        raise ScenarioError(f"{where}: unknown keys {unknown}; expected some of {sorted(_KEYS)}")
    name, addresses = entry.get("name"), entry.get("addresses", [])
    if not isinstance(name, str) or not name:
        raise ScenarioError(f"{where}: key 'name' must be a non-empty string")
    if not isinstance(addresses, list) or not all(isinstance(a, str) for a in addresses):
        raise ScenarioError(f"{where} ({name}): 'addresses' must be a list of \"HOST:PORT\" strings")
    role = entry.get("role")
    if role is not None and role not in MAP_ROLES:
        raise ScenarioError(f"{where} ({name}): role {role!r}; expected one of {MAP_ROLES}")
    domains = entry.get("domains")
    if domains is not None and (not isinstance(domains, list) or not all(isinstance(d, str) for d in domains)):
        raise ScenarioError(f"{where} ({name}): 'domains' must be a list of domain names")
    return MappedElement(
        name, tuple(_endpoint(a, f"{where} ({name})") for a in addresses), None if role is None else str(role),
        None if domains is None else tuple(d.lower() for d in domains), _optional_bool(entry, "tls", where),
        _optional_bool(entry, "aor_key_keeps_scheme", where),
    )  # fmt: skip


def load_element_map(path: Path) -> list[MappedElement]:
    """Read an element map file (ScenarioError naming the file and element on any mistake)."""
    data = read_toml(path, "element map")
    unknown = sorted(set(data) - {"element"})
    if unknown:
        raise ScenarioError(f"{path}: unknown keys {unknown}; an element map holds [[element]] tables only")
    entries = data.get("element", [])
    if not isinstance(entries, list):
        raise ScenarioError(f"{path}: 'element' must be an array of tables ([[element]])")
    elements = [_element(e, f"{path}: element {n + 1}") for n, e in enumerate(entries)]
    seen: dict[Endpoint, str] = {}
    for element in elements:
        for address in element.addresses:
            if address in seen:
                raise ScenarioError(f"{path}: address {address} belongs to both {seen[address]} and {element.name}")
            seen[address] = element.name
    return elements


@dataclass
class Elements:
    """Addresses merged into elements (union-find), with the roles the trace shows and the map's facts."""

    mapped: list[MappedElement] = field(default_factory=list)
    _parent: dict[Endpoint, Endpoint] = field(default_factory=dict)
    _by_address: dict[Endpoint, MappedElement] = field(default_factory=dict)
    _forwarders: set[Endpoint] = field(default_factory=set)
    _registrars: set[Endpoint] = field(default_factory=set)
    _secure: set[Endpoint] = field(default_factory=set)

    def __post_init__(self) -> None:
        for element in self.mapped:
            for address in element.addresses:
                self._by_address[address] = element
                self.merge(element.addresses[0], address)

    def root(self, address: Endpoint) -> Endpoint:
        parent = self._parent.get(address, address)
        if parent == address:
            return address
        top = self.root(parent)
        self._parent[address] = top
        return top

    def merge(self, a: Endpoint, b: Endpoint) -> None:
        """The two addresses are one element (a proxy's receiving and sending sockets)."""
        ra, rb = self.root(a), self.root(b)
        if ra != rb:
            low, high = sorted((ra, rb), key=lambda e: (e.host, e.port))
            self._parent[high] = low
            for group in (self._forwarders, self._registrars, self._secure):
                if ra in group or rb in group:
                    group.update({ra, rb})

    def mapped_of(self, address: Endpoint) -> MappedElement | None:
        found = self._by_address.get(address)
        if found is not None:
            return found
        root = self.root(address)
        return next((e for a, e in self._by_address.items() if self.root(a) == root), None)

    def name(self, address: Endpoint) -> str:
        mapped = self.mapped_of(address)
        return mapped.name if mapped is not None else str(self.root(address))

    def saw_forward(self, address: Endpoint) -> None:
        self._forwarders.add(self.root(address))

    def saw_registrar(self, address: Endpoint) -> None:
        self._registrars.add(self.root(address))

    def saw_secure(self, address: Endpoint) -> None:
        self._secure.add(self.root(address))

    def role(self, address: Endpoint, method: str) -> str:
        """The role of the element at ``address`` for a message of ``method`` (SIPS-RULES.md 0.1)."""
        root, mapped = self.root(address), self.mapped_of(address)
        registrar = root in self._registrars or (mapped is not None and mapped.role == "registrar")
        if method == "REGISTER" and registrar:
            return "registrar"
        if mapped is not None and mapped.role is not None:
            return "proxy" if mapped.role == "registrar" else mapped.role
        return "proxy" if root in self._forwarders or registrar else "ua"

    def supports_tls(self, address: Endpoint) -> bool | None:
        """From the map, else True when the element was seen on a TLS hop, else unknown (None)."""
        mapped = self.mapped_of(address)
        if mapped is not None and mapped.tls is not None:
            return mapped.tls
        return True if self.root(address) in self._secure else None

    def responsible(self, address: Endpoint, host: str) -> bool | None:
        """Whether the proxy is responsible for ``host`` (map only; None when the map does not say)."""
        mapped = self.mapped_of(address)
        if mapped is None or mapped.domains is None:
            return None
        return host.lower().strip("[]") in mapped.domains

    def key_keeps_scheme(self, address: Endpoint) -> bool | None:
        mapped = self.mapped_of(address)
        return None if mapped is None else mapped.aor_key_keeps_scheme

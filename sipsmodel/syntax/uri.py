"""URI values: SipUri (sip: and sips:) and AbsoluteUri (every other scheme), with rendering.

RFC 3261 section 19.1 (components), 19.1.1 (parameters), 25.1 (grammar). Values are frozen and
hold the components as written (escapes kept), so rendering gives back canonical text and
``parse_uri(u.render()) == u``. Comparison per section 19.1.4 lives in ``compare.py``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from sipsmodel.syntax.host import HostKind, host_kind

#: A parameter: name as written and value (``None`` when the parameter has no ``=value``).
Param = tuple[str, str | None]


def find_param(params: tuple[Param, ...], name: str) -> Param | None:
    """The first parameter called ``name`` (case-insensitive), or None."""
    lname = name.lower()
    for param in params:
        if param[0].lower() == lname:
            return param
    return None


def render_params(params: Iterable[Param]) -> str:
    """``;name=value`` text of a parameter list (RFC 3261 section 25.1 uri-parameters)."""
    return "".join(f";{n}" if v is None else f";{n}={v}" for n, v in params)


@dataclass(frozen=True, slots=True)
class SipUri:
    """A ``sip:`` or ``sips:`` URI (RFC 3261 section 19.1.1); fields hold text as written.

    ``scheme`` is lower-case ``'sip'`` or ``'sips'``; ``user`` and ``password`` are ``None``
    when absent (an empty password ``""`` differs from none); ``host`` keeps IPv6 brackets;
    ``params`` and ``headers`` keep their order.
    """

    scheme: str
    user: str | None = None
    password: str | None = None
    host: str = ""
    port: int | None = None
    params: tuple[Param, ...] = ()
    headers: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if self.scheme not in ("sip", "sips"):
            object.__setattr__(self, "scheme", self.scheme.lower())
            if self.scheme not in ("sip", "sips"):
                raise ValueError(f"SipUri scheme must be 'sip' or 'sips', not {self.scheme!r}")

    @property
    def is_sips(self) -> bool:
        """Whether this is a SIPS URI, S(u) in SIPS-RULES.md section 0.1."""
        return self.scheme == "sips"

    @property
    def host_kind(self) -> HostKind:
        """``'name'``, ``'v4'`` or ``'v6'`` (RFC 3261 section 25.1 host)."""
        return host_kind(self.host)

    def param(self, name: str) -> str | None:
        """The value of URI parameter ``name`` (case-insensitive); None if absent or valueless."""
        found = find_param(self.params, name)
        return None if found is None else found[1]

    def has_param(self, name: str) -> bool:
        """Whether URI parameter ``name`` is present, with or without a value."""
        return find_param(self.params, name) is not None

    def with_scheme(self, scheme: str) -> SipUri:
        """This URI with another scheme (``'sip'`` or ``'sips'``)."""
        return replace(self, scheme=scheme.lower())

    def twin(self) -> SipUri:
        """This URI with sip and sips swapped, twin(u) in SIPS-RULES.md section 0.1."""
        return replace(self, scheme="sip" if self.is_sips else "sips")

    def with_params(self, params: Iterable[Param]) -> SipUri:
        """This URI with its parameter list replaced by ``params``."""
        return replace(self, params=tuple(params))

    def with_param(self, name: str, value: str | None = None) -> SipUri:
        """This URI with parameter ``name`` set (replaced in place, or appended)."""
        lname = name.lower()
        if not self.has_param(name):
            return replace(self, params=(*self.params, (name, value)))
        return replace(self, params=tuple((n, value) if n.lower() == lname else (n, v) for n, v in self.params))

    def without_param(self, name: str) -> SipUri:
        """This URI without parameter ``name`` (case-insensitive)."""
        lname = name.lower()
        return replace(self, params=tuple(p for p in self.params if p[0].lower() != lname))

    def render(self) -> str:
        """Canonical text of the URI (RFC 3261 section 25.1 SIP-URI / SIPS-URI)."""
        parts = [self.scheme, ":"]
        if self.user is not None:
            parts.append(self.user)
            if self.password is not None:
                parts += (":", self.password)
            parts.append("@")
        parts.append(self.host)
        if self.port is not None:
            parts.append(f":{self.port}")
        if self.params:
            parts.append(render_params(self.params))
        if self.headers:
            parts.append("?" + "&".join(f"{n}={v}" for n, v in self.headers))
        return "".join(parts)

    def __str__(self) -> str:
        return self.render()


@dataclass(frozen=True, slots=True)
class AbsoluteUri:
    """A URI of any other scheme (tel:, mailto:, http:, urn:, ...), kept opaque (RFC 2396 absoluteURI).

    ``scheme`` is lower-case; ``text`` is everything after the first colon, as written.
    """

    scheme: str
    text: str

    def __post_init__(self) -> None:
        if self.scheme != self.scheme.lower():
            object.__setattr__(self, "scheme", self.scheme.lower())

    @property
    def is_sips(self) -> bool:
        """Always False: only a SipUri can be SIPS."""
        return False

    def render(self) -> str:
        """Canonical text of the URI: ``scheme:text``."""
        return f"{self.scheme}:{self.text}"

    def __str__(self) -> str:
        return self.render()


#: Any URI sipsmodel reads (RFC 3261 Request-URI, addr-spec).
Uri = SipUri | AbsoluteUri

"""Hypothesis strategies for topologies and scenarios (docs/semantics.md, docs/strategies.md).

Random topologies and scenarios in the shape of docs/semantics.md: a caller ``alice`` in example.net
behind a chain of proxies ``p1 .. pm``, the home proxy ``pb`` (responsible for example.com and its
registrar), edge proxies ``eb1 ..`` and callee UAs ``ua1 ..`` registering for bob@example.com.

Distributions. Every kind of scenario the model allows stays reachable, but the draws are biased
towards the scenarios where the interesting behaviour happens: short proxy chains, TLS on most
elements and links (not all), sips: targets half the time, UA policies that accept most of the time,
every callee registering for the call's target AoR, and redirects, removals and unknown targets now
and then. Shrinking: Hypothesis shrinks ``sampled_from`` towards its first element and integers
towards their lower bound, so every draw lists its simplest value first (TLS on, the default link
transports, policies that accept, no edge, no refresh, one UA, no chain, a sips: call), and counts
are drawn as lists so that whole calls can be deleted. The shrink target is the three-element
scenario alice -> pb -> ua1 with one registration and one call.
"""

from __future__ import annotations

from dataclasses import replace as _replace

from hypothesis import strategies as st

from sipsmodel.model.scenario import Call, Element, Link, Registration, Scenario

_MODEL_TRANSPORTS = ("UDP", "TCP", "TLS", "SCTP", "TLS-SCTP")
#: True three times out of four, False otherwise; shrinks to True (TLS support, accepting policies).
_MOSTLY = st.sampled_from((True, True, True, False))
#: True four times out of five; shrinks to True.
_NEARLY_ALWAYS = st.sampled_from((True, True, True, True, False))
#: Either, shrinking to False (features off by default: outbound, ringing, downgrade confirmation).
_EITHER = st.sampled_from((False, True))
#: A UA's want_sips policy: either, shrinking to True (the Element default).
_WANT_SIPS = st.sampled_from((True, False))


def _small(low: int, high: int) -> st.SearchStrategy[int]:
    """An integer in [low, high], at most low + 1 half of the time; shrinks to ``low``."""
    if high <= low + 1:
        return st.integers(low, max(low, high))
    return st.one_of(st.integers(low, low + 1), st.integers(low, high))


def _rarely(one_in: int) -> st.SearchStrategy[bool]:
    """True about once in ``one_in`` draws; shrinks to False."""
    return st.integers(0, one_in - 1).map(lambda i: i == one_in - 1)


@st.composite
def _link_transports(draw: st.DrawFn) -> tuple[str, ...]:
    """A non-empty set of transports for a link: TLS four times out of five, shrinking to UDP, TCP, TLS."""
    tls = draw(_NEARLY_ALWAYS)
    plain = draw(st.sampled_from((("UDP", "TCP"), ("UDP",), ("TCP",), ())))
    extra = draw(st.sampled_from(((), (), (), ("SCTP",), ("TLS-SCTP",))))
    chosen = set(plain + extra) | ({"TLS"} if tls else set())
    return tuple(t for t in _MODEL_TRANSPORTS if t in chosen) or ("UDP",)


@st.composite
def _proxy(draw: st.DrawFn, malicious: bool) -> tuple[bool, bool, tuple[str, ...]]:
    """A chain proxy: TLS support, malicious mark, transports of the link that reaches it."""
    return draw(_NEARLY_ALWAYS), malicious and draw(_rarely(10)), draw(_link_transports())


@st.composite
def _callee(draw: st.DrawFn, edges: int) -> tuple[Element, str | None, tuple[tuple[str, ...], ...], Registration]:
    """One callee UA in one block of draws (so that shrinking deletes a UA whole): the element (named
    later), the scheme of its redirect (None: none), its links (from pb, then from each edge proxy)
    and its registration (``expires`` here: the refresh or removal that follows it, if any)."""
    ua = Element("", "ua", "", tls=draw(_MOSTLY), want_sips=draw(_WANT_SIPS), sips_ok=draw(_NEARLY_ALWAYS),
                 sip_ok=draw(_NEARLY_ALWAYS), ringing=draw(_EITHER))  # fmt: skip
    redirect = draw(st.sampled_from(("sip", "sips"))) if draw(_rarely(6)) else None
    links = tuple(draw(_link_transports()) for _ in range(1 + edges))
    via = (f"eb{draw(st.integers(1, edges))}",) if edges and draw(st.sampled_from((False, True, True))) else ()
    follow = draw(st.sampled_from((None, None, None, 1800, 0)))  # a refresh, or a removal (expires 0)
    registration = Registration("", "bob", "example.com", "pb", via=via, outbound=draw(_EITHER), expires=follow)
    if draw(_rarely(8)):  # a gateway to a non-SIP network: SIPS ends there (SIPS-RULES.md B, point 4b)
        ua = _replace(ua, gateway=True)
    return ua, redirect, links, registration


@st.composite
def _network(
    draw: st.DrawFn, min_elements: int, max_elements: int, malicious: bool
) -> tuple[Scenario, tuple[Registration, ...]]:
    """A topology and its registrations (every UA registers for bob@example.com with pb, when pb is there)."""
    low, high = max(2, min_elements), max(2, min_elements, max_elements)
    alice = Element("alice", "ua", "alice-1.example.net", tls=draw(_NEARLY_ALWAYS), confirms_downgrade=draw(_EITHER))
    if high == 2 or (low == 2 and draw(_rarely(10))):
        bob = Element("ua1", "ua", "ua1.example.com", tls=draw(_MOSTLY), sips_ok=draw(_MOSTLY))
        return Scenario("topology", (alice, bob), (Link("alice", "ua1", draw(_link_transports())),)), ()
    rest_low, rest_high = max(1, low - 2), high - 2  # elements besides alice and pb: chain, edges, UAs
    # lists (not counts) so that shrinking deletes a proxy or a UA whole; short ones most of the time
    chain = draw(st.lists(_proxy(malicious), max_size=draw(_small(0, rest_high - 1))))
    room = (rest_high - len(chain)) // 2
    edges = draw(_small(1, room)) if room and draw(_rarely(3)) else 0
    fewest = max(1, edges, rest_low - len(chain) - edges)
    most = draw(_small(fewest, rest_high - len(chain) - edges))
    callees = draw(st.lists(_callee(edges), min_size=fewest, max_size=most))
    proxies = [f"p{i + 1}" for i in range(len(chain))]
    if len(proxies) > 0 and draw(_EITHER):
        alice = _replace(alice, outbound=proxies[0])  # alice's outbound proxy (RFC 3261 8.1.2)
    pb_tls, pb_malicious, pb_link = draw(_proxy(malicious))
    elements = [alice]
    links: dict[tuple[str, str], tuple[str, ...]] = {}
    for i, (name, (tls, bad, link)) in enumerate(zip(proxies, chain, strict=True)):
        outbound = proxies[i + 1] if i + 1 < len(chain) else None
        elements.append(Element(name, "proxy", f"{name}.example.net", tls=tls, outbound=outbound, malicious=bad))
        links[("alice" if i == 0 else proxies[i - 1], name)] = link
    elements.append(Element("pb", "proxy", "pb.example.com", tls=pb_tls, responsible_for=("example.com",),
                            registrar=True, malicious=pb_malicious))  # fmt: skip
    links[(proxies[-1] if proxies else "alice", "pb")] = pb_link
    links.setdefault(("alice", "pb"), draw(_link_transports()))
    for j in range(edges):
        elements.append(Element(f"eb{j + 1}", "proxy", f"eb{j + 1}.example.com", tls=draw(_NEARLY_ALWAYS), edge=True))
        links[("pb", f"eb{j + 1}")] = draw(_link_transports())
    registrations: list[Registration] = []
    count = len(callees)
    for i, (ua, redirect, ua_links, registration) in enumerate(callees):
        name = f"ua{i + 1}"
        target = f"{redirect}:carol@ua{count}.example.com"  # a redirect server pointing at the last UA
        elements.append(_replace(ua, name=name, host=f"{name}.example.com",
                                 redirect_to=target if redirect and i + 1 < count else None))  # fmt: skip
        links[("pb", name)] = ua_links[0]
        links.update({(f"eb{j + 1}", name): ua_links[j + 1] for j in range(edges)})
        first = _replace(registration, ua=name, expires=None)
        registrations.append(first)
        if registration.expires is not None:
            registrations.append(_replace(first, expires=registration.expires))
    topology = Scenario("topology", tuple(elements), tuple(Link(a, b, t) for (a, b), t in links.items()))
    return topology, tuple(registrations)


@st.composite
def topologies(draw: st.DrawFn, min_elements: int = 2, max_elements: int = 12, malicious: bool = True) -> Scenario:
    """A Scenario with elements and links only: alice, proxies p1..pm, pb, edges eb1.., UAs ua1.. .

    Sizes are ``min_elements`` .. ``max_elements`` (at least 2). Two elements are ``alice`` calling
    ``ua1`` directly (one time in ten when allowed); otherwise the home proxy ``pb`` is there and the
    chain, the edge proxies and the UAs are short more often than long.
    """
    return draw(_network(min_elements, max_elements, malicious))[0]


@st.composite
def _call(draw: st.DrawFn, topology: Scenario) -> Call:
    """One call from alice: sips: half the time, mostly to the registered AoR, sometimes preloaded."""
    names = {e.name for e in topology.elements}
    scheme = draw(st.sampled_from(("sips", "sip")))
    if "pb" in names:
        user = "carol" if draw(_rarely(10)) else "bob"  # carol@example.com has no binding: 480
        target = f"{scheme}:{user}@example.com"
    else:
        target = f"{scheme}:ua1@ua1.example.com"
    route: tuple[str, ...] = ()
    if "p1" in names and draw(_rarely(3)):
        route = (f"{draw(st.sampled_from(('sips', 'sip')))}:p1.example.net;lr",)
    ack = [("caller", "ACK")] if draw(st.integers(0, 5)) > 0 else []
    entry = st.tuples(st.sampled_from(("caller", "callee")), st.sampled_from(("BYE", "INVITE")))
    in_dialog = draw(st.lists(entry, max_size=2))
    return Call("alice", target, route, tuple(ack + in_dialog))


@st.composite
def scenarios(
    draw: st.DrawFn, max_elements: int = 12, min_elements: int = 2, max_calls: int = 2, malicious: bool = True
) -> Scenario:
    """A valid random Scenario: registrations (edge, outbound, refresh, removal), calls, in-dialog requests.

    Every UA registers for bob@example.com, the AoR the calls target (when there is a home proxy).
    """
    topology, registrations = draw(_network(min_elements, max_elements, malicious))
    calls = draw(st.lists(_call(topology), min_size=1, max_size=max(1, max_calls)))
    return _replace(topology, name="random", registrations=tuple(registrations), calls=tuple(calls))

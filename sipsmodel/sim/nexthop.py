"""The simulator's side of steps/routing.py: Route values and an element's outbound proxy as the step reads them.

RFC 3261 16.4, 16.6 steps 6-7, 12.2.1.1; docs/semantics.md, Resolution.
"""

from __future__ import annotations

from collections.abc import Sequence

from sipsmodel.model.message_values import scheme_of
from sipsmodel.model.scenario import Element
from sipsmodel.sim.state import SimState
from sipsmodel.sim.wire import tparam_of
from sipsmodel.steps.routing import RouteLeft
from sipsmodel.syntax import NameAddr, SipUri, Uri


def route_left(state: SimState, routes: Sequence[NameAddr]) -> RouteLeft[bool, str, Element | None]:
    """The first Route value left (after the sender removed its own), as steps/routing.py reads it."""
    if not routes:
        return RouteLeft(False, None, "none", "none")
    uri = routes[0].uri
    scheme = "sips" if scheme_of(uri) == "sips" else "sip"
    return RouteLeft(True, state.network.resolve(uri), scheme, tparam_of(uri), not is_loose(routes[0]))


def is_loose(value: NameAddr) -> bool:
    """A loose router's Route value: its URI has ``lr`` (RFC 3261 19.1.1, 16.4)."""
    return isinstance(value.uri, SipUri) and value.uri.has_param("lr")


def outbound_of(state: SimState, element: Element, ruri: Uri) -> bool:
    """The element sends to its outbound proxy: it has one and is not responsible for the Request-URI."""
    return bool(element.outbound) and not state.network.is_responsible(element, ruri)


def outbound_element(state: SimState, element: Element) -> Element | None:
    """The element's outbound proxy, if it has one."""
    return state.network.element(element.outbound) if element.outbound else None

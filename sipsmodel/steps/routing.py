"""The next hop of a request from the Route values left, an outbound proxy, or the Request-URI (one step, two engines).

RFC 3261 12.2.1.1 (a UA's request within a dialog: loose and strict routing), 16.4 and 16.6 steps 6-7
(a proxy forwards to the first Route value left, else to the Request-URI), RFC 3261 8.1.2 and
docs/semantics.md, Resolution (a proxy that is not responsible for the Request-URI and has an outbound
proxy sends there), RFC 3263 4.1 (the transport parameter of the URI the next hop is resolved from).
Theory of operation: ``sipsmodel.steps``. ``X`` is how an engine names an element: the simulator's
``Element`` (or None when a URI resolves to nothing), the encoding's position (an int or an Int term).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from sipsmodel.model.vocab import OPT_SCHEME, TPARAM
from sipsmodel.steps.ops import B, E, N, Ops

X = TypeVar("X")


@dataclass(frozen=True)
class RouteLeft(Generic[B, E, X]):
    """The first Route value left after the sender removed its own: is there one, whose, and its URI's traits.

    ``strict``: the value is a strict router's (no ``lr``, RFC 3261 12.2.1.1), so it travels as the
    Request-URI and names no Route value for the ``next`` feature.
    """

    exists: B | bool
    owner: X
    scheme: E  # OPT_SCHEME
    tparam: E  # TPARAM
    strict: B | bool = False


@dataclass(frozen=True)
class NextHop(Generic[E, X]):
    """Who receives the request, and the features ``next`` and ``next_tp`` of ``send_in_dialog`` there."""

    element: X
    route: E  # OPT_SCHEME: the scheme of the loose Route value naming the next hop, none without one
    tparam: E  # TPARAM: the transport parameter of the URI the next hop is resolved from


def next_hop(ops: Ops[B, N, E], route: RouteLeft[B, E, X], outbound: B | bool, outbound_element: X, target: X,
             target_tparam: E) -> NextHop[E, X]:
    """The first Route value's owner, else the outbound proxy, else the element the Request-URI names."""
    element = ops.ite(route.exists, route.owner, ops.ite(outbound, outbound_element, target))
    scheme = ops.ite(ops.and_(route.exists, ops.not_(route.strict)), route.scheme, ops.const(OPT_SCHEME, "none"))
    from_route = ops.ite(route.exists, route.tparam, ops.const(TPARAM, "none"))
    tparam = ops.ite(ops.or_(route.exists, outbound), from_route, target_tparam)
    return NextHop(element, scheme, tparam)

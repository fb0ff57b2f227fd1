"""The next hop of a request from the Route values left, an outbound proxy, or the Request-URI (one step, two engines).

RFC 3261 12.2.1.1 (a UA's request within a dialog: loose and strict routing), 16.4 and 16.6 steps 6-7
(a proxy forwards to the first Route value left, else to the Request-URI), RFC 3261 8.1.2 and
docs/semantics.md, Resolution (a proxy that is not responsible for the Request-URI and has an outbound
proxy sends there), RFC 3263 4.1 (the transport parameter of the URI the next hop is resolved from);
the Request-URI swap of a strict router (12.2.1.1, 8.1.1.1, 16.6 step 6; SIPS-RULES.md F-19).
Theory of operation: ``sipsmodel.steps``. ``X`` is how an engine names an element: the simulator's
``Element`` (or None when a URI resolves to nothing), the encoding's position (an int or an Int term).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from sipsmodel.model.vocab import OPT_SCHEME, TPARAM
from sipsmodel.steps.ops import B, E, N, Ops

X = TypeVar("X")
U = TypeVar("U")


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


def request_uri(ops: Ops[B, N, E], route: RouteLeft[B, E, X], entry: U, target: U) -> U:
    """The URI a request is sent with: the first Route value left when it is a strict router's, else the target.

    RFC 3261 12.2.1.1 (a UA, and 8.1.1.1 a UAC with a preloaded route) and 16.6 step 6 (a proxy): a
    strict router's URI travels as the Request-URI and the target goes last in Route; the strict router
    takes it back (16.4). ``entry`` and ``target`` are whatever an engine names URIs by: the simulator's
    URIs, the encoding's schemes or transport parameters (one call per trait).
    """
    return ops.ite(route.strict, ops.ite(route.exists, entry, target), target)  # a Python False folds away


def addressed(ops: Ops[B, N, E], strict: B | bool, ruri: U, route0: U) -> tuple[U, U]:
    """(The first Route entry, the target) a UAC's INVITE names, from what it sends: its Request-URI and top Route.

    RFC 3261 8.1.1.1 with 12.2.1.1: behind a strict first entry of the preloaded route (``strict``,
    the feature ``route_strict``) the Request-URI is that entry and the target is the last Route
    value (the topmost when the route has one entry, as in the model); otherwise the other way round.
    """
    return ops.ite(strict, ruri, route0), ops.ite(strict, route0, ruri)


def route_top(ops: Ops[B, N, E], route: RouteLeft[B, E, X], second: E, target: E) -> E:
    """The scheme (OPT_SCHEME) of the topmost Route value a request is sent with, from the values left.

    RFC 3261 12.2.1.1 and 16.6 step 6: a loose first value stays on top; behind a strict one (which
    travels as the Request-URI) the second value left is on top, else the target, which goes last.
    ``second``: the second value's scheme, none without one; ``target``: the target's scheme.
    """
    behind = ops.ite(ops.is_(second, "none"), target, second)
    first = ops.ite(route.exists, route.scheme, ops.const(OPT_SCHEME, "none"))
    return ops.ite(route.strict, ops.ite(route.exists, behind, first), first)

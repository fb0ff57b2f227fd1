"""A proxy's own Record-Route value as it forwards a 2xx (one step, two engines).

RFC 3261 16.7 step 8 (a proxy may rewrite the Record-Route value it inserted when it forwards the
response); draft-04 4.2 and RFC 5630 5.2 (the scheme it rewrites to). Theory of operation:
``sipsmodel.steps``.
"""

from __future__ import annotations

from sipsmodel.model.vocab import SCHEME, TPARAM
from sipsmodel.steps.ops import B, E, N, Ops


def rewritten_scheme(ops: Ops[B, N, E], rewrite: E, scheme: E) -> E:
    """The scheme of the proxy's own value after proxy_response_rr chose ``rewrite`` (REWRITE: keep, sip, sips)."""
    return ops.ite(ops.is_(rewrite, "keep"), scheme,
                   ops.ite(ops.is_(rewrite, "sips"), ops.const(SCHEME, "sips"), ops.const(SCHEME, "sip")))


def rewritten_tparam(ops: Ops[B, N, E], rewrite: E, tparam: E) -> E:
    """The transport parameter of the proxy's own value after proxy_response_rr chose ``rewrite``.

    The rewritten value is a new URI the proxy provides (RFC 3261 16.7 step 8, under 16.6 step 4's
    constraints): it keeps the parameter, except that a value rewritten to ``sips:`` drops ``udp``, which
    a SIPS URI never names (RFC 3261 19.1.1, 26.2.2).
    """
    drops = ops.and_(ops.is_(rewrite, "sips"), ops.is_(tparam, "UDP"))
    return ops.ite(drops, ops.const(TPARAM, "none"), tparam)

"""A proxy's own Record-Route value as it forwards a 2xx (one step, two engines).

RFC 3261 16.7 step 8 (a proxy may rewrite the Record-Route value it inserted when it forwards the
response); draft-04 4.2 and RFC 5630 5.2 (the scheme it rewrites to). Theory of operation:
``sipsmodel.steps``.
"""

from __future__ import annotations

from sipsmodel.model.vocab import SCHEME
from sipsmodel.steps.ops import B, E, N, Ops


def rewritten_scheme(ops: Ops[B, N, E], rewrite: E, scheme: E) -> E:
    """The scheme of the proxy's own value after proxy_response_rr chose ``rewrite`` (REWRITE: keep, sip, sips)."""
    return ops.ite(ops.is_(rewrite, "keep"), scheme,
                   ops.ite(ops.is_(rewrite, "sips"), ops.const(SCHEME, "sips"), ops.const(SCHEME, "sip")))

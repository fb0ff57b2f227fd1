"""The largest bound k the bounded family supports, and the up-front refusal of a larger one (issue 11).

Why there is a largest bound: the user agents of the simulator start every request with Max-Forwards 70
(RFC 3261 section 8.1.1.6), each proxy decrements it and a proxy that receives 0 answers 483 Too Many
Hops (16.3 step 3, 16.6 step 3). The bounded encoding (``sipsmodel.smt.encode``) does not model
Max-Forwards, so it follows the simulator only while no request of the family runs out of hops. The
family's longest walk is the callee's BYE at bound k: ``bob -> eb -> pb -> p(k-1) .. p1``, then from
``p1`` along its outbound proxies ``p2 .. p(k-1)`` to alice, through ``2k - 1`` proxies; the last of
them receives ``70 - (2k - 2)``, which must be at least 1. So ``2k - 1 <= 70``: k is at most 35.
``tests/smt/test_bound_limit.py`` checks this against the simulator (no 483 at 35, a 483 at 36).
Nothing here imports z3, so a run can be refused before any solver is loaded.
"""

from __future__ import annotations

from sipsmodel.errors import SipsModelError

#: Max-Forwards of every request a user agent of the simulator creates (RFC 3261 8.1.1.6).
MAX_FORWARDS = 70

#: The largest bound k of the bounded family: its longest walk passes 2k - 1 proxies (module docstring).
MAX_BOUND = (MAX_FORWARDS + 1) // 2


class BoundTooLarge(SipsModelError):
    """A bound beyond ``MAX_BOUND``: refused before any encoding is built."""


def check_bound(bound: int, option: str = "--bound") -> None:
    """Raise :class:`BoundTooLarge` (exit 2 on the command line) when ``bound`` exceeds ``MAX_BOUND``."""
    if bound > MAX_BOUND:
        raise BoundTooLarge(
            f"{option} {bound} is beyond the bounded family: the largest supported bound is {MAX_BOUND}. "
            f"The family's longest walk (the callee's BYE) passes 2k-1 proxies and requests start with "
            f"Max-Forwards {MAX_FORWARDS}, which the encoding does not model (a proxy answers 483 past it); "
            f"use {option} {MAX_BOUND} or less"
        )

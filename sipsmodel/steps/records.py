"""The observation records a step emits, built once for both engines (issue 11 item 1e).

docs/semantics.md, Observation; the schemas are ``RECORD_SCHEMAS`` of ``sipsmodel/model/vocab.py``.
A builder gives every attribute but the ``index`` (the position of the decision in the trace), which
each engine knows its own way: the simulator counts its decisions, the encoding numbers them once
every visit is laid out (``smt/observe.py``). Theory of operation: ``sipsmodel.steps``.
"""

from __future__ import annotations

from typing import Any

from sipsmodel.model.vocab import ACTOR, BOOL
from sipsmodel.steps.ops import B, E, N, Ops


def retry(ops: Ops[B, N, E], by: str, failure: E, schemes: tuple[E, E], confirmed: B | bool) -> dict[str, Any]:
    """A ``retries`` record: who retried or recursed, on which failure, from which scheme to which (RFC 3261
    8.1.3.4, 16.7 step 4; RFC 5630 5.3). ``schemes``: (the failed request's Request-URI, the new target's)."""
    old, new = schemes
    return {"by": ops.const(ACTOR, by), "failure": failure, "old": old, "new": new,
            "confirmed": ops.feature(BOOL, confirmed)}

"""The observation records a step emits, built once for both engines (issue 11 item 1e).

docs/semantics.md, Observation; the schemas are ``RECORD_SCHEMAS`` of ``sipsmodel/model/vocab.py``.
A builder gives every attribute but the ``index`` (the position of the decision in the trace), which
each engine knows its own way: the simulator counts its decisions, the encoding numbers them once
every visit is laid out (``smt/observe.py``). Theory of operation: ``sipsmodel.steps``.
"""

from __future__ import annotations

from typing import Any

from sipsmodel.model.vocab import ACTOR, BOOL, DIALOG_ROLE, INT
from sipsmodel.steps.ops import B, E, N, Ops


def retry(ops: Ops[B, N, E], by: str, failure: E, schemes: tuple[E, E], confirmed: B | bool) -> dict[str, Any]:
    """A ``retries`` record: who retried or recursed, on which failure, from which scheme to which (RFC 3261
    8.1.3.4, 16.7 step 4; RFC 5630 5.3). ``schemes``: (the failed request's Request-URI, the new target's)."""
    old, new = schemes
    return {"by": ops.const(ACTOR, by), "failure": failure, "old": old, "new": new,
            "confirmed": ops.feature(BOOL, confirmed)}


def dialog(ops: Ops[B, N, E], ids: tuple[N | int, N | int, N | int], role: str, secure: B | bool,
           schemes: tuple[E, E, E], tls: B | bool, request: tuple[E, E, E]) -> dict[str, Any]:
    """A ``dialogs`` record (RFC 3261 12.1.1 at the UAS, 12.1.2 at the UAC).

    ``ids``: (the dialog's id, its call's, its creating request's); ``schemes``: (the remote target's,
    the first route-set entry's or none, the local Contact's); ``request``: the creating request as the
    UAS received it (Request-URI, top Record-Route or none, Contact schemes).
    """
    ident, call, req = ids
    rtarget, rset0, lcontact = schemes
    req_ruri, req_rr_top, req_contact = request
    return {"id": ops.feature(INT, ident), "call": ops.feature(INT, call), "request": ops.feature(INT, req),
            "role": ops.const(DIALOG_ROLE, role), "secure": ops.feature(BOOL, secure), "rtarget": rtarget,
            "rset0": rset0, "lcontact": lcontact, "tls": ops.feature(BOOL, tls), "req_ruri": req_ruri,
            "req_rr_top": req_rr_top, "req_contact": req_contact}


def binding(ops: Ops[B, N, E], ident: N | int, stored: tuple[E, E, B | bool], register: tuple[E, E, E, B | bool],
            flow: E) -> dict[str, Any]:
    """A ``bindings`` record (RFC 3261 10.3; RFC 3327; RFC 5626 6).

    ``stored``: (the Contact's scheme, the AoR's, the registrar's key keeps the scheme); ``register``: the
    REGISTER that created it (Request-URI and From schemes, the stored Path value's or none, its last
    hop was protected by TLS); ``flow``: the outbound flow's transport, none without one.
    """
    contact, aor, key_scheme = stored
    reg_ruri, reg_from, reg_path, reg_secure = register
    return {"id": ops.feature(INT, ident), "contact": contact, "aor": aor,
            "key_scheme": ops.feature(BOOL, key_scheme), "reg_ruri": reg_ruri, "reg_from": reg_from,
            "reg_path": reg_path, "reg_secure": ops.feature(BOOL, reg_secure), "flow": flow}

"""Failure classification, retry targets and pb's best final response (RFC 3261 16.7, 8.1.3.4; RFC 5630 5.3).

The classification, the retry target's scheme and the best final response are steps written once
for both engines (``sipsmodel/steps``), run here on Z3 terms (``smt/ops.py``) and in the simulator on
concrete values (``sim/proxy.py`` ``failure_of``, ``complete``; ``sim/ua.py``).
"""


from __future__ import annotations

from typing import Any

import z3

from sipsmodel.model.vocab import ACTOR, BOOL, INT, SCHEME
from sipsmodel.smt.compile import Sym, SymRecord, const, is_value, ite
from sipsmodel.smt.invite import (
    Branch,
)
from sipsmodel.smt.ops import Z3
from sipsmodel.steps import responses

Term = Any


def blocked_edge(b: Branch) -> Term:
    return z3.And(b.pb_forward.sent, b.binding.has_path, b.edge_forward.visit.blocked)


def _up_status(b: Branch) -> tuple[Term, Term]:
    """The final response pb receives on branch ``b`` (the edge answers 480 when it cannot send)."""
    blocked = blocked_edge(b)
    return z3.If(blocked, 480, b.status), z3.If(blocked, 0, b.warn)


def final_at_pb(originals: list[Branch], finals: list[Branch], in_ruri: Sym) -> tuple[Term, Term, Sym, Term]:
    """pb's final response (status, warn, Contact, winning branch): sim/proxy.py ``complete``.

    ``finals`` are pb's branches in the order they were created (the first branches, then the
    recursion branches). A 2xx is forwarded at once (the first one); otherwise the best response
    (3xx before 4xx, RFC 3261 16.7 step 6), the first of its class; with no branch sent, 480 with
    warn-code 380 when the Request-URI is sips and a sip binding was left out (RFC 5630 5.3).
    """
    left_out_sip = z3.Or([z3.And(b.found, z3.Or(z3.Not(b.targeted), b.pb_forward.visit.blocked),
                                 b.binding.contact.term ==
                                 const(SCHEME, "sip").term) for b in originals] or [z3.BoolVal(False)])
    status: Term = z3.IntVal(480)
    warn: Term = z3.If(z3.And(is_value(SCHEME, in_ruri, "sips"), left_out_sip), 380, 0)
    contact = const(SCHEME, "sip")
    winner: Term = z3.IntVal(-1)
    answered = [z3.Or(b.delivered, blocked_edge(b)) for b in finals]
    ups = [_up_status(b) for b in finals]
    for n in range(len(finals) - 1, -1, -1):  # the first branch's answer (all 4xx)
        status = z3.If(answered[n], ups[n][0], status)
        warn = z3.If(answered[n], ups[n][1], warn)
        contact = ite(answered[n], finals[n].contact, contact)
    for cls in (300, 200):  # a 3xx beats a 4xx, a 2xx wins
        for n in range(len(finals) - 1, -1, -1):
            won = z3.And(answered[n], ups[n][0] >= cls, ups[n][0] < cls + 100)
            status = z3.If(won, ups[n][0], status)
            warn = z3.If(won, ups[n][1], warn)
            contact = ite(won, finals[n].contact, contact)
            if cls == 200:
                winner = z3.If(won, n, winner)
    return status, warn, contact, winner


def failure_of(status: Term, warn: Term) -> Sym:
    """FAILURE of a final response (steps/responses.py); ``r480_381`` stands for none here."""
    return responses.failure_of(Z3, status, warn)


def has_failure(status: Term, warn: Term) -> Term:
    """The response is one a proxy may recurse on or a UAC may retry (steps/responses.py)."""
    return responses.has_failure(Z3, status, warn)


def contact_feature(failure: Sym, contact: Sym) -> Sym:
    """The ``contact`` feature of proxy_recurse and uac_retry (steps/responses.py)."""
    return responses.contact_feature(Z3, failure, contact)


def retry_scheme(failure: Sym, contact: Sym) -> Sym:
    """The scheme of the new target (steps/responses.py)."""
    return responses.retry_scheme(Z3, failure, contact)


def retry_record(kind: str, v: Any, old: Sym, new: Sym, failure: Sym, confirmed: Term, chosen: str) -> SymRecord:
    """docs/semantics.md Observation: a retries record for a visit that chose to retry or recurse."""
    active = z3.And(v.active, v.options["action"].term == const(v.options["action"].domain, chosen).term)
    return SymRecord(active, {
        "index": Sym(z3.IntVal(-1), INT), "by": const(ACTOR, kind), "failure": failure, "old": old,
        "new": new, "confirmed": Sym(confirmed, BOOL),
    })

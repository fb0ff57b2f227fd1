"""Failure classification, retry targets and pb's best final response (RFC 3261 16.7, 8.1.3.4; RFC 5630 5.3).

The classification, the retry target's scheme and the best final response are steps written once
for both engines (``sipsmodel/steps``), run here on Z3 terms (``smt/ops.py``) and in the simulator on
concrete values (``sim/proxy.py`` ``failure_of``, ``complete``; ``sim/ua.py``).
"""


from __future__ import annotations

from typing import Any

import z3

from sipsmodel.model.vocab import INT, SCHEME, TPARAM
from sipsmodel.smt.compile import Sym, SymRecord, const
from sipsmodel.smt.invite import (
    Branch,
)
from sipsmodel.smt.ops import Z3
from sipsmodel.steps import best, records, responses

Term = Any


def blocked_edge(b: Branch) -> Term:
    return z3.And(b.pb_forward.sent, b.binding.has_path, b.edge_forward.visit.blocked)


def _up_status(b: Branch) -> tuple[Term, Term]:
    """The final response pb receives on branch ``b`` (the edge answers 480 when it cannot send)."""
    blocked = blocked_edge(b)
    return z3.If(blocked, 480, b.status), z3.If(blocked, 0, b.warn)


def final_at_pb(originals: list[Branch], finals: list[Branch], in_ruri: Sym) -> tuple[Term, Term, Sym, Term, Sym]:
    """pb's final response (status, warn, Contact, winning 2xx branch, the Contact's transport parameter):
    steps/best.py, as sim/proxy.py ``complete`` (a 302's Contact keeps the redirect UA's parameter).

    ``finals`` are pb's branches in the order they were created (the first branches, then the
    recursion branches); the family's answers are 2xx, 3xx or 4xx. With no branch sent, 480 with
    warn-code 380 when the Request-URI is sips and a sip binding was left out (RFC 5630 5.3).
    """
    left_out = [best.left_out_sip(Z3, b.found, z3.Or(z3.Not(b.targeted), b.pb_forward.visit.blocked),
                                  b.binding.contact) for b in originals]
    no_branch = (best.no_branch_warn(Z3, in_ruri, left_out), const(SCHEME, "sip"), const(TPARAM, "none"))
    nobody: best.Answer[Term, Term] = best.Answer(False, z3.IntVal(480), no_branch)
    answers: list[best.Answer[Term, Term]] = []
    for b in finals:
        status, warn = _up_status(b)
        answers.append(best.Answer(z3.Or(b.delivered, blocked_edge(b)), status, (warn, b.contact, b.contact_tp)))
    chosen = best.best_final(Z3, answers, nobody, classes=(200, 300, 400))
    warn, contact, contact_tp = chosen.payload
    return chosen.status, warn, contact, chosen.winner, contact_tp


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
    values = records.retry(Z3, kind, failure, (old, new), confirmed)
    return SymRecord(active, {"index": Sym(z3.IntVal(-1), INT), **values})

"""Final responses of the bounded scenario retracing the Vias, and the dialogs a 2xx creates.

docs/semantics.md call steps 4 and 6: a response uses the transport of the request hop it answers
(RFC 3261 18.2.2); a proxy that inserted Record-Route values visits ``proxy_response_rr`` when it
forwards a 2xx and may rewrite the scheme of its own top value (RFC 3261 16.7 step 8). The UAC's dialog
(12.1.2) takes the 2xx's Record-Route reversed and its Contact; the UAS's (12.1.1) the Record-Route as
received and the request's Contact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import z3

from sipsmodel.model.vocab import ANY_SCHEME, OPT_SCHEME, RR_KIND, SCHEME, TPARAM
from sipsmodel.smt.compile import Sym, SymRecord, const, convert, ite
from sipsmodel.smt.invite import Forward, Leg, RREntry, rr_top
from sipsmodel.smt.ops import Z3
from sipsmodel.smt.records import contact_params, rr_params, with_params
from sipsmodel.smt.topology import Topology, response_fields
from sipsmodel.steps import features
from sipsmodel.steps import records as steps_records
from sipsmodel.steps.recordroute import rewritten_scheme, rewritten_tparam

Term = Any


@dataclass
class Answer:
    """A final response travelling up: which slot it arrives on, its status and Contact, the RR list."""

    status: Term
    contact: Sym
    rr: list[RREntry]
    arrives: Term


def respond(topo: Topology, leg: Leg, active: Term, status: Term, contact: Sym, rr: list[RREntry], label: str,
            contact_tp: Sym | None = None) -> None:
    """One response slot answering ``leg`` (sent by its receiver back to its sender).

    ``contact_tp``: the transport parameter of the Contact of a 2xx (none when absent).
    """
    f = leg.slot.fields
    is_2xx = z3.And(status >= 200, status < 300)
    top = ite(is_2xx, rr_top(rr), const(OPT_SCHEME, "none"))
    with_contact = z3.Or(is_2xx, status == 302)  # a 2xx, or a redirect UA's 302
    shown = ite(with_contact, convert(contact, ANY_SCHEME), const(ANY_SCHEME, "none"))
    fields = response_fields(f, status, shown, top, f["receiver"],
                             f["sender"])
    if contact_tp is not None:
        fields.update(contact_params(shown, ite(with_contact, contact_tp, const(TPARAM, "none"))))
    # a 2xx to the INVITE copies its Record-Route values (RFC 3261 12.1.1, 16.7; sim/wire.py response_to)
    fields.update(with_params(fields, rr_params(rr, is_2xx)))
    topo.send(active, leg.slot.receiver, leg.slot.sender, fields, leg.slot.request, label)


def rewritten(topo: Topology, fw: Forward, active: Term, entries: list[RREntry], label: str) -> list[RREntry]:
    """proxy_response_rr at a proxy that Record-Routed, as it forwards a 2xx (RFC 3261 16.7 step 8)."""
    o = fw.visit.options
    inserted = z3.Not(o["rr"].term == const(RR_KIND, "none").term)
    assert fw.outgoing is not None
    secure = (fw.visit.features["in_secure"], fw.outgoing.slot.fields["secure"])
    v = topo.rules.visit(
        "proxy_response_rr", fw.element, z3.And(active, inserted),
        features.proxy_response_rr(Z3, (o["rr"], o["rr_out"], o["rr_tp"]), secure, topo.malicious(fw.element)),
        f"{label}!rr", fallback={"rewrite": "keep"},
    )
    rewrite = v.options["rewrite"]
    result = []
    for e in entries:
        if e.is_out and any(e is mine for mine in fw.entries):  # this proxy's own out value
            scheme = rewritten_scheme(Z3, rewrite, e.scheme)
            result.append(RREntry(e.owner, e.present, scheme, True, rewritten_tparam(Z3, rewrite, e.tparam),
                                  e.strict))  # lr kept
        else:
            result.append(e)
    return result


def dialog_record(role: str, secure: Term, rtarget: Sym, rset0: Sym, lcontact: Sym, tls: Term,
                  req: dict[str, Sym], request: Term, active: Term, ident: Term) -> SymRecord:
    """A ``dialogs`` record (RFC 3261 12.1.1 at the UAS, 12.1.2 at the UAC)."""
    schemes = (convert(rtarget, SCHEME), rset0, convert(lcontact, SCHEME))
    received = (convert(req["ruri"], SCHEME), req["rr_top"], convert(req["contact"], SCHEME))
    return SymRecord(active, steps_records.dialog(Z3, (ident, 0, request), role, secure, schemes, tls, received))


def first_entry(entries: list[RREntry]) -> Sym:
    """Scheme of the bottom-most present value (the first of the reversed list), ``none`` without one."""
    result = const(OPT_SCHEME, "none")
    for entry in reversed(entries):
        result = ite(entry.present, convert(entry.scheme, OPT_SCHEME), result)
    return result


__all__ = ["Answer", "dialog_record", "first_entry", "respond", "rewritten"]

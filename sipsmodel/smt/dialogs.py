"""The dialogs of a 2xx and the in-dialog ACK, re-INVITE and BYE in the encoding (RFC 3261 12.1, 12.2, 14).
"""


from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import z3

from sipsmodel.model.vocab import ANY_SCHEME, BOOL, OPT_SCHEME, SCHEME
from sipsmodel.smt.answers import dialog_record, first_entry
from sipsmodel.smt.attempt import Outcome
from sipsmodel.smt.compile import Sym, SymRecord, const, convert, is_value, ite
from sipsmodel.smt.drain import merge_rr
from sipsmodel.smt.indialog import Walk, walk
from sipsmodel.smt.register import BindingState
from sipsmodel.smt.topology import Segment, Topology

Term = Any


def secure_flags(o: Outcome) -> tuple[Term, Term]:
    """(The UAS's, the UAC's) secure flag: the last hop, resp. the first, was TLS and the Request-URI sips
    (RFC 3261 12.1.1, 12.1.2)."""
    uas_leg, f = o.branch.uas_leg.slot.fields, o.first.slot.fields
    return (z3.And(uas_leg["secure"].term, is_value(ANY_SCHEME, uas_leg["ruri"], "sips")),
            z3.And(f["secure"].term, is_value(ANY_SCHEME, f["ruri"], "sips")))


def dialogs_of(topo: Topology, o: Outcome) -> list[SymRecord]:
    """UAS dialog (12.1.1) then UAC dialog (12.1.2) of the 2xx that reaches alice."""
    b = o.branch
    uas_leg = b.uas_leg.slot.fields
    ua_secure, uac_secure = secure_flags(o)
    uas = dialog_record("uas", ua_secure, convert(uas_leg["contact"], SCHEME), uas_leg["rr_top"], b.contact,
                        topo.tls(topo.bob(b.binding.j)), uas_leg, b.request, o.won, z3.IntVal(0))
    f = o.first.slot.fields
    uac_req = {"ruri": f["ruri"], "rr_top": const(OPT_SCHEME, "none"), "contact": f["contact"]}
    uac_record = dialog_record("uac", uac_secure, b.contact, first_entry(o.rr), o.uac.options["contact"],
                               topo.tls(topo.ALICE), uac_req, o.first.slot.request, o.won, z3.IntVal(1))
    return [uas, uac_record]


@dataclass(frozen=True)
class ReInvite:
    """The call's optional re-INVITE after the ACK (RFC 3261 12.2, 14): whether it is sent, and by whom."""

    sent: Term
    by_callee: Term  # else the caller sends it


def _pick(outcomes: list[Outcome], values: list[Sym]) -> Sym:
    """The value of the branch that won (the last one when none did)."""
    result = values[-1]
    for o, v in zip(reversed(outcomes[:-1]), reversed(values[:-1]), strict=True):
        result = ite(o.won, v, result)
    return result


def in_dialog(topo: Topology, b: BindingState, outcomes: list[Outcome], bye: Segment,
              reinvite: ReInvite | None = None) -> None:
    """The caller's ACK along its route set, then the optional re-INVITE (when laid out) and the callee's BYE."""
    if not outcomes:
        return
    won = z3.Or([o.won for o in outcomes])

    def pick(values: list[Sym]) -> Sym:
        return _pick(outcomes, values)

    to = pick([o.first.slot.fields["to"] for o in outcomes])
    frm = pick([o.first.slot.fields["from"] for o in outcomes])
    rr = merge_rr([(o.won, o.rr) for o in outcomes])
    rank: Term = z3.IntVal(0)
    for o in outcomes:
        rank = z3.If(o.won, o.final_rank, rank)
    bob_contact, bob_tp = pick([o.branch.contact for o in outcomes]), pick([o.branch.contact_tp for o in outcomes])
    alice_contact = pick([o.uac.options["contact"] for o in outcomes])
    alice_tp = pick([o.uac.options["contact_tp"] for o in outcomes])
    flags = [secure_flags(o) for o in outcomes]
    bob_secure, alice_secure = (pick([Sym(f[n], BOOL) for f in flags]).term for n in (0, 1))
    caller = Walk("ACK", topo.ALICE, topo.bob(b.j), rr, bob_contact, to, frm, z3.IntVal(0), won, b, bob_tp,
                  secure=alice_secure)
    bob_route = merge_rr([(o.won, list(reversed(o.branch.uas_leg.rr))) for o in outcomes])
    callee = Walk("BYE", topo.bob(b.j), topo.ALICE, bob_route, alice_contact, frm, to, z3.IntVal(0), won, b, alice_tp,
                  secure=bob_secure)
    with topo.in_segment(Segment(rank + 1, f"ack{b.j}")):  # at once, before pb cancels the other branches
        walk(topo, replace(caller, request=topo.new_request(won)), f"ack{b.j}")
    with topo.in_segment(bye):  # after every answer has been drained
        if reinvite is not None:
            _reinvites(topo, caller, callee, won, reinvite)
        walk(topo, replace(callee, request=topo.new_request(won)), f"bye{b.j}")


def _reinvites(topo: Topology, caller: Walk, callee: Walk, won: Term, reinvite: ReInvite) -> None:
    """The caller's re-INVITE (along the ACK's route set) or the callee's (along the BYE's), when one is sent."""
    j = caller.binding.j
    assert caller.ruri_tp is not None and callee.ruri_tp is not None
    alice_at = (convert(callee.ruri, ANY_SCHEME), callee.ruri_tp)  # alice's Contact: the callee's remote target
    bob_at = (convert(caller.ruri, ANY_SCHEME), caller.ruri_tp)
    _reinvite(topo, replace(caller, contact=alice_at, answer_contact=bob_at),
              z3.And(won, reinvite.sent, z3.Not(reinvite.by_callee)), f"reinv{j}")
    _reinvite(topo, replace(callee, contact=bob_at, answer_contact=alice_at),
              z3.And(won, reinvite.sent, reinvite.by_callee), f"reinvb{j}")


def _reinvite(topo: Topology, w: Walk, active: Term, label: str) -> None:
    """A re-INVITE along ``w``'s route set, answered 200 by the peer with its unchanged Contact, then its ACK.

    docs/semantics.md call step 7: the model does not vary target refresh Contacts, so the remote target
    the 200 refreshes is the one the dialog had, and the BYE goes where it would have gone.
    """
    arrived = walk(topo, replace(w, method="INVITE", request=topo.new_request(active), active=active), label)
    acked = z3.And(active, arrived)
    walk(topo, replace(w, method="ACK", request=topo.new_request(acked), active=acked, contact=None,
                       answer_contact=None), f"{label}!ack")

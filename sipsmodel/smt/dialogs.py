"""The dialogs of a 2xx and the in-dialog ACK and BYE in the encoding (RFC 3261 12.1, 12.2).
"""


from __future__ import annotations

from typing import Any

import z3

from sipsmodel.model.vocab import ANY_SCHEME, OPT_SCHEME, SCHEME
from sipsmodel.smt.answers import dialog_record, first_entry
from sipsmodel.smt.attempt import Outcome
from sipsmodel.smt.compile import Sym, SymRecord, const, convert, is_value, ite
from sipsmodel.smt.drain import merge_rr
from sipsmodel.smt.indialog import Walk, walk
from sipsmodel.smt.register import BindingState
from sipsmodel.smt.topology import Segment, Topology

Term = Any


def dialogs_of(topo: Topology, o: Outcome) -> list[SymRecord]:
    """UAS dialog (12.1.1) then UAC dialog (12.1.2) of the 2xx that reaches alice."""
    b = o.branch
    uas_leg = b.uas_leg.slot.fields
    ua_secure = z3.And(uas_leg["secure"].term, is_value(ANY_SCHEME, uas_leg["ruri"], "sips"))
    uas = dialog_record("uas", ua_secure, convert(uas_leg["contact"], SCHEME), uas_leg["rr_top"], b.contact,
                        topo.tls(topo.bob(b.binding.j)), uas_leg, b.request, o.won, z3.IntVal(0))
    f = o.first.slot.fields
    uac_secure = z3.And(f["secure"].term, is_value(ANY_SCHEME, f["ruri"], "sips"))
    uac_req = {"ruri": f["ruri"], "rr_top": const(OPT_SCHEME, "none"), "contact": f["contact"]}
    uac_record = dialog_record("uac", uac_secure, b.contact, first_entry(o.rr), o.uac.options["contact"],
                               topo.tls(topo.ALICE), uac_req, o.first.slot.request, o.won, z3.IntVal(1))
    return [uas, uac_record]


def in_dialog(topo: Topology, b: BindingState, outcomes: list[Outcome], bye: Segment) -> None:
    """The caller's ACK along its route set, then the callee's BYE along its own (whichever branch won)."""
    if not outcomes:
        return
    won = z3.Or([o.won for o in outcomes])

    def pick(values: list[Sym]) -> Sym:
        result = values[-1]
        for o, v in zip(reversed(outcomes[:-1]), reversed(values[:-1]), strict=True):
            result = ite(o.won, v, result)
        return result

    to = pick([o.first.slot.fields["to"] for o in outcomes])
    frm = pick([o.first.slot.fields["from"] for o in outcomes])
    rr = merge_rr([(o.won, o.rr) for o in outcomes])
    rank: Term = z3.IntVal(0)
    for o in outcomes:
        rank = z3.If(o.won, o.final_rank, rank)
    with topo.in_segment(Segment(rank + 1, f"ack{b.j}")):  # at once, before pb cancels the other branches
        ack_request = topo.new_request(won)
        walk(topo, Walk("ACK", topo.ALICE, topo.bob(b.j), rr, pick([o.branch.contact for o in outcomes]), to, frm,
                        ack_request, won, b, pick([o.branch.contact_tp for o in outcomes])), f"ack{b.j}")
    with topo.in_segment(bye):  # after every answer has been drained
        bye_request = topo.new_request(won)
        bob_route = merge_rr([(o.won, list(reversed(o.branch.uas_leg.rr))) for o in outcomes])
        walk(topo, Walk("BYE", topo.bob(b.j), topo.ALICE, bob_route,
                        pick([o.uac.options["contact"] for o in outcomes]), frm, to, bye_request, won, b,
                        pick([o.uac.options["contact_tp"] for o in outcomes])), f"bye{b.j}")

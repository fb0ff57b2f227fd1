"""The observation collections of the encoding: hops, forwards, bindings, dialogs, retries.

See docs/semantics.md, Observation.
"""


from __future__ import annotations

from typing import Any

import z3

from sipsmodel.model.vocab import INT
from sipsmodel.smt.compile import Sym, SymRecord
from sipsmodel.smt.invite import (
    Forward,
    Leg,
    forwards_record,
    select,
)
from sipsmodel.smt.register import BindingState
from sipsmodel.smt.topology import BASE, Slot, Topology, positions

Term = Any


def _decision_indices(topo: Topology) -> dict[int, Term]:
    """Each visit's position in the simulator's decision list (blocked visits count)."""
    visits = topo.rules.visits
    indices = positions([(v.active, v.segment or BASE) for v in visits])
    return {id(v): index for v, index in zip(visits, indices, strict=True)}


def collections_of(topo: Topology, bindings: list[BindingState], forwards: list[Forward], dialogs: list[SymRecord],
                 aliases: list[tuple[Slot, list[Term], list[Leg]]], retries: list[tuple[SymRecord, Any]]) -> dict[
    str, list[SymRecord]
]:
    hops = topo.hops()
    index_of = {id(slot): rec.values["index"].term for slot, rec in zip(topo.slots, hops, strict=True)}
    for alias, arrive, legs in aliases:
        index_of[id(alias)] = select(arrive, [Sym(index_of[id(leg.slot)], INT) for leg in legs]).term
    decisions = _decision_indices(topo)
    records = []
    for fw in forwards:
        assert fw.outgoing is not None
        records.append(forwards_record(fw, decisions[id(fw.visit)], index_of[id(fw.incoming.slot)],
                                       index_of[id(fw.outgoing.slot)]))
    dialog_records = []
    ident: Term = z3.IntVal(0)
    for d in dialogs:
        values = dict(d.values)
        values["id"] = Sym(ident, INT)
        dialog_records.append(SymRecord(d.active, values))
        ident = ident + z3.If(d.active, 1, 0)
    retry_records = [SymRecord(r.active, {**r.values, "index": Sym(decisions[id(v)], INT)}) for r, v in retries]
    return {"hops": hops, "forwards": records, "bindings": [b.record for b in bindings],
            "dialogs": dialog_records, "retries": retry_records}

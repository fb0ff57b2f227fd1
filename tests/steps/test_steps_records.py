"""The ``retries`` record builder (sipsmodel/steps/records.py): the schema's attributes, one value on both engines."""

from __future__ import annotations

import z3

from sipsmodel.model.vocab import ACTOR, BOOL, FAILURE, INT, RECORD_SCHEMAS, SCHEME
from sipsmodel.smt.compile import Sym, const, fresh
from sipsmodel.smt.ops import Z3
from sipsmodel.steps import records
from sipsmodel.steps.ops import CONCRETE


def test_a_retry_record_has_every_attribute_of_the_schema_but_the_index() -> None:
    built = {"index": 0, **records.retry(CONCRETE, "ua", "r480_380", ("sips", "sip"), True)}
    schema = RECORD_SCHEMAS["retries"]
    assert list(built) == list(schema)
    assert all(built[name] in schema[name][0] for name in schema)
    assert built == {"index": 0, "by": "ua", "failure": "r480_380", "old": "sips", "new": "sip", "confirmed": True}


def test_the_z3_record_is_the_hand_written_one() -> None:
    failure, old, new, confirmed = fresh("failure", FAILURE), fresh("old", SCHEME), fresh("new", SCHEME), z3.Bool("c")
    built = {"index": Sym(z3.IntVal(-1), INT), **records.retry(Z3, "proxy", failure, (old, new), confirmed)}
    by_hand = {"index": Sym(z3.IntVal(-1), INT), "by": const(ACTOR, "proxy"), "failure": failure, "old": old,
               "new": new, "confirmed": Sym(confirmed, BOOL)}
    assert list(built) == list(by_hand)
    assert all(built[k].domain == v.domain and built[k].term.eq(v.term) for k, v in by_hand.items())

"""The record builders (sipsmodel/steps/records.py): the schema's attributes, one value on both engines."""

from __future__ import annotations

import z3

from sipsmodel.model.vocab import ACTOR, BOOL, DIALOG_ROLE, FAILURE, FLOW, INT, OPT_SCHEME, RECORD_SCHEMAS, SCHEME
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


def test_a_dialog_record_has_exactly_the_schema() -> None:
    built = records.dialog(CONCRETE, (3, 0, 2), "uas", True, ("sips", "none", "sip"), False, ("sips", "sip", "sip"))
    schema = RECORD_SCHEMAS["dialogs"]
    assert list(built) == list(schema)
    assert all(built[name] in schema[name][0] or schema[name][0] == INT for name in schema)
    assert (built["id"], built["request"], built["role"], built["rset0"], built["req_rr_top"]) == (3, 2, "uas", "none",
                                                                                                   "sip")


def test_a_binding_record_has_exactly_the_schema() -> None:
    built = records.binding(CONCRETE, 1, ("sip", "sips", True), ("sips", "sip", "none", True), "TLS")
    schema = RECORD_SCHEMAS["bindings"]
    assert list(built) == list(schema)
    assert all(built[name] in schema[name][0] or schema[name][0] == INT for name in schema)
    assert (built["aor"], built["reg_from"], built["flow"]) == ("sips", "sip", "TLS")


def test_the_z3_dialog_and_binding_records_take_terms_and_constants() -> None:
    secure, ident = z3.Bool("secure"), z3.Int("id")
    rtarget, rset0 = fresh("rtarget", SCHEME), fresh("rset0", OPT_SCHEME)
    dialog = records.dialog(Z3, (ident, 0, 5), "uac", secure, (rtarget, rset0, rtarget), True, (rtarget, rset0, rtarget))
    assert dialog["id"].term.eq(ident) and dialog["call"].term.eq(z3.IntVal(0)) and dialog["secure"].term.eq(secure)
    assert dialog["role"].term.eq(const(DIALOG_ROLE, "uac").term) and dialog["tls"].term.eq(z3.BoolVal(True))
    binding = records.binding(Z3, z3.IntVal(0), (rtarget, rtarget, secure), (rtarget, rtarget, rset0, secure),
                              const(FLOW, "none"))
    assert binding["key_scheme"].domain == BOOL and binding["key_scheme"].term.eq(secure)

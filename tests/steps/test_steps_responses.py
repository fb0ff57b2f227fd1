"""The failure steps (sipsmodel/steps/responses.py): one function, the same answer on both engines.

Each step runs on concrete values (what the simulator does) and on Z3 terms (what the encoding does);
for every status and warn-code the family speaks of, the Z3 term with those values substituted
simplifies to the concrete answer. The Z3 terms are also, node for node, the ones the encoding wrote by
hand before the step was shared (the oracle below is that code, kept here as the reference), so moving
the step changed neither the encoding's size nor its meaning.
"""

from __future__ import annotations

from typing import Any

import pytest
import z3

from sipsmodel.model.vocab import FAILURE, SCHEME
from sipsmodel.smt.compile import Sym, const, fresh, ite, value_term
from sipsmodel.smt.ops import Z3
from sipsmodel.steps import responses
from sipsmodel.steps.ops import CONCRETE

STATUSES = (100, 180, 200, 299, 300, 302, 399, 400, 415, 416, 417, 480, 481, 487, 500, 603)
WARNS = (0, 380, 381, 399)


def _eval(term: Any, status: int, warn: int, s: Any, w: Any) -> Any:
    return z3.simplify(z3.substitute(term, (s, z3.IntVal(status)), (w, z3.IntVal(warn))))


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("warn", WARNS)
def test_classification_agrees_on_both_engines(status: int, warn: int) -> None:
    s, w = z3.Ints("status warn")
    has = responses.has_failure(CONCRETE, status, warn)
    assert z3.is_true(_eval(responses.has_failure(Z3, s, w), status, warn, s, w)) is has
    failure = responses.failure_of(CONCRETE, status, warn)
    assert _eval(responses.failure_of(Z3, s, w).term, status, warn, s, w).eq(value_term(FAILURE, failure))


def test_classification_names_the_failures_of_rfc_3261_and_rfc_5630() -> None:
    assert responses.failure_of(CONCRETE, 302, 0) == "r3xx"
    assert responses.failure_of(CONCRETE, 416, 0) == "r416"
    assert responses.failure_of(CONCRETE, 480, 380) == "r480_380"
    assert responses.failure_of(CONCRETE, 480, 381) == "r480_381"
    assert not responses.has_failure(CONCRETE, 480, 0)
    assert not responses.has_failure(CONCRETE, 200, 380)


@pytest.mark.parametrize("failure", FAILURE.values)
@pytest.mark.parametrize("contact", SCHEME.values)
def test_retry_scheme_and_contact_feature_agree_on_both_engines(failure: str, contact: str) -> None:
    for step in (responses.retry_scheme, responses.contact_feature):
        concrete = step(CONCRETE, failure, contact)
        symbolic = step(Z3, const(FAILURE, str(failure)), const(SCHEME, str(contact)))
        assert z3.simplify(symbolic.term).eq(value_term(SCHEME, concrete))


def test_retry_scheme_is_the_3xx_contact_else_the_twin() -> None:
    assert responses.retry_scheme(CONCRETE, "r3xx", "sips") == "sips"
    assert responses.retry_scheme(CONCRETE, "r480_381", "sip") == "sips"
    assert [responses.retry_scheme(CONCRETE, f, "sips") for f in ("r416", "r480_380")] == ["sip", "sip"]


# The encoding's hand-written terms before the steps were shared (smt/failures.py at 90baa96).


def _failure_by_hand(status: Any, warn: Any) -> Sym:
    return Sym(z3.If(z3.And(status >= 300, status < 400), const(FAILURE, "r3xx").term,
                     z3.If(status == 416, const(FAILURE, "r416").term,
                           z3.If(z3.And(status == 480, warn == 380), const(FAILURE, "r480_380").term,
                                 const(FAILURE, "r480_381").term))), FAILURE)


def _has_failure_by_hand(status: Any, warn: Any) -> Any:
    return z3.Or(z3.And(status >= 300, status < 400), status == 416,
                 z3.And(status == 480, z3.Or(warn == 380, warn == 381)))


def _retry_scheme_by_hand(failure: Sym, contact: Sym) -> Sym:
    twin = ite(failure.term == const(FAILURE, "r480_381").term, const(SCHEME, "sips"), const(SCHEME, "sip"))
    return ite(failure.term == const(FAILURE, "r3xx").term, contact, twin)


def test_the_z3_steps_build_the_hand_written_terms() -> None:
    s, w = z3.Ints("status warn")
    failure, contact = fresh("failure", FAILURE), fresh("contact", SCHEME)
    assert responses.failure_of(Z3, s, w).term.eq(_failure_by_hand(s, w).term)
    assert responses.has_failure(Z3, s, w).eq(_has_failure_by_hand(s, w))
    assert responses.retry_scheme(Z3, failure, contact).term.eq(_retry_scheme_by_hand(failure, contact).term)
    by_hand = ite(failure.term == const(FAILURE, "r3xx").term, contact, const(SCHEME, "sip"))
    assert responses.contact_feature(Z3, failure, contact).term.eq(by_hand.term)

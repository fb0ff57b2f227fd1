"""Cells against their expectations, and the exit codes DESIGN.md fixes."""

from __future__ import annotations

from sipsmodel.model.trace import Trace
from sipsmodel.props import load_properties
from sipsmodel.report.expect import (
    EXIT_MISMATCH,
    EXIT_OK,
    EXIT_UNKNOWN,
    MET,
    MISMATCH,
    NONE,
    NOT_FOUND,
    UNKNOWN,
    exit_code,
    expectation,
    mismatch_note,
    status,
)
from sipsmodel.report.result import Result


def _refuted(expected: str | None) -> Result:
    trace = Trace("rfc3261", ())
    return Result("I-1", "rfc3261", "refuted", counterexample=trace, violation=0, expected=expected)


def _proved(expected: str | None) -> Result:
    return Result("I-2", "rfc3261", "proved", scope="bounded", bound=3, expected=expected)


def test_status_of_each_kind_of_cell() -> None:
    assert status(_refuted("refuted")) == MET
    assert status(_refuted("proved")) == MISMATCH
    assert status(_proved("refuted")) == MISMATCH
    assert status(_proved(None)) == NONE
    assert status(Result("I-3", "rfc3261", "unknown", expected="proved")) == UNKNOWN
    assert status(Result("I-16", "rfc3261", "trace-only", expected="refuted")) == NONE


def test_sampled_matches_proved_and_only_weakly_misses_refuted() -> None:
    assert status(Result("I-1", "rfc5630", "sampled", expected="proved")) == MET
    weak = Result("I-1", "rfc3261", "sampled", expected="refuted")
    assert status(weak) == NOT_FOUND
    assert mismatch_note(weak) == "not found, expected refuted"
    assert exit_code([weak]) == EXIT_OK


def test_mismatch_note_names_the_expectation() -> None:
    assert mismatch_note(_refuted("proved")) == "≠ expected proved"
    assert mismatch_note(_refuted("refuted")) == ""


def test_exit_codes() -> None:
    assert exit_code([]) == EXIT_OK
    assert exit_code([_refuted("refuted"), _proved("proved"), _proved(None)]) == EXIT_OK
    assert exit_code([_refuted("proved")]) == EXIT_MISMATCH
    assert exit_code([_proved("refuted")]) == EXIT_MISMATCH
    unknown = Result("I-3", "rfc3261", "unknown", expected="proved")
    assert exit_code([unknown, _proved("proved")]) == EXIT_UNKNOWN
    assert exit_code([unknown, _proved("refuted")]) == EXIT_MISMATCH


def test_trace_only_is_never_counted() -> None:
    assert exit_code([Result("I-16", "rfc3261", "trace-only", expected="refuted")]) == EXIT_OK


def test_expectation_per_mode() -> None:
    i1 = next(p for p in load_properties() if p.id == "I-1")
    assert expectation(i1, "rfc5630") == "proved"
    assert expectation(i1, "rfc5630", malicious=True) == "refuted"
    assert expectation(i1, "rfc5630", should="optional") is None
    assert expectation(i1, "my-own-set") is None

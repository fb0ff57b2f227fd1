"""A refuted cell always points a person at a transmission, whatever collection the witness is in."""

from __future__ import annotations

import pytest

from sipsmodel.props import load_properties
from sipsmodel.rules import preset
from sipsmodel.smt import prove

PROPERTIES = {p.id: p for p in load_properties()}


@pytest.mark.slow
def test_a_retry_witness_points_at_the_retried_request() -> None:
    """I-13 under rfc5630 (F-12): the marked transmission is the UAC's automatic sip retry."""
    result = prove(PROPERTIES["I-13"], preset("rfc5630"))
    assert result.verdict == "refuted" and result.counterexample is not None and result.violation is not None
    hop = result.counterexample.collection("hops")[result.violation]
    assert (hop["kind"], hop["method"], hop["sender"], hop["ruri"]) == ("request", "INVITE", "ua", "sip")
    assert hop["request"] != result.counterexample.collection("hops")[0]["request"]


@pytest.mark.slow
@pytest.mark.parametrize(("prop", "rules"), [("I-4", "rfc3261"), ("I-7", "rfc5630")])
def test_a_dialog_witness_points_at_the_dialog_creating_request(prop: str, rules: str) -> None:
    result = prove(PROPERTIES[prop], preset(rules))
    assert result.verdict == "refuted" and result.counterexample is not None and result.violation is not None
    hop = result.counterexample.collection("hops")[result.violation]
    assert (hop["kind"], hop["method"]) == ("request", "INVITE")

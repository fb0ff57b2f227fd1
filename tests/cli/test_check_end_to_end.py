"""``sipsmodel check`` end to end with the real prover and simulator, on a few cells."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from sipsmodel.cli import cli
from sipsmodel.props import evaluate_property, load_properties
from sipsmodel.report.check import CheckOptions, run_check

pytestmark = pytest.mark.slow  # real sipsmodel check / explore runs


def test_i1_refuted_under_rfc3261_and_proved_under_rfc5630() -> None:
    args = ["check", "--property", "I-1", "--rules", "rfc3261", "--rules", "rfc5630", "--format", "json"]
    outcome = CliRunner().invoke(cli, args)
    assert outcome.exit_code == 0, outcome.stdout + outcome.stderr
    refuted, proved = json.loads(outcome.stdout)["results"]
    assert (refuted["verdict"], refuted["expected"]) == ("refuted", "refuted")
    hops = refuted["counterexample"]["transmissions"]
    violating = hops[refuted["counterexample"]["violation"]]
    assert violating["kind"] == "request" and violating["secure"] is False
    assert (proved["verdict"], proved["scope"], proved["bound"]) == ("proved", "bounded", 3)
    assert "R-5630-5.3-a" in proved["rules_used"]


def test_the_reported_counterexample_violates_the_property() -> None:
    (result,) = run_check(CheckOptions(rules=("rfc3261",), properties=("I-2",)))
    i2 = next(p for p in load_properties() if p.id == "I-2")
    assert result.verdict == "refuted" and result.counterexample is not None
    assert not evaluate_property(i2, result.counterexample.observation).holds


def test_explain_shows_the_ladder_with_the_violation_marked() -> None:
    outcome = CliRunner().invoke(cli, ["check", "--explain", "I-1", "--rules", "rfc3261"])
    assert outcome.exit_code == 0, outcome.stderr
    text = outcome.stdout
    assert "I-1 End-to-end SIPS path, under rfc3261: refuted" in text
    assert "violating transmission: F" in text
    assert text.count("<== violation") == 2
    assert "INVITE sip" in text and "SIP/2.0/" in text


def test_per_hop_invariant_is_proved_for_all_sizes() -> None:
    outcome = CliRunner().invoke(cli, ["check", "--property", "I-22", "--rules", "rfc5630"])
    assert outcome.exit_code == 0
    assert "proved (all sizes)" in outcome.stdout and "rests on: R-3261-16.6-4b" in outcome.stdout

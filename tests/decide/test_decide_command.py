"""``sipsmodel decide`` end to end on a small candidate file: JSON in the issue's shape, text, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sipsmodel.cli import cli

pytestmark = pytest.mark.slow  # the prover and the simulator on real properties

ISSUE_KEYS = {"tool", "base", "properties", "changes", "trial_balloon", "deprecation"}
PROPERTY_KEYS = {"property", "base_verdict", "counterexample", "minimal_sets", "unfixable"}
SET_KEYS = {"changes", "verdict", "scope", "bound", "track", "conflicts"}
CHANGE_KEYS = {"rule", "action", "track", "conflicts", "in_minimal_sets"}
CONFLICT_KEYS = {"rule", "contradicts", "clause", "counterexample"}


def test_json_has_the_issue_shape(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('add = ["DEAN-4a", "R-5630-5.3-g"]\nremove = ["R-3261-16.7-4a"]\n')
    outcome = CliRunner().invoke(cli, ["decide", "--property", "I-13", "--candidates", str(path), "--format", "json"])
    assert outcome.exit_code == 0, outcome.output
    data = json.loads(outcome.output)
    assert set(data) >= ISSUE_KEYS and data["base"] == "rfc3261"
    (prop,) = data["properties"]
    assert set(prop) >= PROPERTY_KEYS and prop["base_verdict"] == "refuted"
    assert prop["counterexample"]["transmissions"] and prop["unfixable"] is False
    (fix,) = prop["minimal_sets"]
    assert set(fix) >= SET_KEYS
    assert fix["changes"] == [{"rule": "DEAN-4a", "action": "add"}] and fix["track"] == "standards-track"
    assert all(set(c) >= CONFLICT_KEYS for c in fix["conflicts"])
    rows = {(c["rule"], c["action"]): c for c in data["changes"]}
    assert all(set(c) >= CHANGE_KEYS for c in rows.values())
    assert rows[("DEAN-4a", "add")]["in_minimal_sets"] == ["I-13"]
    assert rows[("R-5630-5.3-g", "add")]["in_minimal_sets"] == []  # a SIP-request rule: nothing for I-13
    assert rows[("R-3261-16.7-4a", "remove")]["track"] == "standards-track"


def test_text_names_the_fix_and_the_unused_change(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('add = ["DEAN-4a", "R-5630-5.3-g"]\n')
    outcome = CliRunner().invoke(cli, ["decide", "--property", "I-13", "--candidates", str(path)])
    assert outcome.exit_code == 0, outcome.output
    assert "fixed by {+DEAN-4a}: proved (k<=3), standards-track" in outcome.output
    assert "+R-5630-5.3-g  (MUST NOT)  bcp  in: no minimal set" in outcome.output


def test_the_trial_balloon_mismatch_of_point_1_is_reported_with_exit_1() -> None:
    """The expectations of properties/decide/trial-balloon.toml were written from the texts (point 1: bcp,
    from RFC 3261 alone); the solver finds point 1 standards track against RFC 3263 4.1 (where a URI
    names udp: tests/decide/test_refusal_and_values.py). The real run reports exactly that difference
    and exits 1; the other points (2, 3, 4a, 4b) meet their expected tracks and, for I-13, their fixes."""
    outcome = CliRunner().invoke(cli, ["decide", "--property", "I-13", "--candidates", "dean-bcp", "--format", "json",
                                       "--jobs", "1"])
    assert outcome.exit_code == 1, outcome.output
    data = json.loads(outcome.stdout)
    assert data["expectation_mismatches"] == ["point 1: track standards-track, expected bcp"]
    tracks = {p["point"]: p["track"] for p in data["trial_balloon"]}
    assert {k: tracks[k] for k in ("1", "2", "3", "4a", "4b")} == {
        "1": "standards-track", "2": "bcp", "3": "bcp", "4a": "standards-track", "4b": "bcp"}
    point_4a = next(p for p in data["trial_balloon"] if p["point"] == "4a")
    assert point_4a["fixes"] == ["I-13"]

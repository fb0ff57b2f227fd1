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

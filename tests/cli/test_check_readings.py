"""``check`` and readings (issue 9 items 1 and 6): labels, JSON, --reading, --all-readings, no verdict moved."""

from __future__ import annotations

import json

from click.testing import CliRunner

from sipsmodel.cli import cli
from sipsmodel.rules.readings import AMBIGUITIES, READING_RULES
from sipsmodel.rules.sets import PRESETS
from sipsmodel.smt.solving import active_rule_ids, assumptions


def _json(args: list[str]) -> list[dict[str, object]]:
    outcome = CliRunner().invoke(cli, ["check", *args, "--format", "json"])
    assert outcome.exit_code in (0, 1), outcome.stderr
    results: list[dict[str, object]] = json.loads(outcome.stdout)["results"]
    return results


def test_default_readings_assume_every_reading_literal_off() -> None:
    for preset in PRESETS.values():
        texts = {str(t) for t in assumptions(active_rule_ids(preset))}
        assert all(f"Not(rule!{r.id})" in texts for r in READING_RULES)


# That the full table keeps every verdict under the default readings (each cell meets its property
# file's expectation) is checked with the stored table, in tests/cli/test_check_table_unchanged.py: one
# run of the grid for both.


def test_a_refutation_names_the_reading_it_depends_on() -> None:
    (cell,) = _json(["--property", "I-13", "--rules", "rfc5630"])
    assert (cell["verdict"], cell["readings"]) == ("refuted", ["F-12/a"])
    outcome = CliRunner().invoke(cli, ["check", "--property", "I-13", "--rules", "rfc5630"])
    assert "refuted (F-12/a)" in outcome.stdout


def test_a_selected_reading_is_named_by_the_proof_core() -> None:
    (cell,) = _json(["--property", "I-13", "--rules", "rfc5630", "--reading", "F-12=b"])
    assert cell["rules"] == "rfc5630+F-12/b" and cell["expected"] is None
    assert cell["verdict"] == "proved" and "F-12/b" in cell["rules_used"] and cell["readings"] == ["F-12/b"]


def test_all_readings_gives_the_verdict_under_each() -> None:
    (cell,) = _json(["--property", "I-13", "--rules", "rfc5630", "--all-readings"])
    by_reading = cell["by_reading"]
    assert isinstance(by_reading, dict)
    assert by_reading["F-12/a"] == "refuted" and by_reading["F-12/b"] == "proved (k<=3)"
    assert set(by_reading) == {r.id for a in AMBIGUITIES for r in a.readings}
    outcome = CliRunner().invoke(cli, ["check", "--property", "I-13", "--rules", "rfc5630", "--all-readings"])
    assert "I-13 under rfc5630: F-12/a refuted; F-12/b proved (k<=3)" in outcome.stdout

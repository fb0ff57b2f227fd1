"""Candidate changes of ``sipsmodel decide`` (issue 8 item 1) and their errors (exit 2 in the CLI)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sipsmodel.cli import cli
from sipsmodel.decide.candidates import changed_rule_set, select_candidates
from sipsmodel.decide.report import Change
from sipsmodel.errors import ScenarioError
from sipsmodel.rules.sets import PRESETS, preset


def test_defaults_add_every_rule_of_the_three_documents_the_base_lacks() -> None:
    base = preset("rfc3261")
    adds = set(select_candidates([], base).adds)
    for name in ("draft-04", "dean-bcp", "rfc5630"):
        for rule in PRESETS[name].rules:
            if rule.id not in base.rule_ids and rule.keyword != "(deletion)":
                assert rule.id in adds
    assert not adds & set(base.rule_ids)


def test_defaults_remove_the_rfc3261_rules_the_documents_delete_or_replace() -> None:
    removes = set(select_candidates([], preset("rfc3261")).removes)
    # RFC 5630 Appendix A deletes 16.7 step 8; draft-04 and RFC 5630 replace 16.7 step 4, 8.1.3.5, 10.3, RFC 3608.
    assert {"R-3261-16.7-8b", "R-3261-16.7-4a", "R-3261-8.1.3.5-a", "R-3261-10.3-a", "R-3608-ua"} <= removes
    assert "R-5630-AppA-16.7" not in select_candidates([], preset("rfc3261")).adds  # it stands for its removal


def test_a_candidates_file(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('add = ["DEAN-2"]\nremove = ["R-3261-16.7-8b"]\n')
    found = select_candidates([str(path)], preset("rfc3261"))
    assert found.changes == (Change("DEAN-2", "add"), Change("R-3261-16.7-8b", "remove"))


def test_changed_rule_set_applies_additions_and_removals() -> None:
    base = preset("rfc3261")
    changed = changed_rule_set(base, [Change("DEAN-2"), Change("R-3261-16.7-8b", "remove")])
    assert "DEAN-2" in changed.rule_ids and "R-3261-16.7-8b" not in changed.rule_ids
    assert set(changed.rule_ids) - {"DEAN-2"} == set(base.rule_ids) - {"R-3261-16.7-8b"}


def test_an_added_rule_replaces_the_base_rule_it_supersedes() -> None:
    """draft-04 5 makes the registrar ignore the AoR scheme in place of RFC 3261 10.3's scheme-keeping key:
    both binding at once would leave the registrar no option (a vacuous proof)."""
    changed = changed_rule_set(preset("rfc3261"), [Change("R-04-5-b")])
    assert "R-04-5-b" in changed.rule_ids and "R-3261-10.3-a" not in changed.rule_ids


@pytest.mark.parametrize(("text", "message"), [
    ('add = ["R-NOPE"]', "unknown rule IDs ['R-NOPE']"),
    ('remove = ["R-3261-99-z"]', "unknown rule IDs ['R-3261-99-z']"),  # a removal naming no rule at all
    ('remove = ["R-5630-5.3-a"]', "not in the base rule set rfc3261"),
    ('add = ["R-3261-16.6-7"]', "already in the base rule set"),
    ('adds = ["DEAN-2"]', "unknown keys ['adds']"),
    ('add = "DEAN-2"', "must be a list of rule IDs"),
    ("add = [", "not valid TOML"),
])
def test_bad_candidates_files(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text + "\n")
    with pytest.raises(ScenarioError, match=message.replace("[", r"\[").replace("]", r"\]")):
        select_candidates([str(path)], preset("rfc3261"))
    outcome = CliRunner().invoke(cli, ["decide", "--candidates", str(path)])
    assert outcome.exit_code == 2
    assert "error:" in outcome.output and "Traceback" not in outcome.output


@pytest.mark.parametrize("args", [["--property", "I-99"], ["--candidates", "draft-05"], ["--base", "nope"]])
def test_bad_options_exit_2(args: list[str]) -> None:
    outcome = CliRunner().invoke(cli, ["decide", *args])
    assert outcome.exit_code == 2
    assert outcome.output.startswith("error:")

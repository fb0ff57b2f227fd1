"""Issue 14, items 2 and 3: every mistake that used to pass silently is an error (exit 2) or a warning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_check_command import fake, run

from sipsmodel.cli import cli
from sipsmodel.rules.sets import PRESETS, load_rule_set
from sipsmodel.rules.table import RULES_BY_ID

REQUEST = (
    "OPTIONS sip:bob@biloxi.com SIP/2.0\r\nVia: SIP/2.0/TCP pc33.atlanta.com;branch=z9hG4bK74bf9\r\n"
    "Max-Forwards: 70\r\nTo: <sip:bob@biloxi.com>\r\nFrom: <sip:alice@atlanta.com>;tag=9fxced76sl\r\n"
    "Call-ID: 3848276298220188511@atlanta.com\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
)


def _rule_set(tmp_path: Path, file: str, text: str) -> Path:
    path = tmp_path / file
    path.write_text(text)
    return path


def test_removing_a_rule_the_base_does_not_hold_is_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = _rule_set(tmp_path, "mine.toml", 'name = "mine"\nbase = "rfc3261"\nremove = ["R-5630-5.3-a"]\n')
    code, out, err = run(monkeypatch, fake(), "--property", "I-1", "--rules", str(path))
    assert code == 2 and out == ""
    assert "mine.toml" in err and "'remove'" in err and "R-5630-5.3-a" in err and "not in the base set" in err


def test_two_rule_sets_of_one_name_are_an_error_naming_both(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    one = _rule_set(tmp_path, "one.toml", 'name = "same"\nbase = "rfc3261"\n')
    two = _rule_set(tmp_path, "two.toml", 'name = "same"\nbase = "rfc5630"\n')
    code, out, err = run(monkeypatch, fake(), "--property", "I-1", "--rules", str(one), "--rules", str(two))
    assert code == 2 and out == ""
    assert "two rule sets are named 'same'" in err and "one.toml" in err and "two.toml" in err


def test_a_user_set_named_like_a_preset_beside_it_is_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = _rule_set(tmp_path, "fake.toml", 'name = "rfc3261"\nbase = "rfc5630"\n')
    code, _, err = run(monkeypatch, fake(), "--property", "I-1", "--rules", "rfc3261", "--rules", str(path))
    assert code == 2 and "the preset rfc3261" in err and "fake.toml" in err


def test_a_user_set_named_like_a_preset_inherits_no_expectation(monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    path = _rule_set(tmp_path, "fake.toml", 'name = "rfc3261"\nbase = "rfc5630"\n')
    code, out, err = run(monkeypatch, fake(flip=("I-1", "rfc3261")), "--property", "I-1", "--rules", str(path),
                         "--format", "json")
    entry = json.loads(out)["results"][0]
    assert code == 0 and entry["expected"] is None  # the preset expects refuted; the fake flips it: no mismatch
    assert entry["rules"] == f"rfc3261 ({path})"  # the table shows which file the name means
    assert "named like the preset 'rfc3261'" in err
    code, out, _ = run(monkeypatch, fake(), "--property", "I-1", "--rules", str(path))
    assert f"rfc3261 ({path})" in out


def test_expectations_for_an_unknown_rule_set_name_are_a_warning(monkeypatch: pytest.MonkeyPatch,
                                                                  tmp_path: Path) -> None:
    (tmp_path / "X-1.toml").write_text('id = "X-1"\ntitle = "t"\nformula = "forall h in hops: h.secure"\n'
                                       '[expected]\nrfc5360 = "proved"\n')
    code, _, err = run(monkeypatch, fake(), "--properties", str(tmp_path), "--rules", "rfc5630")
    assert code == 0
    assert "X-1.toml" in err and "[expected] 'rfc5360' is neither a preset nor a rule set of this run" in err


def test_an_empty_properties_folder_is_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    code, out, err = run(monkeypatch, fake(), "--properties", str(tmp_path))
    assert code == 2 and out == ""
    assert str(tmp_path) in err and "no property files" in err


def test_explain_with_property_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run(monkeypatch, fake(), "--explain", "I-1", "--property", "I-2")
    assert code == 2 and out == ""
    assert "--explain I-1" in err and "--property I-2" in err


def test_supersedes_in_a_user_set_is_a_warning_and_rules_set_says_why(monkeypatch: pytest.MonkeyPatch,
                                                                     tmp_path: Path) -> None:
    path = _rule_set(tmp_path, "mine.toml", 'name = "mine"\nbase = "rfc3261"\nadd = ["R-04-4-e"]\n')
    rule_set = load_rule_set(str(path))
    dropped = [d for d, by in rule_set.superseded if by == "R-04-4-e"]
    assert dropped == ["R-3261-16.7-4a"] and "R-3261-16.7-4a" not in rule_set.rule_ids
    assert set(dropped) <= set(PRESETS["rfc3261"].rule_ids)
    code, _, err = run(monkeypatch, fake(), "--property", "I-1", "--rules", str(path))
    assert code == 0 and "R-3261-16.7-4a is not in the set: R-04-4-e supersedes it" in err
    shown = CliRunner().invoke(cli, ["rules", "--set", str(path)])
    assert shown.exit_code == 0
    assert "Removed by supersedes (1):" in shown.stdout
    new = RULES_BY_ID["R-04-4-e"]
    assert f"removed because R-04-4-e ({new.document} 4, MUST) supersedes it: {new.reading}" in shown.stdout
    data = json.loads(CliRunner().invoke(cli, ["rules", "--set", str(path), "--format", "json"]).stdout)
    assert data["superseded"] == [{"rule": "R-3261-16.7-4a", "by": "R-04-4-e"}] and data["source"] == str(path)


def test_a_preset_also_lists_what_supersedes_removed() -> None:
    shown = CliRunner().invoke(cli, ["rules", "--set", "rfc5630"])
    assert shown.exit_code == 0 and "Removed by supersedes" in shown.stdout
    assert "Removed by supersedes" not in CliRunner().invoke(cli, ["rules", "--set", "rfc3261"]).stdout


def test_parse_says_how_many_messages_it_read(tmp_path: Path) -> None:
    path = tmp_path / "two.sip"
    path.write_bytes((REQUEST + REQUEST.replace("CSeq: 1", "CSeq: 2")).encode())
    first = CliRunner().invoke(cli, ["parse", str(path)])
    assert first.exit_code == 0 and first.stdout.count("OPTIONS sip:") == 1 and "CSeq: 1 OPTIONS" in first.stdout
    assert f"{path} holds 2 SIP messages (at byte offsets 0, {len(REQUEST)}); printed the first" in first.stderr
    every = CliRunner().invoke(cli, ["parse", "--all", str(path)])
    assert every.exit_code == 0 and every.stderr == ""
    assert "CSeq: 1 OPTIONS" in every.stdout and "CSeq: 2 OPTIONS" in every.stdout
    as_json = json.loads(CliRunner().invoke(cli, ["parse", "--all", "--json", str(path)]).stdout)
    assert [m["method"] for m in as_json] == ["OPTIONS", "OPTIONS"]


def test_parse_of_one_message_prints_no_warning(tmp_path: Path) -> None:
    path = tmp_path / "one.sip"
    path.write_bytes((REQUEST + "\r\n").encode())
    outcome = CliRunner().invoke(cli, ["parse", str(path)])
    assert outcome.exit_code == 0 and outcome.stderr == ""


def test_parse_of_trailing_garbage_is_an_error_with_its_offset(tmp_path: Path) -> None:
    path = tmp_path / "junk.sip"
    path.write_bytes((REQUEST + "not a message\r\n").encode())
    outcome = CliRunner().invoke(cli, ["parse", str(path)])
    assert outcome.exit_code == 2 and f"message 2 (at byte offset {len(REQUEST)})" in outcome.stderr

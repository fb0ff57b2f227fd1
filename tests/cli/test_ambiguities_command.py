"""``sipsmodel ambiguities`` and ``sipsmodel diff`` on the command line (issue 9 items 2 and 4)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from sipsmodel.cli import cli

pytestmark = pytest.mark.slow  # the ambiguity search end to end

FLOW_KEYS = {"rules", "transmissions", "bindings", "dialogs", "notes", "holds", "violation", "differing", "elements",
             "decisions_before_first"}


def _run(args: list[str]) -> str:
    outcome = CliRunner().invoke(cli, args)
    assert outcome.exit_code == 0, outcome.stderr
    assert "Traceback" not in outcome.stderr
    return outcome.stdout


def test_ambiguities_json_has_the_issue_shape() -> None:
    data = json.loads(_run(["ambiguities", "--rules", "rfc3261", "--property", "I-3", "--format", "json"]))
    assert set(data) == {"tool", "findings", "coverage", "coverage_reasons", "not_expressible"}
    f20 = next(f for f in data["findings"] if f["kind"] == "reading" and f["f_item"] == "F-20")
    assert f20["choice_point"] == "proxy_forward" and f20["options"] == ["F-20/a", "F-20/b"]
    assert f20["verdicts"]["I-3"] == {"F-20/a": "refuted", "F-20/b": "proved"}
    assert (f20["flips"], f20["vacuous"]) == (True, False)
    failing, holding = f20["witness"]
    assert set(failing) == set(holding) == FLOW_KEYS
    assert (failing["holds"], holding["holds"]) == (False, True)
    assert failing["differing"] == holding["differing"] is not None
    assert data["coverage"]["F-20"] == "found" and data["coverage"]["F-11"] == "not-expressible"
    assert "GRUU" in data["not_expressible"]["F-11"]
    assert data["coverage_reasons"]["F-11"] == data["not_expressible"]["F-11"]


def test_a_vacuous_reading_finding_is_reported_as_such() -> None:
    data = json.loads(_run(["ambiguities", "--rules", "rfc5630", "--property", "I-13", "--format", "json"]))
    f12 = next(f for f in data["findings"] if f["kind"] == "reading" and f["f_item"] == "F-12")
    assert f12["verdicts"] == {"I-13": {"F-12/a": "refuted", "F-12/b": "proved"}}
    assert (f12["flips"], f12["vacuous"]) == (False, True)
    assert data["coverage"]["F-12"] == "not-security-relevant"
    assert data["coverage_reasons"]["F-12"].startswith("only vacuous witness pairs")


def test_ambiguities_text_puts_the_ladders_side_by_side() -> None:
    text = _run(["ambiguities", "--rules", "rfc5630", "--property", "I-13"])
    assert "F-12: rfc5630, choice point uac_retry at alice" in text
    assert "fails: rfc5630" in text and "| holds: rfc5630+F-12/b" in text
    assert "no: vacuous, the holding flow never reaches the violating point" in text
    assert "<== differs" in text and "<== violation" in text
    assert "where the flows part (the simulator's evaluation at that visit, docs/why.md):" in text
    assert "  fails: alice uac_retry: action=retry" in text and "  holds: alice uac_retry: action=stop" in text
    assert "exhaustive within the bound (k<=3)" in text and "sampled" in text
    for fmt, marker in (("markdown", "# Ambiguities"), ("html", "<pre>")):
        assert marker in _run(["ambiguities", "--rules", "rfc5630", "--property", "I-13", "--format", fmt])


def test_diff_of_two_readings() -> None:
    data = json.loads(_run(["diff", "--rules", "rfc5630", "--rules", "rfc5630+F-12=b", "--property", "I-13",
                            "--format", "json"]))
    (change,) = data["verdicts"]
    assert change["property"] == "I-13"
    assert change["verdicts"] == {"rfc5630": "refuted", "rfc5630+F-12/b": "proved"}
    assert [w["holds"] for w in change["witness"]] == [False, True]
    (retry,) = [p for p in data["choice_points"] if p["choice_point"] == "uac_retry"]
    assert (retry["allowed_by"], retry["forbidden_by"], retry["rules"]) == ("rfc5630", "rfc5630+F-12/b", ["F-12/b"])
    assert retry["option"] == {"action": "retry"} and retry["state"]["ruri"] == "sips"
    assert len(data["choice_points"]) == 1


def test_diff_bad_input_exits_2() -> None:
    for args, message in (
        (["--rules", "rfc5630", "--rules", "rfc5630"], "same active rules"),
        (["--rules", "rfc5630"], "exactly twice"),
        (["--rules", "rfc5630", "--rules", "rfc5630+F-11=b"], "F-11 has no alternative readings"),
    ):
        outcome = CliRunner().invoke(cli, ["diff", *args])
        assert outcome.exit_code == 2 and message in outcome.stderr and "Traceback" not in outcome.stderr

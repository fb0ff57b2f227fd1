"""``sipsmodel ambiguities`` and ``sipsmodel diff`` on the command line (issue 9 items 2 and 4)."""

from __future__ import annotations

import json
from typing import Any, cast

import narrow
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


@pytest.fixture(scope="module")
def i13_json() -> dict[str, Any]:
    """One ``ambiguities`` run over one preset and one property, read by the JSON tests."""
    return cast(dict[str, Any], json.loads(_run(["ambiguities", "--rules", "rfc5630", "--property", "I-13",
                                                 "--format", "json"])))


def test_ambiguities_json_has_the_issue_shape(i13_json: dict[str, Any]) -> None:
    data = i13_json
    assert set(data) == {"tool", "findings", "coverage", "coverage_reasons", "not_expressible"}
    f12 = next(f for f in data["findings"] if f["kind"] == "reading" and f["f_item"] == "F-12")
    assert f12["choice_point"] == "uac_retry" and f12["options"] == ["F-12/a", "F-12/b"]
    failing, holding = f12["witness"]
    assert set(failing) == set(holding) == FLOW_KEYS
    assert (failing["holds"], holding["holds"]) == (False, True)
    assert failing["differing"] == holding["differing"] is not None
    assert data["coverage"]["F-11"] == "not-expressible"
    assert "GRUU" in data["not_expressible"]["F-11"]
    assert data["coverage_reasons"]["F-11"] == data["not_expressible"]["F-11"]


def test_a_vacuous_reading_finding_is_reported_as_such(i13_json: dict[str, Any]) -> None:
    f12 = next(f for f in i13_json["findings"] if f["kind"] == "reading" and f["f_item"] == "F-12")
    assert f12["verdicts"] == {"I-13": {"F-12/a": "refuted", "F-12/b": "proved"}}
    assert (f12["flips"], f12["vacuous"]) == (False, True)
    assert i13_json["coverage"]["F-12"] == "not-security-relevant"
    assert i13_json["coverage_reasons"]["F-12"].startswith("only vacuous witness pairs")


def test_ambiguities_text_puts_the_ladders_side_by_side() -> None:
    text = _run(["ambiguities", "--rules", "rfc5630", "--property", "I-13", "--jobs", "1"])
    assert "F-12: rfc5630, choice point uac_retry at alice" in text
    assert "fails: rfc5630" in text and "| holds: rfc5630+F-12/b" in text
    assert "no: vacuous, the holding flow never reaches the violating point" in text
    assert "<== differs" in text and "<== violation" in text
    assert "where the flows part (the simulator's evaluation at that visit, docs/why.md):" in text
    assert "  fails: alice uac_retry: action=retry" in text and "  holds: alice uac_retry: action=stop" in text
    assert "exhaustive within the bound (k<=3)" in text and "sampled" in text


def test_markdown_and_html_render_the_same_findings() -> None:
    """The other formats render what the command found (the renderers ``--format`` selects)."""
    from sipsmodel.decide.ambiguities import coverage
    from sipsmodel.decide.finding import Finding
    from sipsmodel.report.ambiguities import RENDERERS

    finding = narrow.reading("rfc5630", "I-13", "F-12", "b")
    assert isinstance(finding, Finding)
    for fmt, marker in (("markdown", "# Ambiguities"), ("html", "<pre>")):
        out = RENDERERS[fmt]([finding], coverage([finding]))
        assert marker in out and "uac_retry" in out


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

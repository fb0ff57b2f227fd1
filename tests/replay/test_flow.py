"""Reading a counterexample as a flow: check, simulate and export JSON; errors say where and what (issue 12)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sipsmodel.cli import cli
from sipsmodel.errors import ParseError
from sipsmodel.replay import FlowError, load_flow
from sipsmodel.replay.export_json import flow_json
from sipsmodel.replay.flow import flow_from_json


def test_check_json_names_every_element_with_its_role(check_files: dict[str, Path]) -> None:
    cell = json.loads(check_files["I-1"].read_text())["results"][0]
    counterexample = cell["counterexample"]
    roles = {e["name"]: e["role"] for e in counterexample["elements"]}
    names = {n for t in counterexample["transmissions"] for n in (t["from"], t["to"])}
    assert set(roles) == names
    assert roles["alice"] == "ua" and roles["pb"] == "registrar"


def test_a_check_counterexample_becomes_a_flow_with_loopback_addresses(check_files: dict[str, Path]) -> None:
    flow = load_flow(check_files["I-1"])
    cell = json.loads(check_files["I-1"].read_text())["results"][0]
    assert (flow.property_id, flow.rules, flow.violation) == ("I-1", "rfc3261", cell["counterexample"]["violation"])
    assert [h.message.render() for h in flow.hops] == [t["message"] for t in cell["counterexample"]["transmissions"]]
    addresses = [e.address for e in flow.elements]
    assert len(set(addresses)) == len(addresses) and all(a.startswith("127.0.0.") for a in addresses)
    callee = flow.hops[flow.violation].receiver  # the downgraded hop ends at bob's device
    assert {e.name for e in flow.user_agents} == {"alice", callee}


def test_export_json_reads_back_as_the_same_flow(simulated_files: dict[str, Path], tmp_path: Path) -> None:
    flow = load_flow(simulated_files["draft-04-rr2"])
    path = tmp_path / "flow.json"
    path.write_text(json.dumps(flow_json(flow)))
    again = load_flow(path)
    assert again.elements == flow.elements
    assert [(h.sender, h.receiver, h.transport, h.message) for h in again.hops] == [
        (h.sender, h.receiver, h.transport, h.message) for h in flow.hops]


def test_export_json_carries_the_addressing_plan(check_files: dict[str, Path]) -> None:
    data = flow_json(load_flow(check_files["I-2"]))
    for item in data["transmissions"]:
        ports = {int(item["src"].rsplit(":", 1)[1]), int(item["dst"].rsplit(":", 1)[1])}
        if item["transport"] == "UDP":
            assert ports == {5060} and item["connection"] is None
        else:
            assert (5061 if item["transport"] == "TLS" else 5060) in ports
        assert item["secure"] == (item["transport"] == "TLS")


def test_not_json_is_an_error_with_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"results": [\n  1,\n')
    result = CliRunner().invoke(cli, ["export", str(path), "--to", "json"])
    assert result.exit_code == 2
    assert f"{path}:3:1: not JSON" in result.output and "Traceback" not in result.output


def test_a_report_with_several_counterexamples_asks_which(check_files: dict[str, Path]) -> None:
    one, two = (json.loads(check_files[p].read_text()) for p in ("I-1", "I-2"))
    both = {"results": one["results"] + two["results"]}
    with pytest.raises(FlowError, match="2 counterexamples match any cell"):
        flow_from_json(both, "both.json")
    assert flow_from_json(both, "both.json", "I-2", "rfc3261").property_id == "I-2"


def test_a_broken_message_names_its_transmission(check_files: dict[str, Path]) -> None:
    data = json.loads(check_files["I-1"].read_text())
    data["results"][0]["counterexample"]["transmissions"][2]["message"] = "INVITE sips:bob@ SIP/2.0\r\n\r\n"
    with pytest.raises(ParseError) as error:
        flow_from_json(data, "edited.json")
    assert "edited.json: transmission 2 (message)" in str(error.value)


def test_a_file_without_a_flow_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text('{"tool": {}}')
    result = CliRunner().invoke(cli, ["export", str(path), "--to", "sipp"])
    assert result.exit_code == 2 and "expected a JSON object with 'results'" in result.output


def test_export_computes_the_counterexample_when_asked(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["export", "--to", "json", "--property", "I-17", "--rules", "rfc3261"])
    assert result.exit_code == 2 and "no counterexample to export (I-17 under rfc3261: proved" in result.output
    result = CliRunner().invoke(cli, ["export", "--to", "json", "--property", "I-2", "--rules", "rfc3261"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["property"] == "I-2"

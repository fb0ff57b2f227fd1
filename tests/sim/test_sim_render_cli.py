"""Rendering (ladder, messages, JSON) and the ``sipsmodel simulate`` command."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sim_helpers import SCENARIOS, run

from sipsmodel.cli import cli
from sipsmodel.errors import ScenarioError
from sipsmodel.render import message_text, render_json, render_ladder, render_trace
from sipsmodel.rules.scenarios import load_scenario
from sipsmodel.syntax import parse_message

FLOWS = sorted(p.name for p in SCENARIOS.glob("*.toml"))


@pytest.mark.parametrize("name", FLOWS)
def test_every_rendered_message_parses_back_to_the_same_value(name: str) -> None:
    _, trace = run(name)
    assert trace.transmissions
    for item in trace.transmissions:
        assert parse_message(item.message.render()) == item.message
        assert parse_message(message_text(item)) == item.message


def test_ladder_names_every_hop_and_marks_one() -> None:
    scenario, trace = run("draft-04-9.1.toml")
    text = render_ladder(trace, mark=12, titles=scenario.labels)
    lines = text.split("\n")
    assert "Bob's phone" in lines[0] and "Proxy A" in lines[0]
    for item in trace.transmissions:
        assert any(line.startswith(f"F{item.index + 1} ") for line in lines)
    marked = [n for n, line in enumerate(lines) if line.endswith("<== violation")]
    assert len(marked) == 1 and lines[marked[0] - 1].startswith("F13 ") and "INVITE (TLS)" in lines[marked[0] - 1]
    assert "-->" in lines[marked[0]]


def test_render_trace_shows_messages_after_the_ladder() -> None:
    _, trace = run("draft-04-rr1.toml")
    text = render_trace(trace)
    assert "\r" not in text
    assert "F3 a -> p (TLS)\n\n    INVITE sips:b@example.com SIP/2.0" in text
    assert "Record-Route: <sip:p.example.com;lr>, <sips:p.example.com;lr>" in text


def test_render_json_shape() -> None:
    _, trace = run("draft-04-rr2.toml")
    data = render_json(trace)
    assert data["rules"] == "draft-04"
    first = data["transmissions"][0]
    assert set(first) == {"index", "from", "to", "transport", "secure", "kind", "method", "status", "request_uri",
                          "message", "decisions"}
    assert (first["from"], first["to"], first["kind"], first["method"], first["secure"]) == (
        "b", "p", "request", "REGISTER", True)
    ok = data["transmissions"][1]
    assert (ok["kind"], ok["status"], ok["method"], ok["request_uri"]) == ("response", 200, "REGISTER", None)
    assert [b["contact"] for b in data["bindings"]] == ["sips"]
    assert {d["role"] for d in data["dialogs"]} == {"uac", "uas"}


def test_cli_simulate_text_and_json() -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["simulate", str(SCENARIOS / "rfc5630-6.2.toml")])
    assert result.exit_code == 0, result.output
    assert "rules: rfc5630-should-optional" in result.output
    assert "F15" in result.output and "INVITE sips:bob@bobphone.example.com SIP/2.0" in result.output
    result = runner.invoke(cli, ["simulate", str(SCENARIOS / "draft-04-rr1.toml"), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["rules"] == "draft-04"
    invites = [t["transport"] for t in data["transmissions"] if t["method"] == "INVITE" and t["kind"] == "request"]
    assert invites == ["TLS", "TCP"]


def test_cli_simulate_other_rules_and_script_conflict() -> None:
    runner = CliRunner()
    path = str(SCENARIOS / "draft-04-9.2.toml")
    result = runner.invoke(cli, ["simulate", path, "--rules", "rfc5630"])
    assert result.exit_code == 2
    assert "R-5630-5.3-b" in result.output and "--ignore-script" in result.output
    result = runner.invoke(cli, ["simulate", path, "--rules", "rfc5630", "--ignore-script", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    to_phone = [t for t in data["transmissions"] if t["to"] == "phone" and t["method"] == "INVITE"
                and t["kind"] == "request"]
    assert [(t["request_uri"], t["transport"]) for t in to_phone] == [("sip:bob@bobphone.example.com", "TLS")]


def test_scenario_file_errors_name_file_and_key(tmp_path: object) -> None:
    from pathlib import Path

    base = Path(str(tmp_path))
    bad = base / "bad.toml"
    bad.write_text('[[elements]]\nname = "a"\nrole = "router"\nhost = "a.example.com"\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenario(bad)
    assert str(bad) in str(err.value) and "elements[0].role" in str(err.value) and "'router'" in str(err.value)
    bad.write_text('[[elements]]\nname = "a"\nrole = "ua"\nhost = "a.example.com"\n[[calls]]\ncaller = "a"\n'
                   'target = "tel:+1234"\n', encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"key 'calls\[0\]\.target': expected a sip: or sips: URI"):
        load_scenario(bad)
    bad.write_text('[[elements]]\nname = "a"\nrole = "ua"\nhost = "a"\n[[script]]\nelement = "a"\n'
                   'choice_point = "uac_invite"\noptions = { ruri = "https" }\n', encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"script\[0\]\.options\.ruri': expected one of \['sip', 'sips'\]"):
        load_scenario(bad)
    result = CliRunner().invoke(cli, ["simulate", str(bad)])
    assert result.exit_code == 2 and "bad.toml" in result.output

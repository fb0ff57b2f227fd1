"""The exported SIPp scenarios: the real SIPp loads each one and plays it against its peer role on loopback
(the UAS scenario answers the UAC scenario; a register scenario against a stand-in registrar), one call,
bounded (issue 12, item 1)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from sipp_harness import SippRunner

from sipsmodel.cli import cli
from sipsmodel.replay import load_flow
from sipsmodel.replay.export_sipp import scenarios

pytestmark = pytest.mark.slow  # the real SIPp on every exported scenario

REGISTRAR = """<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="stand-in registrar">
  <recv request="REGISTER"/>
  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=registrar
[last_Call-ID:]
[last_CSeq:]
[last_Contact:]
Content-Length: 0

]]></send>
</scenario>
"""


def _export(path: Path, folder: Path) -> list[str]:
    result = CliRunner().invoke(cli, ["export", str(path), "--to", "sipp", "-o", str(folder)])
    assert result.exit_code == 0, result.output
    return sorted(p.name for p in folder.glob("*.xml"))


def _assert_played(sipp: SippRunner, server: Path, client: Path) -> None:
    server_run, client_run = sipp.run_pair(server, client)
    assert client_run.returncode == 0, client_run.stdout[-2000:] + client_run.stderr
    assert server_run.returncode == 0, server_run.stderr


@pytest.mark.parametrize("prop", ["I-1", "I-2"])
def test_check_counterexample_scenarios_play_against_each_other(check_files: dict[str, Path], tmp_path: Path,
                                                               prop: str, sipp_tool: SippRunner) -> None:
    flow = load_flow(check_files[prop])
    callee = flow.hops[flow.violation].receiver
    assert _export(check_files[prop], tmp_path) == sorted(
        ["alice-uac.xml", f"{callee}-register.xml", f"{callee}-uas.xml"])
    _assert_played(sipp_tool, tmp_path / f"{callee}-uas.xml", tmp_path / "alice-uac.xml")
    sent = sipp_tool.messages(tmp_path, "alice-uac")
    invite = next(h.message for h in flow.hops if h.message.method == "INVITE" and h.sender == "alice")
    assert f"INVITE {invite.request_uri.render()} SIP/2.0" in sent
    branches = {line for line in sent.splitlines() if line.startswith("Via:")}
    assert len(branches) == 1  # INVITE, its final response and the ACK of that response share the branch


@pytest.mark.parametrize("prop", ["I-1", "I-2"])
def test_register_scenarios_register_with_a_registrar(check_files: dict[str, Path], tmp_path: Path,
                                                     prop: str, sipp_tool: SippRunner) -> None:
    _export(check_files[prop], tmp_path)
    (tmp_path / "registrar.xml").write_text(REGISTRAR)
    register = next(tmp_path.glob("*-register.xml"))
    _assert_played(sipp_tool, tmp_path / "registrar.xml", register)
    flow = load_flow(check_files[prop])  # the Request-URI the counterexample's REGISTER has (sip: or sips:)
    sent = next(h.message for h in flow.hops if h.message.method == "REGISTER" and h.sender == register.stem[:-9])
    assert sent.request_uri.render() in ("sip:pb.example.com", "sips:pb.example.com")
    assert f"REGISTER {sent.request_uri.render()} SIP/2.0" in sipp_tool.messages(tmp_path, register.stem)


@pytest.mark.parametrize("name", ["draft-04-rr1", "draft-04-rr2"])
def test_dialog_scenarios_follow_the_route_set(simulated_files: dict[str, Path], tmp_path: Path, name: str,
                                              sipp_tool: SippRunner) -> None:
    """INVITE, 200 with Record-Route, ACK and BYE (from the caller in rr1, from the callee in rr2)."""
    _export(simulated_files[name], tmp_path)
    callee = tmp_path / "b-uas.xml"
    assert "[last_Record-Route:]" in callee.read_text()
    # no proxy between the two: the callee's 200 carries the Record-Route a proxy at 127.0.0.99 would have added
    callee.write_text(callee.read_text().replace("[last_Record-Route:]", "Record-Route: <sip:127.0.0.99;lr>"))
    _assert_played(sipp_tool, callee, tmp_path / "a-uac.xml")
    caller = sipp_tool.messages(tmp_path, "a-uac")
    contact = re.search(r"^Contact: <(sips?:b@[^>]+)>", caller, re.MULTILINE).group(1)  # type: ignore[union-attr]
    in_dialog = caller.split("message sent")[2:]  # the ACK, then the BYE or the 200 to the callee's BYE
    ack = in_dialog[0]
    assert f"ACK {contact} SIP/2.0" in ack and "Route: <sip:127.0.0.99;lr>" in ack  # [next_url], [routes]
    if name == "draft-04-rr1":
        bye = in_dialog[1]
        assert f"BYE {contact} SIP/2.0" in bye and "Route: <sip:127.0.0.99;lr>" in bye
    else:
        assert "SIP/2.0 200 OK" in in_dialog[1] and "CSeq: 1 BYE" in in_dialog[1]


def test_scenarios_name_their_command_line(check_files: dict[str, Path]) -> None:
    flow = load_flow(check_files["I-1"])
    texts = scenarios(flow)
    uac = texts["alice-uac.xml"]
    pb = flow.element("pb").address
    assert f"sipp -sf alice-uac.xml -t l1 -i {flow.element('alice').address} -p 5061" in uac
    assert f"-m 1 {pb}:5061" in uac
    assert 'rrs="true"' not in uac  # a 3xx sets no route set


def test_every_published_flow_exports(tmp_path: Path) -> None:
    """Every scenario of scenarios/ (forks, CANCEL, edge proxies, outbound) exports to well-formed SIPp XML
    with a role for every user agent that sends or receives, and to JSON that reads back."""
    import json
    import xml.etree.ElementTree as ElementTree

    from sipsmodel.replay.export_json import flow_json
    from sipsmodel.replay.flow import flow_from_json

    folder = Path(__file__).resolve().parents[2] / "scenarios"
    for scenario in sorted(folder.glob("*.toml")):
        result = CliRunner().invoke(cli, ["simulate", str(scenario), "--format", "json"])
        assert result.exit_code == 0, result.output
        flow = flow_from_json(json.loads(result.output), scenario.name)
        texts = scenarios(flow)
        for name, text in texts.items():
            root = ElementTree.fromstring(text.split("\n", 2)[2])  # after the XML declaration and DOCTYPE
            assert root.tag == "scenario" and len(root) > 0, name
            for send in root.iter("send"):  # a request carries the UA's own Via, a response the request's
                text = send.text or ""
                assert ("[branch" in text) != ("[last_Via:]" in text), name
        players = {n.split("-")[0] for n in texts}
        assert players == {u.name for u in flow.user_agents if any(u.name in (h.sender, h.receiver)
                                                                   for h in flow.hops)}
        again = flow_from_json(flow_json(flow), scenario.name)
        assert [h.message for h in again.hops] == [h.message for h in flow.hops]


def test_sipp_loads_every_scenario_of_every_published_flow(tmp_path: Path, sipp_tool: SippRunner) -> None:
    """SIPp parses a scenario when it starts and stops at once, naming the problem, on a bad one (an unknown
    keyword, element or attribute). Every role of every flow of scenarios/ is started (UDP, one call, all at
    once on their own ports, against a closed port) and must still run, or have ended, without any such
    complaint; then every process is stopped. A bad scenario, written here, shows the complaint looks so."""
    import json
    import time

    import sipp_harness

    from sipsmodel.replay.flow import flow_from_json

    folder = Path(__file__).resolve().parents[2] / "scenarios"
    files = []
    for scenario in sorted(folder.glob("*.toml")):
        result = CliRunner().invoke(cli, ["simulate", str(scenario), "--format", "json"])
        flow = flow_from_json(json.loads(result.output), scenario.name)
        for name, text in scenarios(flow).items():
            path = tmp_path / f"{scenario.stem}-{name}"
            path.write_text(text)
            files.append(path)
    bad = tmp_path / "bad.xml"
    bad.write_text('<?xml version="1.0"?>\n<scenario name="bad">\n<recv request="INVITE"/>\n<send><![CDATA[\n'
                   'SIP/2.0 200 OK\n[last_Via:]\n[no_such_keyword]\n\n]]></send>\n</scenario>\n')
    processes = []
    try:
        for path in [*files, bad]:
            def command(port: int, name: str = path.name) -> list[str]:
                return ["sipp", "-sf", name, "-t", "u1", "-i", "127.0.0.10", "-p", str(port),
                        "-m", "1", "-timeout", "5s", "-nostdin", "127.0.0.10:9"]
            processes.append(sipp_tool.launch(command, "127.0.0.10", tmp_path)[0])  # bound, or ended at once
        time.sleep(3)
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
    complaints = {path.name: sipp_harness.stderr_of(process) for path, process in zip([*files, bad], processes,
                                                                                       strict=True)}
    assert "Unsupported keyword 'no_such_keyword' in xml scenario file" in complaints.pop("bad.xml")
    assert len(complaints) == len(files) > 30
    for name, stderr in complaints.items():
        lines = [line for line in stderr.splitlines() if line.strip() and not line.startswith("Resolving remote")]
        assert lines == [], f"{name}: {lines}"

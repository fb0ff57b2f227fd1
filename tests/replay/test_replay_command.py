"""``sipsmodel replay`` refuses what it must not do before it sends anything (issue 12, item 2), and the
messages it plays carry the run's own addresses, branches and Call-IDs (sipsmodel.replay.adapt)."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest
from click.testing import CliRunner

from sipsmodel.cli import cli
from sipsmodel.replay import load_flow
from sipsmodel.replay.adapt import RunState, own_hosts, request_bytes
from sipsmodel.replay.agent import Agent, AgentError, local_address_for
from sipsmodel.replay.replay import ReplayError, bind_address, check_target
from sipsmodel.syntax import parse_message


@pytest.mark.parametrize("proxy", ["192.0.2.1:5060", "[2001:db8::1]:5060", "10.0.0.1:5060"])
def test_a_non_loopback_proxy_is_refused(check_files: dict[str, Path], proxy: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["replay", str(check_files["I-1"]), "--proxy", proxy, "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "replay sends only to loopback addresses unless --allow-remote is given" in result.output
    assert list(tmp_path.iterdir()) == []  # nothing was started, nothing written


def test_allow_remote_lifts_the_refusal_and_the_agents_bind_the_address_that_reaches_the_proxy() -> None:
    assert check_target("127.0.0.1", False) == "127.0.0.1" and check_target("::1", False) == "::1"
    assert check_target("192.0.2.1", True) == "192.0.2.1"
    with pytest.raises(ReplayError, match="unless --allow-remote is given"):
        check_target("192.0.2.1", False)
    assert bind_address("127.0.0.1", 5060) is None  # a loopback proxy: each UA on its own loopback address
    local = local_address_for("127.0.0.1", 5060)  # the OS's choice (a connected UDP socket sends nothing)
    assert ipaddress.ip_address(local).is_loopback


def test_an_agent_allowed_one_remote_proxy_sends_to_no_other_address() -> None:
    with pytest.raises(AgentError, match="not a loopback address"):
        Agent("UDP", host="192.0.2.7")  # without a remote proxy, only loopback addresses are bound
    with Agent("UDP", host="127.0.0.1", remote="192.0.2.1") as agent:
        for other in ("198.51.100.1", "192.0.2.2"):
            with pytest.raises(AgentError, match="refuses to talk to other hosts"):
                agent.send(b"OPTIONS sip:x SIP/2.0\r\n\r\n", (other, 5060))


def test_with_a_bind_address_every_ua_listens_there(simulated_files: dict[str, Path]) -> None:
    from sipsmodel.replay.player import Player, Target

    flow = load_flow(simulated_files["draft-04-rr1"])
    player = Player(flow, Target("127.0.0.1", 5060, 5061), bind="127.0.0.1")
    try:
        player._open_agents()
        assert {(a.host, a.remote) for a in player.agents.values()} == {("127.0.0.1", "127.0.0.1")}
        ports = {name: {a.port for (n, _), a in player.agents.items() if n == name} for name, _ in player.agents}
        assert all(len(one) == 1 for one in ports.values())  # a UA's UDP and TCP agents share one port (no TLS here)
        assert len({p for one in ports.values() for p in one}) == len(flow.user_agents)  # and no two UAs share
    finally:
        for agent in player.agents.values():
            agent.close()


@pytest.mark.parametrize(("args", "message"), [
    (["--proxy", "localhost:5060"], "expected an IP address"),
    (["--proxy", "127.0.0.1"], "expected HOST:PORT"),
])  # fmt: skip
def test_bad_proxy_addresses_say_what_is_expected(check_files: dict[str, Path], args: list[str],
                                                  message: str) -> None:
    result = CliRunner().invoke(cli, ["replay", str(check_files["I-1"]), *args])
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


def test_cert_and_key_go_together(check_files: dict[str, Path], tmp_path: Path) -> None:
    cert = tmp_path / "cert.pem"
    cert.write_text("x")
    result = CliRunner().invoke(cli, ["replay", str(check_files["I-1"]), "--proxy", "127.0.0.1:5060",
                                      "--cert", str(cert)])
    assert result.exit_code == 2 and "--cert and --key go together" in result.output


def test_a_played_request_carries_the_runs_address_branch_and_call_id(check_files: dict[str, Path]) -> None:
    flow = load_flow(check_files["I-1"])
    register = flow.hops[0]
    assert register.message.method == "REGISTER"
    state = RunState("run1")
    with Agent("UDP", host="127.0.0.10") as agent:
        hosts = own_hosts(register.sender, [(h.sender, h.message) for h in flow.hops])
        data = request_bytes(register.sender, register.message, agent, state, (hosts, (agent.port, 6001)))
    sent = parse_message(data)
    model_via = register.message.vias()[0]
    via = sent.vias()[0]
    assert (via.transport, via.host, via.port) == ("UDP", "127.0.0.10", agent.port)
    assert via.param("branch") == state.branch(model_via.param("branch"))  # the same model branch, the same branch
    assert sent.call_id() == f"{register.message.call_id()}-run1"
    contact = sent.contacts()[0].uri  # type: ignore[index]
    model_contact = register.message.contacts()[0].uri  # type: ignore[index]
    assert (contact.scheme, contact.user) == (model_contact.scheme, model_contact.user)
    assert (contact.host, contact.port) == ("127.0.0.10", 6001 if contact.is_sips else agent.port)
    assert sent.to() == register.message.to() and sent.request_uri == register.message.request_uri



def test_in_dialog_requests_go_nowhere_but_the_proxy_or_the_runs_own_uas(simulated_files: dict[str, Path]) -> None:
    from sipsmodel.replay.adapt import Dialog
    from sipsmodel.replay.player import Player, Target

    flow = load_flow(simulated_files["draft-04-rr1"])
    bye = next(h for h in flow.hops if h.message.method == "BYE" and h.sender == "a")
    player = Player(flow, Target("127.0.0.1", 5060, 5061))
    key = ("a", bye.message.call_id() or "")
    player.state.dialogs[key] = Dialog("sip:b@127.0.0.1:7777", ("<sip:127.0.0.1;lr>",), "b2")
    assert player._destination(bye) == ("127.0.0.1", 5061 if bye.transport == "TLS" else 5060)  # via the route set
    player.state.dialogs[key] = Dialog("sip:b@198.51.100.7:5060", (), "b2")  # no route set, a foreign target
    assert player._destination(bye)[0] == "127.0.0.1"
    with Agent("UDP", host="127.0.0.11") as own:
        player.agents[("b", "UDP")] = own
        player.state.dialogs[key] = Dialog(f"sip:b@127.0.0.11:{own.port}", (), "b2")
        assert player._destination(bye) == ("127.0.0.11", own.port)  # the run's own UA b


@pytest.mark.parametrize(("args", "message"), [
    (["--within", "stock-proxy"], "--should and --within choose how a counterexample is computed"),
    (["--should", "optional"], "--should and --within choose how a counterexample is computed"),
])  # fmt: skip
def test_within_and_should_apply_only_to_a_computed_counterexample(check_files: dict[str, Path], args: list[str],
                                                                   message: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["export", str(check_files["I-1"]), "--to", "json", *args])
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


def test_an_unknown_narrowed_profile_is_refused_before_the_prover_runs() -> None:
    result = CliRunner().invoke(cli, ["export", "--to", "json", "--property", "I-1", "--rules", "rfc3261",
                                      "--within", "stock"])
    assert result.exit_code == 2 and "unknown narrowed profile; known: stock-proxy" in result.output

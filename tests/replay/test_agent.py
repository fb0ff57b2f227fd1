"""The loopback-only SIP user agent of sipsmodel.replay.agent."""

from __future__ import annotations

import socket

import pytest

from sipsmodel.replay.agent import Agent, AgentError, new_branch, require_loopback
from sipsmodel.syntax import parse_message
from sipsmodel.trace.framing import FramingError, split_stream


@pytest.mark.parametrize("host", ["192.0.2.1", "8.8.8.8", "example.com", "0.0.0.0"])
def test_refuses_anything_but_loopback(host: str) -> None:
    with pytest.raises(AgentError):
        require_loopback(host)
    with pytest.raises(AgentError):
        Agent("UDP", host=host)


def test_refuses_to_send_off_loopback() -> None:
    with Agent("UDP") as agent, pytest.raises(AgentError, match="loopback"):
        agent.send(b"OPTIONS sip:x SIP/2.0\r\n\r\n", ("192.0.2.1", 5060))


@pytest.mark.parametrize("transport", ["UDP", "TCP"])
def test_request_and_response_round_trip(transport: str) -> None:
    with Agent(transport, user="alice") as alice, Agent(transport, user="bob") as bob:
        request = alice.request("OPTIONS", f"sip:bob@127.0.0.1:{bob.port}", "<sip:bob@example.test>",
                                "<sip:alice@example.test>;tag=1", "c1", 7)
        assert parse_message(request).cseq() is not None  # sipsmodel's parser reads what the agent writes
        alice.send(request, ("127.0.0.1", bob.port))
        incoming = bob.receive(5)
        assert incoming.start_line.startswith("OPTIONS ")
        bob.reply(incoming, bob.response(incoming, 200, "OK", "t9"))
        answer = alice.receive(5)
        assert answer.start_line == "SIP/2.0 200 OK"
        assert answer.header("To") == "<sip:bob@example.test>;tag=t9"
        assert answer.header("CSeq") == "7 OPTIONS"


def test_receive_times_out() -> None:
    with Agent("UDP") as agent, pytest.raises(TimeoutError):
        agent.receive(0.2)


def test_stream_framing_by_content_length() -> None:
    body = b"v=0\r\n"
    first = f"MESSAGE sip:a SIP/2.0\r\nContent-Length: {len(body)}\r\n\r\n".encode() + body
    buffer = bytearray(b"\r\n\r\n" + first + first[:10])
    assert split_stream(buffer) == first
    assert split_stream(buffer) is None and bytes(buffer) == first[:10]
    with pytest.raises(FramingError):
        split_stream(bytearray(b"x" * 70000))


def test_branches_are_rfc3261() -> None:
    assert new_branch().startswith("z9hG4bK") and new_branch() != new_branch()


def test_stream_agent_closes_its_sockets() -> None:
    agent = Agent("TCP")
    port = agent.port
    agent.close()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", port))

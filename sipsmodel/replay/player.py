"""Playing the user agents of a flow against a real proxy with the loopback agent, recording what they saw.

Theory of operation: every UA of the flow gets one ``Agent`` per transport it uses in the flow, bound to
its loopback address (or, for a proxy on another host allowed by ``--allow-remote``, to ``bind``: the
local address that reaches the proxy, every UA on its own ports). The flow's hops are walked in order:
a hop a UA sends is adapted (``sipsmodel.replay.adapt``) and sent to the proxy (its TLS port for a TLS
hop); a hop a UA receives is waited for, on any of that UA's agents, for at most ``timeout`` seconds;
hops between proxies are the real proxy's business and are skipped. Provisional responses,
retransmissions and the proxy's ACKs of non-2xx answers that the flow does not show are recorded and
passed over; a UAC acknowledges a non-2xx final answer to its INVITE itself (RFC 3261 section
17.1.1.3). The run stops at the first hop that does not come, or that comes as something else: that
step and what the proxy sent instead are the outcome.
"""

from __future__ import annotations

import contextlib
import secrets
import ssl
import time
from dataclasses import dataclass, field, replace

from sipsmodel.defaults import REPLAY_TIMEOUT
from sipsmodel.replay.adapt import RunState, ack_bytes, learn_dialog, own_hosts, request_bytes, response_bytes
from sipsmodel.replay.agent import Agent, Incoming
from sipsmodel.replay.flow import Flow, FlowHop
from sipsmodel.syntax import SipMessage, SipUri, parse_uri


@dataclass(frozen=True)
class Target:
    """The proxy under test: its address, its port for UDP and TCP, and its TLS port."""

    host: str
    port: int
    tls_port: int

    def address(self, transport: str) -> tuple[str, int]:
        return (self.host, self.tls_port if transport == "TLS" else self.port)


@dataclass(frozen=True)
class Exchange:
    """One message a UA sent or received: the flow step it belongs to (None when the flow has none)."""

    ua: str
    sent: bool
    transport: str
    local: tuple[str, int]
    remote: tuple[str, int]
    data: bytes
    time: float
    step: int | None = None

    @property
    def start_line(self) -> str:
        return self.data.split(b"\r\n", 1)[0].decode("utf-8", errors="replace")

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (full name, case-insensitive), as the agent reads it."""
        return Incoming(self.data, self.remote).header(name)


@dataclass
class Outcome:
    """How far the flow went on the real proxy, and everything the UAs exchanged."""

    exchanges: list[Exchange] = field(default_factory=list)
    stopped_at: FlowHop | None = None
    reason: str = ""
    answers: list[Exchange] = field(default_factory=list)  # what the proxy sent instead, when it stopped
    skipped: list[FlowHop] = field(default_factory=list)  # registrations not played (--no-register)
    absent: list[FlowHop] = field(default_factory=list)  # provisional responses the proxy did not send

    @property
    def completed(self) -> bool:
        return self.stopped_at is None


class StepFailed(Exception):
    """The hop a UA waited for did not come (or came as something else)."""


@dataclass
class Player:
    """One run of a flow's UAs against ``target``."""

    flow: Flow
    target: Target
    contexts: tuple[ssl.SSLContext, ssl.SSLContext] | None = None
    timeout: float = REPLAY_TIMEOUT
    register: bool = True
    bind: str | None = None  # a remote proxy: the local address every UA binds (None: each UA's loopback)
    outcome: Outcome = field(default_factory=Outcome)
    agents: dict[tuple[str, str], Agent] = field(default_factory=dict)
    queues: dict[str, list[tuple[Agent, Incoming, int]]] = field(default_factory=dict)  # (.., exchange index)
    pending: dict[tuple[str, str, int], tuple[Agent, Incoming]] = field(default_factory=dict)  # to answer
    invites: dict[tuple[str, int], bytes] = field(default_factory=dict)  # (UA, CSeq) -> the INVITE sent
    finals: dict[tuple[str, int], Incoming] = field(default_factory=dict)  # (UA, CSeq) -> final answer

    def __post_init__(self) -> None:
        self.state = RunState(secrets.token_hex(4))
        messages = [(h.sender, h.message) for h in self.flow.hops]
        self.hosts = {ua.name: own_hosts(ua.name, messages) for ua in self.flow.user_agents}

    def run(self) -> Outcome:
        """Play every hop that involves a UA, in order; stop at the first that fails."""
        try:
            self._open_agents()
            for hop in self.flow.hops:
                if not self.register and hop.method == "REGISTER":
                    self.outcome.skipped.append(hop)
                    continue
                try:
                    self._play(hop)
                except StepFailed as failure:
                    self.outcome.stopped_at, self.outcome.reason = hop, str(failure)
                    self._collect_answers()
                    break
        finally:
            for agent in self.agents.values():
                agent.close()
        return self.outcome

    # -- agents ----------------------------------------------------------------------------------

    def _open_agents(self) -> None:
        """Per UA: UDP and TCP on one port (a sip: Contact may be reached over either, RFC 3263) and TLS on
        another (a sips: Contact), whatever transports the flow shows, since the real proxy chooses."""
        remote = None if self.bind is None else self.target.host
        for ua in self.flow.user_agents:
            host = self.bind or ua.address
            plain = self._plain_pair(host, ua.name, remote)
            self.agents[(ua.name, "UDP")], self.agents[(ua.name, "TCP")] = plain
            if self.contexts is not None:
                server, client = self.contexts
                self.agents[(ua.name, "TLS")] = Agent("TLS", host=host, server_context=server,
                                                      client_context=client, user=ua.name, remote=remote)
            self.queues[ua.name] = []

    def _plain_pair(self, host: str, name: str, remote: str | None) -> tuple[Agent, Agent]:
        for _ in range(20):
            udp = Agent("UDP", host=host, user=name, remote=remote)
            try:
                return udp, Agent("TCP", host=host, port=udp.port, user=name, remote=remote)
            except OSError:
                udp.close()
        raise OSError(f"no port free for both UDP and TCP on {host}")

    def _ports(self, ua: str) -> tuple[int, int | None]:
        """The UA's port for sip: Contacts (UDP and TCP) and for sips: Contacts (TLS, None without TLS)."""
        tls = self.agents.get((ua, "TLS"))
        return self.agents[(ua, "UDP")].port, None if tls is None else tls.port

    # -- one hop ---------------------------------------------------------------------------------

    def _play(self, hop: FlowHop) -> None:
        sender, receiver = self.flow.element(hop.sender), self.flow.element(hop.receiver)
        if sender.is_ua:
            self._send(hop)
        elif receiver.is_ua:
            self._receive(hop)

    def _send(self, hop: FlowHop) -> None:
        agent = self.agents.get((hop.sender, hop.transport))
        if agent is None:
            raise StepFailed(f"F{hop.index + 1}: the replay agent has no {hop.transport} (UDP, TCP, and TLS "
                             "with a certificate)")
        message = hop.message
        hosts = self.hosts.get(hop.sender, set())
        cseq = message.cseq()
        number = cseq.number if cseq else 0
        if message.is_request:
            data = self._request(hop, agent, hosts, number)
            destination = self._destination(hop)
            agent.send(data, destination, self.timeout)
            self._record(hop.sender, agent, True, destination, data, hop.index)
            return
        received = self.pending.get((hop.sender, message.call_id() or "", number))
        if received is None:
            raise StepFailed(f"F{hop.index + 1}: {hop.sender} has no received request to answer")
        answering, incoming = received
        data = response_bytes(message, incoming, answering.host, self._ports(hop.sender), hosts)
        answering.reply(incoming, data)
        self._record(hop.sender, answering, True, self._remote(incoming, answering), data, hop.index)

    def _destination(self, hop: FlowHop) -> tuple[str, int]:
        """The proxy, except for an in-dialog request of a dialog without a route set: its remote target
        (RFC 3261 section 12.2.1.1) when that is one of the run's own UAs (replay sends nowhere else)."""
        dialog = self.state.dialogs.get((hop.sender, hop.message.call_id() or ""))
        to = hop.message.to()
        if dialog is None or dialog.routes or to is None or to.tag is None or hop.message.method == "CANCEL":
            return self.target.address(hop.transport)
        target = parse_uri(dialog.target)
        own = {(a.host, a.port) for a in self.agents.values()}
        if not isinstance(target, SipUri) or (target.host, target.port) not in own:
            return self.target.address(hop.transport)
        return (target.host, target.port or 0)

    def _request(self, hop: FlowHop, agent: Agent, hosts: set[str], number: int) -> bytes:
        message = hop.message
        if message.method == "ACK" and (hop.sender, number) in self.invites and self._last_final_failed(hop):
            return ack_bytes(self.invites[(hop.sender, number)], self.finals[(hop.sender, number)])
        data = request_bytes(hop.sender, message, agent, self.state, (hosts, self._ports(hop.sender)))
        if message.method == "INVITE":
            self.invites[(hop.sender, number)] = data
        return data

    def _last_final_failed(self, hop: FlowHop) -> bool:
        cseq = hop.message.cseq()
        final = self.finals.get((hop.sender, cseq.number if cseq else 0))
        return final is not None and not final.start_line.split(" ")[1].startswith("2")

    def _receive(self, hop: FlowHop) -> None:
        received = self._wait_for(hop)
        if received is None:
            self.outcome.absent.append(hop)
            return
        agent, incoming = received
        message = hop.message
        cseq = message.cseq()
        number = cseq.number if cseq else 0
        if message.is_request:
            self.pending[(hop.receiver, message.call_id() or "", number)] = (agent, incoming)
            to = message.to()
            if message.method == "INVITE" and (to is None or to.tag is None):
                learn_dialog(hop.receiver, incoming, self.state, as_uac=False)
            return
        status = message.status or 0
        if hop.method == "INVITE" and status >= 200:
            self.finals[(hop.receiver, number)] = incoming
            if status < 300:
                learn_dialog(hop.receiver, incoming, self.state, as_uac=True)
            elif not self._flow_acks(hop):
                self._acknowledge(hop.receiver, number, incoming)

    def _flow_acks(self, hop: FlowHop) -> bool:
        later = [h for h in self.flow.hops if h.index > hop.index and h.sender == hop.receiver]
        return bool(later) and later[0].message.method == "ACK"

    def _acknowledge(self, ua: str, number: int, response: Incoming) -> None:
        invite = self.invites.get((ua, number))
        if invite is None:
            return
        transport = next(t for (name, t), a in self.agents.items() if name == ua and invite_on(a, invite))
        agent = self.agents[(ua, transport)]
        data = ack_bytes(invite, response)
        destination = self.target.address(transport)
        agent.send(data, destination, self.timeout)
        self._record(ua, agent, True, destination, data, None)

    # -- waiting ---------------------------------------------------------------------------------

    def _wait_for(self, hop: FlowHop) -> tuple[Agent, Incoming] | None:
        """The message of ``hop`` at its receiver, from the queue or the wire; StepFailed on anything else.
        None for a provisional response the proxy did not send (it sent a later message, or nothing)."""
        provisional = (hop.message.status or 0) in range(100, 200)
        deadline = time.monotonic() + self.timeout
        while True:
            queue = self.queues[hop.receiver]
            while queue:
                agent, incoming, index = queue[0]
                if self._matches(hop.message, incoming, index):
                    queue.pop(0)
                    self.outcome.exchanges[index] = replace(self.outcome.exchanges[index], step=hop.index)
                    return agent, incoming
                if provisional and not self._skippable(incoming, index):
                    return None  # the proxy went on without it; the message waits for its own hop
                queue.pop(0)
                self._pass_over(hop, agent, incoming, index)
            left = deadline - time.monotonic()
            if left <= 0:
                if provisional:
                    return None
                raise StepFailed(f"F{hop.index + 1} ({_describe(hop)}) did not reach {hop.receiver} "
                                 f"within {self.timeout:g} s")
            self._poll(min(left, 0.05))

    def _skippable(self, incoming: Incoming, index: int) -> bool:
        """Provisional, the proxy's ACK of a non-2xx answer, or a retransmission: passed over silently."""
        return incoming.start_line.startswith(("SIP/2.0 1", "ACK ")) or self._repeated(index)

    def _poll(self, seconds: float) -> None:
        """Receive what is there on every agent; record it at once (arrival order) and queue it for its UA."""
        for (name, _), agent in self.agents.items():
            with contextlib.suppress(TimeoutError):
                incoming = agent.receive(seconds / max(1, len(self.agents)))
                self._record(name, agent, False, self._remote(incoming, agent), incoming.data, None)
                self.queues[name].append((agent, incoming, len(self.outcome.exchanges) - 1))

    def _pass_over(self, hop: FlowHop, agent: Agent, incoming: Incoming, index: int) -> None:
        """A message the flow does not show here: skippable ones are skipped; any other final response or
        request means the proxy did something else."""
        if self._skippable(incoming, index):
            return
        self._answered(hop.receiver, incoming, index)
        raise StepFailed(f"F{hop.index + 1} ({_describe(hop)}): {hop.receiver} received "
                         f"'{incoming.start_line}' instead")

    def _answered(self, ua: str, incoming: Incoming, index: int) -> None:
        """Keep what the proxy sent instead of the flow; acknowledge a non-2xx answer to an INVITE the UA sent."""
        self.outcome.answers.append(self.outcome.exchanges[index])
        line = incoming.start_line
        cseq = (incoming.header("CSeq") or "0 X").split()
        if line.startswith("SIP/2.0 ") and not line.startswith("SIP/2.0 2") and cseq[-1] == "INVITE":
            self._acknowledge(ua, int(cseq[0]) if cseq[0].isdigit() else 0, incoming)

    def _repeated(self, index: int) -> bool:
        """A retransmission: the same octets already received by the same UA."""
        this = self.outcome.exchanges[index]
        return any(not e.sent and e.ua == this.ua and e.data == this.data for e in self.outcome.exchanges[:index])

    def _matches(self, expected: SipMessage, incoming: Incoming, index: int) -> bool:
        line = incoming.start_line
        if self._repeated(index):
            return False
        if expected.is_request:
            return line.startswith(f"{expected.method} ")
        cseq = incoming.header("CSeq") or ""
        return line.startswith(f"SIP/2.0 {expected.status} ") and cseq.split()[-1:] == [_method(expected)]

    def _collect_answers(self) -> None:
        """After a stop: what the proxy sent (and still sends within a short grace time) to any UA; a final
        answer to an INVITE a UA sent is acknowledged (RFC 3261 section 17.1.1.3)."""
        deadline = time.monotonic() + min(self.timeout, 1.0)
        while time.monotonic() < deadline:
            self._poll(0.05)
        for name, queue in self.queues.items():
            for _, incoming, index in queue:
                if not self._skippable(incoming, index):
                    self._answered(name, incoming, index)
            queue.clear()

    # -- records ---------------------------------------------------------------------------------

    def _remote(self, incoming: Incoming, agent: Agent) -> tuple[str, int]:
        """The proxy as the trace names it: its listening address for the agent's transport (a stream the
        proxy opened comes from an ephemeral port; the element is the same)."""
        if incoming.peer[0] == self.target.host:
            return self.target.address(agent.transport)
        return incoming.peer

    def _record(self, ua: str, agent: Agent, sent: bool, remote: tuple[str, int], data: bytes,
                step: int | None) -> None:  # fmt: skip
        self.outcome.exchanges.append(
            Exchange(ua, sent, agent.transport, (agent.host, agent.port), remote, data, time.time(), step))


def invite_on(agent: Agent, invite: bytes) -> bool:
    """Whether ``invite`` went out on ``agent`` (its Via names the agent's transport, host and port)."""
    return f"SIP/2.0/{agent.transport} {agent.host}:{agent.port};".encode() in invite


def _method(message: SipMessage) -> str:
    cseq = message.cseq()
    return cseq.method if cseq else ""


def _describe(hop: FlowHop) -> str:
    message = hop.message
    what = f"{message.method}" if message.is_request else f"{message.status} to {_method(message)}"
    return f"{hop.sender} -> {hop.receiver} {what} over {hop.transport}"

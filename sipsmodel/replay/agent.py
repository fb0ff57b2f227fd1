"""A small loopback-only SIP user agent over UDP, TCP or TLS (RFC 3261 sections 8, 12, 18).

Theory of operation: an Agent owns one listening socket (UDP, or a TCP/TLS server) on 127.0.0.1 or
::1. Requests it sends go out on that UDP socket, or on a stream connection it opens to the peer and
keeps; messages arriving on any socket are framed (a datagram, or Content-Length on a stream,
RFC 3261 section 18.3) and handed out by ``receive`` with the connection they came on, so that a
response goes back where its request came from (section 18.2.2). The agent builds requests and
responses as text; it parses nothing beyond the framing and the headers a reply copies.

It refuses every address that is not a loopback address: it is a test and replay tool, never a
client of real servers. The one exception is ``remote``: the proxy that ``replay --allow-remote`` was
given, which the agent may talk to (and then it binds the local address the OS uses to reach that
proxy, ``local_address_for``). Every wait is bounded by a timeout.
"""

from __future__ import annotations

import contextlib
import ipaddress
import secrets
import selectors
import socket
import ssl
from dataclasses import dataclass, field

from sipsmodel.trace.framing import split_stream

TRANSPORTS = ("UDP", "TCP", "TLS")
_COPIED = ("via", "v", "from", "f", "to", "t", "call-id", "i", "cseq", "record-route")


class AgentError(Exception):
    """The agent was asked for something it does not do (a non-loopback address, an unknown transport)."""


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        raise AgentError(f"{host!r} is not an IP address; the agent only talks to loopback addresses") from None


def require_loopback(host: str) -> str:
    """``host`` if it is a loopback IP address (127.0.0.0/8 or ::1); AgentError otherwise."""
    address = _ip(host)
    if not address.is_loopback:
        raise AgentError(f"{host} is not a loopback address; the agent refuses to talk to other hosts")
    return host


def require_allowed(host: str, remote: str | None) -> str:
    """``host`` if it is a loopback address or the one remote address allowed; AgentError otherwise."""
    if remote is not None and host == remote:
        return host
    return require_loopback(host)


def local_address_for(host: str, port: int) -> str:
    """The local address the OS would use to reach ``host`` (a connected UDP socket sends nothing)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_DGRAM) as probe:
        probe.connect((host, port))
        address: str = probe.getsockname()[0]
        return address


@dataclass
class Incoming:
    """One message received, and where it came from."""

    data: bytes
    peer: tuple[str, int]
    connection: socket.socket | None = None

    @property
    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace")

    @property
    def start_line(self) -> str:
        return self.text.split("\r\n", 1)[0]

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (full name, case-insensitive)."""
        wanted = name.lower()
        for line in self.text.split("\r\n\r\n", 1)[0].split("\r\n")[1:]:
            key, _, value = line.partition(":")
            if key.strip().lower() == wanted:
                return value.strip()
        return None


@dataclass
class Agent:
    """A SIP user agent bound to a loopback address; ``transport`` is UDP, TCP or TLS. With ``remote`` (the
    address of a proxy the user allowed) it binds ``host`` whatever it is and may send to ``remote`` too."""

    transport: str
    host: str = "127.0.0.1"
    port: int = 0
    server_context: ssl.SSLContext | None = None
    client_context: ssl.SSLContext | None = None
    user: str = "agent"
    remote: str | None = None
    _listener: socket.socket = field(init=False)
    _selector: selectors.BaseSelector = field(init=False, default_factory=selectors.DefaultSelector)
    _streams: dict[tuple[str, int], socket.socket] = field(init=False, default_factory=dict)
    _buffers: dict[socket.socket, bytearray] = field(init=False, default_factory=dict)
    _ready: list[Incoming] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        if self.transport not in TRANSPORTS:
            raise AgentError(f"unknown transport {self.transport!r}; expected one of {TRANSPORTS}")
        if self.transport == "TLS" and (self.server_context is None or self.client_context is None):
            raise AgentError("a TLS agent needs a server and a client ssl.SSLContext")
        if self.remote is None:
            require_loopback(self.host)
        else:  # the local address that reaches the allowed proxy (local_address_for)
            _ip(self.remote)
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        kind = socket.SOCK_DGRAM if self.transport == "UDP" else socket.SOCK_STREAM
        self._listener = socket.socket(family, kind)
        self._listener.bind((self.host, self.port))
        self.port = self._listener.getsockname()[1]
        if kind == socket.SOCK_STREAM:
            self._listener.listen(8)
        self._listener.setblocking(False)
        self._selector.register(self._listener, selectors.EVENT_READ)

    @property
    def contact(self) -> str:
        """The Contact URI of this agent: sips: over TLS, sip: otherwise (with transport=tcp over TCP)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        if self.transport == "TLS":
            return f"sips:{self.user}@{host}:{self.port}"
        suffix = ";transport=tcp" if self.transport == "TCP" else ""
        return f"sip:{self.user}@{host}:{self.port}{suffix}"

    @property
    def via_transport(self) -> str:
        return self.transport

    def close(self) -> None:
        """Close every socket (idempotent)."""
        for sock in [*self._streams.values(), *self._buffers, self._listener]:
            with contextlib.suppress(KeyError, ValueError):
                self._selector.unregister(sock)
            sock.close()
        self._streams.clear()
        self._buffers.clear()
        self._selector.close()

    def __enter__(self) -> Agent:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- sending ---------------------------------------------------------------------------------

    def send(self, data: bytes, to: tuple[str, int], timeout: float = 5.0) -> None:
        """Send ``data`` to ``to`` (a loopback address, or ``remote``): a datagram, or on a kept stream connection."""
        require_allowed(to[0], self.remote)
        if self.transport == "UDP":
            self._listener.sendto(data, to)
            return
        connection = self._streams.get(to) or self._connect(to, timeout)
        connection.setblocking(True)
        connection.settimeout(timeout)
        connection.sendall(data)
        connection.setblocking(False)

    def reply(self, incoming: Incoming, data: bytes) -> None:
        """Send ``data`` back the way ``incoming`` came (RFC 3261 section 18.2.2)."""
        if incoming.connection is None:
            self.send(data, incoming.peer)
            return
        incoming.connection.setblocking(True)
        incoming.connection.sendall(data)
        incoming.connection.setblocking(False)

    def _connect(self, to: tuple[str, int], timeout: float) -> socket.socket:
        family = socket.AF_INET6 if ":" in to[0] else socket.AF_INET
        raw = socket.create_connection(to, timeout=timeout) if family == socket.AF_INET else socket.socket(family)
        if family == socket.AF_INET6:
            raw.settimeout(timeout)
            raw.connect(to)
        connection = raw
        if self.transport == "TLS":
            assert self.client_context is not None
            connection = self.client_context.wrap_socket(raw, server_hostname=None)
        self._watch(connection)
        self._streams[to] = connection
        return connection

    def _watch(self, connection: socket.socket) -> None:
        connection.setblocking(False)
        self._buffers[connection] = bytearray()
        self._selector.register(connection, selectors.EVENT_READ)

    # -- receiving -------------------------------------------------------------------------------

    def receive(self, timeout: float = 5.0) -> Incoming:
        """The next message, waiting at most ``timeout`` seconds (TimeoutError when none came)."""
        import time

        deadline = time.monotonic() + timeout
        while not self._ready:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no SIP message reached {self.transport} {self.host}:{self.port} in {timeout} s")
            for key, _ in self._selector.select(left):
                self._read(key.fileobj)  # type: ignore[arg-type]
        return self._ready.pop(0)

    def receive_until(self, wanted: str, timeout: float = 5.0) -> Incoming:
        """Receive until a message whose start line contains ``wanted`` (others are dropped)."""
        import time

        deadline = time.monotonic() + timeout
        while True:
            incoming = self.receive(max(0.0, deadline - time.monotonic()))
            if wanted in incoming.start_line:
                return incoming

    def _read(self, sock: socket.socket) -> None:
        if sock is self._listener and self.transport == "UDP":
            data, peer = sock.recvfrom(65535)
            self._ready.append(Incoming(data, (peer[0], peer[1])))
            return
        if sock is self._listener:
            self._accept()
            return
        try:
            chunk = sock.recv(65535)
        except (ssl.SSLWantReadError, BlockingIOError):
            return
        except OSError:
            chunk = b""
        if not chunk:
            self._drop(sock)
            return
        buffer = self._buffers[sock]
        buffer += chunk
        peer = sock.getpeername()
        while (message := split_stream(buffer)) is not None:
            self._ready.append(Incoming(message, (peer[0], peer[1]), sock))

    def _accept(self) -> None:
        raw, peer = self._listener.accept()
        connection = raw
        if self.transport == "TLS":
            assert self.server_context is not None
            raw.settimeout(5.0)
            connection = self.server_context.wrap_socket(raw, server_side=True)
        self._watch(connection)
        self._streams.setdefault((peer[0], peer[1]), connection)

    def _drop(self, sock: socket.socket) -> None:
        self._selector.unregister(sock)
        self._buffers.pop(sock, None)
        for peer, connection in list(self._streams.items()):
            if connection is sock:
                del self._streams[peer]
        sock.close()

    # -- building messages -----------------------------------------------------------------------

    def via(self, branch: str | None = None) -> str:
        """A Via header value for a request this agent sends (RFC 3261 section 8.1.1.7)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"SIP/2.0/{self.transport} {host}:{self.port};branch={branch or new_branch()};rport"

    def request(
        self, method: str, ruri: str, to: str, from_: str, call_id: str, cseq: int,
        extra: tuple[str, ...] = (), branch: str | None = None, contact: bool = True,
    ) -> bytes:  # fmt: skip
        """A request as bytes, with this agent's Via and Contact (RFC 3261 section 8.1.1)."""
        lines = [
            f"{method} {ruri} SIP/2.0", f"Via: {self.via(branch)}", "Max-Forwards: 70", f"To: {to}",
            f"From: {from_}", f"Call-ID: {call_id}", f"CSeq: {cseq} {method}",
            *([f"Contact: <{self.contact}>"] if contact else []), *extra, "Content-Length: 0",
        ]  # fmt: skip
        return ("\r\n".join(lines) + "\r\n\r\n").encode()

    def response(self, incoming: Incoming, status: int, reason: str, to_tag: str | None = None) -> bytes:
        """A response to ``incoming``, copying Via, From, To, Call-ID, CSeq, Record-Route (section 8.2.6)."""
        lines = [f"SIP/2.0 {status} {reason}"]
        head = incoming.text.split("\r\n\r\n", 1)[0].split("\r\n")[1:]
        for line in head:
            key = line.partition(":")[0].strip().lower()
            if key not in _COPIED or (key == "record-route" and not 200 <= status < 300):
                continue
            if key in ("to", "t") and to_tag and ";tag=" not in line:
                line = f"{line};tag={to_tag}"
            lines.append(line)
        if 200 <= status < 300 and incoming.start_line.startswith("INVITE"):
            lines.append(f"Contact: <{self.contact}>")
        lines.append("Content-Length: 0")
        return ("\r\n".join(lines) + "\r\n\r\n").encode()


def new_branch() -> str:
    """A fresh RFC 3261 branch (magic cookie z9hG4bK, section 8.1.1.7)."""
    return "z9hG4bK" + secrets.token_hex(8)


def new_tag() -> str:
    """A fresh tag (RFC 3261 section 19.3)."""
    return secrets.token_hex(6)

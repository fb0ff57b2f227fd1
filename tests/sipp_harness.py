"""The real SIPp on loopback for the replay and trace tests: bounded one-call runs, every process stopped.

A SIPp that loses its port between the probe and its bind (another test run picked the same one; SIPp then
says "Unable to bind main socket" and exits with 254) is started again on another port, at most ``ATTEMPTS``
times; a port the caller fixed is never changed (``PortTaken`` tells the caller to start over). Ports are
picked below the kernel's ephemeral range (``kamailio_harness.free_port``). The fixture
(tests/realproxy_fixtures.py) stops every process a test started and checks that none is left.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from kamailio_harness import PortTaken, free_port

SECONDS = 20
ATTEMPTS = 5
BIND_FAILED = "Unable to bind"


def sipp(scenario: Path, host: str, port: int, target: str | None = None, transport: str = "u1") -> list[str]:
    """A bounded one-call SIPp command that logs its messages and errors next to the scenario."""
    command = ["sipp", "-sf", str(scenario), "-t", transport, "-i", host, "-p", str(port), "-m", "1",
               "-timeout", f"{SECONDS}s", "-timeout_error", "-nostdin", "-trace_msg", "-trace_err"]
    return command + ([target] if target else [])


def lost_port(returncode: int | None, stderr: str) -> bool:
    """SIPp could not bind its port (it exits with 254 and says so)."""
    return returncode == 254 and BIND_FAILED in stderr


def held(host: str, port: int) -> bool:
    """Whether some socket holds ``port`` on ``host`` (UDP or TCP) now."""
    for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
        with socket.socket(socket.AF_INET, kind) as probe:
            try:
                probe.bind((host, port))
            except OSError:
                return True
    return False


def messages(folder: Path, scenario: str) -> str:
    """The messages SIPp logged for ``scenario`` (``-trace_msg``)."""
    return "".join(p.read_text() for p in sorted(folder.glob(f"{scenario}_*_messages.log")))


class SippRunner:
    """The SIPp processes of one test; ``stop_all`` (the fixture's finalizer) ends every one still running."""

    messages = staticmethod(messages)

    def __init__(self) -> None:
        self.processes: list[subprocess.Popen[str]] = []

    def play(self, scenario: Path, transport: str, host: str, target: tuple[str, int],
             port: int | None = None) -> tuple[subprocess.CompletedProcess[str], int]:  # fmt: skip
        """One bounded run of ``scenario`` against ``target`` to its end; the result and the port it used."""
        for _ in range(ATTEMPTS):
            chosen = port or free_port(host)
            command = sipp(scenario, host, chosen, f"{target[0]}:{target[1]}", transport)
            result = subprocess.run(command, cwd=scenario.parent, capture_output=True, text=True,
                                    timeout=SECONDS + 10)
            if not lost_port(result.returncode, result.stderr):
                return result, chosen
            if port is not None:
                raise PortTaken(f"SIPp could not bind {host}:{port}")
        raise RuntimeError(f"SIPp lost its port {ATTEMPTS} times on {host}")

    @contextlib.contextmanager
    def background(self, scenario: Path, transport: str, host: str,
                   port: int | None = None) -> Iterator[tuple[subprocess.Popen[str], int]]:  # fmt: skip
        """A SIPp server scenario running (its port bound) while the block runs; killed if still running."""
        process, chosen = self._serve(scenario, transport, host, port)
        try:
            yield process, chosen
        finally:
            _end(process)

    def run_pair(self, server: Path, client: Path) -> tuple[subprocess.CompletedProcess[str],
                                                             subprocess.CompletedProcess[str]]:  # fmt: skip
        """Start ``server`` (it waits for the first message), run ``client`` against it; both results."""
        host_s, host_c = "127.0.0.10", "127.0.0.12"
        with self.background(server, "u1", host_s) as (waiting, port):
            client_run, _ = self.play(client, "u1", host_c, (host_s, port))
            _, err = waiting.communicate(timeout=SECONDS + 10)
        err = err or _STDERR.get(waiting.pid, "")
        return subprocess.CompletedProcess(waiting.args, waiting.returncode, "", err), client_run

    def start(self, command: list[str], cwd: Path) -> subprocess.Popen[str]:
        """Any other SIPp command, recorded so that ``stop_all`` ends it."""
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.processes.append(process)
        return process

    def _serve(self, scenario: Path, transport: str, host: str,
               port: int | None) -> tuple[subprocess.Popen[str], int]:  # fmt: skip
        return self.launch(lambda chosen: sipp(scenario, host, chosen, None, transport), host, scenario.parent, port)

    def launch(self, command: Callable[[int], list[str]], host: str, cwd: Path,
               port: int | None = None) -> tuple[subprocess.Popen[str], int]:  # fmt: skip
        """Start ``command(port)`` and wait until it holds its port (or has ended for another reason); on a
        lost port start again on another (a fixed ``port``: PortTaken)."""
        for _ in range(ATTEMPTS):
            chosen = port or free_port(host)
            process = self.start(command(chosen), cwd)
            if _bound(process, host, chosen):
                return process, chosen
            if port is not None:
                raise PortTaken(f"SIPp could not bind {host}:{port}")
        raise RuntimeError(f"SIPp lost its port {ATTEMPTS} times on {host}")

    def stop_all(self) -> list[str]:
        """End every process still running; the commands of those that were (a test that left one behind)."""
        left = [" ".join(p.args) for p in self.processes if p.poll() is None]  # type: ignore[arg-type]
        for process in self.processes:
            _end(process)
        return left


def _bound(process: subprocess.Popen[str], host: str, port: int, seconds: float = 10.0) -> bool:
    """Wait until SIPp holds its port (True) or has exited for want of it (False); bounded."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return not lost_port(process.returncode, _stderr(process))
        if held(host, port):
            time.sleep(0.2)  # a foreign holder makes SIPp exit at once: look again
            return process.poll() is None or not lost_port(process.returncode, _stderr(process))
        time.sleep(0.05)
    return process.poll() is None


_STDERR: dict[int, str] = {}  # what an exited SIPp wrote, read once (by pid)


def _stderr(process: subprocess.Popen[str]) -> str:
    """The stderr of an exited SIPp (read once and kept: ``communicate`` afterwards gives nothing)."""
    if process.pid not in _STDERR:
        _STDERR[process.pid] = process.stderr.read() if process.stderr is not None else ""
    return _STDERR[process.pid]


def _end(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.kill()
    process.wait(timeout=10)


def stderr_of(process: subprocess.Popen[str]) -> str:
    """Everything a SIPp that has ended (or was killed) wrote on stderr."""
    if process.pid in _STDERR:
        return _STDERR[process.pid]
    _, err = process.communicate(timeout=10)
    return err or ""

"""A real Kamailio on loopback for the trace and replay tests: config from tests/trace/kamailio/ (or another
kamailio.cfg), certs made here. The fixtures are in tests/realproxy_fixtures.py.

Every process started here is stopped by ``stop`` (the fixtures call it from their finalizers, then check
with ``gone`` that no process of its group is left): the process group gets SIGTERM, then SIGKILL after a
bounded wait. A start that loses its ports to another process (two suites at once) is retried on new
ports, at most ``START_ATTEMPTS`` times. All waits are bounded.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import ssl
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

CONFIG = Path(__file__).parent / "trace" / "kamailio"
HOST = "127.0.0.1"
START_SECONDS = 15.0
START_ATTEMPTS = 5
PORT_TAKEN = "Address already in use"


#: Ports the tests pick for servers lie below the kernel's ephemeral range (32768-60999 on Linux), so no
#: socket bound to port 0 or connecting out can take one between the probe and the server's bind; a server
#: that still loses its port (another test run picked the same one) is restarted on another.
PICKED_PORTS = range(20000, 32768)


def free_port(host: str = HOST) -> int:
    """A port free for both UDP and TCP on ``host`` now (probed, then released), outside the ephemeral range."""
    for _ in range(100):
        port = random.choice(PICKED_PORTS)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp, \
                socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            try:
                tcp.bind((host, port))
                udp.bind((host, port))
            except OSError:
                continue
        return port
    raise RuntimeError(f"no free port on {host}")


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate and key for example.test (openssl, one day)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "1", "-subj", "/CN=example.test"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


def tls_contexts(cert: Path, key: Path, keylog: Path | None) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """Server and client contexts for a test UA (no verification: a self-signed loopback test)."""
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(cert, key)
    client = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    client.check_hostname = False
    client.verify_mode = ssl.CERT_NONE
    if keylog is not None:
        server.keylog_filename = str(keylog)
        client.keylog_filename = str(keylog)
    return server, client


class PortTaken(Exception):
    """Another process bound a port between the probe and the bind (retried on other ports)."""


@dataclass
class Kamailio:
    """One Kamailio process tree on loopback, writing sipdump text and pcap into ``folder``; ``config`` is the
    kamailio.cfg to run (tests/trace/kamailio/kamailio.cfg when None; tls.cfg always comes from there)."""

    folder: Path
    config: Path | None = None
    sip_port: int = 0
    tls_port: int = 0
    process: subprocess.Popen[bytes] | None = None
    cert: Path = field(default=Path())
    key: Path = field(default=Path())

    @property
    def udp(self) -> tuple[str, int]:
        return (HOST, self.sip_port)

    @property
    def tls(self) -> tuple[str, int]:
        return (HOST, self.tls_port)

    def start(self) -> None:
        """Write the configuration with fresh ports and start; retried on new ports if another process took one
        between the probe and Kamailio's bind."""
        binary = shutil.which("kamailio") or "/usr/sbin/kamailio"
        if not Path(binary).exists():
            raise RuntimeError("kamailio is not installed (Debian: apt-get install kamailio kamailio-tls-modules)")
        self.cert, self.key = make_certificate(self.folder)
        for attempt in range(START_ATTEMPTS):
            self.sip_port, self.tls_port = free_port(), free_port()
            self._write_config()
            try:
                self._launch(binary)
                return
            except PortTaken:
                self.stop()
                if attempt == START_ATTEMPTS - 1:
                    raise RuntimeError(f"kamailio lost its ports {START_ATTEMPTS} times:\n{self.log()[-3000:]}") \
                        from None

    def _write_config(self) -> None:
        values = {"@@DIR@@": str(self.folder), "@@SIP_PORT@@": str(self.sip_port),
                  "@@TLS_PORT@@": str(self.tls_port), "@@SIPDUMP_MODE@@": "13"}  # fmt: skip
        for name, source in (("kamailio.cfg", self.config or CONFIG / "kamailio.cfg"), ("tls.cfg", CONFIG / "tls.cfg")):
            text = source.read_text()
            for placeholder, value in values.items():
                text = text.replace(placeholder, value)
            (self.folder / name).write_text(text)

    def _launch(self, binary: str) -> None:
        log = (self.folder / "kamailio.log").open("wb")
        self.process = subprocess.Popen(
            [binary, "-f", str(self.folder / "kamailio.cfg"), "-DD", "-E", "-Y", str(self.folder),
             "-w", str(self.folder)],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        log.close()
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                if PORT_TAKEN in self.log():
                    raise PortTaken(self.log()[-3000:])
                raise RuntimeError(f"kamailio exited at start:\n{self.log()[-3000:]}")
            try:
                with socket.create_connection(self.tls, timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"kamailio did not open its TLS port in {START_SECONDS} s:\n{self.log()[-3000:]}")

    def log(self) -> str:
        path = self.folder / "kamailio.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        """SIGTERM to the process group, SIGKILL after 10 s (idempotent)."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        except ProcessLookupError:
            pass

    def gone(self, timeout: float = 10.0) -> bool:
        """Whether no process of Kamailio's process group is left (waits up to ``timeout`` seconds)."""
        if self.process is None:
            return True
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                os.killpg(self.process.pid, 0)
            except ProcessLookupError:
                return True
            time.sleep(0.1)
        return False

    def sipdump_text(self) -> Path:
        return self._one("*.data")

    def sipdump_pcap(self) -> Path:
        return self._one("*.pcap")

    def _one(self, pattern: str) -> Path:
        found = sorted(self.folder.glob(f"sipdump-{pattern}"))
        if len(found) != 1:
            raise AssertionError(f"expected one sipdump {pattern} file, found {found}")
        return found[0]

    def wait_for_records(self, count: int, timeout: float = 10.0) -> None:
        """Wait until the sipdump text file holds ``count`` records (its writer runs on a timer)."""
        deadline = time.monotonic() + timeout
        seen = 0
        while time.monotonic() < deadline:
            files = sorted(self.folder.glob("sipdump-*.data"))
            seen = sum(f.read_bytes().count(b"====================\n") for f in files)
            if seen >= count:
                time.sleep(0.3)  # the pcap is written by the same timer, right after
                return
            time.sleep(0.1)
        raise AssertionError(f"sipdump holds {seen} records after {timeout} s, expected {count}")


@dataclass
class Capture:
    """dumpcap on the loopback interface for the given ports (stopped by ``stop``)."""

    path: Path
    ports: tuple[int, ...]
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        dumpcap = shutil.which("dumpcap")
        if dumpcap is None:
            raise RuntimeError("dumpcap is not installed (Debian: apt-get install tshark)")
        capture_filter = " or ".join(f"port {p}" for p in self.ports)
        self.process = subprocess.Popen(
            [dumpcap, "-q", "-i", "lo", "-f", capture_filter, "-w", str(self.path)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline and not (self.path.exists() and self.path.stat().st_size > 0):
            if self.process.poll() is not None:
                error = self.process.stderr.read().decode() if self.process.stderr else ""
                raise RuntimeError(f"dumpcap exited: {error}")
            time.sleep(0.1)
        time.sleep(0.5)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        time.sleep(0.5)
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

"""Counterexamples for the export and replay tests: one real check run (I-1, I-2 under rfc3261) per session,
and simulator runs of published flows with a dialog (draft-04 section 9 Record-Route examples)."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from sipsmodel.cli import cli

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
FLOWS = Path(__file__).resolve().parent / "flows"


def _run(args: list[str]) -> str:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="session")
def check_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``{"I-1": path, "I-2": path}``: what ``check --explain ID --rules rfc3261 --format json`` writes."""
    folder = tmp_path_factory.mktemp("check")
    files = {}
    for prop in ("I-1", "I-2"):
        path = folder / f"{prop}.json"
        path.write_text(_run(["check", "--explain", prop, "--rules", "rfc3261", "--format", "json"]))
        files[prop] = path
    return files


@pytest.fixture(scope="session")
def narrowed_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``{"I-1": path, "I-2": path}``: the prover's counterexample under rfc3261 with SHOULD optional, narrowed
    to what a stock registrar-proxy does (``export --to json --property ID --rules rfc3261 --should optional
    --within stock-proxy``)."""
    folder = tmp_path_factory.mktemp("narrowed")
    files = {}
    for prop in ("I-1", "I-2"):
        path = folder / f"{prop}.json"
        _run(["export", "--to", "json", "--property", prop, "--rules", "rfc3261", "--should", "optional",
              "--within", "stock-proxy", "-o", str(path)])
        files[prop] = path
    return files


@pytest.fixture(scope="session")
def simulated_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``simulate --format json`` of the draft-04 Record-Route flows (INVITE, 200, ACK, BYE either way)."""
    folder = tmp_path_factory.mktemp("simulate")
    files = {}
    for name in ("draft-04-rr1", "draft-04-rr2"):
        path = folder / f"{name}.json"
        path.write_text(_run(["simulate", str(SCENARIOS / f"{name}.toml"), "--format", "json"]))
        files[name] = path
    return files


@pytest.fixture(scope="session")
def downgrade_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``simulate --format json`` of flows/sips-to-sip-contact-udp.toml: the sip: Contact downgrade (I-1)."""
    path = tmp_path_factory.mktemp("downgrade") / "sips-to-sip-contact-udp.json"
    path.write_text(_run(["simulate", str(FLOWS / "sips-to-sip-contact-udp.toml"), "--format", "json"]))
    return path


def load_json(path: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads(path.read_text())
    return data


# ---- running the real SIPp on loopback: free ports, bounded runs, every process stopped -------------------

SECONDS = 20


def free_port(host: str) -> int:
    """A UDP port free on ``host`` now (SIPp binds it a moment later)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def sipp(scenario: Path, host: str, port: int, target: str | None = None) -> list[str]:
    """A bounded one-call SIPp command over UDP that logs its messages and errors next to the scenario."""
    command = ["sipp", "-sf", str(scenario), "-t", "u1", "-i", host, "-p", str(port), "-m", "1",
               "-timeout", f"{SECONDS}s", "-timeout_error", "-nostdin", "-trace_msg", "-trace_err"]
    return command + ([target] if target else [])


def run_pair(server: Path, client: Path) -> tuple[subprocess.CompletedProcess[str], subprocess.CompletedProcess[str]]:
    """Start ``server`` (it waits for the first message), run ``client`` against it; both results."""
    host_s, host_c = "127.0.0.10", "127.0.0.12"
    port = free_port(host_s)
    with subprocess.Popen(sipp(server, host_s, port), cwd=server.parent, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True) as waiting:
        try:
            client_run = subprocess.run(sipp(client, host_c, free_port(host_c), f"{host_s}:{port}"),
                                        cwd=client.parent, capture_output=True, text=True, timeout=SECONDS + 10)
            _, err = waiting.communicate(timeout=SECONDS + 10)
        finally:
            if waiting.poll() is None:
                waiting.kill()
                waiting.wait()
    return subprocess.CompletedProcess(waiting.args, waiting.returncode, "", err), client_run


def messages(folder: Path, scenario: str) -> str:
    """The messages SIPp logged for ``scenario`` (``-trace_msg``)."""
    return "".join(p.read_text() for p in sorted(folder.glob(f"{scenario}_*_messages.log")))


def play(scenario: Path, transport: str, host: str, port: int,
         target: tuple[str, int]) -> subprocess.CompletedProcess[str]:
    """One bounded SIPp run of ``scenario`` over ``transport`` (u1, t1) against ``target``."""
    command = sipp(scenario, host, port, f"{target[0]}:{target[1]}")
    command[command.index("-t") + 1] = transport
    return subprocess.run(command, cwd=scenario.parent, capture_output=True, text=True, timeout=SECONDS + 10)


@contextlib.contextmanager
def background(scenario: Path, transport: str, host: str, port: int) -> Iterator[subprocess.Popen[str]]:
    """A SIPp server scenario running while the block runs; killed if still running at the end."""
    command = sipp(scenario, host, port)
    command[command.index("-t") + 1] = transport
    with subprocess.Popen(command, cwd=scenario.parent, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True) as process:
        try:
            time.sleep(0.3)
            yield process
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()


class Sipp:
    """The SIPp helpers as one fixture (test modules here are not a package)."""

    run_pair = staticmethod(run_pair)
    messages = staticmethod(messages)
    free_port = staticmethod(free_port)
    play = staticmethod(play)
    background = staticmethod(background)


@pytest.fixture
def sipp_tool() -> type[Sipp]:
    return Sipp

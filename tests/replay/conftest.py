"""Counterexamples for the export and replay tests: one real check run (I-1, I-2 under rfc3261) per session,
the same narrowed to a stock proxy, and simulator runs of published flows with a dialog (draft-04 section 9
Record-Route examples). The Kamailio and SIPp fixtures are in tests/realproxy_fixtures.py."""

from __future__ import annotations

import json
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

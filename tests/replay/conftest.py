"""Counterexamples for the export and replay tests: one real check run (I-1, I-2 under rfc3261) per session,
and simulator runs of published flows with a dialog (draft-04 section 9 Record-Route examples)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sipsmodel.cli import cli

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


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
def simulated_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """``simulate --format json`` of the draft-04 Record-Route flows (INVITE, 200, ACK, BYE either way)."""
    folder = tmp_path_factory.mktemp("simulate")
    files = {}
    for name in ("draft-04-rr1", "draft-04-rr2"):
        path = folder / f"{name}.json"
        path.write_text(_run(["simulate", str(SCENARIOS / f"{name}.toml"), "--format", "json"]))
        files[name] = path
    return files


def load_json(path: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads(path.read_text())
    return data

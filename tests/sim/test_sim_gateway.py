"""A gateway (or B2BUA) to a non-SIP network is a terminal node where SIPS ends (issue 3; SIPS-RULES.md B, point 4b)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sipsmodel.errors import ScenarioError
from sipsmodel.model.loader import load_scenario
from sipsmodel.model.scenario import Call, Element, Link, Registration, Scenario
from sipsmodel.rules import PRESETS
from sipsmodel.sim import DefaultChooser, simulate

GATEWAY_CALL = Scenario(
    "pstn",
    (
        Element("alice", "ua", "alice-1.example.net"),
        Element("pb", "proxy", "pb.example.com", responsible_for=("example.com",), registrar=True),
        Element("gw", "ua", "gw.example.com", gateway=True),
    ),
    (Link("alice", "pb"), Link("pb", "gw")),
    (Registration("gw", "pstn", "example.com", "pb"),),
    (Call("alice", "sips:pstn@example.com"),),
)


def _final_status(rules: str) -> tuple[int | None, list[str]]:
    trace = simulate(GATEWAY_CALL, PRESETS[rules], DefaultChooser())
    final = [t for t in trace.transmissions if t.receiver == "alice" and (t.message.status or 0) >= 200]
    roles = [h["receiver"] for h in trace.observation["hops"] if h["kind"] == "request" and h["method"] == "INVITE"]
    return final[0].message.status, roles


def test_rfc3261_lets_a_sips_call_end_at_a_gateway() -> None:
    status, roles = _final_status("rfc3261")
    assert status == 200
    assert roles[-1] == "gateway"


def test_the_trial_balloon_refuses_sips_termination_at_a_gateway() -> None:
    """DEAN-4b: no PSTN (non-SIP) termination of sips."""
    status, roles = _final_status("dean-bcp")
    assert status is not None and status >= 400
    assert roles[-1] == "gateway"


def test_gateway_key_in_scenario_files(tmp_path: Path) -> None:
    good = tmp_path / "gw.toml"
    good.write_text(
        'name = "gw"\n[[elements]]\nname = "gw"\nrole = "ua"\nhost = "gw.example.com"\ngateway = true\n'
    )
    assert load_scenario(good).elements[0].gateway is True
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "gw"\n[[elements]]\nname = "gw"\nrole = "ua"\nhost = "gw.example.com"\ngateway = "yes"\n')
    with pytest.raises(ScenarioError, match="gateway"):
        load_scenario(bad)

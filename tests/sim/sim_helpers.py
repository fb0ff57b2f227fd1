"""Helpers for the simulator tests: run a scenario file, and compare hops with a published table."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sipsmodel.model.loader import load_scenario
from sipsmodel.model.scenario import Scenario
from sipsmodel.model.trace import Trace, Transmission
from sipsmodel.rules import load_rule_set
from sipsmodel.sim import simulate

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def run(name: str, rules: str | None = None, chooser: Any = None) -> tuple[Scenario, Trace]:
    """Load ``scenarios/<name>`` and simulate it under ``rules`` (default: the scenario's own)."""
    scenario = load_scenario(SCENARIOS / name)
    rule_set = load_rule_set(rules or scenario.rules or "rfc3261")
    return scenario, simulate(scenario, rule_set, chooser)


def uris(values: list[Any]) -> list[str]:
    return [v.uri.render() for v in values]


@dataclass
class Row:
    """One line of a published call-flow table; None means the column is not compared."""

    sender: str
    receiver: str
    msg: str
    ruri: str | None = None
    tp: str | None = None
    route: list[str] | None = None
    rr: list[str] | None = None
    contact: str | None = None
    path: list[str] | None = None
    vias: list[str] | None = None
    mf: int | None = None


def observed(item: Transmission) -> dict[str, Any]:
    m = item.message
    contacts = m.contacts()
    return {
        "sender": item.sender, "receiver": item.receiver,
        "msg": m.method if m.is_request else str(m.status),
        "ruri": m.request_uri.render() if m.request_uri else None, "tp": item.transport,
        "route": uris(m.routes()), "rr": uris(m.record_routes()),
        "contact": contacts[0].uri.render() if isinstance(contacts, list) and contacts else None,
        "path": uris(m.paths()), "vias": [v.transport for v in m.vias()], "mf": m.max_forwards(),
    }  # fmt: skip


def check_flow(trace: Trace, rows: list[tuple[str, Row]], start: int = 0) -> None:
    """Every published row matches the transmission at the same position, column by column."""
    items = trace.transmissions[start:start + len(rows)]
    assert len(items) == len(rows), f"expected {len(rows)} hops from {start}, got {len(items)}"
    for (label, row), item in zip(rows, items, strict=True):
        got = observed(item)
        for column, expected in vars(row).items():
            if expected is not None:
                assert got[column] == expected, f"{label} {column}: expected {expected!r}, simulated {got[column]!r}"

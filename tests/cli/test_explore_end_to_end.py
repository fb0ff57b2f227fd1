"""``sipsmodel explore`` end to end with the real strategies and simulator (fixed seed, small budgets)."""

from __future__ import annotations

import json

from click.testing import CliRunner

from sipsmodel.cli import cli
from sipsmodel.props import evaluate_property, load_properties
from sipsmodel.report.explore import ExploreOptions, explore_cell
from sipsmodel.rules.sets import PRESETS

I1 = next(p for p in load_properties() if p.id == "I-1")


def test_i1_under_rfc3261_is_refuted_with_a_short_replayable_flow() -> None:
    result = explore_cell(I1, PRESETS["rfc3261"], ExploreOptions(examples=400, seed=0), lambda: None)
    assert result.verdict == "refuted" and result.counterexample is not None
    assert not evaluate_property(I1, result.counterexample.observation).holds
    assert len(result.counterexample.transmissions) <= 20
    violating = result.counterexample.transmissions[result.violation or 0]
    assert violating.transport not in ("TLS", "TLS-SCTP", "WSS")


def test_i1_under_rfc5630_is_sampled_and_reproducible() -> None:
    args = ["explore", "--property", "I-1", "--rules", "rfc5630", "--examples", "40", "--seed", "5", "--format", "json"]
    first, second = (CliRunner().invoke(cli, args) for _ in range(2))
    assert first.exit_code == 0, first.stderr
    entry = json.loads(first.stdout)["results"][0]
    assert entry["verdict"] == "sampled" and entry["expected"] == "proved" and entry["seed"] == 5
    assert "not a proof" in entry["reason"]
    again = json.loads(second.stdout)["results"][0]
    entry.pop("seconds"), again.pop("seconds")
    assert entry == again

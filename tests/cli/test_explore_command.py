"""``sipsmodel explore``: search, shrinking, seeds and exit codes, with a stand-in simulator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import strategies as st

from sipsmodel.cli import cli
from sipsmodel.model.trace import Trace
from sipsmodel.props import Property
from sipsmodel.report import explore, ladder
from sipsmodel.rules.sets import RuleSet


def fake_simulate(prop: Property, rule_set: RuleSet, data: st.DataObject, max_elements: int) -> Trace:
    """Hops whose security is drawn; under rfc5630 every hop is secure (so nothing is ever found)."""
    count = data.draw(st.integers(0, max_elements))
    hops = []
    for index in range(count):
        drawn = data.draw(st.booleans())
        secure = rule_set.name == "rfc5630" or drawn
        record = {"index": index, "kind": "request", "initial": True, "origin": "sips", "ruri": "sips"}
        hops.append({**record, "secure": secure})
    return Trace(rule_set.name, (), observation={"hops": hops})


def run(monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str]:
    monkeypatch.setattr(explore, "simulate_drawn", fake_simulate)
    monkeypatch.setattr(ladder, "ladder_text", lambda trace, violation, why=True: "(ladder)")
    outcome = CliRunner().invoke(cli, ["explore", *args])
    assert outcome.exception is None or isinstance(outcome.exception, SystemExit), outcome.exception
    return outcome.exit_code, outcome.stdout


def test_defaults_agree_with_the_library() -> None:
    params = {p.name: p.default for p in cli.commands["explore"].params}
    assert params["examples"] == explore.DEFAULT_EXAMPLES
    assert params["max_elements"] == explore.DEFAULT_MAX_ELEMENTS
    assert params["budget"] == explore.DEFAULT_BUDGET


def test_refuted_cells_are_shrunk_and_sampled_cells_are_never_proved(monkeypatch: pytest.MonkeyPatch) -> None:
    args = ("--property", "I-1", "--rules", "rfc3261", "--rules", "rfc5630", "--examples", "50", "--format", "json")
    code, out = run(monkeypatch, *args)
    refuted, sampled = json.loads(out)["results"]
    assert code == 0
    assert refuted["verdict"] == "refuted" and refuted["expected"] == "refuted"
    assert refuted["counterexample"] == {"elements": [], "transmissions": [], "violation": 0}
    assert sampled["verdict"] == "sampled" and sampled["expected"] == "proved"
    assert "no violation in 50 random scenarios" in sampled["reason"] and "seed 0" in sampled["reason"]


def test_the_shrunk_trace_is_minimal(monkeypatch: pytest.MonkeyPatch) -> None:
    prop = next(p for p in explore.select_properties(["I-1"]))
    rule_set = explore.select_rule_sets(["rfc3261"])[0]
    monkeypatch.setattr(explore, "simulate_drawn", fake_simulate)
    result = explore.explore_cell(prop, rule_set, explore.ExploreOptions(examples=50, seed=3), lambda: None)
    assert result.counterexample is not None
    hops = result.counterexample.observation["hops"]
    assert len(hops) == 1 and hops[0]["secure"] is False


def test_same_seed_same_output(monkeypatch: pytest.MonkeyPatch) -> None:
    args = ("--property", "I-1", "--rules", "rfc3261", "--examples", "30", "--seed", "7", "--format", "json")
    first = json.loads(run(monkeypatch, *args)[1])["results"][0]
    second = json.loads(run(monkeypatch, *args)[1])["results"][0]
    first.pop("seconds"), second.pop("seconds")
    assert first == second and first["seed"] == 7


def test_refuted_against_an_expected_proof_exits_1(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # I-1's formula with the expectation it had before strict routers joined the prover's family (F-19):
    # dean-bcp proved; the fake flows above refute it under every rule set but rfc5630
    (tmp_path / "X-1.toml").write_text(
        'id = "X-1"\ntitle = "End-to-end SIPS path, expected as before F-19"\n'
        'formula = "forall h in hops where h.kind == request and h.initial: h.origin == sips -> h.secure"\n'
        '[expected]\ndean-bcp = "proved"\n', encoding="utf-8")
    code, out = run(monkeypatch, "--properties", str(tmp_path), "--property", "X-1", "--rules", "dean-bcp",
                    "--examples", "30", "--format", "json")
    assert code == 1
    entry = json.loads(out)["results"][0]
    assert (entry["verdict"], entry["expected"]) == ("refuted", "proved")


def test_sampled_against_an_expected_refutation_is_not_found_but_exits_0(monkeypatch: pytest.MonkeyPatch) -> None:
    def never(prop: Property, rule_set: RuleSet, data: st.DataObject, max_elements: int) -> Trace:
        return Trace(rule_set.name, (), observation={"hops": []})

    monkeypatch.setattr(explore, "simulate_drawn", never)
    outcome = CliRunner().invoke(cli, ["explore", "--property", "I-1", "--rules", "rfc3261", "--examples", "5"])
    assert outcome.exit_code == 0
    assert "sampled (n=1) not found, expected refuted" in outcome.stdout


def test_trace_only_properties_are_listed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "T-1.toml").write_text('id = "T-1"\ntitle = "A trace-only property"\n'
                                       'formula = "forall h in hops: not h.tls_param"\nscope = "trace"\n',
                                       encoding="utf-8")
    code, out = run(monkeypatch, "--properties", str(tmp_path), "--rules", "rfc3261", "--format", "json")
    assert code == 0 and json.loads(out)["results"][0]["verdict"] == "trace-only"


def test_bad_rule_set_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out = run(monkeypatch, "--rules", "nope")
    assert code == 2 and out == ""

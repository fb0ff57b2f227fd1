"""``sipsmodel explore`` end to end with the real strategies and simulator (fixed seed, small budgets)."""

from __future__ import annotations

import json
from collections import Counter
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from sipsmodel.cli import cli
from sipsmodel.model.expr import Value
from sipsmodel.props import evaluate_property, load_properties
from sipsmodel.report.explore import ExploreOptions, PreferringChooser, explore_cell
from sipsmodel.rules.engine import choose_default
from sipsmodel.rules.sets import PRESETS

pytestmark = pytest.mark.slow  # real sipsmodel check / explore runs

I1 = next(p for p in load_properties() if p.id == "I-1")


# A seed whose 200 examples reach the downgrade (re-pinned when the redirect UA's choice point
# redirect_answer and the retry's target_tp changed the random runs again: of seeds 1..4, 1 and 4 find it
# and shrink to the three-element flow, and 2 and 3 stay "sampled", which is what the verdict says then).
# One seed is enough here (a second took half a minute of CI for the same assertions); a seed that no
# longer finds it fails the test, and tests/report/test_why.py runs the same seed.
@pytest.mark.parametrize("seed", [1])
def test_i1_under_rfc3261_is_refuted_with_a_short_replayable_flow(seed: int) -> None:
    result = explore_cell(I1, PRESETS["rfc3261"], ExploreOptions(examples=200, seed=seed), lambda: None)
    assert result.verdict == "refuted" and result.counterexample is not None
    trace = result.counterexample
    assert not evaluate_property(I1, trace.observation).holds
    assert len(trace.transmissions) <= 12
    violating = trace.transmissions[result.violation or 0]
    assert violating.transport not in ("TLS", "TLS-SCTP", "WSS")
    # the shrunk flow is the three-element one: alice -> pb -> ua1
    assert {t.sender for t in trace.transmissions} | {t.receiver for t in trace.transmissions} == {"alice", "pb", "ua1"}


def test_the_chooser_prefers_the_default_option_and_can_draw_every_allowed_one() -> None:
    allowed: list[dict[str, Value]] = [{"transport": t} for t in ("UDP", "TCP", "TLS")]
    features: dict[str, Value] = {"target": "sips", "tls": True, "next_tls": True, "route_stored": "none"}
    preferred = choose_default("uac_invite", features, allowed)
    counts: Counter[str] = Counter()

    @settings(max_examples=300, database=None, derandomize=True, phases=[Phase.generate])
    @given(st.data())
    def draw(data: st.DataObject) -> None:
        counts[str(PreferringChooser(data).choose("alice", "uac_invite", 0, features, allowed)["transport"])] += 1

    draw()
    assert set(counts) == {"UDP", "TCP", "TLS"}
    assert counts[str(preferred["transport"])] > max(v for k, v in counts.items() if k != preferred["transport"])

    @st.composite
    def chosen(draw: st.DrawFn) -> dict[str, Value]:
        data = SimpleNamespace(draw=draw)  # what PreferringChooser uses of a DataObject
        return PreferringChooser(data).choose("alice", "uac_invite", 0, features, allowed)  # type: ignore[arg-type]

    assert find(chosen(), lambda _options: True, settings=settings(database=None, derandomize=True)) == preferred


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

"""Both engines read the same readings (issue 9 item 1): the differential test under random readings."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from smt_support import first_difference, random_params, run_both

from sipsmodel.rules.readings import AMBIGUITIES
from sipsmodel.rules.sets import PRESETS

pytestmark = pytest.mark.slow  # the simulator and the prover on random readings


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), rules=st.sampled_from(sorted(PRESETS)))
def test_simulator_and_smt_agree_under_random_readings(seed: int, rules: str) -> None:
    rng = random.Random(seed)
    chosen = {a.item: rng.choice(a.readings).letter for a in AMBIGUITIES}
    rule_set = PRESETS[rules].with_readings(chosen)
    params = random_params(rng)
    trace, observation = run_both(params, rule_set, seed)
    assert observation is not None, f"the SMT has no model of the simulator's run {params} under {rule_set.name}"
    difference = first_difference(trace.observation, observation)
    assert difference is None, f"{params} under {rule_set.name}: {difference}"

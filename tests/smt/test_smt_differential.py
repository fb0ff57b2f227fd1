"""The differential test of issue 4: the SMT encoding and the simulator agree on concrete runs.

For random scenarios of the template family and random allowed choices, the simulator's observation
and the SMT observation of the same run (every feature and option fixed to the run's decisions) are
equal record by record, so every property has the same verdict on both.
"""

from __future__ import annotations

import random

import pytest
import z3
from draws import draws
from hypothesis import given, settings
from hypothesis import strategies as st
from smt_support import first_difference, random_params, run_both

from sipsmodel.model.expr import Scope, truth
from sipsmodel.model.vocab import RECORD_SCHEMAS
from sipsmodel.props import evaluate_property, load_properties
from sipsmodel.rules.sets import PRESETS
from sipsmodel.smt.compile import SymScope, compile_formula, concrete_records

pytestmark = pytest.mark.slow  # the prover on whole rule sets

PROPERTIES = [p for p in load_properties() if p.scope == "model"]


@settings(max_examples=draws(150), deadline=None)
@given(seed=st.integers(0, 2**32 - 1), rules=st.sampled_from(sorted(PRESETS)))
def test_observations_and_verdicts_agree(seed: int, rules: str) -> None:
    rng = random.Random(seed)
    params = random_params(rng)
    trace, observation = run_both(params, PRESETS[rules], seed)
    assert observation is not None, f"the SMT has no model of the simulator's run {params}"
    difference = first_difference(trace.observation, observation)
    assert difference is None, f"{params} under {rules}: {difference}"
    for prop in PROPERTIES:
        assert evaluate_property(prop, trace.observation).holds == truth(
            prop.formula, Scope({}, {}, observation)  # type: ignore[arg-type]
        ), prop.id
        collections = {n: concrete_records(r, RECORD_SCHEMAS[n]) for n, r in observation.items()}
        compiled = z3.simplify(compile_formula(prop.formula, SymScope(collections=collections)))
        assert z3.is_true(compiled) == evaluate_property(prop, trace.observation).holds, prop.id


@pytest.mark.parametrize("seed", [3, 17, 144, 227, 279])
def test_known_runs_agree(seed: int) -> None:
    rng = random.Random(seed)
    params = random_params(rng)
    rules = PRESETS[rng.choice(list(PRESETS))]
    trace, observation = run_both(params, rules, seed)
    assert observation is not None
    assert first_difference(trace.observation, observation) is None

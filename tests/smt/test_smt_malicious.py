"""A malicious proxy anywhere on the path (issue 11 item 2; SIPS-RULES.md I-21): the differential test.

With ``build_encoding(malicious=True)`` (the ``[malicious]`` column of ``check``) at most one proxy is
malicious, and it may be any of them: a proxy of alice's chain (``p1``, ``p2``), bob's home proxy and
registrar ``pb``, or an edge proxy (``eb1``, ``eb2``) on the registration, call and in-dialog paths. No
rule binds its choices, and it may lie in Via (``via_lie``). For random runs with each of them marked,
the SMT observation must equal the simulator's record by record and every property must get the same
verdict on both; the runs must really contain the malicious proxy's lies (checked below).
"""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from smt_concrete import Device, TemplateParams
from smt_support import first_difference, random_params, run_both

from sipsmodel.model.expr import Scope, truth
from sipsmodel.model.trace import Trace
from sipsmodel.props import evaluate_property, load_properties
from sipsmodel.rules.sets import PRESETS
from sipsmodel.smt.encode import build_encoding

pytestmark = pytest.mark.slow  # the prover on whole rule sets

PROPERTIES = [p for p in load_properties() if p.scope == "model"]
PROXIES = ("p1", "p2", "pb", "eb1", "eb2")


def malicious_params(seed: int, where: str) -> TemplateParams:
    """A random template scenario whose proxy ``where`` is malicious (present: the chain and bob's edges made so)."""
    rng = random.Random(seed)
    params = random_params(rng)
    if where in ("p1", "p2"):
        params = replace(params, chain=max(params.chain, int(where[1])))
    if where.startswith("eb"):
        j = int(where[2]) - 1
        devices = list(params.devices)
        while len(devices) <= j:
            devices.append(replace(devices[-1] if devices else Device(), edge=False))
        devices[j] = replace(devices[j], edge=True, redirect=None)
        params = replace(params, devices=tuple(devices))
    return replace(params, malicious=where)


def _run(seed: int, where: str) -> Trace:
    rng = random.Random(seed)
    params = malicious_params(seed, where)
    rules = PRESETS[rng.choice(sorted(PRESETS))]
    trace, observation = run_both(params, rules, seed)
    assert observation is not None, f"the SMT has no model of the simulator's run {params}"
    difference = first_difference(trace.observation, observation)
    assert difference is None, f"{params} under {rules.name}: {difference}"
    for prop in PROPERTIES:
        sim = evaluate_property(prop, trace.observation).holds
        assert sim == truth(prop.formula, Scope({}, {}, observation)), prop.id  # type: ignore[arg-type]
    return trace


@settings(max_examples=4, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), where=st.sampled_from(PROXIES))
def test_runs_with_a_malicious_proxy_agree(seed: int, where: str) -> None:
    _run(seed, where)


# Seeds whose runs have the malicious proxy lie in Via (seeds 0..39 scanned), checked so that a change of
# the generator that loses one fails here rather than silently testing less.
@pytest.mark.parametrize(("where", "seed"), [("p1", 13), ("p1", 14), ("p2", 2), ("p2", 5), ("pb", 5), ("pb", 9),
                                             ("eb1", 29), ("eb1", 36), ("eb2", 13), ("eb2", 33)])
def test_each_position_lies_and_agrees(where: str, seed: int) -> None:
    """The malicious behaviour is exercised, not only the mark: the proxy sends a Via that claims TLS over a
    hop that is not TLS, and both engines still agree record by record."""
    trace = _run(seed, where)
    lies = [d for d in trace.decisions if d.element == where and d.options and d.options.get("via_lie") is True]
    assert lies, [d for d in trace.decisions if d.element == where]


def test_the_family_names_every_proxy_position() -> None:
    family = build_encoding(3, True).family(3)
    assert "one malicious proxy" in family and "edge" in family

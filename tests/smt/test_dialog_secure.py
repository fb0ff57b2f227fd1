"""The dialog's secure flag as a feature of send_in_dialog (SIPS-RULES.md F-1): both engines, one step.

RFC 3261 12.1.1 (the UAS's flag: the last hop was TLS and the Request-URI sips) and 12.1.2 (the UAC's:
the first hop). ``steps.features.send_in_dialog`` gives it to the sending UA only; the simulator reads
``Dialog.secure``, the encoding ``smt.dialogs.secure_flags``. The runs below fix every decision of the
simulator's run *and* its ``dialog_secure`` feature in the encoding: a run the SMT reads differently has
no model. Reading F-1/a (a secure dialog sends its in-dialog requests over TLS) is then checked on
both engines.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

import pytest
from smt_concrete import decision_constraints, params_scenario, scenario_constraints, smt_observation
from smt_support import encoding, first_difference, random_params

from sipsmodel.model.expr import Value
from sipsmodel.model.trace import Trace
from sipsmodel.model.vocab import is_secure
from sipsmodel.rules.sets import PRESETS, RuleSet, load_rule_set_spec
from sipsmodel.sim import simulate
from sipsmodel.smt import dialogs

pytestmark = pytest.mark.slow  # the prover on concrete runs (about 3 s each)


class SecureChooser:
    """Random allowed options, leaning to TLS and answered calls (secure dialogs), plain transports in dialog."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def choose(self, element: str, choice_point: str, occurrence: int, features: Mapping[str, Value],
               allowed: list[dict[str, Value]]) -> dict[str, Value]:
        if choice_point == "send_in_dialog":  # where F-1/a can bite: a plain transport when allowed
            plain = [o for o in allowed if not is_secure(str(o["transport"]))]
            return self.rng.choice(plain or allowed)
        tls = [o for o in allowed if is_secure(str(o.get("transport", "TLS"))) and o.get("status", 200) == 200]
        return self.rng.choice(tls or allowed)


def _secure_run(seed: int, rule_set: RuleSet, tries: int = 40) -> tuple[Trace, object]:
    """A simulated run in which some UA sends in a secure dialog, with its params."""
    rng = random.Random(9100 + seed)
    enc = encoding(3)
    active = tuple(r.id for r in rule_set.active)
    for attempt in range(tries):
        params = random_params(rng)
        trace = simulate(params_scenario(enc, params, active), rule_set,
                         SecureChooser(random.Random(100 * seed + attempt)))  # type: ignore[arg-type]
        if any(d.choice_point == "send_in_dialog" and d.features["dialog_secure"] for d in trace.decisions):
            return trace, params
    raise AssertionError(f"no run sends in a secure dialog in {tries} tries (seed {seed}, {rule_set.name})")


def _smt_of(trace: Trace, params: object, rule_set: RuleSet) -> dict[str, object] | None:
    enc = encoding(3)
    active = tuple(r.id for r in rule_set.active)
    constraints = scenario_constraints(enc, params) + decision_constraints(  # type: ignore[arg-type]
        enc, trace.decisions, ("dialog_secure", "proxy"))
    observation, _ = smt_observation(enc, constraints, active)
    return observation  # type: ignore[return-value]


@pytest.mark.parametrize(("seed", "rules"), [(0, "rfc3261"), (1, "rfc3261+F-1=a"), (2, "draft-04"),
                                             (4, "dean-bcp+F-1=a")])
def test_both_engines_read_the_same_dialog_secure_flag(seed: int, rules: str) -> None:
    rule_set = _rule_set(rules)
    trace, params = _secure_run(seed, rule_set)
    observation = _smt_of(trace, params, rule_set)
    assert observation is not None, f"the SMT reads another dialog_secure than the simulator (seed {seed}, {rules})"
    assert first_difference(trace.observation, observation) is None  # type: ignore[arg-type]


def test_a_secure_dialog_sends_over_tls_under_f1a() -> None:
    """F-1/a binds the sending UA of a secure dialog to TLS, and the simulator obeys it. (That F-1/b lets the
    same UA send over UDP is the pin's witness pair: tests/decide/test_ambiguities.py, F-1.)"""
    for seed in range(3):
        trace, _ = _secure_run(seed, _rule_set("rfc3261+F-1=a"))
        sent = [trace.transmissions[d.transmission] for d in trace.decisions
                if d.choice_point == "send_in_dialog" and d.features["dialog_secure"] and d.transmission is not None]
        assert sent and all(is_secure(t.transport) for t in sent), seed


def test_mutant_an_encoding_that_forgets_the_flag_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The encoding's walks told the dialog is never secure: the simulator's run has no model."""
    rule_set = PRESETS["rfc3261"]
    trace, params = _secure_run(0, rule_set)
    monkeypatch.setattr(dialogs, "secure_flags", lambda _o: (False, False))
    encoding.cache_clear()  # type: ignore[attr-defined]
    try:
        assert _smt_of(trace, params, rule_set) is None
    finally:
        monkeypatch.undo()
        encoding.cache_clear()  # type: ignore[attr-defined]


def _rule_set(text: str) -> RuleSet:
    return load_rule_set_spec(text)

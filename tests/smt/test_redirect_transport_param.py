"""The transport parameter of a redirect UA's 302 Contact (issue 9 item 5), in both engines.

A redirect UA visits ``redirect_answer`` and writes ``contact_tp`` into the Contact of its 302 (RFC
3261 8.3, 19.1.1, 26.2.2). R-04-7-a (every element) and R-5630-5.1.2-g (a redirect server is a UAS;
RFC 5630 5.4 says the same) forbid ``tls``; the model constraint of 19.1.1 keeps ``udp`` out of a sips
Contact. Whoever follows the redirect takes the Contact whole (8.1.3.4): the UAC's retry sends it as
its Request-URI (feature ``target_tp``) and, with no route set and no outbound proxy, resolves its
first hop from it (feature ``next_tp``, R-3263-4.1-a), as a proxy does with a retarget's ``ruri_tp``.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

import pytest
from smt_concrete import (
    Device,
    TemplateParams,
    decision_constraints,
    params_scenario,
    scenario_constraints,
    smt_observation,
)
from smt_support import encoding, first_difference, random_params

from sipsmodel.model.expr import Value
from sipsmodel.model.scenario import ScriptedChoice
from sipsmodel.props import evaluate_property, load_properties
from sipsmodel.rules.engine import allowed_options
from sipsmodel.rules.sets import PRESETS
from sipsmodel.sim import simulate
from sipsmodel.sim.choosers import ScriptedChooser

PROPS = {p.id: p for p in load_properties()}
_FEATURES = ("target_tp", "next_tp", "ruri_tp")


@pytest.mark.parametrize(("rules", "tls_allowed"), [("rfc3261", True), ("dean-bcp", True), ("draft-04", False),
                                                     ("rfc5630", False)])
def test_the_rules_restrict_the_redirect_contact_like_the_others(rules: str, tls_allowed: bool) -> None:
    for contact in ("sip", "sips"):
        options = allowed_options("redirect_answer", {"ruri": "sips", "contact": contact}, PRESETS[rules])
        assert {o["contact_tp"] for o in options} >= {"none", "TCP"}
        assert any(o["contact_tp"] == "TLS" for o in options) is tls_allowed, (rules, contact)
        assert any(o["contact_tp"] == "UDP" for o in options) is (contact == "sip"), (rules, contact)  # 19.1.1


def _redirect_call(scheme: str, tparam: str, rules: str = "rfc3261") -> tuple[TemplateParams, object, tuple[str, ...]]:
    """alice calls bob's AoR; its only device is a redirect UA answering 302 <scheme:bob@example.com;transport=..>,
    and alice follows the redirect (one retry, RFC 3261 8.1.3.4)."""
    params = TemplateParams(chain=0, target=scheme, devices=(Device(want_sips=scheme == "sips", redirect=scheme),))
    script = [ScriptedChoice("bob1", "redirect_answer", 0, {"contact_tp": tparam}),
              ScriptedChoice("alice", "uac_retry", 0, {"action": "retry"})]
    rule_set = PRESETS[rules]
    active = tuple(r.id for r in rule_set.active)
    trace = simulate(params_scenario(encoding(3), params, active), rule_set, ScriptedChooser(script))
    return params, trace, active


def _smt_agrees(params: TemplateParams, trace: object, active: tuple[str, ...]) -> None:
    enc = encoding(3)
    constraints = scenario_constraints(enc, params) + decision_constraints(enc, trace.decisions,  # type: ignore[attr-defined]
                                                                           _FEATURES)
    observation, _ = smt_observation(enc, constraints, active)
    assert observation is not None, "the SMT has no model of the simulator's run"
    assert first_difference(trace.observation, observation) is None  # type: ignore[attr-defined]


def test_a_302_contact_naming_udp_is_sent_and_the_uac_retry_follows_it_in_both_engines() -> None:
    params, trace, active = _redirect_call("sip", "UDP")
    sent = [(t.sender, t.receiver, t.transport, t.message.render()) for t in trace.transmissions]  # type: ignore[attr-defined]
    redirects = [m for *_, m in sent if m.startswith("SIP/2.0 302")]
    assert len(redirects) == 4  # to the INVITE and to the retry, each from bob1 and relayed by pb
    assert all("Contact: <sip:bob@example.com;transport=udp>" in m for m in redirects[:2])
    retries = [(tp, m) for s, _, tp, m in sent if s == "alice" and m.startswith("INVITE")][1:]
    assert retries and retries[0][1].startswith("INVITE sip:bob@example.com;transport=udp SIP/2.0")
    assert retries[0][0] == "UDP"  # resolved from the Request-URI's parameter (R-3263-4.1-a)
    invites = [d for d in trace.decisions if d.choice_point == "uac_invite"]  # type: ignore[attr-defined]
    assert [(d.features["target_tp"], d.features["next_tp"]) for d in invites] == [("none", "none"), ("UDP", "UDP")]
    _smt_agrees(params, trace, active)


def test_a_302_contact_naming_tls_breaks_i16_under_rfc3261_and_is_refused_by_draft04() -> None:
    params, trace, active = _redirect_call("sips", "TLS")
    shown = [t.message.render() for t in trace.transmissions]  # type: ignore[attr-defined]
    assert any(m.startswith("SIP/2.0 302") and "Contact: <sips:bob@example.com;transport=tls>" in m for m in shown)
    assert any(m.startswith("INVITE sips:bob@example.com;transport=tls SIP/2.0") for m in shown)  # the retry
    assert not evaluate_property(PROPS["I-16"], trace.observation).holds  # type: ignore[attr-defined]
    _smt_agrees(params, trace, active)
    with pytest.raises(Exception, match="redirect_answer"):
        _redirect_call("sips", "TLS", "draft-04")


class RedirectParamChooser:
    """Random allowed options; a redirect UA names a transport whenever allowed, and alice follows a 3xx."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def choose(self, element: str, choice_point: str, occurrence: int, features: Mapping[str, Value],
               allowed: list[dict[str, Value]]) -> dict[str, Value]:
        if choice_point == "redirect_answer":
            named = [o for o in allowed if o["contact_tp"] != "none"]
            return self.rng.choice(named or allowed)
        if choice_point == "uac_retry":
            retry = [o for o in allowed if o["action"] == "retry"]
            return self.rng.choice(retry or allowed)
        plain = [o for o in allowed if all(o.get(p, "none") == "none" for p in ("rr_tp", "contact_tp", "path_tp",
                                                                                  "route_tp"))]
        return self.rng.choice(plain or allowed)


def _followed_run(seed: int, rules: str) -> tuple[TemplateParams, object, tuple[str, ...]]:
    """A random run in which a redirect UA's 302 names a transport and alice retries to it."""
    rng = random.Random(7500 + seed)
    rule_set = PRESETS[rules]
    active = tuple(r.id for r in rule_set.active)
    enc = encoding(3)
    for attempt in range(80):
        params = random_params(rng)
        trace = simulate(params_scenario(enc, params, active), rule_set,
                         RedirectParamChooser(random.Random(100 * seed + attempt)))  # type: ignore[arg-type]
        if any(d.choice_point == "uac_invite" and d.features["target_tp"] != "none" for d in trace.decisions):
            return params, trace, active
    raise AssertionError(f"no run follows a 302 Contact naming a transport in 80 tries ({seed}, {rules})")


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(8))
def test_both_engines_agree_record_by_record_on_redirect_contact_parameters(seed: int) -> None:
    rules = sorted(PRESETS)[seed % 4]
    params, trace, active = _followed_run(seed, rules)
    _smt_agrees(params, trace, active)


def _drop_final_tp(*args: object) -> object:
    """final_at_pb with the final response's Contact losing its transport parameter on the way to alice."""
    from sipsmodel.model.vocab import TPARAM
    from sipsmodel.smt.compile import const
    from sipsmodel.smt.failures import final_at_pb

    status, warn, contact, winner, _ = final_at_pb(*args)  # type: ignore[arg-type]
    return status, warn, contact, winner, const(TPARAM, "none")


def _uac_ignores_target(*args: object, **kwargs: object) -> object:
    """uac_invite resolving its first hop as if the target named no transport (next_tp none)."""
    from sipsmodel.smt.invite import uac_invite

    kwargs.pop("target_tp", None)
    return uac_invite(*args[:8], **kwargs)  # type: ignore[arg-type]


_MUTANTS = {
    # pb relays the 302 to alice without the Contact's parameter
    "relay-drops-302-param": ("sipsmodel.smt.attempt.final_at_pb", _drop_final_tp),
    # alice's retry forgets the 3xx Contact's parameter (Request-URI and next hop)
    "retry-forgets-target-param": ("sipsmodel.smt.attempt.uac_invite", _uac_ignores_target),
}


@pytest.mark.slow
@pytest.mark.parametrize("mutant", sorted(_MUTANTS))
def test_redirect_parameter_mutants_are_caught(mutant: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each mutant of the encoding disagrees with the simulator on the scripted sip;transport=udp redirect."""
    from sipsmodel.smt.encode import BINDINGS, build_encoding

    params, trace, active = _redirect_call("sip", "UDP")
    target, replacement = _MUTANTS[mutant]
    monkeypatch.setattr(target, replacement)
    enc = build_encoding(3, False, BINDINGS)
    constraints = scenario_constraints(enc, params) + decision_constraints(enc, trace.decisions,  # type: ignore[attr-defined]
                                                                           ())
    observation, _ = smt_observation(enc, constraints, active)
    assert observation is None or first_difference(trace.observation, observation) is not None  # type: ignore[attr-defined]

"""``sipsmodel ambiguities`` with the real prover and simulator: findings pinned to F-items (issue 9).

Each F-item is pinned by the narrowest query that yields it (one property, one preset, one F-item:
``narrow``), shared by the tests that read it; the whole search over the four presets is the
benchmark's (``benchmarks/bench_ambiguities.py`` checks its coverage against docs/ambiguities.md).
"""

from __future__ import annotations

from pathlib import Path

import narrow
import pytest
from test_coverage_docs import docs_coverage
from witness_checks import assert_witness

from sipsmodel.decide.ambiguities import Search, coverage, reading_findings
from sipsmodel.decide.finding import Finding
from sipsmodel.decide.witness import make_pair
from sipsmodel.model.vocab import is_secure
from sipsmodel.props import evaluate_property
from sipsmodel.rules.engine import violated_rules
from sipsmodel.rules.readings import AMBIGUITIES_BY_ITEM, preset_defaults
from sipsmodel.rules.sets import PRESETS, load_rule_set
from sipsmodel.smt.verdict import counterexample

PROPS = narrow.PROPS
pytestmark = pytest.mark.slow  # the prover and replayed witness pairs (about 5 s of CPU per pin)

#: (item, kind, preset, property, letter or scenario, choice point): the narrowest query of each pin.
PINS = (
    ("F-1", "exercise", "rfc3261", "I-12", "a", "send_in_dialog"),
    ("F-2", "reading", "rfc3261", "I-2", "b", "proxy_forward"),  # I-1 also falls to a strict router (F-19)
    ("F-3", "reading", "rfc3261", "I-9", "b", "registrar_accept"),
    ("F-20", "reading", "rfc3261", "I-3", "b", "proxy_forward"),
    ("F-4", "exercise", "rfc3261", "I-7", "b", "proxy_forward"),
    ("F-7", "exercise", "rfc3261", "I-7", "b", "proxy_forward"),
    ("F-6", "exercise", "rfc3261", "I-12", "c", "proxy_forward"),
    ("F-8", "exercise", "rfc3261", "I-8b", "c", "ua_register"),
    ("F-24", "choice", "rfc5630", "I-10", "", "proxy_forward"),
    ("F-19", "flow", "rfc3261", "I-1", "F-19:", "uac_invite"),
    ("F-19", "reading", "dean-bcp", "I-1", "b", "uac_invite"),  # strict routers in the bounded family (issue 11)
)
#: The F-items this module pins to non-vacuous witness pairs.
PINNED = tuple(sorted({pin[0] for pin in PINS}, key=lambda item: int(item[2:])))


def pinned(item: str, kind: str, rule_set: str, prop: str, how: str) -> Finding:
    """The pin's finding from its narrow query."""
    if kind == "reading":
        found = [narrow.reading(rule_set, prop, item, how)]
    elif kind == "exercise":
        found = [narrow.exercise(rule_set, prop, item, how)]
    elif kind == "choice":
        found = [f for f in narrow.choices(rule_set, prop) if f.f_item == item]
    else:
        found = [f for f in narrow.flows(rule_set, prop, how) if f.f_item == item]
    assert found and found[0] is not None, f"no {kind} finding of {item} for {prop} under {rule_set}"
    finding = found[0]
    assert finding is not None
    return finding


@pytest.mark.parametrize(("item", "kind", "rule_set", "prop", "how", "choice_point"), PINS,
                         ids=[f"{pin[0]}-{pin[1]}" for pin in PINS])
def test_pin(item: str, kind: str, rule_set: str, prop: str, how: str, choice_point: str) -> None:
    """Both flows replayed and conforming, the property failing on one and holding on the other, the same
    up to the first difference, which is at the item's choice point, and non-vacuous."""
    finding = pinned(item, kind, rule_set, prop, how)
    assert (finding.kind, finding.f_item, finding.rule_set) == (kind, item, rule_set)
    assert finding.choice_point == choice_point and prop in finding.properties
    assert_witness(finding)
    if kind in ("reading", "exercise"):
        default = dict(preset_defaults(rule_set))[item]
        assert finding.options == [f"{item}/{default}", f"{item}/{how}"]
        assert "exhaustive within the bound (k<=3) for first differences at" in finding.search
        assert finding.flips is (kind == "reading")
    else:
        assert finding.search.startswith("sampled")


def test_f2_the_call_is_delivered_over_tls_under_the_other_reading() -> None:
    """F-2/b (the proxy keeps the SIPS target) proves I-2 (no downgrade by forwarders); the pair: pb
    forwards the same call as sip: under F-2/a and as sips: over TLS under F-2/b, and the call is
    delivered in both runs. (Under rfc3261 I-1 stays refuted under F-2/b: a strict router, F-19.)"""
    finding = pinned("F-2", "reading", "rfc3261", "I-2", "b")
    assert finding.verdicts["I-2"] == {"F-2/a": "refuted", "F-2/b": "proved"}
    pair = finding.witness
    assert pair is not None and pair.choice.element == "pb"
    assert (pair.choice.options["ruri"], pair.alternative.options["ruri"]) == ("sip", "sips")
    delivered = [t for t in pair.holding.trace.transmissions[pair.differing:]
                 if t.message.method == "INVITE" and t.receiver.startswith("bob")]
    assert delivered and all(t.transport == "TLS" for t in delivered)


def test_f4_a_sips_record_route_decides_i7_on_a_flow() -> None:
    """F-4: a proxy's sips: Record-Route value facing a SIP request received without TLS forces the peer's
    sips route set and breaks the TLS-less caller's dialog (I-7); under F-4/b the same call records sip:
    on that side and I-7 holds. I-7 stays refuted under both (UA Contacts break it too): flips no."""
    finding = pinned("F-4", "exercise", "rfc3261", "I-7", "b")
    assert finding.verdicts["I-7"]["F-4/b"] != "proved" and finding.flips is not True
    pair = finding.witness
    assert pair is not None and pair.choice.features["in_secure"] is False
    variant = PRESETS["rfc3261"].with_readings({"F-4": "b"})
    assert "F-4/b" in violated_rules(pair.choice.choice_point, pair.choice.features, pair.choice.options, variant)
    assert violated_rules(pair.alternative.choice_point, pair.alternative.features, pair.alternative.options,
                          variant) == []
    rsets = {(d["role"], d["rset0"]) for d in pair.failing.trace.observation["dialogs"]}
    assert ("uac", "sips") in rsets or ("uas", "sips") in rsets


@pytest.mark.parametrize(("item", "prop", "letter"), [("F-1", "I-12", "a"), ("F-4", "I-7", "b"), ("F-7", "I-7", "b"),
                                                      ("F-6", "I-12", "c"), ("F-8", "I-8b", "c")])
def test_the_failing_flow_breaks_the_reading_at_the_choice(item: str, prop: str, letter: str) -> None:
    """An exercise pin: the reading flips no verdict, the failing flow's element breaks it at the choice."""
    finding = pinned(item, "exercise", "rfc3261", prop, letter)
    pair = finding.witness
    assert pair is not None
    variant = PRESETS["rfc3261"].with_readings({item: letter})
    assert f"{item}/{letter}" in violated_rules(pair.choice.choice_point, pair.choice.features, pair.choice.options,
                                                variant)


def test_f1_a_secure_dialog_sends_over_udp_under_the_default_reading() -> None:
    """F-1: under RFC 3261 as written (F-1/b) the UA of a secure dialog (12.1.2: first hop TLS, Request-URI
    sips) may send its in-dialog request over a plain transport; under F-1/a the same request goes over TLS."""
    pair = pinned("F-1", "exercise", "rfc3261", "I-12", "a").witness
    assert pair is not None and pair.choice.features["dialog_secure"] is True
    assert not is_secure(str(pair.choice.options["transport"]))
    assert is_secure(str(pair.alternative.options["transport"]))


def test_f6_the_failing_proxy_records_two_values() -> None:
    """F-6/c (no double Record-Route, no rewrite): the failing flow's proxy records two values where the
    holding flow's records one or none."""
    pair = pinned("F-6", "exercise", "rfc3261", "I-12", "c").witness
    assert pair is not None and pair.choice.options["rr"] == "double" and pair.alternative.options["rr"] != "double"


def test_refusing_the_binding_is_vacuous_and_no_flip() -> None:
    """The old vacuous flip: a proxy refusing the SIPS binding "fixed" I-1 because nothing is delivered."""
    rule_set, prop = PRESETS["rfc3261"], PROPS["I-1"]
    example = counterexample(prop, rule_set)
    assert example is not None
    target = next(d for d in example.trace.decisions if d.choice_point == "proxy_target" and d.options["target"])
    key = (target.element, target.choice_point, target.occurrence)
    refuse = {**target.options, "target": False}
    pair = make_pair(prop, example.scenario, example.trace, rule_set, rule_set, {key: refuse}, vacuous=True)
    assert pair is not None and not pair.reaches  # I-1 holds on it: no INVITE reaches a UA
    assert not any(t.message.method == "INVITE" and example.scenario.element(t.receiver).role == "ua"
                   for t in pair.holding.trace.transmissions)
    assert make_pair(prop, example.scenario, example.trace, rule_set, rule_set, {key: refuse}) is None
    assert not [f for f in narrow.choices("rfc3261", "I-1") if f.choice_point == "proxy_target"]


def test_the_f12_reading_flips_i13_only_vacuously() -> None:
    """F-12/b proves I-13 because the UAC stops: no retry is sent, so the pair shows no flip."""
    finding = narrow.reading("rfc5630", "I-13", "F-12", "b")
    assert finding is not None and finding.verdicts["I-13"] == {"F-12/a": "refuted", "F-12/b": "proved"}
    pair = finding.witness
    assert pair is not None and not pair.reaches and finding.vacuous and finding.flips is False
    assert (pair.choice.options, pair.alternative.options) == ({"action": "retry"}, {"action": "stop"})
    assert not evaluate_property(PROPS["I-13"], pair.failing.trace.observation).holds
    assert "no non-vacuous pair exists within the bound (k<=3) with its first difference at uac_retry" in finding.search
    assert coverage([finding])["F-12"] == "not-security-relevant"
    assert not [f for f in narrow.choices("rfc5630", "I-13") if f.choice_point == "uac_retry"]


def test_an_open_choice_is_not_credited_to_an_item_whose_reading_does_not_decide_it() -> None:
    """A proxy's upgrade of the Request-URI is F-20's choice, not F-4's (whose Record-Route can follow)."""
    upgrades = [f for f in narrow.choices("rfc3261", "I-3")
                if f.options in (["ruri=sips", "ruri=sip"], ["ruri=sip", "ruri=sips"])]
    assert all(f.f_item != "F-4" for f in upgrades)


def test_mutation_a_rule_that_fixes_the_choice_removes_the_f12_finding(tmp_path: Path) -> None:
    """DEAN-4a makes the UAC's choice deterministic (stop): the reading then changes nothing."""
    path = tmp_path / "fixed.toml"
    path.write_text('name = "rfc5630-4a"\nbase = "rfc5630"\nadd = ["DEAN-4a"]\n')
    fixed = Search(load_rule_set(str(path)), [PROPS["I-13"]], narrow.BOUND)
    assert reading_findings(fixed, AMBIGUITIES_BY_ITEM["F-12"], "b") is None
    assert narrow.reading("rfc5630", "I-13", "F-12", "b") is not None


def test_coverage_of_the_pins_is_the_docs_table() -> None:
    """The items the docs list as found are exactly the pinned ones, each found by its pin's finding."""
    docs = {item: status for item, (status, _) in docs_coverage().items()}
    assert {item for item, status in docs.items() if status == "found"} == set(PINNED)
    findings = [pinned(item, kind, rule_set, prop, how) for item, kind, rule_set, prop, how, _ in PINS]
    cover = coverage(findings)
    assert {item for item, status in cover.items() if status == "found"} == set(PINNED)
    assert len(PINNED) >= 10


@pytest.mark.parametrize(("rule_set", "prop", "item", "scenario"), [
    ("draft-04", "I-10", "F-8", "F-19:"),
    ("draft-04", "I-4", "F-6", "draft-04 section 9.2"),
])
def test_readings_that_decide_a_builtin_flow(rule_set: str, prop: str, item: str, scenario: str) -> None:
    found = [f for f in narrow.flows(rule_set, prop, scenario) if f.f_item == item]
    assert found, f"no {item} flow finding for {prop} under {rule_set}"
    assert found[0].search.startswith("sampled: the built-in call flow") and found[0].flips is None
    assert_witness(found[0])

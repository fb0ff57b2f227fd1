"""``sipsmodel ambiguities`` with the real prover and simulator: findings pinned to F-items (issue 9)."""

from __future__ import annotations

from pathlib import Path

import pytest
from witness_checks import assert_witness

from sipsmodel.decide.ambiguities import coverage, find_ambiguities
from sipsmodel.decide.finding import Finding
from sipsmodel.props import load_properties
from sipsmodel.rules.sets import PRESETS, load_rule_set

pytestmark = pytest.mark.slow  # the prover and replayed witness pairs

PROPS = {p.id: p for p in load_properties()}


def findings_for(rule_set: str, prop: str) -> list[Finding]:
    return find_ambiguities([PRESETS[rule_set]], [PROPS[prop]])


def reading_finding(rule_set: str, prop: str, item: str) -> Finding:
    found = [f for f in findings_for(rule_set, prop) if f.kind == "reading" and f.f_item == item]
    assert found, f"no {item} reading finding for {prop} under {rule_set}"
    return found[0]


@pytest.mark.parametrize(("rule_set", "prop", "item", "choice_point"), [
    ("rfc5630", "I-13", "F-12", "uac_retry"),
    ("rfc3261", "I-9", "F-3", "registrar_accept"),
    ("rfc3261", "I-3", "F-20", "proxy_forward"),
    ("draft-04", "I-1", "F-6", "proxy_forward"),
    ("draft-04", "I-2", "F-2", "proxy_forward"),
])
def test_reading_findings_carry_a_witness_pair(rule_set: str, prop: str, item: str, choice_point: str) -> None:
    finding = reading_finding(rule_set, prop, item)
    assert finding.choice_point == choice_point
    assert "exhaustive within the bound" in finding.search
    assert len(finding.options) == 2 and all(o.startswith(item + "/") for o in finding.options)
    assert_witness(finding)


def test_the_f12_pair_differs_at_the_uac_retry_and_nowhere_before() -> None:
    pair = reading_finding("rfc5630", "I-13", "F-12").witness
    assert pair is not None
    assert (pair.choice.options, pair.alternative.options) == ({"action": "retry"}, {"action": "stop"})
    assert dict(pair.choice.features) == {"ruri": "sips", "failure": "r3xx", "contact": "sip", "confirmed": False}
    assert pair.differing is not None
    failing, holding = pair.failing.trace.transmissions, pair.holding.trace.transmissions
    assert [t.message.render() for t in failing[:pair.differing]] == \
        [t.message.render() for t in holding[:pair.differing]]
    assert failing[pair.differing].message.method == "INVITE"  # the retry to the sip: Contact


def test_open_choice_findings_are_sampled_and_replayed() -> None:
    found = [f for f in findings_for("rfc5630", "I-13") if f.kind == "choice"]
    assert found
    for finding in found:
        assert finding.search.startswith("sampled")
        assert_witness(finding)
    (retry,) = [f for f in found if f.f_item == "F-12" and f.choice_point == "uac_retry"]
    assert retry.options == ["action=retry", "action=stop"]
    assert retry.verdicts["I-13"] == {"action=retry": "refuted", "action=stop whenever the state is as here": "proved"}
    assert retry.flips is True


@pytest.mark.parametrize(("rule_set", "prop", "item", "choice_point"), [
    ("draft-04", "I-1", "F-9", "proxy_target"),
    ("rfc5630", "I-10", "F-24", "proxy_forward"),
])
def test_open_choice_findings_pinned_to_f_items(rule_set: str, prop: str, item: str, choice_point: str) -> None:
    found = [f for f in findings_for(rule_set, prop) if f.kind == "choice" and f.f_item == item]
    assert found and found[0].choice_point == choice_point
    assert_witness(found[0])


def test_mutation_a_rule_that_fixes_the_choice_removes_the_f12_finding(tmp_path: Path) -> None:
    path = tmp_path / "fixed.toml"
    path.write_text('name = "rfc5630-4a"\nbase = "rfc5630"\nadd = ["DEAN-4a"]\n')
    fixed = load_rule_set(str(path))
    findings = find_ambiguities([fixed], [PROPS["I-13"]])
    assert not [f for f in findings if f.f_item == "F-12"]
    assert [f for f in findings_for("rfc5630", "I-13") if f.f_item == "F-12"]


def test_coverage_names_every_f_item() -> None:
    cover = coverage(findings_for("rfc5630", "I-13"))
    assert list(cover) == [f"F-{n}" for n in range(1, 25)]
    assert cover["F-12"] == "found" and cover["F-11"] == "not-expressible"
    assert cover["F-8"] in ("found", "not-security-relevant")


@pytest.mark.parametrize(("rule_set", "prop", "item"), [
    ("rfc3261", "I-1", "F-19"),  # scenarios/f19-strict-preloaded-route.toml: outside the bounded family
    ("draft-04", "I-10", "F-8"),
])
def test_readings_that_decide_a_builtin_flow(rule_set: str, prop: str, item: str) -> None:
    found = [f for f in findings_for(rule_set, prop) if f.kind == "flow" and f.f_item == item]
    assert found, f"no {item} flow finding for {prop} under {rule_set}"
    assert found[0].search.startswith("sampled: the built-in call flow") and found[0].flips is None
    assert_witness(found[0])

"""prove(): replayed and shortest counterexamples, real cores, mutation tests (issue 4)."""

from __future__ import annotations

import pytest

from sipsmodel.props import Property, evaluate_property, load_properties
from sipsmodel.rules.sets import PRESETS, RuleSet, rule_set_from_mapping
from sipsmodel.smt import prove
from sipsmodel.smt.prove import bounded_prover
from sipsmodel.smt.solving import active_rule_ids, assumptions

pytestmark = pytest.mark.slow  # the prover on whole rule sets

PROPS = {p.id: p for p in load_properties()}


def _prop(pid: str) -> Property:
    return PROPS[pid]


@pytest.mark.parametrize(("pid", "rules"), [("I-1", "rfc3261"), ("I-2", "draft-04"), ("I-4", "dean-bcp"),
                                            ("I-9", "rfc3261"), ("I-13", "rfc3261"), ("I-7", "rfc5630")])
def test_refuted_results_carry_a_replayed_shortest_violation(pid: str, rules: str) -> None:
    prop, rule_set = _prop(pid), PRESETS[rules]
    result = prove(prop, rule_set)
    assert result.verdict == "refuted" and result.counterexample is not None
    assert not evaluate_property(prop, result.counterexample.observation).holds
    shortest = int(str(result.details["smt_transmissions"]))
    assert len(result.counterexample.transmissions) >= shortest  # the replay is at least as long as the shortest model
    prover = bounded_prover(prop, rule_set, 3, False, 20.0, 0)
    extra = [prover.encoding.bound_literal(3), *assumptions(active_rule_ids(rule_set))]
    # the fewest among the runs with loose routers only, which these violations have (``smt.prove._loose``)
    loose = prover.encoding.topo.no_strict_routers()
    assert str(prover.solver.check(*extra, loose, prover.size_at_most(shortest))) == "sat"
    answer = str(prover.solver.check(*extra, loose, prover.size_at_most(shortest - 1)))
    assert answer == "unsat"


@pytest.mark.parametrize(("pid", "rules"), [("I-1b", "rfc3261"), ("I-2", "rfc5630"), ("I-22", "draft-04"),
                                            ("I-8", "rfc5630"), ("I-9", "draft-04"), ("I-1", "rfc5630"),
                                            ("I-6", "rfc3261")])
def test_cores_are_real(pid: str, rules: str) -> None:
    prop, rule_set = _prop(pid), PRESETS[rules]
    result = prove(prop, rule_set)
    assert result.verdict == "proved" and result.rules_used
    for rule in result.rules_used:
        assert prove(prop, rule_set.without(rule)).verdict == "refuted", rule


def _verdicts(rule_set: RuleSet, pids: list[str]) -> dict[str, str]:
    return {pid: prove(_prop(pid), rule_set).verdict for pid in pids}


UNRELATED = ["I-1b", "I-6", "I-8", "I-9", "I-11", "I-17", "I-18", "I-22"]


def test_mutation_last_hop_exception_back_in_rfc5630() -> None:
    base, weak = PRESETS["rfc5630"], PRESETS["rfc5630"].without("R-5630-5.3-a")
    assert prove(_prop("I-2"), base).verdict == "proved"
    assert prove(_prop("I-2"), weak).verdict == "refuted"
    assert prove(_prop("I-1"), weak).verdict == "refuted"
    assert _verdicts(weak, UNRELATED) == _verdicts(base, UNRELATED)


def test_mutation_proxy_upgrade_allowed_in_rfc5630() -> None:
    base = PRESETS["rfc5630"]
    weak = rule_set_from_mapping({"name": "upgrade", "base": "rfc5630", "add": ["R-04-4-b"],
                                  "remove": ["R-5630-5.3-c"]}, "test")
    assert prove(_prop("I-3"), base).verdict == "proved"
    assert prove(_prop("I-3"), weak).verdict == "refuted"
    assert prove(_prop("I-2"), weak).verdict == "proved"
    assert _verdicts(weak, UNRELATED) == _verdicts(base, UNRELATED)


def test_unbounded_only_for_inductive_per_hop_properties() -> None:
    assert prove(_prop("I-1b"), PRESETS["rfc3261"]).scope == "unbounded"
    assert prove(_prop("I-22"), PRESETS["rfc5630"]).scope == "unbounded"
    assert prove(_prop("I-6"), PRESETS["rfc5630"]).scope == "bounded"
    malicious = prove(_prop("I-1b"), PRESETS["rfc3261"], malicious=True)
    assert malicious.verdict == "refuted"

"""Shared assertions on witness pairs: what issue 9 says every pair must show."""

from __future__ import annotations

from sipsmodel.decide.finding import Finding
from sipsmodel.decide.witness import nonconforming
from sipsmodel.props import evaluate_property, load_properties
from sipsmodel.rules.sets import load_rule_set_spec


def assert_witness(finding: Finding) -> None:
    """Both flows replayed and conforming, the property failing on one and holding on the other, the
    holding flow reaching the point where the other fails, the two identical up to the first difference."""
    pair = finding.witness
    assert pair is not None, finding
    prop = next(p for p in load_properties() if p.id == pair.property)
    assert pair.property in finding.properties
    failing_set, holding_set = load_rule_set_spec(pair.failing.rules), load_rule_set_spec(pair.holding.rules)
    assert nonconforming(pair.failing.trace, failing_set) == []
    assert nonconforming(pair.holding.trace, holding_set) == []
    assert not evaluate_property(prop, pair.failing.trace.observation).holds
    assert evaluate_property(prop, pair.holding.trace.observation).holds
    assert pair.choice.choice_point == pair.alternative.choice_point == finding.choice_point
    assert (pair.choice.element, pair.choice.occurrence) == (pair.alternative.element, pair.alternative.occurrence)
    assert pair.choice.options != pair.alternative.options
    assert pair.reaches and not finding.vacuous  # the holding flow reaches the violating point (non-vacuous)
    if pair.differing is not None:
        assert [t.message.render() for t in pair.failing.trace.transmissions[:pair.differing]] == \
            [t.message.render() for t in pair.holding.trace.transmissions[:pair.differing]]

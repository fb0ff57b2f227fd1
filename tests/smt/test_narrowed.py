"""Narrowed profiles (``--within stock-proxy``, sipsmodel.rules.narrowings): a narrowed set only removes
behaviours, so its counterexample is one of the set it narrows; and what the narrowing changes (issue 12)."""

from __future__ import annotations

import pytest

from sipsmodel.errors import ScenarioError
from sipsmodel.model.trace import Trace
from sipsmodel.props import load_properties
from sipsmodel.rules.engine import check_tables, violated_rules
from sipsmodel.rules.narrowings import NARROWING_RULES
from sipsmodel.rules.sets import PRESETS, RuleSet, within
from sipsmodel.smt import prove

PROPS = {p.id: p for p in load_properties()}
RFC3261 = PRESETS["rfc3261"]
OPTIONAL = RFC3261.with_should("optional")


def test_a_narrowed_set_keeps_every_rule_reading_and_the_should_mode() -> None:
    check_tables()  # the narrowings type-check against their choice points, like every rule
    for base in (RFC3261, OPTIONAL, PRESETS["rfc5630"]):
        narrowed = within(base, "stock-proxy")
        assert (narrowed.rule_ids, narrowed.readings, narrowed.should) == (base.rule_ids, base.readings, base.should)
        assert {r.id for r in base.active} < {r.id for r in narrowed.active}
        assert {r.id for r in narrowed.active} - {r.id for r in base.active} == {r.id for r in NARROWING_RULES}
    assert within(RFC3261, "stock-proxy").name == "rfc3261-within-stock-proxy"
    assert within(OPTIONAL, "stock-proxy").name == "rfc3261-should-optional-within-stock-proxy"
    assert within(RFC3261, "stock-proxy").expectation_key not in PRESETS  # no preset's expectations


def test_an_unknown_profile_is_an_error_naming_the_known_ones() -> None:
    with pytest.raises(ScenarioError, match="unknown narrowed profile; known: stock-proxy"):
        within(RFC3261, "stock")


def _broken(trace: Trace, rule_set: RuleSet) -> set[str]:
    """The rules of ``rule_set`` that some decision of the trace breaks (the engine, not the simulator)."""
    return {rule for d in trace.decisions
            for rule in violated_rules(d.choice_point, d.features, d.options, rule_set)}  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("prop", ["I-1", "I-2"])
def test_the_narrowed_counterexample_is_one_of_the_set_it_narrows(prop: str) -> None:
    narrowed = within(OPTIONAL, "stock-proxy")
    result = prove(PROPS[prop], narrowed)
    assert result.verdict == "refuted" and result.counterexample is not None
    assert _broken(result.counterexample, narrowed) == set()
    assert _broken(result.counterexample, OPTIONAL) == set()  # every decision is one rfc3261 allows
    # the downgrade comes from the callee's registration: a sip: Contact under its sips: AoR (R-3261-10.2.1-a is
    # a SHOULD), never from the proxy rewriting a scheme
    registers = [d for d in result.counterexample.decisions if d.choice_point == "ua_register"]
    assert any(((d.options or {}).get("aor"), (d.options or {}).get("contact")) == ("sips", "sip") for d in registers)
    forwards = [d for d in result.counterexample.decisions if d.choice_point == "proxy_forward"]
    for d in forwards:
        binding = d.features["binding"]
        assert d.options["ruri"] == (binding if binding != "none" else d.features["in_ruri"])


@pytest.mark.slow
def test_within_stock_proxy_i1_falls_only_to_a_strict_router() -> None:
    """I-1 under rfc3261 within stock-proxy: no proxy rewrites the scheme, but behind a strict sip: entry the
    caller's own first hop is not TLS (SIPS-RULES.md F-19), a UA's choice the narrowing does not touch."""
    narrowed = prove(PROPS["I-1"], within(RFC3261, "stock-proxy"))
    assert narrowed.verdict == "refuted" and narrowed.counterexample is not None
    hops = [h for h in narrowed.counterexample.observation["hops"] if h["kind"] == "request"]
    assert any(h["sender"] == "ua" and h["origin"] == "sips" and h["ruri"] == "sip" and h["route0"] == "sips"
               and not h["secure"] for h in hops), hops


@pytest.mark.slow
@pytest.mark.parametrize("prop", ["I-2"])  # I-1 also falls to a strict router: the test above
def test_rfc3261_counterexample_needs_a_proxy_that_rewrites_the_scheme(prop: str) -> None:
    """With SHOULD binding the only rfc3261 downgrade is the proxy rewriting a sips: binding to sip:
    (N-STOCK-1 excludes it), and within stock-proxy the property is proved up to the bound."""
    plain = prove(PROPS[prop], RFC3261)
    assert plain.verdict == "refuted" and plain.counterexample is not None
    assert "N-STOCK-1" in _broken(plain.counterexample, within(RFC3261, "stock-proxy"))
    narrowed = prove(PROPS[prop], within(RFC3261, "stock-proxy"))
    assert (narrowed.verdict, narrowed.scope, narrowed.bound) == ("proved", "bounded", 3)

"""'Do we need to deprecate sips?' on the real prover (issue 8 item 6): one pair, I-2 beside TLS-2.

What the row must say follows from the expectations written in the property files: I-2 is proved
under dean-bcp and rfc5630 and refuted under rfc3261 (properties/I-02.toml), and its restatement for
sip: over TLS is refuted under rfc3261 and sip-tls (properties/sip-tls/TLS-02.toml).
"""

from __future__ import annotations

import pytest

from sipsmodel.props import load_properties
from sipsmodel.report.check import CheckOptions
from sipsmodel.report.deprecation import deprecation, pairs, restated_properties
from sipsmodel.rules.sets import PRESETS, PROFILES, load_rule_set


def test_every_restated_property_pairs_with_a_built_in_one_and_guards_against_sips() -> None:
    built_in = load_properties()
    restated = restated_properties()
    assert len(pairs(built_in)) == len(restated) >= 5
    for prop in restated:
        assert prop.formula_text.startswith("(forall g in hops: g.ruri != sips")
        assert set(prop.expected) <= {"rfc3261", "sip-tls"}


def test_the_profile_is_rfc3261_plus_point_1_and_not_a_check_column() -> None:
    profile = load_rule_set("sip-tls")
    assert profile is PROFILES["sip-tls"] and "sip-tls" not in PRESETS
    assert set(profile.rule_ids) == set(PRESETS["rfc3261"].rule_ids) | {"DEAN-1"}


@pytest.mark.slow
def test_only_sips_gives_no_downgrade_by_forwarders() -> None:
    i2 = [p for p in load_properties() if p.id == "I-2"]
    (row,) = deprecation(i2, CheckOptions())
    assert (row.property, row.restated) == ("I-2", "TLS-2")
    # a cell's label names the reading a refutation rests on (issue 9): refuted (F-2/a)
    assert row.sips["rfc3261"].startswith("refuted") and row.sips["dean-bcp"].startswith("proved")
    assert {n: v.split(" ")[0] for n, v in row.sip_tls.items()} == {"rfc3261": "refuted", "sip-tls": "refuted"}
    assert row.answer == "only sips: gives it (under dean-bcp, rfc5630)"
    assert row.counterexample is not None and row.counterexample.violation is not None


def test_known_cells_are_not_checked_again() -> None:
    from sipsmodel.report.result import Result

    i2 = [p for p in load_properties() if p.id == "I-2"]
    proved = {(pid, s): Result(pid, s, "proved", scope="unbounded")
              for pid, sets in (("I-2", ("rfc3261", "dean-bcp", "rfc5630")), ("TLS-2", ("rfc3261", "sip-tls")))
              for s in sets}
    (row,) = deprecation(i2, CheckOptions(), known=proved)  # nothing left to check: no solver runs
    assert row.answer == "sip: over TLS gives it as well" and row.counterexample is None
    assert set(row.sips.values()) == {"proved (all sizes)"}

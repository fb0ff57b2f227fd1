"""Non-vacuous witness pairs (docs/ambiguities.md, "Flips, and vacuous pairs"): the holding flow must reach
the point where the failing flow fails, not merely stop before it."""

from __future__ import annotations

from dataclasses import replace

from sipsmodel.decide.witness import Flow, RepairChooser, message_kind, reaches_the_point
from sipsmodel.model.loader import load_scenario
from sipsmodel.model.trace import Trace
from sipsmodel.resources import resource_dir
from sipsmodel.rules.sets import PRESETS
from sipsmodel.sim import simulate

SCENARIO = load_scenario(f"{resource_dir('scenarios')}/draft-04-9.1.toml")


def _trace() -> Trace:
    return simulate(SCENARIO, PRESETS["draft-04"], RepairChooser(SCENARIO))


def _invite_to(trace: Trace, role: str) -> int:
    return next(t.index for t in trace.transmissions
                if message_kind(t) == ("request", "INVITE") and SCENARIO.element(t.receiver).role == role)


def test_a_flow_cut_short_before_the_delivery_is_vacuous() -> None:
    trace = _trace()
    delivery = _invite_to(trace, "ua")  # the INVITE reaching Bob's device: the violating point
    first_proxy = _invite_to(trace, "proxy")
    failing = Flow("draft-04", trace, False, delivery)
    cut = replace(trace, transmissions=trace.transmissions[:delivery])  # the proxies forward, nobody delivers
    assert not reaches_the_point(SCENARIO, failing, cut, first_proxy + 1)
    assert reaches_the_point(SCENARIO, failing, trace, first_proxy + 1)


def test_a_counterpart_must_be_the_same_kind_to_the_same_role() -> None:
    trace = _trace()
    delivery = _invite_to(trace, "ua")
    failing = Flow("draft-04", trace, False, delivery)
    to_proxies_only = replace(trace, transmissions=tuple(
        t for t in trace.transmissions if not (t.index >= delivery and SCENARIO.element(t.receiver).role == "ua")))
    assert not reaches_the_point(SCENARIO, failing, to_proxies_only, delivery)


def test_a_violation_before_the_first_difference_is_in_both_flows() -> None:
    trace = _trace()
    delivery = _invite_to(trace, "ua")
    failing = Flow("draft-04", trace, False, delivery)
    assert reaches_the_point(SCENARIO, failing, replace(trace, transmissions=trace.transmissions[:delivery + 1]),
                             delivery + 1)

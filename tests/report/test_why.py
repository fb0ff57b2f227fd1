"""Answers that show why each hop happened (issue 11 item 3): decisions under each transmission.

The known scenario is draft-04 section 9.1 (scenarios/draft-04-9.1.toml, SIPS-RULES.md D.3): F11 is
Proxy A forwarding Alice's INVITE to Proxy B. The decision shown there must be the simulator's own:
the option it took, how many options draft-04 allowed of those the model has, and the rules that
ruled out the others, the same in the ladder, the JSON of ``simulate`` and of ``check``, and SARIF.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from sipsmodel.cli import cli
from sipsmodel.model.loader import load_scenario
from sipsmodel.model.trace import Decision, Trace
from sipsmodel.render import render_json, render_ladder, render_trace
from sipsmodel.render.why import place_decisions
from sipsmodel.report.formats import render_report
from sipsmodel.report.result import Result
from sipsmodel.rules import load_rule_set
from sipsmodel.rules.choicepoints import CHOICE_POINTS
from sipsmodel.rules.engine import physically_possible, violated_rules
from sipsmodel.sim import simulate
from sipsmodel.sim.network import Network

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "draft-04-9.1.toml"
F11 = 10  # Proxy A -> Proxy B, INVITE over TLS
F11_RULES = ["R-3261-16.5-b MUST", "R-3261-16.6-7 MUST", "R-3261-16.6-4b MUST", "R-3261-16.6-4d MUST",
             "R-3261-26.2.2-a MUST", "R-04-4-c MUST NOT", "R-04-7-a MUST NOT", "R-04-4.2-a MUST"]
F11_LINE = ("proxya proxy_forward: ruri=sips route0=none transport=TLS rr=single rr_out=sips rr_in=sips "
            "rr_tp=none via_lie=false; 3 of 84 allowed; ruled out by " + ", ".join(F11_RULES))


@pytest.fixture(scope="module")
def trace() -> Trace:
    scenario = load_scenario(SCENARIO)
    return simulate(scenario, load_rule_set("draft-04"))


def _block(ladder: str, index: int) -> list[str]:
    """The lines of one transmission: its label, its arrow, and what follows up to the next label."""
    lines = ladder.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith(f"F{index + 1} "))
    end = next((n for n in range(start + 1, len(lines)) if lines[n][:1] == "F"), len(lines))
    return lines[start:end]


def test_ladder_shows_the_decision_under_its_hop(trace: Trace) -> None:
    block = _block(render_ladder(trace, why=True), F11)
    assert "INVITE (TLS)" in block[0] and "-->" in block[1]
    assert [line.split(" > ", 1)[1] for line in block[2:]] == [F11_LINE]
    assert block[2].split(" > ", 1)[0].rstrip().endswith("|")  # hangs off the hop's left lifeline


def test_a_decision_that_sent_nothing_is_shown_where_it_was_taken(trace: Trace) -> None:
    block = _block(render_ladder(trace, why=True), 11)  # F12: Proxy B's 100 Trying, then its target choices
    shown = [line.split(" > ", 1)[1] for line in block[2:]]
    assert shown == ["proxyb proxy_target: target=false (sent nothing itself); 2 of 2 allowed; none ruled out",
                     "proxyb proxy_target#1: target=true (sent nothing itself); 2 of 2 allowed; none ruled out"]


def test_no_why_leaves_the_ladder_as_before(trace: Trace) -> None:
    plain = render_ladder(trace)
    assert " > " not in plain
    why = render_ladder(trace, why=True)
    assert [line for line in why.splitlines() if " > " not in line] == plain.splitlines()


def _independent_counts(decision: Decision, rule_set_name: str, link: tuple[str, ...]) -> tuple[int, int, Counter[str]]:
    """Allowed and possible counts and the rules that exclude options, by the trace checker's own
    ``violated_rules`` over the choice point's option space, on the link's transports."""
    cp = CHOICE_POINTS[decision.choice_point]
    rule_set = load_rule_set(rule_set_name)
    possible = [o for o in cp.option_space()
                if physically_possible(cp, decision.features, o) and o["transport"] in link]
    broken = [violated_rules(cp.name, decision.features, o, rule_set) for o in possible]
    return sum(1 for b in broken if not b), len(possible), Counter(r for b in broken for r in b)


def test_the_recorded_counts_agree_with_the_independent_checker(trace: Trace) -> None:
    decision = next(d for d in trace.decisions if d.transmission == F11)
    link = Network(load_scenario(SCENARIO)).transports("proxya", "proxyb")
    assert link == ("TCP", "TLS")  # of 294 physically possible options, 84 use a transport of this link
    allowed, possible, counts = _independent_counts(decision, "draft-04", link)
    assert (decision.allowed, decision.possible) == (allowed, possible) == (3, 84)
    assert {r.rule: r.options for r in decision.ruled_out} == dict(counts)
    assert violated_rules("proxy_forward", decision.features, decision.options, load_rule_set("draft-04")) == []


def test_every_decision_of_the_flow_is_placed_once(trace: Trace) -> None:
    placed = place_decisions(trace)
    assert sorted(p.decision.index for group in placed.values() for p in group) == [d.index for d in trace.decisions]
    for index, group in placed.items():
        for p in group:
            assert p.produced == (p.decision.transmission == index)


def _f11_json(decisions: list[dict[str, object]]) -> dict[str, object]:
    (decision,) = decisions
    return decision


def test_simulate_json_carries_the_same_decision(trace: Trace) -> None:
    decision = _f11_json(render_json(trace)["transmissions"][F11]["decisions"])
    assert (decision["element"], decision["choice_point"], decision["allowed"], decision["possible"]) == (
        "proxya", "proxy_forward", 3, 84)
    assert decision["options"] == {"ruri": "sips", "route0": "none", "transport": "TLS", "rr": "single",
                                   "rr_out": "sips", "rr_in": "sips", "rr_tp": "none", "via_lie": False}
    assert [f"{r['rule']} {r['keyword']}" for r in decision["ruled_out"]] == F11_RULES  # type: ignore[union-attr]
    assert decision["produced"] is True and decision["transmission"] == F11


def test_check_json_and_sarif_carry_the_same_decision(trace: Trace) -> None:
    result = Result("I-1", "draft-04", "refuted", counterexample=trace, violation=F11)
    expected = render_json(trace)["transmissions"][F11]["decisions"]
    data = json.loads(render_report("json", [result], {}))
    assert data["results"][0]["counterexample"]["transmissions"][F11]["decisions"] == expected
    sarif = json.loads(render_report("sarif", [result], {}))
    (flow,) = sarif["runs"][0]["results"][0]["codeFlows"]
    (thread,) = flow["threadFlows"]
    step = thread["locations"][F11]
    assert step["properties"]["decisions"] == expected
    assert step["importance"] == "essential" and step["executionOrder"] == F11
    text = step["location"]["message"]["text"]
    assert text.splitlines() == ["F11 proxya -> proxyb: INVITE (TLS) (the violation)", f"  {F11_LINE}"]


def test_simulate_command_shows_decisions_and_hides_them_with_no_why() -> None:
    runner = CliRunner()
    shown = runner.invoke(cli, ["simulate", str(SCENARIO)])
    hidden = runner.invoke(cli, ["simulate", "--no-why", str(SCENARIO)])
    assert shown.exit_code == 0 and hidden.exit_code == 0
    assert f" > {F11_LINE}\n" in shown.output
    assert " > " not in hidden.output.split("\n\nF1 ")[0]


def test_render_trace_passes_why_through(trace: Trace) -> None:
    assert F11_LINE in render_trace(trace)
    assert F11_LINE not in render_trace(trace, why=False)


# --- a proved cell's --explain: the core rules with their readings (issue 11 item 3) ---------------

I9_RULE = ("R-04-5-b  MUST  draft-audet-sip-sips-guidelines-04 5: the registrar ignores the AoR scheme "
           "[embodies F-3/b]")
F3B = "F-3/b  draft-04 5; RFC 5630 5.2: the AoR key ignores the scheme: sip:x and sips:x are one AoR"


def test_a_core_rule_stands_for_the_reading_of_the_set() -> None:
    from sipsmodel.decide.readings import embodied_readings

    rules = ("R-04-5-b", "R-3261-16.6-7")
    assert embodied_readings(rules, load_rule_set("draft-04")) == {"R-04-5-b": ["F-3/b"], "R-3261-16.6-7": []}
    assert embodied_readings(("R-3261-10.3-a",), load_rule_set("rfc3261")) == {"R-3261-10.3-a": ["F-3/a"]}
    assert embodied_readings(("F-8/b",), load_rule_set("rfc5630").with_readings({"F-8": "b"})) == {"F-8/b": ["F-8/b"]}


def test_explain_proved_lists_each_core_rule_and_reading() -> None:
    from sipsmodel.report.explain import explain

    result = Result("I-9", "draft-04", "proved", scope="bounded", bound=3, rules_used=("R-04-5-b",),
                    details={"embodies": {"R-04-5-b": ["F-3/b"]}})
    lines = explain(result, {"I-9": "The AoR key ignores the scheme"}).splitlines()
    assert lines[1:] == ["  rests on: R-04-5-b", "  the core's rules:", f"    {I9_RULE}",
                         "  readings the core rests on:", f"    {F3B}"]
    assert I9_RULE in render_report("text", [result], {}, every=True)  # --explain
    assert I9_RULE in render_report("markdown", [result], {}, every=True)
    default = render_report("text", [result], {})  # the default report names the core only
    assert "  rests on: R-04-5-b" in default and "the core's rules:" not in default


@pytest.mark.slow
def test_check_explain_on_a_proved_cell_shows_its_core_rules_with_readings() -> None:
    runner = CliRunner()
    text = runner.invoke(cli, ["check", "--explain", "I-9", "--rules", "draft-04"])
    assert text.exit_code == 0, text.output
    section = text.output.split("I-9 The AoR key ignores the scheme, under draft-04: proved (k<=3)\n", 1)[1]
    assert section.splitlines()[:5] == ["  rests on: R-04-5-b", "  the core's rules:", f"    {I9_RULE}",
                                        "  readings the core rests on:", f"    {F3B}"]
    shown = runner.invoke(cli, ["check", "--explain", "I-9", "--rules", "draft-04", "--format", "json"])
    (cell,) = json.loads(shown.output)["results"]
    assert cell["core_rules"] == [{"id": "R-04-5-b", "keyword": "MUST",
                                   "clause": "draft-audet-sip-sips-guidelines-04 5",
                                   "statement": "the registrar ignores the AoR scheme", "embodies": ["F-3/b"]}]
    assert [r["id"] for r in cell["core_readings"]] == ["F-3/b"]


# --- end to end: check --explain and explore counterexamples carry the simulator's decisions --------


@pytest.mark.slow
def test_check_explain_counterexample_shows_the_decision_that_sent_the_violating_hop() -> None:
    from sipsmodel.props import load_properties
    from sipsmodel.report.check import CheckOptions, run_check

    results = run_check(CheckOptions(rules=("draft-04",), properties=("I-1",)))
    props = {p.id: p for p in load_properties() if p.id == "I-1"}
    example = json.loads(render_report("json", results, props))["results"][0]["counterexample"]
    violation = example["violation"]
    (decision,) = [d for d in example["transmissions"][violation]["decisions"] if d["produced"]]
    assert decision["choice_point"] == "proxy_forward" and isinstance(decision["possible"], int)
    assert 0 < decision["allowed"] <= decision["possible"]
    text = render_report("text", results, props, every=True)
    block = _block(text.split("violating transmission:", 1)[1].split("\n\n", 1)[1], violation)
    line = next(x.split(" > ", 1)[1] for x in block[2:] if f"{decision['element']} proxy_forward" in x)
    assert f"{decision['allowed']} of {decision['possible']} allowed" in line
    assert all(f"{r['rule']} {r['keyword']}" in line for r in decision["ruled_out"])
    assert " > " not in render_report("text", results, props, every=True, why=False)
    hidden = CliRunner().invoke(cli, ["check", "--explain", "I-1", "--rules", "draft-04", "--no-why"])
    assert hidden.exit_code == 0, hidden.output  # I-1 is expected refuted under draft-04
    assert "<== violation" in hidden.output and " > " not in hidden.output


# seed 1: a seed of tests/cli/test_explore_end_to_end.py that reaches the downgrade (3 did before redirect_answer)
@pytest.mark.slow
def test_an_explore_counterexample_shows_every_decision_of_its_flow() -> None:
    from sipsmodel.props import load_properties
    from sipsmodel.render.why import Placed, decision_line
    from sipsmodel.report.explore import ExploreOptions, explore_cell
    from sipsmodel.rules.sets import PRESETS

    i1 = next(p for p in load_properties() if p.id == "I-1")
    result = explore_cell(i1, PRESETS["rfc3261"], ExploreOptions(examples=200, seed=1), lambda: None)
    assert result.verdict == "refuted" and result.counterexample is not None
    text = render_report("text", [result], {})
    assert result.counterexample.decisions
    for decision in result.counterexample.decisions:
        assert decision.possible is not None
        produced = decision.transmission is not None
        assert f" > {decision_line(Placed(decision, produced))}\n" in text

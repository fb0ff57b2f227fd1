"""Issue 14, item 5: ladder columns in caller, path, callee order; --summary; the table again on a terminal;
Markdown keeps full titles; several minimal cores are all shown."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import small_trace

from sipsmodel.cli import cli
from sipsmodel.model.loader import load_scenario
from sipsmodel.model.trace import Trace, Transmission
from sipsmodel.props import Property
from sipsmodel.render import render_ladder
from sipsmodel.render.ladder import actors
from sipsmodel.report import check, ladder
from sipsmodel.report.formats import render_report, write_report
from sipsmodel.report.result import Result
from sipsmodel.resources import resource_dir
from sipsmodel.syntax import build_request, build_response, parse_uri

_REG = [("Via", "SIP/2.0/TLS bob.example.com;branch=z9hG4bKr1"), ("Max-Forwards", "70"),
        ("To", "<sips:bob@example.com>"), ("From", "<sips:bob@example.com>;tag=r1"), ("Call-ID", "r1@bob"),
        ("CSeq", "1 REGISTER"), ("Contact", "<sips:bob@bob.example.com>")]


def _reordered() -> Trace:
    """The callee registers first, so first appearance would put the callee left of the caller."""
    register = build_request("REGISTER", parse_uri("sips:example.com"), _REG)
    ok = build_response(200, "OK", [h for h in _REG if h[0] != "Max-Forwards"])
    invite_hops = small_trace().transmissions
    items = [Transmission(0, "bob", "pb", "TLS", register), Transmission(1, "pb", "bob", "TLS", ok)]
    items += [replace(t, index=t.index + 2) for t in invite_hops]
    return Trace("rfc3261", tuple(items))


def test_ladder_columns_put_the_caller_left_the_path_in_order_and_the_callee_right() -> None:
    trace = _reordered()
    assert actors(trace) == ["alice", "pb", "bob"]
    head = render_ladder(trace).splitlines()[0]
    assert head.index("alice") < head.index("pb") < head.index("bob")


def test_a_scenario_may_fix_the_column_order(tmp_path: Path) -> None:
    assert actors(_reordered(), order=("bob", "alice")) == ["bob", "alice", "pb"]
    flow = resource_dir("scenarios") / "draft-04-9.1.toml"
    text = flow.read_text()
    scenario = load_scenario(flow)
    names = [e.name for e in scenario.elements]
    fixed = tmp_path / "fixed.toml"
    fixed.write_text(f"columns = {list(reversed(names))!r}\n".replace("'", '"') + text)
    shown = CliRunner().invoke(cli, ["simulate", str(fixed)])
    assert shown.exit_code == 0, shown.output
    titles = [scenario.labels.get(n, n) for n in reversed(names)]
    head = shown.stdout.splitlines()[2]
    positions = [head.index(t) for t in titles if t in head]
    assert positions == sorted(positions) and len(positions) >= 2


def test_columns_naming_an_unknown_element_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('columns = ["zed"]\n' + (resource_dir("scenarios") / "draft-04-9.1.toml").read_text())
    outcome = CliRunner().invoke(cli, ["simulate", str(bad)])
    assert outcome.exit_code == 2 and "bad.toml: key 'columns': ['zed'] are not elements" in outcome.stderr


@pytest.fixture
def fixed_ladder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ladder, "ladder_text",
                        lambda trace, violation, why=True: f"LADDER of {len(trace.transmissions)}")


def _fake_prove(prop: Property, rule_set: object, *args: object) -> Result:
    return Result(prop.id, "x", "refuted", counterexample=small_trace(), violation=1)


def test_summary_prints_only_the_table_and_the_family(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(check, "prove", _fake_prove)
    full = CliRunner().invoke(cli, ["check", "--property", "I-1", "--rules", "rfc3261"])
    short = CliRunner().invoke(cli, ["check", "--property", "I-1", "--rules", "rfc3261", "--summary"])
    assert "violating transmission" in full.stdout
    assert short.exit_code == 0 and "violating transmission" not in short.stdout and "INVITE" not in short.stdout
    assert short.stdout.startswith("property") and "1 cell: 1 refuted" in short.stdout
    bad = CliRunner().invoke(cli, ["check", "--property", "I-1", "--summary", "--format", "json"])
    assert bad.exit_code == 2 and "--summary" in bad.stderr


@pytest.mark.usefixtures("fixed_ladder")
def test_the_table_comes_again_after_the_sections_on_a_terminal(results: list[Result],
                                                                 props: dict[str, Property]) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    write_report("text", results, props, stream)
    shown = stream.getvalue()
    last_ladder = shown.rindex("LADDER of 4")
    assert shown.count("End-to-end SIPS path") >= 2 and shown.rindex("End-to-end SIPS path") > last_ladder
    assert "The table again" in shown
    piped = render_report("text", results, props)
    assert "The table again" not in piped


def test_markdown_keeps_full_titles(props: dict[str, Property]) -> None:
    long_title = props["I-5"].title
    text = render_report("markdown", [Result("I-5", "rfc5630", "unknown", reason="r")], props)
    assert len(long_title) > 34 and f"| I-5 | {long_title} |" in text
    assert "…" in render_report("text", [Result("I-5", "rfc5630", "unknown", reason="r")], props)


def test_several_minimal_cores_are_all_shown(props: dict[str, Property]) -> None:
    cores = [["R-04-5-e", "R-3261-16.6-7", "R-3261-8.1.2-b"], ["R-04-5-c", "R-3261-16.6-7"]]
    proved = Result("I-8b", "draft-04", "proved", scope="bounded", bound=3, rules_used=tuple(cores[0]),
                    details={"cores": cores, "cores_complete": True})
    text = render_report("text", [proved], props)
    assert "rests on one of:\n    - R-04-5-c, R-3261-16.6-7\n    - R-04-5-e, R-3261-16.6-7, R-3261-8.1.2-b" in text
    markdown = render_report("markdown", [proved], props)
    assert "Rests on one of:\n  - `R-04-5-c`, `R-3261-16.6-7`" in markdown
    single = replace(proved, details={"cores": cores[:1], "cores_complete": True})
    assert "  rests on: R-04-5-e, R-3261-16.6-7, R-3261-8.1.2-b" in render_report("text", [single], props)
    partial = replace(proved, details={"cores": cores, "cores_complete": False, "cores_reason": "z3: canceled"})
    assert "rests on one of:" in (shown := render_report("text", [partial], props))
    assert "(perhaps more: z3: canceled)" in shown
    first = replace(proved, details={"cores": cores[:1], "cores_complete": False, "cores_reason": "not enumerated"})
    shown = render_report("text", [first], props)
    assert "  rests on: R-04-5-e, R-3261-16.6-7, R-3261-8.1.2-b\n    (perhaps other minimal cores: not enumerated)" in shown

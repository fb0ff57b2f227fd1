"""The JSON report: exactly the keys of issue 4, counterexamples as simulate --format json prints them."""

from __future__ import annotations

import json
from importlib.metadata import version

from sipsmodel import __version__
from sipsmodel.report.formats import render_report
from sipsmodel.report.result import Result

RESULT_KEYS = {
    "property", "rules", "verdict", "scope", "bound", "rules_used", "expected", "counterexample", "seconds",
    "should", "malicious", "seed", "reason", "family", "scenarios", "readings", "cores", "cores_complete",
    "core_rules", "core_readings",
}  # fmt: skip
TRANSMISSION_KEYS = {"index", "from", "to", "transport", "secure", "kind", "method", "status", "request_uri", "message",
                     "decisions"}


def test_tool_block(results: list[Result], props: dict[str, object]) -> None:
    data = json.loads(render_report("json", results, props))  # type: ignore[arg-type]
    assert data["tool"] == {"name": "sipsmodel", "version": __version__, "z3": version("z3-solver")}
    assert set(data) == {"tool", "results"}


def test_one_entry_per_cell_in_order(results: list[Result], props: dict[str, object]) -> None:
    data = json.loads(render_report("json", results, props))  # type: ignore[arg-type]
    assert [(r["property"], r["rules"], r["verdict"]) for r in data["results"]] == [
        (r.property, r.rules, r.verdict) for r in results
    ]
    for entry in data["results"]:
        assert set(entry) == RESULT_KEYS


def test_refuted_cell_carries_transmissions_and_violation(results: list[Result], props: dict[str, object]) -> None:
    entry = json.loads(render_report("json", results, props))["results"][0]  # type: ignore[arg-type]
    example = entry["counterexample"]
    assert example["violation"] == 1
    hops = example["transmissions"]
    assert [set(h) for h in hops] == [TRANSMISSION_KEYS] * 4
    assert hops[1]["from"] == "pb" and hops[1]["to"] == "bob" and hops[1]["transport"] == "UDP"
    assert hops[1]["secure"] is False and hops[0]["secure"] is True
    assert hops[1]["request_uri"] == "sip:bob@bob.example.com"
    assert hops[2]["kind"] == "response" and hops[2]["status"] == 200 and hops[2]["method"] == "INVITE"
    assert hops[1]["message"].startswith("INVITE sip:bob@bob.example.com SIP/2.0\r\n")


def test_proved_and_unknown_cells(results: list[Result], props: dict[str, object]) -> None:
    entries = json.loads(render_report("json", results, props))["results"]  # type: ignore[arg-type]
    unbounded, bounded, unknown, trace_only = entries[2:]
    assert (unbounded["scope"], unbounded["bound"], unbounded["rules_used"]) == ("unbounded", None, ["R-3261-16.7-4a"])
    assert (bounded["scope"], bounded["bound"], bounded["expected"]) == ("bounded", 3, "refuted")
    assert unknown["verdict"] == "unknown" and unknown["reason"] == "timeout after 20 s"
    assert unknown["scope"] is None and unknown["counterexample"] is None
    assert trace_only["verdict"] == "trace-only"


def test_bounded_proofs_name_the_family_they_cover() -> None:
    """A bounded proof never leaves its scope implicit: the family is in JSON and under the text table."""
    from sipsmodel.report.jsonreport import render_json
    from sipsmodel.report.text import render_text

    family = "k<=3 proxies, 1 binding"
    proved = Result("I-1", "rfc5630", "proved", scope="bounded", bound=3, details={"family": family})
    unbounded = Result("I-2", "rfc5630", "proved", scope="unbounded")
    data = json.loads(render_json([proved, unbounded]))
    assert [r["family"] for r in data["results"]] == [family, None]
    assert f"proved (k<=N) covers: {family}" in render_text([proved, unbounded], {})

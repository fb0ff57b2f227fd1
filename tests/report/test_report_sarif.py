"""The SARIF report, validated against the essential structure of the SARIF 2.1.0 JSON schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema

from sipsmodel.props import Property
from sipsmodel.report.formats import render_report
from sipsmodel.report.result import Result

_MESSAGE = {"type": "object", "anyOf": [{"required": ["text"]}, {"required": ["id"]}],
            "properties": {"text": {"type": "string"}, "id": {"type": "string"}}}  # fmt: skip
_MULTIFORMAT = {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}}
_PROPERTY_BAG = {"type": "object"}
_LOCATION = {
    "type": "object",
    "properties": {
        "physicalLocation": {
            "type": "object",
            "anyOf": [{"required": ["address"]}, {"required": ["artifactLocation"]}],
            "properties": {"artifactLocation": {"type": "object", "properties": {"uri": {"type": "string"}}}},
        }
    },
}
_DESCRIPTOR = {
    "type": "object",
    "required": ["id"],
    "properties": {
        "id": {"type": "string"},
        "name": {"type": "string"},
        "shortDescription": _MULTIFORMAT,
        "fullDescription": _MULTIFORMAT,
        "help": _MULTIFORMAT,
        "properties": _PROPERTY_BAG,
    },
}
#: codeFlow, threadFlow and threadFlowLocation as sarif-schema-2.1.0.json defines them (sections 3.36-3.38).
_THREAD_FLOW_LOCATION = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "index": {"type": "integer", "minimum": -1},
        "location": {**_LOCATION, "properties": {**_LOCATION["properties"], "message": _MESSAGE}},
        "kinds": {"type": "array", "uniqueItems": True, "items": {"type": "string"}},
        "state": {"type": "object", "additionalProperties": _MULTIFORMAT},
        "nestingLevel": {"type": "integer", "minimum": 0},
        "executionOrder": {"type": "integer", "minimum": -1},
        "importance": {"enum": ["important", "essential", "unimportant"]},
        "properties": _PROPERTY_BAG,
    },
}
_THREAD_FLOW = {
    "type": "object",
    "required": ["locations"],
    "properties": {
        "id": {"type": "string"},
        "message": _MESSAGE,
        "locations": {"type": "array", "minItems": 1, "items": _THREAD_FLOW_LOCATION},
        "properties": _PROPERTY_BAG,
    },
}
_CODE_FLOW = {
    "type": "object",
    "required": ["threadFlows"],
    "properties": {
        "message": _MESSAGE,
        "threadFlows": {"type": "array", "minItems": 1, "items": _THREAD_FLOW},
        "properties": _PROPERTY_BAG,
    },
}
_RESULT = {
    "type": "object",
    "required": ["message"],
    "properties": {
        "ruleId": {"type": "string"},
        "ruleIndex": {"type": "integer", "minimum": -1},
        "kind": {"enum": ["notApplicable", "pass", "fail", "review", "open", "informational"]},
        "level": {"enum": ["none", "note", "warning", "error"]},
        "message": _MESSAGE,
        "locations": {"type": "array", "items": _LOCATION},
        "codeFlows": {"type": "array", "minItems": 0, "items": _CODE_FLOW},
        "properties": _PROPERTY_BAG,
    },
}
#: The required keys, types and enums of SARIF 2.1.0 (sarif-schema-2.1.0.json) for what we emit.
SARIF_ESSENTIALS: dict[str, Any] = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "$schema": {"type": "string", "format": "uri"},
        "version": {"const": "2.1.0"},
        "runs": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["tool"],
                "properties": {
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {
                                    "name": {"type": "string"},
                                    "version": {"type": "string"},
                                    "semanticVersion": {"type": "string"},
                                    "rules": {"type": "array", "items": _DESCRIPTOR, "uniqueItems": True},
                                },
                            }
                        },
                    },
                    "results": {"type": "array", "items": _RESULT},
                    "properties": _PROPERTY_BAG,
                },
            },
        },
    },
}


def _sarif(results: list[Result], props: dict[str, Property]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(render_report("sarif", results, props))
    return data


def test_shape_follows_sarif_2_1_0(results: list[Result], props: dict[str, Property]) -> None:
    data = _sarif(results, props)
    jsonschema.validate(data, SARIF_ESSENTIALS)
    run = data["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_one_descriptor_per_property_one_result_per_refuted_cell(
    results: list[Result], props: dict[str, Property]
) -> None:
    run = _sarif(results, props)["runs"][0]
    assert [d["id"] for d in run["tool"]["driver"]["rules"]] == ["I-1", "I-2", "I-3", "I-16"]
    assert run["tool"]["driver"]["rules"][0]["shortDescription"]["text"] == "End-to-end SIPS path"
    assert [(r["ruleId"], r["properties"]["rules"]) for r in run["results"]] == [("I-1", "rfc3261"), ("I-1", "rfc5630")]


def test_message_names_title_rule_set_and_violating_transmission(
    results: list[Result], props: dict[str, Property]
) -> None:
    first, second = _sarif(results, props)["runs"][0]["results"]
    text = first["message"]["text"]
    assert "End-to-end SIPS path" in text and "rfc3261" in text
    assert "F2: pb -> bob over UDP" in text
    assert (first["level"], second["level"]) == ("warning", "error")
    assert first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("I-01.toml")


def test_no_refutation_gives_an_empty_result_list(results: list[Result], props: dict[str, Property]) -> None:
    data = _sarif([r for r in results if r.verdict != "refuted"], props)
    jsonschema.validate(data, SARIF_ESSENTIALS)
    assert data["runs"][0]["results"] == []


def test_code_flows_of_a_simulated_counterexample_follow_sarif_2_1_0(props: dict[str, Property]) -> None:
    """One codeFlow per refuted cell, a threadFlowLocation per transmission in execution order, the
    violating one essential, each with the decisions taken there (docs/why.md)."""
    from sipsmodel.model.loader import load_scenario
    from sipsmodel.rules import load_rule_set
    from sipsmodel.sim import simulate

    scenario = load_scenario(Path(__file__).resolve().parents[2] / "scenarios" / "rfc5630-6.1.toml")
    trace = simulate(scenario, load_rule_set(scenario.rules or "rfc5630"))
    result = Result("I-1", "rfc5630", "refuted", counterexample=trace, violation=2, expected="proved")
    data = _sarif([result], props)
    jsonschema.validate(data, SARIF_ESSENTIALS)
    (entry,) = data["runs"][0]["results"]
    (flow,) = entry["codeFlows"]
    locations = flow["threadFlows"][0]["locations"]
    assert [s["executionOrder"] for s in locations] == list(range(len(trace.transmissions)))
    assert [s["importance"] for s in locations].count("essential") == 1 and locations[2]["importance"] == "essential"
    shown = sorted(x["index"] for step in locations for x in step["properties"]["decisions"])
    assert shown == [d.index for d in trace.decisions] and shown

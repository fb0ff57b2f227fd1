"""The SARIF 2.1.0 report: one reportingDescriptor per property, one result per refuted cell.

Level: ``error`` when the refutation is against the expectation (or there is none), ``warning`` when
the property file expects it (a known weakness of that rule set, still a finding). A result with a
replayed counterexample carries it as one ``codeFlow`` whose thread flow has one location per
transmission: its message names the hop and, one line each, the decisions taken there (docs/why.md);
the location's property bag holds the same decisions as the JSON report does.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sipsmodel.model.trace import Trace
from sipsmodel.props import Property
from sipsmodel.render.ladder import label
from sipsmodel.render.why import BEFORE_FIRST, Placed, decision_json, decision_line, place_decisions
from sipsmodel.tool import TOOL_NAME, tool_block
from sipsmodel.verdict import Result

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _artifact_uri(source: str) -> str:
    path = Path(source).resolve()
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_uri()


def descriptor(prop: Property) -> dict[str, Any]:
    """The reportingDescriptor of one property."""
    return {
        "id": prop.id,
        "name": prop.title,
        "shortDescription": {"text": prop.title},
        "fullDescription": {"text": prop.formula_text},
        "help": {"text": " ".join(prop.notes.split()) or prop.title},
        "properties": {"follows_from": list(prop.follows_from), "scope": prop.scope},
    }


def _violation_text(result: Result) -> str:
    trace, index = result.counterexample, result.violation
    if trace is None or index is None or not 0 <= index < len(trace.transmissions):
        return "the violating transmission is not identified"
    item = trace.transmissions[index]
    return f"violating transmission F{index + 1}: {item.sender} -> {item.receiver} over {item.transport}"


def _step(trace: Trace, index: int, placed: list[Placed], violation: int | None) -> dict[str, Any]:
    """One threadFlowLocation: the hop (``BEFORE_FIRST``: the decisions before F1) and its decisions."""
    if index == BEFORE_FIRST:
        head = "before F1"
    else:
        item = trace.transmissions[index]
        head = f"F{index + 1} {item.sender} -> {item.receiver}: {label(item)}"
        head += " (the violation)" if index == violation else ""
    text = "\n".join([head, *(f"  {decision_line(p)}" for p in placed)])
    step: dict[str, Any] = {
        "location": {"message": {"text": text}},
        "kinds": ["call"] if index != BEFORE_FIRST else ["enter"],
        "importance": "essential" if index == violation else "important",
        "properties": {"transmission": index, "decisions": [decision_json(p) for p in placed]},
    }
    return step


def code_flows(trace: Trace, violation: int | None) -> list[dict[str, Any]]:
    """The counterexample as one SARIF 2.1.0 codeFlow: a thread flow with a location per transmission."""
    placed = place_decisions(trace)
    indices = ([BEFORE_FIRST] if BEFORE_FIRST in placed else []) + list(range(len(trace.transmissions)))
    locations = [{**_step(trace, i, placed.get(i, []), violation), "executionOrder": n}
                 for n, i in enumerate(indices)]
    message = f"the replayed call flow under {trace.rules}, {len(trace.transmissions)} transmissions"
    return [{"message": {"text": message}, "threadFlows": [{"locations": locations}]}] if locations else []


def sarif_result(result: Result, prop: Property | None, rule_index: int) -> dict[str, Any]:
    """One SARIF result for a refuted cell."""
    title = prop.title if prop is not None else result.property
    text = f"{result.property} {title} is refuted under rule set {result.rules}; {_violation_text(result)}."
    entry: dict[str, Any] = {
        "ruleId": result.property,
        "ruleIndex": rule_index,
        "kind": "fail",
        "level": "warning" if result.expected == "refuted" else "error",
        "message": {"text": text},
        "properties": {
            "rules": result.rules,
            "expected": result.expected,
            "violation": result.violation,
            "malicious": result.malicious,
            "should": result.should,
            "transmissions": 0 if result.counterexample is None else len(result.counterexample.transmissions),
            "scenarios": result.scenarios,
        },
    }
    flows = [] if result.counterexample is None else code_flows(result.counterexample, result.violation)
    if flows:
        entry["codeFlows"] = flows
    if prop is not None and prop.source:
        location = {"physicalLocation": {"artifactLocation": {"uri": _artifact_uri(prop.source)}}}
        entry["locations"] = [location]
    return entry


def _descriptors(results: Sequence[Result], props: Mapping[str, Property]) -> list[dict[str, Any]]:
    ids = dict.fromkeys(r.property for r in results)
    return [descriptor(props[i]) if i in props else {"id": i, "shortDescription": {"text": i}} for i in ids]


def _weights(results: Sequence[Result]) -> dict[str, Any]:
    """Explore's cells with the number of random scenarios each ran (a sampled cell has no SARIF result)."""
    cells = [
        {"property": r.property, "rules": r.rules, "verdict": r.verdict, "scenarios": r.scenarios}
        for r in results
        if r.scenarios is not None
    ]
    return {"explored": cells} if cells else {}


def report_sarif(results: Sequence[Result], props: Mapping[str, Property]) -> dict[str, Any]:
    """The whole SARIF log as a JSON-ready mapping."""
    rules = _descriptors(results, props)
    index = {d["id"]: n for n, d in enumerate(rules)}
    tool = tool_block()
    found = [sarif_result(r, props.get(r.property), index[r.property]) for r in results if r.verdict == "refuted"]
    driver = {"name": TOOL_NAME, "version": tool["version"], "semanticVersion": tool["version"], "rules": rules}
    run = {"tool": {"driver": driver}, "results": found, "properties": {"z3": tool["z3"], **_weights(results)}}
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def render_sarif(results: Sequence[Result], props: Mapping[str, Property]) -> str:
    """The SARIF log as indented JSON text."""
    return json.dumps(report_sarif(results, props), indent=2, ensure_ascii=False)

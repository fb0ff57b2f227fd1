"""Reports of ``sipsmodel trace``: text (ladders with the violation marked), JSON, Markdown, SARIF.

JSON: ``{"tool", "inputs", "records", "violations": [{"property", "rules", "record", "frame",
"element", "transmission"}], "undecided": [{"property", "why"}], "leniencies"}`` (docs/trace.md).
Exit codes: 1 a violation, 0 clean, 2 bad input (an unreadable record or a damaged file included).
"""

from __future__ import annotations

import json
from typing import Any

from sipsmodel.props import Property
from sipsmodel.report.sarif import SARIF_SCHEMA, SARIF_VERSION, _artifact_uri, descriptor
from sipsmodel.tool import TOOL_NAME, tool_block
from sipsmodel.trace.check import Violation, Where
from sipsmodel.trace.run import TraceReport

EXIT_CLEAN, EXIT_VIOLATION, EXIT_BAD_INPUT = 0, 1, 2


def exit_code(report: TraceReport) -> int:
    """1 when a property is violated, else 2 when some input could not be read completely, else 0."""
    if report.violations:
        return EXIT_VIOLATION
    return EXIT_BAD_INPUT if report.problems else EXIT_CLEAN


def _where_json(where: Where | None) -> dict[str, Any] | None:
    if where is None:
        return None
    return {
        "index": where.index + 1, "source": where.source, "from": where.sender, "to": where.receiver,
        "src": where.src, "dst": where.dst, "transport": where.transport, "lines": list(where.lines),
    }  # fmt: skip


def violation_json(violation: Violation) -> dict[str, Any]:
    where = violation.where
    return {
        "property": violation.property, "rules": list(violation.rules),
        "record": None if where is None else where.record, "frame": None if where is None else where.frame,
        "element": violation.element, "transmission": _where_json(where),
    }  # fmt: skip


def report_json(report: TraceReport) -> dict[str, Any]:
    """The JSON report as a mapping."""
    return {
        "tool": tool_block(),
        "inputs": [
            {"path": i.path, "format": i.format, "records": i.records, "first_record": i.first_record + 1,
             "stopped": i.stopped,
             "problems": [{"record": p.record, "frame": p.frame, "where": p.where, "why": p.why} for p in i.problems]}
            for i in report.inputs
        ],
        "records": report.records,
        "violations": [violation_json(v) for v in report.violations],
        "undecided": [{"property": prop, "why": why} for prop, why in report.undecided],
        "leniencies": [
            {"record": n.record, "frame": n.frame, "rule": n.rule, "what": n.what, "line": n.line,
             "column": n.column, "why": n.why}
            for n in report.leniencies
        ],
    }  # fmt: skip


def _summary(report: TraceReport) -> str:
    names = ", ".join(f"{i.path} ({i.format})" for i in report.inputs)
    return (f"{names}: {report.records} records, {report.messages} SIP messages, {report.folded} retransmissions "
            f"folded, {report.groups} groups; {len(report.violations)} violations, {len(report.undecided)} "
            "properties undecided")


def render_text(report: TraceReport) -> str:
    """Violations with their ladders, then undecided properties, leniencies and problems."""
    out = [_summary(report), ""]
    for v in report.violations:
        where = v.where
        place = "no transmission identified" if where is None else (
            f"record {where.record}" + (f", frame {where.frame}" if where.frame else "")
            + f" (F{where.index + 1}: {where.sender} -> {where.receiver} over {where.transport})")
        out += [f"VIOLATION {v.property} {v.title}: {place}", f"  element: {v.element}",
                f"  rules: {', '.join(v.rules)}"]
        if where is not None:
            out += [f"  | {line}" for line in where.lines]
        if v.ladder:
            out += ["", v.ladder]
        out.append("")
    for prop, why in report.undecided:
        out.append(f"undecided {prop}: {why}")
    for n in report.leniencies:
        out.append(f"leniency at record {n.record}: {n.rule} {n.what}: {n.why}")
    if report.leniency_count > len(report.leniencies):
        out.append(f"... and {report.leniency_count - len(report.leniencies)} more leniencies")
    for problem in report.problems:
        out.append(f"problem: {problem}")
    for i in report.inputs:
        if i.stopped:
            out.append(f"stopped early: {i.stopped}")
    if not report.violations:
        out.append("no violation of any decided property")
    return "\n".join(out).rstrip() + "\n"


def render_markdown(report: TraceReport) -> str:
    """A Markdown table of violations, then undecided properties and problems."""
    out = ["# sipsmodel trace", "", _summary(report), "", "| property | record | frame | element | transmission |",
           "| --- | --- | --- | --- | --- |"]
    for v in report.violations:
        w = v.where
        line = "" if w is None else f"F{w.index + 1} {w.sender} -> {w.receiver} ({w.transport}): `{w.lines[0]}`"
        record = "" if w is None else str(w.record)
        frame = "" if w is None or w.frame is None else str(w.frame)
        out.append(f"| {v.property} | {record} | {frame} | {v.element} | {line} |")
    if report.undecided:
        out += ["", "## Undecided", ""] + [f"- **{p}**: {why}" for p, why in report.undecided]
    if report.problems:
        out += ["", "## Problems", ""] + [f"- {p}" for p in report.problems]
    return "\n".join(out) + "\n"


def _sarif_result(v: Violation, index: int) -> dict[str, Any]:
    w = v.where
    text = f"{v.property} {v.title} is violated by {v.element}"
    entry: dict[str, Any] = {"ruleId": v.property, "ruleIndex": index, "kind": "fail", "level": "error",
                             "message": {"text": text}, "properties": {"rules": list(v.rules), "element": v.element}}
    if w is not None:
        entry["message"]["text"] += f" at record {w.record} (F{w.index + 1}: {w.lines[0] if w.lines else ''})"
        location: dict[str, Any] = {"physicalLocation": {"artifactLocation": {"uri": _artifact_uri(w.source)}},
                                    "logicalLocations": [{"name": f"record {w.record}", "kind": "record"}]}
        entry["locations"] = [location]
        entry["properties"].update({"record": w.record, "frame": w.frame})
    return entry


def report_sarif(report: TraceReport, props: list[Property]) -> dict[str, Any]:
    """SARIF 2.1.0: one rule per property, one result per violation pointing at the trace file and record."""
    rules = [descriptor(p) for p in props]
    index = {p.id: n for n, p in enumerate(props)}
    tool = tool_block()
    driver = {"name": TOOL_NAME, "version": tool["version"], "semanticVersion": tool["version"], "rules": rules}
    results = [_sarif_result(v, index[v.property]) for v in report.violations]
    artifacts = [{"location": {"uri": _artifact_uri(i.path)}} for i in report.inputs]
    run = {"tool": {"driver": driver}, "artifacts": artifacts, "results": results}
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def render(report: TraceReport, fmt: str) -> str:
    """The report in ``fmt`` (text, json, markdown, sarif)."""
    if fmt == "json":
        return json.dumps(report_json(report), indent=2, ensure_ascii=False) + "\n"
    if fmt == "sarif":
        return json.dumps(report_sarif(report, report.properties), indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        return render_markdown(report)
    return render_text(report)

"""Reports of ``sipsmodel ambiguities`` and ``diff``: findings with their witness pairs side by side.

Text and Markdown put the two ladders in two columns (the failing flow left, the holding flow right),
the first transmission where they differ marked ``<== differs`` and the violation ``<== violation``.
JSON follows issue 9: ``{"tool", "findings": [...], "coverage": {...}}``, each flow in the shape of
``simulate --format json`` plus ``holds`` and ``violation``.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping, Sequence
from typing import Any

from sipsmodel.decide.ambiguities import NOT_EXPRESSIBLE, coverage_reasons
from sipsmodel.decide.diff import PermissionChange, VerdictChange
from sipsmodel.decide.finding import Finding
from sipsmodel.decide.witness import Flow, WitnessPair
from sipsmodel.render import render_json, render_ladder
from sipsmodel.render.why import decision_text
from sipsmodel.tool import tool_block

DIFFERS = "<== differs"
VIOLATION = "<== violation"


def flow_json(flow: Flow, differing: int | None) -> dict[str, Any]:
    """A flow as ``simulate --format json`` shows it, plus the property's verdict on it."""
    return {**render_json(flow.trace), "rules": flow.rules, "holds": flow.holds, "violation": flow.violation,
            "differing": differing}


def finding_json(finding: Finding) -> dict[str, Any]:
    """One finding in the JSON shape of issue 9."""
    pair = finding.witness
    return {
        "rule_set": finding.rule_set,
        "kind": finding.kind,
        "f_item": finding.f_item,
        "choice_point": finding.choice_point,
        "element": pair.choice.element if pair else None,
        "state": finding.state,
        "options": finding.options,
        "properties": finding.properties,
        "verdicts": finding.verdicts,
        "flips": finding.flips,
        "vacuous": finding.vacuous,
        "rules": finding.rules,
        "search": finding.search,
        "witness": None if pair is None else [flow_json(pair.failing, pair.differing),
                                              flow_json(pair.holding, pair.differing)],
    }


def render_json_report(findings: Sequence[Finding], coverage: Mapping[str, str]) -> str:
    reasons = {item: NOT_EXPRESSIBLE[item] for item, status in coverage.items() if item in NOT_EXPRESSIBLE}
    return json.dumps({"tool": tool_block(), "findings": [finding_json(f) for f in findings],
                       "coverage": dict(coverage), "coverage_reasons": coverage_reasons(findings),
                       "not_expressible": reasons}, indent=2, ensure_ascii=False) + "\n"


def _marked_ladder(flow: Flow, differing: int | None) -> list[str]:
    lines = render_ladder(flow.trace).splitlines()
    marks = {differing: DIFFERS} if differing is not None else {}
    if flow.violation is not None:
        marks[flow.violation] = f"{marks[flow.violation]} {VIOLATION}" if flow.violation in marks else VIOLATION
    out: list[str] = []
    pending = ""
    for line in lines:
        if pending and "-" in line:
            line, pending = f"{line}   {pending}", ""
        head = line.split(" ", 1)[0]
        if head.startswith("F") and head[1:].isdigit() and int(head[1:]) - 1 in marks:
            pending = marks[int(head[1:]) - 1]
        out.append(line)
    return out


def side_by_side(pair: WitnessPair) -> str:
    """The failing and the holding ladder in two columns, then the decision where they part in each."""
    left = _marked_ladder(pair.failing, pair.differing)
    right = _marked_ladder(pair.holding, pair.differing)
    width = max(len(line) for line in left) + 2
    head = [f"{'fails: ' + pair.failing.rules:<{width}}| holds: {pair.holding.rules}", f"{'-' * width}+{'-' * width}"]
    rows = [f"{a:<{width}}| {b}" for a, b in zip(left + [""] * (len(right) - len(left)),
                                                right + [""] * (len(left) - len(right)), strict=True)]
    why = ["", "where the flows part (the simulator's evaluation at that visit, docs/why.md):",
           f"  fails: {decision_text(pair.choice)}", f"  holds: {decision_text(pair.alternative)}"]
    return "\n".join(head + rows + why)


def _state_text(state: Mapping[str, object]) -> str:
    return ", ".join(f"{k}={v}" for k, v in state.items()) or "(see the witness)"


def _flips_text(finding: Finding) -> str:
    flips = finding.flips
    if finding.vacuous:
        return ("no: vacuous, the holding flow never reaches the violating point (the choice cuts the flow "
                "short), whatever the verdicts below")
    if flips is None:
        return "not queried (a transport choice, or a built-in flow: see search)"
    return "yes: a verdict changes within the bound" if flips else "no: the choice decides this flow only"


def finding_text(finding: Finding) -> list[str]:
    pair = finding.witness
    item = finding.f_item or "NEW (not in SIPS-RULES.md section F)"
    lines = [f"{item}: {finding.rule_set}, choice point {finding.choice_point}"
             + (f" at {pair.choice.element}" if pair else ""),
             f"  options:    {'  versus  '.join(finding.options)}",
             f"  state:      {_state_text(finding.state)}",
             f"  properties: {', '.join(finding.properties)}",
             f"  search:     {finding.search}",
             f"  flips:      {_flips_text(finding)}"]
    for prop, verdicts in finding.verdicts.items():
        lines.append(f"  verdicts:   {prop}: " + "; ".join(f"{k} {v}" for k, v in verdicts.items()))
    if pair is None:
        lines.append("  witness:    none found (the verdicts differ, but no replayed pair shows it)")
        return lines
    where = "none: the flows differ only in state" if pair.differing is None else f"F{pair.differing + 1}"
    lines.append(f"  witness:    scenario {pair.scenario}, property {pair.property}; first differing "
                 f"transmission {where}; {pair.other_differences} later choice(s) differ as a consequence")
    lines += ["", side_by_side(pair)]
    return lines


def render_text_report(findings: Sequence[Finding], coverage: Mapping[str, str]) -> str:
    blocks = ["\n".join(finding_text(f)) for f in findings]
    counts = {v: sum(1 for c in coverage.values() if c == v) for v in dict.fromkeys(coverage.values())}
    new = sum(1 for f in findings if f.f_item is None)
    tail = (f"{len(findings)} findings ({new} new, not in section F); section F coverage: "
            + ", ".join(f"{n} {v}" for v, n in counts.items()))
    reasons = coverage_reasons(findings)
    cover = "\n".join(f"  {k:<5} {v:<22} {reasons[k]}" for k, v in coverage.items())
    return ("\n\n" + "=" * 72 + "\n").join(blocks) + f"\n\n{tail}\n{cover}\n"


def render_markdown_report(findings: Sequence[Finding], coverage: Mapping[str, str]) -> str:
    out = ["# Ambiguities", ""]
    for f in findings:
        text = finding_text(f)
        details = [line for line in text[1:] if line.startswith("  ") and not line.startswith("   ")]
        out += [f"## {text[0]}", "", *[f"- {line.strip()}" for line in details], ""]
        if f.witness is not None:
            out += ["```text", side_by_side(f.witness), "```", ""]
    reasons = coverage_reasons(findings)
    out += ["## Coverage of section F", "", "| item | status | why |", "|---|---|---|"]
    out += [f"| {k} | {v} | {reasons[k]} |" for k, v in coverage.items()]
    return "\n".join(out) + "\n"


def render_html_report(findings: Sequence[Finding], coverage: Mapping[str, str]) -> str:
    body = html.escape(render_text_report(findings, coverage))
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>sipsmodel ambiguities</title></head>"
            f"<body><h1>Ambiguities</h1><pre>{body}</pre></body></html>\n")


RENDERERS = {"text": render_text_report, "json": render_json_report, "markdown": render_markdown_report,
             "html": render_html_report}


def render_diff(changes: Sequence[VerdictChange], permissions: Sequence[PermissionChange], fmt: str) -> str:
    """The diff report: verdict changes with witness pairs, then permission changes."""
    if fmt == "json":
        data = {"tool": tool_block(),
                "verdicts": [{"property": c.property, "verdicts": c.verdicts,
                              "witness": None if c.witness is None else [
                                  flow_json(c.witness.failing, c.witness.differing),
                                  flow_json(c.witness.holding, c.witness.differing)]} for c in changes],
                "choice_points": [{"choice_point": p.choice_point, "allowed_by": p.allowed_by,
                                   "forbidden_by": p.forbidden_by, "state": p.state, "option": p.option,
                                   "rules": list(p.rules)} for p in permissions]}
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    lines = [f"{len(changes)} properties change verdict"]
    for c in changes:
        lines += ["", "=" * 72, f"{c.property}: " + ", ".join(f"{k} {v}" for k, v in c.verdicts.items())]
        if c.witness is None:
            lines.append("  witness: none found (the verdicts differ, but no replayed pair shows it)")
        else:
            lines += [f"  witness: scenario {c.witness.scenario}; first choice that differs: "
                      f"{c.witness.choice.element}/{c.witness.choice.choice_point}", "", side_by_side(c.witness)]
    lines += ["", "=" * 72, f"{len(permissions)} choice points where one set allows what the other forbids"]
    for p in permissions:
        lines.append(f"  {p.choice_point}: {p.allowed_by} allows, {p.forbidden_by} forbids ({', '.join(p.rules)})")
        lines.append(f"      state:  {_state_text(p.state)}")
        lines.append(f"      option: {_state_text(p.option)}")
    text = "\n".join(lines) + "\n"
    if fmt == "markdown":
        return f"# Diff\n\n```text\n{text}```\n"
    if fmt == "html":
        return f"<!DOCTYPE html>\n<html><body><h1>Diff</h1><pre>{html.escape(text)}</pre></body></html>\n"
    return text

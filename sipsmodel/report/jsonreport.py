"""The JSON report: ``{"tool": {...}, "results": [...]}`` (issue 4, item 3), one entry per cell."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sipsmodel.render import transmissions_json
from sipsmodel.render.jsonview import elements_json
from sipsmodel.report.core import all_cores, core_readings_json, core_rules_json
from sipsmodel.tool import tool_block
from sipsmodel.verdict import Result


def counterexample_json(result: Result) -> dict[str, Any] | None:
    """``{"elements": [...], "transmissions": [...], "violation": index}`` for a refuted cell with a trace.

    Each transmission carries the ``decisions`` taken there (docs/why.md).
    """
    if result.counterexample is None:
        return None
    items = transmissions_json(result.counterexample)
    return {"elements": elements_json(result.counterexample), "transmissions": items, "violation": result.violation}


def result_json(result: Result) -> dict[str, Any]:
    """One cell as a JSON object."""
    return {
        "property": result.property,
        "rules": result.rules,
        "verdict": result.verdict,
        "scope": result.scope,
        "bound": result.bound,
        "rules_used": list(result.rules_used),
        "readings": list(result.readings),
        "cores": [list(c) for c in all_cores(result)] if result.verdict == "proved" else [],
        "cores_complete": result.details.get("cores_complete") if result.verdict == "proved" else None,
        "core_rules": core_rules_json(result) if result.verdict == "proved" else [],
        "core_readings": core_readings_json(result) if result.verdict == "proved" else [],
        "expected": result.expected,
        "counterexample": counterexample_json(result),
        "seconds": round(result.seconds, 3),
        "should": result.should,
        "malicious": result.malicious,
        "seed": result.seed,
        "reason": result.reason,
        "family": result.details.get("family"),
        "scenarios": result.scenarios,
        **({"by_reading": result.details["by_reading"]} if "by_reading" in result.details else {}),
    }


def report_json(results: Sequence[Result]) -> dict[str, Any]:
    """The whole report as a JSON-ready mapping."""
    return {"tool": tool_block(), "results": [result_json(r) for r in results]}


def render_json(results: Sequence[Result]) -> str:
    """The whole report as indented JSON text."""
    return json.dumps(report_json(results), indent=2, ensure_ascii=False)

"""One entry point for the formats of ``decide``: text, json, markdown, html; and its exit code."""

from __future__ import annotations

import json

from sipsmodel.report.decide_view import DecideView

DECIDE_FORMATS = ("text", "json", "markdown", "html")
EXIT_OK, EXIT_MISMATCH, EXIT_UNKNOWN = 0, 1, 3


def render_decide(fmt: str, view: DecideView) -> str:
    """The report in format ``fmt``."""
    if fmt == "text":
        from sipsmodel.report.decide_text import render_decide_text

        return render_decide_text(view)
    if fmt == "json":
        return json.dumps(view.to_json(), indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        from sipsmodel.report.decide_markdown import render_decide_markdown

        return render_decide_markdown(view)
    if fmt == "html":
        from sipsmodel.report.decide_html import render_decide_html

        return render_decide_html(view)
    raise ValueError(f"unknown decide format {fmt!r}; expected one of {DECIDE_FORMATS}")


def decide_exit_code(view: DecideView) -> int:
    """1 when the trial-balloon section differs from its expectations, else 3 when z3 gave up somewhere, else 0."""
    if view.mismatches:
        return EXIT_MISMATCH
    report = view.report
    # a list of minimal sets cut at --limit says so in the report; it is not z3 giving up
    unknown = any(p.base_verdict == "unknown" or (not p.complete and not p.reason.startswith("stopped at the limit"))
                  for p in report.properties)
    unknown = unknown or any(c.track == "unknown" for c in report.changes)
    unknown = unknown or any(r.answer.startswith("unknown") for r in view.rows)
    return EXIT_UNKNOWN if unknown else EXIT_OK

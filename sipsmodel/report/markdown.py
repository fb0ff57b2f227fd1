"""The Markdown report: the verdict table, then sections for counterexamples, proofs and the rest."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sipsmodel.report import ladder
from sipsmodel.report.core import core_rule_lines
from sipsmodel.report.explain import chosen, heading, rests_on_lines
from sipsmodel.report.grid import grid, summary
from sipsmodel.report.table import table_rows
from sipsmodel.report.text import families
from sipsmodel.verdict import Result


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown_table(results: Sequence[Result], titles: Mapping[str, str]) -> str:
    """A pipe table: properties by rule sets, mismatches marked ``≠ expected ...``."""
    rows = table_rows(grid(results), titles, full_titles=True)
    lines = ["| " + " | ".join(_cell(t) for t in row) + " |" for row in rows]
    lines.insert(1, "|" + "|".join(" --- " for _ in rows[0]) + "|")
    return "\n".join(lines)


def _section(result: Result, titles: Mapping[str, str], why: bool = True, every: bool = False) -> str:
    lines = [f"### {heading(result, titles)}", ""]
    if result.verdict == "proved":
        told = rests_on_lines(result, "`")
        lines += [told[0].replace("rests on", "Rests on", 1) + ("." if len(told) == 1 else ""), *told[1:]]
        lines += ["", "```text", *core_rule_lines(result), "```"] if every and core_rule_lines(result) else []
    elif result.reason:
        lines.append(result.reason)
    if result.counterexample is not None:
        if result.violation is not None:
            lines += [f"The violating transmission is F{result.violation + 1}.", ""]
        lines += ["```text", ladder.ladder_text(result.counterexample, result.violation, why), "```"]
    return "\n".join(lines)


_GROUPS = (
    ("refuted", "Counterexamples"),
    ("proved", "Proofs"),
    ("unknown", "Unknown"),
    ("sampled", "Sampled"),
    ("trace-only", "Trace-only"),
)


def render_markdown(results: Sequence[Result], titles: Mapping[str, str], every: bool = False,
                    only_summary: bool = False, why: bool = True) -> str:
    """The whole report as Markdown (``only_summary``: the table, the counts and the families; ``why``:
    the decisions under each hop of a counterexample)."""
    parts = ["# sipsmodel verdicts", "", markdown_table(results, titles), "", summary(results) + "."]
    parts += ["", *(f"- {line}" for line in families(results))]
    cells = [] if only_summary else chosen(results, every)
    for verdict, name in _GROUPS:
        group = [r for r in cells if r.verdict == verdict]
        if group:
            parts += ["", f"## {name}", ""] + ["\n" + _section(r, titles, why, every) for r in group]
    return "\n".join(parts) + "\n"

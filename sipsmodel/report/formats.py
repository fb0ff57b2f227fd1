"""One entry point for every report format: text, json, markdown, sarif."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TextIO

from sipsmodel.props import Property
from sipsmodel.report.jsonreport import render_json
from sipsmodel.report.markdown import render_markdown
from sipsmodel.report.sarif import render_sarif
from sipsmodel.report.text import render_text, write_text
from sipsmodel.verdict import Result

FORMATS = ("text", "json", "markdown", "sarif")


def render_report(fmt: str, results: Sequence[Result], props: Mapping[str, Property], every: bool = False,
                  only_summary: bool = False, why: bool = True) -> str:
    """The report in format ``fmt`` as plain text (``every``: a section for every cell; ``only_summary``:
    the table, the counts and the families only, for text and markdown; ``why``: the decisions under
    each hop of a counterexample ladder, text and markdown; JSON and SARIF always carry them)."""
    titles = {i: p.title for i, p in props.items()}
    if fmt == "text":
        return render_text(results, titles, every, only_summary, why)
    if fmt == "json":
        return render_json(results) + "\n"
    if fmt == "markdown":
        return render_markdown(results, titles, every, only_summary, why)
    if fmt == "sarif":
        return render_sarif(results, props) + "\n"
    raise ValueError(f"unknown report format {fmt!r}; expected one of {FORMATS}")


def write_report(
    fmt: str, results: Sequence[Result], props: Mapping[str, Property], stream: TextIO, every: bool = False,
    only_summary: bool = False, why: bool = True,
) -> None:
    """Write the report to ``stream`` (text uses a rich table when ``stream`` is a terminal)."""
    if fmt == "text":
        write_text(results, {i: p.title for i, p in props.items()}, stream, every, only_summary, why)
    else:
        stream.write(render_report(fmt, results, props, every, only_summary, why))

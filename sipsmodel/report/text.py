"""The text report: the verdict table, a summary line, then one section per explained cell."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TextIO

from sipsmodel.report.explain import sections
from sipsmodel.report.grid import grid, summary
from sipsmodel.report.table import plain_table, rich_table
from sipsmodel.verdict import Result

RULE = "=" * 72


def families(results: Sequence[Result]) -> list[str]:
    """What the bounded proofs cover, once per distinct scenario family (never left implicit)."""
    seen: dict[str, None] = {}
    for result in results:
        family = result.details.get("family")
        if result.verdict == "proved" and result.scope == "bounded" and isinstance(family, str):
            seen.setdefault(family, None)
    return [f"proved (k<=N) covers: {family}" for family in seen]


def by_reading(results: Sequence[Result]) -> list[str]:
    """``--all-readings``: each cell whose verdict some reading changes, with the verdict under each."""
    lines = []
    for result in results:
        verdicts = result.details.get("by_reading")
        if not isinstance(verdicts, dict):
            continue
        items: dict[str, list[str]] = {}
        for reading, verdict in verdicts.items():
            items.setdefault(reading.split("/")[0], []).append(f"{reading} {verdict}")
        for texts in items.values():
            if len({t.split(" ", 1)[1] for t in texts}) > 1:
                lines.append(f"{result.property} under {result.rules}: " + "; ".join(texts))
    if any("by_reading" in r.details for r in results):
        head = "verdicts under each reading (only cells where a reading changes the verdict):"
        return [head, *(f"  {line}" for line in lines or ["(none)"])]
    return []


def _counts(results: Sequence[Result]) -> str:
    scope = "".join(f"{line}\n" for line in families(results) + by_reading(results))
    return f"\n{summary(results)}\n{scope}"


def _sections(results: Sequence[Result], titles: Mapping[str, str], every: bool, why: bool = True) -> str:
    return "".join(f"\n{RULE}\n{part}\n" for part in sections(results, titles, every, why))


def render_text(results: Sequence[Result], titles: Mapping[str, str], every: bool = False,
                only_summary: bool = False, why: bool = True) -> str:
    """The whole report as plain text (no colour, no box characters); ``only_summary``: no sections;
    ``why``: the decisions under each hop of a counterexample."""
    body = "" if only_summary else _sections(results, titles, every, why)
    return plain_table(grid(results), titles) + "\n" + _counts(results) + body


def write_text(
    results: Sequence[Result], titles: Mapping[str, str], stream: TextIO, every: bool = False,
    only_summary: bool = False, why: bool = True,
) -> None:  # fmt: skip
    """Write the report to ``stream``: a rich table on a terminal, plain text otherwise.

    On a terminal the table and counts are printed again after long sections, so the answer is on screen.
    """
    if not stream.isatty():
        stream.write(render_text(results, titles, every, only_summary, why))
        return
    from rich.console import Console

    console = Console(file=stream, highlight=False)
    console.print(rich_table(grid(results), titles))
    console.print(_counts(results), markup=False, highlight=False)
    body = "" if only_summary else _sections(results, titles, every, why)
    if body:
        console.print(body, markup=False, highlight=False)
        console.print(f"{RULE}\nThe table again:\n")
        console.print(rich_table(grid(results), titles))
        console.print(_counts(results), markup=False, highlight=False)

"""The verdict table as plain text (files, pipes, tests) or as a rich table (a terminal)."""

from __future__ import annotations

from collections.abc import Mapping

from sipsmodel.report.grid import Grid

TITLE_WIDTH = 34


def _title(titles: Mapping[str, str], prop: str, full: bool = False) -> str:
    title = titles.get(prop, "")
    return title if full or len(title) <= TITLE_WIDTH else title[: TITLE_WIDTH - 1] + "…"


def table_rows(cells: Grid, titles: Mapping[str, str], full_titles: bool = False) -> list[list[str]]:
    """Header row plus one row per property: ID, title (cut to a column unless ``full_titles``), verdicts."""
    header = ["property", "title", *cells.rule_sets]
    rows = [[p, _title(titles, p, full_titles), *(cells.text(p, s) for s in cells.rule_sets)]
            for p in cells.properties]
    return [header, *rows]


def plain_table(cells: Grid, titles: Mapping[str, str]) -> str:
    """Columns padded with spaces, a rule under the header; no colour, no box characters."""
    rows = table_rows(cells, titles)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(text.ljust(w) for text, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def rich_table(cells: Grid, titles: Mapping[str, str]) -> object:
    """The same table as a ``rich.table.Table`` (mismatches in red, proofs in green)."""
    from rich.table import Table

    rows = table_rows(cells, titles)
    table = Table(*rows[0], show_lines=False, header_style="bold")
    for row in rows[1:]:
        table.add_row(*row[:2], *(_style(text) for text in row[2:]))
    return table


_COLOURS = (("≠", "red"), ("unknown", "yellow"), ("sampled", "yellow"), ("proved", "green"), ("refuted", "magenta"))


def _style(text: str) -> str:
    from rich.markup import escape

    colour = next((c for key, c in _COLOURS if key in text), "dim")
    return f"[{colour}]{escape(text)}[/{colour}]"

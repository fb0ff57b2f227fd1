"""``sipsmodel diff --rules A --rules B``: verdicts and permissions that differ, with witnesses (issue 9)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sipsmodel.cli import reports_errors
from sipsmodel.defaults import DEFAULT_BOUND
from sipsmodel.errors import ScenarioError


@click.command("diff")
@click.option("--rules", "rules", multiple=True, metavar="NAME[+F-N=X...]",
              help="Exactly twice: a preset or .toml file, optionally with readings (rfc5630+F-12=b).")
@click.option("--property", "props", multiple=True, metavar="ID", help="A property ID such as I-13 (repeatable).")
@click.option("--properties", "directory", type=click.Path(path_type=Path), help="A folder of property files.")
@click.option("--bound", type=click.IntRange(1), default=DEFAULT_BOUND, show_default=True,
              help="Bound k of the queries.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown", "html"]), default="text",
              show_default=True)
@reports_errors
def diff_command(rules: tuple[str, ...], props: tuple[str, ...], directory: Path | None, bound: int, fmt: str) -> None:
    """Every property whose verdict differs between two rule sets, and the choices one allows and the other not."""
    from sipsmodel.decide.diff import check_distinct, permission_changes, verdict_changes
    from sipsmodel.report.ambiguities import render_diff
    from sipsmodel.rules.sets import load_rule_set_spec
    from sipsmodel.selection import select_properties

    if len(rules) != 2:
        raise ScenarioError(f"diff takes --rules exactly twice (got {len(rules)}): --rules rfc3261 --rules rfc5630")
    a, b = (load_rule_set_spec(r) for r in rules)
    check_distinct(a, b)
    chosen = select_properties(props, directory)
    sys.stdout.write(render_diff(verdict_changes(a, b, chosen, bound), permission_changes(a, b), fmt))

"""``sipsmodel ambiguities``: choices and readings that flip a property, with witness pairs (issue 9)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sipsmodel.cli import reports_errors
from sipsmodel.defaults import DEFAULT_BOUND


@click.command("ambiguities")
@click.option("--rules", "rules", multiple=True, metavar="NAME|FILE", help="A preset or a rule-set .toml (repeatable).")
@click.option("--property", "props", multiple=True, metavar="ID", help="A property ID such as I-13 (repeatable).")
@click.option("--properties", "directory", type=click.Path(path_type=Path), help="A folder of property files.")
@click.option("--reading", "readings", multiple=True, metavar="F-N=X", help="Take reading X of F-N (repeatable).")
@click.option("--bound", type=click.IntRange(1), default=DEFAULT_BOUND, show_default=True,
              help="Bound k of the queries.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown", "html"]), default="text",
              show_default=True)
@click.option("--jobs", type=click.IntRange(1), default=None, metavar="N",
              help="Rule sets searched at once on N processes (the same findings whatever N)  "
                   "[default: the number of CPUs]")
@reports_errors
def ambiguities_command(rules: tuple[str, ...], props: tuple[str, ...], directory: Path | None,
                        readings: tuple[str, ...], bound: int, fmt: str, jobs: int | None) -> None:
    """Where the rule set leaves a choice open and the choice flips a property: witness pairs side by side."""
    from sipsmodel.decide.ambiguities import coverage, find_ambiguities
    from sipsmodel.jobs import Runner, cpu_count
    from sipsmodel.report.ambiguities import RENDERERS
    from sipsmodel.report.ambiguities_run import worker_map
    from sipsmodel.report.progress import progress_bar
    from sipsmodel.rules.readings import AMBIGUITIES
    from sipsmodel.rules.sets import with_reading_options
    from sipsmodel.selection import select_properties, select_rule_sets

    chosen = select_properties(props, directory)
    sets = [with_reading_options(s, list(readings)) for s in select_rule_sets(rules)]
    with progress_bar(len(sets) * (len(AMBIGUITIES) + len(chosen)), "ambiguities") as tick:
        mapper = worker_map(Runner(cpu_count() if jobs is None else jobs))
        findings = find_ambiguities(sets, chosen, bound, tick, mapper)
    sys.stdout.write(RENDERERS[fmt](findings, coverage(findings)))

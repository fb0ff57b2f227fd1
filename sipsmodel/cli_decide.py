"""``sipsmodel decide``: the working group's three questions per property (issue 8); thin over sipsmodel.decide."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sipsmodel.cli import reports_errors
from sipsmodel.defaults import DEFAULT_BOUND, DEFAULT_CORE_LIMIT, DEFAULT_SEED, DEFAULT_TIMEOUT, RLIMIT

#: The report formats (``sipsmodel.report.decide_formats.DECIDE_FORMATS``, restated so that the CLI loads fast).
DECIDE_FORMATS = ("text", "json", "markdown", "html")


@click.command("decide")
@click.option("--property", "props", multiple=True, metavar="ID", help="A property ID such as I-1 (repeatable).")
@click.option("--properties", "directory", type=click.Path(path_type=Path), help="A folder of property files.")
@click.option("--base", default="rfc3261", show_default=True, metavar="NAME|FILE", help="The base rule set.")
@click.option("--candidates", multiple=True, metavar="NAMES|FILE",
              help="Presets whose changes are candidates (comma list), or a .toml with add/remove lists "
                   "[default: draft-04,dean-bcp,rfc5630].")
@click.option("--bound", type=click.IntRange(1), default=DEFAULT_BOUND, show_default=True,
              help="Bound k of the bounded proofs.")
@click.option("--should", type=click.Choice(["binding", "optional"]), default="binding", show_default=True,
              help="SHOULD binding or optional.")
@click.option("--format", "fmt", type=click.Choice(DECIDE_FORMATS), default="text", show_default=True)
@click.option("--jobs", type=click.IntRange(1), default=None, metavar="N",
              help="Worker processes (the same report whatever N)  [default: the number of CPUs]")
@click.option("--scheduler", metavar="ADDRESS", help="Run the --jobs shares on this Dask scheduler (extra: dask).")
@click.option("--limit", type=click.IntRange(1), default=DEFAULT_CORE_LIMIT, show_default=True,
              help="At most this many minimal sets per property (the report says when it stopped).")
@click.option("--timeout", type=click.FloatRange(0, min_open=True), default=DEFAULT_TIMEOUT, show_default=True,
              help="Seconds.")
@click.option("--rlimit", type=click.IntRange(0), default=None, metavar="N",
              help=f"Z3 resource units per check (deterministic; 0: none)  [default: {RLIMIT}]")
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True, help="Solver seed.")
@reports_errors
def decide_command(
    props: tuple[str, ...], directory: Path | None, base: str, candidates: tuple[str, ...], bound: int, should: str,
    fmt: str, jobs: int | None, scheduler: str | None, limit: int, timeout: float, rlimit: int | None, seed: int,
) -> None:  # fmt: skip
    """Per property: the base verdict, every minimal set of changes that proves it, BCP or standards track.

    Exit 0 when every answer is definite, 1 when the trial-balloon section differs from its expectations
    (properties/decide/trial-balloon.toml), 3 when z3 gave up somewhere, 2 on bad input or a disagreement.
    """
    from sipsmodel.decide.jobs import DecideOptions
    from sipsmodel.jobs import Runner, cpu_count
    from sipsmodel.report.check import CheckOptions
    from sipsmodel.report.decide_formats import decide_exit_code, render_decide
    from sipsmodel.report.decide_run import run_decide
    from sipsmodel.report.decide_view import complete_report
    from sipsmodel.selection import select_properties

    options = DecideOptions(props, directory, base, candidates, bound, should, timeout, seed,
                            RLIMIT if rlimit is None else rlimit, limit)
    width = cpu_count() if jobs is None else jobs
    report = run_decide(options, Runner(width, scheduler))
    cells = CheckOptions((), props, directory, bound, should, False, timeout, seed, width, options.rlimit,
                         scheduler=scheduler)
    view = complete_report(report, select_properties(props, directory), cells)
    click.echo(render_decide(fmt, view), nl=False)
    sys.exit(decide_exit_code(view))

"""``sipsmodel decide``: the working group's three questions per property (issue 8); thin over sipsmodel.decide."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from sipsmodel.cli import reports_errors

DECIDE_FORMATS = ("text", "json")
EXIT_UNKNOWN = 3


def process_map(jobs: int) -> Callable[[Callable[[Any], Any], Sequence[Any]], list[Any]]:
    """A map over ``jobs`` worker processes (results in job order); serial for one."""
    from sipsmodel.decide.jobs import serial_map

    if jobs <= 1:
        return serial_map

    def mapper(function: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
        import multiprocessing

        if len(items) <= 1:
            return serial_map(function, items)
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        with multiprocessing.get_context(method).Pool(processes=min(jobs, len(items))) as pool:
            return list(pool.map(function, items, chunksize=1))

    return mapper


def _has_unknown(report: Any) -> bool:
    """z3 gave up somewhere (a list of minimal sets cut at ``--limit`` is said in the report, not an unknown)."""
    return any(p.base_verdict == "unknown" or (not p.complete and not p.reason.startswith("stopped at the limit"))
               for p in report.properties) or any(c.track == "unknown" for c in report.changes)


@click.command("decide")
@click.option("--property", "props", multiple=True, metavar="ID", help="A property ID such as I-1 (repeatable).")
@click.option("--properties", "directory", type=click.Path(path_type=Path), help="A folder of property files.")
@click.option("--base", default="rfc3261", show_default=True, metavar="NAME|FILE", help="The base rule set.")
@click.option("--candidates", multiple=True, metavar="NAMES|FILE",
              help="Presets whose changes are candidates (comma list), or a .toml with add/remove lists "
                   "[default: draft-04,dean-bcp,rfc5630].")
@click.option("--bound", type=click.IntRange(1), default=3, show_default=True, help="Bound k of the bounded proofs.")
@click.option("--should", type=click.Choice(["binding", "optional"]), default="binding", show_default=True,
              help="SHOULD binding or optional.")
@click.option("--format", "fmt", type=click.Choice(DECIDE_FORMATS), default="text", show_default=True)
@click.option("--jobs", type=click.IntRange(1), default=1, show_default=True, help="Worker processes.")
@click.option("--limit", type=click.IntRange(1), default=16, show_default=True,
              help="At most this many minimal sets per property (the report says when it stopped).")
@click.option("--timeout", type=click.FloatRange(0, min_open=True), default=20.0, show_default=True, help="Seconds.")
@click.option("--rlimit", type=click.IntRange(0), default=None, metavar="N",
              help="Z3 resource units per check (deterministic; 0: none)  [default: 60000000]")
@click.option("--seed", type=int, default=0, show_default=True, help="Solver seed.")
@reports_errors
def decide_command(
    props: tuple[str, ...], directory: Path | None, base: str, candidates: tuple[str, ...], bound: int, should: str,
    fmt: str, jobs: int, limit: int, timeout: float, rlimit: int | None, seed: int,
) -> None:  # fmt: skip
    """Per property: the base verdict, every minimal set of changes that proves it, BCP or standards track.

    Exit 0 when every answer is definite, 3 when z3 gave up somewhere, 2 on bad input or a disagreement.
    """
    import json

    from sipsmodel.decide.jobs import RLIMIT, DecideOptions, run_decide
    from sipsmodel.decide.report import decide_text

    options = DecideOptions(props, directory, base, candidates, bound, should, timeout, seed,
                            RLIMIT if rlimit is None else rlimit, limit)
    report = run_decide(options, process_map(jobs))
    if fmt == "json":
        click.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        click.echo(decide_text(report), nl=False)
    sys.exit(EXIT_UNKNOWN if _has_unknown(report) else 0)

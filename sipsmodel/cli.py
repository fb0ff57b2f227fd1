"""The ``sipsmodel`` command: thin wrappers that parse options, call the library and print.

Exit codes (DESIGN.md): 0 every expectation met, 1 a property refuted against expectation,
2 error (bad input, model disagreement), 3 a result is UNKNOWN.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from sipsmodel import __version__
from sipsmodel.defaults import (
    DEFAULT_BOUND,
    DEFAULT_BUDGET,
    DEFAULT_EXAMPLES,
    DEFAULT_MAX_ELEMENTS,
    DEFAULT_SEED,
    DEFAULT_TIMEOUT,
    RLIMIT,
)
from sipsmodel.errors import ModelDisagreement, SipsModelError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_ERROR = 2
REPORT_FORMATS: tuple[str, ...] = ("text", "json", "markdown", "sarif")
WHY_HELP = "Show (or hide) under each hop of a ladder the decisions taken there and the rules behind them."


def _dist_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def _version_text() -> str:
    return (
        f"sipsmodel {__version__}\n"
        f"lark {_dist_version('lark')}\n"
        f"z3-solver {_dist_version('z3-solver')}"
    )


def _print_version(ctx: click.Context) -> None:
    """Print the versions and exit (computed only when asked: importlib.metadata is slow to import)."""
    click.echo(_version_text())
    ctx.exit()


def reports_errors(func: F) -> F:
    """Turn sipsmodel's own errors into a message on stderr and exit code 2 (never a traceback)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ModelDisagreement as exc:
            click.echo(f"sipsmodel: INTERNAL DISAGREEMENT (a bug in sipsmodel): {exc}", err=True)
            sys.exit(EXIT_ERROR)
        except SipsModelError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_ERROR)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=lambda ctx, _param, value: _print_version(ctx) if value else None,
    help="Show the sipsmodel, Lark and Z3 versions and exit.",
)
def cli() -> None:
    """sipsmodel: model and check the use of the SIPS URI scheme in SIP."""


@cli.command("rules")
@click.option("--set", "set_name", metavar="NAME",
              help="A preset (rfc3261, draft-04, dean-bcp, rfc5630) or a .toml, optionally +F-N=X (a reading).")
@click.option("--should", type=click.Choice(["binding", "optional"]), default=None, help="SHOULD binding or optional.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@reports_errors
def rules_command(set_name: str | None, should: str | None, fmt: str) -> None:
    """List the rule sets, or the rules of one set (SIPS-RULES.md section A)."""
    import json

    from sipsmodel.rules import describe
    from sipsmodel.rules.sets import PRESETS, load_rule_set_spec

    if set_name is None:
        if fmt == "json":
            data = [{"name": s.name, "description": s.description, "rules": len(s.rule_ids)} for s in PRESETS.values()]
            click.echo(json.dumps(data, indent=2))
        else:
            click.echo(describe.presets_text())
        return
    rule_set = load_rule_set_spec(set_name)
    if should is not None:
        rule_set = rule_set.with_should(should)
    if fmt == "json":
        click.echo(json.dumps(describe.rule_set_data(rule_set), indent=2))
    else:
        click.echo(describe.rule_set_text(rule_set))


def main() -> None:
    """Entry point of the console script and of ``python -m sipsmodel``."""
    cli(prog_name="sipsmodel")


def _read_parse_input(file: Path, as_uri: bool) -> tuple[bytes, str]:
    """The bytes ``parse`` reads (stdin for ``-``) and the name its errors give them."""
    from sipsmodel.model.tomlfile import read_bytes_file

    if str(file) == "-":
        with click.open_file("-", "rb") as stdin:
            data: bytes = stdin.read()
        return data, "<stdin>"
    return read_bytes_file(file, "SIP or SIPS URI" if as_uri else "SIP message", "RFC 3261 syntax"), str(file)


def _not_utf8(data: bytes, source: str) -> SipsModelError:
    """The error for input that is not UTF-8: where the first bad byte is (issue 13)."""
    from sipsmodel.errors import ParseError
    from sipsmodel.model.tomlfile import first_bad_byte

    bad = first_bad_byte(data)
    if bad is None:
        return ParseError("input is not UTF-8", label="not-utf8", source=source)
    text = f"input is {bad.reason}: byte 0x{bad.value:02X} at byte offset {bad.offset}"
    return ParseError(text, bad.line, bad.column, label="not-utf8", source=source)


@cli.command("parse")
@click.option("--uri", "as_uri", is_flag=True, help="Read one URI instead of a whole SIP message.")
@click.option("--json", "as_json", is_flag=True, help="Print the parsed value as JSON.")
@click.option(
    "--lenient",
    is_flag=True,
    help="Accept sips: URIs with transport=udp (R-3261-19.1.1-a), each reported on stderr, instead of refusing them.",
)
@click.option("--all", "every", is_flag=True, help="Print every message of FILE, not only the first.")
@click.argument("file", type=click.Path(allow_dash=True, path_type=Path))
@reports_errors
def parse_command(file: Path, as_uri: bool, as_json: bool, lenient: bool, every: bool) -> None:
    """Parse FILE (or - for stdin) as a SIP message or URI; print canonical text or JSON."""
    import json

    from sipsmodel.errors import ParseError
    from sipsmodel.syntax import jsonview, parse_message_lenient, parse_messages, parse_uri, parse_uri_lenient

    data, source = _read_parse_input(file, as_uri)
    leniencies: tuple[Any, ...] = ()
    try:
        if as_uri:
            text = data.decode("utf-8").strip()
            uri, leniencies = parse_uri_lenient(text) if lenient else (parse_uri(text), ())
            shown: Any = jsonview.uri_json(uri) if as_json else uri.render()
        else:
            found = parse_messages(data, strict=not lenient)
            if len(found) > 1 and not every:
                offsets = ", ".join(str(offset) for offset, _ in found)
                click.echo(f"warning: {source} holds {len(found)} SIP messages (at byte offsets {offsets}); "
                           "printed the first; --all prints every one", err=True)
            chosen = found if every else found[:1]
            if lenient:
                leniencies = tuple(x for offset, _ in chosen for x in parse_message_lenient(data[offset:])[1])
            messages = [m for _, m in chosen]
            if as_json:
                views = [jsonview.message_json(m) for m in messages]
                shown = views if every else views[0]
            else:
                shown = "".join(m.render() for m in messages)
    except UnicodeDecodeError:
        raise _not_utf8(data, source) from None
    except ParseError as exc:
        exc.source = source
        raise
    for leniency in leniencies:
        click.echo(leniency.render(source), err=True)
    if as_json:
        click.echo(json.dumps(shown, indent=2, ensure_ascii=False))
    elif as_uri:
        click.echo(shown)
    else:  # exact octets: CRLF line ends and the body as received
        click.echo(shown.encode("utf-8", errors="surrogateescape"), nl=False)


@cli.command("check")
@click.option("--rules", "rules", multiple=True, metavar="NAME", help="A preset or a rule-set .toml (repeatable).")
@click.option("--property", "props", multiple=True, metavar="ID", help="A property ID such as I-1 (repeatable).")
@click.option("--properties", "directory", type=click.Path(path_type=Path), help="A folder of property files.")
@click.option("--bound", type=click.IntRange(1), default=DEFAULT_BOUND, show_default=True,
              help="Bound k of the bounded proofs.")
@click.option("--should", type=click.Choice(["binding", "optional"]), default=None, help="SHOULD binding or optional.")
@click.option("--malicious", is_flag=True, help="One proxy may be malicious (I-21); uses the [malicious] expectations.")
@click.option("--family", type=click.Choice(["default", "full"]), default="default", show_default=True,
              help="The bounded family: full adds an optional re-INVITE and a third device of bob (slower).")
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="text", show_default=True)
@click.option("--jobs", type=click.IntRange(1), default=None, metavar="N",
              help="Worker processes (the same results whatever N)  [default: the number of CPUs]")
@click.option("--scheduler", metavar="ADDRESS", help="Run the --jobs shares on this Dask scheduler (extra: dask).")
@click.option("--explain", metavar="ID", help="Check only property ID and explain every cell of it.")
@click.option("--timeout", type=click.FloatRange(0, min_open=True), default=DEFAULT_TIMEOUT, show_default=True,
              help="Seconds.")
@click.option("--rlimit", type=click.IntRange(0), default=None, metavar="N",
              help=f"Z3 resource units per check (deterministic; 0: none)  [default: {RLIMIT}]")
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True, help="Solver seed.")
@click.option("--reading", "readings", multiple=True, metavar="F-N=X", help="Take reading X of F-N (repeatable).")
@click.option("--all-readings", is_flag=True, help="Also give each cell's verdict under every reading.")
@click.option("--summary", "only_summary", is_flag=True, help="Only the table and the family line (text, markdown).")
@click.option("--why/--no-why", default=True, show_default=True, help=WHY_HELP)
@click.option("--all-cores", is_flag=True,
              help="List every minimal core of each proof, not only the first (slower; --explain always does).")
@reports_errors
def check_command(
    rules: tuple[str, ...], props: tuple[str, ...], directory: Path | None, bound: int, should: str | None,
    malicious: bool, fmt: str, jobs: int | None, scheduler: str | None, explain: str | None, timeout: float,
    rlimit: int | None, seed: int, readings: tuple[str, ...], all_readings: bool, only_summary: bool, why: bool,
    all_cores: bool, family: str,
) -> None:  # fmt: skip
    """Prove or refute each property under each rule set; exit 0 met, 1 mismatch, 3 unknown, 2 error."""
    from sipsmodel.jobs import cpu_count
    from sipsmodel.report import check, expect, formats, progress

    if only_summary and (fmt in ("json", "sarif") or explain):
        raise click.UsageError("--summary leaves out the sections of text and markdown reports; it cannot be "
                               "combined with --explain or with --format json/sarif (which have no sections)")
    if explain and props:
        raise click.UsageError(f"--explain {explain} checks that one property; it cannot be combined with --property "
                         f"{' '.join(props)} (use --explain alone, or --property without --explain)")
    chosen = (explain,) if explain else props
    options = check.CheckOptions(rules, chosen, directory, bound, should, malicious, timeout, seed,
                                 cpu_count() if jobs is None else jobs,
                                 RLIMIT if rlimit is None else rlimit, readings, all_readings,
                                 scheduler=scheduler, all_cores=all_cores or bool(explain), family=family)
    cells = check.plan(options)
    for warning in check.warnings(cells):
        click.echo(f"warning: {warning}", err=True)
    with progress.progress_bar(len(cells.cells), "check") as tick:
        results = check.run_plan(cells, options, tick)
    formats.write_report(fmt, results, {p.id: p for p in cells.properties}, sys.stdout, every=bool(explain),
                         only_summary=only_summary, why=why)
    sys.exit(expect.exit_code(results))


@cli.command("explore")
@click.option("--property", "props", multiple=True, metavar="ID", help="A property ID such as I-1 (repeatable).")
@click.option("--rules", "rules", multiple=True, metavar="NAME", help="A preset or a rule-set .toml (repeatable).")
@click.option("--properties", "directory", type=click.Path(path_type=Path), help="A folder of property files.")
@click.option("--examples", type=click.IntRange(1), default=DEFAULT_EXAMPLES, show_default=True,
              help="Most scenarios per cell.")
@click.option("--budget", type=click.FloatRange(0), default=DEFAULT_BUDGET, show_default=True, metavar="SECONDS",
              help="Time for the whole run, shared out over the cells (0: no limit, only --examples).")
@click.option("--max-elements", type=click.IntRange(2, 30), default=DEFAULT_MAX_ELEMENTS, show_default=True,
              help="Largest topology.")
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True, help="Hypothesis seed (reproduces the run).")
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="text", show_default=True)
@click.option("--why/--no-why", default=True, show_default=True, help=WHY_HELP)
@reports_errors
def explore_command(
    props: tuple[str, ...], rules: tuple[str, ...], directory: Path | None, examples: int, budget: float,
    max_elements: int, seed: int, fmt: str, why: bool,
) -> None:  # fmt: skip
    """Search random scenarios for violations: refuted (shrunk) or sampled, never proved."""
    from sipsmodel.report import expect, explore, formats, progress

    options = explore.ExploreOptions(props, rules, directory, examples, max_elements, seed, budget)
    cells = explore.explore_plan(options)
    with progress.status_bar(len(cells), "explore") as show:
        results = explore.run_explore(cells, options, lambda status: show(*explore.status_text(status)))
    formats.write_report(fmt, results, {p.id: p for p, _ in cells}, sys.stdout, why=why)
    sys.exit(expect.exit_code(results))


@cli.command("simulate")
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option("--rules", "rules", metavar="NAME|FILE.toml", help="Rule set (default: the scenario's, else rfc3261).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--ignore-script", is_flag=True, help="Use the default chooser instead of the scenario's script.")
@click.option("--why/--no-why", default=True, show_default=True, help=WHY_HELP)
@reports_errors
def simulate_command(scenario: Path, rules: str | None, fmt: str, ignore_script: bool, why: bool) -> None:
    """Run SCENARIO (a TOML file) and print its call flow: a ladder and the full messages, or JSON."""
    import json

    from sipsmodel.render import render_json, render_trace
    from sipsmodel.rules import load_rule_set
    from sipsmodel.rules.scenarios import load_scenario
    from sipsmodel.sim import DefaultChooser, simulate

    loaded = load_scenario(scenario)
    rule_set = load_rule_set(rules or loaded.rules or "rfc3261")
    trace = simulate(loaded, rule_set, DefaultChooser() if ignore_script else None)
    if fmt == "json":
        click.echo(json.dumps(render_json(trace), indent=2))
        return
    click.echo(f"{loaded.name}  (rules: {rule_set.name})\n")
    click.echo(render_trace(trace, titles=loaded.labels, order=loaded.columns, why=why))
    for note in trace.notes:
        click.echo(f"note: {note}")

from sipsmodel.cli_trace import trace_command  # noqa: E402

cli.add_command(trace_command)

from sipsmodel.cli_replay import export_command, replay_command  # noqa: E402  (last: imports reports_errors)

cli.add_command(export_command)
cli.add_command(replay_command)

from sipsmodel.cli_ambiguities import ambiguities_command  # noqa: E402

cli.add_command(ambiguities_command)

from sipsmodel.cli_diff import diff_command  # noqa: E402

cli.add_command(diff_command)

from sipsmodel.cli_decide import decide_command  # noqa: E402  (the command module imports this one)

cli.add_command(decide_command)

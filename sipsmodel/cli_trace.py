"""``sipsmodel trace``: check real traces (sipdump, SIPp logs, pcap/pcapng, TLS with a key log).

Thin: parses options, calls ``sipsmodel.trace.run_trace``, prints the report, exits 1 on a violation,
0 when clean, 2 on bad input (docs/trace.md).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from sipsmodel.cli import REPORT_FORMATS, reports_errors


@click.command("trace")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="text", show_default=True)
@click.option("--rules", "rules", metavar="NAME|FILE", help="Show only the rules of this rule set in each finding.")
@click.option("--elements", "elements", type=click.Path(path_type=Path),
              metavar="MAP.toml", help="Element map: names, roles, responsible domains, TLS support.")
@click.option("--property", "props", multiple=True, metavar="ID", help="A property ID such as I-1 (repeatable).")
@click.option("--keylog", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="FILE",
              help="TLS key log (SSLKEYLOGFILE) to decrypt TLS in pcap files; needs tshark.")
@reports_errors
def trace_command(
    files: tuple[Path, ...], fmt: str, rules: str | None, elements: Path | None, props: tuple[str, ...],
    keylog: Path | None,
) -> None:  # fmt: skip
    """Check FILE... (sipdump, SIPp log, plain log, pcap, pcapng): exit 1 violation, 0 clean, 2 bad input."""
    from sipsmodel.report import tracereport
    from sipsmodel.rules.sets import load_rule_set
    from sipsmodel.selection import select_properties
    from sipsmodel.trace import TraceOptions, load_element_map, run_trace

    rule_ids = None if rules is None else frozenset(load_rule_set(rules).rule_ids)
    options = TraceOptions(
        files, select_properties(props), load_element_map(elements) if elements else [], keylog,
        ladders=fmt == "text", rule_ids=rule_ids,
    )  # fmt: skip
    report = run_trace(options)
    sys.stdout.write(tracereport.render(report, fmt))
    sys.exit(tracereport.exit_code(report))

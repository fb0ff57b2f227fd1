"""``sipsmodel export`` and ``sipsmodel replay``: a counterexample to SIPp, pcap or JSON, and to a real proxy.

Thin: options in, library calls (``sipsmodel.replay``), text out. Issue 12; DESIGN.md flow 7.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from sipsmodel.cli import reports_errors
from sipsmodel.defaults import DEFAULT_SEED, REPLAY_TIMEOUT

if TYPE_CHECKING:  # the parser and the replay package load only when a command runs (fast --help)
    from sipsmodel.replay.flow import Flow

EXPORT_FORMATS = ("sipp", "pcap", "json", "sipdump")
WITHIN_HELP = ("When computing: ask the prover for a counterexample that the narrowed profile allows "
               "(stock-proxy: the proxy retargets to the registered Contact unchanged and never recurses); "
               "still a counterexample of --rules, see docs/replay.md.")


def obtain_flow(counterexample: Path | None, property_id: str | None, rules: str | None, seed: int,
                should: str | None = None, narrowed: str | None = None) -> Flow:  # fmt: skip
    """The flow of a counterexample file, or of the one ``check`` computes for ``--property --rules`` (with
    ``--should`` applied, then narrowed ``--within`` a profile: docs/replay.md, "Narrowed counterexamples")."""
    from sipsmodel.replay.flow import FlowError, flow_from_json, load_flow

    if counterexample is not None:
        if should is not None or narrowed is not None:
            raise FlowError("--should and --within choose how a counterexample is computed; give them with "
                            "--property and --rules instead of a COUNTEREXAMPLE file")
        return load_flow(counterexample, property_id, rules)
    if not property_id or not rules:
        raise FlowError("give a COUNTEREXAMPLE file, or both --property ID and --rules NAME to compute one")
    from sipsmodel.report import check
    from sipsmodel.report.jsonreport import result_json
    from sipsmodel.rules.sets import within

    options = check.CheckOptions(rules=(rules,), properties=(property_id,), seed=seed, should=should)
    cells = check.plan(options)
    if narrowed is not None:
        cells = check.Plan(cells.properties, tuple(within(s, narrowed) for s in cells.rule_sets))
    results = check.run_plan(cells, options)
    refuted = [r for r in results if r.counterexample is not None]
    if not refuted:
        shown = ", ".join(f"{r.property} under {r.rules}: {r.label}" for r in results)
        raise FlowError(f"no counterexample to export ({shown}); only a refuted property has one")
    name = cells.rule_sets[0].name
    return flow_from_json({"results": [result_json(refuted[0])]}, f"check --explain {property_id} --rules {name}")


def _default_output(flow: Flow, target: str) -> Path:
    stem = "-".join(flow.name.split()) or "flow"
    return Path(f"{stem}-sipp" if target == "sipp" else f"{stem}.sipdump" if target == "sipdump" else f"{stem}.pcapng")


def write_export(flow: Flow, target: str, output: Path | None) -> str:
    """Write the export; return what to tell the user (JSON itself when written to stdout)."""
    if target == "json":
        from sipsmodel.replay.export_json import flow_json

        text = json.dumps(flow_json(flow), indent=2, ensure_ascii=False) + "\n"
        if output is None:
            return text
        output.write_text(text, encoding="utf-8")
        return f"wrote {output}\n"
    path = output or _default_output(flow, target)
    if target == "sipdump":
        from sipsmodel.replay.export_sipdump import write_flow_sipdump

        write_flow_sipdump(flow, path)
        return f"wrote {path}: {len(flow.hops)} records (sipdump text, each with its hop's transport)\n"
    if target == "pcap":
        from sipsmodel.replay.export_pcap import write_pcapng

        with path.open("wb") as out:
            count = write_pcapng(flow, out)
        return f"wrote {path}: {count} packets (pcapng; TLS hops on TCP port 5061, marked in packet comments)\n"
    from sipsmodel.replay.export_sipp import command_line, scenario_xml
    from sipsmodel.replay.roles import ua_roles

    path.mkdir(parents=True, exist_ok=True)
    lines = [f"wrote {path}/ (start the roles in this order against the proxy, one SIPp each):"]
    for role in ua_roles(flow):
        name = f"{role.name}.xml"
        (path / name).write_text(scenario_xml(flow, role), encoding="utf-8")
        lines.append(f"  {command_line(role, name)}")
    if any(role.transport == "TLS" for role in ua_roles(flow)):
        lines.append("(-t l1 needs a SIPp built with OpenSSL; see docs/replay.md)")
    return "\n".join(lines) + "\n"


@click.command("export")
@click.argument("counterexample", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--to", "target", type=click.Choice(EXPORT_FORMATS), required=True, help="What to write.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Directory (sipp) or file (pcap, json, sipdump).")
@click.option("--property", "property_id", metavar="ID", help="The property (to pick or compute the counterexample).")
@click.option("--rules", metavar="NAME", help="The rule set (to pick or compute the counterexample).")
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True, help="Solver seed when computing.")
@click.option("--should", type=click.Choice(["binding", "optional"]), default=None,
              help="SHOULD mode of the rule set when computing [default: the set's own].")
@click.option("--within", "narrowed", metavar="PROFILE", help=WITHIN_HELP)
@reports_errors
def export_command(counterexample: Path | None, target: str, output: Path | None, property_id: str | None,
                   rules: str | None, seed: int, should: str | None, narrowed: str | None) -> None:  # fmt: skip
    """Export a counterexample (check --explain ID --rules NAME --format json): SIPp, pcap, JSON or sipdump."""
    flow = obtain_flow(counterexample, property_id, rules, seed, should, narrowed)
    sys.stdout.write(write_export(flow, target, output))


def _host_port(text: str) -> tuple[str, int]:
    from sipsmodel.replay.flow import FlowError

    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit() or not host:
        raise FlowError(f"--proxy {text!r}: expected HOST:PORT such as 127.0.0.1:5060 (IPv6 as [::1]:5060)")
    return host.strip("[]"), int(port)


@click.command("replay")
@click.argument("counterexample", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--proxy", "proxy", required=True, metavar="HOST:PORT", help="The proxy's UDP and TCP address.")
@click.option("--tls-port", type=click.IntRange(1, 65535), metavar="P", help="The proxy's TLS port [default: 5061].")
@click.option("--register/--no-register", default=True, show_default=True,
              help="Play the flow's registrations first (off: the proxy must already know the Contacts).")
@click.option("--allow-remote", is_flag=True,
              help="Let --proxy be a non-loopback address; the UAs then listen on the local address that reaches "
                   "it, and send to no other address.")
@click.option("--sipdump", "dumps", multiple=True, type=click.Path(path_type=Path), metavar="FILE|DIR",
              help="The proxy's own sipdump file, or the folder it writes to (its *.data files of the run), read "
                   "after the run and checked instead of the UAs' recording (repeatable).")
@click.option("--cert", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="UA TLS certificate.")
@click.option("--key", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="UA TLS private key.")
@click.option("-o", "--output", type=click.Path(file_okay=False, path_type=Path), help="Folder of the recording.")
@click.option("--timeout", type=click.FloatRange(0, min_open=True), default=REPLAY_TIMEOUT, show_default=True,
              help="Seconds to wait for each message.")
@click.option("--property", "property_id", metavar="ID", help="The property (to pick or compute the counterexample).")
@click.option("--rules", metavar="NAME", help="The rule set (to pick or compute the counterexample).")
@click.option("--should", type=click.Choice(["binding", "optional"]), default=None,
              help="SHOULD mode of the rule set when computing [default: the set's own].")
@click.option("--within", "narrowed", metavar="PROFILE", help=WITHIN_HELP)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@reports_errors
def replay_command(counterexample: Path | None, proxy: str, tls_port: int | None, register: bool,
                   allow_remote: bool, dumps: tuple[Path, ...], cert: Path | None, key: Path | None,
                   output: Path | None, timeout: float, property_id: str | None, rules: str | None,
                   should: str | None, narrowed: str | None, fmt: str) -> None:  # fmt: skip
    """Play a counterexample's user agents against a real proxy and check what it did.

    Exit 1 when the proxy violates a property (the counterexample's: exhibited; another: different),
    0 when it violates none (not exhibited), 2 on an error."""
    from sipsmodel.replay.flow import FlowError
    from sipsmodel.replay.replay import ReplayOptions, check_target, replay, report_json, report_text
    from sipsmodel.selection import select_properties

    host, port = _host_port(proxy)
    check_target(host, allow_remote)
    if (cert is None) != (key is None):
        raise FlowError("--cert and --key go together (the UAs' TLS certificate and its private key)")
    flow = obtain_flow(counterexample, property_id, rules, 0, should, narrowed)
    folder = output or Path("-".join(flow.name.split()) + "-replay")
    options = ReplayOptions(host, port, tls_port or 5061, folder, register, allow_remote, timeout,
                            (cert, key) if cert and key else None, dumps)
    report = replay(flow, options, select_properties(()))
    sys.stdout.write(json.dumps(report_json(report), indent=2) + "\n" if fmt == "json" else report_text(report))
    sys.exit(1 if report.found else 0)

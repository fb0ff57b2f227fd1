"""``replay``: play a counterexample's user agents against a real proxy, check what it did, compare.

The run (``sipsmodel.replay.player``) records every message the UAs sent and received; the recording
is written as a sipdump text file (the format of Kamailio's sipdump module, which carries each
message's transport) and checked with ``sipsmodel.trace.run_trace``, together with the proxy's own
sipdump when one is given. The verdict: ``exhibited`` (the property the counterexample violates is
violated by the real proxy), ``different`` (other properties are violated, not that one), or
``not exhibited`` (nothing is violated; when the proxy refused the flow, the step and its answer).
DESIGN.md flow 7; issue 12.
"""

from __future__ import annotations

import ipaddress
import ssl
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sipsmodel.defaults import REPLAY_TIMEOUT
from sipsmodel.errors import SipsModelError
from sipsmodel.replay.agent import local_address_for
from sipsmodel.replay.export_sipdump import write_flow_sipdump, write_records
from sipsmodel.replay.flow import Flow
from sipsmodel.replay.player import Exchange, Outcome, Player, Target
from sipsmodel.replay.wire import FIRST_EPHEMERAL_PORT, wire_plan
from sipsmodel.trace import MappedElement, TraceOptions, TraceReport, run_trace
from sipsmodel.trace.elements import MAP_ROLES
from sipsmodel.trace.frames import Endpoint

if TYPE_CHECKING:  # the properties come from the caller (DESIGN.md: replay imports model, syntax, trace)
    from sipsmodel.props import Property

VERDICTS = ("exhibited", "different", "not exhibited")
RECORDING = "replay-uas.sipdump"
MODEL_RECORDING = "counterexample.sipdump"


class ReplayError(SipsModelError):
    """A replay that must not or cannot run (a non-loopback proxy, no certificate, no openssl)."""


@dataclass(frozen=True)
class ReplayOptions:
    """Where the proxy is and how to play."""

    host: str
    port: int
    tls_port: int
    folder: Path
    register: bool = True
    allow_remote: bool = False
    timeout: float = REPLAY_TIMEOUT
    certificate: tuple[Path, Path] | None = None
    proxy_dumps: tuple[Path, ...] = ()


@dataclass
class ReplayReport:
    """The outcome of the run, the trace check, and the verdict."""

    flow: Flow
    outcome: Outcome
    trace: TraceReport
    recording: Path
    checked: tuple[Path, ...]
    model: TraceReport  # the counterexample's own flow through the same trace checker

    @property
    def found(self) -> list[str]:
        """The properties the real proxy's run violates."""
        return sorted({v.property for v in self.trace.violations})

    @property
    def in_model(self) -> list[str]:
        """The properties the counterexample's own flow violates, read by the same checker."""
        return sorted({v.property for v in self.model.violations})

    @property
    def new(self) -> list[str]:
        """Violated in the real run and not in the counterexample: what the proxy did differently."""
        return sorted(set(self.found) - set(self.in_model))

    @property
    def verdict(self) -> str:
        """exhibited: the counterexample's property is violated; different: the run violates something the
        counterexample does not; not exhibited: neither (what is left comes from the flow's own UAs)."""
        if self.flow.property_id in self.found:
            return "exhibited"
        return "different" if self.new else "not exhibited"


def check_target(host: str, allow_remote: bool) -> str:
    """``host`` if it is an IP address the replay may send to: loopback, or any with ``allow_remote``."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise ReplayError(f"--proxy {host!r}: expected an IP address such as 127.0.0.1 or ::1") from None
    if not address.is_loopback and not allow_remote:
        raise ReplayError(f"--proxy {host} is not a loopback address; replay sends only to loopback addresses "
                          "unless --allow-remote is given")
    return host


def bind_address(host: str, port: int) -> str | None:
    """Where the UAs listen: None for a loopback proxy (each UA on its own loopback address of the flow), else
    the local address the OS uses to reach the proxy (so that the proxy can reach the UAs' Contacts)."""
    if ipaddress.ip_address(host).is_loopback:
        return None
    try:
        return local_address_for(host, port)
    except OSError as exc:
        raise ReplayError(f"--proxy {host}:{port}: no local address reaches it ({exc.strerror or exc})") from None


def replay(flow: Flow, options: ReplayOptions, properties: Sequence[Property]) -> ReplayReport:
    """Play, record, check."""
    check_target(options.host, options.allow_remote)
    options.folder.mkdir(parents=True, exist_ok=True)
    contexts = _contexts(options)
    target = Target(options.host, options.port, options.tls_port)
    bind = bind_address(options.host, options.port)
    started = time.time()
    outcome = Player(flow, target, contexts, options.timeout, options.register, bind).run()
    recording = options.folder / RECORDING
    write_sipdump(outcome.exchanges, recording)
    checked = proxy_dumps(options.proxy_dumps, started, options.timeout) or (recording,)
    elements = element_map(flow, outcome.exchanges, target)
    report = run_trace(TraceOptions(list(checked), list(properties), elements, ladders=False))
    model_path = options.folder / MODEL_RECORDING
    write_flow_sipdump(flow, model_path)
    model = run_trace(TraceOptions([model_path], list(properties), model_element_map(flow), ladders=False))
    return ReplayReport(flow, outcome, report, recording, tuple(checked), model)


def proxy_dumps(given: Sequence[Path], started: float, timeout: float) -> tuple[Path, ...]:
    """The proxy's sipdump files to check: each file given, and in each folder given the sipdump text files
    (``*.data``) written since the run started; each is read once its size has been still for 0.5 s
    (Kamailio's sipdump writes on a timer), waiting at most ``timeout`` seconds."""
    found: list[Path] = []
    for path in given:
        if path.is_dir():
            fresh = sorted(p for p in path.glob("*.data") if p.stat().st_mtime >= started - 1)
            if not fresh:
                raise ReplayError(f"--sipdump {path}: no sipdump text file (*.data) written during the run")
            found += fresh
        elif path.is_file():
            found.append(path)
        else:
            raise ReplayError(f"--sipdump {path}: no such file or folder; expected the proxy's sipdump file or "
                              "the folder it writes to")
    for path in found:
        _wait_still(path, timeout)
    return tuple(found)


def _wait_still(path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    size = -1
    while time.monotonic() < deadline:
        now = path.stat().st_size
        if now == size:
            return
        size = now
        time.sleep(0.5)


def element_map(flow: Flow, exchanges: Sequence[Exchange], target: Target) -> list[MappedElement]:
    """The proxy (both its ports, its role in the flow) and each UA (the addresses its agents listened on)."""
    proxies = [e for e in flow.elements if not e.is_ua]
    role = "registrar" if any(e.role == "registrar" for e in proxies) else "proxy"
    mapped = [MappedElement("proxy", (Endpoint(target.host, target.port), Endpoint(target.host, target.tls_port)),
                            role)]
    for ua in flow.user_agents:
        addresses = tuple(dict.fromkeys(Endpoint(*x.local) for x in exchanges if x.ua == ua.name))
        if addresses:
            mapped.append(MappedElement(ua.name, addresses, "ua"))
    return mapped


def model_element_map(flow: Flow) -> list[MappedElement]:
    """The flow's elements at their addresses in the wire plan, with their roles."""
    addresses: dict[str, list[Endpoint]] = {}
    for segment in wire_plan(flow):
        for name, end in ((segment.hop.sender, segment.src), (segment.hop.receiver, segment.dst)):
            if end[1] < FIRST_EPHEMERAL_PORT and Endpoint(*end) not in addresses.setdefault(name, []):
                addresses[name].append(Endpoint(*end))
    roles = {"redirect": "ua"}
    return [MappedElement(e.name, tuple(addresses.get(e.name, ())), roles.get(e.role, e.role))
            for e in flow.elements if addresses.get(e.name) and e.role in (*MAP_ROLES, "redirect")]


def write_sipdump(exchanges: Sequence[Exchange], path: Path) -> None:
    """The UAs' recording as a sipdump text file (Kamailio's format; ``sipsmodel.trace.sipdump`` reads it)."""
    write_records([((x.local, x.remote) if x.sent else (x.remote, x.local)) + (x.transport, x.data, x.time)
                   for x in exchanges], path)


def _contexts(options: ReplayOptions) -> tuple[ssl.SSLContext, ssl.SSLContext] | None:
    """TLS contexts of the UAs (always: the real proxy may choose TLS where the model did not): their
    certificate (given, or self-signed for the run) and a client that does not verify the proxy (a
    loopback test of the proxy's routing, not of its certificate)."""
    cert, key = options.certificate or _self_signed(options.folder)
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        server.load_cert_chain(cert, key)
    except (OSError, ssl.SSLError) as exc:
        raise ReplayError(f"--cert {cert} --key {key}: cannot load the certificate ({exc})") from None
    client = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    client.check_hostname = False
    client.verify_mode = ssl.CERT_NONE
    return server, client


def _self_signed(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "ua-cert.pem", folder / "ua-key.pem"
    command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
               "-days", "1", "-subj", "/CN=sipsmodel-replay"]
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        raise ReplayError(f"the flow has TLS hops and no --cert/--key was given; making a self-signed certificate "
                          f"with openssl failed ({exc}); install openssl or pass --cert and --key") from None
    return cert, key


def report_text(report: ReplayReport) -> str:
    """What the replay did and what it means, for a person."""
    flow = report.flow
    lines = [f"replay of {flow.name} against the proxy: {report.verdict}"]
    if report.verdict == "exhibited":
        lines.append(f"  the real proxy violates {flow.property_id}, as the counterexample does")
    elif report.verdict == "different":
        lines.append(f"  the real proxy does not violate {flow.property_id}; it violates what the counterexample "
                     f"does not: {', '.join(report.new)}")
    else:
        lines.append(f"  the real proxy does not violate {flow.property_id}, nor anything the counterexample "
                     "does not")
    lines.append(f"  the counterexample's own flow violates: {', '.join(report.in_model) or 'nothing'}")
    lines += ["", *_steps(report)]
    for violation in report.trace.violations:
        where = violation.where
        place = f" at record {where.record} ({where.sender} -> {where.receiver} over {where.transport})" if where \
            else ""
        lines.append(f"violation: {violation.property} {violation.title}{place}")
    lines.append(f"checked: {', '.join(str(p) for p in report.checked)} ({report.trace.records} records)")
    return "\n".join(lines) + "\n"


def _steps(report: ReplayReport) -> list[str]:
    outcome = report.outcome
    lines = []
    if outcome.absent:
        lines.append(f"not sent by the proxy (provisional): {', '.join(f'F{h.index + 1}' for h in outcome.absent)}")
    if outcome.skipped:
        lines.append(f"skipped (--no-register): {', '.join(f'F{h.index + 1}' for h in outcome.skipped)}")
    if outcome.completed:
        lines.append(f"every step of the flow's user agents happened ({len(outcome.exchanges)} messages at the UAs)")
    else:
        assert outcome.stopped_at is not None
        lines.append(f"the flow stopped at F{outcome.stopped_at.index + 1}: {outcome.reason}")
        for answer in outcome.answers:
            warning = answer.header("Warning")
            lines.append(f"  the proxy sent {answer.ua}: {answer.start_line}" + (f" (Warning: {warning})" if warning
                                                                                  else ""))
    return lines


def report_json(report: ReplayReport) -> dict[str, Any]:
    """``{"flow", "property", "verdict", "found", "completed", "stopped_at", "reason", "answers", ...}``."""
    outcome = report.outcome
    return {
        "flow": report.flow.name,
        "property": report.flow.property_id,
        "rules": report.flow.rules,
        "verdict": report.verdict,
        "found": report.found,
        "in_counterexample": report.in_model,
        "new": report.new,
        "completed": outcome.completed,
        "stopped_at": None if outcome.stopped_at is None else outcome.stopped_at.index,
        "reason": outcome.reason,
        "answers": [{"ua": a.ua, "start_line": a.start_line, "warning": a.header("Warning")} for a in outcome.answers],
        "skipped": [h.index for h in outcome.skipped],
        "absent": [h.index for h in outcome.absent],
        "messages": len(outcome.exchanges),
        "violations": [
            {"property": v.property, "record": v.where.record if v.where else None,
             "source": v.where.source if v.where else None,
             "transport": v.where.transport if v.where else None,
             "start_line": v.where.lines[0] if v.where and v.where.lines else None}
            for v in report.trace.violations
        ],  # fmt: skip
        "recording": str(report.recording),
        "checked": [str(p) for p in report.checked],
    }

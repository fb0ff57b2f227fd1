"""A counterexample's call flow as export and replay read it: elements, hops and parsed messages.

Theory of operation: ``load_flow`` reads what ``sipsmodel check --explain ID --rules NAME --format json``
writes (one refuted cell's ``counterexample``), what ``sipsmodel simulate --format json`` writes, or
what ``sipsmodel export --to json`` writes, and gives one ``Flow``. Every element gets a loopback address
(``127.0.0.10`` for the first to appear, then ``.11``...): that addressing plan is the one the pcap, the
SIPp command lines and the replay use. DESIGN.md flow 7.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sipsmodel.errors import ParseError, SipsModelError
from sipsmodel.syntax import SipMessage, parse_message

#: Roles (``hops.sender`` / ``hops.receiver``) of the elements that play a user agent's side.
UA_ROLES = ("ua", "redirect", "gateway")
FIRST_HOST = 10
UNSECURED_PORT = 5060
TLS_PORT = 5061


class FlowError(SipsModelError):
    """A counterexample file that cannot be read as a call flow (names the file and what is wrong)."""


@dataclass(frozen=True)
class FlowElement:
    """One element of the flow, its role and its address in the loopback addressing plan."""

    name: str
    role: str
    address: str

    @property
    def is_ua(self) -> bool:
        """Whether this element plays a user agent's side (UAC, UAS, registering UA, redirect server)."""
        return self.role in UA_ROLES


@dataclass(frozen=True)
class FlowHop:
    """One transmission: sender, receiver, transport actually used, and the full message."""

    index: int
    sender: str
    receiver: str
    transport: str
    message: SipMessage

    @property
    def method(self) -> str:
        """The request's method, or the method of the request a response answers."""
        if self.message.method is not None:
            return self.message.method
        cseq = self.message.cseq()
        return cseq.method if cseq else ""


@dataclass(frozen=True)
class Flow:
    """A call flow ready to export or replay."""

    name: str
    property_id: str | None
    rules: str
    violation: int | None
    elements: tuple[FlowElement, ...]
    hops: tuple[FlowHop, ...]

    def element(self, name: str) -> FlowElement:
        for element in self.elements:
            if element.name == name:
                return element
        raise KeyError(name)

    @property
    def user_agents(self) -> tuple[FlowElement, ...]:
        return tuple(e for e in self.elements if e.is_ua)


def listening_port(transport: str) -> int:
    """The port an element listens on for ``transport``: 5061 for TLS, 5060 otherwise (RFC 3261 18.2.1)."""
    return TLS_PORT if transport.upper().startswith("TLS") else UNSECURED_PORT


def load_flow(path: Path, property_id: str | None = None, rules: str | None = None) -> Flow:
    """Read a counterexample file (check, simulate or export JSON); raise FlowError on anything else."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise FlowError(f"{path}: cannot read the counterexample ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise FlowError(f"{path}: not UTF-8 text (byte offset {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise FlowError(
            f"{path}:{exc.lineno}:{exc.colno}: not JSON ({exc.msg}); expected what "
            "'sipsmodel check --explain ID --rules NAME --format json' writes"
        ) from None
    return flow_from_json(data, str(path), property_id, rules)


def flow_from_json(data: Any, source: str, property_id: str | None = None, rules: str | None = None) -> Flow:
    """The flow in a check report, a simulate trace, or an export (see ``load_flow``)."""
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        cell = _pick_cell(data["results"], source, property_id, rules)
        return _flow(cell["counterexample"], source, cell.get("property"), str(cell.get("rules", "")))
    if isinstance(data, dict) and isinstance(data.get("transmissions"), list):  # --property names what to look for
        return _flow(data, source, property_id or data.get("property"), rules or str(data.get("rules", "")))
    raise FlowError(
        f"{source}: expected a JSON object with 'results' (sipsmodel check --format json) or 'transmissions' "
        "(sipsmodel simulate --format json, sipsmodel export --to json)"
    )


def _pick_cell(results: Sequence[Any], source: str, property_id: str | None, rules: str | None) -> Mapping[str, Any]:
    cells = [
        r for r in results
        if isinstance(r, dict) and r.get("counterexample")
        and property_id in (None, r.get("property")) and rules in (None, r.get("rules"))
    ]  # fmt: skip
    if len(cells) == 1:
        return cells[0]
    names = ", ".join(f"{r.get('property')} under {r.get('rules')}" for r in cells) or "none"
    wanted = " ".join(x for x in (property_id, rules) if x) or "any cell"
    raise FlowError(
        f"{source}: {len(cells)} counterexamples match {wanted} ({names}); expected exactly one: "
        "run 'sipsmodel check --explain ID --rules NAME --format json', or pass --property and --rules"
    )


def _flow(data: Mapping[str, Any], source: str, property_id: Any, rules: str) -> Flow:
    items = data.get("transmissions")
    if not isinstance(items, list) or not items:
        raise FlowError(f"{source}: the counterexample has no transmissions")
    hops = tuple(_hop(item, n, source) for n, item in enumerate(items))
    roles = {str(e.get("name")): str(e.get("role")) for e in data.get("elements", []) if isinstance(e, dict)}
    names = dict.fromkeys(n for h in hops for n in (h.sender, h.receiver))
    elements = tuple(
        FlowElement(name, roles.get(name) or _guess_role(name, hops), f"127.0.0.{FIRST_HOST + k}")
        for k, name in enumerate(names)
    )
    violation = data.get("violation")
    label = " ".join(str(x) for x in (property_id, rules) if x) or Path(source).stem
    return Flow(label, None if property_id is None else str(property_id), rules,
                violation if isinstance(violation, int) else None, elements, hops)


def _hop(item: Any, number: int, source: str) -> FlowHop:
    where = f"{source}: transmission {number}"
    if not isinstance(item, dict):
        raise FlowError(f"{where}: expected an object with from, to, transport and message")
    missing = [key for key in ("from", "to", "transport", "message") if not isinstance(item.get(key), str)]
    if missing:
        raise FlowError(f"{where}: missing or not text: {', '.join(missing)}")
    try:
        message = parse_message(item["message"].encode("utf-8"))
    except ParseError as exc:
        exc.source = f"{where} (message)"
        raise
    return FlowHop(int(item.get("index", number)), item["from"], item["to"], item["transport"].upper(), message)


def _guess_role(name: str, hops: Sequence[FlowHop]) -> str:
    """Without roles in the file: an element that forwards requests (two Via values or more) is a proxy,
    one that receives a REGISTER a registrar."""
    for hop in hops:
        if hop.receiver == name and hop.message.method == "REGISTER":
            return "registrar"
        if hop.sender == name and hop.message.is_request and len(hop.message.vias()) > 1:
            return "proxy"
    return "ua"

"""The elements, links and transmissions of the bounded symbolic scenario (docs/semantics.md, SMT).

Theory of operation: elements have fixed positions (``ALICE`` = 0, proxies ``p1 .. p(K-1)``, ``pb``,
edge proxies ``eb1``, ``eb2``, user agents ``bob1``, ``bob2``); what is symbolic is whether they take part
(``present``), their TLS support, malicious mark and strict routing (uninterpreted functions of the
position, so that a hop whose ends are symbolic costs one application), the transports of each link (symmetric
functions), and the policies of the UAs. Transmissions are *slots* appended in the order the simulator
sends them; each has an ``active`` literal, and its ``index`` (and each request's id) is the number of
active slots (requests) before it, so the observation is exactly the simulator's once the inactive
slots are dropped.

Where the simulator's order depends on the run (a forking proxy forwards the first 2xx, the ACK and
its CANCELs after whichever answer came first), slots, requests and visits are laid out in
*segments*: each segment keeps its own order and has a rank, a constant or a term, and whatever lies
in a segment of lower rank comes before it (:func:`positions`).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import z3

from sipsmodel.model.vocab import BOOL, INT, KIND, METHOD, OPT_SCHEME, RECORD_SCHEMAS, ROLE, SCHEME
from sipsmodel.smt.compile import Sym, SymRecord, const, fresh
from sipsmodel.smt.visits import LINK_TRANSPORTS, Rules

Term = Any


def pick(position: Term | int, table: list[Term]) -> Term:
    """``table[position]`` for a symbolic position (an If-chain; a Python int indexes directly)."""
    if isinstance(position, int):
        return table[position]
    result = table[-1]
    for i in range(len(table) - 2, -1, -1):
        result = z3.If(position == i, table[i], result)
    return result


def as_int(position: Term | int) -> Term:
    return z3.IntVal(position) if isinstance(position, int) else position


@dataclass(eq=False)
class Segment:
    """A stretch of the run whose place among the others is ``rank`` (lower ranks come first)."""

    rank: Term | int
    label: str


BASE = Segment(0, "base")


@dataclass
class Slot:
    """One possible transmission."""

    active: Term
    sender: Term | int
    receiver: Term | int
    fields: dict[str, Sym]
    request: Term  # the request id term (shared by a request's hops and responses)
    label: str
    segment: Segment = BASE
    after_visits: int = 0  # how many choice point visits were laid out before it (run order within a segment)


def _before(a: Term | int, b: Term | int) -> Term | bool:
    if isinstance(a, int) and isinstance(b, int):
        return a < b
    return as_int(a) < as_int(b)


def positions(items: list[tuple[Term, Segment]]) -> list[Term]:
    """For each (active, segment) item, the number of active items before it in run order.

    Within a segment the list order holds; a segment of lower rank comes wholly before (ranks of
    segments with active items are distinct by construction).
    """
    totals: dict[int, Term] = {}
    segments: dict[int, Segment] = {}
    local: list[Term] = []
    for active, segment in items:
        key = id(segment)
        segments[key] = segment
        count = totals.get(key, z3.IntVal(0))
        local.append(count)
        totals[key] = count + z3.If(active, 1, 0)
    offsets: dict[int, Term] = {}
    for key, segment in segments.items():
        parts = []
        for other, seg in segments.items():
            if other == key:
                continue
            before = _before(seg.rank, segment.rank)
            if before is True:
                parts.append(totals[other])
            elif before is not False:
                parts.append(z3.If(before, totals[other], 0))
        offsets[key] = z3.Sum(parts) if parts else z3.IntVal(0)
    return [offsets[id(seg)] + count for (_, seg), count in zip(items, local, strict=True)]


class OutOfTime(Exception):
    """Building the encoding passed its deadline (``time.monotonic()``); the build is abandoned."""


@dataclass
class Topology:
    """Elements, links and the growing list of transmission slots of one bounded encoding.

    ``deadline`` (a ``time.monotonic()`` value, or None) is checked as requests and transmissions are
    laid out, so a build that would take too long stops with :class:`OutOfTime` (issue 11).
    """

    k: int
    rules: Rules = field(default_factory=Rules)
    slots: list[Slot] = field(default_factory=list)
    requests: list[tuple[Term, Segment, Term]] = field(default_factory=list)
    assertions: list[Term] = field(default_factory=list)
    segment: Segment = BASE
    deadline: float | None = None
    devices: int = 2  # positions for bob's devices and their edge proxies (at least 2)
    strict_routers: bool = False  # a proxy may be a strict router (else ``strict`` is the constant false)

    def __post_init__(self) -> None:
        self.n = self.k + 1 + 2 * self.devices
        self.tls_fn = z3.Function("tls", z3.IntSort(), z3.BoolSort())
        self.malicious_fn = z3.Function("malicious", z3.IntSort(), z3.BoolSort())
        self.strict_fn = z3.Function("strict", z3.IntSort(), z3.BoolSort())
        self.link_fn = {t: z3.Function(f"link_{t}", z3.IntSort(), z3.IntSort(), z3.BoolSort()) for t in LINK_TRANSPORTS}
        for a in range(self.n):
            for b in range(a + 1, self.n):
                for fn in self.link_fn.values():
                    self.assertions.append(fn(a, b) == fn(b, a))
        self.chain = [z3.BoolVal(True)] + [z3.Bool(f"chain_{i}") for i in range(1, self.k)]
        for i in range(2, self.k):
            self.assertions.append(z3.Implies(self.chain[i], self.chain[i - 1]))
        # p_i (1 <= i < k-1) has p_(i+1) as its outbound proxy when that one is present; one function
        # of the position, so asking it of a symbolic sender costs one application
        self.outbound_fn = z3.Function("has_outbound", z3.IntSort(), z3.BoolSort())
        for position in range(self.n):
            has = self.chain[position + 1] if 1 <= position < self.k - 1 else z3.BoolVal(False)
            self.assertions.append(self.outbound_fn(position) == has)
        if self.strict_routers:  # only a proxy routes
            self.assertions += [z3.Not(self.strict_fn(p)) for p in range(self.n) if not self.is_proxy_position(p)]

    # --- positions --------------------------------------------------------------------------
    ALICE = 0

    def proxy(self, i: int) -> int:
        return i

    @property
    def pb(self) -> int:
        return self.k

    def eb(self, j: int) -> int:
        return self.k + 1 + j

    def bob(self, j: int) -> int:
        return self.k + 1 + self.devices + j

    def names(self) -> list[str]:
        devices = range(1, self.devices + 1)
        return ["alice", *(f"p{i}" for i in range(1, self.k)), "pb", *(f"eb{j}" for j in devices),
                *(f"bob{j}" for j in devices)]

    def is_proxy_position(self, position: int) -> bool:
        return 1 <= position <= self.k + self.devices

    def is_proxy(self, position: Term | int) -> Term:
        if isinstance(position, int):
            return z3.BoolVal(self.is_proxy_position(position))
        return z3.And(position >= 1, position <= self.k + self.devices)

    def tls(self, position: Term | int) -> Term:
        return self.tls_fn(as_int(position))

    def malicious(self, position: Term | int) -> Term:
        return self.malicious_fn(as_int(position))

    def strict(self, position: Term | int) -> Term:
        """The proxy at ``position`` is a strict router: its Record-Route values (and p1's preloaded Route value)
        lack ``lr`` (RFC 3261 16.4, 12.2.1.1; SIPS-RULES.md F-19)."""
        if not self.strict_routers:
            return z3.BoolVal(False)
        return self.strict_fn(as_int(position))

    def has_outbound(self, position: Term | int) -> Term:
        """The element at ``position`` is a chain proxy whose outbound proxy (the next one) is present."""
        return self.outbound_fn(as_int(position))

    def link(self, a: Term | int, b: Term | int) -> dict[str, Term]:
        return {t: fn(as_int(a), as_int(b)) for t, fn in self.link_fn.items()}

    def redirect(self, position: Term | int) -> Term:
        """The element is a redirect UA (bob's device with ``redirect_to``, docs/semantics.md call step 3)."""
        return self._device_flag(position, "redirect")

    def gateway(self, position: Term | int) -> Term:
        """The element is a gateway to a non-SIP network, where SIPS ends (bob's device with ``gateway``,
        docs/model.md); never also a redirect UA (``build_encoding`` asserts it)."""
        return self._device_flag(position, "gateway")

    def no_gateways(self) -> Term:
        """No device of bob's is a gateway (a counterexample's preferred shape: a gateway only where needed)."""
        return z3.And([z3.Not(self.gateway(self.bob(j))) for j in range(self.devices)])

    def no_strict_routers(self) -> Term:
        """No proxy is a strict router (a counterexample's preferred shape: a strict router, a legacy of RFC 2543,
        only where the violation needs one; SIPS-RULES.md F-19)."""
        return z3.And([z3.Not(self.strict(p)) for p in range(self.n) if self.is_proxy_position(p)])

    def _device_flag(self, position: Term | int, name: str) -> Term:
        """The flag ``bob<j>!<name>`` of the device at ``position`` (false for any other element)."""
        flags = [z3.Bool(f"bob{j}!{name}") for j in range(self.devices)]
        if isinstance(position, int):
            return flags[position - self.bob(0)] if position >= self.bob(0) else z3.BoolVal(False)
        return z3.Or([z3.And(position == self.bob(j), flag) for j, flag in enumerate(flags)])

    def redirect_scheme(self, j: int) -> Sym:
        """The scheme of the Contact a redirect UA ``bob(j)`` returns (``<scheme>:bob@example.com``)."""
        return fresh(f"bob{j}!redirect_scheme", SCHEME)

    def role(self, position: Term | int, registrar: bool = False) -> Sym:
        if registrar:
            return const(ROLE, "registrar")
        ua = z3.If(self.redirect(position), const(ROLE, "redirect").term,
                   z3.If(self.gateway(position), const(ROLE, "gateway").term, const(ROLE, "ua").term))
        return Sym(z3.If(self.is_proxy(position), const(ROLE, "proxy").term, ua), ROLE)

    # --- requests and transmissions ------------------------------------------------------------
    @contextmanager
    def in_segment(self, segment: Segment) -> Iterator[Segment]:
        """Lay out slots, requests and visits in ``segment`` (see the module docstring)."""
        saved, self.segment = self.segment, segment
        self.rules.segment = segment
        try:
            yield segment
        finally:
            self.segment = saved
            self.rules.segment = saved

    def in_time(self) -> None:
        """Raise :class:`OutOfTime` once the deadline has passed."""
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise OutOfTime(f"stopped after {len(self.slots)} transmission slots")

    def new_request(self, active: Term) -> Term:
        """The id of a request created when ``active`` holds: the number of requests created before it."""
        self.in_time()
        ident = z3.Int(f"request#{len(self.requests)}")
        self.requests.append((active, self.segment, ident))
        return ident

    def request_ids(self) -> list[Term]:
        """The assertions that give every request its id (call once the layout is complete)."""
        counts = positions([(a, seg) for a, seg, _ in self.requests])
        return [ident == count for (_, _, ident), count in zip(self.requests, counts, strict=True)]

    def send(self, active: Term, sender: Term | int, receiver: Term | int, fields: dict[str, Sym], request: Term,
             label: str) -> Slot:
        """Append a transmission slot (fields must hold every hops attribute except index and request)."""
        self.in_time()
        slot = Slot(active, sender, receiver, fields, request, label, self.segment, len(self.rules.visits))
        self.slots.append(slot)
        return slot

    def hops(self) -> list[SymRecord]:
        """The ``hops`` collection: every slot as a record with its index and request id."""
        records = []
        indices = positions([(slot.active, slot.segment) for slot in self.slots])
        for slot, index in zip(self.slots, indices, strict=True):
            values = dict(slot.fields)
            values["index"] = Sym(index, INT)
            values["request"] = Sym(slot.request, INT)
            missing = set(RECORD_SCHEMAS["hops"]) - set(values)
            if missing:
                raise KeyError(f"{slot.label}: hop attributes missing: {sorted(missing)}")
            records.append(SymRecord(slot.active, values))
        return records


def response_fields(request: dict[str, Sym], status: Term, contact: Sym, rr_top: Sym, sender: Sym,
                    receiver: Sym) -> dict[str, Sym]:
    """A response hop retracing a request hop: same transport and Via (RFC 3261 18.2.2)."""
    return {
        **{a: request[a] for a in ("method", "call", "initial", "transport", "secure", "via_secure", "origin", "to",
                                   "from")},
        "kind": const(KIND, "response"),
        "status": Sym(status, INT),
        "ruri": const(RECORD_SCHEMAS["hops"]["ruri"][0], "none"),
        "route0": const(OPT_SCHEME, "none"),
        "contact": contact,
        "rr_top": rr_top,
        "sender": sender,
        "receiver": receiver,
        "last": const(BOOL, False),
        "binding": const(INT, -1),
        "tls_param": const(BOOL, False),
        "udp_param": const(BOOL, False),
        "sips_udp_param": const(BOOL, False),
    }


__all__ = ["BASE", "METHOD", "OutOfTime", "Segment", "Slot", "Topology", "pick", "positions", "response_fields"]

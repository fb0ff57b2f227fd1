"""The simulator's mutable state: transactions, bindings, dialogs, the pending answers, the record.

Theory of operation: nothing runs in parallel. A request is delivered synchronously hop by hop; a
UAS records its final answer in ``pending`` instead of sending it at once, so a forking proxy sends
all its branches before any branch answers (parallel forking, RFC 3261 16.6). ``drain`` in
``sipsmodel.sim.ua`` then lets the UASs answer in the order the requests reached them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sipsmodel.model.expr import Record
from sipsmodel.model.scenario import Call, Registration, Scenario
from sipsmodel.model.trace import Decision, Transmission
from sipsmodel.rules.sets import RuleSet
from sipsmodel.sim.network import Network
from sipsmodel.syntax import NameAddr, SipMessage, Uri

if TYPE_CHECKING:
    from sipsmodel.sim.handlers import Receivers


@dataclass
class Binding:
    """A location-service binding (RFC 3261 10.3; RFC 3327 Path; RFC 5626 flow)."""

    id: int
    key: str
    key_scheme: bool
    contact: NameAddr
    path: tuple[NameAddr, ...]
    flow: str
    aor: str
    reg_ruri: str
    reg_from: str
    reg_secure: bool
    ua: str
    expires: int


@dataclass
class Dialog:
    """One endpoint's dialog state (RFC 3261 12.1.1, 12.1.2)."""

    call: int
    request: int
    role: str
    owner: str
    secure: bool
    route_set: list[NameAddr]
    remote_target: Uri
    local_contact: NameAddr
    local_uri: NameAddr
    remote_uri: NameAddr
    call_id: str
    cseq: int
    tls: bool
    req_ruri: str
    req_rr_top: str
    req_contact: str
    id: int = -1


@dataclass
class CallCtx:
    """A call of the scenario while it runs."""

    index: int
    call: Call
    caller: str
    call_id: str
    cseq: int
    from_tag: str
    retried: bool = False
    dialog: Dialog | None = None
    ended: bool = False
    invites: list[UacTxn] = field(default_factory=list)


@dataclass
class UacTxn:
    """An INVITE (or CANCEL) client transaction at the UAC."""

    ctx: CallCtx | None
    request: SipMessage
    transport: str
    next: str
    req_id: int
    final: SipMessage | None = None
    downstream: ServerTxn | None = None
    cancelled: bool = False
    target: Uri | None = None  # INVITE: the URI addressed (the Request-URI, or the last Route behind a strict router)


@dataclass
class ServerTxn:
    """A request received by an element, and (at a proxy) the branches it sent for it."""

    element: str
    request: SipMessage
    prev: str
    transport: str
    in_hop: int
    req_id: int
    call: int
    origin: str
    upstream: Branch | UacTxn | None
    binding: int = -1
    branches: list[Branch] = field(default_factory=list)
    final_sent: bool = False
    forking: bool = False  # a proxy is still creating its branches: no final response yet (16.7 step 6)
    cancelled: bool = False
    answer: tuple[int, int, str] | None = None  # UAS: (status, warn, contact scheme)
    answer_tp: str = "none"  # UAS: transport parameter of its Contact (uas_answer contact_tp)
    answer_decision: int | None = None
    to_tag: str | None = None
    cancels: ServerTxn | None = None  # a CANCEL: the INVITE transaction it cancels


@dataclass
class Branch:
    """A client transaction at a proxy: one forwarded copy of a request (RFC 3261 16.6)."""

    owner: ServerTxn
    request: SipMessage
    next: str
    transport: str
    out_hop: int
    binding: int
    responsible: bool
    recursion: bool
    rr: str = "none"
    rr_out: str = "sip"
    rr_count: int = 0
    source: SipMessage | None = None  # the request as the proxy forwarded it (after its own Route removal)
    base_routes: tuple[NameAddr, ...] = ()  # the Route values before the route0 option was applied
    downstream: ServerTxn | None = None
    final: SipMessage | None = None
    cancel_sent: bool = False
    rr_tp: str = "none"  # transport parameter of the inserted Record-Route values (proxy_forward rr_tp)


@dataclass
class HopMeta:
    """Bookkeeping the messages do not carry: request id, call, origin, binding, end of path."""

    req_id: int
    call: int
    initial: bool
    origin: str
    binding: int
    method: str
    last: bool = False


@dataclass
class SimState:
    """Everything a simulation accumulates."""

    scenario: Scenario
    network: Network
    rule_set: RuleSet
    chooser: Any
    receivers: Receivers  # who acts on each arrival (sipsmodel.sim.handlers.RECEIVERS)
    transmissions: list[Transmission] = field(default_factory=list)
    meta: list[HopMeta] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    occurrences: Counter[tuple[str, str]] = field(default_factory=Counter)
    forwards: list[Record] = field(default_factory=list)
    retries: list[Record] = field(default_factory=list)
    bindings: list[Binding] = field(default_factory=list)
    binding_ids: int = 0
    dialogs: list[Dialog] = field(default_factory=list)
    requests: int = 0
    pending: list[ServerTxn] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    branch_counts: Counter[str] = field(default_factory=Counter)
    tags: Counter[str] = field(default_factory=Counter)
    service_routes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    registration: Registration | None = None
    reg_flow: str = "none"
    call_ctx: CallCtx | None = None

    def new_request(self) -> int:
        """The next request id (docs/semantics.md, Observation)."""
        self.requests += 1
        return self.requests - 1

    def branch(self, element: str) -> str:
        """The next Via branch of an element: its scripted values first, then generated ones."""
        n = self.branch_counts[element]
        self.branch_counts[element] += 1
        scripted = self.network.element(element).branches
        return scripted[n] if n < len(scripted) else f"z9hG4bK{element}{n}"

    def tag(self, element: str) -> str:
        """A fresh tag for an element."""
        self.tags[element] += 1
        return f"{element}{self.tags[element]}"

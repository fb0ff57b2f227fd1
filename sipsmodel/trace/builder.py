"""From captured messages to the model's records (RECORD_SCHEMAS): hops, forwards, bindings, dialogs.

Theory of operation. Messages arrive in capture order and are grouped by Call-ID. Within a group:

- a message seen again on the same two ends with the same start line, top Via branch, CSeq and To
  tag is a retransmission and is folded (RFC 3261 sections 17.1.1.2, 17.2.1);
- a request whose Via stack minus its top entry is the Via stack of a request received earlier is
  that request forwarded (RFC 3261 section 16.6 step 8): the pair is a ``forwards`` record, and the
  receiving and sending addresses are one element; branches with different top Vias are forks and
  stay apart (section 16.6);
- a response belongs to the request hop with the same Via stack and CSeq method (section 17.1.3);
- a 2xx to an INVITE makes a UAC dialog where the originating UAC receives it and a UAS dialog where
  the UAS sends it (sections 12.1.1, 12.1.2); a 2xx to a REGISTER that the registrar did not forward
  creates or removes the bindings of the REGISTER's Contacts (section 10.3).

A group is closed (its records handed out, its messages dropped) when its call or registration is
over, when it has been idle for 64*T1 of capture time, when too many groups are open, or at the end.
Memory is the open groups plus the live bindings, not the file.

What the wire cannot show is never filled in silently: each record attribute that could not be
observed is named in ``unknown`` with the reason, and the checker leaves every property that reads it
undecided. Transport comes only from the capture, never from Via.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field

from sipsmodel.syntax import SipMessage
from sipsmodel.trace.bindings import Binder
from sipsmodel.trace.elements import Elements
from sipsmodel.trace.frames import Frame
from sipsmodel.trace.records import Hop, Observed, observe_group

IDLE_SECONDS = 32.0  # 64*T1, RFC 3261 section 17.1.1.2 (Timer B)
MAX_OPEN = 4096
MAX_CLOSED = 4096  # closed Call-IDs whose messages are remembered (for 64*T1) to fold late retransmissions


@dataclass
class Group:
    """The open messages of one Call-ID."""

    call_id: str
    hops: list[Hop] = field(default_factory=list)
    seen: set[tuple[object, ...]] = field(default_factory=set)
    requests: dict[tuple[tuple[str, ...], str], Hop] = field(default_factory=dict)
    last_time: float | None = None
    finished: bool = False


@dataclass
class Builder:
    """Builds records from messages, group by group (see the module docstring)."""

    elements: Elements
    binder: Binder = field(default_factory=Binder)
    _open: OrderedDict[str, Group] = field(default_factory=OrderedDict)
    _closed: OrderedDict[str, tuple[float | None, set[tuple[object, ...]]]] = field(default_factory=OrderedDict)
    _next_index: int = 0
    _next_request: int = 0
    _next_call: int = 0
    _next_dialog: int = 0
    folded: int = 0

    def add(self, frame: Frame, message: SipMessage) -> Iterator[Observed]:
        """Take one message; yield the groups this closes."""
        if frame.time is not None:
            yield from self._close_idle(frame.time)
        call_id = message.call_id() or ""
        group = self._open.get(call_id)
        if group is None and _fingerprint(frame, message) in self._closed.get(call_id, (None, set()))[1]:
            self.folded += 1  # a late retransmission of a message of a closed group
            return
        if group is None:
            group = self._open[call_id] = Group(call_id)
            if len(self._open) > MAX_OPEN:
                yield self._close(next(iter(self._open)))
        self._open.move_to_end(call_id)
        group.last_time = frame.time if frame.time is not None else group.last_time
        if not self._fold(group, frame, message):
            self._take(group, frame, message)
        if group.finished:
            yield self._close(call_id)

    def finish(self) -> Iterator[Observed]:
        """Close every open group (the end of the input)."""
        while self._open:
            yield self._close(next(iter(self._open)))

    def _close_idle(self, now: float) -> Iterator[Observed]:
        """Close the groups idle for longer than 64*T1 (the least recently active come first)."""
        while self._open:
            key, group = next(iter(self._open.items()))
            if group.last_time is None or now - group.last_time <= IDLE_SECONDS:
                return
            yield self._close(key)

    def _fold(self, group: Group, frame: Frame, message: SipMessage) -> bool:
        key = _fingerprint(frame, message)
        if key in group.seen:
            self.folded += 1
            return True
        group.seen.add(key)
        return False

    def _take(self, group: Group, frame: Frame, message: SipMessage) -> None:
        cseq = message.cseq()
        method = message.method if message.is_request else (cseq.method if cseq is not None else "")
        branches = tuple(v.branch or "" for v in message.vias())
        hop = Hop(self._next_index, frame, message, method or "", branches)
        self._next_index += 1
        if hop.secure:
            self.elements.saw_secure(frame.src)
            self.elements.saw_secure(frame.dst)
        if message.is_request:
            self._request(group, hop)
        else:
            self._response(group, hop)
        group.hops.append(hop)

    def _request(self, group: Group, hop: Hop) -> None:
        parent = group.requests.get((hop.branches[1:], hop.method)) if len(hop.branches) > 1 else None
        if parent is not None:
            parent.children += 1
            hop.parent, hop.request = parent.index, parent.request
            self.elements.merge(parent.frame.dst, hop.frame.src)
            self.elements.saw_forward(hop.frame.src)
        else:
            hop.request = self._next_request
            self._next_request += 1
        hop.binding = self.binder.lookup(hop.message.request_uri, hop.frame.time)
        group.requests.setdefault((hop.branches, hop.method), hop)

    def _response(self, group: Group, hop: Hop) -> None:
        request = group.requests.get((hop.branches, hop.method))
        status = hop.message.status or 0
        if request is None:
            return
        hop.request = request.request
        if status >= 200:
            request.answered = True
        if request.method == "REGISTER" and 200 <= status < 300 and request.children == 0:
            self.elements.saw_registrar(hop.frame.src)
            self.binder.register(request, self.elements)
            group.finished = True
        if request.method == "BYE" and status >= 200 and request.parent is None:
            group.finished = True

    def _close(self, call_id: str) -> Observed:
        group = self._open.pop(call_id)
        self._closed[call_id] = (group.last_time, group.seen)
        self._closed.move_to_end(call_id)
        while self._closed:
            when = next(iter(self._closed.values()))[0]
            stale = when is not None and group.last_time is not None and group.last_time - when > IDLE_SECONDS
            if len(self._closed) <= MAX_CLOSED and not stale:
                break
            self._closed.popitem(last=False)
        is_call = any(h.method not in ("REGISTER",) for h in group.hops)
        call = self._next_call if is_call else -1
        if is_call:
            self._next_call += 1
        observed = observe_group(group.hops, call, self.elements, self.binder, self._next_dialog)
        self._next_dialog += len(observed.observation["dialogs"])
        return observed


def _fingerprint(frame: Frame, message: SipMessage) -> tuple[object, ...]:
    """What makes a message a retransmission of another (RFC 3261 17.1.1.2, 17.2.1)."""
    cseq, to = message.cseq(), message.to()
    vias = message.vias()
    return (frame.src, frame.dst, message.method, message.status, vias[0].branch if vias else None,
            None if cseq is None else (cseq.number, cseq.method), None if to is None else to.tag)

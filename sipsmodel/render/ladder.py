"""A Trace as an RFC-style call-flow ladder (actors across the top, F1..Fn arrows), as in RFC 3665.

Each transmission is two lines: its label (F-number, method or status, the hop's transport) over an
arrow between the two actors' lifelines. ``mark`` flags one transmission (a property's violation).
With ``why``, the decisions placed at each transmission (``sipsmodel.render.why``) follow its arrow,
one line each, starting just right of the hop's left lifeline (docs/why.md).
"""

from __future__ import annotations

from collections.abc import Sequence

from sipsmodel.model.trace import Trace, Transmission
from sipsmodel.render.why import BEFORE_FIRST, Placed, decision_line, place_decisions

MARGIN = 6
MIN_GAP = 22
MARK = "<== violation"


def actors(trace: Trace, order: Sequence[str] = ()) -> list[str]:
    """The columns: ``order`` first (a scenario's ``columns``), then the caller, path, callee order.

    The caller is the sender of the first INVITE; then the elements that forward an INVITE, in the order
    the INVITE reaches them; then those that receive one without forwarding it (the callee's devices);
    any other element (a registrar seen only by REGISTER, a device that only registers) last, in order
    of first appearance. Without an INVITE the order is that of first appearance.
    """
    seen: list[str] = []
    for item in trace.transmissions:
        seen += [n for n in (item.sender, item.receiver) if n not in seen]
    invites = [t for t in trace.transmissions if t.message.is_request and t.message.method == "INVITE"]
    senders = {t.sender for t in invites}
    path = [invites[0].sender] if invites else []
    path += [t.receiver for t in invites if t.receiver in senders]
    path += [t.receiver for t in invites if t.receiver not in senders]
    fixed = [n for n in order if n in seen]
    return list(dict.fromkeys([*fixed, *path, *seen]))


def label(item: Transmission) -> str:
    """``INVITE (TLS)`` or ``200 OK (TCP)``."""
    message = item.message
    head = message.method if message.is_request else f"{message.status} {message.reason}"
    return f"{head} ({item.transport})"


def _columns(names: list[str], labels: list[str], titles: dict[str, str]) -> list[int]:
    gap = max([MIN_GAP, *(len(t) + 4 for t in labels), *(len(titles.get(n, n)) + 2 for n in names)])
    return [MARGIN + gap // 2 + n * gap for n in range(len(names))]


def _why_lines(row: list[str], column: int, placed: Sequence[Placed]) -> list[str]:
    """The decision lines under a hop: the lifelines up to ``column``, then ``> decision``."""
    head = "".join(row[:column + 1])
    return [f"{head} > {decision_line(p)}" for p in placed]


def render_ladder(trace: Trace, mark: int | None = None, titles: dict[str, str] | None = None,
                  order: Sequence[str] = (), why: bool = False) -> str:
    """The ladder of ``trace``; ``titles`` maps element names to column titles, ``order`` fixes columns.

    ``why``: under each arrow, the decisions taken there (one line each).
    """
    names = actors(trace, order)
    if not names:
        return "(no transmissions)"
    titles = titles or {}
    labels = [label(t) for t in trace.transmissions]
    xs = _columns(names, labels, titles)
    width = xs[-1] + 2
    position = dict(zip(names, xs, strict=True))

    def blank() -> list[str]:
        row = [" "] * width
        for x in xs:
            row[x] = "|"
        return row

    head = [" "] * width
    for name, x in position.items():
        title = titles.get(name, name)
        start = max(0, x - len(title) // 2)
        head[start:start + len(title)] = title
    lines = ["".join(head).rstrip(), "".join(blank()).rstrip()]
    placed = place_decisions(trace) if why else {}
    lines += _why_lines(blank(), xs[0], placed.get(BEFORE_FIRST, ()))
    for item, text in zip(trace.transmissions, labels, strict=True):
        a, b = position[item.sender], position[item.receiver]
        left, right = min(a, b), max(a, b)
        tag = f"F{item.index + 1}"
        top = blank()
        top[0:len(tag)] = tag
        start = left + 1 + max(0, (right - left - 1 - len(text)) // 2)
        top[start:start + len(text)] = text
        arrow = blank()
        for x in range(left + 1, right):
            arrow[x] = "-"
        if a < b:
            arrow[right - 1] = ">"
        else:
            arrow[left + 1] = "<"
        suffix = f"   {MARK}" if mark == item.index else ""
        lines += ["".join(top).rstrip(), "".join(arrow).rstrip() + suffix]
        lines += _why_lines(blank(), left, placed.get(item.index, ()))
    lines.append("".join(blank()).rstrip())
    return "\n".join(lines)

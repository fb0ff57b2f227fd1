"""The final response a forking proxy forwards (one step, two engines).

RFC 3261 16.7 step 6 (the best response: a 6xx, else a 2xx, else the lowest class; the first of its
class), step 5 (a 2xx is forwarded at once: the first one); RFC 5630 5.3 (no branch sent for a sips
Request-URI because a sip binding was left out: 480 with warn-code 380). Theory of operation:
``sipsmodel.steps``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic

from sipsmodel.steps.ops import B, E, N, Ops

#: What an answer carries besides its status (warn-code, Contact scheme, ...; a branch index in the simulator).
Payload = tuple[Any, ...]

#: The classes of final responses, best first (RFC 3261 16.7 step 6; docs/semantics.md, Forking).
PREFERENCE = (600, 200, 300, 400, 500)


@dataclass(frozen=True)
class Answer(Generic[B, N]):
    """One branch's final response as the proxy sees it: whether it came, its status, what it carries."""

    answered: B | bool
    status: N
    payload: Payload


@dataclass(frozen=True)
class Best(Generic[N]):
    """The response forwarded: its status and payload, and the index of the first 2xx (-1: none)."""

    status: N
    payload: Payload
    winner: N


def best_final(ops: Ops[B, N, E], answers: Sequence[Answer[B, N]], nobody: Answer[B, N],
               classes: Sequence[int] = PREFERENCE) -> Best[N]:
    """The best final response among ``answers`` (in the order the branches were created).

    ``nobody``: what is sent when no branch answered. ``classes``: the classes of :data:`PREFERENCE`
    the answers can be of, best first (the encoding's family knows its statuses are 2xx, 3xx or 4xx);
    the first answer is taken unless one of a better class than the last of ``classes`` came. Payloads
    are tuples of engine values, chosen element by element.
    """
    classes = [c for c in PREFERENCE if c in classes]
    status, payload = nobody.status, nobody.payload
    winner: N = ops.number(-1)
    for n in range(len(answers) - 1, -1, -1):  # the first answer (all of the worst class)
        status, payload = _take(ops, answers[n].answered, answers[n], status, payload)
    for cls in reversed(classes[:-1]):  # each better class beats the ones after it
        for n in range(len(answers) - 1, -1, -1):
            won = ops.and_(answers[n].answered, ops.ge(answers[n].status, cls), ops.lt(answers[n].status, cls + 100))
            status, payload = _take(ops, won, answers[n], status, payload)
            if cls == 200:
                winner = ops.ite(won, ops.number(n), winner)
    return Best(status, payload, winner)


def _take(ops: Ops[B, N, E], cond: B | bool, answer: Answer[B, N], status: N, payload: Payload) -> tuple[N, Payload]:
    chosen = tuple(ops.ite(cond, new, old) for new, old in zip(answer.payload, payload, strict=True))
    return ops.ite(cond, answer.status, status), chosen


def left_out_sip(ops: Ops[B, N, E], found: B | bool, not_sent: B | bool, contact: E) -> B:
    """A binding found under the AoR, with a sip Contact, to which no branch was sent (RFC 5630 5.3)."""
    return ops.and_(found, not_sent, ops.is_(contact, "sip"))


def no_branch_warn(ops: Ops[B, N, E], in_ruri: E, left_out: Sequence[B]) -> N:
    """The warn-code of the 480 a proxy sends when no branch was sent: 380 for a sips Request-URI whose
    sip bindings were left out, else none (RFC 5630 5.3, RFC 3261 21.4.18)."""
    return ops.ite(ops.and_(ops.is_(in_ruri, "sips"), ops.or_(*left_out)), ops.number(380), ops.number(0))

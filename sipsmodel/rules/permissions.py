"""Permissions: the RFC 3261 MAYs (and SHOULD NOTs that leave the opposite allowed) the model expresses.

A permission says "at this choice point, in a state where ``when`` holds, an option satisfying
``option`` stays available". It is not a constraint on elements (no rule set asserts it); the decision
analysis (``sipsmodel.smt.conflicts``) asks whether a candidate change removes the permitted option at
some reachable state, which contradicts RFC 3261 and so needs a standards-track update (SIPS-RULES.md
section B, the test used there). Each entry names the SIPS-RULES.md rule (section A) it reads.

A permission of kind ``local-policy`` is an option the text leaves to local policy rather than one it
grants explicitly (RFC 3261 26.2.2: after the responsible element, "local security and routing
policy"): issue 8 counts local policy as open, so a change that removes the option *narrows* local
policy (BCP-able) and does not contradict the text.

A *refusal* (:data:`REFUSALS`) says where RFC 3261 lets an element not send at all, so that "no option
left" there is the element refusing (the simulator answers 480), a conforming behaviour, not a clash.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from sipsmodel.model.expr import Expr, parse_expr
from sipsmodel.rules.table import R3261


@dataclass(frozen=True)
class Permission:
    """An option RFC 3261 leaves available at one choice point in the states where ``when`` holds."""

    id: str
    rule: str
    document: str
    section: str
    keyword: str
    binds: str
    reading: str
    choice_point: str
    when: str
    option: str
    kind: str = "permission"

    @cached_property
    def when_expr(self) -> Expr:
        return parse_expr(self.when, source=f"permission {self.id} (when)")

    @cached_property
    def option_expr(self) -> Expr:
        return parse_expr(self.option, source=f"permission {self.id} (option)")


PERMISSIONS: tuple[Permission, ...] = (
    Permission("P-3261-26.4.4-a", "R-3261-26.4.4-a", R3261, "26.4.4", "MAY", "proxy",
               "the location service may hand back a SIP Contact for a SIPS Request-URI, and the responsible proxy "
               "forwards to it (16.6 step 2: the Request-URI becomes the target)",
               "proxy_forward", "in_ruri == sips and responsible and binding == sip", "ruri == sip"),
    Permission("P-3261-26.2.2-a", "R-3261-26.2.2-a", R3261, "26.2.2", "MAY", "proxy",
               "the last-hop exception: from the responsible proxy to the UAS, local policy may use a hop that is "
               "not TLS (the text leaves it to \"local security and routing policy\": open, not granted)",
               "proxy_forward", "in_ruri == sips and responsible and last_hop", "not secure(transport)",
               kind="local-policy"),
    Permission("P-3261-26.4.4-c", "R-3261-26.4.4-c", R3261, "26.4.4", "MAY", "proxy",
               "a responsible proxy may retarget a SIP Request-URI to a SIPS Contact found in the location service",
               "proxy_forward", "in_ruri == sip and responsible and binding == sips", "ruri == sips"),
    Permission("P-3261-16.7-8a", "R-3261-16.7-8a", R3261, "16.7 step 8", "MAY", "proxy",
               "a proxy that Record-Routed once may rewrite its Record-Route value in the 2xx it forwards",
               "proxy_response_rr", "rr == single", "rewrite != keep"),
    Permission("P-3261-16.7-4a", "R-3261-16.7-4a", R3261, "16.7 step 4", "SHOULD NOT", "proxy",
               "a proxy should not recurse on a 3xx with a SIP Contact to a SIPS request, but may (SHOULD NOT)",
               "proxy_recurse", "ruri == sips and failure == r3xx and contact == sip", "action == recurse"),
    Permission("P-3261-8.1.3.4-a", "R-3261-8.1.3.4-a", R3261, "8.1.3.4", "MAY", "UAC",
               "a UAC may retry a SIPS request to a SIP Contact of a 3xx (it SHOULD tell the user)",
               "uac_retry", "ruri == sips and failure == r3xx and contact == sip", "action == retry"),
)

PERMISSIONS_BY_ID: dict[str, Permission] = {p.id: p for p in PERMISSIONS}


def permissions_at(choice_point: str) -> tuple[Permission, ...]:
    """The permissions of one choice point."""
    return tuple(p for p in PERMISSIONS if p.choice_point == choice_point)


@dataclass(frozen=True)
class Refusal:
    """States of a choice point where RFC 3261 lets the element send nothing (``when``), and the clause."""

    choice_point: str
    when: str
    clause: str

    @cached_property
    def when_expr(self) -> Expr:
        return parse_expr(self.when, source=f"refusal at {self.choice_point}")


#: Where not sending is a conforming RFC 3261 behaviour, by choice point. A responsible proxy builds its
#: target set by local policy (16.5; the model's proxy_target leaves every binding optional), and the
#: hop after it is local security and routing policy (26.2.2): it may fail a branch, and answers 480
#: when no target is left (16.5). Elsewhere RFC 3261 makes a request fail only when no conforming next
#: hop exists (16.9, 8.1.3.1 with RFC 3263: a transport or resolution error), which is the base's own
#: "no option" state; a non-responsible proxy MUST forward to the Request-URI (16.5), and a UAC's
#: request and an in-dialog request (an ACK of a 2xx, 13.2.2.4) are what the text asks it to send.
REFUSALS: dict[str, Refusal] = {
    "proxy_forward": Refusal(
        "proxy_forward", "responsible",
        f"{R3261} 16.5 and 26.2.2: the responsible proxy's target set and last hop are local policy; a branch it "
        "does not forward leaves the target set (480 when it is empty)"),
}

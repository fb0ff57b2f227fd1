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

A *refusal* (:data:`REFUSAL_CLAUSE`) is a state where a change and the base leave an element no option
only for want of TLS: the element fails the request (the simulator answers 480), as RFC 3261 does
with any SIPS request toward a hop without TLS, a conforming behaviour, not a clash.
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


def _permission(rule: str, section: str, keyword: str, binds: str, reading: str, choice_point: str, when: str,
                option: str, kind: str = "permission") -> Permission:
    """An RFC 3261 permission, named after the rule it reads (``R-3261-8.1.3.4-a`` gives ``P-3261-8.1.3.4-a``)."""
    return Permission("P-" + rule.removeprefix("R-"), rule, R3261, section, keyword, binds, reading, choice_point,
                      when, option, kind)


PERMISSIONS: tuple[Permission, ...] = (
    _permission("R-3261-26.4.4-a", "26.4.4", "MAY", "proxy",
                "the location service may hand back a SIP Contact for a SIPS Request-URI, and the responsible proxy "
                "forwards to it (16.6 step 2: the Request-URI becomes the target)",
                "proxy_forward", "in_ruri == sips and responsible and binding == sip", "ruri == sip"),
    _permission("R-3261-26.2.2-a", "26.2.2", "MAY", "proxy",
                "the last-hop exception: from the responsible proxy to the UAS, local policy may use a hop that is "
                "not TLS (the text leaves it to \"local security and routing policy\": open, not granted)",
                "proxy_forward", "in_ruri == sips and responsible and last_hop", "not secure(transport)",
                kind="local-policy"),
    _permission("R-3261-26.4.4-c", "26.4.4", "MAY", "proxy",
                "a responsible proxy may retarget a SIP Request-URI to a SIPS Contact found in the location service",
                "proxy_forward", "in_ruri == sip and responsible and binding == sips", "ruri == sips"),
    _permission("R-3261-16.7-8a", "16.7 step 8", "MAY", "proxy",
                "a proxy that Record-Routed once may rewrite its Record-Route value in the 2xx it forwards",
                "proxy_response_rr", "rr == single", "rewrite != keep"),
    _permission("R-3261-16.7-4a", "16.7 step 4", "SHOULD NOT", "proxy",
                "a proxy should not recurse on a 3xx with a SIP Contact to a SIPS request, but may (SHOULD NOT)",
                "proxy_recurse", "ruri == sips and failure == r3xx and contact == sip", "action == recurse"),
    _permission("R-3261-8.1.3.4-a", "8.1.3.4", "MAY", "UAC",
                "a UAC may retry a SIPS request to a SIP Contact of a 3xx (it SHOULD tell the user)",
                "uac_retry", "ruri == sips and failure == r3xx and contact == sip", "action == retry"),
)

PERMISSIONS_BY_ID: dict[str, Permission] = {p.id: p for p in PERMISSIONS}


def permissions_at(choice_point: str) -> tuple[Permission, ...]:
    """The permissions of one choice point."""
    return tuple(p for p in PERMISSIONS if p.choice_point == choice_point)


#: Where "no option left" is a failure RFC 3261 itself produces, not a clash: the change and the base leave
#: no option only because the next hop (or the element) lacks TLS, and with TLS some option would meet
#: both. A SIPS hop needs TLS (8.1.2, 16.6 step 7, with RFC 3263 4.1 keeping only TLS targets for a
#: SIPS URI); without one the request cannot be sent and fails (16.9: as a 503; 8.1.3.1 at a UAC; a
#: responsible proxy whose branches all fail answers 480, 16.5), which is what any element does with a
#: SIPS request toward a hop without TLS. So a change that keeps a request SIPS where the base would
#: have let it go SIP only *narrows to refusal* there. A change that leaves no option for another reason
#: (the form of a value, the transport of a flow) still clashes, whoever the element is: it asks for a
#: message the base forbids.
REFUSAL_FEATURES: tuple[str, ...] = ("tls", "next_tls")
REFUSAL_CLAUSE = (
    f"{R3261} 8.1.2 and 16.6 step 7 with RFC 3263 4.1: a SIPS hop needs TLS, and with no TLS to the next hop "
    "the request fails (16.9; a responsible proxy with no branch left answers 480, 16.5), as any element's "
    "SIPS request toward a hop without TLS does")

"""The choice points of the permissive model, as data.

Theory of operation (in the manner of h11's state tables): wherever RFC 3261, draft-04 or RFC 5630
leaves an element a choice, the model has a *choice point*. It reads a few *features* of the state
(finite domains), offers *options* (finite domains), and always obeys its *model constraints* (what is
physically possible, e.g. no TLS without TLS support). Everything the documents allow is an option;
the normative rules (``sipsmodel.rules.table``) narrow the options. The simulator enumerates the
options a rule set allows and lets a chooser pick; ``sipsmodel.smt`` encodes the same features,
options and constraints symbolically. Features are always computed by the model from the state; the
``derivation`` text of each feature is the contract both engines implement.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from itertools import product

from sipsmodel.model.expr import Expr, Value, parse_expr
from sipsmodel.model.vocab import (
    BOOL,
    FAILURE,
    FLOW,
    OPT_SCHEME,
    RECURSE,
    REG_STATUS,
    RETRY,
    REWRITE,
    RR_KIND,
    SCHEME,
    TPARAM,
    TRANSPORT,
    UAS_STATUS,
    WARN,
    Domain,
)


@dataclass(frozen=True)
class Feature:
    """A value the model computes from the state before the choice."""

    name: str
    domain: Domain
    derivation: str


@dataclass(frozen=True)
class Option:
    """A decision the element makes at the choice point."""

    name: str
    domain: Domain
    meaning: str


@dataclass(frozen=True)
class ChoicePoint:
    """One place where an element chooses; rules constrain its options given its features."""

    name: str
    element: str
    summary: str
    reference: str
    features: tuple[Feature, ...]
    options: tuple[Option, ...]
    constraints: tuple[str, ...] = ()
    prefer: tuple[str, ...] = ()

    @cached_property
    def constraint_exprs(self) -> tuple[Expr, ...]:
        return tuple(parse_expr(c, source=f"choice point {self.name}") for c in self.constraints)

    @cached_property
    def prefer_exprs(self) -> tuple[Expr, ...]:
        return tuple(parse_expr(c, source=f"choice point {self.name}") for c in self.prefer)

    @cached_property
    def variables(self) -> dict[str, Domain]:
        """Every name in scope at this choice point: features and options."""
        names = {f.name: f.domain for f in self.features}
        names.update({o.name: o.domain for o in self.options})
        return names

    def option_space(self) -> list[dict[str, Value]]:
        """Every combination of option values, in domain order (constraints not applied)."""
        names = [o.name for o in self.options]
        return [dict(zip(names, combo, strict=True)) for combo in product(*(o.domain.values for o in self.options))]


def _f(name: str, domain: Domain, derivation: str) -> Feature:
    return Feature(name, domain, derivation)


def _o(name: str, domain: Domain, meaning: str) -> Option:
    return Option(name, domain, meaning)


_TLS = _f("tls", BOOL, "the deciding element supports TLS (and so SIPS, RFC 3261 8.1.1.2)")
_NEXT_TLS = _f("next_tls", BOOL, "the element the request is sent to supports TLS")
_TRANSPORT = _o("transport", TRANSPORT, "transport of the outgoing hop")
_PHYSICAL_TLS = "secure(transport) -> tls and next_tls"
_MALICIOUS = _f("malicious", BOOL, "the proxy is marked malicious (no rule binds it)")
_CONTACT_TP = _o("contact_tp", TPARAM, "transport parameter the UA writes into its Contact URI (none: no parameter; "
                                       "RFC 3261 19.1.1, 26.2.2; draft-04 7)")
#: RFC 3261 19.1.1 (grammar): a sips URI never names transport=udp; the syntax layer refuses one.
_NO_SIPS_UDP = "contact == sips -> contact_tp != UDP"

UAC_INVITE = ChoicePoint(
    name="uac_invite",
    element="ua",
    summary="a UAC sends a dialog-creating request (INVITE)",
    reference="RFC 3261 8.1.1, 8.1.2, 12.1.2; RFC 5630 5.1.1",
    features=(
        _f("target", SCHEME, "scheme of the URI the user asked to reach (address book, dialled URI)"),
        _TLS,
        _NEXT_TLS,
        _f("route_stored", OPT_SCHEME,
           "scheme of the first entry of the pre-existing route set (outbound proxy or Service-Route); none if empty"),
        _f("route_strict", BOOL,
           "the first entry of the pre-existing route set has no lr (a strict router): the request is built as "
           "12.2.1.1 says (8.1.1.1), with that entry as the Request-URI and the target as the last Route value "
           "(F-19); False without a route set"),
        _f("retry", BOOL, "the request retries a failed one: its target is the 3xx Contact or the twin (8.1.3.4)"),
        _f("target_tp", TPARAM, "transport parameter of the target URI (a 3xx Contact's on a retry, 8.1.3.4; none "
                                "otherwise): the Request-URI sends it, or behind a strict first entry the last "
                                "Route value"),
        _f("next_tp", TPARAM, "transport parameter of the URI the next hop is resolved from unless it is the "
                              "preloaded route's entry (whose parameter is the option route_tp): the target's "
                              "without a route set or an outbound proxy, else none (steps/routing.py; RFC 3263 4.1)"),
    ),
    options=(
        _o("ruri", SCHEME, "scheme of the Request-URI sent: the target, or with route_strict the first route entry"),
        _o("route0", OPT_SCHEME, "scheme of the topmost Route value sent, none without Route; with route_strict the "
                                 "scheme of the target, sent last in Route (the topmost value for a one-entry route)"),
        _o("contact", SCHEME, "scheme of the Contact sent"),
        _TRANSPORT,
        _CONTACT_TP,
        _o("route_tp", TPARAM, "transport parameter of the first Route value sent, the preloaded route's first "
                               "entry (none: no parameter, and none without a route or with a strict first entry; "
                               "RFC 3261 19.1.1, 26.2.2; draft-04 7); the next hop is resolved from it (RFC 3263 4.1)"),
    ),
    constraints=(_PHYSICAL_TLS, "(route0 == none) <-> (route_stored == none)", _NO_SIPS_UDP,
                 "route0 == none or route_strict -> route_tp == none",
                 #: RFC 3261 19.1.1 (grammar): a sips URI never names transport=udp
                 "route0 == sips -> route_tp != UDP",
                 #: the target URI is written whole (8.1.3.4), so it is not sent as sips when it names udp (19.1.1);
                 #: it is the Request-URI, or behind a strict first entry the Route value (records.uac_addressed)
                 "(ruri == sips and (not route_strict or route0 == none)) or (route0 == sips and route_strict) "
                 "-> target_tp != UDP"),
    prefer=("(ruri == target and not route_strict) or (route0 == target and route_strict)",
            "(route0 == route_stored and not route_strict) or (ruri == route_stored and route_strict)",
            "contact == ruri", "secure(transport)", "transport == TCP", "contact_tp == none", "route_tp == none"),
)

PROXY_FORWARD = ChoicePoint(
    name="proxy_forward",
    element="proxy",
    summary="a proxy forwards a request on one branch",
    reference="RFC 3261 16.5, 16.6; draft-04 4, 4.2; RFC 5630 5.3",
    features=(
        _f("in_ruri", SCHEME, "scheme of the Request-URI as received (after the 16.4 strict-route fix-up)"),
        _f("in_secure", BOOL, "the hop the request arrived on is TLS-protected"),
        _f("responsible", BOOL,
           "the proxy is responsible for the Request-URI's domain and retargets with the location service (16.5)"),
        _f("binding", OPT_SCHEME,
           "scheme of the registered Contact this branch targets, as stored; none when not retargeting"),
        _f("route_next", OPT_SCHEME,
           "scheme of the next Route value after removing the proxy's own entries and pushing a stored Path; "
           "none when there is none"),
        _f("dialog_forming", BOOL, "the request can create a dialog (INVITE)"),
        _TLS,
        _NEXT_TLS,
        _f("flow", FLOW, "transport of the outbound flow the next hop must reuse (RFC 5626 7); none without one"),
        _f("last_hop", BOOL, "the next element is the user agent the request is delivered to"),
        _f("ruri_tp", TPARAM, "transport parameter of the URI the Request-URI is sent with (the registered Contact "
                              "when retargeting, else the Request-URI as received); the Request-URI sent keeps it"),
        _f("next_tp", TPARAM, "transport parameter of the URI the next hop is resolved from (steps/routing.py: the "
                              "first Route value left, a pushed Path among them, else none with an outbound proxy, "
                              "else ruri_tp; RFC 3263 4.1)"),
        _MALICIOUS,
    ),
    options=(
        _o("ruri", SCHEME, "scheme of the Request-URI sent"),
        _o("route0", OPT_SCHEME, "scheme of the topmost Route value sent"),
        _TRANSPORT,
        _o("rr", RR_KIND, "Record-Route values inserted: none, one, or two (draft-04 4.2 double recording)"),
        _o("rr_out", SCHEME, "scheme of the inserted value on top (facing the next element)"),
        _o("rr_in", SCHEME, "double only: scheme of the inserted value facing the incoming leg"),
        _o("rr_tp", TPARAM, "transport parameter of the inserted Record-Route values (none: no parameter, and none "
                            "without rr; one choice shared by both values of a double: RFC 3261 19.1.1, 26.2.2; "
                            "draft-04 7)"),
        _o("via_lie", BOOL, "the Via claims TLS although the hop is not TLS (malicious only)"),
    ),
    constraints=(
        _PHYSICAL_TLS,
        "(route0 == none) <-> (route_next == none)",
        "rr == double or rr_in == rr_out",
        "rr == none -> rr_out == sip",
        "rr == none -> rr_tp == none",
        #: RFC 3261 19.1.1 (grammar): a sips URI never names transport=udp
        "rr_out == sips or rr_in == sips -> rr_tp != UDP",
        "ruri == sips -> ruri_tp != UDP",
        #: the first Route value sent is the one the next hop is resolved from, with its parameter (19.1.1)
        "route0 == sips -> next_tp != UDP",
        "not dialog_forming -> rr == none",
        "via_lie -> malicious and not secure(transport)",
    ),
    prefer=("not via_lie", "ruri == in_ruri or binding == none", "binding == none or ruri == binding",
            "route0 == route_next", "rr != none", "rr != double", "in_secure -> secure(transport)",
            "secure(transport)", "transport == TCP", "rr_tp == none"),
)

PROXY_TARGET = ChoicePoint(
    name="proxy_target",
    element="proxy",
    summary="the responsible proxy decides whether a binding found under the AoR joins its target set",
    reference="RFC 3261 16.5; draft-04 4; RFC 5630 5.3",
    features=(
        _f("in_ruri", SCHEME, "scheme of the Request-URI as received"),
        _f("binding", SCHEME, "scheme of the binding's registered Contact"),
        _MALICIOUS,
    ),
    options=(_o("target", BOOL, "the binding is a target (a branch is forwarded to it)"),),
    constraints=(),
    prefer=("target",),
)

PROXY_RESPONSE_RR = ChoicePoint(
    name="proxy_response_rr",
    element="proxy",
    summary="a proxy forwards the 2xx of a dialog-creating request and may rewrite its own Record-Route value",
    reference="RFC 3261 16.7 step 8; draft-04 4.2; RFC 5630 Appendix A",
    features=(
        _f("rr", RR_KIND, "Record-Route values this proxy inserted in the request"),
        _f("rr_out", SCHEME, "scheme of the inserted value on top, as sent in the request"),
        _f("rr_tp", TPARAM, "transport parameter of the inserted values, as sent in the request (kept by a rewrite, "
                         "except udp, which a rewrite to sips drops: steps.recordroute.rewritten_tparam)"),
        _f("in_secure", BOOL, "the request's incoming leg was TLS-protected"),
        _f("out_secure", BOOL, "the request's outgoing leg was TLS-protected"),
        _MALICIOUS,
    ),
    options=(_o("rewrite", REWRITE, "keep the value, or rewrite its scheme to sip or sips in the response"),),
    constraints=("rr != single -> rewrite == keep",),
    prefer=("rewrite == keep",),
)

UAS_ANSWER = ChoicePoint(
    name="uas_answer",
    element="ua",
    summary="a UAS answers a dialog-creating request",
    reference="RFC 3261 8.2.2.1, 12.1.1; draft-04 6; RFC 5630 5.1.2",
    features=(
        _f("ruri", SCHEME, "scheme of the Request-URI as received"),
        _f("in_secure", BOOL, "the hop the request arrived on is TLS-protected"),
        _f("rr_top", OPT_SCHEME, "scheme of the topmost Record-Route value as received (none when absent)"),
        _f("req_contact", SCHEME, "scheme of the request's Contact"),
        _TLS,
        _f("sips_ok", BOOL, "the UA's policy accepts SIPS requests"),
        _f("sip_ok", BOOL, "the UA's policy accepts SIP requests"),
        _f("gateway", BOOL, "the UA is a gateway or B2BUA to a non-SIP network (e.g. the PSTN): SIPS ends there"),
    ),
    options=(
        _o("status", UAS_STATUS, "final response: 200, 400, 416 or 480"),
        _o("warn", WARN, "warn-code added to a 480 (0 for none)"),
        _o("contact", SCHEME, "scheme of the Contact in a 200 (sip when not 200)"),
        _o("contact_tp", TPARAM, "transport parameter of the Contact in a 200 (none when not 200; RFC 3261 19.1.1, "
                                 "26.2.2; draft-04 7)"),
    ),
    constraints=(
        "status != 480 -> warn == 0",
        "status != 200 -> contact == sip",
        "status == 200 -> (ruri == sips -> sips_ok and tls) and (ruri == sip -> sip_ok)",
        "status != 200 -> contact_tp == none",
        _NO_SIPS_UDP,
    ),
    prefer=("status == 200", "contact == ruri", "warn != 0", "contact_tp == none"),
)

REDIRECT_ANSWER = ChoicePoint(
    name="redirect_answer",
    element="ua",
    summary="a redirect UA answers an INVITE with a 302 and writes the transport parameter of its Contact",
    reference="RFC 3261 8.3, 19.1.1, 26.2.2; draft-04 7; RFC 5630 5.4",
    features=(
        _f("ruri", SCHEME, "scheme of the Request-URI as received"),
        _f("contact", SCHEME, "scheme of the Contact it returns (the configured redirect target)"),
    ),
    options=(
        _o("contact_tp", TPARAM, "transport parameter of the 302's Contact (none: no parameter; it replaces any the "
                                 "configured target names; RFC 3261 19.1.1, 26.2.2; draft-04 7)"),
    ),
    constraints=(_NO_SIPS_UDP,),
    prefer=("contact_tp == none",),
)

UA_REGISTER = ChoicePoint(
    name="ua_register",
    element="ua",
    summary="a UA registers one Contact for its AoR",
    reference="RFC 3261 10.2; draft-04 5; RFC 5630 5.1.1.1",
    features=(
        _f("want_sips", BOOL, "the UA's policy is to be reachable by SIPS"),
        _TLS,
        _NEXT_TLS,
    ),
    options=(
        _o("contact", SCHEME, "scheme of the registered Contact"),
        _o("aor", SCHEME, "scheme of the AoR in To and From"),
        _o("ruri", SCHEME, "scheme of the REGISTER's Request-URI"),
        _TRANSPORT,
        _CONTACT_TP,
    ),
    constraints=(_PHYSICAL_TLS, "contact == sips -> tls", _NO_SIPS_UDP),
    prefer=("(contact == sips) <-> want_sips", "aor == contact", "ruri == contact", "secure(transport)",
            "transport == TCP", "contact_tp == none"),
)

EDGE_REGISTER = ChoicePoint(
    name="edge_register",
    element="proxy",
    summary="an edge proxy forwards a REGISTER to the registrar and may add a Path value",
    reference="RFC 3327; RFC 5626 5.1; draft-04 4.2, 5",
    features=(
        _f("in_ruri", SCHEME, "scheme of the REGISTER's Request-URI"),
        _f("in_secure", BOOL, "the hop the REGISTER arrived on is TLS-protected"),
        _f("contact", SCHEME, "scheme of the registered Contact"),
        _TLS,
        _NEXT_TLS,
        _MALICIOUS,
    ),
    options=(_o("path", OPT_SCHEME, "scheme of the Path value inserted (none: no Path)"), _TRANSPORT,
             _o("path_tp", TPARAM, "transport parameter of the inserted Path value (none: no parameter, and none "
                                   "without a Path; RFC 3261 19.1.1, 26.2.2; RFC 3327; draft-04 7)")),
    constraints=(_PHYSICAL_TLS, "path == none -> path_tp == none",
                 #: RFC 3261 19.1.1 (grammar): a sips URI never names transport=udp
                 "path == sips -> path_tp != UDP"),
    prefer=("path != none", "(path == sips) <-> (contact == sips)", "secure(transport) <-> in_secure",
            "transport == TCP", "path_tp == none"),
)

REGISTRAR_ACCEPT = ChoicePoint(
    name="registrar_accept",
    element="registrar",
    summary="a registrar accepts or rejects a REGISTER and keys the binding",
    reference="RFC 3261 10.3; draft-04 5; RFC 5630 5.2",
    features=(
        _f("ruri", SCHEME, "scheme of the REGISTER's Request-URI"),
        _f("to", SCHEME, "scheme of To (the AoR)"),
        _f("from", SCHEME, "scheme of From"),
        _f("contact", SCHEME, "scheme of the Contact"),
        _f("path", OPT_SCHEME, "scheme of the top Path value (none without Path)"),
        _f("in_secure", BOOL, "the hop the REGISTER arrived on is TLS-protected"),
    ),
    options=(
        _o("status", REG_STATUS, "200, or the rejection 400 or 403"),
        _o("key_scheme", BOOL, "the AoR key keeps the URI scheme (sip:x and sips:x are different AoRs)"),
    ),
    constraints=("status != 200 -> contact == sips",),
    prefer=("status == 200", "not key_scheme"),
)

PROXY_RECURSE = ChoicePoint(
    name="proxy_recurse",
    element="proxy",
    summary="a proxy receives a 3xx, 416 or 480 on a branch and recurses or forwards the response",
    reference="RFC 3261 16.7 step 4; draft-04 4; RFC 5630 5.3",
    features=(
        _f("ruri", SCHEME, "scheme of the Request-URI of the branch"),
        _f("failure", FAILURE, "the response: 3xx, 416, 480 with warn-code 380, 480 with 381"),
        _f("contact", SCHEME, "3xx: scheme of the Contact returned (sip otherwise)"),
        _MALICIOUS,
    ),
    options=(_o("action", RECURSE, "recurse (new branch) or forward the response upstream"),),
    constraints=(),
    prefer=("action == forward",),
)

UAC_RETRY = ChoicePoint(
    name="uac_retry",
    element="ua",
    summary="a UAC receives a 3xx, 416 or 480 final response and retries or stops",
    reference="RFC 3261 8.1.3.4, 8.1.3.5; draft-04 4, 6; RFC 5630 5.1.1",
    features=(
        _f("ruri", SCHEME, "scheme of the failed request's Request-URI"),
        _f("failure", FAILURE, "the response: 3xx, 416, 480 with warn-code 380, 480 with 381"),
        _f("contact", SCHEME, "3xx: scheme of the Contact returned (sip otherwise)"),
        _f("confirmed", BOOL, "the user was asked and agreed to a retry"),
    ),
    options=(_o("action", RETRY, "retry (3xx: to the Contact; 416 and 480/380: as sip; 480/381: as sips)"),),
    constraints=(),
    prefer=("action == stop",),
)

SEND_IN_DIALOG = ChoicePoint(
    name="send_in_dialog",
    element="any",
    summary="an element sends an in-dialog request (ACK, BYE, re-INVITE) one hop along the route set",
    reference="RFC 3261 8.1.2, 12.2.1.1, 16.6 step 7; RFC 3263 4.1",
    features=(
        _f("proxy", BOOL, "the sender is a proxy (False: the UAC of the in-dialog request)"),
        _f("ruri", SCHEME, "scheme of the Request-URI (the remote target)"),
        _f("next", OPT_SCHEME, "scheme of the Route value that names the next hop (none: resolved from the R-URI)"),
        _f("next_tp", TPARAM,
           "transport parameter of the URI the next hop is resolved from (the first Route value left, else the "
           "Request-URI; none when an outbound proxy is used or the URI names none; RFC 3263 4.1)"),
        _TLS,
        _NEXT_TLS,
        _f("flow", FLOW, "transport of the outbound flow the hop must reuse; none without one"),
        _f("malicious", BOOL, "the sender is a proxy marked malicious"),
        _f("dialog_secure", BOOL,
           "the sending UA's dialog secure flag (RFC 3261 12.1.1 at the UAS, 12.1.2 at the UAC); False for a proxy"),
    ),
    options=(_TRANSPORT,),
    constraints=(_PHYSICAL_TLS, "not proxy -> not malicious", "proxy -> not dialog_secure"),
    prefer=("secure(transport)", "transport == TCP"),
)

CHOICE_POINTS: dict[str, ChoicePoint] = {
    cp.name: cp
    for cp in (
        UAC_INVITE, PROXY_TARGET, PROXY_FORWARD, PROXY_RESPONSE_RR, UAS_ANSWER, REDIRECT_ANSWER, UA_REGISTER,
        EDGE_REGISTER,
        REGISTRAR_ACCEPT, PROXY_RECURSE, UAC_RETRY, SEND_IN_DIALOG,
    )
}

"""The observation records a visit emits, as symbolic values (docs/semantics.md, Observation).

One function per emitting choice point gives the attributes of the transmitted request that the
visit itself determines (scheme of the Request-URI sent, transport, Via, Route, ...). The bounded
encoding completes them from the scenario's state; the inductive step check leaves the rest free.
Both engines derive the same records from the same decisions (``sipsmodel.model.vocab.RECORD_SCHEMAS``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import z3

from sipsmodel.model.expr import SECURE_TRANSPORTS
from sipsmodel.model.vocab import (
    ANY_SCHEME,
    BOOL,
    INT,
    KIND,
    METHOD,
    OPT_SCHEME,
    RECORD_SCHEMAS,
    ROLE,
    SCHEME,
    TPARAM,
    TRANSPORT,
    Domain,
)
from sipsmodel.smt.compile import Sym, SymRecord, const, convert, fresh, is_value, ite
from sipsmodel.smt.ops import Z3
from sipsmodel.smt.visits import Visit
from sipsmodel.steps.routing import addressed

Term = Any
Fields = dict[str, Sym]


def secure_of(transport: Sym) -> Sym:
    """``sec(h)``: the transport is TLS-protected (RFC 3261 26.2.1)."""
    return Sym(z3.Or([is_value(TRANSPORT, transport, t) for t in sorted(SECURE_TRANSPORTS)]), BOOL)  # stable order


def scheme_as(sym: Sym, domain: Domain) -> Sym:
    """A scheme read in another scheme domain (sip/sips belong to all of them)."""
    return convert(sym, domain)


def _common(kind: str, method: str, transport: Sym, sender: str) -> Fields:
    secure = secure_of(transport)
    return {
        "kind": const(KIND, kind),
        "method": const(METHOD, method),
        "transport": transport,
        "secure": secure,
        "via_secure": secure,
        "sender": const(ROLE, sender),
    }


#: Hop attributes that say which transport parameters the URIs of a message carry.
PARAM_ATTRS = ("tls_param", "udp_param", "sips_udp_param")


def contact_params(contact: Sym, tparam: Sym) -> Fields:
    """The parameter attributes of a message whose only URI with a transport parameter is its Contact."""
    return {
        "tls_param": Sym(is_value(TPARAM, tparam, "TLS"), BOOL),
        "udp_param": const(BOOL, False),
        "sips_udp_param": Sym(z3.And(is_value(contact.domain, contact, "sips"), is_value(TPARAM, tparam, "UDP")), BOOL),
    }


def rr_params(entries: Sequence[Any], on: Term = True) -> Fields:
    """The parameter attributes of the Record-Route (or Route) values ``entries`` (RREntry), when ``on``."""
    tls = [z3.And(on, e.present, is_value(TPARAM, e.tparam, "TLS")) for e in entries]
    sudp = [z3.And(on, e.present, is_value(e.scheme.domain, e.scheme, "sips"), is_value(TPARAM, e.tparam, "UDP"))
            for e in entries]
    return {"tls_param": Sym(z3.Or(tls), BOOL), "sips_udp_param": Sym(z3.Or(sudp), BOOL)}


def inserted_params(v: Visit) -> Fields:
    """The parameter attributes of the Record-Route values a proxy_forward visit inserts (option rr_tp)."""
    o = v.options
    some = z3.Not(is_value(o["rr"].domain, o["rr"], "none"))
    double = is_value(o["rr"].domain, o["rr"], "double")
    sips = z3.Or(is_value(o["rr_out"].domain, o["rr_out"], "sips"),
                 z3.And(double, is_value(o["rr_in"].domain, o["rr_in"], "sips")))
    return {"tls_param": Sym(z3.And(some, is_value(TPARAM, o["rr_tp"], "TLS")), BOOL),
            "sips_udp_param": Sym(z3.And(some, sips, is_value(TPARAM, o["rr_tp"], "UDP")), BOOL)}


def value_params(scheme: Sym, tparam: Sym, on: Term = True) -> Fields:
    """The parameter attributes of one Path or Route value (scheme ``scheme``, parameter ``tparam``), when ``on``."""
    return {"tls_param": Sym(z3.And(on, is_value(TPARAM, tparam, "TLS")), BOOL),
            "sips_udp_param": Sym(z3.And(on, is_value(scheme.domain, scheme, "sips"),
                                         is_value(TPARAM, tparam, "UDP")), BOOL)}


def path_params(v: Visit) -> Fields:
    """The parameter attributes of the Path value an edge_register visit inserts (option path_tp)."""
    o = v.options
    return value_params(o["path"], o["path_tp"], z3.Not(is_value(OPT_SCHEME, o["path"], "none")))


def retarget_params(ruri: Sym, tparam: Sym, base: Mapping[str, Sym]) -> Fields:
    """A forwarded request's parameter attributes: ``base``'s (its other URIs) with those of its Request-URI
    (scheme ``ruri``, parameter ``tparam``), which replaces the received one."""
    own = ruri_params(ruri, tparam)
    return {**with_params(base, {a: own[a] for a in ("tls_param", "sips_udp_param")}), "udp_param": own["udp_param"]}


def with_params(base: Mapping[str, Sym], more: Mapping[str, Sym]) -> Fields:
    """``base``'s parameter attributes, each or-ed with ``more``'s (a message carrying the URIs of both)."""
    return {a: Sym(z3.Or(base[a].term, more[a].term), BOOL) if a in more else base[a] for a in PARAM_ATTRS}


def ruri_params(ruri: Sym, tparam: Sym) -> Fields:
    """The parameter attributes of a request whose only URI with a transport parameter is its Request-URI."""
    return {
        "tls_param": Sym(is_value(TPARAM, tparam, "TLS"), BOOL),
        "udp_param": Sym(is_value(TPARAM, tparam, "UDP"), BOOL),
        "sips_udp_param": Sym(z3.And(is_value(ruri.domain, ruri, "sips"), is_value(TPARAM, tparam, "UDP")), BOOL),
    }


def uac_addressed(v: Visit) -> Sym:
    """The scheme (ANY_SCHEME) of the target a uac_invite visit's INVITE addresses: its Request-URI, or behind a
    strict first route entry (``route_strict``) its top Route value (steps/routing.py ``addressed``; RFC 3261
    8.1.1.1, 12.2.1.1, SIPS-RULES.md F-19). A ``route_strict`` that is the constant false builds no term."""
    o, f = v.options, v.features
    ruri = scheme_as(o["ruri"], ANY_SCHEME)
    if z3.is_false(f["route_strict"].term):
        return ruri
    strict = z3.And(f["route_strict"].term, z3.Not(is_value(OPT_SCHEME, o["route0"], "none")))
    return addressed(Z3, strict, ruri, scheme_as(o["route0"], ANY_SCHEME))[1]


def uac_invite_hop(v: Visit) -> Fields:
    """RFC 3261 8.1.1 and docs/semantics.md call step 1: the INVITE as the UAC sends it (origin and From: the
    target it addresses, which a strict first route entry moves out of the Request-URI)."""
    o, f = v.options, v.features
    ruri = scheme_as(o["ruri"], ANY_SCHEME)
    target = uac_addressed(v)
    return {
        **_common("request", "INVITE", o["transport"], "ua"),
        "initial": const(BOOL, True),
        "ruri": ruri,
        "origin": target,
        "route0": o["route0"],
        "contact": scheme_as(o["contact"], ANY_SCHEME),
        "to": scheme_as(f["target"], ANY_SCHEME),
        "from": target,
        "rr_top": const(OPT_SCHEME, "none"),
        **with_params(with_params(contact_params(o["contact"], o["contact_tp"]), uac_route_params(v)),
                      uac_target_params(v)),
    }


def uac_target_params(v: Visit) -> Fields:
    """The parameter attributes of the target a uac_invite visit addresses (feature target_tp, a retry's 3xx
    Contact's): its Request-URI, or behind a strict first route entry its last Route value (udp_param then
    false: the Request-URI is the entry's)."""
    f = v.features
    own = ruri_params(uac_addressed(v), f["target_tp"])
    strict = z3.And(f["route_strict"].term, z3.Not(is_value(OPT_SCHEME, v.options["route0"], "none")))
    return {**own, "udp_param": Sym(z3.And(z3.Not(strict), own["udp_param"].term), BOOL)}


def uac_route_params(v: Visit) -> Fields:
    """The parameter attributes of the first Route value a uac_invite visit sends (option route_tp)."""
    o = v.options
    return value_params(o["route0"], o["route_tp"], z3.Not(is_value(OPT_SCHEME, o["route0"], "none")))


def proxy_forward_hop(v: Visit, incoming_rr_top: Sym) -> Fields:
    """RFC 3261 16.6 and docs/semantics.md call step 2: the branch request a proxy sends."""
    o = v.options
    fields = _common("request", "INVITE", o["transport"], "proxy")
    fields["via_secure"] = Sym(z3.Or(fields["secure"].term, o["via_lie"].term), BOOL)
    rr_top = ite(is_value(o["rr"].domain, o["rr"], "none"), incoming_rr_top, scheme_as(o["rr_out"], OPT_SCHEME))
    return {
        **fields,
        "initial": const(BOOL, True),
        "ruri": scheme_as(o["ruri"], ANY_SCHEME),
        "route0": o["route0"],
        "rr_top": rr_top,
    }


def send_in_dialog_hop(v: Visit, method: str) -> Fields:
    """RFC 3261 12.2.1.1 and docs/semantics.md call step 7: one hop of an in-dialog request."""
    f = v.features
    return {
        **_common("request", method, v.options["transport"], "ua"),  # the sender's role: smt.indialog
        "initial": const(BOOL, False),
        "ruri": scheme_as(f["ruri"], ANY_SCHEME),
        "route0": f["next"],
        "rr_top": const(OPT_SCHEME, "none"),
    }


def ua_register_hop(v: Visit, route0: Sym) -> Fields:
    """RFC 3261 10.2 and docs/semantics.md registration step 1: the REGISTER as the UA sends it."""
    o = v.options
    ruri = scheme_as(o["ruri"], ANY_SCHEME)
    aor = scheme_as(o["aor"], ANY_SCHEME)
    return {
        **_common("request", "REGISTER", o["transport"], "ua"),
        "initial": const(BOOL, True),
        "ruri": ruri,
        "origin": ruri,
        "route0": route0,
        "contact": scheme_as(o["contact"], ANY_SCHEME),
        "to": aor,
        "from": aor,
        "rr_top": const(OPT_SCHEME, "none"),
        "call": const(INT, -1),
        "binding": const(INT, -1),
        **contact_params(o["contact"], o["contact_tp"]),
    }


def edge_register_hop(v: Visit) -> Fields:
    """RFC 3327 and docs/semantics.md registration step 2: the REGISTER an edge proxy relays (its Contact, and
    so the parameter attributes, are the received REGISTER's: the caller copies them)."""
    f = v.features
    return {
        **_common("request", "REGISTER", v.options["transport"], "proxy"),
        "initial": const(BOOL, True),
        "ruri": scheme_as(f["in_ruri"], ANY_SCHEME),
        "route0": const(OPT_SCHEME, "none"),
        "contact": scheme_as(f["contact"], ANY_SCHEME),
        "rr_top": const(OPT_SCHEME, "none"),
        "call": const(INT, -1),
        "binding": const(INT, -1),
    }


def _any_sender(v: Visit) -> Sym:
    """The role of an in-dialog request's sender, from the visit alone: a proxy, else a UA or a gateway."""
    ua = ite(z3.Bool(f"{v.label}!gateway"), const(ROLE, "gateway"), const(ROLE, "ua"))
    return ite(v.features["proxy"].term, const(ROLE, "proxy"), ua)


#: The request hop each emitting choice point sends, from the visit alone (free parts for the step check).
STEP_HOPS: dict[str, Callable[[Visit], Fields]] = {
    "uac_invite": uac_invite_hop,
    "proxy_forward": lambda v: proxy_forward_hop(v, fresh(f"{v.label}!in_rr_top", OPT_SCHEME)),
    "send_in_dialog": lambda v: {**send_in_dialog_hop(v, "ACK"), "method": fresh(f"{v.label}!method", METHOD),
                                 "sender": _any_sender(v)},
    "ua_register": lambda v: ua_register_hop(v, fresh(f"{v.label}!route0", OPT_SCHEME)),
    "edge_register": edge_register_hop,
}


def forwards_fields(v: Visit) -> Fields:
    """docs/semantics.md Observation: the ``forwards`` record of a proxy_forward visit that sent."""
    f, o = v.features, v.options
    return {
        "in_ruri": f["in_ruri"],
        "out_ruri": o["ruri"],
        "in_secure": f["in_secure"],
        "out_secure": secure_of(o["transport"]),
        "out_route0": o["route0"],
        "rr": o["rr"],
        "rr_out": o["rr_out"],
        "responsible": f["responsible"],
        "binding": f["binding"],
        "malicious": f["malicious"],
    }


def complete(collection: str, active: Term, fields: Mapping[str, Sym], label: str) -> SymRecord:
    """A record of ``collection`` with the given fields and fresh free values for the rest."""
    schema = RECORD_SCHEMAS[collection]
    values = {
        attr: fields[attr] if attr in fields else fresh(f"{label}!{attr}", domain)
        for attr, (domain, _) in schema.items()
    }
    return SymRecord(active, values)


__all__ = [
    "Fields",
    "PARAM_ATTRS",
    "STEP_HOPS",
    "uac_addressed",
    "contact_params",
    "ruri_params",
    "rr_params",
    "inserted_params",
    "with_params",
    "retarget_params",
    "value_params",
    "uac_route_params",
    "uac_target_params",
    "path_params",
    "SCHEME",
    "complete",
    "forwards_fields",
    "secure_of",
]

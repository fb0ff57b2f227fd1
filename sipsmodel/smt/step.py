"""Unbounded proofs of per-hop invariants by an inductive step check over one symbolic element.

Theory of operation (DESIGN.md, "an inductive step check over one symbolic element"): a property
``forall x in C [where W]: B`` with a quantifier-free body holds in every trace of every size when
every way the model has of emitting a ``C`` record yields one that satisfies ``W -> B``. The ways are:
one visit of each choice point that emits a request hop (or, for ``forwards``, ``proxy_forward``) with
arbitrary features; a response hop (no choice point, every attribute free but its kind); and a
request hop the model derives from an earlier one without a choice (CANCEL and the hop-by-hop ACK of a
failure, RFC 3261 9.1 and 17.1.1.3), which copies the URI and transport of a hop that, by induction,
satisfies the invariant. The transport-parameter attributes (``PARAM_ATTRS``) of a hop are those of
the URIs its sender writes (a Contact with ``contact_tp``) or else of URIs copied from earlier
messages (a forwarded request, an in-dialog Request-URI and Route, a relayed response), which by
induction satisfy the invariant, or-ed with those the visit adds (a proxy's Record-Route values with
``rr_tp``); a response's are copied ones (the request's Record-Route, a relayed response) with its
UAS's Contact (``uas_answer``) or a proxy's rewritten Record-Route value (``proxy_response_rr``). Any other
shape of property, or any satisfiable source, means no unbounded claim: the caller falls back to the
bounded check. A response's own Contact is a UAS's 2xx Contact (``uas_answer``) or a redirect UA's 302
Contact (``redirect_answer``); a UAC's INVITE addresses a target whose parameter (``target_tp``, a retry's
3xx Contact) an earlier hop carried.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import z3

from sipsmodel.model.expr import Expr, Quant
from sipsmodel.model.vocab import BOOL, KIND, METHOD, OPT_SCHEME, REWRITE, TPARAM
from sipsmodel.rules.choicepoints import CHOICE_POINTS
from sipsmodel.smt.compile import Sym, SymRecord, SymScope, compile_formula, const, fresh, is_value, ite
from sipsmodel.smt.ops import Z3
from sipsmodel.smt.records import (
    PARAM_ATTRS,
    STEP_HOPS,
    complete,
    contact_params,
    forwards_fields,
    inserted_params,
    path_params,
    retarget_params,
    value_params,
    with_params,
)
from sipsmodel.smt.visits import Rules, Visit
from sipsmodel.steps.recordroute import rewritten_tparam

Term = Any

#: Attributes a derived request (CANCEL, failure ACK) copies from the request hop it follows.
_COPIED = ("ruri", "origin", "route0", "transport", "secure", "via_secure", "to", "from", *PARAM_ATTRS,
           "call", "initial", "sender", "receiver", "last", "binding")


@dataclass(frozen=True)
class StepSource:
    """One way of emitting a record, as assertions plus the record (and an optional hypothesis)."""

    name: str
    assertions: tuple[Term, ...]
    record: SymRecord


def per_record_shape(formula: Expr) -> tuple[str, Quant] | None:
    """The collection of a ``forall x in C: body`` property whose body has no quantifier, else None."""
    if not isinstance(formula, Quant) or formula.kind != "forall":
        return None
    if formula.collection not in ("hops", "forwards") or _has_quant(formula.body):
        return None
    if formula.where is not None and _has_quant(formula.where):
        return None
    return formula.collection, formula


def _has_quant(expr: Expr) -> bool:
    if isinstance(expr, Quant):
        return True
    children = [getattr(expr, name) for name in ("left", "right", "body", "item") if hasattr(expr, name)]
    children += list(getattr(expr, "parts", ())) + list(getattr(expr, "options", ())) + list(getattr(expr, "args", ()))
    return any(_has_quant(c) for c in children if not isinstance(c, (str, int, bool)) and c is not None)


def _inherited(invariant: Callable[[SymRecord], Term], label: str) -> tuple[dict[str, Sym], Term]:
    """Transport-parameter attributes copied from an earlier hop that satisfies the invariant."""
    source = complete("hops", z3.BoolVal(True), {}, f"{label}!copied")
    return {a: source.values[a] for a in PARAM_ATTRS}, invariant(source)


def _forwarded(visit: Visit, invariant: Callable[[SymRecord], Term], label: str) -> tuple[dict[str, Sym], list[Term]]:
    """A forwarded request's parameter attributes: the received URIs (copied), the Record-Route values it
    inserts (``rr_tp``), and its Request-URI, whose ``ruri_tp`` is that of a URI an earlier hop carried (a
    REGISTER Contact, or the Request-URI received): naming tls only if that hop had a tls parameter."""
    copied, received = _inherited(invariant, label)
    target, carried = _inherited(invariant, f"{label}!target")
    ruri_tp = visit.features["ruri_tp"]
    params = retarget_params(visit.options["ruri"], ruri_tp, with_params(copied, inserted_params(visit)))
    from_target = z3.Implies(is_value(TPARAM, ruri_tp, "TLS"), target["tls_param"].term)
    routed, pushed = _routed(visit, invariant, label)
    return with_params(params, routed), [received, carried, from_target, *pushed]


def _routed(visit: Visit, invariant: Callable[[SymRecord], Term], label: str) -> tuple[dict[str, Sym], list[Term]]:
    """The Route values a forwarded request carries: received ones (copied) or a stored Path pushed (RFC
    3327), both URIs an earlier hop carried; the first is sent with scheme ``route0`` and keeps its
    parameter ``next_tp`` (the one the next hop is resolved from), naming tls only if that hop had one."""
    stored, carried = _inherited(invariant, f"{label}!route")
    o, f = visit.options, visit.features
    has_route = z3.Not(is_value(OPT_SCHEME, o["route0"], "none"))
    first = value_params(o["route0"], f["next_tp"], has_route)
    from_stored = z3.Implies(first["tls_param"].term, stored["tls_param"].term)
    return with_params(stored, first), [carried, from_stored]


def _visit_source(cp_name: str, collection: str, malicious: bool,
                  invariant: Callable[[SymRecord], Term]) -> StepSource:
    cp = CHOICE_POINTS[cp_name]
    rules = Rules()
    features = {f.name: fresh(f"step!{cp_name}!{f.name}", f.domain) for f in cp.features}
    extra = []
    if "malicious" in features and not malicious:
        extra.append(z3.Not(features["malicious"].term))
    visit = rules.visit(cp_name, 0, z3.BoolVal(True), features, f"step!{cp_name}")
    extra.append(z3.Not(visit.blocked))  # a record is emitted only by a visit that chose an option
    label = f"step!{cp_name}!rec"
    if collection == "forwards":
        record = complete("forwards", z3.BoolVal(True), forwards_fields(visit), label)
    else:
        fields = STEP_HOPS[cp_name](visit)
        if cp_name == "proxy_forward":
            params, hypotheses = _forwarded(visit, invariant, label)
            fields = {**params, **fields}
            extra += hypotheses
        elif cp_name == "uac_invite":  # a retry's target is a 3xx Contact an earlier hop carried (8.1.3.4)
            target, carried = _inherited(invariant, f"{label}!target")
            extra += [carried, z3.Implies(is_value(TPARAM, visit.features["target_tp"], "TLS"),
                                          target["tls_param"].term)]
        elif not set(PARAM_ATTRS) <= set(fields):  # copied URIs, and an edge proxy's Path value (path_tp)
            copied, hypothesis = _inherited(invariant, label)
            own = path_params(visit) if cp_name == "edge_register" else {}
            fields = {**with_params(copied, own), **fields}
            extra.append(hypothesis)
        record = complete("hops", z3.BoolVal(True), fields, label)
    return StepSource(cp_name, tuple(rules.assertions + extra), record)


def _response_source(invariant: Callable[[SymRecord], Term], malicious: bool) -> StepSource:
    """A response: URIs copied from an earlier hop (the request's Record-Route, a relayed response), with
    its UAS's Contact (a uas_answer visit that chose) or a proxy's rewritten Record-Route value
    (a proxy_response_rr visit that chose: ``rewritten_tparam`` keeps the value's parameter but a ``udp``
    one on a rewrite to sips, RFC 3261 16.7 step 8, 19.1.1)."""
    rules = Rules()
    uas = _free_visit(rules, "uas_answer", malicious)
    redirect = _free_visit(rules, "redirect_answer", malicious)
    rewriter = _free_visit(rules, "proxy_response_rr", malicious)
    redirects = z3.Bool("step!response!redirect_contact")  # the Contact is a redirect UA's (a 302)
    own = {a: ite(redirects, p, q) for (a, p), q in zip(
        contact_params(redirect.features["contact"], redirect.options["contact_tp"]).items(),
        contact_params(uas.options["contact"], uas.options["contact_tp"]).values(), strict=True)}
    copied, hypothesis = _inherited(invariant, "step!response")
    mine = z3.Bool("step!response!own_contact")
    rewrites = z3.Bool("step!response!rewrites")
    rewrite = rewriter.options["rewrite"]
    to_sips = z3.And(rewrites, is_value(REWRITE, rewrite, "sips"),
                     is_value(TPARAM, rewritten_tparam(Z3, rewrite, rewriter.features["rr_tp"]), "UDP"))
    written = {a: Sym(z3.And(mine, own[a].term), BOOL) for a in PARAM_ATTRS}
    written["sips_udp_param"] = Sym(z3.Or(written["sips_udp_param"].term, to_sips), BOOL)
    fields: dict[str, Sym] = with_params(copied, written)
    fields["kind"] = const(KIND, "response")
    record = complete("hops", z3.BoolVal(True), fields, "step!response")
    guards = (z3.Implies(z3.And(mine, z3.Not(redirects)), z3.Not(uas.blocked)),
              z3.Implies(z3.And(mine, redirects), z3.Not(redirect.blocked)),
              z3.Implies(rewrites, z3.Not(rewriter.blocked)), hypothesis)
    return StepSource("response", (*rules.assertions, *guards), record)


def _free_visit(rules: Rules, cp_name: str, malicious: bool) -> Visit:
    """A visit of ``cp_name`` with free features (not malicious unless ``malicious``)."""
    cp = CHOICE_POINTS[cp_name]
    features = {f.name: fresh(f"step!response!{cp_name}!{f.name}", f.domain) for f in cp.features}
    visit = rules.visit(cp_name, 0, z3.BoolVal(True), features, f"step!response!{cp_name}")
    if "malicious" in features and not malicious:
        rules.assertions.append(z3.Not(features["malicious"].term))
    return visit


def _derived_source(invariant: Callable[[SymRecord], Term]) -> StepSource:
    source = complete("hops", z3.BoolVal(True), {"kind": const(KIND, "request")}, "step!derived!from")
    method = fresh("step!derived!method", METHOD)
    fields: dict[str, Sym] = {attr: source.values[attr] for attr in _COPIED}
    fields["kind"] = const(KIND, "request")
    fields["method"] = method
    record = complete("hops", z3.BoolVal(True), fields, "step!derived")
    is_derived = z3.Or(is_value(METHOD, method, "CANCEL"), is_value(METHOD, method, "ACK"))
    return StepSource("derived", (invariant(source), is_derived), record)


def step_sources(collection: str, invariant: Callable[[SymRecord], Term], malicious: bool) -> list[StepSource]:
    """Every way the model emits a record of ``collection`` (hops or forwards)."""
    if collection == "forwards":
        return [_visit_source("proxy_forward", "forwards", malicious, invariant)]
    sources = [_visit_source(name, "hops", malicious, invariant) for name in STEP_HOPS]
    return [*sources, _response_source(invariant, malicious), _derived_source(invariant)]


def record_invariant(quant: Quant) -> Callable[[SymRecord], Term]:
    """``where -> body`` of a per-record property, for one symbolic record."""

    def holds(record: SymRecord) -> Term:
        scope = SymScope().bind(quant.var, record)
        body = compile_formula(quant.body, scope)
        return body if quant.where is None else z3.Implies(compile_formula(quant.where, scope), body)

    return holds


def violation(quant: Quant, record: SymRecord) -> Term:
    """The record is present and breaks the invariant."""
    return z3.Not(record_invariant(quant)(record))


__all__ = ["StepSource", "per_record_shape", "record_invariant", "step_sources", "violation"]

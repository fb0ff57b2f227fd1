"""The feature builders (sipsmodel/steps/features.py): the choice point's own names, the same values on both engines."""

from __future__ import annotations

from typing import Any

import pytest
import z3

from sipsmodel.model.vocab import BOOL, FAILURE, FLOW, OPT_SCHEME, REWRITE, SCHEME, TPARAM
from sipsmodel.rules.choicepoints import CHOICE_POINTS
from sipsmodel.smt.compile import Sym, const, fresh, ite
from sipsmodel.smt.ops import Z3
from sipsmodel.steps import features
from sipsmodel.steps.ops import CONCRETE
from sipsmodel.steps.recordroute import rewritten_scheme, rewritten_tparam
from sipsmodel.steps.routing import NextHop


def _concrete(name: str) -> dict[str, Any]:
    hop = NextHop("p2", "sips", "TLS")
    return {
        "proxy_target": lambda: features.proxy_target(CONCRETE, "sips", "sip", False),
        "proxy_forward": lambda: features.proxy_forward(CONCRETE, ("sips", True),
                                                        features.Retargeting(True, "sip", "none", "TLS"), True,
                                                        (True, False), True, False, "UDP", "TCP"),
        "proxy_recurse": lambda: features.proxy_recurse(CONCRETE, "sips", "r3xx", "sips", True),
        "proxy_response_rr": lambda: features.proxy_response_rr(CONCRETE, ("double", "sips", "TCP"), (True, False), False),
        "uac_retry": lambda: features.uac_retry(CONCRETE, "sips", "r416", "sips", False),
        "send_in_dialog": lambda: features.send_in_dialog(CONCRETE, False, "sips", hop, (True, True), "none", True),
        "uac_invite": lambda: features.uac_invite(CONCRETE, "sips", (True, False), ("sip", True), False, ("TLS", "none")),
        "uas_answer": lambda: features.uas_answer(CONCRETE, ("sips", True, "none", "sip"), (True, True, False), True),
        "redirect_answer": lambda: features.redirect_answer(CONCRETE, "sips", "sip"),
        "ua_register": lambda: features.ua_register(CONCRETE, True, (True, False)),
        "edge_register": lambda: features.edge_register(CONCRETE, ("sips", True, "sip"), (True, True), False),
        "registrar_accept": lambda: features.registrar_accept(CONCRETE, "sips", ("sips", "sip"), "sip", "none", True),
    }[name]()


BUILT = ["proxy_forward", "proxy_target", "proxy_recurse", "proxy_response_rr", "uac_retry", "send_in_dialog",
         "uac_invite", "uas_answer", "redirect_answer", "ua_register", "edge_register", "registrar_accept"]


def test_every_choice_point_has_a_builder() -> None:
    """Issue 11 item 1: each choice point's features are built once, here, for both engines."""
    assert sorted(BUILT) == sorted(CHOICE_POINTS)
    assert all(callable(getattr(features, name)) for name in CHOICE_POINTS)


@pytest.mark.parametrize("name", BUILT)
def test_builders_give_exactly_the_choice_points_features_in_their_domains(name: str) -> None:
    built = _concrete(name)
    point = CHOICE_POINTS[name]
    assert list(built) == [f.name for f in point.features]
    for feature in point.features:
        assert built[feature.name] in feature.domain, (feature.name, built[feature.name])


def test_a_3xx_names_its_contact_and_other_failures_sip() -> None:
    assert _concrete("proxy_recurse")["contact"] == "sips"
    assert _concrete("uac_retry")["contact"] == "sip"


def test_a_uac_in_dialog_is_never_malicious_a_proxy_is_when_marked() -> None:
    hop = NextHop("p2", "none", "none")
    assert features.send_in_dialog(CONCRETE, False, "sip", hop, (False, False), "none", True)["malicious"] is False
    assert features.send_in_dialog(CONCRETE, True, "sip", hop, (False, False), "none", True)["malicious"] is True


def test_only_a_ua_has_a_dialog_secure_flag() -> None:
    """F-1: the secure flag is the sending UA's (RFC 3261 12.1.1, 12.1.2); a proxy keeps no dialog state."""
    hop = NextHop("p2", "none", "none")
    for proxy, secure, expected in [(False, True, True), (False, False, False), (True, True, False)]:
        built = features.send_in_dialog(CONCRETE, proxy, "sip", hop, (True, True), "none", False, secure)
        assert built["dialog_secure"] is expected


@pytest.mark.parametrize("proxy", [False, True])
def test_send_in_dialog_builds_the_walks_hand_written_features(proxy: bool) -> None:
    tls, next_tls, malicious, secure = z3.Bools("tls next_tls malicious secure")
    ruri, flow = fresh("ruri", SCHEME), fresh("flow", FLOW)
    hop = NextHop(z3.Int("next"), fresh("route", OPT_SCHEME), fresh("tparam", TPARAM))
    built = features.send_in_dialog(Z3, proxy, ruri, hop, (tls, next_tls), flow, malicious, secure)
    by_hand = {"proxy": const(BOOL, proxy), "ruri": ruri, "next": hop.route, "next_tp": hop.tparam,
               "tls": Sym(tls, BOOL), "next_tls": Sym(next_tls, BOOL), "flow": flow,
               "malicious": Sym(malicious if proxy else z3.BoolVal(False), BOOL),
               "dialog_secure": Sym(z3.BoolVal(False) if proxy else secure, BOOL)}
    assert list(built) == list(by_hand)
    for name, sym in by_hand.items():
        assert built[name].domain == sym.domain and built[name].term.eq(sym.term), name


def test_proxy_recurse_agrees_on_both_engines() -> None:
    for failure in FAILURE.values:
        for contact in SCHEME.values:
            concrete = features.proxy_recurse(CONCRETE, "sip", failure, contact, True)
            symbolic = features.proxy_recurse(Z3, const(SCHEME, "sip"), const(FAILURE, failure),
                                              const(SCHEME, contact), z3.BoolVal(True))
            for name, value in concrete.items():
                expected = const(symbolic[name].domain, value).term
                assert z3.simplify(symbolic[name].term).eq(expected), (failure, contact, name)


@pytest.mark.parametrize("rewrite", REWRITE.values)
@pytest.mark.parametrize("scheme", SCHEME.values)
def test_rewritten_record_route_scheme_agrees_and_is_the_hand_written_term(rewrite: str, scheme: str) -> None:
    concrete = rewritten_scheme(CONCRETE, rewrite, scheme)
    assert concrete == (scheme if rewrite == "keep" else rewrite)
    symbolic = rewritten_scheme(Z3, const(REWRITE, rewrite), const(SCHEME, scheme))
    assert z3.simplify(symbolic.term).eq(const(SCHEME, concrete).term)
    chosen, old = fresh("rewrite", REWRITE), fresh("old", SCHEME)
    keep, to_sips = chosen.term == const(REWRITE, "keep").term, chosen.term == const(REWRITE, "sips").term
    by_hand = ite(keep, old, ite(to_sips, const(SCHEME, "sips"), const(SCHEME, "sip")))
    assert rewritten_scheme(Z3, chosen, old).term.eq(by_hand.term)


@pytest.mark.parametrize("rewrite", REWRITE.values)
@pytest.mark.parametrize("tparam", TPARAM.values)
def test_a_rewrite_keeps_the_parameter_but_udp_on_a_rewrite_to_sips(rewrite: str, tparam: str) -> None:
    """RFC 3261 16.7 step 8's new URI keeps the value's parameter; 19.1.1: a sips URI never names udp."""
    concrete = rewritten_tparam(CONCRETE, rewrite, tparam)
    assert concrete == ("none" if (rewrite, tparam) == ("sips", "UDP") else tparam)
    symbolic = rewritten_tparam(Z3, const(REWRITE, rewrite), const(TPARAM, tparam))
    assert z3.simplify(symbolic.term).eq(const(TPARAM, concrete).term)


def test_proxy_forward_builds_pb_branchs_hand_written_features() -> None:
    in_ruri, binding, path = fresh("in_ruri", SCHEME), fresh("binding", OPT_SCHEME), fresh("path", OPT_SCHEME)
    in_secure, has_path, tls, ntls, malicious = Sym(z3.Bool("in_secure"), BOOL), *z3.Bools("has_path tls ntls m")
    ruri_tp, next_tp = fresh("ruri_tp", TPARAM), fresh("next_tp", TPARAM)
    built = features.proxy_forward(Z3, (in_ruri, in_secure), features.Retargeting(True, binding, path,
                                   const(FLOW, "none")), True, (tls, ntls), z3.Not(has_path), malicious, ruri_tp,
                                   next_tp)
    by_hand = {"in_ruri": in_ruri, "in_secure": in_secure, "responsible": const(BOOL, True), "binding": binding,
               "route_next": path, "dialog_forming": const(BOOL, True), "tls": Sym(tls, BOOL),
               "next_tls": Sym(ntls, BOOL), "flow": const(FLOW, "none"), "last_hop": Sym(z3.Not(has_path), BOOL),
               "ruri_tp": ruri_tp, "next_tp": next_tp, "malicious": Sym(malicious, BOOL)}
    assert list(built) == list(by_hand)
    for name, sym in by_hand.items():
        assert built[name].domain == sym.domain and built[name].term.eq(sym.term), name

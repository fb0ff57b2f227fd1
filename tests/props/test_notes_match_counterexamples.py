"""Issue 14, item 4: what a property's notes say about why a cell is refuted is in its replayed counterexample.

For every refuted cell of the default grid, one claim taken from the property's notes, checked on the
counterexample the prover returns (replayed by the simulator before it is returned): the element, hop,
choice or record the note names must appear in it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import pytest
from strict_flows import strict_hides_sips, strict_sips_flag, strict_sips_route

from sipsmodel.model.trace import Trace
from sipsmodel.props import load_properties
from sipsmodel.rules.sets import PRESETS
from sipsmodel.smt import prove

Record = Mapping[str, object]
Claim = tuple[str, Callable[[Trace], bool]]
PROPS = {p.id: p for p in load_properties()}


def _some(trace: Trace, collection: str, **wanted: object) -> bool:
    return any(all(r[k] == v for k, v in wanted.items()) for r in trace.collection(collection))


def _requests(trace: Trace) -> Sequence[Record]:
    return [h for h in trace.collection("hops") if h["kind"] == "request"]


def _downgrade(trace: Trace) -> bool:
    return _some(trace, "forwards", in_ruri="sips", out_ruri="sip", responsible=True)


def _insecure_downgrade(trace: Trace) -> bool:
    return _some(trace, "forwards", in_ruri="sips", out_ruri="sip", out_secure=False, responsible=True)


def _upgrade(trace: Trace) -> bool:
    return _some(trace, "forwards", in_ruri="sip", out_ruri="sips")


def _upgrade_after_insecure_hop(trace: Trace) -> bool:
    return _upgrade(trace) and any(not h["secure"] and h["method"] == "INVITE" for h in _requests(trace))


def _sip_contact_with_sips_ruri(trace: Trace) -> bool:
    return _upgrade(trace) and _some(trace, "dialogs", role="uas", req_ruri="sips", req_contact="sip") or any(
        h["ruri"] == "sips" and h["contact"] == "sip" and h["last"] for h in _requests(trace))


def _sips_target_without_tls(trace: Trace) -> bool:
    return _some(trace, "dialogs", rtarget="sips", tls=False)


def _sips_target_or_route_without_tls(trace: Trace) -> bool:
    return _sips_target_without_tls(trace) or _some(trace, "dialogs", rset0="sips", tls=False)


def _initial_to_sips_binding_insecure(trace: Trace) -> bool:
    sips = {b["id"] for b in trace.collection("bindings") if b["contact"] == "sips"}
    return any(h["binding"] in sips and h["initial"] and not h["secure"] for h in _requests(trace))


def _in_dialog_to_sips_binding_insecure_direct(trace: Trace) -> bool:
    sips = {b["id"] for b in trace.collection("bindings") if b["contact"] == "sips"}
    hits = [h for h in _requests(trace) if h["binding"] in sips and not h["secure"]]
    no_edge = not any(h["sender"] == "proxy" and h["receiver"] == "proxy" for h in _requests(trace))
    return bool(hits) and all(not h["initial"] and h["sender"] == "ua" for h in hits) and no_edge


def _in_dialog_insecure_after_tls(trace: Trace) -> bool:
    return any(not h["initial"] and not h["secure"] and h["ruri"] == "sip" for h in _requests(trace)) and _some(
        trace, "dialogs", rtarget="sip")


def _ua_recursion(failures: tuple[str, ...]) -> Callable[[Trace], bool]:
    return lambda trace: any(r["by"] == "ua" and r["old"] == "sips" and r["new"] == "sip" and not r["confirmed"]
                             and r["failure"] in failures for r in trace.collection("retries"))


def _proxy_recursion_sip_to_sips(trace: Trace) -> bool:
    return _some(trace, "retries", by="proxy", old="sip", new="sips")


def _sip_route_before_sips_request(trace: Trace) -> bool:
    return any(h["sender"] == "ua" and h["ruri"] == "sips" and h["route0"] == "sip" for h in _requests(trace))


def _sips_contact_with_sip_aor(trace: Trace) -> bool:
    return any(h["method"] == "REGISTER" and h["contact"] == "sips" and h["to"] == "sip" for h in _requests(trace))


_RETARGET = ("the responsible proxy retargets the sips: request to sip", _downgrade)
_LAST_HOP = ("the responsible proxy forwards the sips: request as sip over a non-TLS hop", _insecure_downgrade)
_UPGRADE = ("a proxy forwards a sip: request as sips", _upgrade)
_FLAG = ("a proxy upgrades a request that crossed a non-TLS hop", _upgrade_after_insecure_hop)
_I5 = ("a proxy upgrade delivers a sips Request-URI with the caller's sip: Contact", _sip_contact_with_sips_ruri)
_I7 = ("a sips: remote target at a dialog endpoint without TLS", _sips_target_without_tls)
_I7_ROUTE = ("a sips: remote target or a proxy's sips Record-Route value at a dialog endpoint without TLS",
             _sips_target_or_route_without_tls)
_NO_CHECK = ("the registrar bound a sips: Contact from a sip: REGISTER",
             lambda t: _some(t, "bindings", contact="sips", reg_ruri="sip"))
_NO_TRANSPORT = ("the registrar bound a sips: Contact from a REGISTER not over TLS",
                 lambda t: _some(t, "bindings", contact="sips", reg_secure=False))
_KEY = ("the registrar's AoR key keeps the scheme", lambda t: _some(t, "bindings", key_scheme=True))
_I10 = ("a sip: request reaches the sips: binding over a non-TLS hop", _initial_to_sips_binding_insecure)
_I10_5630 = ("only in-dialog requests from the caller reach the sips: binding without TLS, no edge proxy",
             _in_dialog_to_sips_binding_insecure_direct)
_ROUTE = ("a UA sends a sips: request behind a sip: Route entry", _sip_route_before_sips_request)
_F19 = ("behind a strict sip:p1 entry alice sends the sips: target in Route, not over TLS (F-19)", strict_hides_sips)
_F19_FLAG = ("behind a strict sips:p1 entry alice's dialog is secure while a later hop is not (F-19's reverse case)",
             strict_sips_flag)
_F19_ROUTE = ("a strict sips:p1 entry is the Request-URI and the sip: target the Route value (F-19's reverse case)",
              strict_sips_route)
_I12 = ("an in-dialog sip: request goes without TLS; the remote target is sip:", _in_dialog_insecure_after_tls)
_I14 = ("a proxy recurses on a 3xx from a sip: request to a sips: Contact", _proxy_recursion_sip_to_sips)
_I18 = ("a REGISTER binds a sips: Contact to a sip: AoR", _sips_contact_with_sip_aor)
_I16 = ("a UA may still write transport=tls (into a Contact or the Route value it preloads)",
        lambda t: any(d.choice_point in ("uac_invite", "uas_answer", "ua_register")
                      and "TLS" in ((d.options or {}).get("contact_tp"), (d.options or {}).get("route_tp"))
                      for d in t.decisions))
_I16_PATH = ("an edge proxy may still insert a Path value with `;transport=tls`",
             lambda t: any(d.choice_point == "edge_register" and (d.options or {}).get("path_tp") == "TLS"
                           for d in t.decisions))

CLAIMS: dict[tuple[str, str], Claim] = {
    ("I-1", "rfc3261"): _LAST_HOP, ("I-1", "draft-04"): _LAST_HOP, ("I-1", "dean-bcp"): _F19,
    ("I-2", "rfc3261"): _RETARGET, ("I-2", "draft-04"): _RETARGET,
    ("I-3", "rfc3261"): _UPGRADE, ("I-3", "draft-04"): _UPGRADE, ("I-3", "dean-bcp"): _UPGRADE,
    ("I-4", "rfc3261"): _FLAG, ("I-4", "draft-04"): _FLAG, ("I-4", "dean-bcp"): _FLAG,
    ("I-4b", "rfc3261"): _LAST_HOP, ("I-4b", "draft-04"): _LAST_HOP, ("I-4b", "dean-bcp"): _F19_FLAG,
    ("I-4b", "rfc5630"): _F19_FLAG,
    ("I-5", "rfc3261"): _I5, ("I-5", "draft-04"): _I5, ("I-5", "dean-bcp"): _I5,
    ("I-7", "rfc3261"): _I7, ("I-7", "draft-04"): _I7_ROUTE, ("I-7", "dean-bcp"): _I7, ("I-7", "rfc5630"): _I7_ROUTE,
    ("I-8", "rfc3261"): _NO_CHECK, ("I-8", "dean-bcp"): _NO_CHECK,
    ("I-8b", "rfc3261"): _NO_TRANSPORT, ("I-8b", "dean-bcp"): _NO_TRANSPORT,
    ("I-9", "rfc3261"): _KEY, ("I-9", "dean-bcp"): _KEY,
    ("I-10", "rfc3261"): _I10, ("I-10", "draft-04"): _I10, ("I-10", "dean-bcp"): _I10,
    ("I-10", "rfc5630"): _I10_5630,
    ("I-10b", "rfc3261"): _I10, ("I-10b", "draft-04"): _I10, ("I-10b", "dean-bcp"): _I10,
    ("I-11", "rfc3261"): _ROUTE, ("I-11", "dean-bcp"): _ROUTE, ("I-11", "draft-04"): _F19_ROUTE,
    ("I-11", "rfc5630"): _F19_ROUTE,
    ("I-12", "rfc3261"): _I12, ("I-12", "draft-04"): _I12, ("I-12", "dean-bcp"): _I12, ("I-12", "rfc5630"): _I12,
    ("I-13", "rfc3261"): ("the UAC recurses unasked to sip: on a 302, after a 480/380 or after a 416",
                          _ua_recursion(("r3xx", "r480_380", "r416"))),
    ("I-13", "draft-04"): ("the UAC retries after a 480 or a 3xx, not a 416", _ua_recursion(("r3xx", "r480_380"))),
    ("I-13", "rfc5630"): ("the UAC follows a 302 to a sip: Contact unasked (F-12)", _ua_recursion(("r3xx",))),
    ("I-14", "rfc3261"): _I14, ("I-14", "draft-04"): _I14, ("I-14", "dean-bcp"): _I14,
    ("I-16", "rfc3261"): _I16, ("I-16", "dean-bcp"): _I16, ("I-16", "rfc5630"): _I16_PATH,
    ("I-18", "rfc3261"): _I18, ("I-18", "dean-bcp"): _I18,
}


def test_every_expected_refutation_has_a_claim() -> None:
    refuted = {(p.id, name) for p in PROPS.values() for name, verdict in p.expected.items() if verdict == "refuted"}
    assert refuted <= set(CLAIMS)  # I-12 under dean-bcp has no expectation but is refuted: claimed too


@pytest.mark.slow
@pytest.mark.parametrize(("pid", "rules"), sorted(CLAIMS))
@pytest.mark.usefixtures("fresh_provers")  # the counterexample `check --property PID --rules RULES` prints
def test_the_note_names_what_the_counterexample_shows(pid: str, rules: str) -> None:
    text, holds = CLAIMS[(pid, rules)]
    result = prove(PROPS[pid], PRESETS[rules])
    assert result.verdict == "refuted" and result.counterexample is not None
    assert holds(result.counterexample), f"{pid} under {rules}: the notes say '{text}', the counterexample does not"

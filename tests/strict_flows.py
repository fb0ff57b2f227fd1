"""The shapes of the strict-router counterexamples the property notes describe (SIPS-RULES.md F-19).

Shared by tests/smt/test_smt_strict.py and tests/props/test_notes_match_counterexamples.py.
"""

from __future__ import annotations

from sipsmodel.model.trace import Trace


def _requests(trace: Trace) -> list[dict[str, object]]:
    return [dict(h) for h in trace.collection("hops") if h["kind"] == "request"]


def behind_strict_entry(trace: Trace, entry: str, target: str) -> bool:
    """alice's INVITE carries a strict route entry of scheme ``entry`` as Request-URI and the ``target`` in Route."""
    return any(h["sender"] == "ua" and h["method"] == "INVITE" and h["initial"] and h["ruri"] == entry
               and h["origin"] == target and h["route0"] == target for h in _requests(trace))


def strict_hides_sips(trace: Trace) -> bool:
    """F-19: a sips target behind a strict sip entry, and alice's hop is not TLS (I-1's note)."""
    return behind_strict_entry(trace, "sip", "sips") and any(
        h["sender"] == "ua" and h["origin"] == "sips" and not h["secure"] for h in _requests(trace))


def strict_sips_flag(trace: Trace) -> bool:
    """The reverse case: a strict sips entry as Request-URI makes alice's dialog secure; a proxy forwards the
    sip target without TLS (I-4b's note)."""
    return behind_strict_entry(trace, "sips", "sip") \
        and any(d["role"] == "uac" and d["secure"] for d in trace.collection("dialogs")) \
        and any(h["sender"] == "proxy" and not h["secure"] for h in _requests(trace))


def strict_sips_route(trace: Trace) -> bool:
    """The reverse case on the wire: a strict sips entry is the Request-URI, the sip target the Route value (I-11)."""
    return behind_strict_entry(trace, "sips", "sip")

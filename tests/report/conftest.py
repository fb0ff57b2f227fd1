"""Hand-made results of every verdict for the report tests (one refuted with a small Trace)."""

from __future__ import annotations

import pytest

from sipsmodel.model.trace import Trace, Transmission
from sipsmodel.props import Property, load_properties
from sipsmodel.report.result import Result
from sipsmodel.syntax import build_request, build_response, parse_uri

_HEADERS = [
    ("Via", "SIP/2.0/TLS alice.example.net;branch=z9hG4bKa1"),
    ("Max-Forwards", "70"),
    ("To", "<sips:bob@example.com>"),
    ("From", "<sips:alice@example.net>;tag=a1"),
    ("Call-ID", "c1@alice.example.net"),
    ("CSeq", "1 INVITE"),
    ("Contact", "<sips:alice@alice.example.net>"),
]


def small_trace() -> Trace:
    """alice -> pb over TLS, pb -> bob over UDP (the last-hop exception), bob's 200 back."""
    invite = build_request("INVITE", parse_uri("sips:bob@example.com"), _HEADERS)
    hop2 = build_request("INVITE", parse_uri("sip:bob@bob.example.com"), _HEADERS)
    ok = build_response(200, "OK", [h for h in _HEADERS if h[0] != "Max-Forwards"])
    items = (
        Transmission(0, "alice", "pb", "TLS", invite),
        Transmission(1, "pb", "bob", "UDP", hop2),
        Transmission(2, "bob", "pb", "UDP", ok),
        Transmission(3, "pb", "alice", "TLS", ok),
    )
    return Trace("rfc3261", items)


@pytest.fixture
def trace() -> Trace:
    return small_trace()


@pytest.fixture(scope="session")
def props() -> dict[str, Property]:
    return {p.id: p for p in load_properties()}


@pytest.fixture
def results() -> list[Result]:
    """One cell of each verdict; I-1 under rfc5630 is a refutation against expectation."""
    trace = small_trace()
    return [
        Result("I-1", "rfc3261", "refuted", counterexample=trace, violation=1, expected="refuted", seconds=0.5),
        Result("I-1", "rfc5630", "refuted", counterexample=trace, violation=1, expected="proved", seconds=0.25),
        Result("I-2", "rfc3261", "proved", scope="unbounded", rules_used=("R-3261-16.7-4a",), expected="proved"),
        Result("I-2", "rfc5630", "proved", scope="bounded", bound=3, rules_used=("R-5630-5.3-a",), expected="refuted"),
        Result("I-3", "rfc3261", "unknown", reason="timeout after 20 s", expected="proved"),
        Result("I-16", "rfc3261", "trace-only", reason="checked on imported traces", expected="refuted"),
    ]

"""A proxy sends no final response while it is still creating branches (RFC 3261 16.7 step 6)."""

from __future__ import annotations

from sipsmodel.model.scenario import Call, Element, Link, Registration, Scenario
from sipsmodel.rules import PRESETS
from sipsmodel.sim import DefaultChooser, simulate

# ua1 sits behind an edge proxy that can only reach it over TCP, so the sips branch dies at eb1 (480);
# ua2 is reachable over TLS and answers 200.
FORK = Scenario(
    "fork-edge-refuses",
    (
        Element("alice", "ua", "alice-1.example.net"),
        Element("pb", "proxy", "pb.example.com", responsible_for=("example.com",), registrar=True),
        Element("eb1", "proxy", "eb1.example.com", edge=True),
        Element("ua1", "ua", "ua1.example.com"),
        Element("ua2", "ua", "ua2.example.com"),
    ),
    (Link("alice", "pb"), Link("pb", "eb1"), Link("eb1", "ua1", ("TCP",)), Link("pb", "ua2")),
    (Registration("ua1", "bob", "example.com", "pb", via=("eb1",)), Registration("ua2", "bob", "example.com", "pb")),
    (Call("alice", "sips:bob@example.com"),),
)


def test_a_branch_refused_at_an_edge_does_not_end_the_fork_early() -> None:
    trace = simulate(FORK, PRESETS["rfc3261"], DefaultChooser())
    to_alice = [t.message.status for t in trace.transmissions if t.receiver == "alice" and t.message.status]
    assert [s for s in to_alice if s >= 200] == [200]
    refused = next(t.index for t in trace.transmissions if t.sender == "eb1" and t.message.status == 480)
    second_branch = next(t.index for t in trace.transmissions if t.receiver == "ua2" and t.message.method == "INVITE")
    assert refused < second_branch

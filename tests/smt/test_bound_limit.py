"""Large bounds never hang (issue 11): a bound beyond the family is refused up front, and building the
encoding counts against ``--timeout``."""

from __future__ import annotations

import importlib

import pytest
from click.testing import CliRunner

from sipsmodel.cli import cli
from sipsmodel.model.bounds import MAX_BOUND, BoundTooLarge
from sipsmodel.model.scenario import Call, Element, Link, Registration, Scenario
from sipsmodel.props import load_properties
from sipsmodel.report import check
from sipsmodel.rules.sets import PRESETS
from sipsmodel.sim import DefaultChooser, simulate
from sipsmodel.smt import prove
from sipsmodel.smt.decode import host_of
from sipsmodel.smt.encode import build_encoding

prove_module = importlib.import_module("sipsmodel.smt.prove")  # the package exports a function of that name


def _longest_walk(k: int) -> Scenario:
    """The family at bound k with every proxy present: p1..p(k-1) (each the next's outbound), pb, bob1
    behind its edge proxy eb1; alice calls with a preloaded Route to p1, ACK and BYE follow."""
    chain = [f"p{i}" for i in range(1, k)]
    elements = [Element("alice", "ua", host_of("alice"))]
    elements += [Element(n, "proxy", host_of(n), outbound=chain[i + 1] if i + 1 < len(chain) else None, trying=False)
                 for i, n in enumerate(chain)]
    elements += [Element("pb", "proxy", host_of("pb"), responsible_for=("example.com",), registrar=True, trying=False),
                 Element("eb1", "proxy", host_of("eb1"), edge=True, trying=False),
                 Element("bob1", "ua", host_of("bob1"))]
    names = [e.name for e in elements]
    registration = Registration(ua="bob1", aor_user="bob", domain="example.com", registrar="pb", via=("eb1",))
    call = Call(caller="alice", target="sips:bob@example.com", route=("sips:p1.example.net;lr",),
                in_dialog=(("caller", "ACK"), ("callee", "BYE")))
    links = tuple(Link(a, b) for i, a in enumerate(names) for b in names[i + 1:])
    return Scenario("longest-walk", tuple(elements), links, (registration,), (call,))


def _too_many_hops(k: int) -> bool:
    trace = simulate(_longest_walk(k), PRESETS["rfc3261"], DefaultChooser())
    return any(t.message.status == 483 for t in trace.transmissions)


def test_the_largest_bound_is_where_max_forwards_runs_out_in_the_simulator() -> None:
    # The encoding does not model Max-Forwards: up to MAX_BOUND no request of the family runs out of it.
    assert MAX_BOUND == 35
    assert not _too_many_hops(MAX_BOUND)
    assert _too_many_hops(MAX_BOUND + 1)


def test_a_bound_beyond_the_family_is_refused_up_front() -> None:
    outcome = CliRunner().invoke(cli, ["check", "--property", "I-1", "--rules", "rfc5630", "--bound", "1000"])
    assert outcome.exit_code == 2 and outcome.stdout == ""
    assert "--bound 1000 is beyond the bounded family: the largest supported bound is 35" in outcome.stderr
    assert "Traceback" not in outcome.stderr
    assert CliRunner().invoke(cli, ["check", "--bound", str(MAX_BOUND + 1)]).exit_code == 2
    check.plan(check.CheckOptions(bound=MAX_BOUND))  # the largest is accepted
    with pytest.raises(BoundTooLarge, match="largest supported bound is 35"):
        build_encoding(MAX_BOUND + 1, False)


@pytest.fixture
def nothing_built(monkeypatch: pytest.MonkeyPatch) -> None:
    """No encoding or solver cached by earlier tests: the next proof builds them."""
    monkeypatch.setattr(prove_module, "_ENCODINGS", {})
    monkeypatch.setattr(prove_module, "_PROVERS", {})


@pytest.mark.usefixtures("nothing_built")
def test_a_build_that_runs_out_of_its_timeout_is_unknown() -> None:
    prop = {p.id: p for p in load_properties()}["I-4"]
    result = prove(prop, PRESETS["rfc5630"], timeout=0.001)
    assert result.verdict == "unknown" and result.scope is None
    assert result.reason.startswith("the encoding for k=3 was not built within the timeout of 0.001 s")
    assert prove_module._ENCODINGS == {}  # nothing half-built is kept for the next cell


@pytest.mark.usefixtures("nothing_built")
def test_the_command_says_unknown_and_why() -> None:
    outcome = CliRunner().invoke(cli, ["check", "--property", "I-4", "--rules", "rfc5630", "--timeout", "0.001"])
    assert outcome.exit_code == 3
    assert "unknown" in outcome.stdout and "not built within the timeout of 0.001 s" in outcome.stdout

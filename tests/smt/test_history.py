"""A counterexample is a function of the query alone, not of what the process asked before (issue 11).

The model a counterexample is decoded from comes from a Z3 context of its own (``sipsmodel.smt.fresh``);
here the same query is asked first, then after unrelated queries that warm the very solver it uses,
after other encodings were built, and after every cached solver and encoding was dropped and rebuilt
(new term ids): the decoded scenario and the replayed records must be identical each time.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from sipsmodel.props import load_properties
from sipsmodel.rules.sets import PRESETS
from sipsmodel.smt import prove
from sipsmodel.smt.verdict import bounded_verdict, counterexample

PROVE = importlib.import_module("sipsmodel.smt.prove")
PROPS = {p.id: p for p in load_properties()}


def _answer(pid: str, rules: str) -> tuple[Any, ...]:
    """The decoded scenario, the script and the replayed records of the cell's counterexample."""
    prop = PROPS[pid]
    found = counterexample(prop, PRESETS[rules])
    assert found is not None
    return found.scenario, found.trace.transmissions, dict(found.trace.observation)


def _unrelated_queries() -> None:
    props = PROPS
    prove(props["I-1"], PRESETS["draft-04"])
    prove(props["I-10"], PRESETS["rfc5630"], bound=3)
    for rules in ("rfc5630", "dean-bcp", "draft-04"):  # the solver I-12/rfc3261 will use answers these first
        bounded_verdict(props["I-12"], PRESETS[rules])
    prove(props["I-12"], PRESETS["dean-bcp"])


@pytest.mark.slow
def test_the_same_query_after_other_queries_gives_the_same_counterexample(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PROVE, "_PROVERS", {})
    monkeypatch.setattr(PROVE, "_ENCODINGS", {})
    first = _answer("I-12", "rfc3261")
    _unrelated_queries()
    assert _answer("I-12", "rfc3261") == first
    PROVE._PROVERS.clear()  # a new solver over a new encoding: every term gets another id
    PROVE._ENCODINGS.clear()
    prove(PROPS["I-4"], PRESETS["rfc3261"])
    assert _answer("I-12", "rfc3261") == first


def _templates() -> dict[str, str]:
    """Every choice point's option-existence and selector templates, as text, built anew."""
    from sipsmodel.rules.choicepoints import CHOICE_POINTS
    from sipsmodel.smt import conflicts, visits

    visits._existence_template.cache_clear()
    conflicts._selector_template.cache_clear()
    conflicts._switched.cache_clear()
    texts = {}
    for name in sorted(CHOICE_POINTS):
        texts[f"exists {name}"] = visits._existence_template(name)[0].sexpr()
        texts[f"selector {name}"] = conflicts._selector_template(name)[0].sexpr()
    return texts


def test_the_cached_option_templates_do_not_depend_on_term_ids() -> None:
    """The templates are built once per process, at whatever point it first needs them; z3's simplifier
    ordered disjunctions by term id, so a template built after other work had another shape and every
    query (and counterexample) built on it changed (found with I-16 after I-1)."""
    import z3

    first = _templates()
    created = [z3.Bool(f"history!{i}") for i in range(2000)]
    created += [z3.Or(created[i], z3.Not(created[i + 1])) for i in range(0, 1998, 2)]
    assert _templates() == first

"""The full ``check`` table is the one stored before the protocol steps were shared (issue 11, "What must be true").

tests/data/check_table.json holds every cell (property x rule set: verdict, scope, bound) of
``sipsmodel check --format json`` with no other option, taken at main 90baa96 before the steps of
``sipsmodel/steps`` replaced the two engines' own code. A refactor must leave every cell as it was;
a change that is meant to change a cell (a larger family finding a new counterexample) updates the
stored table in the same commit and explains the change in the property file's notes.

The run takes a generous ``--timeout`` so that the solver's deterministic resource limit (``--rlimit``),
not the load of the machine, decides each cell (the stored table has no unknown cell).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sipsmodel.cli import cli
from sipsmodel.props import load_properties
from sipsmodel.rules.sets import PRESETS

pytestmark = pytest.mark.slow  # the whole grid: 88 cells

STORED = Path(__file__).resolve().parents[1] / "data" / "check_table.json"
FIELDS = ("verdict", "scope", "bound")


def _cells(results: list[dict[str, object]]) -> dict[tuple[object, object], tuple[object, ...]]:
    return {(r["property"], r["rules"]): tuple(r[f] for f in FIELDS) for r in results}


@pytest.mark.timeout(2400)  # the whole grid: about 90 s of CPU, several minutes on a loaded machine
def test_the_check_table_is_the_stored_one_cell_by_cell() -> None:
    stored = _cells(json.loads(STORED.read_text(encoding="utf-8"))["cells"])
    outcome = CliRunner().invoke(cli, ["check", "--format", "json", "--timeout", "600"])
    assert outcome.exit_code in (0, 1), outcome.stdout[-2000:] + outcome.stderr[-2000:]
    results = json.loads(outcome.stdout)["results"]
    now = _cells(results)
    assert sorted(now) == sorted(stored), "the grid's cells (property x rule set) changed"
    # Adding a reading changes no verdict under the default readings (issue 9): every cell the prover
    # answers meets the expectation its property file states, and none is unknown.
    checked = [r for r in results if r["verdict"] != "trace-only"]
    wrong = [(r["property"], r["rules"], r["verdict"], r["expected"]) for r in checked
             if r["verdict"] not in ("proved", "refuted") or r["expected"] not in (None, r["verdict"])]
    assert wrong == []
    assert len(checked) == sum(p.scope != "trace" for p in load_properties()) * len(PRESETS)
    changed = {cell: (stored[cell], now[cell]) for cell in stored if stored[cell] != now[cell]}
    assert changed == {}, f"cells whose (verdict, scope, bound) changed, stored -> now: {changed}"
    assert len(stored) == 88

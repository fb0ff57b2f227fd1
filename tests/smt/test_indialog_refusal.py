"""A route set the linear in-dialog router cannot take is refused loudly, never encoded wrongly (exit 2)."""

from __future__ import annotations

from typing import Any

import pytest
import z3

from sipsmodel.errors import ModelDisagreement
from sipsmodel.model.vocab import SCHEME
from sipsmodel.smt import indialog
from sipsmodel.smt.compile import const
from sipsmodel.smt.invite import RREntry


def _entry(owner: Any, name: str) -> RREntry:
    return RREntry(owner, z3.Bool(f"refusal!{name}"), const(SCHEME, "sips"), False)


def test_an_owner_with_two_runs_is_a_model_disagreement() -> None:
    route = [_entry(1, "a"), _entry(2, "b"), _entry(1, "c")]  # p1 owns two runs
    sips = const(SCHEME, "sips")
    walk = indialog.Walk("BYE", 0, 9, route, sips, sips, sips, z3.IntVal(0), z3.BoolVal(True), None)  # type: ignore[arg-type]
    with pytest.raises(ModelDisagreement, match=r"in-dialog walk t!bye: an owner of the route set may hold two runs"):
        indialog.router(None, walk, "t!bye")  # type: ignore[arg-type]

"""pyproject.toml caps lark (the fast driver reads Lark internals) and the installed Lark is inside the cap."""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

from packaging.requirements import Requirement

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def lark_requirement() -> Requirement:
    dependencies = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["dependencies"]
    return next(Requirement(d) for d in dependencies if Requirement(d).name == "lark")


def test_lark_has_an_upper_bound() -> None:
    assert any(spec.operator in ("<", "<=", "~=", "==") for spec in lark_requirement().specifier)


def test_installed_lark_is_inside_the_bound() -> None:
    assert lark_requirement().specifier.contains(version("lark"))

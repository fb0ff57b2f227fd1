"""The ``tool`` block every machine-readable report carries: name and versions (never imports z3)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from sipsmodel import __version__

TOOL_NAME = "sipsmodel"


def dist_version(name: str) -> str:
    """The installed version of a distribution, or 'not installed'."""
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def tool_block() -> dict[str, str]:
    """``{"name", "version", "z3"}`` for JSON reports."""
    return {"name": TOOL_NAME, "version": __version__, "z3": dist_version("z3-solver")}

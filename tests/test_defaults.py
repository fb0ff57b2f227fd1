"""One module for the defaults (issue 11, item 4): every command and library entry point reads sipsmodel.defaults."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from sipsmodel import defaults
from sipsmodel.cli import cli
from sipsmodel.decide.jobs import DecideOptions
from sipsmodel.replay.replay import ReplayOptions
from sipsmodel.report.check import CheckOptions
from sipsmodel.report.explore import ExploreOptions

PACKAGE = Path(__file__).resolve().parents[1] / "sipsmodel"


def option_defaults(command: str) -> dict[str, object]:
    return {p.name: p.default for p in cli.commands[command].params if p.name is not None}


@pytest.mark.parametrize("command", ["check", "decide", "ambiguities", "diff"])
def test_every_bound_option_defaults_to_the_default_bound(command: str) -> None:
    assert option_defaults(command)["bound"] == defaults.DEFAULT_BOUND


@pytest.mark.parametrize("command", ["check", "decide"])
def test_solver_options_default_to_the_shared_timeout_seed_and_resource_limit(command: str) -> None:
    options = option_defaults(command)
    assert (options["timeout"], options["seed"]) == (defaults.DEFAULT_TIMEOUT, defaults.DEFAULT_SEED)
    rlimit_help = next(p for p in cli.commands[command].params if p.name == "rlimit").help or ""
    assert f"[default: {defaults.RLIMIT}]" in rlimit_help


def test_explore_decide_and_replay_options_read_the_module() -> None:
    explore = option_defaults("explore")
    assert (explore["examples"], explore["budget"], explore["max_elements"]) == (
        defaults.DEFAULT_EXAMPLES, defaults.DEFAULT_BUDGET, defaults.DEFAULT_MAX_ELEMENTS)
    assert option_defaults("decide")["limit"] == defaults.DEFAULT_CORE_LIMIT
    assert option_defaults("replay")["timeout"] == defaults.REPLAY_TIMEOUT


def test_library_entry_points_use_the_same_defaults() -> None:
    from sipsmodel.smt import prove
    from sipsmodel.smt.solving import make_solver
    from sipsmodel.smt.verdict import bounded_verdict

    for options in (CheckOptions(), DecideOptions()):
        assert (options.bound, options.timeout, options.seed, options.rlimit) == (
            defaults.DEFAULT_BOUND, defaults.DEFAULT_TIMEOUT, defaults.DEFAULT_SEED, defaults.RLIMIT)
    assert ExploreOptions().examples == defaults.DEFAULT_EXAMPLES
    assert ReplayOptions("127.0.0.1", 5060, 5061, Path(".")).timeout == defaults.REPLAY_TIMEOUT
    for function in (prove, bounded_verdict):
        parameters = inspect.signature(function).parameters
        assert [parameters[n].default for n in ("bound", "timeout", "seed", "rlimit")] == [
            defaults.DEFAULT_BOUND, defaults.DEFAULT_TIMEOUT, defaults.DEFAULT_SEED, defaults.RLIMIT]
    assert inspect.signature(make_solver).parameters["rlimit"].default == defaults.RLIMIT


def test_the_resource_limit_and_registration_lifetime_are_written_nowhere_else() -> None:
    distinctive = {defaults.RLIMIT, defaults.DEFAULT_EXPIRES}
    found = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "defaults.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and type(node.value) is int and node.value in distinctive:
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert found == []

"""Every subcommand's ``--help`` works, and a subcommand that needs arguments says so: never a traceback.

Issue 13, item 4. The subcommands are read from the click group, so a new one is covered at once.
Timings are in ``benchmarks/bench_cli.py``, not here.
"""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from sipsmodel.cli import cli

NAMES = sorted(cli.commands)


def test_the_group_help_lists_every_subcommand() -> None:
    outcome = CliRunner().invoke(cli, ["--help"])
    assert outcome.exit_code == 0 and outcome.exception is None
    assert all(name in outcome.stdout for name in NAMES)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_every_subcommand_has_help(name: str, flag: str) -> None:
    outcome = CliRunner().invoke(cli, [name, flag])
    assert outcome.exit_code == 0 and outcome.exception is None, outcome.output
    assert outcome.stdout.startswith(f"Usage: cli {name} ")
    summary = cli.commands[name].get_short_help_str(limit=200)
    assert summary and summary in " ".join(outcome.stdout.split())


@pytest.mark.parametrize("name", [n for n in NAMES if any(p.required for p in cli.commands[n].params)])
def test_no_arguments_where_some_are_needed_is_a_usage_error(name: str) -> None:
    outcome = CliRunner().invoke(cli, [name])
    assert outcome.exit_code == 2 and isinstance(outcome.exception, SystemExit)
    assert "Missing" in outcome.stderr and "Traceback" not in outcome.output


@pytest.mark.parametrize("name", NAMES)
def test_an_unknown_option_is_a_usage_error(name: str) -> None:
    outcome = CliRunner().invoke(cli, [name, "--no-such-option"])
    assert outcome.exit_code == 2 and "Error: No such option" in outcome.stderr and "--no-such-option" in outcome.stderr


def test_every_option_says_what_it_does() -> None:
    silent = [
        f"{name} {param.opts[0]}"
        for name, command in cli.commands.items()
        for param in command.params
        if isinstance(param, click.Option) and not param.help and not isinstance(param.type, click.Choice)
    ]
    assert silent == []


def test_the_console_entry_point_prints_help_without_a_traceback() -> None:
    result = subprocess.run([sys.executable, "-m", "sipsmodel", "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and "Usage: " in result.stdout and result.stderr == ""

"""The ``sipsmodel`` command: thin wrappers that parse options, call the library and print.

Exit codes (DESIGN.md): 0 every expectation met, 1 a property refuted against expectation,
2 error (bad input, model disagreement), 3 a result is UNKNOWN.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from importlib.metadata import PackageNotFoundError, version
from typing import Any, TypeVar

import click

from sipsmodel import __version__
from sipsmodel.errors import ModelDisagreement, SipsModelError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_ERROR = 2


def _dist_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def _version_text() -> str:
    return (
        f"sipsmodel {__version__}\n"
        f"lark {_dist_version('lark')}\n"
        f"z3-solver {_dist_version('z3-solver')}"
    )


def reports_errors(func: F) -> F:
    """Turn sipsmodel's own errors into a message on stderr and exit code 2 (never a traceback)."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ModelDisagreement as exc:
            click.echo(f"sipsmodel: INTERNAL DISAGREEMENT (a bug in sipsmodel): {exc}", err=True)
            sys.exit(EXIT_ERROR)
        except SipsModelError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_ERROR)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(message=_version_text(), version=__version__)
def cli() -> None:
    """sipsmodel: model and check the use of the SIPS URI scheme in SIP."""


def main() -> None:
    """Entry point of the console script and of ``python -m sipsmodel``."""
    cli(prog_name="sipsmodel")

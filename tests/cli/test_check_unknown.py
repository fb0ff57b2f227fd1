"""``sipsmodel check --rlimit``: with the real prover, a resource limit too small to decide gives unknown.

Deterministic: z3's resource limit, not the wall clock (the timeout is set far above what it takes).
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from sipsmodel.cli import cli
from sipsmodel.report.expect import EXIT_UNKNOWN

pytestmark = pytest.mark.slow  # real sipsmodel check / explore runs

RESOURCE_REASONS = ("z3: max. resource limit exceeded (rlimit 1,", "z3: canceled (rlimit 1,")


def _check(*args: str) -> tuple[int, str, str]:
    outcome = CliRunner().invoke(cli, ["check", "--timeout", "3600", *args])
    assert outcome.exception is None or isinstance(outcome.exception, SystemExit), outcome.exception
    return outcome.exit_code, outcome.stdout, outcome.stderr


def test_a_tiny_rlimit_exits_3_and_the_text_shows_unknown_with_the_reason() -> None:
    code, out, err = _check("--property", "I-1", "--rules", "rfc5630", "--rlimit", "1")
    assert code == EXIT_UNKNOWN, out + err
    row = next(line for line in out.splitlines() if line.startswith("I-1 "))
    assert "unknown" in row and "proved" not in row
    assert "1 cell: 1 unknown" in out
    heading = out.index("I-1 End-to-end SIPS path, under rfc5630: unknown")
    reason = out[heading:].splitlines()[1].strip()
    assert reason.startswith(RESOURCE_REASONS) and reason.endswith("timeout 3600 s)")


def test_json_shows_unknown_with_the_reason_and_no_proof() -> None:
    code, out, _ = _check("--property", "I-17", "--property", "I-1", "--rules", "rfc3261", "--rlimit", "1",
                          "--format", "json")
    assert code == EXIT_UNKNOWN
    results = json.loads(out)["results"]
    assert [(r["property"], r["verdict"]) for r in results] == [("I-1", "unknown"), ("I-17", "unknown")]
    for r in results:
        assert r["scope"] is None and r["rules_used"] == [] and r["counterexample"] is None
        assert r["reason"].startswith(RESOURCE_REASONS)


def test_the_default_limit_decides_the_same_cells() -> None:
    code, out, err = _check("--property", "I-1", "--property", "I-17", "--rules", "rfc5630")
    assert code == 0, out + err
    assert "proved (k<=3)" in out and "proved (all sizes)" in out and "unknown" not in out


def test_rlimit_zero_means_no_resource_limit_and_negative_is_an_error() -> None:
    code, out, _ = _check("--property", "I-22", "--rules", "rfc5630", "--rlimit", "0")
    assert code == 0 and "proved (all sizes)" in out
    code, _, err = _check("--property", "I-22", "--rlimit", "-5")
    assert code == 2 and "--rlimit" in err

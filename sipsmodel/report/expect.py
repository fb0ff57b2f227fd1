"""How a cell's verdict compares with the expectation written in its property file, and exit codes.

DESIGN.md "Verdicts and exit codes": 0 every expectation met (or none), 1 a mismatch (refuted where
proved was expected, or proved where refuted was expected), 3 a result is unknown and nothing
mismatched; errors (exit 2) are exceptions and never reach this module. A ``sampled`` cell of
``explore`` matches an expectation of proved, and only weakly misses one of refuted ("not found").
"""

from __future__ import annotations

from collections.abc import Iterable

from sipsmodel.props import Property
from sipsmodel.verdict import Result

EXIT_OK = 0
EXIT_MISMATCH = 1
EXIT_UNKNOWN = 3

#: Cell status names, as reports show them.
MET, MISMATCH, NOT_FOUND, UNKNOWN, NONE = "met", "mismatch", "not found", "unknown", "none"


def expectation(prop: Property, rules: str | None, malicious: bool = False, should: str = "binding") -> str | None:
    """The verdict ``prop`` expects under the preset named ``rules`` (None when it states none).

    Expectations are written for the presets (``RuleSet.expectation_key``; None for a user file, even
    one named like a preset), for honest elements with SHOULD binding; ``[malicious]`` holds those for
    the malicious mode (I-21). With SHOULD optional no expectation applies.
    """
    if should != "binding" or rules is None:
        return None
    table = prop.expected_malicious if malicious else prop.expected
    return table.get(rules)


def status(result: Result) -> str:
    """Compare one cell with its expectation: met, mismatch, not found, unknown or none."""
    if result.verdict == "unknown":
        return UNKNOWN
    if result.expected is None or result.verdict == "trace-only":
        return NONE
    if result.verdict == "sampled":
        return MET if result.expected == "proved" else NOT_FOUND
    return MET if result.expected == result.verdict else MISMATCH


def mismatch_note(result: Result) -> str:
    """The text a table adds to a cell that differs from its expectation ('' when it does not)."""
    state = status(result)
    if state == MISMATCH:
        return f"≠ expected {result.expected}"
    if state == NOT_FOUND:
        return f"not found, expected {result.expected}"
    return ""


def exit_code(results: Iterable[Result]) -> int:
    """0 all met, 1 any mismatch, 3 any unknown (and no mismatch)."""
    states = {status(r) for r in results}
    if MISMATCH in states:
        return EXIT_MISMATCH
    if UNKNOWN in states:
        return EXIT_UNKNOWN
    return EXIT_OK

"""The sections under the table: counterexamples as ladders, the rules each proof rests on, reasons."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sipsmodel.report import ladder
from sipsmodel.report.core import all_cores, core_rule_lines
from sipsmodel.report.expect import mismatch_note
from sipsmodel.verdict import Result


def heading(result: Result, titles: Mapping[str, str]) -> str:
    """``I-1 End-to-end SIPS path, under rfc3261: refuted (≠ expected proved)``."""
    title = titles.get(result.property, "")
    name = f"{result.property} {title}".strip()
    mode = " (malicious proxy)" if result.malicious else ""
    note = mismatch_note(result)
    return f"{name}, under {result.rules}{mode}: {result.label}" + (f" ({note})" if note else "")


def _violation_line(result: Result) -> str:
    trace = result.counterexample
    if trace is None or result.violation is None or not 0 <= result.violation < len(trace.transmissions):
        return "violating transmission: not identified"
    item = trace.transmissions[result.violation]
    return f"violating transmission: F{item.index + 1} {item.sender} -> {item.receiver} over {item.transport}"


def explain_refuted(result: Result, titles: Mapping[str, str], why: bool = True) -> str:
    """Heading, the violating transmission, then the replayed counterexample as a ladder (``why``: with
    the decisions under each hop)."""
    lines = [heading(result, titles), _violation_line(result)]
    if result.reason:
        lines.append(result.reason)
    if result.counterexample is not None:
        lines += ["", ladder.ladder_text(result.counterexample, result.violation, why)]
    return "\n".join(lines)


def rests_on_lines(result: Result, code: str = "") -> list[str]:
    """``rests on: A, B`` or ``rests on one of:`` and one line per minimal core (docs/verdicts.md), and
    a line saying so when there may be cores not listed (the enumeration stopped, or was not asked for).

    ``code`` wraps each rule ID (a backtick for Markdown).
    """
    def rules(core: tuple[str, ...]) -> str:
        return ", ".join(f"{code}{r}{code}" for r in core) if core else "none (the model alone implies it)"

    cores = all_cores(result)
    incomplete = result.details.get("cores_complete") is False
    reason = result.details.get("cores_reason", "the enumeration stopped")
    if len(cores) == 1:
        return [f"rests on: {rules(cores[0])}", *([f"  (perhaps other minimal cores: {reason})"] if incomplete else [])]
    lines = ["rests on one of:", *(f"  - {rules(core)}" for core in cores)]
    if incomplete:
        lines.append(f"  (perhaps more: {reason})")
    return lines


def explain_proved(result: Result, titles: Mapping[str, str], rules: bool = True) -> str:
    """Heading, the rules the proof rests on (every minimal unsat core, docs/verdicts.md), and with
    ``rules`` each core rule with its keyword, clause, statement and the F-readings it stands for
    (docs/why.md)."""
    told = rests_on_lines(result) + (core_rule_lines(result) if rules else [])
    lines = [heading(result, titles), *(f"  {line}" for line in told)]
    return "\n".join(lines) + (f"\n  {result.reason}" if result.reason else "")


def explain_other(result: Result, titles: Mapping[str, str]) -> str:
    """Heading and the reason (unknown, sampled, trace-only)."""
    return heading(result, titles) + (f"\n  {result.reason}" if result.reason else "")


def explain(result: Result, titles: Mapping[str, str], why: bool = True, every: bool = True) -> str:
    """The section for one cell, whatever its verdict (``every``: ``--explain``, a proof with its core
    rules and readings; the default report names the core rules only)."""
    if result.verdict == "refuted":
        return explain_refuted(result, titles, why)
    if result.verdict == "proved":
        return explain_proved(result, titles, every)
    return explain_other(result, titles)


def chosen(results: Sequence[Result], every: bool = False) -> list[Result]:
    """The cells that get a section: all of them (``--explain``), else refuted, proved, unknown, sampled."""
    if every:
        return list(results)
    shown = ("refuted", "proved", "unknown", "sampled")
    return sorted((r for r in results if r.verdict in shown), key=lambda r: shown.index(r.verdict))


def sections(results: Sequence[Result], titles: Mapping[str, str], every: bool = False,
             why: bool = True) -> list[str]:
    """Every section text, refuted cells first (``why``: decisions under each hop of a counterexample)."""
    return [explain(r, titles, why, every) for r in chosen(results, every)]

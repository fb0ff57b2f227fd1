"""Checking real traces end to end: read every input, build records group by group, evaluate properties.

The inputs are read one after the other, in the order given, as one stream of messages (DESIGN.md
flow 4). Nothing but the open groups, the live bindings and the findings is kept in memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from sipsmodel.errors import ParseError
from sipsmodel.props import Property
from sipsmodel.trace.builder import Builder
from sipsmodel.trace.check import Checker, Violation
from sipsmodel.trace.elements import Elements, MappedElement
from sipsmodel.trace.frames import Problem
from sipsmodel.trace.inputs import InputFile, Leniency, items, parse, parse_problem, renumber


@dataclass
class TraceReport:
    """Everything ``sipsmodel trace`` reports."""

    inputs: list[InputFile]
    properties: list[Property]
    violations: list[Violation] = field(default_factory=list)
    undecided: list[tuple[str, str]] = field(default_factory=list)
    leniencies: list[Leniency] = field(default_factory=list)
    records: int = 0
    leniency_count: int = 0
    messages: int = 0
    folded: int = 0
    groups: int = 0

    @property
    def problems(self) -> list[Problem]:
        return [p for i in self.inputs for p in i.problems]


@dataclass
class TraceOptions:
    """What to read and check."""

    paths: Sequence[Path]
    properties: list[Property]
    elements: list[MappedElement] = field(default_factory=list)
    keylog: Path | None = None
    ladders: bool = True
    rule_ids: frozenset[str] | None = None
    max_leniencies: int = 10000


def run_trace(options: TraceOptions) -> TraceReport:
    """Read, build and check; per-record problems are collected, never raised."""
    builder = Builder(Elements(options.elements))
    checker = Checker(options.properties, options.ladders, options.rule_ids)
    report = TraceReport([], options.properties)
    for path in options.paths:
        info = InputFile(str(path), first_record=report.records)
        report.inputs.append(info)
        _read_one(path, info, options, builder, checker, report)
        report.records = info.first_record + info.records
    for observed in builder.finish():
        checker.check(observed)
    report.violations = checker.found
    report.undecided = checker.undecided_list()
    report.folded, report.groups = builder.folded, checker.groups
    return report


def _read_one(path: Path, info: InputFile, options: TraceOptions, builder: Builder, checker: Checker,
              report: TraceReport) -> None:  # fmt: skip
    for item in items(path, info, options.keylog):
        if isinstance(item, Problem):
            record = None if item.record is None else info.first_record + item.record
            if item.record is not None:
                info.records = max(info.records, item.record)
            info.problems.append(replace(item, record=record))
            continue
        frame = renumber(item, info)
        info.records = max(info.records, item.record)
        try:
            message, leniencies = parse(frame)
        except ParseError as exc:
            info.problems.append(parse_problem(frame, exc))
            continue
        report.messages += 1
        report.leniency_count += len(leniencies)
        if len(report.leniencies) < options.max_leniencies:
            report.leniencies.extend(leniencies)
        for observed in builder.add(frame, message):
            checker.check(observed)

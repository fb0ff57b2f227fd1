"""The whole ``decide`` answer as the reports show it: the core report plus the sections of issue 8 items 5 and 6.

:func:`complete_report` adds to the core answer (``sipsmodel.decide.jobs``) the trial balloon point by
point, one section per draft-04 and RFC 5630 change (``sipsmodel.decide.sections``), and "do we need to
deprecate sips?" (``sipsmodel.report.deprecation``, check cells on the job layer). :class:`DecideView`
holds it for every format; its ``to_json`` is the core JSON plus ``documents``, ``deprecation_limits``
and ``expectation_mismatches``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from sipsmodel.decide.report import DecideReport
from sipsmodel.decide.sections import (
    BalloonPoint,
    DocumentChange,
    balloon_mismatches,
    document_sections,
    expectations_apply,
    trial_balloon,
)
from sipsmodel.props import Property
from sipsmodel.report.check import CheckOptions
from sipsmodel.report.deprecation import MODEL_CANNOT_SAY, DeprecationRow, deprecation, known_base_cells


@dataclass(frozen=True)
class DecideView:
    """The core report (with ``trial_balloon`` and ``deprecation`` filled) and the per-document sections."""

    report: DecideReport
    balloon: tuple[BalloonPoint, ...]
    documents: tuple[DocumentChange, ...]
    rows: tuple[DeprecationRow, ...]
    expectations_note: str = ""

    @property
    def mismatches(self) -> list[str]:
        return balloon_mismatches(self.balloon)

    def to_json(self) -> dict[str, Any]:
        data = self.report.to_json()
        data["documents"] = [d.to_json() for d in self.documents]
        data["deprecation_limits"] = list(MODEL_CANNOT_SAY)
        data["expectation_mismatches"] = self.mismatches
        data["expectations_note"] = self.expectations_note
        return data


def complete_report(report: DecideReport, props: list[Property], options: CheckOptions,
                    tick: Callable[[str], None] = lambda _d: None) -> DecideView:
    """Add the trial balloon, the per-document sections and the deprecation rows to the core answer."""
    rows = deprecation(props, options, tick, known_base_cells(report))
    return assemble_view(report, trial_balloon(report), rows)


def assemble_view(report: DecideReport, balloon: tuple[BalloonPoint, ...],
                  rows: tuple[DeprecationRow, ...]) -> DecideView:
    """The view of a core answer with its trial-balloon points and deprecation rows (no solver work)."""
    full = replace(report, trial_balloon=balloon, deprecation=rows)
    return DecideView(full, balloon, document_sections(full), rows, expectations_apply(full))

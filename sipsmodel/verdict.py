"""One verdict of one property under one rule set, as every engine and report format sees it (a neutral
module: smt produces it, report and decide read it, none of them owns it).

Verdicts (DESIGN.md): ``proved`` with scope ``bounded`` (and the bound) or ``unbounded`` (an
inductive step check), ``refuted`` with a counterexample replayed by the simulator, ``unknown`` with
the reason, and for ``explore`` only, ``sampled`` (no violation in N random scenarios: never a proof).
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field

from sipsmodel.model.trace import Trace

VERDICTS = ("proved", "refuted", "unknown", "sampled", "trace-only")
SCOPES = ("bounded", "unbounded")


@dataclass(frozen=True)
class Result:
    """The answer for one (property, rule set) cell."""

    property: str
    rules: str
    verdict: str
    scope: str | None = None
    bound: int | None = None
    rules_used: tuple[str, ...] = ()
    expected: str | None = None
    counterexample: Trace | None = None
    violation: int | None = None
    seconds: float = 0.0
    reason: str = ""
    malicious: bool = False
    should: str = "binding"
    seed: int | None = None
    solver: str = ""
    details: dict[str, object] = field(default_factory=dict)
    scenarios: int | None = None  # explore: how many random scenarios the cell ran (its weight)
    readings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {self.verdict!r}")
        if self.verdict == "proved" and self.scope not in SCOPES:
            raise ValueError("a proved result says whether it is bounded or unbounded")
        if self.verdict == "refuted" and self.counterexample is None and self.details.get("trace_check") is None:
            raise ValueError("a refuted result carries the replayed counterexample")

    @builtins.property
    def meets_expectation(self) -> bool | None:
        """True/False when an expectation exists and the verdict is definite; None otherwise."""
        if self.expected is None or self.verdict not in ("proved", "refuted"):
            return None
        return self.expected == self.verdict

    @builtins.property
    def label(self) -> str:
        """Short text for tables: ``proved (k<=4)``, ``proved (all sizes)``, ``refuted``, ``sampled (n=312)``;
        the readings the verdict rests on follow (``refuted (F-12/a)``, ``proved (k<=3; F-3/b)``)."""
        if self.verdict == "proved":
            text = "proved (all sizes)" if self.scope == "unbounded" else f"proved (k<={self.bound})"
            return f"{text[:-1]}; {', '.join(self.readings)})" if self.readings else text
        if self.verdict == "sampled" and self.scenarios is not None:
            return f"sampled (n={self.scenarios})"
        return f"{self.verdict} ({', '.join(self.readings)})" if self.readings else self.verdict

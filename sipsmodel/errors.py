"""The one error root of sipsmodel and its families.

Every error a user can cause (bad URI, bad message, bad scenario or property file) is a
``SipsModelError``; the CLI turns it into a clear message and exit code 2, never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class SipsModelError(Exception):
    """Root of every error sipsmodel raises on purpose."""


@dataclass
class ParseError(SipsModelError):
    """Text that is not valid SIP (or not valid property-language) syntax.

    Carries where (line and column, 1-based), the caret context, what was expected and, for
    common mistakes, a short label plus a hint on how to fix the input. ``expected`` holds what
    was expected in words (e.g. "'>' closing the name-addr"), ``expected_terminals`` the grammar
    terminals behind it (e.g. ``RAQUOT``; see sipsmodel/syntax/terminals.py).
    """

    message: str
    line: int = 0
    column: int = 0
    context: str = ""
    expected: tuple[str, ...] = ()
    label: str | None = None
    hint: str | None = None
    source: str = "<input>"
    extra: dict[str, object] = field(default_factory=dict)
    expected_terminals: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}:{self.column}" if self.line else self.source
        parts = [f"{where}: {self.message}"]
        if self.label:
            parts[0] += f" [{self.label}]"
        if self.context:
            parts.append(self.context.rstrip("\n"))
        if len(self.expected) == 1:
            parts.append(f"expected {self.expected[0]}")
        elif self.expected:
            shown = "; ".join(self.expected[:12])  # descriptions may contain commas
            more = "" if len(self.expected) <= 12 else f" (and {len(self.expected) - 12} more)"
            parts.append(f"expected one of: {shown}{more}")
        if self.hint:
            parts.append(f"hint: {self.hint}")
        return "\n".join(parts)


class ScenarioError(SipsModelError):
    """A scenario, rule-set or property file that is malformed (names the file and key)."""


class ModelDisagreement(SipsModelError):
    """The simulator and the SMT encoding (or a trace and its claimed decisions) disagree.

    This is a bug in sipsmodel, reported loudly (exit code 2), never hidden.
    """


@dataclass(eq=False)
class InputFileError(ScenarioError):
    """A user's file that cannot be read as what a loader expects (sipsmodel/model/tomlfile.py).

    Names the file, where (1-based line and column, 0-based byte offset, when known), what is wrong,
    what was expected and, when there is one, how to fix it.
    """

    path: str
    problem: str
    expected: str
    line: int = 0
    column: int = 0
    offset: int | None = None
    context: str = ""
    hint: str | None = None

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}" if self.line else self.path
        at = f" (byte offset {self.offset})" if self.offset is not None else ""
        parts = [f"{where}{at}: {self.problem}; expected {self.expected}"]
        if self.context:
            parts.append(self.context)
        if self.hint:
            parts.append(f"hint: {self.hint}")
        return "\n".join(parts)

"""A finding of the ambiguity search: a choice that decides a property, with its witness pair."""

from __future__ import annotations

from dataclasses import dataclass, field

from sipsmodel.decide.witness import WitnessPair
from sipsmodel.model.expr import Value


@dataclass
class Finding:
    """One choice that decides a property, with the witness pair of its first property."""

    rule_set: str
    kind: str  # "reading" (solver), "exercise" (a reading deciding a flow), "flow" (a built-in call flow), "choice"
    f_item: str | None
    choice_point: str
    state: dict[str, Value]
    options: list[str]
    properties: list[str]
    rules: list[str]
    search: str
    witness: WitnessPair | None
    verdicts: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def vacuous(self) -> bool:
        """The witness pair's holding flow never reaches the failing flow's violating point: the choice
        makes the property hold only by cutting the flow short (``decide.witness.reaches_the_point``)."""
        return self.witness is not None and not self.witness.reaches

    @property
    def flips(self) -> bool | None:
        """Whether the choice flips a verdict within the bound, shown by a non-vacuous witness pair: a
        reading finding does when its pair is non-vacuous; an open choice does when fixing it in that
        state proves a property (None: not queried: a transport, or a built-in flow, which may lie
        outside the bounded family). A vacuous pair never shows a flip."""
        if self.vacuous:
            return False
        if self.kind == "reading":
            return True
        if self.kind == "flow":
            return None
        if self.kind == "exercise":  # the reading flips no verdict (both refuted), or the solver gave up
            return False if all(v == "refuted" for vs in self.verdicts.values() for v in vs.values()) else None
        after = [v for verdicts in self.verdicts.values() for k, v in verdicts.items() if k != self.options[0]]
        if "proved" in after:
            return True
        return None if all(v.startswith("not queried") for v in after) else False

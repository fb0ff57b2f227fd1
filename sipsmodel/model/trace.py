"""A Trace: what a simulation did, hop by hop, and how properties observe it.

``transmissions`` are the messages on the wire (hop plus full SipMessage); ``decisions`` record every
choice point visited (features, options taken, how many options the rule set allowed of those the
model has, and the rules that ruled out the others). The
``observation`` is the set of collections properties quantify over; its records follow
``sipsmodel.model.vocab.RECORD_SCHEMAS`` exactly, whichever engine produced them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sipsmodel.model.expr import Record, Value
from sipsmodel.model.vocab import RECORD_SCHEMAS


@dataclass(frozen=True)
class Transmission:
    """One message on one hop."""

    index: int
    sender: str
    receiver: str
    transport: str
    message: Any  # sipsmodel.syntax.SipMessage (the model does not import the parser's types)
    label: str = ""


@dataclass(frozen=True)
class RuledOut:
    """A rule that ruled out options at a decision: its ID, RFC 2119 keyword, how many options it excluded."""

    rule: str
    keyword: str
    options: int


@dataclass(frozen=True)
class Decision:
    """One visit of a choice point.

    ``allowed`` options of the ``possible`` ones the model has there (physically possible, and on the
    link); ``ruled_out`` names the rules that excluded the others, as the simulator's own evaluation
    found them (``possible`` None: not recorded, e.g. a decision built by hand). ``sent_before`` is the
    number of transmissions already on the wire when the choice was made.
    """

    index: int
    element: str
    choice_point: str
    occurrence: int
    features: Mapping[str, Value]
    options: Mapping[str, Value]
    allowed: int
    transmission: int | None = None
    possible: int | None = None
    ruled_out: tuple[RuledOut, ...] = ()
    sent_before: int | None = None


@dataclass(frozen=True)
class Trace:
    """The result of a simulation (or of importing a real trace)."""

    rules: str
    transmissions: tuple[Transmission, ...]
    decisions: tuple[Decision, ...] = ()
    observation: Mapping[str, Sequence[Record]] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def collection(self, name: str) -> Sequence[Record]:
        return self.observation.get(name, ())


def check_observation(observation: Mapping[str, Sequence[Record]]) -> None:
    """Raise ValueError unless every record has exactly the attributes of its schema."""
    for name, records in observation.items():
        schema = RECORD_SCHEMAS.get(name)
        if schema is None:
            raise ValueError(f"unknown collection {name!r}")
        for record in records:
            if set(record) != set(schema):
                missing, extra = set(schema) - set(record), set(record) - set(schema)
                raise ValueError(f"{name} record {dict(record)}: missing {sorted(missing)}, extra {sorted(extra)}")
            for attr, (domain, _) in schema.items():
                _check_value(name, attr, record[attr], domain.kind, domain.values)


def _check_value(name: str, attr: str, value: Value, kind: str, values: tuple[Value, ...]) -> None:
    ok = (
        isinstance(value, bool) if kind == "bool"
        else isinstance(value, int) and not isinstance(value, bool) if kind == "int"
        else value in values
    )
    if not ok:
        raise ValueError(f"{name}.{attr} = {value!r} is not a {kind} in {values}")

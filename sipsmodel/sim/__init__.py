"""Executable semantics of SIPS: a scenario, a rule set and a chooser give a Trace (docs/semantics.md)."""

from sipsmodel.sim.choosers import (
    Chooser,
    DefaultChooser,
    ExhaustiveChooser,
    HypothesisChooser,
    ScriptedChooser,
    enumerate_choices,
)
from sipsmodel.sim.engine import Simulation, enumerate_traces, simulate

__all__ = [
    "Chooser",
    "DefaultChooser",
    "ExhaustiveChooser",
    "HypothesisChooser",
    "ScriptedChooser",
    "Simulation",
    "enumerate_choices",
    "enumerate_traces",
    "simulate",
]

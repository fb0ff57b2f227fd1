"""The SMT side of the model (the only package importing z3): compile, encode, prove (DESIGN.md flow 3)."""

from sipsmodel.defaults import DEFAULT_BOUND
from sipsmodel.smt.prove import prove

__all__ = ["DEFAULT_BOUND", "prove"]

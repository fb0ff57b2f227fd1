"""The SMT side of the model (the only package importing z3): compile, encode, prove (DESIGN.md flow 3)."""

from sipsmodel.smt.prove import DEFAULT_BOUND, prove

__all__ = ["DEFAULT_BOUND", "prove"]

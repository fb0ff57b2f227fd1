"""The verdict type's former import path, kept for users and tests (it lives in :mod:`sipsmodel.verdict`).

DESIGN.md "Verdicts and exit codes": the type belongs to neither ``smt`` nor ``report``.
"""

from sipsmodel.verdict import SCOPES, VERDICTS, Result

__all__ = ["SCOPES", "VERDICTS", "Result"]

"""Verdict tables and machine-readable reports (text, JSON, Markdown, SARIF)."""

from sipsmodel.verdict import Result

__all__ = ["Result"]

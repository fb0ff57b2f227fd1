"""Verdict tables and machine-readable reports (text, JSON, Markdown, SARIF)."""

from sipsmodel.report.result import Result

__all__ = ["Result"]

"""Sphinx configuration for the sipsmodel user documentation (MyST Markdown).

Pages under ``_generated/`` are written from the code at build time (the rule table, and any other
generator listed in GENERATORS), so the documentation cannot drift from the tables it describes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

project = "sipsmodel"
author = "the sipsmodel developers"
extensions = ["myst_parser"]
source_suffix = {".md": "markdown"}
master_doc = "index"
# Generated parts that a hand-written page pulls in with {include} (not pages of their own).
exclude_patterns = ["_build", "_generated/properties.md", "_generated/property-language.md"]
html_theme = "alabaster"
myst_heading_anchors = 3
suppress_warnings = ["myst.xref_missing"]

_HERE = Path(__file__).resolve().parent


def _rule_table() -> str:
    from sipsmodel.rules.describe import rule_table_markdown

    return rule_table_markdown()


def _properties() -> str:
    from sipsmodel.report.docpages import properties_markdown

    return properties_markdown()


def _property_language() -> str:
    from sipsmodel.report.docpages import property_language_markdown

    return property_language_markdown()


def _readings() -> str:
    from sipsmodel.report.readingsdoc import readings_markdown

    return readings_markdown()


#: page name under _generated/ -> function returning its Markdown text
GENERATORS: dict[str, Callable[[], str]] = {
    "rules": _rule_table,
    "properties": _properties,
    "property-language": _property_language,
    "readings": _readings,
}


def write_generated_pages() -> None:
    """Write every generated page (only when its text changed, to keep incremental builds quiet)."""
    folder = _HERE / "_generated"
    folder.mkdir(exist_ok=True)
    for name, generate in GENERATORS.items():
        path = folder / f"{name}.md"
        text = generate()
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


write_generated_pages()

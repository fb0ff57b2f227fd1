"""Sphinx configuration for the sipsmodel user documentation (MyST Markdown)."""

project = "sipsmodel"
author = "the sipsmodel developers"
extensions = ["myst_parser"]
source_suffix = {".md": "markdown"}
master_doc = "index"
exclude_patterns = ["_build"]
html_theme = "alabaster"
myst_heading_anchors = 3

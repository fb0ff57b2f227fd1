"""The readings table as a Markdown page (generated at documentation build time, never restated)."""

from __future__ import annotations

from sipsmodel.decide.ambiguities import NOT_EXPRESSIBLE
from sipsmodel.rules.readings import AMBIGUITIES, F_ITEMS, PRESET_NAMES


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def readings_markdown() -> str:
    """Every F-item with readings (clause, statement, constraint, defaults), then the ones without."""
    out = ["# The readings table", "",
           "Generated from `sipsmodel/rules/readings.py` at documentation build time. A preset's default",
           "reading is what its rules already say; selecting another adds that reading as one more rule.", "",
           "| reading | clause | statement | constraint | default in |", "|---|---|---|---|---|"]
    for ambiguity in AMBIGUITIES:
        for r in ambiguity.readings:
            constraint = "<br>".join(f"`{cp}`: `{_cell(t)}`" for cp, t in r.at.items()) or "(none)"
            if r.supersedes:
                constraint += "<br>supersedes " + ", ".join(r.supersedes)
            presets = ", ".join(p for p in PRESET_NAMES if ambiguity.defaults[p] == r.letter) or "-"
            out.append(f"| {r.id} | {_cell(r.clause)} | {_cell(r.statement)} | {constraint} | {presets} |")
    out += ["", "## Items without readings", "", "| item | why the model does not express it |", "|---|---|"]
    out += [f"| {item} | {_cell(NOT_EXPRESSIBLE[item])} |" for item in F_ITEMS if item in NOT_EXPRESSIBLE]
    return "\n".join(out) + "\n"

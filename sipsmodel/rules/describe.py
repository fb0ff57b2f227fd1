"""Describe rule sets and the rule table as text, JSON-ready data or Markdown (docs are generated
from this, so the documentation can never drift from the table)."""

from __future__ import annotations

from sipsmodel.rules.choicepoints import CHOICE_POINTS
from sipsmodel.rules.rule import Rule
from sipsmodel.rules.sets import PRESETS, RuleSet
from sipsmodel.rules.table import RULES, RULES_BY_ID, UNEXPRESSED


def rule_data(rule: Rule) -> dict[str, object]:
    """One rule as JSON-ready data."""
    return {
        "id": rule.id,
        "document": rule.document,
        "section": rule.section,
        "keyword": rule.keyword,
        "binds": rule.binds,
        "reading": rule.reading,
        "constraints": dict(rule.at),
        "supersedes": list(rule.supersedes),
    }


def rule_set_data(rule_set: RuleSet) -> dict[str, object]:
    """A rule set with its rules as JSON-ready data."""
    return {
        "name": rule_set.name,
        "description": rule_set.description,
        "should": rule_set.should,
        "rules": [rule_data(r) for r in rule_set.rules],
        "source": rule_set.source or None,
        "superseded": [{"rule": dropped, "by": by} for dropped, by in rule_set.superseded],
    }


def presets_text() -> str:
    """The presets, one line each."""
    width = max(len(n) for n in PRESETS)
    lines = [f"{name:<{width}}  {len(s.rule_ids):>3} rules  {s.description}" for name, s in PRESETS.items()]
    lines.append("")
    lines.append("`sipsmodel rules --set NAME` lists a set's rules; a .toml file path is accepted as NAME.")
    return "\n".join(lines)


def rule_set_text(rule_set: RuleSet) -> str:
    """A rule set as plain text: one block per rule."""
    head = f"{rule_set.name}: {rule_set.description} ({len(rule_set.rules)} rules, SHOULD is {rule_set.should})"
    blocks = [head, ""]
    for rule in rule_set.rules:
        optional = " (optional: SHOULD)" if rule.is_should and rule_set.should == "optional" else ""
        blocks.append(f"{rule.id}  {rule.document} {rule.section}  {rule.keyword}  binds {rule.binds}{optional}")
        blocks.append(f"    {rule.reading}")
        for cp, text in rule.at.items():
            blocks.append(f"    at {cp}: {text}")
        if rule.supersedes:
            blocks.append(f"    supersedes {', '.join(rule.supersedes)}")
    return "\n".join(blocks + superseded_text(rule_set))


def superseded_text(rule_set: RuleSet) -> list[str]:
    """The rules ``supersedes`` removed from the set, each with the rule that removed it and why."""
    if not rule_set.superseded:
        return []
    lines = ["", f"Removed by supersedes ({len(rule_set.superseded)}):"]
    for dropped, by in rule_set.superseded:
        old, new = RULES_BY_ID[dropped], RULES_BY_ID[by]
        lines.append(f"{dropped}  {old.document} {old.section}  {old.keyword}: {old.reading}")
        lines.append(f"    removed because {by} ({new.document} {new.section}, {new.keyword}) supersedes it: "
                     f"{new.reading}")
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def rule_table_markdown() -> str:
    """The whole rule table, the presets and the unexpressed rules, as a Markdown page."""
    names = list(PRESETS)
    out = [
        "# The rule table",
        "",
        "Generated from `sipsmodel/rules/table.py` at documentation build time.",
        "A mark in a preset column means the rule is in that preset.",
        "",
        "| rule | document | keyword | binds | reading | constraints | " + " | ".join(names) + " |",
        "|---|---|---|---|---|---|" + "---|" * len(names),
    ]
    for rule in RULES:
        marks = ["x" if rule.id in PRESETS[n].rule_ids else "" for n in names]
        constraints = "<br>".join(f"`{cp}`: `{_cell(t)}`" for cp, t in rule.at.items()) or "(none)"
        if rule.supersedes:
            constraints += "<br>supersedes " + ", ".join(rule.supersedes)
        out.append(
            f"| {rule.id} | {rule.document} {_cell(rule.section)} | {rule.keyword} | {rule.binds} | "
            f"{_cell(rule.reading)} | {constraints} | " + " | ".join(marks) + " |"
        )
    out += ["", "## Choice points", ""]
    for cp in CHOICE_POINTS.values():
        out.append(f"### `{cp.name}`")
        out.append("")
        out.append(f"{cp.summary} ({cp.reference}). Element: {cp.element}.")
        out.append("")
        out += [f"- feature `{f.name}` ({f.domain.name}): {f.derivation}" for f in cp.features]
        out += [f"- option `{o.name}` ({o.domain.name}): {o.meaning}" for o in cp.options]
        out += [f"- model constraint: `{c}`" for c in cp.constraints]
        out.append("")
    out += ["## Rules the model does not express", "", "| rule | why |", "|---|---|"]
    out += [f"| {u.id} | {_cell(u.reason)} |" for u in UNEXPRESSED]
    return "\n".join(out) + "\n"

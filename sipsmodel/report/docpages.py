"""Documentation pages generated from the data at Sphinx build time (so they cannot drift).

``properties_markdown`` lists properties/ (formula, rules, expectations, notes) and the properties of
SIPS-RULES.md section E the model cannot express; ``property_language_markdown`` lists the
collections and attributes a formula may quantify over (``RECORD_SCHEMAS``) and the grammar.
"""

from __future__ import annotations

from sipsmodel.model.expr import BUILTINS
from sipsmodel.model.vocab import RECORD_SCHEMAS
from sipsmodel.props import Property, load_properties
from sipsmodel.resources import resource_path
from sipsmodel.rules.sets import PRESETS

#: Properties of SIPS-RULES.md section E with no file in properties/, and why.
UNEXPRESSED: dict[str, str] = {
    "I-15": "B2BUAs and gateways are not modelled: SIPS ends at them, and what their other leg does is "
    "outside the three documents' SIP-layer rules.",
    "I-19": "GRUUs are not modelled (no GRUU is minted or returned by the registrar), so the divergence "
    "between RFC 5630 and draft-04 on the GRUU scheme cannot be observed.",
    "I-20": "Derived dialogs (REFER, Replaces, Join, third-party call control) are not modelled; 3xx "
    "recursion and retries are, and I-13 and I-14 cover them.",
    "I-21": "Not a property but a mode: `sipsmodel check --malicious` marks one proxy malicious and "
    "judges every property against the `[malicious]` expectations of its file.",
}


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _expectations(prop: Property) -> list[str]:
    names = list(dict.fromkeys([*PRESETS, *prop.expected, *prop.expected_malicious]))
    rows = ["| rule set | expected | with a malicious proxy |", "|---|---|---|"]
    for name in names:
        honest, bad = prop.expected.get(name, "-"), prop.expected_malicious.get(name, "-")
        rows.append(f"| `{name}` | {honest} | {bad} |")
    return rows


def property_section(prop: Property) -> list[str]:
    """The Markdown section of one property."""
    lines = [f"## {prop.id}: {prop.title}", "", "```text", prop.formula_text, "```", ""]
    rules = ", ".join(f"`{r}`" for r in prop.follows_from) or "(none)"
    lines.append(f"- follows from: {rules}")
    scope = "model" if prop.scope == "model" else "trace-only (checked on imported traces; `check` says `trace-only`)"
    lines.append(f"- scope: {scope}")
    lines.append(f"- per-hop invariant the prover tries for all sizes: {'yes' if prop.inductive else 'no'}")
    lines += ["", *_expectations(prop), ""]
    if prop.notes.strip():
        lines += [" ".join(prop.notes.split()), ""]
    return lines


def unexpressed(props: list[Property]) -> dict[str, str]:
    """The section E properties without a file, each with its reason."""
    have = {p.id.rstrip("b") for p in props}
    return {i: reason for i, reason in UNEXPRESSED.items() if i not in have}


def properties_markdown() -> str:
    """Every built-in property, then those the model cannot express."""
    props = load_properties()
    out = ["<!-- generated from properties/ by sipsmodel.report.docpages; do not edit -->", ""]
    for prop in props:
        out += property_section(prop)
    out += ["## Properties that are not expressed", "", "| property | why |", "|---|---|"]
    out += [f"| {i} | {_cell(reason)} |" for i, reason in unexpressed(props).items()]
    return "\n".join(out) + "\n"


def _values(kind: str, values: tuple[object, ...]) -> str:
    if kind == "int":
        return "integer"
    if kind == "bool":
        return "`true`, `false`"
    return ", ".join(f"`{v}`" for v in values)


def property_language_markdown() -> str:
    """The collections, attributes and built-in predicates a formula may use, and the grammar."""
    out = ["<!-- generated from sipsmodel.model.vocab and grammar/property.lark; do not edit -->", ""]
    out += ["## Collections and attributes", ""]
    for name, schema in RECORD_SCHEMAS.items():
        out += [f"### `{name}`", "", "| attribute | values | meaning |", "|---|---|---|"]
        for attr, (domain, meaning) in schema.items():
            values = _values(domain.kind, domain.values)
            out.append(f"| `{attr}` | {values} | {_cell(meaning)} |")
        out.append("")
    out += ["## Built-in predicates", "", "| predicate | holds for |", "|---|---|"]
    out += [f"| `{n}(t)` | {', '.join(f'`{v}`' for v in sorted(vs))} |" for n, vs in BUILTINS.items()]
    grammar = resource_path("grammar", "property.lark").read_text(encoding="utf-8").rstrip("\n")
    out += ["", "## Grammar (`grammar/property.lark`)", "", "```text", grammar, "```"]
    return "\n".join(out) + "\n"

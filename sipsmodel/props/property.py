"""A property file: ID, title, the rules it follows from, a formula, and expected verdicts.

Format (TOML, one file per property under ``properties/``)::

    id = "I-1"
    title = "End-to-end SIPS path"
    follows_from = ["R-3261-19.1-a", "R-3261-26.2.2-a", "R-5630-5.3-a"]
    formula = "forall h in hops where h.kind == request: h.origin == sips -> h.secure"
    scope = "model"            # or "trace": only meaningful on imported traces (see notes)
    inductive = true           # a per-hop invariant the prover may try for all path lengths
    notes = "why the expectations are what they are"
    [expected]
    rfc3261 = "refuted"
    rfc5630 = "proved"
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sipsmodel.errors import ParseError, ScenarioError
from sipsmodel.model.expr import Expr, parse_expr
from sipsmodel.model.tomlfile import read_toml
from sipsmodel.model.typecheck import check_formula
from sipsmodel.model.vocab import RECORD_SCHEMAS
from sipsmodel.resources import resource_dir

VERDICTS = ("proved", "refuted")
SCOPES = ("model", "trace")
_KEYS = {"id", "title", "follows_from", "formula", "expected", "notes", "scope", "inductive", "malicious"}


@dataclass(frozen=True)
class Property:
    """A predicate over a Trace, with what the texts lead us to expect per rule set."""

    id: str
    title: str
    formula_text: str
    formula: Expr
    follows_from: tuple[str, ...] = ()
    expected: dict[str, str] = field(default_factory=dict)
    expected_malicious: dict[str, str] = field(default_factory=dict)
    notes: str = ""
    scope: str = "model"
    inductive: bool = False
    source: str = ""


def _require(data: dict[str, object], key: str, kind: type, source: str) -> object:
    value = data.get(key)
    if not isinstance(value, kind):
        raise ScenarioError(f"{source}: key {key!r} must be a {kind.__name__}, found {value!r}")
    return value


def _expectations(data: dict[str, object], key: str, source: str) -> dict[str, str]:
    table = data.get(key, {})
    if not isinstance(table, dict):
        raise ScenarioError(f"{source}: [{key}] must be a table of rule set = verdict")
    for rules, verdict in table.items():
        if verdict not in VERDICTS:
            raise ScenarioError(f"{source}: [{key}] {rules} = {verdict!r}; expected one of {VERDICTS}")
    return {str(k): str(v) for k, v in table.items()}


def property_from_mapping(data: dict[str, object], source: str) -> Property:
    """Validate a parsed property file (names the file and key on any error)."""
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise ScenarioError(f"{source}: unknown keys {unknown}; expected some of {sorted(_KEYS)}")
    text = str(_require(data, "formula", str, source))
    try:
        formula = parse_expr(text, source=f"{source}: formula")
    except ParseError as exc:
        raise ScenarioError(str(exc)) from None
    check_formula(formula, {}, RECORD_SCHEMAS, f"{source}: formula")
    scope = str(data.get("scope", "model"))
    if scope not in SCOPES:
        raise ScenarioError(f"{source}: key 'scope' must be one of {SCOPES}, found {scope!r}")
    follows = data.get("follows_from", [])
    if not isinstance(follows, list):
        raise ScenarioError(f"{source}: key 'follows_from' must be a list of rule IDs")
    return Property(
        id=str(_require(data, "id", str, source)),
        title=str(_require(data, "title", str, source)),
        formula_text=text,
        formula=formula,
        follows_from=tuple(str(f) for f in follows),
        expected=_expectations(data, "expected", source),
        expected_malicious=_expectations(data, "malicious", source),
        notes=str(data.get("notes", "")),
        scope=scope,
        inductive=bool(data.get("inductive", False)),
        source=source,
    )


def load_property(path: Path) -> Property:
    """Load one property file."""
    return property_from_mapping(read_toml(path, "property"), str(path))


def _sort_key(prop: Property) -> tuple[int, str]:
    digits = "".join(ch for ch in prop.id.split("-")[-1] if ch.isdigit())
    return (int(digits) if digits else 10**6, prop.id)


def load_properties(directory: Path | None = None) -> list[Property]:
    """Every ``*.toml`` property in ``directory`` (default: the built-in ``properties/``)."""
    folder = directory if directory is not None else resource_dir("properties")
    if not folder.is_dir():
        raise ScenarioError(f"{folder}: not a directory of property files")
    props = [load_property(p) for p in sorted(folder.glob("*.toml"))]
    if not props:
        raise ScenarioError(f"{folder}: no property files (*.toml) in this folder; point --properties at a folder "
                            "holding files such as I-01.toml (see docs/property-language.md)")
    ids = [p.id for p in props]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ScenarioError(f"{folder}: property IDs defined twice: {duplicates}")
    return sorted(props, key=_sort_key)

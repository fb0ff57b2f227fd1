"""Scenario files: TOML validated by the JSON Schema shipped beside this module (docs/scenarios.md).

``load_scenario(path)`` reads a file, checks it against ``scenario.schema.json``, then checks what a
schema cannot (element references, URI syntax), and builds a Scenario. The script's options are
checked against the choice points by ``sipsmodel.rules.scenarios.load_scenario`` (the model knows no
rules: DESIGN.md, rooms of the house). Every error is a ScenarioError naming the file, the key path, what was expected
and what was found.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from sipsmodel.errors import ParseError, ScenarioError
from sipsmodel.model.scenario import Call, Element, Link, Registration, Scenario, ScriptedChoice
from sipsmodel.model.tomlfile import read_toml

SCHEMA_PATH = Path(__file__).with_name("scenario.schema.json")
_PRESETS = ("rfc3261", "draft-04", "dean-bcp", "rfc5630")


@cache
def scenario_schema() -> dict[str, Any]:
    """The JSON Schema of scenario files."""
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return schema


def _key(path: Any) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def validate_document(data: dict[str, Any], source: str) -> None:
    """Raise ScenarioError for the first schema violation (by key path)."""
    import jsonschema  # type: ignore[import-untyped]

    validator = jsonschema.Draft202012Validator(scenario_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    if errors:
        error = errors[0]
        expected = error.schema.get("description") if isinstance(error.schema, dict) else None
        hint = f" (expected: {expected})" if expected else ""
        raise ScenarioError(f"{source}: key '{_key(error.absolute_path)}': {error.message}{hint}")


def _tuple(value: Any) -> tuple[Any, ...]:
    return tuple(value) if isinstance(value, list) else value


def _build(cls: type[Any], data: dict[str, Any]) -> Any:
    return cls(**{k: _tuple(v) for k, v in data.items()})


def scenario_from_mapping(data: dict[str, Any], source: str, base: Path | None = None) -> Scenario:
    """Build and check a Scenario from a parsed TOML document."""
    validate_document(data, source)
    elements = tuple(_build(Element, e) for e in data["elements"])
    calls = []
    for call in data.get("calls", []):
        in_dialog = tuple(tuple(pair) for pair in call.get("in_dialog", [["caller", "ACK"]]))
        fields: dict[str, Any] = {k: _tuple(v) for k, v in call.items()}
        calls.append(Call(**{**fields, "in_dialog": in_dialog}))
    script = tuple(
        ScriptedChoice(s["element"], s["choice_point"], s.get("occurrence", 0), dict(s["options"]))
        for s in data.get("script", [])
    )
    rules = data.get("rules")
    if rules is not None and rules not in _PRESETS:
        resolved = (base / rules) if base is not None else Path(rules)
        if not resolved.is_file():
            raise ScenarioError(f"{source}: key 'rules': expected a preset ({', '.join(_PRESETS)}) or a rule-set "
                                f".toml file, found {rules!r} (no such file {resolved})")
        rules = str(resolved)
    scenario = Scenario(
        name=data.get("name", Path(source).stem),
        elements=elements,
        links=tuple(_build(Link, link) for link in data.get("links", [])),
        registrations=tuple(_build(Registration, r) for r in data.get("registrations", [])),
        calls=tuple(calls),
        script=script,
        rules=rules,
        description=data.get("description", ""),
        labels=dict(data.get("labels", {})),
        columns=tuple(data.get("columns", ())),
    )
    check_scenario(scenario, source)
    names = [e.name for e in scenario.elements]
    unknown = [c for c in scenario.columns if c not in names]
    if unknown:
        raise ScenarioError(f"{source}: key 'columns': {unknown} are not elements of the scenario; "
                            f"expected names among {names}")
    return scenario


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario TOML file; raise ScenarioError naming the file and key on any problem."""
    file = Path(path)
    return scenario_from_mapping(read_toml(file, "scenario"), str(file), file.parent)


def _uri_error(source: str, key: str, text: str, kinds: str = "sip: or sips: URI") -> ScenarioError:
    return ScenarioError(f"{source}: key '{key}': expected a {kinds}, found {text!r}")


def _check_uri(source: str, key: str, text: str) -> None:
    from sipsmodel.syntax import SipUri, parse_uri

    try:
        uri = parse_uri(text.strip().strip("<>"))
    except ParseError as exc:
        raise ScenarioError(f"{source}: key '{key}': {text!r} is not a valid URI: {exc.message}") from None
    if not isinstance(uri, SipUri):
        raise _uri_error(source, key, text)


def check_scenario(scenario: Scenario, source: str) -> None:
    """What the schema cannot check: names, roles, URIs, script options (file and key in every error)."""
    roles = {e.name: e.role for e in scenario.elements}
    if len(roles) != len(scenario.elements):
        raise ScenarioError(f"{source}: key 'elements': element names must be unique")

    def ref(key: str, name: str, role: str | None) -> None:
        if name not in roles:
            raise ScenarioError(f"{source}: key '{key}': expected the name of an element, found {name!r}")
        if role is not None and roles[name] != role:
            raise ScenarioError(f"{source}: key '{key}': expected a {role}, found {name!r} (a {roles[name]})")

    for n, element in enumerate(scenario.elements):
        if element.outbound is not None:
            ref(f"elements[{n}].outbound", element.outbound, "proxy")
        if element.redirect_to is not None:
            _check_uri(source, f"elements[{n}].redirect_to", element.redirect_to)
        if element.malicious and element.role != "proxy":
            raise ScenarioError(f"{source}: key 'elements[{n}].malicious': only a proxy can be malicious")
    for n, link in enumerate(scenario.links):
        ref(f"links[{n}].a", link.a, None)
        ref(f"links[{n}].b", link.b, None)
    for n, registration in enumerate(scenario.registrations):
        ref(f"registrations[{n}].ua", registration.ua, "ua")
        ref(f"registrations[{n}].registrar", registration.registrar, "proxy")
        for m, via in enumerate(registration.via):
            ref(f"registrations[{n}].via[{m}]", via, "proxy")
        for m, text in enumerate(registration.service_route):
            _check_uri(source, f"registrations[{n}].service_route[{m}]", text)
    for n, call in enumerate(scenario.calls):
        ref(f"calls[{n}].caller", call.caller, "ua")
        _check_uri(source, f"calls[{n}].target", call.target)
        for m, text in enumerate(call.route):
            _check_uri(source, f"calls[{n}].route[{m}]", text)
    for n, choice in enumerate(scenario.script):
        ref(f"script[{n}].element", choice.element, None)

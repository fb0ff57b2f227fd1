"""Scenario files checked against the choice points: a script may only name options that exist.

The model's loader (``sipsmodel.model.loader``) checks structure, element names and URIs; the options a
script may fix are rules data (``sipsmodel.rules.choicepoints``), so that check lives here and the model
does not import the rules (DESIGN.md, rooms of the house). docs/scenarios.md describes the file.
"""

from __future__ import annotations

from pathlib import Path

from sipsmodel.errors import ScenarioError
from sipsmodel.model import loader
from sipsmodel.model.expr import Value
from sipsmodel.model.scenario import Scenario
from sipsmodel.rules.choicepoints import CHOICE_POINTS


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario TOML file and check its script; a ScenarioError names the file and key."""
    scenario = loader.load_scenario(path)
    check_script(scenario, str(path))
    return scenario


def check_script(scenario: Scenario, source: str) -> None:
    """Every scripted option exists at its choice point and has a value of its domain."""
    for n, choice in enumerate(scenario.script):
        _check_options(source, f"script[{n}].options", choice.choice_point, choice.options)


def _check_options(source: str, key: str, cp_name: str, options: dict[str, Value]) -> None:
    cp = CHOICE_POINTS[cp_name]
    domains = {o.name: o.domain for o in cp.options}
    for name, value in options.items():
        if name not in domains:
            raise ScenarioError(f"{source}: key '{key}.{name}': {cp_name} has no option {name!r}; "
                                f"expected one of {sorted(domains)}")
        if value not in domains[name]:
            raise ScenarioError(f"{source}: key '{key}.{name}': expected one of {list(domains[name].values)}, "
                                f"found {value!r}")

"""Reading the project's TOML files (scenarios, rule sets, properties) with one kind of error."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from sipsmodel.errors import ScenarioError


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """Parse a TOML file; a missing file or bad TOML is a ScenarioError naming the file (and line)."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read {what}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: not valid TOML: {exc}") from None

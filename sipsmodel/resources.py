"""One loader for the top-level data folders (grammar/, properties/, scenarios/).

In a source checkout they sit beside the package; in an installed wheel they are shipped as
``sipsmodel/_data/<name>`` (see ``[tool.hatch.build.targets.wheel.force-include]``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def resource_dir(name: str) -> Path:
    """Return the directory of the data folder ``name`` (grammar, properties, scenarios)."""
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"sipsmodel data folder {name!r} not found beside or inside the package")


def resource_path(name: str, *parts: str) -> Path:
    """Return the path of a file inside a data folder, e.g. ``resource_path('grammar', 'sip.lark')``."""
    return resource_dir(name).joinpath(*parts)

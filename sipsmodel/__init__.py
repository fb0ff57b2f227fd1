"""sipsmodel: a formal model and property checker for the SIPS URI scheme in SIP.

The public API is imported lazily so that ``sipsmodel --version`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sipsmodel.errors import ModelDisagreement, ParseError, ScenarioError, SipsModelError

__version__ = "0.1.0"

__all__ = [
    "ModelDisagreement",
    "ParseError",
    "ScenarioError",
    "SipsModelError",
    "__version__",
    "parse_header",
    "parse_message",
    "parse_message_lenient",
    "parse_name_addr",
    "parse_uri",
    "uri_equal",
]

_LAZY = {
    "parse_uri": "sipsmodel.syntax",
    "parse_message": "sipsmodel.syntax",
    "parse_header": "sipsmodel.syntax",
    "parse_message_lenient": "sipsmodel.syntax",
    "parse_name_addr": "sipsmodel.syntax",
    "uri_equal": "sipsmodel.syntax",
}

if TYPE_CHECKING:
    from sipsmodel.syntax import (
        parse_header,
        parse_message,
        parse_message_lenient,
        parse_name_addr,
        parse_uri,
        uri_equal,
    )


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'sipsmodel' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)

"""``sipsmodel.strategies`` is a package whose ``__all__`` is exactly its public strategies (issue 11, item 4)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from hypothesis import strategies as st

import sipsmodel.strategies as package


def submodules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(package.__path__, f"{package.__name__}."))


def public_functions(module_name: str) -> set[str]:
    """Names defined in the module itself (not imported), not starting with an underscore, callable."""
    module = importlib.import_module(module_name)
    return {name for name, value in vars(module).items()
            if not name.startswith("_") and callable(value) and getattr(value, "__module__", None) == module_name}


def test_strategies_is_a_package_with_submodules_by_topic() -> None:
    assert submodules() == ["sipsmodel.strategies.model", "sipsmodel.strategies.syntax"]


def test_all_lists_every_public_strategy_of_the_submodules_and_nothing_else() -> None:
    defined = set().union(*(public_functions(m) for m in submodules()))
    assert sorted(package.__all__) == sorted(defined)
    assert len(package.__all__) == len(set(package.__all__))


def test_every_exported_name_is_a_strategy_factory() -> None:
    for name in package.__all__:
        function = getattr(package, name)
        arguments = {p.name: p.default for p in inspect.signature(function).parameters.values()}
        assert all(d is not inspect.Parameter.empty for d in arguments.values()), name
        assert isinstance(function(), st.SearchStrategy), name

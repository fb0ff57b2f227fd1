"""The import graph between sipsmodel's rooms: no cycle, no arrow DESIGN.md forbids (issue 11, item 4).

Every module under ``sipsmodel/`` is parsed with ``ast`` (imports inside functions and under
``TYPE_CHECKING`` count too); relative imports are resolved against the module's package. A *room* is a
subpackage (``smt``), a top-level module (``verdict``), ``cli`` (``cli.py``, ``cli_*.py``, ``__main__``), the
root facade ``sipsmodel`` (``__init__.py``), or one of the third-party packages DESIGN.md fences in
(``z3``, ``lark``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "sipsmodel"
FENCED = frozenset({"z3", "lark"})

#: Modules every room may import: they import nothing of sipsmodel but each other.
SHARED = frozenset({"errors", "resources", "defaults"})

#: DESIGN.md "Rooms of the house", column "may import", plus the arrows its flows need (commented).
ALLOWED: dict[str, frozenset[str]] = {
    "syntax": frozenset({"lark"}),
    "model": frozenset({"syntax"}),
    "rules": frozenset({"model"}),
    # steps: the protocol steps written once for both engines (sipsmodel/steps, issue 11 item 1).
    "steps": frozenset({"model"}),
    "sim": frozenset({"model", "rules", "syntax", "steps"}),
    "props": frozenset({"model"}),
    # sim: a counterexample is reported only after the simulator replayed it (DESIGN.md, flow 3).
    "smt": frozenset({"model", "rules", "props", "z3", "verdict", "sim", "steps"}),
    "render": frozenset({"model", "syntax"}),
    # render: a violation in a real trace is shown as a ladder of that trace (flow 4).
    "trace": frozenset({"syntax", "model", "props", "render"}),
    # sim, render: every minimal set and witness pair comes with a replayed flow and its ladder (flows 5, 6).
    "decide": frozenset({"model", "rules", "props", "smt", "verdict", "sim", "render", "selection", "tool"}),
    # props: the real trace a replay captured is checked like any trace (flow 7 feeds flow 4).
    "replay": frozenset({"model", "syntax", "trace", "props"}),
    "strategies": frozenset({"syntax", "model"}),
    # The neutral modules: the verdict type, the choice of properties and rule sets, the tool block.
    "verdict": frozenset({"model"}),
    "selection": frozenset({"props", "rules"}),
    "tool": frozenset({"sipsmodel"}),
    "jobs": frozenset(),
    "sipsmodel": frozenset({"syntax"}),
}
_ABOVE_REPORT = frozenset({"cli", "report"} | FENCED)
_ROOMS = frozenset(ALLOWED) | {"report", "cli"} | SHARED
ALLOWED["report"] = frozenset(_ROOMS - _ABOVE_REPORT)  # "everything above"
ALLOWED["cli"] = frozenset(_ROOMS - FENCED - {"cli"})  # "everything" but the solver and the parser library


def module_name(path: Path) -> str:
    """``sipsmodel/smt/prove.py`` -> ``sipsmodel.smt.prove``; a package's ``__init__`` is the package."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(path: Path) -> set[str]:
    """Every dotted name the module at ``path`` imports."""
    return imports_of(path.read_text(encoding="utf-8"), module_name(path), path.name == "__init__.py")


def imports_of(text: str, module: str, is_package: bool, runtime_only: bool = False) -> set[str]:
    """Every dotted name ``text`` imports (``from a import b`` gives ``a`` and ``a.b``), relative ones resolved.

    ``runtime_only``: leave out the imports under ``if TYPE_CHECKING:`` (they never run).
    """
    package = module.split(".") if is_package else module.split(".")[:-1]
    names: set[str] = set()
    pending: list[ast.AST] = [ast.parse(text, module)]
    while pending:
        node = pending.pop()
        if runtime_only and isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            pending.extend(node.orelse)
            continue
        pending.extend(ast.iter_child_nodes(node))
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            names.add(target)
            names.update(f"{target}.{alias.name}" for alias in node.names)
    return names


def room_of(name: str) -> str | None:
    """The room a dotted module name belongs to, or None outside sipsmodel and the fenced packages."""
    parts = name.split(".")
    if parts[0] in FENCED:
        return parts[0]
    if parts[0] != "sipsmodel":
        return None
    if len(parts) == 1:
        return "sipsmodel"
    head = parts[1]
    if head == "__main__" or head == "cli" or head.startswith("cli_"):
        return "cli"
    is_room = (PACKAGE / head).is_dir() or (PACKAGE / f"{head}.py").is_file()
    return head if is_room else "sipsmodel"  # ``from sipsmodel import __version__``


def room_graph() -> dict[tuple[str, str], set[str]]:
    """(from room, to room) -> the modules making that arrow."""
    arrows: dict[tuple[str, str], set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        source = room_of(module_name(path))
        assert source is not None
        for name in imported_names(path):
            target = room_of(name)
            if target is not None and target != source:
                arrows.setdefault((source, target), set()).add(module_name(path))
    return arrows


def cycles(arrows: Iterable[tuple[str, str]]) -> list[list[str]]:
    """The strongly connected components with more than one room (Tarjan), each sorted."""
    succ: dict[str, list[str]] = {}
    for a, b in arrows:
        succ.setdefault(a, []).append(b)
        succ.setdefault(b, [])
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in succ[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(succ):
        if node not in index:
            visit(node)
    return sorted(found)


def forbidden(arrows: Mapping[tuple[str, str], set[str]]) -> list[str]:
    """Arrows ALLOWED does not list, each with the modules that make it."""
    bad = []
    for (source, target), modules in sorted(arrows.items()):
        if target in SHARED and source not in FENCED:
            continue
        if source not in ALLOWED:
            bad.append(f"{source} is not a room of DESIGN.md (imported by nothing known): {sorted(modules)}")
        elif target not in ALLOWED[source]:
            bad.append(f"{source} -> {target} (in {', '.join(sorted(modules))})")
    return bad


def test_no_cycle_between_rooms() -> None:
    assert cycles(room_graph()) == []


def test_no_forbidden_arrow() -> None:
    assert forbidden(room_graph()) == []


def test_only_smt_imports_z3_and_only_syntax_imports_lark() -> None:
    users = {target: sorted({s for s, t in room_graph() if t == target}) for target in FENCED}
    assert users == {"z3": ["smt"], "lark": ["syntax"]}


def test_shared_modules_import_no_room() -> None:
    assert [(s, t) for s, t in room_graph() if s in SHARED and t not in SHARED] == []


# The checker itself finds what it is meant to find.


def test_cycle_finder_reports_a_ring_and_ignores_a_chain() -> None:
    ring = [("model", "rules"), ("rules", "sim"), ("sim", "model"), ("sim", "syntax")]
    assert cycles(ring) == [["model", "rules", "sim"]]
    assert cycles([("model", "syntax"), ("rules", "model")]) == []


@pytest.mark.parametrize(
    ("arrow", "allowed"),
    [(("model", "rules"), False), (("report", "z3"), False), (("smt", "report"), False), (("rules", "model"), True)],
)
def test_forbidden_arrows_are_the_ones_design_md_rules_out(arrow: tuple[str, str], allowed: bool) -> None:
    assert (forbidden({arrow: {"sipsmodel.x"}}) == []) is allowed


def test_relative_imports_are_resolved() -> None:
    text = "from . import encode\nfrom ..model.expr import Expr\nimport z3\n"
    assert imports_of(text, "sipsmodel.smt.prove", False) == {
        "sipsmodel.smt", "sipsmodel.smt.encode", "sipsmodel.model.expr", "sipsmodel.model.expr.Expr", "z3"}
    assert "sipsmodel.smt.compile" in imports_of("from .compile import x\n", "sipsmodel.smt", True)
    assert room_of("sipsmodel.cli_decide") == "cli" and room_of("sipsmodel.smt.prove") == "smt"
    typed = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .state import S\nelse:\n    import os\n"
    runtime = imports_of(typed, "sipsmodel.sim.deliver", False, runtime_only=True)
    assert runtime == {"typing", "typing.TYPE_CHECKING", "os"}
    assert "sipsmodel.sim.state.S" in imports_of(typed, "sipsmodel.sim.deliver", False)


def module_graph(room: str) -> set[tuple[str, str]]:
    """Arrows between the modules of one package that run (its ``__init__`` facade and type-only imports left out)."""
    prefix = f"sipsmodel.{room}."
    modules = {module_name(p) for p in (PACKAGE / room).glob("*.py") if p.name != "__init__.py"}
    arrows = set()
    for module in modules:
        path = PACKAGE / room / f"{module.rsplit('.', 1)[1]}.py"
        for name in imports_of(path.read_text(encoding="utf-8"), module, False, runtime_only=True):
            target = next((m for m in modules if name == m or name.startswith(m + ".")), None)
            if name.startswith(prefix) and target is not None and target != module:
                arrows.add((module, target))
    return arrows


def test_simulator_handlers_are_dispatched_from_a_table_not_imported_in_a_ring() -> None:
    arrows = module_graph("sim")
    assert cycles(arrows) == []
    assert {t for s, t in arrows if s == "sipsmodel.sim.deliver"} <= {"sipsmodel.sim.state", "sipsmodel.sim.wire"}

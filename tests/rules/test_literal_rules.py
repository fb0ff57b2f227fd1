"""One accessor for every rule with a literal (``rules_with_literal``): no consumer keeps its own list."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import sipsmodel
import sipsmodel.rules.readings as readings
from sipsmodel.rules.engine import check_tables
from sipsmodel.rules.narrowings import NARROWING_RULES
from sipsmodel.rules.readings import READING_RULES, rules_with_literal
from sipsmodel.rules.rule import Rule
from sipsmodel.rules.sets import PRESETS
from sipsmodel.rules.table import BCP, RULES

PACKAGE = Path(sipsmodel.__file__).parent
#: Names that hold (part of) the list; only sipsmodel/rules/readings.py may use them.
LIST_NAMES = {"CONSTRAINT_RULES", "READING_RULES"}


def test_the_accessor_is_the_table_then_the_readings_then_the_narrowings() -> None:
    ids = [r.id for r in rules_with_literal()]
    assert ids == [r.id for r in RULES + READING_RULES + NARROWING_RULES]
    assert len(set(ids)) == len(ids)


def _names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    names |= {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
    names |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    return names


def test_no_consumer_holds_its_own_list() -> None:
    """The engines, fixes and conflicts read the accessor; none names the list or iterates the bare table."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel == "rules/readings.py":
            continue
        names = _names(path)
        if names & LIST_NAMES:
            offenders.append(f"{rel}: {sorted(names & LIST_NAMES)}")
        if (rel.startswith("smt/") or rel == "rules/engine.py") and "RULES" in names:
            offenders.append(f"{rel}: RULES")
    assert offenders == []


def test_a_rule_added_to_the_one_list_reaches_every_consumer(monkeypatch: pytest.MonkeyPatch) -> None:
    from sipsmodel.smt.fixes import fixed_literals
    from sipsmodel.smt.solving import assumptions

    mutant = Rule("MUT-LIT", BCP, "mutation", "MUST", "UAC", "a mutant", {"uac_invite": "ruri == sip"})
    monkeypatch.setattr(readings, "CONSTRAINT_RULES", readings.CONSTRAINT_RULES + (mutant,))
    assert "Not(rule!MUT-LIT)" in {str(t) for t in assumptions([])}
    assert "Not(rule!MUT-LIT)" in {str(t) for t in fixed_literals(PRESETS["rfc3261"], [])}
    broken = Rule("MUT-CP", BCP, "mutation", "MUST", "UAC", "a mutant", {"no_such_point": "true"})
    monkeypatch.setattr(readings, "CONSTRAINT_RULES", readings.CONSTRAINT_RULES + (broken,))
    with pytest.raises(KeyError, match="MUT-CP"):
        check_tables()

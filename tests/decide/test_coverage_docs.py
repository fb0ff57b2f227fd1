"""docs/ambiguities.md's coverage table of section F against the code (issue 9 item 3).

The statuses of the expressed items come from a run of the whole search: the benchmark
(``benchmarks/bench_ambiguities.py``) checks them against this same table, and ``test_ambiguities.py``
checks that the items found are the pinned ones.
"""

from __future__ import annotations

import re
from pathlib import Path

from sipsmodel.decide.ambiguities import NOT_EXPRESSIBLE
from sipsmodel.rules.readings import AMBIGUITIES_BY_ITEM, F_ITEMS

DOC = Path(__file__).resolve().parents[2] / "docs" / "ambiguities.md"
STATUS = {"found": "found", "expressed, not security-relevant": "not-security-relevant",
          "not expressible": "not-expressible"}


def docs_coverage() -> dict[str, tuple[str, str]]:
    """Item -> (status as ``coverage`` spells it, the row's reason) from the docs table."""
    rows = re.findall(r"^\| (F-\d+) \| ([^|]+) \| (.+) \|$", DOC.read_text(encoding="utf-8"), re.M)
    return {item: (STATUS[status.strip()], where.strip()) for item, status, where in rows}


def test_the_table_lists_every_f_item_once_in_order() -> None:
    rows = re.findall(r"^\| (F-\d+) \|", DOC.read_text(encoding="utf-8"), re.M)
    assert rows == list(F_ITEMS)


def test_not_expressible_items_and_reasons_are_the_code_s() -> None:
    docs = docs_coverage()
    assert {i for i, (s, _) in docs.items() if s == "not-expressible"} == set(NOT_EXPRESSIBLE)
    for item, reason in NOT_EXPRESSIBLE.items():
        assert docs[item][1] == reason, item


def test_every_item_is_expressed_or_has_a_reason() -> None:
    assert set(AMBIGUITIES_BY_ITEM) | set(NOT_EXPRESSIBLE) == set(F_ITEMS)
    assert not set(AMBIGUITIES_BY_ITEM) & set(NOT_EXPRESSIBLE)
    docs = docs_coverage()
    for item in AMBIGUITIES_BY_ITEM:
        assert docs[item][0] in ("found", "not-security-relevant"), item
        assert docs[item][1], item

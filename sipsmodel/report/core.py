"""The rules a proof rests on, with their readings: ID, keyword, clause, one-line statement, F-readings.

A proved cell's unsat cores (``explain.all_cores``) name rule IDs; this module looks each up in the
rule table (or the readings of SIPS-RULES.md section F) and says which reading of an F-item the rule
stands for under the checked rule set (``details["embodies"]``, from
``sipsmodel.decide.readings.embodied_readings``), so ``--explain`` answers "rests on what, read how".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sipsmodel.report.result import Result
from sipsmodel.rules.readings import AMBIGUITIES_BY_ITEM, READING_KEYWORD, READING_RULES_BY_ID
from sipsmodel.rules.rule import Rule
from sipsmodel.rules.table import RULES_BY_ID


def all_cores(result: Result) -> list[tuple[str, ...]]:
    """Every minimal core of a proof, fewest rules first (``rules_used`` alone for older results)."""
    found = result.details.get("cores")
    cores = [tuple(c) for c in found] if isinstance(found, list) else [result.rules_used]
    return sorted(cores, key=lambda core: (len(core), core))


def core_rule_ids(result: Result) -> list[str]:
    """Every rule of every minimal core of a proof, in core order, once each."""
    return list(dict.fromkeys(r for core in all_cores(result) for r in core))


def _rule(rule_id: str) -> Rule | None:
    return RULES_BY_ID.get(rule_id) or READING_RULES_BY_ID.get(rule_id)


def _embodies(result: Result) -> Mapping[str, list[str]]:
    found = result.details.get("embodies")
    return found if isinstance(found, dict) else {}


def clause(rule: Rule) -> str:
    """``RFC 3261 16.6`` for a rule; the clause read for a reading (``RFC 5630 5.3``)."""
    return rule.section if rule.keyword == READING_KEYWORD else f"{rule.document} {rule.section}"


def core_rules_json(result: Result) -> list[dict[str, Any]]:
    """Each core rule: id, keyword, clause, statement (its one-line reading), the F-readings it embodies."""
    embodies = _embodies(result)
    out = []
    for rule_id in core_rule_ids(result):
        rule = _rule(rule_id)
        out.append({
            "id": rule_id,
            "keyword": rule.keyword if rule else None,
            "clause": clause(rule) if rule else None,
            "statement": rule.reading if rule else None,
            "embodies": list(embodies.get(rule_id, [])),
        })
    return out


def core_readings(result: Result) -> list[str]:
    """The F-readings the core rests on: those its rules embody, then any the verdict names."""
    embodied = [r for rule in core_rules_json(result) for r in rule["embodies"]]
    return list(dict.fromkeys([*embodied, *result.readings]))


def reading_json(reading_id: str) -> dict[str, Any]:
    """``{"id": "F-3/b", "clause": ..., "statement": ...}`` (SIPS-RULES.md section F)."""
    item, letter = reading_id.split("/", 1)
    ambiguity = AMBIGUITIES_BY_ITEM.get(item)
    found = next((r for r in ambiguity.readings if r.letter == letter), None) if ambiguity else None
    return {"id": reading_id, "clause": found.clause if found else None,
            "statement": found.statement if found else None}


def core_readings_json(result: Result) -> list[dict[str, Any]]:
    """The F-readings the core rests on, each with its clause and one-line statement."""
    return [reading_json(r) for r in core_readings(result)]


def core_rule_lines(result: Result) -> list[str]:
    """``the core's rules:`` then one line per rule, then the F-readings the core rests on."""
    rules = core_rules_json(result)
    if not rules:
        return []
    lines = ["the core's rules:"]
    for r in rules:
        if r["keyword"] is None:
            lines.append(f"  {r['id']}: not in the rule table")
            continue
        tail = f" [embodies {', '.join(r['embodies'])}]" if r["embodies"] and r["embodies"] != [r["id"]] else ""
        lines.append(f"  {r['id']}  {r['keyword']}  {r['clause']}: {r['statement']}{tail}")
    readings = core_readings_json(result)
    if not readings:
        return [*lines, "readings the core rests on: none (no rule of the core stands for a reading of section F)"]
    lines.append("readings the core rests on:")
    lines += [f"  {r['id']}  {r['clause']}: {r['statement']}" for r in readings]
    return lines

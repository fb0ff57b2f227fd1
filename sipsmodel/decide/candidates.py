"""The candidate changes of ``sipsmodel decide``: rules to add to the base, base rules to remove (issue 8 item 1).

By default the candidates are every rule of the draft-04, dean-bcp and rfc5630 presets that the base
lacks (action ``add``), and every base rule those presets drop because one of their rules supersedes it
(action ``remove``: RFC 5630 Appendix A deletes RFC 3261 16.7 step 8, draft-04 and RFC 5630 replace
16.7 step 4's SHOULD NOT, 8.1.3.5's retry, 10.3's scheme-keeping key...). A rule whose keyword is
``(deletion)`` has no constraint of its own: it stands for the removals it makes. A candidates file
(TOML) lists ``add`` and ``remove`` explicitly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sipsmodel.decide.report import Change
from sipsmodel.errors import ScenarioError
from sipsmodel.model.tomlfile import read_toml
from sipsmodel.rules.sets import PRESETS, RuleSet
from sipsmodel.rules.table import RULES, RULES_BY_ID

#: The documents whose changes ``decide`` weighs by default.
DEFAULT_DOCUMENTS = ("draft-04", "dean-bcp", "rfc5630")
_CANDIDATE_KEYS = frozenset({"add", "remove", "description"})


@dataclass(frozen=True)
class Candidates:
    """The candidate changes in table order (adds, then removals), and where they came from."""

    changes: tuple[Change, ...]
    source: str

    @property
    def adds(self) -> tuple[str, ...]:
        return tuple(c.rule for c in self.changes if c.action == "add")

    @property
    def removes(self) -> tuple[str, ...]:
        return tuple(c.rule for c in self.changes if c.action == "remove")


def _table_order(changes: Iterable[Change]) -> tuple[Change, ...]:
    position = {r.id: n for n, r in enumerate(RULES)}
    unique = set(changes)
    return tuple(sorted(unique, key=lambda c: (c.action != "add", position[c.rule])))


def _expand(rule_id: str, base: RuleSet) -> list[Change]:
    """An added rule, or for a ``(deletion)`` rule the base rules it deletes."""
    rule = RULES_BY_ID[rule_id]
    if rule.keyword == "(deletion)":
        return [Change(s, "remove") for s in rule.supersedes if s in base.rule_ids]
    return [Change(rule_id, "add")]


def document_changes(document: str, base: RuleSet) -> list[Change]:
    """What a preset changes relative to the base: its rules the base lacks, the base rules it drops."""
    preset = PRESETS[document]
    added = [c for i in preset.rule_ids if i not in base.rule_ids for c in _expand(i, base)]
    superseded = {s for i in preset.rule_ids for s in RULES_BY_ID[i].supersedes}
    removed = [Change(i, "remove") for i in base.rule_ids if i not in preset.rule_ids and i in superseded]
    return added + removed


def _rule_list(data: dict[str, object], key: str, source: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ScenarioError(f"{source}: key {key!r} must be a list of rule IDs, e.g. {key} = [\"R-5630-5.3-a\"]")
    unknown = [v for v in value if v not in RULES_BY_ID]
    if unknown:
        raise ScenarioError(f"{source}: key {key!r}: unknown rule IDs {unknown}; `sipsmodel rules --set NAME` "
                            "lists the rules of the table")
    return list(value)


def changes_from_mapping(data: dict[str, object], base: RuleSet, source: str) -> list[Change]:
    """The changes of a candidates file: ``add = [...]`` rules the base lacks, ``remove = [...]`` base rules."""
    extra = sorted(set(data) - _CANDIDATE_KEYS)
    if extra:
        raise ScenarioError(f"{source}: unknown keys {extra}; expected some of {sorted(_CANDIDATE_KEYS)}")
    adds, removes = _rule_list(data, "add", source), _rule_list(data, "remove", source)
    present = [i for i in adds if i in base.rule_ids]
    if present:
        raise ScenarioError(f"{source}: key 'add': {present} already in the base rule set {base.name}; "
                            "list only rules the base lacks")
    absent = [i for i in removes if i not in base.rule_ids]
    if absent:
        raise ScenarioError(f"{source}: key 'remove': {absent} not in the base rule set {base.name}, so it "
                            f"cannot be removed; `sipsmodel rules --set {base.name}` lists the base rules")
    if not adds and not removes:
        raise ScenarioError(f"{source}: no candidate changes; give add = [...] and/or remove = [...]")
    return [c for i in adds for c in _expand(i, base)] + [Change(i, "remove") for i in removes]


def select_candidates(specs: Sequence[str], base: RuleSet) -> Candidates:
    """``--candidates`` values (preset names, comma lists of them, or .toml files); the default without any."""
    names = [part.strip() for spec in (specs or [",".join(DEFAULT_DOCUMENTS)]) for part in spec.split(",")]
    changes: list[Change] = []
    for name in [n for n in names if n]:
        if name in PRESETS:
            changes += document_changes(name, base)
            continue
        path = Path(name)
        if path.suffix != ".toml":
            raise ScenarioError(f"--candidates {name!r}: not a preset ({', '.join(PRESETS)}) nor a .toml file")
        changes += changes_from_mapping(read_toml(path, "candidates"), base, str(path))
    if not changes:
        raise ScenarioError(f"--candidates {', '.join(names)}: nothing to change relative to {base.name}")
    return Candidates(_table_order(changes), ", ".join(names))


def changed_rule_set(base: RuleSet, changes: Iterable[Change]) -> RuleSet:
    """The base with the changes applied, same SHOULD mode: removals dropped, additions appended, and the
    base rules an addition supersedes dropped with it (the addition replaces them, as in ``compose``)."""
    chosen = sorted(set(changes))
    removed = {c.rule for c in chosen if c.action == "remove"}
    removed |= {old for c in chosen if c.action == "add" for old in RULES_BY_ID[c.rule].supersedes}
    ids = tuple(i for i in base.rule_ids if i not in removed)
    ids += tuple(c.rule for c in chosen if c.action == "add" and c.rule not in ids)
    label = "".join(c.label for c in chosen)
    return RuleSet(f"{base.name}{label}" if label else base.name, ids, base.should, f"{base.name} with {label}")

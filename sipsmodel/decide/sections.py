"""The trial balloon point by point, and one section per draft-04 and RFC 5630 change (issue 8 item 5).

Theory of operation: nothing here asks the solver. Each section reads the answers ``decide`` already
has (:class:`~sipsmodel.decide.report.DecideReport`): a point or change *fixes* a property the base
does not prove when some minimal set of that property lies within its own changes, and *helps* when
it is part of a larger minimal set; it *leaves open* every other property the base does not prove.
Its track is the track the solver gave its changes (standards track if any change needs it; a point
without a constraint narrows nothing, so it is BCP-able). The trial-balloon expectations
(``properties/decide/trial-balloon.toml``, written from SIPS-RULES.md section B and the RFC clauses)
are compared point by point; every difference is listed, like ``check``'s expectations.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sipsmodel.decide.report import Change, ChangeAnswer, DecideReport, PropertyAnswer
from sipsmodel.errors import ScenarioError
from sipsmodel.model.tomlfile import read_toml
from sipsmodel.resources import resource_path
from sipsmodel.rules.table import BCP, D04, R5630, RULES_BY_ID

TRACKS = ("bcp", "standards-track")
NOT_WEIGHED = "not weighed"
NO_CONSTRAINT = "adds no constraint on any choice, so it narrows and contradicts nothing"


@dataclass(frozen=True)
class PointExpectation:
    """What the texts lead us to expect of one point: its rules, track and the properties it fixes."""

    point: str
    title: str
    rules: tuple[str, ...]
    track: str
    fixes: tuple[str, ...]


@dataclass(frozen=True)
class BalloonExpectations:
    """The trial-balloon expectation file: the points, and what all of them fix together."""

    points: tuple[PointExpectation, ...]
    whole_fixes: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Scored:
    """What a group of changes does on its own: fixes, helps (with others), leaves open, track, why."""

    fixes: tuple[str, ...]
    helps: tuple[str, ...]
    leaves_open: tuple[str, ...]
    track: str
    why: tuple[str, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class BalloonPoint:
    """One point of the trial balloon (or ``all`` of them) as ``decide`` scores it, with its expectation."""

    point: str
    title: str
    rules: tuple[str, ...]
    scored: Scored
    expected_track: str | None = None
    expected_fixes: tuple[str, ...] | None = None
    mismatches: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "point": self.point,
            "rules": list(self.rules),
            "track": self.scored.track,
            "fixes": list(self.scored.fixes),
            "leaves_open": list(self.scored.leaves_open),
            "title": self.title,
            "helps": list(self.scored.helps),
            "why": list(self.scored.why),
            "notes": list(self.scored.notes),
            "expected_track": self.expected_track,
            "expected_fixes": None if self.expected_fixes is None else list(self.expected_fixes),
            "mismatches": list(self.mismatches),
        }


@dataclass(frozen=True)
class DocumentChange:
    """One change a document makes to the base, scored on its own (the per-document sections)."""

    document: str
    change: Change
    keyword: str
    reading: str
    scored: Scored

    def to_json(self) -> dict[str, Any]:
        return {
            "document": self.document, "rule": self.change.rule, "action": self.change.action,
            "keyword": self.keyword, "reading": self.reading, "track": self.scored.track,
            "fixes": list(self.scored.fixes), "helps": list(self.scored.helps),
            "leaves_open": list(self.scored.leaves_open), "why": list(self.scored.why),
            "notes": list(self.scored.notes),
        }


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ScenarioError(f"{where} must be a list of strings")
    return tuple(value)


def _point_expectation(entry: object, source: str, number: int) -> PointExpectation:
    where = f"{source}: [[point]] number {number}"
    if not isinstance(entry, dict):
        raise ScenarioError(f"{where} must be a table")
    wanted = {"point", "title", "rules", "track", "fixes"}
    if set(entry) != wanted:
        raise ScenarioError(f"{where}: keys {sorted(entry)}; expected exactly {sorted(wanted)}")
    rules = _strings(entry["rules"], f"{where}: 'rules'")
    unknown = [r for r in rules if r not in RULES_BY_ID]
    if unknown:
        raise ScenarioError(f"{where}: 'rules': unknown rule IDs {unknown}; `sipsmodel rules --set dean-bcp`")
    if entry["track"] not in TRACKS:
        raise ScenarioError(f"{where}: 'track' is {entry['track']!r}; expected one of {TRACKS}")
    return PointExpectation(str(entry["point"]), str(entry["title"]), rules, str(entry["track"]),
                            _strings(entry["fixes"], f"{where}: 'fixes'"))


def load_balloon_expectations(path: Path | None = None) -> BalloonExpectations:
    """Read the trial-balloon expectation file (default: the built-in one); a clear error when malformed."""
    path = path or resource_path("properties", "decide", "trial-balloon.toml")
    data = read_toml(path, "trial-balloon expectations")
    points = data.get("point")
    if not isinstance(points, list) or not points:
        raise ScenarioError(f"{path}: expected [[point]] tables, one per point of the trial balloon")
    whole = data.get("whole", {})
    if not isinstance(whole, dict) or "fixes" not in whole:
        raise ScenarioError(f"{path}: expected a [whole] table with 'fixes'")
    parsed = tuple(_point_expectation(entry, str(path), n + 1) for n, entry in enumerate(points))
    return BalloonExpectations(parsed, _strings(whole["fixes"], f"{path}: [whole] 'fixes'"), str(path))


def _open(answers: Sequence[PropertyAnswer]) -> list[PropertyAnswer]:
    """The properties the base does not prove (a trace-only property is not the model's to fix)."""
    return [a for a in answers if a.base_verdict in ("refuted", "unknown")]


def score(report: DecideReport, changes: Iterable[Change]) -> Scored:
    """What ``changes`` fix alone, help fix, leave open; their track and the evidence behind it."""
    own = frozenset(changes)
    fixes, helps, leaves = [], [], []
    for answer in _open(report.properties):
        proved = [m for m in answer.minimal_sets if m.verdict == "proved"]
        if any(own.issuperset(m.changes) for m in proved):
            fixes.append(answer.property)
            continue
        leaves.append(answer.property)
        with_others = [m.label for m in proved if own & set(m.changes)]
        if with_others:
            helps.append(f"{answer.property} with {' or '.join(with_others)}")
    by_change = {c.change: c for c in report.changes}
    weighed = [by_change[c] for c in sorted(own) if c in by_change]
    return Scored(tuple(fixes), tuple(helps), tuple(leaves), _track(own, weighed), _why(own, weighed),
                  tuple(n for c in weighed for n in c.notes))


def _track(own: frozenset[Change], weighed: Sequence[ChangeAnswer]) -> str:
    if not own:
        return "bcp"
    if len(weighed) < len(own):
        return NOT_WEIGHED
    tracks = {c.track for c in weighed}
    return "standards-track" if "standards-track" in tracks else ("unknown" if "unknown" in tracks else "bcp")


def _why(own: frozenset[Change], weighed: Sequence[ChangeAnswer]) -> tuple[str, ...]:
    if not own:
        return (NO_CONSTRAINT,)
    lines = []
    missing = sorted(own - {c.change for c in weighed})
    if missing:
        lines.append("not among the candidates of this run: " + ", ".join(c.label for c in missing))
    for answer in weighed:
        for c in answer.conflicts:
            lines.append(f"{answer.change.label} {c.verb} {c.contradicts} ({c.keyword}, {c.clause}) at "
                         f"{c.choice_point}: {c.kind}")
        for n in answer.narrows:
            lines.append(f"{answer.change.label} narrows {n.choice_point}: {n.summary}")
        if not answer.conflicts and not answer.narrows:
            lines.append(f"{answer.change.label}: no conflict with the base found, and no open choice narrowed")
    return tuple(lines)


def _compare(expectation: PointExpectation, scored: Scored, selected: set[str]) -> tuple[str, ...]:
    """Track and fixes against the expectation (fixes only among the properties of this run).

    A point whose rules are not all candidates of this run is not weighed, so not compared.
    """
    if scored.track == NOT_WEIGHED:
        return ()
    found = []
    if scored.track != expectation.track:
        found.append(f"point {expectation.point}: track {scored.track}, expected {expectation.track}")
    expected = [p for p in expectation.fixes if p in selected]
    if set(scored.fixes) != set(expected):
        found.append(f"point {expectation.point}: fixes {list(scored.fixes) or 'nothing'}, expected "
                     f"{expected or 'nothing'}")
    return tuple(found)


def expectations_apply(report: DecideReport) -> str:
    """'' when the expectations apply to this run, else why not (they assume base rfc3261, SHOULD binding)."""
    if report.base != "rfc3261":
        return f"the expectations are written for base rfc3261, not {report.base}"
    if report.should != "binding":
        return "the expectations are written for SHOULD binding"
    incomplete = [a.property for a in report.properties if not a.complete]
    if incomplete:
        return f"the minimal sets of {', '.join(incomplete)} may be incomplete"
    return ""


def trial_balloon(report: DecideReport, expectations: BalloonExpectations | None = None) -> tuple[BalloonPoint, ...]:
    """Each point of the trial balloon scored on its own, then all points together, with mismatches."""
    wanted = expectations or load_balloon_expectations()
    compare = not expectations_apply(report)
    selected = {a.property for a in report.properties}
    points = []
    for e in wanted.points:
        scored = score(report, [Change(r, "add") for r in e.rules])
        mismatches = _compare(e, scored, selected) if compare else ()
        points.append(BalloonPoint(e.point, e.title, e.rules, scored, e.track, e.fixes, mismatches))
    every = tuple(r for e in wanted.points for r in e.rules)
    scored = score(report, [Change(r, "add") for r in every])
    whole_expected = [p for p in wanted.whole_fixes if p in selected]
    whole = () if not compare or scored.track == NOT_WEIGHED or set(scored.fixes) == set(whole_expected) else (
        f"all points: fixes {list(scored.fixes) or 'nothing'}, expected {whole_expected or 'nothing'}",)
    points.append(BalloonPoint("all", "All four points together", every, scored, None, wanted.whole_fixes, whole))
    return tuple(points)


#: The documents with a section of their own, by the name of their preset.
DOCUMENTS = {"draft-04": D04, "rfc5630": R5630, "dean-bcp": BCP}


def _document_of(change: Change) -> str:
    if change.action == "add":
        return RULES_BY_ID[change.rule].document
    superseding = [r for r in RULES_BY_ID.values() if change.rule in r.supersedes]
    return superseding[0].document if superseding else ""


def document_sections(report: DecideReport, documents: Sequence[str] = ("draft-04", "rfc5630")) -> tuple[
    DocumentChange, ...
]:
    """One entry per candidate change of each document (additions, and the base rules it removes)."""
    entries = []
    for name in documents:
        for answer in report.changes:
            change = answer.change
            if _document_of(change) == DOCUMENTS[name] or (change.action == "remove" and _removed_by(name, change)):
                entries.append(DocumentChange(name, change, answer.keyword, answer.reading, score(report, [change])))
    return tuple(entries)


def _removed_by(preset_name: str, change: Change) -> bool:
    from sipsmodel.rules.sets import PRESETS

    return any(change.rule in RULES_BY_ID[i].supersedes for i in PRESETS[preset_name].rule_ids)


def balloon_mismatches(points: Sequence[BalloonPoint]) -> list[str]:
    """Every difference between the trial-balloon section and its expectations."""
    return [m for p in points for m in p.mismatches]

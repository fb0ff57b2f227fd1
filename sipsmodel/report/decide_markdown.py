"""The Markdown report of ``decide``: tables a working group can paste into a draft, and RFC-style ladders.

Order: the three questions per property (one table), the changes and their track (one table), the
trial balloon point by point, one table per document's changes, "do we need to deprecate sips?",
then the evidence: every call flow as an RFC-style ladder with the violating transmission marked.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sipsmodel.decide.report import ChangeAnswer, Counterexample, PropertyAnswer
from sipsmodel.decide.sections import BalloonPoint, DocumentChange
from sipsmodel.render.ladder import render_ladder
from sipsmodel.report.decide_view import DecideView
from sipsmodel.report.deprecation import MODEL_CANNOT_SAY, SIPS_SETS, TLS_SETS, DeprecationRow


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table(head: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A pipe table."""
    lines = ["| " + " | ".join(_cell(h) for h in head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def _sets(answer: PropertyAnswer) -> str:
    if answer.base_verdict == "proved":
        return "(nothing to fix)"
    if answer.unfixable:
        return f"none: no subset of the candidates fixes it ({answer.all_candidates} with all of them)"
    sets = [f"`{m.label}` {m.verdict_label}, {m.track or 'track not decided'}" for m in answer.minimal_sets]
    tail = [] if answer.complete else [f"(may be incomplete: {answer.reason})"]
    return "; ".join(sets + tail) or "none found"


def property_rows(answers: Sequence[PropertyAnswer]) -> list[list[str]]:
    return [[a.property, a.title, a.base_label, _sets(a)] for a in answers]


def change_rows(changes: Sequence[ChangeAnswer]) -> list[list[str]]:
    rows = []
    for c in changes:
        conflicts = "; ".join(f"{x.contradicts} ({x.keyword}, {x.kind})" for x in c.conflicts) or "-"
        rows.append([f"`{c.change.label}`", c.keyword, c.track, conflicts,
                     ", ".join(c.in_minimal_sets) or "none (buys nothing the model can see)"])
    return rows


def balloon_rows(points: Sequence[BalloonPoint]) -> list[list[str]]:
    rows = []
    for p in points:
        expected = "" if p.expected_track is None else p.expected_track
        fixes_expected = "" if p.expected_fixes is None else ", ".join(p.expected_fixes) or "nothing"
        rows.append([p.point, p.title, ", ".join(p.rules) or "(no constraint)", p.scored.track, expected,
                     ", ".join(p.scored.fixes) or "nothing", fixes_expected, "; ".join(p.scored.helps) or "-",
                     ", ".join(p.scored.leaves_open) or "nothing"])
    return rows


def document_rows(entries: Sequence[DocumentChange]) -> list[list[str]]:
    return [[f"`{e.change.label}`", e.keyword, e.scored.track, ", ".join(e.scored.fixes) or "nothing",
             "; ".join(e.scored.helps) or "-", "; ".join(e.scored.why)] for e in entries]


def deprecation_rows(rows: Sequence[DeprecationRow]) -> list[list[str]]:
    return [[r.property, *(r.sips[s] for s in SIPS_SETS), r.restated, *(r.sip_tls[s] for s in TLS_SETS), r.answer]
            for r in rows]


def flow_block(title: str, flow: Counterexample | None) -> list[str]:
    """A call flow as a fenced RFC-style ladder (nothing when there is none)."""
    if flow is None:
        return []
    note = f" ({flow.note})" if flow.note else ""
    marked = f" The violating transmission is F{flow.violation + 1}." if flow.violation is not None else ""
    return ["", f"#### {title}", "", f"Under `{flow.rule_set}`{note}.{marked}", "", "```text",
            render_ladder(flow.trace, flow.violation, why=True), "```"]


def _evidence(view: DecideView) -> list[str]:
    lines: list[str] = []
    for a in view.report.properties:
        lines += flow_block(f"{a.property} under the base", a.counterexample)
        lines += flow_block(f"{a.property} with every candidate", a.all_candidates_counterexample)
        for m in a.minimal_sets:
            for fewer in m.one_fewer:
                lines += flow_block(f"{a.property}: {m.label} without {fewer.dropped.label}", fewer.counterexample)
    for c in view.report.changes:
        for x in c.conflicts:
            lines += flow_block(f"{c.change.label} {x.verb} {x.contradicts}", x.counterexample)
    for r in view.rows:
        lines += flow_block(f"{r.restated} under sip-tls", r.counterexample)
    return lines


def render_decide_markdown(view: DecideView) -> str:
    """The whole report as Markdown."""
    r = view.report
    parts = ["# sipsmodel decide", "",
             f"Base `{r.base}`, candidates {r.candidates}, bound k<={r.bound}, SHOULD {r.should}.", "",
             "## What we get today, and which changes fix it", ""]
    parts += table(["property", "title", f"today ({r.base})", "minimal sets of changes"],
                   property_rows(r.properties))
    parts += ["", "## BCP or standards track, change by change", ""]
    parts += table(["change", "keyword", "track", "contradicts", "in minimal sets of"], change_rows(r.changes))
    parts += ["", "## The trial balloon, point by point", ""]
    if view.expectations_note:
        parts += [f"Expectations not compared: {view.expectations_note}.", ""]
    parts += table(["point", "title", "rules", "track", "expected", "fixes on its own", "expected", "helps fix",
                    "leaves open"], balloon_rows(view.balloon))
    parts += [f"- **mismatch**: {m}" for m in view.mismatches]
    for name in dict.fromkeys(e.document for e in view.documents):
        parts += ["", f"## The changes of {name}, one by one", ""]
        parts += table(["change", "keyword", "track", "fixes on its own", "helps fix", "why"],
                       document_rows([e for e in view.documents if e.document == name]))
    parts += ["", "## Do we need to deprecate sips?", ""]
    parts += table(["property", *(f"sips: {s}" for s in SIPS_SETS), "restated", *(f"sip: {s}" for s in TLS_SETS),
                    "answer"], deprecation_rows(view.rows))
    parts += ["", "What the model cannot say:", ""] + [f"- {limit}" for limit in MODEL_CANNOT_SAY]
    parts += ["", "## Call flows", *_evidence(view)]
    return "\n".join(parts) + "\n"

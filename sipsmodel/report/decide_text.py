"""The terminal text of ``decide``: the core answer (``decide_text``), then the sections of items 5 and 6."""

from __future__ import annotations

from collections.abc import Sequence

from sipsmodel.decide.report import decide_text
from sipsmodel.decide.sections import BalloonPoint, DocumentChange, Scored
from sipsmodel.render.ladder import render_ladder
from sipsmodel.report.decide_view import DecideView
from sipsmodel.report.deprecation import MODEL_CANNOT_SAY, SIPS_SETS, TLS_SETS, DeprecationRow


def _listed(items: Sequence[str]) -> str:
    return ", ".join(items) if items else "nothing"


def scored_lines(scored: Scored, indent: str = "  ") -> list[str]:
    """Fixes alone, helps with others, leaves open, then why (conflicts or narrowings)."""
    lines = [f"{indent}fixes on its own: {_listed(scored.fixes)}"]
    lines += [f"{indent}helps fix: {h}" for h in scored.helps]
    lines.append(f"{indent}leaves open: {_listed(scored.leaves_open)}")
    lines += [f"{indent}why {scored.track}: {w}" for w in scored.why]
    lines += [f"{indent}note: {n}" for n in scored.notes]
    return lines


def balloon_lines(points: Sequence[BalloonPoint], note: str) -> list[str]:
    lines = ["The trial balloon, point by point (expectations: properties/decide/trial-balloon.toml):"]
    if note:
        lines.append(f"  expectations not compared: {note}")
    for p in points:
        expected = "" if p.expected_track is None else f" (expected {p.expected_track})"
        lines.append(f"point {p.point}: {p.title}  [{', '.join(p.rules) or 'no rule'}]  {p.scored.track}{expected}")
        lines += scored_lines(p.scored)
        lines += [f"  MISMATCH: {m}" for m in p.mismatches]
    return lines


def document_lines(entries: Sequence[DocumentChange]) -> list[str]:
    lines: list[str] = []
    for name in dict.fromkeys(e.document for e in entries):
        lines += ["", f"Changes of {name}, one by one:"]
        for e in (x for x in entries if x.document == name):
            lines.append(f"{e.change.label} ({e.keyword}) {e.scored.track}: {e.reading}")
            lines += scored_lines(e.scored)
    return lines


def deprecation_lines(rows: Sequence[DeprecationRow], flows: bool = True) -> list[str]:
    lines = ["", "Do we need to deprecate sips? (sips: under " + ", ".join(SIPS_SETS) + "; the property restated "
             "for sip: without any sips: under " + ", ".join(TLS_SETS) + ")"]
    for r in rows:
        sips = ", ".join(f"{k} {v}" for k, v in r.sips.items())
        tls = ", ".join(f"{k} {v}" for k, v in r.sip_tls.items())
        lines += [f"{r.property} {r.title}: {r.answer}", f"  sips: {sips}", f"  {r.restated} (sip: over TLS): {tls}"]
        if flows and r.counterexample is not None:
            lines.append(f"  call flow under {r.counterexample.rule_set} ({r.counterexample.note}):")
            ladder = render_ladder(r.counterexample.trace, r.counterexample.violation, why=True)
            lines += ["    " + line for line in ladder.splitlines()]
    lines += ["What the model cannot say:"] + [f"  - {limit}" for limit in MODEL_CANNOT_SAY]
    return lines


def render_decide_text(view: DecideView, flows: bool = True) -> str:
    """The whole terminal report."""
    lines = ["", *balloon_lines(view.balloon, view.expectations_note), *document_lines(view.documents),
             *deprecation_lines(view.rows, flows)]
    return decide_text(view.report, flows) + "\n".join(lines) + "\n"

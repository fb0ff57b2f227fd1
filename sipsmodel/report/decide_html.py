"""The HTML report of ``decide``: one self-contained file (no network, no external CSS or JavaScript).

The same tables as the Markdown report (``decide_markdown``), every call flow as an RFC-style ladder in
which the violating transmission is highlighted (``<mark class="violation">``), and an embedded rule
table at the end: every rule ID of SIPS-RULES.md (expressed or not) and every permission ID anywhere
in the text links to its row (``#rule-<ID>``). Every piece of text is HTML-escaped before any markup
is added.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from functools import cache

from sipsmodel.decide.report import Counterexample
from sipsmodel.render.ladder import MARK, render_ladder
from sipsmodel.report import decide_markdown as md
from sipsmodel.report.decide_view import DecideView
from sipsmodel.report.deprecation import MODEL_CANNOT_SAY, SIPS_SETS, TLS_SETS
from sipsmodel.rules.permissions import PERMISSIONS
from sipsmodel.rules.table import RULES, UNEXPRESSED

STYLE = """
body { font-family: sans-serif; margin: 2em; max-width: 110em; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #999; padding: 0.2em 0.5em; vertical-align: top; text-align: left; }
th { background: #eee; }
pre { background: #f8f8f8; padding: 0.5em; overflow-x: auto; }
mark.violation { background: #ffb3b3; font-weight: bold; }
.mismatch { color: #a00; font-weight: bold; }
tr:target { background: #ffffb3; }
"""


@cache
def _known_ids() -> tuple[str, ...]:
    """Every rule and permission ID, longest first (so a longer ID wins over its prefix)."""
    ids = {r.id for r in RULES} | {p.id for p in PERMISSIONS} | {u.id for u in UNEXPRESSED}
    return tuple(sorted(ids, key=len, reverse=True))


@cache
def _id_pattern() -> re.Pattern[str]:
    alternatives = "|".join(re.escape(i) for i in _known_ids())
    return re.compile(rf"(?<![\w.])({alternatives})(?![\w-])")


def anchor(rule_id: str) -> str:
    """The id of a rule's row in the embedded rule table."""
    return f"rule-{rule_id}"


def linked(text: str) -> str:
    """``text`` HTML-escaped, every known rule or permission ID a link to its row."""
    escaped = html.escape(text.replace("`", ""))
    return _id_pattern().sub(lambda m: f'<a href="#{anchor(m.group(1))}">{m.group(1)}</a>', escaped)


def html_table(head: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    cells = "".join(f"<th>{linked(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{linked(c)}</td>" for c in row) + "</tr>\n" for row in rows)
    return f"<table>\n<tr>{cells}</tr>\n{body}</table>\n"


def ladder_html(flow: Counterexample) -> str:
    """The ladder in a ``<pre>``, the violating transmission (label and arrow) in ``<mark class="violation">``."""
    lines = render_ladder(flow.trace, flow.violation, why=True).splitlines()
    shown = [html.escape(line) for line in lines]
    for n, line in enumerate(lines):
        if line.endswith(MARK) and n > 0:
            shown[n - 1] = f'<mark class="violation">{shown[n - 1]}'
            shown[n] = f"{shown[n]}</mark>"
    return "<pre>" + "\n".join(shown) + "</pre>\n"


def flow_section(title: str, flow: Counterexample | None) -> str:
    if flow is None:
        return ""
    note = f" ({flow.note})" if flow.note else ""
    marked = f" The violating transmission is F{flow.violation + 1}." if flow.violation is not None else ""
    return (f"<h4>{linked(title)}</h4>\n<p>Under {linked(flow.rule_set)}{linked(note)}.{linked(marked)}</p>\n"
            + ladder_html(flow))


def _evidence(view: DecideView) -> str:
    parts = []
    for a in view.report.properties:
        parts.append(flow_section(f"{a.property} under the base", a.counterexample))
        parts.append(flow_section(f"{a.property} with every candidate", a.all_candidates_counterexample))
        for m in a.minimal_sets:
            for fewer in m.one_fewer:
                parts.append(flow_section(f"{a.property}: {m.label} without {fewer.dropped.label}",
                                          fewer.counterexample))
    for c in view.report.changes:
        for x in c.conflicts:
            parts.append(flow_section(f"{c.change.label} {x.verb} {x.contradicts}", x.counterexample))
    for r in view.rows:
        parts.append(flow_section(f"{r.restated} under sip-tls", r.counterexample))
    return "".join(parts)


def rule_table() -> str:
    """Every rule, permission and rule the model does not express (with why), one row each, with its anchor."""
    rows = [(r.id, r.document, r.section, r.keyword, r.binds, r.reading) for r in RULES]
    rows += [(p.id, p.document, p.section, f"{p.keyword} (permission of {p.rule})", p.binds, p.reading)
             for p in PERMISSIONS]
    expressed = {r.id for r in RULES}
    rows += [(u.id, "", "", "not expressed as a constraint", "", u.reason) for u in UNEXPRESSED
             if u.id not in expressed]
    head = "<tr><th>ID</th><th>document</th><th>section</th><th>keyword</th><th>binds</th><th>reading</th></tr>"
    body = "".join(
        f'<tr id="{html.escape(anchor(i))}"><td>{html.escape(i)}</td>'
        + "".join(f"<td>{html.escape(c)}</td>" for c in rest) + "</tr>\n"
        for i, *rest in rows
    )
    return f"<table>\n{head}\n{body}</table>\n"


def render_decide_html(view: DecideView) -> str:
    """The whole report as one HTML document."""
    r = view.report
    settings = f"Base {r.base}, candidates {r.candidates}, bound k<={r.bound}, SHOULD {r.should}."
    body = [f"<h1>sipsmodel decide</h1>\n<p>{linked(settings)}</p>",
            "<h2>What we get today, and which changes fix it</h2>",
            html_table(["property", "title", f"today ({r.base})", "minimal sets of changes"],
                       md.property_rows(r.properties)),
            "<h2>BCP or standards track, change by change</h2>",
            html_table(["change", "keyword", "track", "contradicts", "in minimal sets of"], md.change_rows(r.changes)),
            "<h2>The trial balloon, point by point</h2>"]
    if view.expectations_note:
        body.append(f"<p>Expectations not compared: {linked(view.expectations_note)}.</p>")
    body.append(html_table(["point", "title", "rules", "track", "expected", "fixes on its own", "expected",
                            "helps fix", "leaves open"], md.balloon_rows(view.balloon)))
    body += [f'<p class="mismatch">mismatch: {linked(m)}</p>' for m in view.mismatches]
    for name in dict.fromkeys(e.document for e in view.documents):
        body += [f"<h2>The changes of {linked(name)}, one by one</h2>",
                 html_table(["change", "keyword", "track", "fixes on its own", "helps fix", "why"],
                            md.document_rows([e for e in view.documents if e.document == name]))]
    body += ["<h2>Do we need to deprecate sips?</h2>",
             html_table(["property", *(f"sips: {s}" for s in SIPS_SETS), "restated", *(f"sip: {s}" for s in TLS_SETS),
                         "answer"], md.deprecation_rows(view.rows)),
             "<p>What the model cannot say:</p>\n<ul>" + "".join(f"<li>{linked(x)}</li>" for x in MODEL_CANNOT_SAY)
             + "</ul>",
             "<h2>Call flows</h2>", _evidence(view), "<h2>Rules</h2>", rule_table()]
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>sipsmodel decide</title>\n"
            f"<style>{STYLE}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")

"""The decide reports (issue 8 items 5 and 7) on a hand-made answer: sections, Markdown, one HTML file.

The answer is made by hand (no solver) so that every branch is visible: a property fixed by the trial
balloon's point 2 alone, one fixed only with a change of another document, one the base proves, a
BCP-able change with its narrowing and a standards-track change with its conflict and call flow.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from sipsmodel.cli import cli
from sipsmodel.decide.report import (
    Change,
    ChangeAnswer,
    Conflict,
    Counterexample,
    DecideReport,
    MinimalSet,
    Narrowing,
    OneFewer,
    PropertyAnswer,
)
from sipsmodel.decide.sections import (
    BalloonExpectations,
    PointExpectation,
    document_sections,
    load_balloon_expectations,
    score,
    trial_balloon,
)
from sipsmodel.errors import ScenarioError
from sipsmodel.model.trace import Trace, Transmission
from sipsmodel.report import decide_formats, decide_view
from sipsmodel.report.decide_formats import render_decide
from sipsmodel.report.decide_html import linked, render_decide_html
from sipsmodel.report.decide_markdown import render_decide_markdown
from sipsmodel.report.decide_view import DecideView, assemble_view
from sipsmodel.syntax import build_request, build_response, parse_uri

_HEADERS = [("Via", "SIP/2.0/TLS alice.example.net;branch=z9hG4bKa1"), ("Max-Forwards", "70"),
            ("To", "<sips:bob@example.com>"), ("From", "<sips:alice@example.net>;tag=a1"),
            ("Call-ID", "c1@alice.example.net"), ("CSeq", "1 INVITE"), ("Contact", "<sips:alice@alice.example.net>")]


def small_trace() -> Trace:
    """alice -> pb over TLS, pb -> bob over UDP (the violation, F2), bob's 200 back."""
    invite = build_request("INVITE", parse_uri("sips:bob@example.com"), _HEADERS)
    hop2 = build_request("INVITE", parse_uri("sip:bob@bob.example.com"), _HEADERS)
    ok = build_response(200, "OK", [h for h in _HEADERS if h[0] != "Max-Forwards"])
    return Trace("rfc3261", (Transmission(0, "alice", "pb", "TLS", invite), Transmission(1, "pb", "bob", "UDP", hop2),
                             Transmission(2, "bob", "pb", "UDP", ok), Transmission(3, "pb", "alice", "TLS", ok)))


DEAN2, DEAN4A, R53A = Change("DEAN-2"), Change("DEAN-4a"), Change("R-5630-5.3-a")
REMOVE = Change("R-3261-8.1.3.5-a", "remove")


def _flow(rule_set: str, note: str = "") -> Counterexample:
    return Counterexample(rule_set, (), small_trace(), 1, note)


def _set(*changes: Change, track: str = "bcp") -> MinimalSet:
    fewer = tuple(OneFewer(c, "refuted", _flow("rfc3261")) for c in changes)
    return MinimalSet(changes, "proved", "bounded", 3, track=track, one_fewer=fewer)


def answer() -> DecideReport:
    props = (
        PropertyAnswer("I-1", "End-to-end SIPS path", "refuted", None, 3, _flow("rfc3261"),
                       (_set(DEAN2), _set(R53A)), False),
        PropertyAnswer("I-13", "No automatic downgrade by the UAC", "refuted", None, 3, _flow("rfc3261"),
                       (_set(DEAN4A, REMOVE, track="standards-track"),), False),
        PropertyAnswer("I-6", "The Contact of the 2xx", "proved", "bounded", 3, None,
                       (MinimalSet((), "proved", "bounded", 3),), False),
        PropertyAnswer("I-10", "A SIPS-registered Contact <is reached>", "refuted", None, 3, _flow("rfc3261"), (),
                       True, all_candidates="refuted", all_candidates_counterexample=_flow("all")),
    )
    conflict = Conflict("DEAN-4a", "R-3261-8.1.3.5-a", "SHOULD", "RFC 3261 8.1.3.5: retry a 416 with SIP",
                        "should", "uac_retry", {"failure": "r416"}, _flow("rfc3261", "the state at uac_retry"))
    narrowing = Narrowing("proxy_forward", "where in_ruri=sips the base allows ruri=sip", {"ruri": "sip"},
                          "every state")
    changes = (
        ChangeAnswer("DEAN-2", "add", "MUST NOT", "no last-hop exception <b>", "bcp", (), (narrowing,), ("I-1",),
                     ("a peer may infer more from sips: than a BCP can promise",)),
        ChangeAnswer("DEAN-4a", "add", "MUST", "SIPS for derived requests", "standards-track", (conflict,), (),
                     ("I-13",)),
        ChangeAnswer("R-5630-5.3-a", "add", "MUST NOT", "no last-hop exception", "bcp", (), (narrowing,), ("I-1",)),
        ChangeAnswer("R-3261-8.1.3.5-a", "remove", "SHOULD", "retry with SIP", "standards-track", (), (), ("I-13",)),
    )
    return DecideReport("rfc3261", "binding", 3, "draft-04, dean-bcp, rfc5630", props, changes)


EXPECT = BalloonExpectations(
    (PointExpectation("2", "no last hop", ("DEAN-2",), "bcp", ("I-1",)),
     PointExpectation("3", "use sip: for best effort", (), "bcp", ()),
     PointExpectation("4a", "derived requests", ("DEAN-4a",), "bcp", ("I-13",))),
    ("I-1",), "test",
)


def view() -> DecideView:
    report = answer()
    return assemble_view(report, trial_balloon(report, EXPECT), ())


def test_a_point_fixes_what_a_minimal_set_within_it_proves() -> None:
    scored = score(answer(), [DEAN2])
    assert scored.fixes == ("I-1",)
    assert scored.leaves_open == ("I-13", "I-10")
    assert scored.track == "bcp"
    assert any("narrows proxy_forward" in w for w in scored.why)


def test_a_point_that_needs_a_removal_only_helps() -> None:
    scored = score(answer(), [DEAN4A])
    assert scored.fixes == ()
    assert scored.helps == ("I-13 with {+DEAN-4a, -R-3261-8.1.3.5-a}",)
    assert scored.track == "standards-track"
    assert any("contradicts R-3261-8.1.3.5-a (SHOULD" in w for w in scored.why)


def test_mismatches_with_the_expectations_are_listed() -> None:
    points = {p.point: p for p in trial_balloon(answer(), EXPECT)}
    assert points["2"].mismatches == ()
    assert points["3"].scored.track == "bcp" and points["3"].scored.fixes == ()
    assert points["4a"].mismatches == ("point 4a: track standards-track, expected bcp",
                                       "point 4a: fixes nothing, expected ['I-13']")
    assert points["all"].mismatches == ()


def test_expectations_are_not_compared_for_another_base() -> None:
    from dataclasses import replace

    points = trial_balloon(replace(answer(), base="draft-04"), EXPECT)
    assert all(p.mismatches == () for p in points)


def test_the_built_in_expectations_cover_the_four_points() -> None:
    wanted = load_balloon_expectations()
    assert [p.point for p in wanted.points] == ["1", "2", "3", "4a", "4b"]
    assert {r for p in wanted.points for r in p.rules} == {"DEAN-1", "DEAN-2", "DEAN-4a", "DEAN-4b"}


def test_a_malformed_expectation_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "tb.toml"
    bad.write_text('[[point]]\npoint = "1"\ntitle = "x"\nrules = ["DEAN-9"]\ntrack = "bcp"\nfixes = []\n'
                   '[whole]\nfixes = []\n')
    with pytest.raises(ScenarioError, match=r"unknown rule IDs \['DEAN-9'\]"):
        load_balloon_expectations(bad)


def test_documents_list_their_own_changes_and_removals() -> None:
    entries = document_sections(answer())
    labels = {(e.document, e.change.label) for e in entries}
    assert ("rfc5630", "+R-5630-5.3-a") in labels
    assert ("rfc5630", "-R-3261-8.1.3.5-a") in labels and ("draft-04", "-R-3261-8.1.3.5-a") in labels
    assert not any(e.change.rule.startswith("DEAN") for e in entries)


def test_markdown_has_the_tables_and_the_ladders() -> None:
    text = render_decide_markdown(view())
    assert "| I-1 | End-to-end SIPS path | refuted | `{+DEAN-2}` proved (k<=3), bcp; `{+R-5630-5.3-a}`" in text
    assert "## The trial balloon, point by point" in text and "- **mismatch**: point 4a" in text
    assert "## Do we need to deprecate sips?" in text and "certificates" in text
    assert "```text" in text and "<== violation" in text


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.urls: list[str] = []
        self.marks = 0
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "a":
            self.links.append(str(values.get("href")))
        if tag == "mark" and values.get("class") == "violation":
            self.marks += 1
        self.urls += [str(v) for k, v in attrs if k in ("src", "href", "action") and not str(v).startswith("#")]


def test_html_is_one_self_contained_file_with_every_rule_linked() -> None:
    text = render_decide_html(view())
    found = _Collector()
    found.feed(text)
    assert found.urls == [] and "http" not in text and "<script" not in text and "<link" not in text
    assert found.links and all(link.startswith("#") and link[1:] in found.ids for link in found.links)
    for rule in ("DEAN-2", "DEAN-4a", "R-3261-8.1.3.5-a", "R-5630-5.3-a"):
        assert f'href="#rule-{rule}"' in text and f'id="rule-{rule}"' in text
    assert found.marks >= 1
    assert "<mark class=\"violation\">F2" in text


def test_an_unexpressed_rule_links_to_its_row_with_the_reason() -> None:
    text = render_decide_html(view())
    assert 'id="rule-R-3261-26.2.2-a"' in text
    assert linked("permission read from R-3261-26.2.2-a.") == (
        'permission read from <a href="#rule-R-3261-26.2.2-a">R-3261-26.2.2-a</a>.')
    assert linked("-R-3261-16.7-8b and R-5630-5.1.2-c-warn") == (
        '-<a href="#rule-R-3261-16.7-8b">R-3261-16.7-8b</a> and '
        '<a href="#rule-R-5630-5.1.2-c-warn">R-5630-5.1.2-c-warn</a>')


def test_html_escapes_every_text() -> None:
    text = render_decide_html(view())
    assert "&lt;is reached&gt;" in text and "<is reached>" not in text
    assert "&lt;b&gt;" in text or "<b>" not in text


def test_json_keeps_the_issue_shape_and_adds_the_sections() -> None:
    data = json.loads(render_decide("json", view()))
    assert list(data)[:6] == ["tool", "base", "properties", "changes", "trial_balloon", "deprecation"]
    point = data["trial_balloon"][0]
    assert list(point)[:5] == ["point", "rules", "track", "fixes", "leaves_open"]
    assert data["documents"] and data["deprecation_limits"]
    assert data["expectation_mismatches"] == ["point 4a: track standards-track, expected bcp",
                                              "point 4a: fixes nothing, expected ['I-13']"]


def test_the_cli_writes_every_format_and_exits_1_on_a_mismatch(monkeypatch: pytest.MonkeyPatch) -> None:
    import sipsmodel.report.decide_run as decide_run
    from sipsmodel.cli_decide import DECIDE_FORMATS

    assert DECIDE_FORMATS == decide_formats.DECIDE_FORMATS
    monkeypatch.setattr(decide_run, "run_decide", lambda options, runner: answer())
    monkeypatch.setattr(decide_view, "deprecation", lambda props, options, tick=None, known=None: ())
    monkeypatch.setattr(decide_view, "trial_balloon", lambda report: trial_balloon(report, EXPECT))
    for fmt in DECIDE_FORMATS:
        outcome = CliRunner().invoke(cli, ["decide", "--property", "I-1", "--format", fmt])
        assert outcome.exit_code == 1, (fmt, outcome.output)
        assert "4a" in outcome.stdout

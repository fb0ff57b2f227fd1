"""The text and Markdown reports on hand-made results (the ladder itself is the renderer's)."""

from __future__ import annotations

import io

import pytest

from sipsmodel.model.trace import Trace
from sipsmodel.props import Property
from sipsmodel.report import ladder
from sipsmodel.report.formats import render_report, write_report
from sipsmodel.report.result import Result


@pytest.fixture
def fixed_ladder(monkeypatch: pytest.MonkeyPatch) -> None:
    def fake(trace: Trace, violation: int | None, why: bool = True) -> str:
        return f"LADDER of {len(trace.transmissions)} transmissions, F{(violation or 0) + 1} marked"

    monkeypatch.setattr(ladder, "ladder_text", fake)


@pytest.mark.usefixtures("fixed_ladder")
def test_table_has_a_row_per_property_and_a_column_per_rule_set(
    results: list[Result], props: dict[str, Property]
) -> None:
    text = render_report("text", results, props)
    header, rule, *rows = text.split("\n\n", 1)[0].splitlines()
    assert header.split() == ["property", "title", "rfc3261", "rfc5630"]
    assert set(rule) <= {"-", " "}
    assert [r.split()[0] for r in rows] == ["I-1", "I-2", "I-3", "I-16"]
    assert "refuted ≠ expected proved" in rows[0]
    assert "proved (all sizes)" in rows[1] and "proved (k<=3) ≠ expected refuted" in rows[1]
    assert "unknown" in rows[2] and rows[2].rstrip().endswith("-")
    assert "trace-only" in rows[3]


@pytest.mark.usefixtures("fixed_ladder")
def test_sections_for_refuted_proved_and_unknown_cells(results: list[Result], props: dict[str, Property]) -> None:
    text = render_report("text", results, props)
    assert "6 cells: 2 proved, 2 refuted, 1 unknown, 1 trace-only; 2 differ from their expectation" in text
    assert "I-1 End-to-end SIPS path, under rfc3261: refuted\n" in text
    assert "violating transmission: F2 pb -> bob over UDP" in text
    assert "LADDER of 4 transmissions, F2 marked" in text
    assert "rests on: R-5630-5.3-a" in text
    assert "timeout after 20 s" in text
    assert text.index("under rfc3261: refuted") < text.index("rests on")


@pytest.mark.usefixtures("fixed_ladder")
def test_explain_gives_a_section_to_every_cell(results: list[Result], props: dict[str, Property]) -> None:
    text = render_report("text", results[:1] + results[-1:], props, every=True)
    assert "under rfc3261: refuted" in text and "I-16 No transport=tls is generated, under rfc3261: trace-only" in text


@pytest.mark.usefixtures("fixed_ladder")
def test_plain_text_when_the_stream_is_not_a_terminal(results: list[Result], props: dict[str, Property]) -> None:
    stream = io.StringIO()
    write_report("text", results, props, stream)
    assert stream.getvalue() == render_report("text", results, props)
    assert "\x1b[" not in stream.getvalue()


@pytest.mark.usefixtures("fixed_ladder")
def test_rich_table_on_a_terminal(results: list[Result], props: dict[str, Property]) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    write_report("text", results, props, stream)
    shown = stream.getvalue()
    assert "End-to-end SIPS path" in shown and "LADDER of 4 transmissions" in shown


@pytest.mark.usefixtures("fixed_ladder")
def test_markdown_table_and_sections(results: list[Result], props: dict[str, Property]) -> None:
    text = render_report("markdown", results, props)
    lines = text.splitlines()
    table = [line for line in lines if line.startswith("|")]
    assert table[0] == "| property | title | rfc3261 | rfc5630 |"
    assert table[1] == "| --- | --- | --- | --- |"
    assert len(table) == 2 + 4
    assert "## Counterexamples" in lines and "## Proofs" in lines and "## Unknown" in lines
    assert "```text\nLADDER of 4 transmissions, F2 marked\n```" in text
    assert "The violating transmission is F2." in text
    assert "Rests on: `R-3261-16.7-4a`." in text


def test_real_ladder_marks_the_violating_transmission(results: list[Result], props: dict[str, Property]) -> None:
    text = render_report("text", results[:1], props)
    marked = [line for line in text.splitlines() if "<== violation" in line]
    assert len(marked) == 2
    assert marked[1].startswith("F2 pb -> bob (UDP)")
    assert "INVITE sip:bob@bob.example.com SIP/2.0" in text

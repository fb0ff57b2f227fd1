"""The decide answer as data: JSON keys of the issue, terminal text, and the peer-inference note."""

from __future__ import annotations

import pickle

from sipsmodel.decide.jobs import DecideOptions, _inference_notes, plan_decide, reads_peer_inference
from sipsmodel.decide.report import Change, ChangeAnswer, DecideReport, MinimalSet, PropertyAnswer, decide_text


def _report() -> DecideReport:
    fix = MinimalSet((Change("DEAN-2"),), "proved", "bounded", 3, track="standards-track", shoulds=())
    answer = PropertyAnswer("I-1", "End-to-end SIPS path", "refuted", None, 3, None, (fix,), False)
    row = ChangeAnswer("DEAN-2", "add", "MUST NOT", "no last-hop exception", "standards-track",
                       in_minimal_sets=("I-1",))
    unused = ChangeAnswer("DEAN-4b", "add", "MUST NOT", "no PSTN termination", "bcp")
    return DecideReport("rfc3261", "binding", 3, "dean-bcp", (answer,), (row, unused))


def test_json_keys_are_the_issue_shape() -> None:
    data = _report().to_json()
    assert list(data)[:6] == ["tool", "base", "properties", "changes", "trial_balloon", "deprecation"]
    prop = data["properties"][0]
    assert list(prop)[:5] == ["property", "base_verdict", "counterexample", "minimal_sets", "unfixable"]
    assert list(prop["minimal_sets"][0])[:6] == ["changes", "verdict", "scope", "bound", "track", "conflicts"]
    assert list(data["changes"][0])[:5] == ["rule", "action", "track", "conflicts", "in_minimal_sets"]


def test_text_and_pickling() -> None:
    report = _report()
    text = decide_text(report)
    assert "fixed by {+DEAN-2}: proved (k<=3), standards-track" in text
    assert "+DEAN-4b  (MUST NOT)  bcp  in: no minimal set" in text
    assert pickle.loads(pickle.dumps(report)) == report


def test_a_bcp_fix_of_a_peer_inference_gets_the_section_b_note() -> None:
    props = plan_decide(DecideOptions(candidates=("dean-bcp",))).property_jobs
    assert {j.prop.id for j in props if reads_peer_inference(j.prop)} == {"I-4", "I-4b"}
    inferred = {"I-4": "The UAS secure flag is sound"}
    bcp = ChangeAnswer("X", "add", "MUST", "x", "bcp")
    (note,) = _inference_notes(bcp, ("I-4", "I-1"), inferred)
    assert "I-4" in note and "BCP cannot require" in note
    assert _inference_notes(ChangeAnswer("X", "add", "MUST", "x", "standards-track"), ("I-4",), inferred) == ()

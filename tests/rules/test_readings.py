"""Readings as data (SIPS-RULES.md section F, issue 9 item 1): the table, presets, files and both engines."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sipsmodel.cli import cli
from sipsmodel.errors import ScenarioError
from sipsmodel.rules.engine import allowed_options, check_tables
from sipsmodel.rules.readings import AMBIGUITIES, F_ITEMS, READING_RULES, parse_selection
from sipsmodel.rules.sets import PRESETS, load_rule_set, load_rule_set_spec

RETRY_STATE = {"ruri": "sips", "failure": "r3xx", "contact": "sip", "confirmed": False}


def test_every_item_has_two_readings_a_statement_and_a_default_per_preset() -> None:
    check_tables()  # reading constraints type-check against their choice points
    for ambiguity in AMBIGUITIES:
        assert ambiguity.item in F_ITEMS
        assert len(ambiguity.readings) >= 2
        assert all(r.statement and r.clause for r in ambiguity.readings)
        assert set(ambiguity.defaults) == set(PRESETS)
        letters = {r.letter for r in ambiguity.readings}
        assert set(ambiguity.defaults.values()) <= letters
    assert len({r.id for r in READING_RULES}) == len(READING_RULES)


def test_every_preset_states_its_default_reading_and_it_adds_no_constraint() -> None:
    for name, preset in PRESETS.items():
        assert dict(preset.readings) == {a.item: a.defaults[name] for a in AMBIGUITIES}
        assert preset.selected_readings == ()
        assert [r.id for r in preset.active] == [r.id for r in preset.rules if not r.id.startswith("F-")]


def test_a_selected_reading_is_one_more_rule_and_the_simulator_obeys_it() -> None:
    base = PRESETS["rfc5630"]
    variant = base.with_readings({"F-12": "b"})
    assert variant.name == "rfc5630+F-12/b"
    assert [r.id for r in variant.active][-1] == "F-12/b"
    assert {"action": "retry"} in allowed_options("uac_retry", RETRY_STATE, base)
    assert allowed_options("uac_retry", RETRY_STATE, variant) == [{"action": "stop"}]


def test_a_reading_supersedes_the_rules_that_embody_the_default() -> None:
    variant = PRESETS["rfc3261"].with_readings({"F-3": "b"})
    ids = [r.id for r in variant.active]
    assert "R-3261-10.3-a" not in ids and "F-3/b" in ids
    state = {"ruri": "sip", "to": "sip", "from": "sip", "contact": "sip", "path": "none", "in_secure": False}
    assert all(o["key_scheme"] is False for o in allowed_options("registrar_accept", state, variant))
    assert all(o["key_scheme"] is True for o in allowed_options("registrar_accept", state, PRESETS["rfc3261"]))


def test_rule_set_file_selects_readings(tmp_path: Path) -> None:
    path = tmp_path / "strict.toml"
    path.write_text('name = "strict"\nbase = "rfc5630"\nreadings = {"F-12" = "b"}\n')
    rule_set = load_rule_set(str(path))
    assert dict(rule_set.readings)["F-12"] == "b"
    assert "F-12/b" in [r.id for r in rule_set.active]
    assert load_rule_set_spec("rfc5630+F-12=b").active == PRESETS["rfc5630"].with_readings({"F-12": "b"}).active


@pytest.mark.parametrize(("selection", "message"), [
    (["F-99=b"], "F-99 is not an F-item"),
    (["F-11=b"], "F-11 has no alternative readings"),
    (["F-12=z"], "unknown reading F-12/z; F-12 has readings a, b"),
    (["F-12"], "is not ITEM=LETTER"),
])
def test_bad_reading_selections_are_clear_errors(selection: list[str], message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        parse_selection(selection, "--reading")


def test_bad_reading_in_a_rule_set_file_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('name = "bad"\nbase = "rfc5630"\nreadings = {"F-11" = "b"}\n')
    outcome = CliRunner().invoke(cli, ["rules", "--set", str(path)])
    assert outcome.exit_code == 2
    assert "key 'readings'" in outcome.stderr and "F-11 has no alternative readings" in outcome.stderr
    assert "Traceback" not in outcome.stderr


def test_bad_reading_option_exits_2() -> None:
    outcome = CliRunner().invoke(cli, ["check", "--property", "I-1", "--reading", "F-99=b"])
    assert outcome.exit_code == 2 and "F-99 is not an F-item" in outcome.stderr

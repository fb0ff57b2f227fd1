"""The rule table, choice points and rule sets: well-typed, complete, and behaving as the texts say."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from sipsmodel.cli import cli
from sipsmodel.errors import ScenarioError
from sipsmodel.rules import PRESETS, RULES, RULES_BY_ID, UNEXPRESSED, allowed_options, preset
from sipsmodel.rules.engine import check_tables, violated_rules
from sipsmodel.rules.sets import load_rule_set

HERE = Path(__file__).resolve().parent
SNAPSHOT = HERE / "catalogue_ids.txt"

LAST_HOP = dict(
    in_ruri="sips", in_secure=True, responsible=True, binding="sip", route_next="none", dialog_forming=True,
    tls=True, next_tls=False, flow="none", last_hop=True, ruri_tp="none", next_tp="none", malicious=False,
)


def test_every_expression_in_the_tables_type_checks() -> None:
    check_tables()


def test_rule_ids_are_unique_and_named_like_the_catalogue() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert all(re.match(r"^(R-[0-9A-Za-z.]+-[0-9A-Za-z.\-]+|DEAN-\w+)$", i) for i in ids), ids


def _catalogue_in_spec() -> set[str] | None:
    """The R-... IDs of section A of shared/spec/SIPS-RULES.md, when the spec sits beside the checkout."""
    for folder in HERE.parents:
        spec = folder / "shared" / "spec" / "SIPS-RULES.md"
        if spec.exists():
            text = spec.read_text(encoding="utf-8").split("## B.")[0]
            return set(re.findall(r"\*\*(R-[^*\s]+)\*\*", text))
    return None


def test_every_catalogue_rule_is_expressed_or_explained() -> None:
    """Each R-... ID of SIPS-RULES.md section A is in the table or in UNEXPRESSED with a reason.

    The IDs are kept in catalogue_ids.txt, so the test runs in any clone; where the spec itself is
    reachable, the snapshot must equal it.
    """
    lines = SNAPSHOT.read_text(encoding="utf-8").splitlines()
    catalogue = {line for line in lines if line and not line.startswith("#")}
    assert len(catalogue) >= 140
    in_spec = _catalogue_in_spec()
    if in_spec is not None:
        assert catalogue == in_spec
    covered = set(RULES_BY_ID) | {u.id for u in UNEXPRESSED}
    grouped = {c for c in catalogue if c.endswith("..g") or c == "R-5630-AppA"}
    missing = sorted(catalogue - covered - grouped)
    assert missing == []


def test_supersession_removes_the_older_rule() -> None:
    assert "R-3261-16.7-8b" in PRESETS["rfc3261"].rule_ids
    assert "R-3261-16.7-8b" not in PRESETS["draft-04"].rule_ids
    assert "R-3261-16.7-8b" not in PRESETS["rfc5630"].rule_ids
    assert "R-3608-ua" not in PRESETS["rfc5630"].rule_ids
    assert "R-3261-10.3-a" in PRESETS["dean-bcp"].rule_ids


@pytest.mark.parametrize(
    ("rules", "downgrade_allowed"),
    [("rfc3261", True), ("draft-04", True), ("dean-bcp", False), ("rfc5630", False)],
)
def test_last_hop_exception_per_rule_set(rules: str, downgrade_allowed: bool) -> None:
    """A sips request at the responsible proxy with only a SIP binding (SIPS-RULES.md C.3)."""
    allowed = allowed_options("proxy_forward", LAST_HOP, preset(rules))
    assert bool(allowed) is downgrade_allowed
    assert all(o["ruri"] == "sip" for o in allowed)


def test_malicious_proxy_is_bound_by_no_rule() -> None:
    features = {**LAST_HOP, "malicious": True}
    options = {"ruri": "sip", "route0": "none", "transport": "UDP", "rr": "none", "rr_out": "sip",
               "rr_in": "sip", "via_lie": True}
    assert violated_rules("proxy_forward", features, options, preset("rfc5630")) == []
    assert "R-5630-5.3-a" in violated_rules("proxy_forward", LAST_HOP, options, preset("rfc5630"))


def test_should_optional_drops_should_rules_only() -> None:
    binding, optional = preset("rfc5630"), preset("rfc5630").with_should("optional")
    assert {r.id for r in binding.active} - {r.id for r in optional.active} == {
        r.id for r in binding.rules if r.is_should
    }
    features = dict(in_ruri="sip", in_secure=True, responsible=False, binding="none", route_next="none",
                    dialog_forming=False, tls=True, next_tls=True, flow="none", last_hop=False, ruri_tp="none", next_tp="none",
                    malicious=False)
    assert {o["transport"] for o in allowed_options("proxy_forward", features, binding)} == {"TLS", "TLS-SCTP", "WSS"}
    assert "TCP" in {o["transport"] for o in allowed_options("proxy_forward", features, optional)}


def test_user_rule_set_file(tmp_path: Path) -> None:
    path = tmp_path / "lhe.toml"
    path.write_text('name = "lhe"\nbase = "rfc5630"\nremove = ["R-5630-5.3-a"]\nadd = ["R-04-4-c"]\n')
    rule_set = load_rule_set(str(path))
    assert "R-5630-5.3-a" not in rule_set.rule_ids and "R-04-4-c" in rule_set.rule_ids
    assert allowed_options("proxy_forward", LAST_HOP, rule_set)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ('name = "x"\nbase = "rfc9999"\n', "key 'base'"),
        ('name = "x"\nadd = ["R-NOPE"]\n', "unknown rule IDs"),
        ('name = "x"\nfrobnicate = 1\n', "unknown keys"),
        ('name = "x"\nshould = "sometimes"\n', "key 'should': expected one of"),
        ("name = \n", "not valid TOML"),
    ],
)
def test_bad_user_rule_sets_name_file_and_key(tmp_path: Path, text: str, needle: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ScenarioError, match=re.escape(needle)):
        load_rule_set(str(path))


def test_rules_cli_lists_presets_and_rules() -> None:
    runner = CliRunner()
    listing = runner.invoke(cli, ["rules"])
    assert listing.exit_code == 0 and "rfc5630" in listing.output
    data = json.loads(runner.invoke(cli, ["rules", "--set", "draft-04", "--format", "json"]).output)
    assert data["name"] == "draft-04"
    assert "R-04-4-c" in [r["id"] for r in data["rules"]]
    bad = runner.invoke(cli, ["rules", "--set", "nope"])
    assert bad.exit_code == 2 and "unknown rule set" in bad.output


def test_the_scenario_schema_knows_every_choice_point() -> None:
    """Scripted choices may name any choice point of the table, and only those."""
    from sipsmodel.rules import CHOICE_POINTS

    schema_path = Path(__file__).resolve().parents[2] / "sipsmodel" / "model" / "scenario.schema.json"
    text = json.loads(schema_path.read_text(encoding="utf-8"))
    found: list[list[str]] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if "choice_point" in node and isinstance(node["choice_point"], dict) and "enum" in node["choice_point"]:
                found.append(node["choice_point"]["enum"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(text)
    assert found and all(sorted(enum) == sorted(CHOICE_POINTS) for enum in found)

"""``sipsmodel check``: exit codes and selection, with the prover replaced by a fast fake."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from sipsmodel.cli import REPORT_FORMATS, cli
from sipsmodel.errors import ModelDisagreement
from sipsmodel.model.trace import Trace
from sipsmodel.props import Property
from sipsmodel.report import check, ladder
from sipsmodel.report.formats import FORMATS
from sipsmodel.report.result import Result
from sipsmodel.resources import resource_path
from sipsmodel.rules.sets import RuleSet

Prove = Callable[[Property, RuleSet, int, bool, float, int, int, bool, str], Result]


def _verdict(verdict: str, prop: Property, rule_set: RuleSet, bound: int) -> Result:
    if verdict == "refuted":
        return Result(prop.id, rule_set.name, "refuted", counterexample=Trace(rule_set.name, ()), bound=bound)
    if verdict == "proved":
        return Result(prop.id, rule_set.name, "proved", scope="bounded", bound=bound, rules_used=("R-3261-16.6-7",))
    return Result(prop.id, rule_set.name, verdict, reason="solver said unknown")


def fake(flip: tuple[str, str] | None = None, unknown: tuple[str, str] | None = None) -> Prove:
    """A prover that returns each cell's expectation, except one flipped and one unknown cell."""

    def prove(prop: Property, rule_set: RuleSet, bound: int, malicious: bool, timeout: float, seed: int,
              rlimit: int, all_cores: bool, family: str = "default") -> Result:
        table = prop.expected_malicious if malicious else prop.expected
        verdict = table.get(rule_set.name, "proved")
        cell = (prop.id, rule_set.name)
        if cell == flip:
            verdict = "proved" if verdict == "refuted" else "refuted"
        if cell == unknown:
            verdict = "unknown"
        return _verdict(verdict, prop, rule_set, bound)

    return prove


def run(monkeypatch: pytest.MonkeyPatch, prove: Prove, *args: str) -> tuple[int, str, str]:
    monkeypatch.setattr(check, "prove", prove)
    monkeypatch.setattr(ladder, "ladder_text", lambda trace, violation, why=True: "(ladder)")
    outcome = CliRunner().invoke(cli, ["check", *args])
    assert outcome.exception is None or isinstance(outcome.exception, SystemExit), outcome.exception
    return outcome.exit_code, outcome.stdout, outcome.stderr


def test_cli_formats_are_the_report_formats() -> None:
    assert REPORT_FORMATS == FORMATS


def test_every_property_under_the_four_presets_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run(monkeypatch, fake(), "--format", "json")
    assert code == 0
    cells = [(r["property"], r["rules"]) for r in json.loads(out)["results"]]
    assert len(cells) == 22 * 4 and len(set(cells)) == len(cells)
    assert cells[:4] == [("I-1", s) for s in ("rfc3261", "draft-04", "dean-bcp", "rfc5630")]


TRACE_ONLY = """id = "T-1"
title = "A trace-only property"
formula = "forall h in hops: not h.tls_param"
scope = "trace"
"""


def trace_only_folder(folder: Path) -> Path:
    """A properties folder with one trace-scope property (no shipped property is trace-only) and I-17."""
    (folder / "T-1.toml").write_text(TRACE_ONLY, encoding="utf-8")
    (folder / "I-17.toml").write_text(resource_path("properties", "I-17.toml").read_text(encoding="utf-8"),
                                      encoding="utf-8")
    return folder


def test_trace_only_properties_are_not_proved(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    folder = trace_only_folder(tmp_path)
    code, out, _ = run(monkeypatch, fake(), "--format", "json", "--properties", str(folder))
    results = json.loads(out)["results"]
    assert code == 0
    assert {r["verdict"] for r in results if r["property"] == "T-1"} == {"trace-only"}
    assert "trace-only" not in {r["verdict"] for r in results if r["property"] == "I-17"}


def test_refuted_against_expectation_exits_1(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run(monkeypatch, fake(flip=("I-1", "rfc5630")), "--property", "I-1")
    assert code == 1
    assert "refuted ≠ expected proved" in out


def test_proved_against_expectation_exits_1(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run(monkeypatch, fake(flip=("I-1", "rfc3261")), "--property", "I-1", "--format", "json")
    assert code == 1
    entry = json.loads(out)["results"][0]
    assert (entry["verdict"], entry["expected"]) == ("proved", "refuted")


def test_unknown_exits_3_and_a_mismatch_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run(monkeypatch, fake(unknown=("I-2", "rfc5630")), "--property", "I-2", "--format", "json")
    assert code == 3
    assert [r["verdict"] for r in json.loads(out)["results"]].count("unknown") == 1
    both = fake(flip=("I-1", "rfc5630"), unknown=("I-2", "rfc5630"))
    code, _, _ = run(monkeypatch, both, "--property", "I-1", "--property", "I-2", "--format", "json")
    assert code == 1


def test_bad_rule_set_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = run(monkeypatch, fake(), "--rules", "rfc9999")
    assert code == 2 and out == ""
    assert "unknown rule set 'rfc9999'" in err


def test_bad_property_folder_exits_2(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    code, _, err = run(monkeypatch, fake(), "--properties", str(tmp_path / "missing"))
    assert code == 2 and "does not exist; expected a folder of property files" in err
    (tmp_path / "X-1.toml").write_text('id = "X-1"\ntitle = "t"\nformula = "forall h in hops: h.secur"\n')
    code, _, err = run(monkeypatch, fake(), "--properties", str(tmp_path))
    assert code == 2 and "X-1.toml" in err and "h.secur" in err


def test_unknown_property_id_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    code, _, err = run(monkeypatch, fake(), "--property", "I-99")
    assert code == 2 and "unknown property I-99" in err


def test_model_disagreement_exits_2(monkeypatch: pytest.MonkeyPatch) -> None:
    def disagree(prop: Property, rule_set: RuleSet, bound: int, malicious: bool, timeout: float, seed: int,
                 rlimit: int, all_cores: bool, family: str = "default") -> Result:
        raise ModelDisagreement(f"{prop.id} under {rule_set.name}: the replay shows no violation")

    code, out, err = run(monkeypatch, disagree, "--property", "I-1")
    assert code == 2 and out == ""
    assert "INTERNAL DISAGREEMENT" in err and "I-1 under rfc3261" in err


def test_user_properties_and_rule_set(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "props").mkdir()
    (tmp_path / "props" / "X-1.toml").write_text(
        'id = "X-1"\ntitle = "All hops secure"\nformula = "forall h in hops: h.secure"\n'
        '[expected]\nmine = "proved"\n'
    )
    rule_set = tmp_path / "mine.toml"
    rule_set.write_text('name = "mine"\nbase = "rfc5630"\nremove = ["R-5630-5.3-a"]\n')
    args = ("--properties", str(tmp_path / "props"), "--rules", str(rule_set), "--format", "json")
    code, out, _ = run(monkeypatch, fake(flip=("X-1", "mine")), *args)
    assert code == 1
    assert json.loads(out)["results"][0]["expected"] == "proved"


def test_options_reach_the_prover(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # The cells of a property run in a forked child (report/check.py): the fake prover writes what it saw.
    log = tmp_path / "seen.jsonl"

    def record(prop: Property, rule_set: RuleSet, bound: int, malicious: bool, timeout: float, seed: int,
               rlimit: int, all_cores: bool, family: str = "default") -> Result:
        with log.open("a") as stream:
            stream.write(json.dumps([rule_set.name, bound, malicious, timeout, seed, rlimit, rule_set.should,
                                     all_cores, family]) + "\n")
        return _verdict("refuted", prop, rule_set, bound)

    def seen() -> list[tuple[object, ...]]:
        lines = log.read_text().splitlines()
        log.unlink()
        return [tuple(json.loads(line)) for line in lines]

    args = ("--property", "I-1", "--rules", "rfc5630", "--bound", "5", "--malicious", "--timeout", "7", "--seed", "9",
            "--rlimit", "1234")
    code, out, _ = run(monkeypatch, record, *args, "--should", "optional", "--format", "json", "--all-cores",
                       "--family", "full")
    assert seen() == [("rfc5630", 5, True, 7.0, 9, 1234, "optional", True, "full")]
    run(monkeypatch, record, "--property", "I-1", "--rules", "rfc5630")
    assert seen() == [("rfc5630", 3, False, 20.0, 0, check.RLIMIT, "binding", False, "default")]
    run(monkeypatch, record, "--explain", "I-1", "--rules", "rfc5630")  # an explanation lists every core
    assert seen() == [("rfc5630", 3, False, 20.0, 0, check.RLIMIT, "binding", True, "default")]
    entry = json.loads(out)["results"][0]
    assert (entry["malicious"], entry["should"], entry["seed"], entry["expected"]) == (True, "optional", 9, None)
    assert code == 0


def test_malicious_mode_uses_the_malicious_expectations(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run(monkeypatch, fake(), "--property", "I-1", "--malicious", "--format", "json")
    assert code == 0
    assert {r["expected"] for r in json.loads(out)["results"]} == {"refuted"}


def test_jobs_keep_the_cell_order() -> None:
    # Worker shares run in fresh interpreters (sipsmodel.jobs), where no fake prover exists: use the real
    # one on three properties its inductive step proves quickly.
    args = ("check", "--property", "I-22", "--property", "I-17", "--property", "I-1b", "--format", "json")
    serial = CliRunner().invoke(cli, list(args))
    parallel = CliRunner().invoke(cli, [*args, "--jobs", "2"])
    strip = [(r["property"], r["rules"], r["verdict"]) for r in json.loads(parallel.stdout)["results"]]
    assert parallel.exit_code == 0 and strip[0][:2] == ("I-1b", "rfc3261")
    assert strip == [(r["property"], r["rules"], r["verdict"]) for r in json.loads(serial.stdout)["results"]]


@pytest.mark.parametrize("fmt", ["json", "markdown", "sarif"])
def test_every_format_prints(monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    code, out, err = run(monkeypatch, fake(), "--property", "I-2", "--format", fmt)
    assert code == 0 and out.strip() and err == ""

"""The exported sipdump: ``sipsmodel trace`` finds the counterexample's violation at the very transmission
the prover's counterexample marks (issue 12: the model's flow and the trace checker agree)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sipsmodel.cli import cli
from sipsmodel.replay import load_flow


@pytest.mark.parametrize("prop", ["I-1", "I-2"])
def test_trace_finds_the_counterexamples_violation_at_its_transmission(check_files: dict[str, Path],
                                                                       tmp_path: Path, prop: str) -> None:
    path = tmp_path / "flow.sipdump"
    exported = CliRunner().invoke(cli, ["export", str(check_files[prop]), "--to", "sipdump", "-o", str(path)])
    assert exported.exit_code == 0, exported.output
    result = CliRunner().invoke(cli, ["trace", str(path), "--format", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.output)
    flow = load_flow(check_files[prop])
    assert flow.violation is not None
    marked = flow.hops[flow.violation]
    found = [v for v in report["violations"] if v["property"] == prop]
    assert [v["record"] for v in found] == [flow.violation + 1]
    where = found[0]["transmission"]
    assert where["transport"] == marked.transport  # TLS hops stay TLS in a sipdump, unlike in a clear pcap
    assert where["lines"][0] == marked.message.render().split("\r\n", 1)[0]

"""The real-proxy fixtures' own guarantees (tests/kamailio_harness.py, tests/sipp_harness.py): a process left
running is found and ended by the finalizer, a whole process group is seen gone, and a SIPp that loses its port
to another process is started again on another port (the race of two suites at once)."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest
import sipp_harness
from kamailio_harness import Kamailio, PortTaken
from sipp_harness import SippRunner

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


def test_stop_all_ends_and_names_every_process_left_running(tmp_path: Path) -> None:
    runner = SippRunner()
    done = runner.start([sys.executable, "-c", "pass"], tmp_path)
    done.wait(timeout=10)
    left = runner.start(SLEEPER, tmp_path)
    assert runner.stop_all() == [" ".join(SLEEPER)]
    assert left.poll() is not None and runner.stop_all() == []


def test_a_stopped_kamailio_group_is_gone(tmp_path: Path) -> None:
    proxy = Kamailio(tmp_path)
    proxy.process = subprocess.Popen(SLEEPER, start_new_session=True)  # a stand-in process group
    assert not proxy.gone(timeout=0.3)
    proxy.stop()
    assert proxy.gone()


@pytest.mark.slow  # the real SIPp
def test_sipp_that_loses_its_port_starts_again_on_another(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    host = "127.0.0.10"
    scenario = tmp_path / "uas.xml"
    scenario.write_text((Path(__file__).parent / "trace" / "sipp" / "uas.xml").read_text())
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as taken:
        taken.bind((host, 0))
        busy = taken.getsockname()[1]
        runner = SippRunner()
        try:
            with pytest.raises(PortTaken), runner.background(scenario, "u1", host, busy):
                pass  # a fixed port that another process holds: the caller must start over
            picks = iter([busy, sipp_harness.free_port(host)])
            monkeypatch.setattr(sipp_harness, "free_port", lambda _host: next(picks))
            with runner.background(scenario, "u1", host) as (process, port):
                assert port != busy and process.poll() is None and sipp_harness.held(host, port)
            assert len(runner.processes) == 3  # the fixed try, the lost port, the one that bound
        finally:
            assert runner.stop_all() == []

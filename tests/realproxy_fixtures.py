"""Fixtures of the tests that run a real Kamailio or SIPp on loopback (tests/trace, tests/replay), registered
by tests/conftest.py. Every process they start is stopped by their finalizers, which then check that none is
left (a test that leaves one behind errors at teardown)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from kamailio_harness import Kamailio
from sipp_harness import SippRunner


@pytest.fixture
def kamailio_factory(tmp_path: Path) -> Iterator[Callable[..., Kamailio]]:
    """``start(name="kamailio", config=None)``: a Kamailio in ``tmp_path / name`` running ``config`` (the
    stock-style tests/trace/kamailio/kamailio.cfg when None); every one is stopped at the end."""
    started: list[Kamailio] = []

    def start(name: str = "kamailio", config: Path | None = None) -> Kamailio:
        folder = tmp_path / name
        folder.mkdir()
        proxy = Kamailio(folder, config)
        started.append(proxy)
        proxy.start()
        return proxy

    yield start
    for proxy in started:
        proxy.stop()
    left = [str(p.folder) for p in started if not p.gone()]
    assert not left, f"Kamailio processes outlived their test: {left}"


@pytest.fixture
def kamailio(kamailio_factory: Callable[..., Kamailio]) -> Kamailio:
    """The stock-style Kamailio (save, lookup, t_relay, Record-Route), sipdump text and pcap in its folder."""
    return kamailio_factory()


@pytest.fixture
def sipp_tool() -> Iterator[SippRunner]:
    """SIPp runs of one test (``play``, ``background``, ``run_pair``, ``start``); all ended at the end."""
    runner = SippRunner()
    yield runner
    left = runner.stop_all()
    assert not left, f"SIPp processes outlived their test: {left}"

"""Shared test configuration: Hypothesis profiles (derandomized on CI), and the real-proxy fixtures
(tests/realproxy_fixtures.py: Kamailio and SIPp on loopback)."""

from __future__ import annotations

import importlib
import os

import pytest
from hypothesis import HealthCheck, settings

from sipsmodel import jobs

pytest_plugins = ["realproxy_fixtures"]

settings.register_profile(
    "ci",
    derandomize=True,
    deadline=None,
    max_examples=100,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None, max_examples=100)
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(autouse=True)
def _one_job_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """``check --jobs`` defaults to the number of CPUs, but the in-process CLI tests replace the prover by
    fakes that worker processes would not see: here the default is one job. The real default is checked
    by ``tests/cli/test_jobs_default.py``; the end-to-end tests in subprocesses are not affected."""
    monkeypatch.setattr(jobs, "cpu_count", lambda: 1)


@pytest.fixture
def fresh_provers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The prover starts from solvers that have answered nothing, as in a new ``sipsmodel`` process: a
    solver reused from earlier tests may return another, equally valid, counterexample or core."""
    monkeypatch.setattr(importlib.import_module("sipsmodel.smt.prove"), "_PROVERS", {})

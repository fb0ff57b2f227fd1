"""Shared test configuration: Hypothesis profiles (derandomized on CI), and the real-proxy fixtures
(tests/realproxy_fixtures.py: Kamailio and SIPp on loopback)."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

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


#: Test folders whose tests share one pytest-xdist worker (``-n 2 --dist loadgroup``, the README's test
#: command): the prover's tests keep one process's order (sampled answers read off counterexamples depend
#: on the solver's history), and the real-proxy tests start Kamailio and SIPp in one process only.
_GROUPS = {"decide": "prover", "smt": "prover", "replay": "realproxy", "trace": "realproxy"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    tests = Path(__file__).parent
    for item in items:
        parts = item.path.relative_to(tests).parts
        group = "realproxy" if parts[0] == "test_realproxy_harness.py" else _GROUPS.get(parts[0])
        if group:
            item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture
def fresh_provers(monkeypatch: pytest.MonkeyPatch) -> None:
    """The prover starts from solvers that have answered nothing, as in a new ``sipsmodel`` process: a
    solver reused from earlier tests may return another, equally valid, counterexample or core."""
    monkeypatch.setattr(importlib.import_module("sipsmodel.smt.prove"), "_PROVERS", {})

"""Shared test configuration: Hypothesis profiles (derandomized on CI), and the real-proxy fixtures
(tests/realproxy_fixtures.py: Kamailio and SIPp on loopback)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

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

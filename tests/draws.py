"""How many random examples a Hypothesis test draws: all of them on a developer's run, a third on CI.

CI's profile is derandomized (tests/conftest.py), so every CI run draws the *same* examples: past the
first run, more of them buy no new coverage, only minutes of a 20-minute budget. A developer's run (the
``dev`` profile, randomized) draws the full number, so new examples keep being tried where they are
cheap. The known seeds of each differential test run on both.
"""

from __future__ import annotations

from hypothesis import settings


def draws(full: int) -> int:
    """``full`` under a randomized profile, a third of it (at least four) under a derandomized one (CI)."""
    return max(4, full // 3) if settings.default.derandomize else full

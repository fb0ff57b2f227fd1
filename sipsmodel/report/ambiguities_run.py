"""``sipsmodel ambiguities`` on the job layer: the rule sets' searches on worker processes that keep what they built.

Theory of operation: the rule sets are the jobs (``decide.ambiguities.set_job``), on ``--jobs`` local
processes (``sipsmodel.jobs``): worker ``n`` takes every ``--jobs``-th set from the ``n``-th in the order
given, so that for the four presets rfc3261 goes with dean-bcp (86 % of their active rules in common,
the most of any two presets) and draft-04 with rfc5630, and searches first the set with more active
rules (dean-bcp, then rfc3261). Fixed
shares rather than the next free worker: which set follows which decides how much the second reuses, so
the time must not depend on which search ended first.

A worker builds the shared encoding and its two-run product (``smt.pairs.prepare_product``) and the
cached solver of each property (``smt.verdict.prepare_provers``) once, and then searches each set it
takes in that same process, the collector paused during a search (as in a forked ``check`` child). The
second set a worker searches reuses the first's terms (the product's per-property violation terms, the
choice selectors) and what the cached solvers learned, which are facts about the encoding: on the idle
2-core machine the four presets took 206 s of CPU and 108 s wall this way, against 258 s and 138 s
with each set searched in a child forked from the prepared worker (docs/ambiguities.md, "Time").

The findings do not depend on which sets a worker searched before: every answer they are made of is a
fact (a verdict, the fewest transmissions, a pair query's ``unsat``) or a model read in a Z3 context of
its own (the counterexamples, ``smt.fresh``; the witness pairs, ``smt.pairs``), never a model of a
cached solver (``tests/decide/test_pair_query.py`` compares the findings of one process and of two).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sipsmodel.decide.ambiguities import set_job
from sipsmodel.jobs import Runner, run_jobs
from sipsmodel.smt.pairs import prepare_product
from sipsmodel.smt.solving import collector_paused
from sipsmodel.smt.verdict import prepare_provers

#: One rule set's search: the set, the properties and the bound (``decide.ambiguities.set_job``).
SetJob = tuple[Any, Sequence[Any], int]


def _worker_job(job: SetJob) -> Any:
    """``set_job(job)`` in this worker, once it holds the product and the solvers of the properties."""
    rule_set, props, bound = job
    prepare_product(bound)
    prepare_provers(props, rule_set, bound)
    with collector_paused():
        return set_job(job)


def search_order(jobs: Sequence[SetJob], width: int) -> list[int]:
    """The job indices in the order to hand to ``run_jobs``: its round-robin shares are those of ``jobs``
    as given, each share's sets with the most active rules first (measured: dean-bcp then rfc3261 took
    106 s of CPU, the other way round 113 s; rfc5630 then draft-04 97 s, the other way round 100 s)."""
    width = max(1, width)
    shares = [sorted(range(n, len(jobs), width), key=lambda i: -len(jobs[i][0].active)) for n in range(width)]
    return [share[k] for k in range(len(shares[0])) for share in shares if k < len(share)]


def worker_map(runner: Runner) -> Callable[[Callable[[Any], Any], Sequence[Any]], list[Any]]:
    """A mapper for ``find_ambiguities``: its rule sets' searches on the runner's worker processes."""

    def mapper(func: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
        if func is not set_job:
            raise ValueError("worker_map runs the rule sets' searches (decide.ambiguities.set_job) only")
        order = search_order(items, runner.width)
        answers = run_jobs(_worker_job, [items[i] for i in order], runner)
        return [answer for _, answer in sorted(zip(order, answers, strict=True))]

    return mapper

"""``sipsmodel ambiguities`` on the job layer: each rule set's search in a child forked from one state.

Theory of operation: the rule sets are the jobs (``decide.ambiguities.set_job``), on ``--jobs`` local
processes (``sipsmodel.jobs``, free workers take the next set). Every process first builds the shared
encoding and its two-run product (``smt.pairs.prepare_product``) and the cached solver of each property
(``smt.verdict.prepare_provers``, nothing checked yet), the part of a search that does not depend on the
rule set, and runs each set in a child forked from that state, as ``check`` forks a property: a set's
findings do not depend on which sets its process searched before, and the encoding and the solvers are
built once per process, not once per set.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sipsmodel.decide.ambiguities import set_job
from sipsmodel.jobs import Runner, forked, run_jobs
from sipsmodel.smt.pairs import prepare_product
from sipsmodel.smt.verdict import prepare_provers


def _forked_job(job: tuple[Callable[[Any], Any], Any, int]) -> Any:
    """``func(item)`` in a child forked once this process holds the product for ``bound`` (and, for a
    rule set's search, the solvers of its properties)."""
    func, item, bound = job
    prepare_product(bound)
    if func is set_job:
        rule_set, props, _ = item
        prepare_provers(props, rule_set, bound)
    return forked(func, item)


def forking_map(runner: Runner, bound: int) -> Callable[[Callable[[Any], Any], Sequence[Any]], list[Any]]:
    """A mapper for ``find_ambiguities``: its jobs on the runner's processes, each in a forked child."""

    def mapper(func: Callable[[Any], Any], items: Sequence[Any]) -> list[Any]:
        return run_jobs(_forked_job, [(func, item, bound) for item in items], runner, pull=True)

    return mapper

"""One query answered in a Z3 context of its own, so that its model depends on the query alone.

Theory of operation (issue 11: counterexamples independent of the process's history). z3's model of a
satisfiable query depends on more than the formulas: on the clauses a solver learned from earlier
queries, and on the ids of the terms, which a context hands out in creation order and reuses once terms
are freed, so on everything the process built before. A fresh solver in the shared context is not
enough (its terms keep the shared context's ids). So the model a counterexample is read from is found
in a new ``z3.Context``: the query's own list of formulas, always the same list in the same order for
the same (encoding, property, rule set, bound, options), is translated into it (new ids, handed out in
the list's order), asserted into a new solver (``SimpleSolver``: the incremental core without the
one-shot preprocessing, which cost more here than it saved) with the query's seed, resource limit and timeout, and
checked once. Only that check's model leaves the context (translated back to the shared one, where
the encoding's terms are read). What the shared solvers learned may decide *which sizes* are searched,
never which model is returned: the caller passes facts (a size that is satisfiable), not models.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import z3

from sipsmodel.smt.solving import configured

Term = Any


@dataclass(frozen=True)
class Limits:
    """What bounds one check: seed, wall-clock timeout (seconds) and z3 resource limit (0: none)."""

    seed: int
    timeout: float
    rlimit: int


def fresh_model(formulas: Sequence[Term], limits: Limits) -> Term | None:
    """A model of ``formulas`` (terms of the shared context) from a solver in a new context, in the shared
    context; None when the formulas are unsatisfiable or the check gave up.

    The answer is a function of the formulas (their structure and order), the z3 release and ``limits``.
    """
    shared = z3.AstVector()
    for formula in formulas:
        shared.push(formula)
    context = z3.Context()
    # no preprocessing: about 3 times faster here than z3.Solver()
    solver = configured(z3.SimpleSolver(ctx=context), limits.timeout, limits.seed, limits.rlimit)
    solver.add(*shared.translate(context))
    if solver.check() != z3.sat:
        return None
    return solver.model().translate(z3.main_ctx())

"""``sipsmodel decide`` on the job layer: every property and change job in a child forked from one state.

Theory of operation: the jobs of ``sipsmodel.decide.jobs`` (questions 1 and 2 per property, question 3
per change) run through ``sipsmodel.jobs`` (``--jobs N`` local processes, or ``--scheduler``) in one
round. Every process first builds the bounded encoding and the conflict solver (:func:`prepare_forks`,
always both, in that order) and runs each job in a child forked from that state, as ``check`` runs a
property, so a job's answers, counterexamples included, do not depend on what its process ran before:
``--jobs N`` and ``--scheduler`` print what ``--jobs 1`` prints. The deprecation cells
(``sipsmodel.report.deprecation``) fork from the same state.
"""

from __future__ import annotations

from sipsmodel.decide.jobs import (
    ChangeJob,
    DecideOptions,
    PropertyJob,
    assemble,
    plan_decide,
    run_change_job,
    run_property_job,
)
from sipsmodel.decide.report import ChangeAnswer, DecideReport, PropertyAnswer
from sipsmodel.jobs import Runner, forked, run_jobs


def prepare_forks(bound: int, timeout: float) -> None:
    """Build in this process what the jobs of a run read (the shared encoding, the conflict solver of
    question 3), always both and in this order, before any job forks from it: every child of every
    process then starts from the same state, whichever jobs the process ran before (``--jobs``)."""
    from sipsmodel.smt.conflicts import prepare_conflicts
    from sipsmodel.smt.prove import prepare_encoding

    prepare_encoding(bound, False, timeout)
    prepare_conflicts(bound)


def property_job(job: PropertyJob) -> PropertyAnswer:
    """``run_property_job`` as one job of the job layer: in a child forked from the state :func:`prepare_forks`
    builds (``sipsmodel.jobs.forked``), as ``check`` runs a property, so every property starts from the
    same solver state whatever ran before it, and the report does not depend on ``--jobs`` (nor on the
    selection or the order)."""
    if job.prop.scope == "trace":
        return run_property_job(job)
    prepare_forks(job.solving.bound, job.solving.timeout)
    return forked(run_property_job, job)


def change_job(job: ChangeJob) -> ChangeAnswer:
    """``run_change_job`` as one job of the job layer, in a child forked from the state
    :func:`prepare_forks` builds, like :func:`property_job`."""
    prepare_forks(job.solving.bound, job.solving.timeout)
    return forked(run_change_job, job)


#: Every job in this process, one after the other (each still in its forked child).
SERIAL = Runner()


def run_decide(options: DecideOptions, runner: Runner = SERIAL) -> DecideReport:
    """Plan, run every job on the runner (``--jobs``, ``--scheduler``; one forked child per job) and assemble
    the report: the same report whatever the runner."""
    plan = plan_decide(options)
    every: list[PropertyJob | ChangeJob] = [*plan.property_jobs, *plan.change_jobs]
    answers = run_jobs(decide_job, every, runner, group=job_group)
    properties = [a for a in answers if isinstance(a, PropertyAnswer)]
    changes = [a for a in answers if isinstance(a, ChangeAnswer)]
    return assemble(plan, properties, changes)


def decide_job(job: PropertyJob | ChangeJob) -> PropertyAnswer | ChangeAnswer:
    """One job of either kind: the property and change jobs share the runner's processes in one round."""
    return property_job(job) if isinstance(job, PropertyJob) else change_job(job)


def job_group(job: PropertyJob | ChangeJob) -> str:
    """A job's group (``sipsmodel.jobs.shares``): every job is its own."""
    return job.prop.id if isinstance(job, PropertyJob) else job.change.label

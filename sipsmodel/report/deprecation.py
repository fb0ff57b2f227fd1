""""Do we need to deprecate sips?": sips: guarantees beside sip: over best-effort TLS (issue 8 item 6).

Theory of operation: each property of ``properties/sip-tls/`` restates a ``sips:`` property for a
world without ``sips:`` (``TLS-4b`` restates ``I-4b``: the same number). ``sipsmodel decide`` checks the
``sips:`` property under ``rfc3261``, ``dean-bcp`` and ``rfc5630`` and the restated one under
``rfc3261`` and the ``sip-tls`` profile (RFC 3261 plus the trial balloon's points 1 and 3), all of them
``check`` cells run by the job layer, and says per pair which guarantee only ``sips:`` gives (and under
which rule set), which ``sip:`` over TLS gives as well, and which neither gives. Every verdict is a
proof or a replayed counterexample, as in ``check``; what the model cannot say is listed in
:data:`MODEL_CANNOT_SAY`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sipsmodel.decide.report import Counterexample, DecideReport
from sipsmodel.jobs import Runner, run_jobs
from sipsmodel.props import Property, load_properties
from sipsmodel.report.check import CheckOptions, check_property_job
from sipsmodel.resources import resource_dir
from sipsmodel.rules.sets import RuleSet, load_rule_set
from sipsmodel.verdict import Result

SIPS_SETS = ("rfc3261", "dean-bcp", "rfc5630")
TLS_SETS = ("rfc3261", "sip-tls")
PROFILE = "sip-tls"

#: What the model cannot say about deprecating sips:, stated plainly in every report.
MODEL_CANNOT_SAY = (
    "user interface: whether a phone shows a padlock, and whether a user can ask for 'TLS or fail' with a "
    "sip: URI (the model has the secure flag of RFC 3261 12.1 and one 'user confirmed' bit, nothing more)",
    "certificates and identity: who is at the other end of each TLS connection, mutual TLS, certificate "
    "checks (RFC 3261 26.2.2, RFC 5626 4.3): a TLS hop is simply 'secure'",
    "capabilities and discovery: which elements support TLS and how they learn it (RFC 3263 DNS records, "
    "_sips SRV); best effort is modelled as 'TLS when both ends can', and no property can name the "
    "elements' capabilities, so 'sip: over TLS is end to end when every element supports TLS' is not checked",
    "attacks on TLS itself (stripping, downgrade of the TLS handshake) and malicious elements "
    "(decide runs honest elements only; check --malicious covers I-21)",
    "everything outside the bounded family: B2BUAs and what a gateway does beyond refusing or taking a request "
    "(I-15), REFER, Replaces and 3pcc (I-20), re-INVITE, Service-Route, more proxies than the bound",
    "what a peer may infer from a URI scheme (section B's semantic test) is a reading of the texts, not a "
    "trace property: the model shows what happens on the wire, not what an element believed",
)


@dataclass(frozen=True)
class DeprecationRow:
    """One sips: property beside its restatement for sip: over TLS, with the verdicts and the answer."""

    property: str
    title: str
    restated: str
    restated_title: str
    sips: dict[str, str]
    sip_tls: dict[str, str]
    answer: str
    only_sips_under: tuple[str, ...]
    counterexample: Counterexample | None

    def to_json(self) -> dict[str, Any]:
        return {
            "property": self.property, "title": self.title, "restated": self.restated,
            "restated_title": self.restated_title, "sips": dict(self.sips), "sip_tls": dict(self.sip_tls),
            "answer": self.answer, "only_sips_under": list(self.only_sips_under),
            "counterexample": None if self.counterexample is None else self.counterexample.to_json(),
        }


def restated_properties() -> list[Property]:
    """The properties of ``properties/sip-tls/`` (each ``TLS-n`` restates ``I-n``)."""
    return load_properties(resource_dir("properties") / "sip-tls")


def pairs(sips_props: Sequence[Property]) -> list[tuple[Property, Property]]:
    """(sips property, restated property) for every restated property whose original is selected."""
    by_id = {p.id: p for p in sips_props}
    return [(by_id["I-" + r.id.removeprefix("TLS-")], r) for r in restated_properties()
            if "I-" + r.id.removeprefix("TLS-") in by_id]


def _answer(sips: dict[str, Result], tls: Result) -> tuple[str, tuple[str, ...]]:
    proved_under = tuple(name for name, r in sips.items() if r.verdict == "proved")
    if "unknown" in {tls.verdict, *(r.verdict for r in sips.values())}:
        return "unknown: some cell gave up (see the verdicts)", proved_under
    if tls.verdict == "proved":
        return ("sip: over TLS gives it as well" if proved_under else "only sip: over TLS gives it"), ()
    if proved_under:
        return f"only sips: gives it (under {', '.join(proved_under)})", proved_under
    return "neither gives it (refuted for sips: under every rule set and for sip: over TLS)", ()


def _row(sips_prop: Property, restated: Property, results: dict[tuple[str, str], Result]) -> DeprecationRow:
    sips = {name: results[(sips_prop.id, name)] for name in SIPS_SETS}
    tls = {name: results[(restated.id, name)] for name in TLS_SETS}
    answer, under = _answer(sips, tls[PROFILE])
    shown = tls[PROFILE]
    flow = None if shown.counterexample is None else Counterexample(PROFILE, (), shown.counterexample, shown.violation,
                                                                    f"{restated.id} refuted")
    return DeprecationRow(sips_prop.id, sips_prop.title, restated.id, restated.title,
                          {n: r.label for n, r in sips.items()}, {n: r.label for n, r in tls.items()},
                          answer, under, flow)


def known_base_cells(report: DecideReport) -> dict[tuple[str, str], Result]:
    """The base verdicts ``decide`` already has, as cells (when its base is one of :data:`SIPS_SETS`)."""
    if report.base not in SIPS_SETS or report.should != "binding":
        return {}
    known = {}
    for a in report.properties:
        trace = a.counterexample.trace if a.counterexample is not None else None
        if a.base_verdict == "proved" or (a.base_verdict == "refuted" and trace is not None):
            known[(a.property, report.base)] = Result(a.property, report.base, a.base_verdict, scope=a.base_scope,
                                                      bound=a.bound, counterexample=trace)
    return known


def deprecation_job(job: tuple[Property, tuple[RuleSet, ...], CheckOptions]) -> list[Result]:
    """One property's cells, as ``check`` runs them (``check_property_job``: in a forked child), forked from
    the state ``decide``'s own jobs fork from (``sipsmodel.report.decide_run.prepare_forks``), so the rows are
    the same whether this process ran decide's jobs before (``--jobs 1``) or is a fresh share."""
    from sipsmodel.report.decide_run import prepare_forks

    prepare_forks(job[2].bound, job[2].timeout)
    return check_property_job(job)


def deprecation(sips_props: Sequence[Property], options: CheckOptions,
                tick: Callable[[str], None] = lambda _d: None,
                known: Mapping[tuple[str, str], Result] | None = None) -> tuple[DeprecationRow, ...]:
    """Check every pair's cells through the job layer (except the ``known`` ones) and answer per pair.

    A property's cells are one job, run in a child forked from a state built the same way in every
    process (``check_property_job``), so the rows do not depend on ``--jobs``, as in ``check``.
    """
    chosen = pairs(sips_props)
    mode = options.should or "binding"
    cells = [(p, s) for p, r in chosen for s in SIPS_SETS] + [(r, s) for p, r in chosen for s in TLS_SETS]
    results = dict(known or {})
    wanted: dict[str, tuple[Property, list[RuleSet]]] = {}
    for p, s in cells:
        if (p.id, s) not in results:
            wanted.setdefault(p.id, (p, []))[1].append(load_rule_set(s).with_should(mode))
    jobs = [(p, tuple(sets), options) for p, sets in wanted.values()]

    def ticks(job: tuple[Property, tuple[RuleSet, ...], CheckOptions]) -> None:
        for rule_set in job[1]:
            tick(f"{job[0].id} {rule_set.name}")

    done = run_jobs(deprecation_job, jobs, Runner(options.jobs, options.scheduler), group=lambda job: job[0].id,
                    tick=ticks)
    results.update({(job[0].id, s.name): result for job, answers in zip(jobs, done, strict=True)
                    for s, result in zip(job[1], answers, strict=True)})
    return tuple(_row(p, r, results) for p, r in chosen)

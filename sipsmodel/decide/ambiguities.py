"""``sipsmodel ambiguities``: choices the rule set leaves open that flip a property (SIPS-RULES.md F).

Theory of operation. Three searches, each finding reported with a witness pair (``decide.witness``):

* **Readings** (exhaustive within the bound): for every F-item with readings and every reading the
  set does not take, the bounded verdict of every property under the set and under the set with that
  reading (one solver check each, ``smt.verdict``; skipped where the set's own answer settles it). A
  verdict that differs is a finding. Its witness pair comes from one solver query over two runs of
  one scenario (``smt.pairs``): the refuting side fails, the other holds, the runs agree up to a first
  difference at one of the item's choice points, and the holding run reaches the violating point
  (non-vacuous). ``unsat`` means no such pair exists within the bound: the finding is then vacuous.
* **Readings that decide a flow** (exhaustive within the bound for the item's choice points): for a
  reading that flips no verdict of a property the item's text names (``Ambiguity.concerns``, e.g. F-4
  and I-7), the same two-run query: a run under the set in which an honest element breaks the reading,
  and a run under the reading that holds (``exercise_finding``).
* **Open choices** (sampled): at every visit of a refuted property's counterexample where the set
  allows two or more options (a MAY, an optional SHOULD, silence), every other allowed option is
  replayed under the same set; a replay that conforms and on which the property holds is a finding.
  It shows that the choice decides this flow, not that fixing it changes the verdict: ``sampled``.

Every witness pair must be non-vacuous (``decide.witness.reaches_the_point``): a choice that makes the
property hold only by cutting the flow short (a refused call, a UAC that gives up) shows no flip. A
solver's pair is replayed by the simulator and checked again (``decide.witness.replayed_pair``). Every
witness query runs in a Z3 context of its own, so a finding does not depend on the process's history.

A finding maps to the F-item whose readings constrain the options that differ; otherwise it is new.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sipsmodel.decide.finding import Finding
from sipsmodel.decide.flows import builtin_scenarios, flow_findings
from sipsmodel.decide.phases import phase, reset, totals
from sipsmodel.decide.witness import WitnessPair, make_pair, nonconforming, replayed_pair
from sipsmodel.defaults import DEFAULT_BOUND
from sipsmodel.model.expr import Value, flat_scope, names_in, parse_expr, truth
from sipsmodel.model.trace import Decision, Trace
from sipsmodel.props import Property, evaluate_property, locate_violation
from sipsmodel.rules.engine import allowed_options
from sipsmodel.rules.readings import AMBIGUITIES, AMBIGUITIES_BY_ITEM, F_ITEMS, READING_RULES_BY_ID, Ambiguity
from sipsmodel.rules.rule import Rule
from sipsmodel.rules.sets import RuleSet
from sipsmodel.smt.pairs import PairQuery, PairSearch
from sipsmodel.smt.solving import active_rule_ids
from sipsmodel.smt.verdict import (
    WITNESS_TIMEOUT,
    Counterexample,
    counterexample_breaking,
    verdict_and_counterexample,
    verdict_and_violation,
    verdict_with_choice_fixed,
)

READING_SEARCH = "exhaustive within the bound (k<={bound}): one solver query per property and reading"
#: The witness pair of a reading: one query over two runs, exhaustive for the item's choice points.
PAIR_SEARCH = ("a non-vacuous pair, exhaustive within the bound (k<={bound}) for first differences at {points} "
               "(one solver query over two runs, replayed)")
#: How many solver pairs are replayed before the pair search gives up (the query over-approximates
#: non-vacuity: a holding run may stop short of the violating point). Each blocked pair costs one
#: incremental check; F-7's pair under rfc3261 is the fifth the query answers once F-1's feature and the
#: 302 Contact's parameter are in the encoding, so three was too few to be robust to the encoding's growth.
PAIR_ATTEMPTS = 8
EXERCISE_SEARCH = ("exhaustive within the bound (k<={bound}) for first differences at {points}: two runs of one "
                   "scenario, one under the set in which an element breaks {reading}, one under {reading} "
                   "(one solver query, replayed); the verdict does not change")
CHOICE_SEARCH = ("sampled: the open choices of each counterexample, replayed; whether fixing the choice in that state "
                 "changes the verdict is one solver query (verdicts)")


@dataclass
class Search:
    """The verdicts and counterexamples of one rule set, computed once and shared by both searches."""

    rule_set: RuleSet
    props: Sequence[Property]
    bound: int
    verdicts: dict[str, str] = field(default_factory=dict)
    examples: dict[tuple[str, str], Counterexample | None] = field(default_factory=dict)
    #: Per property, the violating runs the verdict queries under other readings answered, replayed
    violations: dict[str, list[Counterexample]] = field(default_factory=dict)

    def verdict(self, prop: Property, rule_set: RuleSet) -> str:
        key = prop.id if rule_set is self.rule_set else f"{prop.id} {rule_set.name}"
        if key not in self.verdicts:
            if rule_set is self.rule_set:  # every refuted property's counterexample is searched: at once
                with phase("verdicts and counterexamples of the set"):
                    verdict, example = verdict_and_counterexample(prop, rule_set, self.bound)
                self.examples[(prop.id, rule_set.name)] = example
                self.verdicts[key] = verdict
                return verdict
            known = self._known(prop, rule_set)
            if known is None:
                with phase("verdicts under readings"):
                    known, run = verdict_and_violation(prop, rule_set, self.bound, WITNESS_TIMEOUT)
                self.violations.setdefault(prop.id, []).extend([run] if run is not None else [])
            self.verdicts[key] = known
        return self.verdicts[key]

    def _known(self, prop: Property, variant: RuleSet) -> str | None:
        """The verdict under another reading when the answers so far already give it, without a query:
        proved when the set proves it and the variant only adds rules (fewer behaviours), refuted when a
        replayed violating run conforms to the variant too (the independent checker finds nothing): the
        set's counterexample, or a run a query under another reading answered."""
        if variant is self.rule_set:
            return None
        before = self.verdict(prop, self.rule_set)
        if before == "proved" and set(active_rule_ids(self.rule_set)) <= set(active_rule_ids(variant)):
            return "proved"
        example = self.example(prop, self.rule_set) if before == "refuted" else None
        runs = ([example] if example is not None else []) + self.violations.get(prop.id, [])
        with phase("verdicts settled by the answers so far"):
            conforms = any(not nonconforming(run.trace, variant) for run in runs)
        return "refuted" if conforms else None

    def example(self, prop: Property, rule_set: RuleSet) -> Counterexample | None:
        key = (prop.id, rule_set.name)
        if key not in self.examples:  # a solver of its own: the open choices do not depend on earlier queries
            with phase("counterexamples"):
                self.examples[key] = counterexample_breaking(prop, rule_set, None, self.bound)
        return self.examples[key]


def _options_text(options: dict[str, Value]) -> str:
    return ", ".join(f"{k}={v}" for k, v in options.items())


def pair_witness(prop: Property, failing: RuleSet, holding: RuleSet, ambiguity: Ambiguity, breaks: Rule | None,
                 bound: int) -> tuple[WitnessPair | None, str]:
    """A non-vacuous witness pair whose first difference is at one of the item's choice points, from one
    solver query over two runs (``smt.pairs``), confirmed by the simulator's replay of both runs; and how
    the search ended: ``found``, ``none`` (no such pair exists within the bound), or why it gave up."""
    with phase("pair queries: building terms"):
        search = PairSearch(PairQuery(prop, failing, holding, ambiguity.choice_points, breaks, bound))
    for _ in range(PAIR_ATTEMPTS):
        with phase("pair queries: solving"):
            answer = search.next()
        if answer.status == "unsat":
            return None, "none"
        if answer.failing is None or answer.holding is None:
            return None, f"unknown ({answer.reason})"
        with phase("pair queries: replays"):
            pair = replayed_pair(prop, answer.failing, answer.holding, failing, holding, ambiguity.choice_points)
        if pair is not None:
            return pair, "found"
        search.block()  # the query over-approximates non-vacuity; the replay is the judge
    return None, f"unconfirmed ({PAIR_ATTEMPTS} solver pairs the replay did not confirm)"


def _pair_note(outcomes: dict[str, str], points: Sequence[str], bound: int) -> str:
    """What the pair searches of a finding established, for its ``search`` text."""
    if "found" in outcomes.values():
        return PAIR_SEARCH.format(bound=bound, points=", ".join(points))
    if all(o == "none" for o in outcomes.values()):
        return (f"no non-vacuous pair exists within the bound (k<={bound}) with its first difference at "
                f"{', '.join(points)} (exhaustive, one solver query per property)")
    return "; ".join(f"{p}: {o}" for p, o in outcomes.items())


def reading_findings(search: Search, ambiguity: Ambiguity, letter: str) -> Finding | None:
    """The properties whose verdict the reading ``letter`` flips, with a witness pair, or None.

    The pair is the first property's non-vacuous pair (``pair_witness``, exhaustive); when no flipped
    property has one, a vacuous pair (the refuting side's counterexample replayed under the other
    reading) is reported as such.
    """
    base = search.rule_set
    variant = base.with_readings({ambiguity.item: letter})
    current = dict(base.readings)[ambiguity.item]
    flips: dict[str, dict[str, str]] = {}
    for prop in search.props:
        before, after = search.verdict(prop, base), search.verdict(prop, variant)
        if before != after and "unknown" not in (before, after):
            flips[prop.id] = {f"{ambiguity.item}/{current}": before, f"{ambiguity.item}/{letter}": after}
    if not flips:
        return None
    pair: WitnessPair | None = None
    outcomes: dict[str, str] = {}
    props = {p.id: p for p in search.props}
    for prop_id, verdicts in flips.items():
        failing, holding = (base, variant) if verdicts[f"{ambiguity.item}/{current}"] == "refuted" else (variant, base)
        reading = READING_RULES_BY_ID.get(f"{ambiguity.item}/{dict(holding.readings)[ambiguity.item]}")
        pair, outcomes[prop_id] = pair_witness(props[prop_id], failing, holding, ambiguity, reading, search.bound)
        if pair is not None:
            break
    if pair is None:  # every pair is vacuous: show the first property's, marked so
        prop = props[next(iter(flips))]
        failing, holding = (base, variant) if flips[prop.id][f"{ambiguity.item}/{current}"] == "refuted" \
            else (variant, base)
        reading = READING_RULES_BY_ID.get(f"{ambiguity.item}/{dict(holding.readings)[ambiguity.item]}")
        with phase("counterexamples"):
            example = counterexample_breaking(prop, failing, reading, search.bound)
        pair = None if example is None else make_pair(prop, example.scenario, example.trace, failing, holding,
                                                      vacuous=True)
    choice = pair.choice if pair is not None else None
    options = [f"{ambiguity.item}/{current}", f"{ambiguity.item}/{letter}"]
    return Finding(
        base.name, "reading", ambiguity.item,
        choice.choice_point if choice else ", ".join(ambiguity.choice_points),
        dict(choice.features) if choice else {}, options, sorted(flips), options,
        READING_SEARCH.format(bound=search.bound) + "; witness: "
        + _pair_note(outcomes, ambiguity.choice_points, search.bound), pair, flips)


def _f_item_of(rule_set: RuleSet, decision: Decision, name: str, option: dict[str, Value]) -> str | None:
    """The F-item one of whose readings, in this state, allows one value of the changed option ``name``
    and forbids the other, whatever the set lets the other options be (None: not in section F).

    A reading that forbids the alternative only together with an unchanged other option (F-4/b and
    ``ruri`` while ``rr_out`` stays sips) does not decide this option: the other option can follow.
    """
    features = dict(decision.features)
    allowed = allowed_options(decision.choice_point, features, rule_set)
    taken, other = decision.options[name], option[name]
    for ambiguity in AMBIGUITIES:
        for reading in ambiguity.readings:
            text = reading.at.get(decision.choice_point)
            if text is None:
                continue
            expr = parse_expr(text, source=f"reading {reading.id}")
            values = {o[name] for o in allowed if truth(expr, flat_scope({**features, **o}))}
            if (taken in values) != (other in values):
                return ambiguity.item
    return None


def exercise_finding(search: Search, ambiguity: Ambiguity, letter: str, prop: Property) -> Finding | None:
    """A flow where the reading ``letter`` decides ``prop`` though the verdict stays refuted.

    One solver query over two runs (``pair_witness``): a run under the set in which an honest element
    breaks the reading at one of the item's choice points and ``prop`` fails, and a run of the same
    scenario under the reading, the same up to that choice, reaching the violating point, on which it
    holds. Exhaustive within the bound for those choice points.
    """
    base = search.rule_set
    rule = READING_RULES_BY_ID.get(f"{ambiguity.item}/{letter}")
    if rule is None:
        return None
    variant = base.with_readings({ambiguity.item: letter})
    pair, _ = pair_witness(prop, base, variant, ambiguity, rule, search.bound)
    if pair is None:
        return None
    options = [f"{ambiguity.item}/{dict(base.readings)[ambiguity.item]}", rule.id]
    verdicts = {prop.id: {options[0]: search.verdict(prop, base), options[1]: search.verdict(prop, variant)}}
    return Finding(base.name, "exercise", ambiguity.item, pair.choice.choice_point, dict(pair.choice.features),
                   options, [prop.id], options,
                   EXERCISE_SEARCH.format(reading=rule.id, bound=search.bound,
                                          points=", ".join(ambiguity.choice_points)), pair, verdicts)


def _exercise_findings(search: Search, ambiguity: Ambiguity, letter: str, flipped: Finding | None) -> list[Finding]:
    """``exercise_finding`` for each property the item's text names that the reading does not flip."""
    variant = search.rule_set.with_readings({ambiguity.item: letter})
    out = []
    for prop in search.props:
        if prop.id not in ambiguity.concerns or (flipped is not None and prop.id in flipped.properties):
            continue
        if search.verdict(prop, variant) != "proved":  # a proof is the reading search's; no counterexample: None
            finding = exercise_finding(search, ambiguity, letter, prop)
            out += [finding] if finding is not None else []
    return out


#: Options that are an element's own policy, not a reading of the texts: a callee may always refuse a call.
POLICY_OPTIONS = frozenset({("uas_answer", "status"), ("uas_answer", "warn")})


def _alternatives(rule_set: RuleSet, decision: Decision) -> list[tuple[str, dict[str, Value]]]:
    """Allowed options that differ from the one taken in exactly one option value (the smallest change)."""
    taken = dict(decision.options)
    out = []
    for option in allowed_options(decision.choice_point, dict(decision.features), rule_set):
        changed = [k for k in taken if option.get(k) != taken[k]]
        if len(changed) == 1 and (decision.choice_point, changed[0]) not in POLICY_OPTIONS:
            out.append((changed[0], option))
    return out


def _fixed_verdict(prop: Property, rule_set: RuleSet, decision: Decision, option: str, value: Value,
                   bound: int) -> dict[str, str]:
    """The verdict as it is, and with the choice fixed to the holding option in this state (a solver query)."""
    before = f"{option}={decision.options[option]}"
    after = f"{option}={value}"
    if option == "transport":
        return {before: "refuted", after: "not queried (the link also restricts a transport)"}
    fixed = verdict_with_choice_fixed(prop, rule_set, decision.choice_point, dict(decision.features), option, value,
                                      bound, WITNESS_TIMEOUT)
    return {before: "refuted", f"{after} whenever the state is as here": fixed}


def _rules_about(rule_set: RuleSet, cp: str, option: str) -> list[str]:
    """The set's rules that constrain ``option`` at ``cp`` somewhere, yet leave it open in this state."""
    return [rule.id for rule, expr in rule_set.constraints_at(cp) if option in names_in(expr)]


def _before_violation(trace: Trace, prop: Property) -> list[Decision]:
    """The decisions up to the one that sent the violating transmission (later ones cannot undo it)."""
    evaluation = evaluate_property(prop, trace.observation)
    at = locate_violation(evaluation, trace)
    if at is None:
        return list(trace.decisions)
    last = max((d.index for d in trace.decisions if d.transmission is not None and d.transmission <= at), default=-1)
    return [d for d in trace.decisions if d.index <= last]


def choice_findings(search: Search, prop: Property, found: dict[tuple[str, str], Finding]) -> None:
    """Open choices of the counterexample that, taken otherwise, make the property hold (sampled)."""
    rule_set = search.rule_set
    example = search.example(prop, rule_set)
    if example is None:
        return
    for decision in _before_violation(example.trace, prop):
        if decision.allowed < 2 or not decision.options:
            continue
        key = (decision.element, decision.choice_point, decision.occurrence)
        for name, option in _alternatives(rule_set, decision):
            group = (decision.choice_point, name)
            if group in found and prop.id in found[group].properties:
                continue
            with phase("open choices: replays"):
                pair = make_pair(prop, example.scenario, example.trace, rule_set, rule_set, {key: option})
            if pair is None or pair.choice.index != decision.index:
                continue
            with phase("open choices: fixed-choice verdicts"):
                flips = _fixed_verdict(prop, rule_set, decision, name, option[name], search.bound)
            if group in found:
                found[group].properties.append(prop.id)
                found[group].verdicts[prop.id] = flips
                continue
            found[group] = Finding(
                rule_set.name, "choice", _f_item_of(rule_set, decision, name, option), decision.choice_point,
                dict(decision.features), [f"{name}={decision.options[name]}", f"{name}={option[name]}"], [prop.id],
                _rules_about(rule_set, decision.choice_point, name), CHOICE_SEARCH, pair, {prop.id: flips})


def set_findings(rule_set: RuleSet, props: Sequence[Property], bound: int = DEFAULT_BOUND,
                 tick: Callable[[str], None] = lambda _d: None) -> list[Finding]:
    """Every finding of the searches over one rule set (``props`` already without trace-only ones).

    Depends on the rule set and the properties alone (every witness query in a Z3 context of its own),
    so the sets of a run can be searched in any order or in parallel.
    """
    with phase("rest of the search"):
        return _set_findings(rule_set, props, bound, tick)


def _set_findings(rule_set: RuleSet, props: Sequence[Property], bound: int,
                  tick: Callable[[str], None]) -> list[Finding]:
    findings: list[Finding] = []
    search = Search(rule_set, props, bound)
    for ambiguity in AMBIGUITIES:
        current = dict(rule_set.readings).get(ambiguity.item)
        for reading in ambiguity.readings:
            if current is not None and reading.letter != current:
                finding = reading_findings(search, ambiguity, reading.letter)
                if finding is not None:
                    findings.append(finding)
                if not any(f.f_item == ambiguity.item and f.witness is not None and not f.vacuous
                           for f in findings):  # only while the set shows no non-vacuous pair of the item yet
                    findings += _exercise_findings(search, ambiguity, reading.letter, finding)
        tick(f"{rule_set.name} {ambiguity.item}")
    known = {(opt, p) for f in findings for opt in f.options for p in f.properties}
    with phase("built-in flows"):
        findings += flow_findings(rule_set, props, builtin_scenarios(), known)
    found: dict[tuple[str, str], Finding] = {}
    for prop in props:
        if search.verdict(prop, rule_set) == "refuted":
            choice_findings(search, prop, found)
        tick(f"{rule_set.name} {prop.id}")
    return findings + list(found.values())


#: Runs a module-level function over jobs, possibly on other processes (``report.ambiguities_run.worker_map``).
Mapper = Callable[[Callable[[Any], Any], Sequence[Any]], list[Any]]
#: CPU seconds per phase of each rule set's search (``decide.phases``), filled by ``find_ambiguities``.
Phases = dict[str, dict[str, float]]


def set_job(job: tuple[RuleSet, Sequence[Property], int]) -> tuple[list[Finding], dict[str, float]]:
    """One rule set's search (a job of ``find_ambiguities``, picklable for other processes), with the CPU
    time of each of its phases in the process that ran it."""
    reset()
    findings = set_findings(*job)
    return findings, totals()


def find_ambiguities(rule_sets: Sequence[RuleSet], props: Sequence[Property], bound: int = DEFAULT_BOUND,
                     tick: Callable[[str], None] = lambda _d: None, mapper: Mapper | None = None,
                     phases: Phases | None = None) -> list[Finding]:
    """Every finding of the searches over ``rule_sets`` and ``props`` (trace-only properties skipped),
    grouped by F-item. ``mapper``: the rule sets are searched as its jobs (``sipsmodel.jobs``, e.g. on
    several processes); each set's findings are the same either way (``set_findings``). ``phases``, when
    given, receives each set's CPU time per phase (for the benchmark)."""
    checked = [p for p in props if p.scope != "trace"]
    answers: list[tuple[list[Finding], dict[str, float]]] = []
    if mapper is None or len(rule_sets) <= 1:
        for rule_set in rule_sets:
            reset()
            answers.append((set_findings(rule_set, checked, bound, tick), totals()))
    else:
        answers = mapper(set_job, [(rule_set, checked, bound) for rule_set in rule_sets])
        for rule_set in rule_sets:
            for _ in range(len(AMBIGUITIES) + len(checked)):
                tick(rule_set.name)
    if phases is not None:
        phases.update({rule_set.name: times for rule_set, (_, times) in zip(rule_sets, answers, strict=True)})
    return sorted([f for found, _ in answers for f in found], key=_item_order)


def _item_order(finding: Finding) -> tuple[int, bool]:
    """Findings grouped by F-item in catalogue order, new ones (no F-item) last; in each group the
    choices that flip a verdict first."""
    return (F_ITEMS.index(finding.f_item) if finding.f_item in F_ITEMS else len(F_ITEMS), finding.flips is not True)


#: Why an F-item has no reading in the model (SIPS-RULES.md section F; docs/ambiguities.md).
NOT_EXPRESSIBLE: dict[str, str] = {
    "F-5": "a proxy always removes all of its own Route entries (model mechanics); spirals and Path order are fixed",
    "F-10": "replacing or adding a Contact is the registrar's mechanics (uri_equal), not a choice point",
    "F-11": "GRUU is not modelled",
    "F-13": "an erratum of the RFC 5630 6.4 example: the model always reuses the outbound flow (R-5626-7)",
    "F-14": "no reading to choose: UAs write `transport=` into their Contacts, proxies into their Record-Route "
            "values, and R-3263-4.1-a lets `tcp` mean "
            "TCP or TLS, but the literal reading of `sips:...;transport=tcp` (plain TCP) is never possible, since "
            "RFC 3261 8.1.2 and 16.6 step 7 (MUST) make every sips hop TLS and a sips URI never names `udp` "
            "(19.1.1); numeric hosts and ports are not modelled",
    "F-15": "UAS checks of the Via chain are not modelled (R-04-4.1-b)",
    "F-16": "two definitions of the secure flag: a difference between properties, no element chooses",
    "F-17": "no reading to choose: a Contact may carry `transport=tls` (rfc3261, dean-bcp: I-16 refuted), so may "
            "a proxy's Record-Route value (rfc5630 too), and "
            "whether a received `tls` is read as TLS or ignored decides nothing, since the Request-URI scheme and "
            "the MUSTs decide the security of the hop",
    "F-18": "each registrar's test is a rule (R-04-5-e, R-5630-5.2-b): `diff --rules draft-04 --rules rfc5630` "
            "shows it; a mixed deployment of two registrars is not modelled",
    "F-21": "the reason text of warn-code 380 is not observable in the model",
    "F-22": "IPv6 grammar and URI equality are the syntax layer's; hosts in the model are names",
    "F-23": "URI equality is the syntax layer's (`uri_equal`), not a choice; a REGISTER Contact may carry a "
            "transport parameter, but in the bounded family each device registers one Contact once, so no "
            "refresh is compared",
}


def coverage(findings: Sequence[Finding]) -> dict[str, str]:
    """Each F-item: ``found`` (a non-vacuous witness pair), ``not-security-relevant`` (expressed, no
    non-vacuous pair), or ``not-expressible``."""
    found = {f.f_item for f in findings if f.witness is not None and not f.vacuous}
    return {item: "found" if item in found else "not-security-relevant" if item in AMBIGUITIES_BY_ITEM
            else "not-expressible" for item in F_ITEMS}


def coverage_reasons(findings: Sequence[Finding]) -> dict[str, str]:
    """Why each F-item has its coverage status, from the findings themselves (and ``NOT_EXPRESSIBLE``)."""
    status = coverage(findings)
    reasons: dict[str, str] = {}
    for item in F_ITEMS:
        mine = [f for f in findings if f.f_item == item and f.witness is not None]
        if status[item] == "not-expressible":
            reasons[item] = NOT_EXPRESSIBLE[item]
        elif status[item] == "found":
            reasons[item] = "; ".join(sorted({f"{f.kind} under {f.rule_set}: {', '.join(f.properties)}"
                                              for f in mine if not f.vacuous}))
        elif mine:
            reasons[item] = ("only vacuous witness pairs (the choice cuts the flow short): "
                             + "; ".join(sorted({f"{f.kind} under {f.rule_set}: {', '.join(f.properties)}"
                                                 for f in mine})))
        else:
            reasons[item] = ("no non-vacuous witness pair: no reading flips a verdict within the bound, and no "
                             "flow or open choice was found that a reading decides without cutting the flow short")
    return reasons

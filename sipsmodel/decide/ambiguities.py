"""``sipsmodel ambiguities``: choices the rule set leaves open that flip a property (SIPS-RULES.md F).

Theory of operation. Two searches, each finding reported with a witness pair (``decide.witness``):

* **Readings** (exhaustive within the bound): for every F-item with readings and every reading the
  set does not take, the bounded verdict of every property under the set and under the set with that
  reading (one solver check each, ``smt.verdict``). A verdict that differs is a finding; the failing
  side's counterexample and its replay under the other reading form the witness pair.
* **Open choices** (sampled): at every visit of a refuted property's counterexample where the set
  allows two or more options (a MAY, an optional SHOULD, silence), every other allowed option is
  replayed under the same set; a replay that conforms and on which the property holds is a finding.
  It shows that the choice decides this flow, not that fixing it changes the verdict: ``sampled``.

A finding maps to the F-item whose readings constrain the options that differ; otherwise it is new.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sipsmodel.decide.finding import Finding
from sipsmodel.decide.flows import builtin_scenarios, flow_findings
from sipsmodel.decide.witness import WitnessPair, make_pair
from sipsmodel.defaults import DEFAULT_BOUND
from sipsmodel.model.expr import Value, flat_scope, names_in, parse_expr, truth
from sipsmodel.model.trace import Decision, Trace
from sipsmodel.props import Property, evaluate_property, locate_violation
from sipsmodel.rules.engine import allowed_options
from sipsmodel.rules.readings import AMBIGUITIES, AMBIGUITIES_BY_ITEM, F_ITEMS, Ambiguity
from sipsmodel.rules.sets import RuleSet
from sipsmodel.smt.verdict import Counterexample, bounded_verdict, counterexample, verdict_with_choice_fixed

READING_SEARCH = "exhaustive within the bound (k<={bound}): one solver query per property and reading"
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

    def verdict(self, prop: Property, rule_set: RuleSet) -> str:
        if rule_set is self.rule_set:
            if prop.id not in self.verdicts:
                self.verdicts[prop.id] = bounded_verdict(prop, rule_set, self.bound)
            return self.verdicts[prop.id]
        return bounded_verdict(prop, rule_set, self.bound)

    def example(self, prop: Property, rule_set: RuleSet) -> Counterexample | None:
        key = (prop.id, rule_set.name)
        if key not in self.examples:
            self.examples[key] = counterexample(prop, rule_set, self.bound)
        return self.examples[key]


def _options_text(options: dict[str, Value]) -> str:
    return ", ".join(f"{k}={v}" for k, v in options.items())


def reading_findings(search: Search, ambiguity: Ambiguity, letter: str) -> Finding | None:
    """The properties whose verdict the reading ``letter`` flips, with a witness pair, or None."""
    base = search.rule_set
    variant = base.with_readings({ambiguity.item: letter})
    current = dict(base.readings)[ambiguity.item]
    flips: dict[str, dict[str, str]] = {}
    pair: WitnessPair | None = None
    for prop in search.props:
        before, after = search.verdict(prop, base), search.verdict(prop, variant)
        if before == after or "unknown" in (before, after):
            continue
        flips[prop.id] = {f"{ambiguity.item}/{current}": before, f"{ambiguity.item}/{letter}": after}
        if pair is None:
            failing, holding = (base, variant) if before == "refuted" else (variant, base)
            example = search.example(prop, failing)
            if example is not None:
                pair = make_pair(prop, example.scenario, example.trace, failing, holding)
    if not flips:
        return None
    choice = pair.choice if pair is not None else None
    return Finding(
        base.name, "reading", ambiguity.item,
        choice.choice_point if choice else ", ".join(ambiguity.choice_points),
        dict(choice.features) if choice else {},
        [f"{ambiguity.item}/{current}", f"{ambiguity.item}/{letter}"],
        sorted(flips), [f"{ambiguity.item}/{current}", f"{ambiguity.item}/{letter}"],
        READING_SEARCH.format(bound=search.bound), pair, flips)


def _f_item_of(decision: Decision, option: dict[str, Value]) -> str | None:
    """The F-item one of whose readings allows one option and forbids the other here (None: not in F)."""
    taken = flat_scope({**decision.features, **decision.options})
    other = flat_scope({**decision.features, **option})
    for ambiguity in AMBIGUITIES:
        for reading in ambiguity.readings:
            text = reading.at.get(decision.choice_point)
            if text is None:
                continue
            expr = parse_expr(text, source=f"reading {reading.id}")
            if truth(expr, taken) != truth(expr, other):
                return ambiguity.item
    return None


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
                                      bound)
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
            pair = make_pair(prop, example.scenario, example.trace, rule_set, rule_set, {key: option})
            if pair is None or pair.choice.index != decision.index:
                continue
            flips = _fixed_verdict(prop, rule_set, decision, name, option[name], search.bound)
            if group in found:
                found[group].properties.append(prop.id)
                found[group].verdicts[prop.id] = flips
                continue
            found[group] = Finding(
                rule_set.name, "choice", _f_item_of(decision, option), decision.choice_point,
                dict(decision.features), [f"{name}={decision.options[name]}", f"{name}={option[name]}"], [prop.id],
                _rules_about(rule_set, decision.choice_point, name), CHOICE_SEARCH, pair, {prop.id: flips})


def find_ambiguities(rule_sets: Sequence[RuleSet], props: Sequence[Property], bound: int = DEFAULT_BOUND,
                     tick: Callable[[str], None] = lambda _d: None) -> list[Finding]:
    """Every finding of both searches over ``rule_sets`` and ``props`` (trace-only properties skipped),
    grouped by F-item."""
    checked = [p for p in props if p.scope != "trace"]
    scenarios = builtin_scenarios()
    findings: list[Finding] = []
    for rule_set in rule_sets:
        search = Search(rule_set, checked, bound)
        for ambiguity in AMBIGUITIES:
            current = dict(rule_set.readings).get(ambiguity.item)
            for reading in ambiguity.readings:
                if current is not None and reading.letter != current:
                    finding = reading_findings(search, ambiguity, reading.letter)
                    if finding is not None:
                        findings.append(finding)
            tick(f"{rule_set.name} {ambiguity.item}")
        known = {(opt, p) for f in findings if f.rule_set == rule_set.name for opt in f.options for p in f.properties}
        findings += flow_findings(rule_set, checked, scenarios, known)
        found: dict[tuple[str, str], Finding] = {}
        for prop in checked:
            if search.verdict(prop, rule_set) == "refuted":
                choice_findings(search, prop, found)
            tick(f"{rule_set.name} {prop.id}")
        findings += found.values()
    return sorted(findings, key=_item_order)


def _item_order(finding: Finding) -> tuple[int, bool]:
    """Findings grouped by F-item in catalogue order, new ones (no F-item) last; in each group the
    choices that flip a verdict first."""
    return (F_ITEMS.index(finding.f_item) if finding.f_item in F_ITEMS else len(F_ITEMS), finding.flips is not True)


#: Why an F-item has no reading in the model (SIPS-RULES.md section F; docs/ambiguities.md).
NOT_EXPRESSIBLE: dict[str, str] = {
    "F-1": "the dialog's secure flag is not a feature of send_in_dialog (it reads the R-URI and Route schemes)",
    "F-5": "a proxy always removes all of its own Route entries (model mechanics); spirals and Path order are fixed",
    "F-10": "replacing or adding a Contact is the registrar's mechanics (uri_equal), not a choice point",
    "F-11": "GRUU is not modelled",
    "F-13": "an erratum of the RFC 5630 6.4 example: the model always reuses the outbound flow (R-5626-7)",
    "F-14": "the model generates no transport parameters, numeric hosts or ports (RFC 3263 is not modelled)",
    "F-15": "UAS checks of the Via chain are not modelled (R-04-4.1-b)",
    "F-16": "two definitions of the secure flag: a difference between properties, no element chooses",
    "F-17": "the model never generates transport=tls (received values come only from real traces)",
    "F-18": "each registrar's test is a rule (R-04-5-e, R-5630-5.2-b): `diff --rules draft-04 --rules rfc5630` "
            "shows it; a mixed deployment of two registrars is not modelled",
    "F-21": "the reason text of warn-code 380 is not observable in the model",
    "F-22": "IPv6 grammar and URI equality are the syntax layer's; hosts in the model are names",
    "F-23": "the model generates no transport parameters, so URI equality never meets one",
}


def coverage(findings: Sequence[Finding]) -> dict[str, str]:
    """Each F-item: ``found`` (a witness pair), ``not-security-relevant`` (expressed, no flip), or
    ``not-expressible``."""
    found = {f.f_item for f in findings if f.witness is not None}
    return {item: "found" if item in found else "not-security-relevant" if item in AMBIGUITIES_BY_ITEM
            else "not-expressible" for item in F_ITEMS}

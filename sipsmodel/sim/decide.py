"""Visiting a choice point, and the self-check of each request sent against the options chosen.

``visit`` asks the rule engine to evaluate every physically possible option for the features computed
from the state, drops options whose transport is not on the link, lets the chooser pick among those
no active rule breaks, and records a Decision with the counts and the rules that ruled out the rest
(the same evaluation that chose: the answers' "why", docs/explain.md).
``check_request`` re-derives the abstract fields from the message as parsed back by the
syntax layer and raises ModelDisagreement when they differ from the options (docs/semantics.md).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from functools import lru_cache

from sipsmodel.errors import ModelDisagreement, ScenarioError
from sipsmodel.model.expr import Value
from sipsmodel.model.message_values import opt_scheme, scheme_of
from sipsmodel.model.trace import Decision, RuledOut
from sipsmodel.rules.choicepoints import CHOICE_POINTS
from sipsmodel.rules.engine import (
    OptionVerdict,
    evaluate_options,
    feature_key,
    physically_possible,
    preference_key,
    violated_rules,
)
from sipsmodel.rules.sets import RuleSet
from sipsmodel.sim.choosers import Options, ScriptedOptionNotAllowed
from sipsmodel.sim.state import SimState
from sipsmodel.sim.wire import tparam_of
from sipsmodel.syntax import SipMessage, parse_message


def visit(
    state: SimState, element: str, cp_name: str, features: dict[str, Value], link: tuple[str, str] | None = None
) -> tuple[int, Options | None]:
    """Visit a choice point: (decision index, the options taken, or None when nothing is allowed)."""
    on_link = state.network.transports(*link) if link is not None else None
    allowed_items, possible, ruled_out = _evaluate_on_link(cp_name, feature_key(cp_name, features), state.rule_set,
                                                           on_link)
    allowed = [dict(o) for o in allowed_items]
    key = (element, cp_name)
    occurrence = state.occurrences[key]
    state.occurrences[key] += 1
    chosen: Options | None = None
    if allowed:
        try:
            chosen = state.chooser.choose(element, cp_name, occurrence, features, allowed)
        except ScriptedOptionNotAllowed as exc:
            raise ScenarioError(_explain(state, exc, features, on_link)) from None
        if chosen not in allowed:
            raise ModelDisagreement(f"chooser returned {chosen} at {element}/{cp_name}, which is not allowed")
    index = len(state.decisions)
    state.decisions.append(
        Decision(index, element, cp_name, occurrence, dict(features), dict(chosen or {}), len(allowed),
                 possible=possible, ruled_out=ruled_out, sent_before=len(state.transmissions))
    )
    return index, chosen


def _on_link(options: tuple[tuple[str, Value], ...], on_link: tuple[str, ...] | None) -> bool:
    """An option whose transport the link offers (every option when there is no link or no transport)."""
    return on_link is None or all(v in on_link for k, v in options if k == "transport")


@lru_cache(maxsize=65536)
def _evaluate_on_link(
    cp_name: str, key: tuple[Value, ...], rule_set: RuleSet, on_link: tuple[str, ...] | None
) -> tuple[tuple[tuple[tuple[str, Value], ...], ...], int, tuple[RuledOut, ...]]:
    """The allowed options, how many the model has on the link, and the rules that ruled out the rest."""
    features = dict(zip((f.name for f in CHOICE_POINTS[cp_name].features), key, strict=True))
    possible = [v for v in evaluate_options(cp_name, features, rule_set) if _on_link(v.options, on_link)]
    return tuple(v.options for v in possible if not v.violates), len(possible), _ruled_out(rule_set, cp_name, possible)


def _ruled_out(rule_set: RuleSet, cp_name: str, possible: list[OptionVerdict]) -> tuple[RuledOut, ...]:
    """The rules that excluded possible options, in rule-set order, each with how many it excluded."""
    counts = Counter(rule for v in possible for rule in v.violates)
    return tuple(RuledOut(rule.id, rule.keyword, counts[rule.id])
                 for rule, _ in rule_set.constraints_at(cp_name) if counts[rule.id])


def attach(state: SimState, decision: int, transmission: int) -> None:
    """Record which transmission a decision produced."""
    state.decisions[decision] = replace(state.decisions[decision], transmission=transmission)


def _explain(
    state: SimState, exc: ScriptedOptionNotAllowed, features: dict[str, Value], on_link: tuple[str, ...] | None
) -> str:
    """Why a scripted choice is not allowed: the link, the model constraints, or the rules that forbid it."""
    cp = CHOICE_POINTS[exc.choice_point]
    where = f"{state.scenario.name}: script entry {exc.element}/{exc.choice_point}#{exc.occurrence} {exc.scripted}"
    agreeing = [o for o in cp.option_space() if all(o.get(k) == v for k, v in exc.scripted.items())]
    if not agreeing:
        return f"{where}: names an option or value that {exc.choice_point} does not have"
    if on_link is not None and all(o.get("transport", on_link[0]) not in on_link for o in agreeing):
        return f"{where}: transport not available on the link (only {', '.join(on_link)})"
    possible = [o for o in agreeing if physically_possible(cp, features, o)]
    if not possible:
        return f"{where}: physically impossible with features {features} (model constraints of {cp.name})"
    best = max(possible, key=lambda o: preference_key(cp, features, o))
    rules = violated_rules(exc.choice_point, features, best, state.rule_set)
    name = state.rule_set.name
    return (f"{where}: not allowed by rule set {name!r}: violates {', '.join(rules)} (features {features}); "
            "the script was written for another rule set: fix it, or run with the default chooser (--ignore-script)")


def check_request(cp_name: str, options: Options, sent: SipMessage, transport: str, strict_route: bool = False) -> None:
    """Re-derive R-URI, top Route, Contact, Via transport and Record-Route from the parsed message.

    ``strict_route``: the request was built for a strict first route entry (RFC 3261 12.2.1.1, the
    feature ``route_strict`` of uac_invite): ``route0`` is then the scheme of the last Route value,
    the target (the topmost one when the stored route has a single entry).
    """
    message = parse_message(sent.render())
    derived: dict[str, Value] = {"transport": transport}
    via = message.vias()[0]
    if options.get("via_lie") is True:
        derived["via_lie"] = via.transport == "TLS" and transport != "TLS"
    elif via.transport != transport:
        raise ModelDisagreement(f"{cp_name}: Via says {via.transport} but the hop uses {transport}")
    routes = message.routes()
    if "ruri" in options:
        derived["ruri"] = scheme_of(message.request_uri)
    if "route0" in options:
        derived["route0"] = opt_scheme(routes[-1:] if strict_route else routes)
    contacts = message.contacts()
    if "contact" in options and isinstance(contacts, list):
        derived["contact"] = scheme_of(contacts[0].uri) if contacts else "none"
    if "contact_tp" in options and isinstance(contacts, list):
        derived["contact_tp"] = tparam_of(contacts[0].uri) if contacts else "none"
    if "route_tp" in options:
        derived["route_tp"] = "none" if strict_route or not routes else tparam_of(routes[0].uri)
    if "path_tp" in options:
        paths = message.paths()
        derived["path"] = opt_scheme(paths) if options["path"] != "none" else "none"
        derived["path_tp"] = tparam_of(paths[0].uri) if paths and options["path"] != "none" else "none"
    if options.get("rr", "none") != "none":
        rrs = message.record_routes()
        derived["rr_out"] = opt_scheme(rrs)
        derived["rr_tp"] = tparam_of(rrs[0].uri) if rrs else "none"
        if options["rr"] == "double":
            derived["rr_in"] = opt_scheme(rrs[1:])
    for name, value in derived.items():
        if name in options and options[name] != value:
            raise ModelDisagreement(
                f"{cp_name}: option {name} = {options[name]!r} but the message sent shows {value!r}:\n"
                + message.render()
            )

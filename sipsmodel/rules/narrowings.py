"""Narrowings: constraints that describe what one kind of deployed element does, never what a text says.

Theory of operation: a narrowing is a rule-shaped constraint (ID ``N-...``, keyword ``(narrowing)``) at
a choice point, in the same expression language as the rules. It is no part of any document. A
*narrowed profile* (``sipsmodel.rules.sets.NARROWED``) is a preset with some narrowings added and
nothing removed: same rules, same SHOULD mode, same readings. Adding constraints only removes options,
so every flow the profile allows is a flow its preset allows, and a counterexample found under the
profile is a counterexample of the preset (the one the prover would give if it were asked for a flow
that a stock proxy can perform). Both engines read narrowings through
``sipsmodel.rules.readings.CONSTRAINT_RULES``, exactly like rules and readings: the simulator through
``RuleSet.active``, the SMT encoding as one more tracked literal, off in every other set.

Used by ``export`` and ``replay --within PROFILE`` (docs/replay.md): the prover's counterexample of
RFC 3261 that a stock registrar and proxy such as Kamailio's (``save``, ``lookup``, ``t_relay``) can
really perform. Issue 12.
"""

from __future__ import annotations

from sipsmodel.rules.rule import Rule

NARROWING_KEYWORD = "(narrowing)"
STOCK_PROXY = "stock registrar-proxy (save, lookup, t_relay; not normative)"

NARROWING_RULES: tuple[Rule, ...] = (
    Rule("N-STOCK-1", STOCK_PROXY, "location lookup", NARROWING_KEYWORD, "proxy",
         "retargeting replaces the Request-URI by the registered Contact as stored (scheme unchanged)",
         {"proxy_forward": "binding != none -> ruri == binding"}),
    Rule("N-STOCK-2", STOCK_PROXY, "relay", NARROWING_KEYWORD, "proxy",
         "without retargeting the Request-URI is forwarded with the scheme it came with",
         {"proxy_forward": "binding == none -> ruri == in_ruri"}),
    Rule("N-STOCK-3", STOCK_PROXY, "relay of responses", NARROWING_KEYWORD, "proxy",
         "a 3xx, 416 or 480 on a branch is forwarded upstream, never recursed on",
         {"proxy_recurse": "action == forward"}),
)

NARROWING_RULES_BY_ID: dict[str, Rule] = {r.id: r for r in NARROWING_RULES}


def is_narrowing_id(rule_id: str) -> bool:
    """``N-STOCK-1`` is a narrowing, ``R-3261-16.5-b`` a rule."""
    return rule_id in NARROWING_RULES_BY_ID

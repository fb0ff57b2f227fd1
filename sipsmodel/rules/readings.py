"""Readings: the named alternatives where the texts admit more than one (SIPS-RULES.md section F).

Theory of operation: an F-item the model can express is an :class:`Ambiguity` with two or more
:class:`Reading` entries (``F-8/a``, ``F-8/b``), each with the clause it reads, a one-line statement
and its constraint at choice points, in the same expression language as the rules. Every preset
states its default reading of every item (``defaults``); the default reading is what the preset's
rules already say, so it adds nothing. A rule set that selects another reading gets that reading as
one more rule (:func:`reading_rule`: ID ``F-8/b``, keyword ``(reading)``), which may supersede the
rules that embody the default, exactly like a rule of the table. Both engines read readings through
:data:`CONSTRAINT_RULES`: the simulator through ``RuleSet.active``, the SMT encoding as one more
tracked literal per reading, so an unsat core names the readings a proof rests on as it names rules.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from sipsmodel.errors import ScenarioError
from sipsmodel.rules.narrowings import NARROWING_RULES
from sipsmodel.rules.rule import Rule
from sipsmodel.rules.table import RULES

READING_KEYWORD = "(reading)"
#: The items of SIPS-RULES.md section F.
F_ITEMS = tuple(f"F-{n}" for n in range(1, 25))
PRESET_NAMES = ("rfc3261", "draft-04", "dean-bcp", "rfc5630")


@dataclass(frozen=True)
class Reading:
    """One reading of an F-item: clause, one-line statement, constraint per choice point."""

    item: str
    letter: str
    clause: str
    statement: str
    at: Mapping[str, str] = field(default_factory=dict)
    supersedes: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.item}/{self.letter}"


@dataclass(frozen=True)
class Ambiguity:
    """An F-item with its readings and each preset's default reading."""

    item: str
    title: str
    readings: tuple[Reading, ...]
    defaults: Mapping[str, str]
    concerns: tuple[str, ...] = ()  # the properties SIPS-RULES.md's text of the item names (F-4: I-7)

    def reading(self, letter: str) -> Reading:
        for r in self.readings:
            if r.letter == letter:
                return r
        letters = ", ".join(r.letter for r in self.readings)
        raise ScenarioError(f"unknown reading {self.item}/{letter}; {self.item} has readings {letters}")

    @property
    def choice_points(self) -> tuple[str, ...]:
        """The choice points any reading constrains (where the ambiguity lives in the model)."""
        return tuple(dict.fromkeys(cp for r in self.readings for cp in r.at))


def _all(letter: str) -> dict[str, str]:
    return {name: letter for name in PRESET_NAMES}


def _r(letter: str, clause: str, statement: str, at: Mapping[str, str] | None = None,
       supersedes: tuple[str, ...] = ()) -> Callable[[str], Reading]:
    """One reading, given its item by :func:`_item` (the record shape every reading shares)."""
    return lambda item: Reading(item, letter, clause, statement, dict(at or {}), supersedes)


def _item(item: str, title: str, readings: tuple[Callable[[str], Reading], ...], defaults: Mapping[str, str],
          concerns: tuple[str, ...] = ()) -> Ambiguity:
    """An F-item with its readings, each named after it (``F-8`` and ``b`` give ``F-8/b``)."""
    return Ambiguity(item, title, tuple(make(item) for make in readings), defaults, concerns)


_DOUBLE_IN = "(rr == double -> ((rr_in == sips) <-> (in_secure and in_ruri == sips)))"
_REWRITE_3261 = ("(rr == single and in_secure and not out_secure -> rewrite == sips) and "
                 "(rr == single and not in_secure and out_secure -> rewrite == sip)")

AMBIGUITIES: tuple[Ambiguity, ...] = (
    _item("F-1", "Whether a secure dialog forces TLS on its in-dialog requests", (
        _r("a", "RFC 3261 12.1.1, 12.1.2 (the flag's intent)",
           "a UA whose dialog is secure sends every in-dialog request over TLS",
           {"send_in_dialog": "not proxy and dialog_secure -> secure(transport)"}),
        _r("b", "RFC 3261 12.2.1.1 (literal)",
           "the flag only constrains the Contact of target refreshes; the transport follows 8.1.2 and 16.6 step 7"),
    ), _all("b"), ("I-12",)),
    _item("F-2", "Where the last hop is; draft-04 contradicting itself", (
        _r("a", "RFC 3261 26.2.2; draft-04 4 (text)",
           "the last-hop exception stands: the responsible proxy may send a SIPS request to a SIP-only binding"),
        _r("b", "draft-04 4 (its example)",
           "a SIPS request stays SIPS and is never routed to a SIP-only binding (the example answers 480)",
           {"proxy_forward": "in_ruri == sips -> ruri == sips and binding != sip"}),
    ), _all("a")),
    _item("F-3", "Whether the AoR key includes the scheme", (
        _r("a", "RFC 3261 10.3 step 5, 19.1.4",
           "the AoR key keeps the scheme: sip:x and sips:x are different AoRs",
           {"registrar_accept": "key_scheme"}, ("R-3261-10.3-a", "R-04-5-b", "R-5630-5.2-a")),
        _r("b", "draft-04 5; RFC 5630 5.2",
           "the AoR key ignores the scheme: sip:x and sips:x are one AoR",
           {"registrar_accept": "not key_scheme"}, ("R-3261-10.3-a", "R-04-5-b", "R-5630-5.2-a")),
    ), {"rfc3261": "a", "draft-04": "b", "dean-bcp": "a", "rfc5630": "b"}),
    _item("F-4", "Record-Route scheme where RFC 3261 leaves it free", (
        _r("a", "RFC 3261 16.6 step 4",
           "free: a SIP request that came in without TLS may carry a sips: Record-Route value"),
        _r("b", "RFC 3261 16.6 step 4 (by analogy with its TLS-in, SIP-out case)",
           "a single Record-Route value of a request received without TLS and sent SIP is sip:",
           {"proxy_forward": "rr == single and not in_secure and ruri == sip and route0 != sips -> rr_out == sip"}),
    ), _all("a"), ("I-7",)),
    _item("F-6", "RFC 5630 deletes the 16.7 rewrite and puts nothing in its place", (
        _r("a", "RFC 5630 Appendix A (deletion of 3261 16.7 step 8)",
           "nothing in its place: a proxy may rewrite, double-record or do neither"),
        _r("b", "RFC 3261 16.7 step 8 (habit)",
           "proxies keep rewriting their Record-Route value on a TLS/non-TLS transition",
           {"proxy_response_rr": _REWRITE_3261}, ("R-3261-16.7-8b",)),
        _r("c", "RFC 5630 Appendix A (literal)",
           "neither: no rewrite in responses and no double Record-Route",
           {"proxy_response_rr": "rewrite == keep", "proxy_forward": "rr != double"}, ("R-3261-16.7-8b",)),
    ), _all("a"), ("I-12",)),
    _item("F-7", "A stored SIPS Path when the Request-URI is SIP", (
        _r("a", "RFC 3327; RFC 5630 5.3", "the Path-derived Route is used as stored"),
        _r("b", "RFC 5630 6.3 F13 (the flow)",
           "a SIPS Path-derived Route is turned into sip: when the Request-URI sent is SIP",
           {"proxy_forward": "(route_next == sips and ruri == sip -> route0 == sip) and "
                             "(route_next != sips or ruri != sip -> route0 == route_next)"},
           ("R-3327-a",)),
    ), _all("a"), ("I-7",)),
    _item("F-8", "Who carries RFC 5630's 'MUST use TLS to the UAS' duty", (
        _r("a", "RFC 5630 5.3",
           "the retargeting proxy, and only when it makes the last hop itself"),
        _r("b", "RFC 5630 5.3 (the proxy that knows the binding)",
           "the proxy that retargets to a SIPS-registered Contact uses TLS on its next hop, last or not",
           {"proxy_forward": "in_ruri == sip and binding == sips -> secure(transport)"}),
        _r("c", "RFC 5630 5.3 with RFC 5626 7 (the registering UA)",
           "the duty falls on registration: a SIPS Contact is registered only over TLS, so its flow is TLS",
           {"ua_register": "contact == sips -> secure(transport)"}),
        _r("d", "RFC 5630 5.3 (to the UAS means the whole way)",
           "both: the retargeting proxy uses TLS to a SIPS-registered Contact and the Contact was registered over TLS",
           {"proxy_forward": "in_ruri == sip and binding == sips -> secure(transport)",
            "ua_register": "contact == sips -> secure(transport)"}),
    ), _all("a"), ("I-8b",)),
    _item("F-9", "The permissive 26.4.4 paragraph 2 survives in RFC 5630", (
        _r("a", "RFC 3261 26.4.4",
           "a SIP location-service target for a SIPS request is a service retarget and may be a target"),
        _r("b", "RFC 5630 5.3",
           "a SIP target for a SIPS request never joins the target set (480/380)",
           {"proxy_target": "in_ruri == sips and binding == sip -> not target"}),
    ), _all("a")),
    _item("F-12", "A UAC recursing to a SIP Contact after a SIPS request", (
        _r("a", "RFC 3261 8.1.3.4 (MAY, with a notification)",
           "a UAC may follow a 3xx to a sip: Contact after a SIPS request without asking"),
        _r("b", "RFC 5630 5.1.1 (never change a SIPS URI into SIP)",
           "a UAC follows a 3xx to a sip: Contact after a SIPS request only when the user confirms",
           {"uac_retry": "ruri == sips and failure == r3xx and contact == sip and not confirmed -> action == stop"}),
    ), _all("a"), ("I-13",)),
    _item("F-19", "Strict routing hides the SIPS target", (
        _r("a", "RFC 3261 8.1.2",
           "only the Request-URI (the strict route entry) decides the first hop's transport"),
        _r("b", "RFC 3261 19.1 (intent of a SIPS target)",
           "a SIPS target sent last in Route behind a strict router still forces TLS on the first hop",
           {"uac_invite": "route_strict and route0 == sips -> secure(transport)"}),
    ), _all("a")),
    _item("F-20", "The 'legitimate reason' to upgrade is never defined", (
        _r("a", "draft-04 4; RFC 3261 26.4.4",
           "any reason the proxy has (a SIPS binding, local policy) lets it upgrade SIP to SIPS"),
        _r("b", "draft-04 4 (undefined reason, strictly read)",
           "no reason is defined, so a proxy never upgrades a SIP Request-URI to SIPS",
           {"proxy_forward": "in_ruri == sip -> ruri == sip"}),
    ), _all("a")),
    _item("F-24", "Double recording: always, or only when the hop changes", (
        _r("a", "draft-04 4.2 (literal)",
           "a proxy that Record-Routes always records two values, never rewritten in responses",
           {"proxy_forward": "(rr != none -> rr == double) and " + _DOUBLE_IN, "proxy_response_rr": "rewrite == keep"},
           ("R-04-4.2-a", "R-3261-16.7-8b")),
        _r("b", "draft-04 4.2 (its flows)",
           "two values only where the legs differ in security (as R-04-4.2-a says in draft-04)"),
    ), _all("b")),
)

AMBIGUITIES_BY_ITEM: dict[str, Ambiguity] = {a.item: a for a in AMBIGUITIES}


def reading_rule(reading: Reading) -> Rule:
    """The reading as one more rule of the table (ID ``F-8/b``), so both engines read it unchanged."""
    return Rule(reading.id, "SIPS-RULES.md section F", reading.clause, READING_KEYWORD, "(reading)",
                reading.statement, dict(reading.at), reading.supersedes)


READING_RULES: tuple[Rule, ...] = tuple(reading_rule(r) for a in AMBIGUITIES for r in a.readings if r.at)
READING_RULES_BY_ID: dict[str, Rule] = {r.id: r for r in READING_RULES}

#: Every constraint of the table, rules, readings, then narrowings (sipsmodel.rules.narrowings): what both
#: engines iterate (a narrowing is active only in a narrowed profile). Read it through
#: :func:`rules_with_literal` only.
CONSTRAINT_RULES: tuple[Rule, ...] = RULES + READING_RULES + NARROWING_RULES


def rules_with_literal() -> tuple[Rule, ...]:
    """Every rule with a literal in the encoding: table rules, readings, narrowings (SIPS-RULES.md A and F).

    The one list the simulator's table check, the SMT visits and assumptions, and decide's fix and
    conflict queries iterate, looked up at call time, so no consumer holds a copy that could drift.
    """
    return CONSTRAINT_RULES


def is_reading_id(rule_id: str) -> bool:
    """``F-8/b`` is a reading, ``R-5630-5.3-c`` a rule."""
    return rule_id.startswith("F-") and "/" in rule_id


def preset_defaults(preset: str) -> tuple[tuple[str, str], ...]:
    """A preset's default reading of every item, in table order."""
    return tuple((a.item, a.defaults[preset]) for a in AMBIGUITIES)


def parse_selection(items: Mapping[str, object] | list[str], source: str) -> dict[str, str]:
    """``{"F-8": "b"}`` (TOML) or ``["F-8=b"]`` (command line) as a checked item -> letter mapping."""
    pairs: list[tuple[str, object]] = []
    if isinstance(items, list):
        for text in items:
            item, sep, letter = text.partition("=")
            if not sep:
                raise ScenarioError(f"{source}: reading {text!r} is not ITEM=LETTER; for example --reading F-8=b")
            pairs.append((item.strip(), letter.strip()))
    else:
        pairs = list(items.items())
    chosen: dict[str, str] = {}
    for key, value in pairs:
        if not isinstance(value, str):
            raise ScenarioError(f"{source}: reading of {key} must be a letter string such as \"b\"")
        item, letter = key.upper(), value
        if item not in AMBIGUITIES_BY_ITEM:
            known = ", ".join(AMBIGUITIES_BY_ITEM)
            what = "has no alternative readings in the model" if item in F_ITEMS else "is not an F-item (F-1..F-24)"
            raise ScenarioError(f"{source}: {item} {what}; F-items with readings: {known} (docs/ambiguities.md)")
        AMBIGUITIES_BY_ITEM[item].reading(letter)
        chosen[item] = letter
    return chosen

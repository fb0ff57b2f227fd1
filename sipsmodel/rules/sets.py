"""Rule sets: named selections of the rule table (presets and user TOML files).

Presets (SIPS-RULES.md): ``rfc3261`` (RFC 3261 with RFC 3263, 3327, 3608 and 5626 as used by the
flows), ``draft-04`` (draft-audet-sip-sips-guidelines-04 on top), ``dean-bcp`` (RFC 3261 plus the
trial balloon of section B), ``rfc5630``. A rule that supersedes another removes it from the set.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from sipsmodel.errors import ScenarioError
from sipsmodel.model.expr import Expr
from sipsmodel.model.tomlfile import read_toml
from sipsmodel.rules.narrowings import NARROWING_RULES, NARROWING_RULES_BY_ID, STOCK_PROXY
from sipsmodel.rules.readings import READING_RULES_BY_ID, parse_selection, preset_defaults
from sipsmodel.rules.rule import Rule
from sipsmodel.rules.table import BCP, D04, R5630, RULES, RULES_BY_ID

SHOULD_MODES = ("binding", "optional")
PRESET_NAMES = ("rfc3261", "draft-04", "dean-bcp", "rfc5630")
_BASE_DOCUMENTS = frozenset({"RFC 3261", "RFC 3263", "RFC 3608", "RFC 3327", "RFC 5626"})


@dataclass(frozen=True)
class RuleSet:
    """A named set of rules; ``should`` says whether SHOULD-level rules bind honest elements.

    ``readings`` is the reading of every F-item with alternatives (``sipsmodel.rules.readings``);
    ``defaults`` the readings of the preset the set is built on, which its rules already embody.
    ``source`` is the file of a user set ("" for a preset); ``superseded`` lists (dropped rule, the rule
    of the set that supersedes it). ``narrowings`` are the IDs of the narrowings (``sipsmodel.rules.narrowings``)
    a narrowed profile adds on top of its rules (``within``); empty for every preset and user file.
    """

    name: str
    rule_ids: tuple[str, ...]
    should: str = "binding"
    description: str = ""
    readings: tuple[tuple[str, str], ...] = ()
    defaults: tuple[tuple[str, str], ...] = ()
    source: str = ""
    superseded: tuple[tuple[str, str], ...] = ()
    narrowings: tuple[str, ...] = ()

    @property
    def expectation_key(self) -> str | None:
        """The name property files key expectations by; None for a user file named like a preset."""
        return None if self.source and self.name in PRESET_NAMES else self.name

    @property
    def label(self) -> str:
        """The name, with the file when a user set is named like a preset (issue 14: never ambiguous)."""
        return f"{self.name} ({self.source})" if self.source and self.name in PRESET_NAMES else self.name

    @cached_property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(RULES_BY_ID[i] for i in self.rule_ids)

    @cached_property
    def selected_readings(self) -> tuple[Rule, ...]:
        """The readings that differ from the defaults, as rules (a default reading adds nothing)."""
        defaults = dict(self.defaults)
        ids = [f"{item}/{letter}" for item, letter in self.readings if defaults.get(item) != letter]
        return tuple(READING_RULES_BY_ID[i] for i in ids if i in READING_RULES_BY_ID)

    @cached_property
    def active(self) -> tuple[Rule, ...]:
        """The rules that constrain choices (SHOULD rules dropped when SHOULD is optional), then readings."""
        readings = self.selected_readings
        dropped = {s for r in readings for s in r.supersedes}
        kept = tuple(r for r in self.rules if (self.should == "binding" or not r.is_should) and r.id not in dropped)
        return kept + readings + tuple(NARROWING_RULES_BY_ID[i] for i in self.narrowings)

    def reading_ids(self) -> tuple[str, ...]:
        """Every reading of the set, e.g. ``("F-2/a", ..., "F-8/b", ...)``."""
        return tuple(f"{item}/{letter}" for item, letter in self.readings)

    def with_readings(self, chosen: dict[str, str]) -> RuleSet:
        """This set with some readings changed; the name says which readings differ from the defaults."""
        if not chosen:
            return self
        readings = tuple((item, chosen.get(item, letter)) for item, letter in self.readings)
        base = self.name.split("+", 1)[0]
        defaults = dict(self.defaults)
        marks = [f"{item}/{letter}" for item, letter in readings if defaults.get(item) != letter]
        name = "+".join([base, *marks])
        return replace(self, name=name, readings=readings)

    def constraints_at(self, choice_point: str) -> tuple[tuple[Rule, Expr], ...]:
        """The active rules' constraints at one choice point."""
        return _constraints_at(self, choice_point)

    def without(self, *rule_ids: str) -> RuleSet:
        """This set minus some rules (for cores and mutation tests)."""
        kept = tuple(i for i in self.rule_ids if i not in rule_ids)
        return replace(self, name=f"{self.name}-{'-'.join(rule_ids)}", rule_ids=kept)

    def with_should(self, mode: str) -> RuleSet:
        if mode not in SHOULD_MODES:
            raise ScenarioError(f"should must be one of {SHOULD_MODES}, not {mode!r}")
        return self if mode == self.should else replace(self, should=mode)


_CONSTRAINT_CACHE: dict[tuple[RuleSet, str], tuple[tuple[Rule, Expr], ...]] = {}


def _constraints_at(rule_set: RuleSet, choice_point: str) -> tuple[tuple[Rule, Expr], ...]:
    key = (rule_set, choice_point)
    if key not in _CONSTRAINT_CACHE:
        _CONSTRAINT_CACHE[key] = tuple(
            (r, r.constraints[choice_point]) for r in rule_set.active if choice_point in r.constraints
        )
    return _CONSTRAINT_CACHE[key]


def compose(name: str, rules: list[Rule], description: str, source: str = "") -> RuleSet:
    """Build a set from rules, dropping every rule that another rule of the set supersedes (and saying so)."""
    by = {dropped: r.id for r in rules for dropped in r.supersedes}
    ids = tuple(r.id for r in rules if r.id not in by)
    dropped = tuple((r.id, by[r.id]) for r in rules if r.id in by)
    return RuleSet(name, ids, "binding", description, source=source, superseded=dropped)


def _preset(name: str, extra_document: str | None, description: str) -> RuleSet:
    base = [r for r in RULES if r.document in _BASE_DOCUMENTS]
    extra = [r for r in RULES if r.document == extra_document] if extra_document else []
    defaults = preset_defaults(name)
    return replace(compose(name, base + extra, description), readings=defaults, defaults=defaults)


PRESETS: dict[str, RuleSet] = {
    s.name: s
    for s in (  # in the order of PRESET_NAMES
        _preset("rfc3261", None, "RFC 3261 as written (with RFC 3263, 3327, 3608, 5626)"),
        _preset("draft-04", D04, "draft-audet-sip-sips-guidelines-04 on top of RFC 3261"),
        _preset("dean-bcp", BCP, "RFC 3261 plus the four points of the sips trial balloon"),
        _preset("rfc5630", R5630, "RFC 5630 (updates RFC 3261 and RFC 3608)"),
    )
}


#: Profiles: named rule sets that are not columns of the default ``check`` table. ``sip-tls`` is "do we
#: need to deprecate sips?" (issue 8 item 6): RFC 3261 plus the trial balloon's point 1 (best-effort TLS
#: for sip:); its point 3 adds no constraint, and "no sips: anywhere" is the guard of the restated
#: properties in ``properties/sip-tls/``.
PROFILES: dict[str, RuleSet] = {
    "sip-tls": compose(
        "sip-tls", [*PRESETS["rfc3261"].rules, RULES_BY_ID["DEAN-1"]],
        "best-effort TLS for sip: (RFC 3261 plus trial balloon points 1 and 3), no sips: anywhere",
    ),
}


#: Narrowed profiles (``--within NAME``): narrowings that describe one kind of deployed element. A set
#: ``within`` one keeps all its rules, readings and SHOULD mode and gains these constraints, so what it
#: allows is a subset of what the set allows (docs/replay.md, "Narrowed counterexamples").
NARROWED: dict[str, tuple[str, tuple[str, ...]]] = {
    "stock-proxy": (STOCK_PROXY, tuple(r.id for r in NARROWING_RULES if r.document == STOCK_PROXY)),
}


def within(rule_set: RuleSet, profile: str) -> RuleSet:
    """``rule_set`` narrowed by the profile's narrowings, named ``rfc3261-within-stock-proxy`` (with
    ``-should-optional`` before ``-within`` when SHOULD is optional, so the name says both)."""
    if profile not in NARROWED:
        raise ScenarioError(f"--within {profile!r}: unknown narrowed profile; known: {', '.join(NARROWED)}")
    what, ids = NARROWED[profile]
    description = f"{rule_set.description}, narrowed to what a {what} does"
    should = "-should-optional" if rule_set.should == "optional" and "should-optional" not in rule_set.name else ""
    return replace(rule_set, name=f"{rule_set.name}{should}-within-{profile}", description=description,
                   narrowings=tuple(dict.fromkeys((*rule_set.narrowings, *ids))))


def preset(name: str) -> RuleSet:
    """A preset rule set by name."""
    try:
        return PRESETS[name]
    except KeyError:
        raise ScenarioError(f"unknown rule set {name!r}; presets: {', '.join(PRESETS)}") from None


def _string_list(data: dict[str, object], key: str, source: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ScenarioError(f"{source}: key {key!r} must be a list of rule IDs")
    unknown = [v for v in value if v not in RULES_BY_ID]
    if unknown:
        raise ScenarioError(f"{source}: key {key!r}: unknown rule IDs {unknown}; see `sipsmodel rules`")
    return list(value)


def rule_set_from_mapping(data: dict[str, object], source: str) -> RuleSet:
    """A user rule set: a preset base, rules added and removed, and the SHOULD mode."""
    known = {"name", "base", "add", "remove", "should", "description", "readings"}
    extra = sorted(set(data) - known)
    if extra:
        raise ScenarioError(f"{source}: unknown keys {extra}; expected some of {sorted(known)}")
    name, base = data.get("name"), data.get("base", "rfc3261")
    if not isinstance(name, str) or not isinstance(base, str):
        raise ScenarioError(f"{source}: 'name' and 'base' must be strings (base is one of {list(PRESETS)})")
    if base not in PRESETS:
        raise ScenarioError(f"{source}: key 'base': unknown preset {base!r}; presets: {', '.join(PRESETS)}")
    removed = set(_string_list(data, "remove", source))
    absent = sorted(removed - set(PRESETS[base].rule_ids))
    if absent:
        raise ScenarioError(f"{source}: key 'remove': {absent} not in the base set {base!r}, so there is nothing to "
                            f"remove; `sipsmodel rules --set {base}` lists its rules")
    rules = [r for r in PRESETS[base].rules if r.id not in removed]
    rules += [RULES_BY_ID[i] for i in _string_list(data, "add", source) if i not in {r.id for r in rules}]
    result = compose(name, rules, str(data.get("description", f"{base} customised")), source)
    result = replace(result, readings=PRESETS[base].readings, defaults=PRESETS[base].defaults)
    result = _with_file_readings(result, data.get("readings", {}), source)
    should = data.get("should", "binding")
    if should not in SHOULD_MODES:
        raise ScenarioError(f"{source}: key 'should': expected one of {list(SHOULD_MODES)}, found {should!r}")
    return result.with_should(str(should))


def _with_file_readings(rule_set: RuleSet, value: object, source: str) -> RuleSet:
    """The ``readings = {"F-8" = "b"}`` table of a rule-set file (the set keeps its own name)."""
    if not isinstance(value, dict):
        raise ScenarioError(f"{source}: key 'readings' must be a table such as readings = {{\"F-8\" = \"b\"}}")
    chosen = parse_selection(value, f"{source}: key 'readings'")
    readings = tuple((item, chosen.get(item, letter)) for item, letter in rule_set.readings)
    return replace(rule_set, readings=readings)


def with_reading_options(rule_set: RuleSet, options: list[str]) -> RuleSet:
    """The set with ``--reading F-8=b`` options applied (the name marks non-default readings)."""
    return rule_set.with_readings(parse_selection(options, "--reading"))


def _origin(rule_set: RuleSet) -> str:
    return rule_set.source or f"the preset {rule_set.name}"


def check_unique_names(sets: Sequence[RuleSet]) -> None:
    """Rule-set names are unique in a run: two sets of one name would overwrite each other's column."""
    first: dict[str, RuleSet] = {}
    for rule_set in sets:
        other = first.setdefault(rule_set.name, rule_set)
        if other is not rule_set:
            raise ScenarioError(f"two rule sets are named {rule_set.name!r}: {_origin(other)} and "
                                f"{_origin(rule_set)}; give one of them another 'name' (names must be unique in a run)")


def load_rule_set(name_or_path: str) -> RuleSet:
    """A preset by name, or a user rule set from a TOML file."""
    if name_or_path in PRESETS:
        return PRESETS[name_or_path]
    if name_or_path in PROFILES:
        return PROFILES[name_or_path]
    path = Path(name_or_path)
    if not path.suffix == ".toml":
        raise ScenarioError(f"unknown rule set {name_or_path!r}; presets: {', '.join(PRESETS)}; profiles: "
                            f"{', '.join(PROFILES)}; or a .toml file")
    return rule_set_from_mapping(read_toml(path, "rule set"), str(path))


def load_rule_set_spec(spec: str) -> RuleSet:
    """``NAME`` or ``NAME+F-8=b+F-12/b``: a preset or .toml file with some readings changed (the names
    ``with_readings`` gives are accepted back)."""
    name, *readings = spec.split("+")
    return with_reading_options(load_rule_set(name), [r.replace("/", "=", 1) for r in readings])

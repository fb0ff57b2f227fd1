"""Minimal unsatisfiable subsets (MUSes) of soft constraints, deterministic whatever the solver did before.

Theory of operation (DESIGN.md "One semantics, two engines": an ``unsat`` core names the rules a proof
rests on). A *subset* C of the soft IDs is checked as ``solver.check(*hard, *(soft[i] for i in C),
*(absent[i] for i not in C))``; ``absent`` is optional and says what an ID left out means (for rules:
the rule's literal is false, so a rule set is exactly C). C is a *core* when that check is ``unsat``
and *minimal* when every C minus one ID is ``sat``.

Only the answers sat / unsat / unknown decide, never z3's own unsat cores or models, so the result is
a function of the formulas alone: a shared solver that answered other queries before gives the same
cores (z3's ``unsat_core()`` depends on the solver's history; that is why it never picks the answer).
An unsat core is used only as a *certificate*: the assumptions it names are unsat with the solver's
assertions, so every later subset whose assumptions include all of them is unsat too, and that check
is skipped. Its answer is the one the solver would give, so the cores found are exactly those of the
plain algorithm; only the number of solver calls (the time) depends on the solver's history.

- :func:`first_minimal_core` is deletion in sorted ID order, done in runs (the next run of IDs is
  dropped at once when the rest stays unsat; the run doubles after a drop and halves after a refusal),
  which under monotonicity drops exactly what one-by-one deletion drops. A final pass checks each
  kept ID alone and drops any whose removal stays unsat, so every ID of the answer is necessary,
  even for non-monotone constraints (a rule that blocks a branch).
- :func:`minimal_cores` is MARCO (Liffiton et al., "Fast, flexible MUS enumeration", 2016): a fresh map
  solver over one Boolean per soft ID proposes a maximal unexplored subset; an unsat seed is shrunk
  (by :func:`first_minimal_core`'s deletion) to a MUS and its supersets are blocked; a sat seed is
  grown to a maximal satisfiable subset and its subsets are blocked. Blocking assumes monotonicity
  (adding a soft constraint never turns unsat into sat); each reported core is still checked minimal
  directly. It stops at ``limit`` cores or at an ``unknown`` answer, and then says so.
- :func:`switch_cores` extends a complete enumeration to IDs that may *weaken* (removals of a base
  rule): MARCO's blocking does not hold for them, so for each non-empty pattern P of them (in size
  order) and each maximal satisfiable subset G the enumeration found, G with P applied is checked;
  where it is unsat, MARCO over G under P gives the cores C, and C with P is reported when C alone
  (no pattern) and C with any one member of P left out are satisfiable. Every subset the first
  enumeration calls satisfiable lies within one of its G, so this misses no such core (under the
  monotonicity MARCO already assumes for the other IDs).
- The ``joint`` variants take several (solver, hard) queries and call a subset unsat when every query
  is (the sources of an inductive step check); :func:`first_core_and_all` gives both answers while
  asking each subset once (answers are facts, so they are remembered).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import z3

Term = Any


@dataclass(frozen=True)
class MusEnumeration:
    """The minimal cores found; ``complete`` is False when a limit or an unknown answer stopped the search."""

    cores: tuple[tuple[str, ...], ...]  # every minimal unsat subset of the soft IDs found; each sorted; sorted
    complete: bool
    reason: str = ""  # why incomplete (z3's reason_unknown, or the limit)
    # the maximal satisfiable subsets found (MARCO's grown seeds); not part of the answer's identity
    satisfiable: tuple[tuple[str, ...], ...] = field(default=(), compare=False)


class _Unknown(Exception):
    """A check answered unknown; carries z3's reason."""


#: One query: a solver and the hard assumptions checked with it.
Query = tuple[Term, Sequence[Term]]

#: An unsat core as a certificate: for each of its assumptions, the (ID, present) pairs that assume it
#: (``soft[ID]`` when present, ``absent[ID]`` when not).
_Certificate = tuple[frozenset[tuple[str, bool]], ...]


def _covers(certificate: _Certificate, subset: frozenset[str]) -> bool:
    """The subset's assumptions include every assumption of the certificate (so the subset is unsat)."""
    return all(any((name in subset) == present for name, present in ways) for ways in certificate)


@dataclass(frozen=True)
class _Subsets:
    """Checks of subsets of the soft IDs against one or more queries (see the module docstring).

    With several queries a subset is unsat when every query is (the sources of an inductive step).
    """

    queries: tuple[Query, ...]
    soft: Mapping[str, Term]
    absent: Mapping[str, Term]
    decided: dict[frozenset[str], bool] = field(default_factory=dict)  # answers are facts: asked once
    certificates: list[tuple[int, _Certificate]] = field(default_factory=list)  # (query number, unsat core)

    def assumed(self, subset: Sequence[str]) -> list[Term]:
        chosen = set(subset)
        return [self.soft[i] for i in sorted(chosen)] + [
            self.absent[i] for i in sorted(self.soft) if i not in chosen and i in self.absent]

    def unsat(self, subset: Sequence[str], *, strict: bool = False) -> bool:
        """True when unsat; an unknown answer is False, or raises ``_Unknown`` when ``strict``."""
        key = frozenset(subset)
        if key not in self.decided:
            assumed = self.assumed(subset)
            for number, (solver, hard) in enumerate(self.queries):
                if any(n == number and _covers(c, key) for n, c in self.certificates):
                    continue  # unsat: the assumptions include an unsat core found before
                answer = solver.check(*hard, *assumed)
                if answer == z3.unknown:
                    if strict:
                        raise _Unknown(str(solver.reason_unknown()))
                    return False
                if answer == z3.sat:
                    self.decided[key] = False
                    return False
                certificate = self._certificate(solver, hard)
                if certificate is not None:
                    self.certificates.append((number, certificate))
            self.decided[key] = True
        return self.decided[key]

    def _certificate(self, solver: Term, hard: Sequence[Term]) -> _Certificate | None:
        """The unsat core just found, as the (ID, present) ways each of its assumptions is made.

        None when the core names an assumption that is neither hard nor one of the IDs' (never expected).
        """
        ways: dict[int, set[tuple[str, bool]]] = {}
        for name, term in self.soft.items():
            ways.setdefault(term.get_id(), set()).add((name, True))
        for name, term in self.absent.items():
            ways.setdefault(term.get_id(), set()).add((name, False))
        always = {term.get_id() for term in hard}
        needed = []
        for literal in solver.unsat_core():
            if literal.get_id() in always:
                continue
            if literal.get_id() not in ways:
                return None
            needed.append(frozenset(ways[literal.get_id()]))
        return tuple(needed)

    def shrink(self, seed: Sequence[str], *, strict: bool = False) -> tuple[str, ...]:
        """A minimal core inside the unsat ``seed``: chunked deletion in sorted order, then a necessity pass."""
        kept = sorted(seed)
        position, run = 0, 1
        while position < len(kept):
            rest = kept[:position] + kept[position + run:]
            if self.unsat(rest, strict=strict):
                kept, run = rest, run * 2
            elif run > 1:
                run //= 2
            else:
                position += 1
        changed = True
        while changed:
            changed = False
            for rule_id in list(kept):
                trial = [i for i in kept if i != rule_id]
                if self.unsat(trial, strict=strict):
                    kept, changed = trial, True
        return tuple(kept)

    def grow(self, seed: Sequence[str]) -> tuple[str, ...]:
        """A maximal satisfiable subset containing the satisfiable ``seed`` (sorted order)."""
        kept = sorted(seed)
        for rule_id in sorted(self.soft):
            if rule_id not in kept and not self.unsat([*kept, rule_id], strict=True):
                kept.append(rule_id)
        return tuple(sorted(kept))


def first_minimal_core(solver: Term, hard: Sequence[Term], soft: Mapping[str, Term], *,
                       absent: Mapping[str, Term] | None = None) -> tuple[str, ...] | None:
    """The deterministic minimal core (deletion in sorted ID order), independent of the solver's history.

    None when the whole soft set is not unsat. An ID whose removal z3 cannot decide (unknown) is kept,
    so the answer is always a core, minimal whenever every check was decided.
    """
    return first_joint_core([(solver, hard)], soft, absent=absent)


def first_joint_core(queries: Sequence[Query], soft: Mapping[str, Term], *,
                     absent: Mapping[str, Term] | None = None) -> tuple[str, ...] | None:
    """:func:`first_minimal_core` where a subset counts as unsat when every query is unsat."""
    subsets = _Subsets(tuple(queries), soft, absent or {})
    everything = sorted(soft)
    if not subsets.unsat(everything):
        return None
    return subsets.shrink(everything)


def _maximal_seed(mapper: Term, names: Mapping[str, Term]) -> list[str] | None:
    """A maximal subset the map solver allows (None when every subset is explored)."""
    if mapper.check() != z3.sat:
        return None
    model = mapper.model()
    seed = [i for i in sorted(names) if z3.is_true(model.eval(names[i], model_completion=True))]
    for rule_id in sorted(names):
        if rule_id not in seed and mapper.check(*(names[i] for i in [*seed, rule_id])) == z3.sat:
            seed.append(rule_id)
    return seed


def _any_of(terms: list[Term]) -> Term:
    """The disjunction of ``terms`` (false when there are none: that part of the map is exhausted)."""
    return z3.Or(terms) if terms else z3.BoolVal(False)


def minimal_cores(solver: Term, hard: Sequence[Term], soft: Mapping[str, Term], *, limit: int = 16,
                  absent: Mapping[str, Term] | None = None) -> MusEnumeration:
    """Every minimal subset C of soft's IDs with solver.check(*hard, *(soft[i] for i in C)) unsat (MARCO).

    ``limit`` bounds the number of cores; reaching it, or an unknown answer, makes the result incomplete.
    """
    return joint_minimal_cores([(solver, hard)], soft, limit=limit, absent=absent)


def joint_minimal_cores(queries: Sequence[Query], soft: Mapping[str, Term], *, limit: int = 16,
                        absent: Mapping[str, Term] | None = None) -> MusEnumeration:
    """:func:`minimal_cores` where a subset counts as unsat when every query is unsat."""
    return _marco(_Subsets(tuple(queries), soft, absent or {}), limit)


def first_core_and_all(queries: Sequence[Query], soft: Mapping[str, Term], *, limit: int = 16,
                       absent: Mapping[str, Term] | None = None) -> tuple[tuple[str, ...] | None, MusEnumeration]:
    """:func:`first_joint_core` and :func:`joint_minimal_cores` together, asking each subset once."""
    subsets = _Subsets(tuple(queries), soft, absent or {})
    everything = sorted(soft)
    first = subsets.shrink(everything) if subsets.unsat(everything) else None
    return first, _marco(subsets, limit)


def _marco(subsets: _Subsets, limit: int) -> MusEnumeration:
    """The MARCO loop over the subsets' soft IDs (module docstring)."""
    soft = subsets.soft
    names = {i: z3.Bool(f"mus!{i}") for i in soft}
    mapper = z3.Solver()
    found: list[tuple[str, ...]] = []
    maximal: list[tuple[str, ...]] = []
    try:
        while (seed := _maximal_seed(mapper, names)) is not None:
            if subsets.unsat(seed, strict=True):
                if len(found) == limit:
                    return MusEnumeration(tuple(sorted(found)), False, f"stopped at the limit of {limit} cores",
                                          tuple(sorted(maximal)))
                core = subsets.shrink(seed, strict=True)
                found.append(core)
                mapper.add(_any_of([z3.Not(names[i]) for i in core]))
            else:
                grown = subsets.grow(seed)
                maximal.append(grown)
                mapper.add(_any_of([names[i] for i in sorted(soft) if i not in grown]))
    except _Unknown as unknown:
        return MusEnumeration(tuple(sorted(found)), False, f"z3: {unknown}", tuple(sorted(maximal)))
    return MusEnumeration(tuple(sorted(found)), True, "", tuple(sorted(maximal)))


def _patterns(ids: Sequence[str]) -> list[tuple[str, ...]]:
    """Every non-empty subset of ``ids``, smallest first, each sorted."""
    ordered = sorted(ids)
    return [p for size in range(1, len(ordered) + 1) for p in combinations(ordered, size)]


def switch_cores(queries: Sequence[Query], soft: Mapping[str, Term], absent: Mapping[str, Term],
                 switches: Mapping[str, Term], switched_off: Mapping[str, Term], first: MusEnumeration, *,
                 limit: int = 16) -> MusEnumeration:
    """The minimal cores that contain switches (module docstring), given ``first``: the complete enumeration
    of ``soft`` with every switch off. ``queries`` hold no switch assumption; a pattern sets them all."""
    if not first.complete:
        return MusEnumeration((), False, f"not searched: {first.reason}")
    if not switches:
        return MusEnumeration((), True)
    plain = _pattern_subsets(queries, (), switches, switched_off, soft, absent)
    found: set[tuple[str, ...]] = set()
    try:
        for pattern in _patterns(list(switches)):
            under = _pattern_subsets(queries, pattern, switches, switched_off, soft, absent)
            for grown in first.satisfiable:
                if not under.unsat(grown, strict=True):
                    continue
                rest = [absent[i] for i in sorted(soft) if i not in grown and i in absent]
                within = _Subsets(tuple((solver, [*hard, *rest]) for solver, hard in under.queries),
                                  {i: soft[i] for i in grown}, {i: absent[i] for i in grown if i in absent})
                for core in _marco(within, limit).cores:
                    if _needs_every_switch(core, pattern, plain, queries, switches, switched_off, soft, absent):
                        found.add(tuple(sorted((*core, *pattern))))
                if len(found) > limit:
                    return MusEnumeration(tuple(sorted(found))[:limit], False,
                                          f"stopped at the limit of {limit} cores")
    except _Unknown as unknown:
        return MusEnumeration(tuple(sorted(found)), False, f"z3: {unknown}")
    return MusEnumeration(tuple(sorted(found)), True)


def _pattern_subsets(queries: Sequence[Query], pattern: Sequence[str], switches: Mapping[str, Term],
                     switched_off: Mapping[str, Term], soft: Mapping[str, Term],
                     absent: Mapping[str, Term]) -> _Subsets:
    """Subset checks of ``soft`` with exactly the switches of ``pattern`` on (the others off)."""
    on = [switches[i] for i in sorted(pattern)] + [switched_off[i] for i in sorted(switches) if i not in pattern]
    return _Subsets(tuple((solver, [*hard, *on]) for solver, hard in queries), soft, absent)


def _needs_every_switch(core: Sequence[str], pattern: Sequence[str], plain: _Subsets, queries: Sequence[Query],
                        switches: Mapping[str, Term], switched_off: Mapping[str, Term], soft: Mapping[str, Term],
                        absent: Mapping[str, Term]) -> bool:
    """The core alone (no switch) is satisfiable, and so is it with any one switch of the pattern left out."""
    if plain.unsat(core, strict=True):
        return False
    for left_out in pattern:
        rest = [i for i in pattern if i != left_out]
        if _pattern_subsets(queries, rest, switches, switched_off, soft, absent).unsat(core, strict=True):
            return False
    return True

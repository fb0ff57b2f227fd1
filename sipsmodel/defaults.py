"""The defaults every command, report and engine shares, in one place (issue 11, item 4).

Nothing here imports anything: the CLI's options, ``report.check`` and ``decide`` planning (which must
not load z3) and the solver modules of ``smt`` all read these names, so a default is changed here only.
"""

from __future__ import annotations

#: Bound k of the bounded proofs (elements on a path; docs/semantics.md, the bounded family).
DEFAULT_BOUND = 3

#: Wall-clock seconds each solver check may take before the cell answers unknown.
DEFAULT_TIMEOUT = 20.0

#: Deterministic resource limit per solver check (z3 ``rlimit`` units); generous for the default bound.
RLIMIT = 60_000_000

#: Solver seed (and Hypothesis seed for ``explore``): runs are reproducible.
DEFAULT_SEED = 0

#: Most minimal sets (cores) ``decide`` enumerates per property.
DEFAULT_CORE_LIMIT = 16

#: ``explore``: most scenarios per cell, seconds for the whole run, largest topology.
DEFAULT_EXAMPLES = 1000
DEFAULT_BUDGET = 60.0
DEFAULT_MAX_ELEMENTS = 12

#: Seconds a replay against a real server waits for each expected message.
REPLAY_TIMEOUT = 3.0

#: Registration lifetime when neither an ``expires`` parameter nor an Expires header gives one
#: (RFC 3261 section 10.2.1.1: the registrar's default, commonly 3600 s).
DEFAULT_EXPIRES = 3600

"""Every subcommand as a new user first meets it: ``--help``, no arguments, a typical call; the slowest.

Run: ``python benchmarks/bench_cli.py [--limit 120] [--quick]``. Each call is a fresh process (the
console entry point, as a user runs it) under a time limit; the script prints one line per call
(wall-clock seconds, CPU seconds of the process and its children, exit code, and TRACEBACK or TIMEOUT
when it went wrong), then the slowest calls. CPU seconds vary less than wall-clock ones on a machine
shared with other jobs. It exits 1 when any call printed a Python traceback or ran out of time, so it
doubles as a smoke test.

Subcommands are read from ``sipsmodel.cli.cli``, so a new subcommand is covered without editing this
file. ``--quick`` skips the calls that run a whole default job (``check``, ``explore``: about 20 s and
60 s) and keeps only those that answer at once. Issue 13, item 4.
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import click

from sipsmodel.cli import cli

ROOT = Path(__file__).resolve().parent.parent
URI = b"sips:alice@atlanta.com;transport=tcp\n"
#: Typical first calls beyond --help and no arguments: (argv, stdin).
TYPICAL: tuple[tuple[tuple[str, ...], bytes], ...] = (
    (("--version",), b""),
    (("parse", "--uri", "-"), URI),
    (("simulate", "scenarios/draft-04-9.1.toml"), b""),
    (("rules", "--set", "rfc5630"), b""),
    (("check", "--jobs", "2"), b""),
)
#: Subcommands whose calls (but --help) run a whole default job; skipped by --quick.
LONG = {"check", "explore"}


@dataclass(frozen=True)
class Call:
    """One timed call: what was run, how long it took, its exit code and what went wrong (if anything)."""

    argv: tuple[str, ...]
    seconds: float
    cpu: float
    code: int | None
    problem: str

    def line(self) -> str:
        """``  12.34 s   11.90 s cpu  exit 0   sipsmodel check``."""
        code = "-" if self.code is None else str(self.code)
        flag = f"  {self.problem}" if self.problem else ""
        return f"{self.seconds:8.2f} s {self.cpu:8.2f} s cpu  exit {code:<3} sipsmodel {' '.join(self.argv)}{flag}"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(argv: tuple[str, ...], stdin: bytes, limit: float) -> Call:
    """Run ``sipsmodel argv`` (in the checkout, in its own process group); kill the group after ``limit``."""
    command = [sys.executable, "-m", "sipsmodel", *argv]
    start, cpu = time.perf_counter(), _children_cpu()
    proc = subprocess.Popen(
        command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        _out, err = proc.communicate(stdin, timeout=limit)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        spent = _children_cpu() - cpu
        return Call(argv, time.perf_counter() - start, spent, None, f"TIMEOUT (limit {limit:g} s)")
    seconds, spent = time.perf_counter() - start, _children_cpu() - cpu
    problem = "TRACEBACK" if b"Traceback (most recent call last)" in err else ""
    return Call(argv, seconds, spent, proc.returncode, problem)


def needs_arguments(command: click.Command) -> bool:
    """True when the subcommand has a required argument or option (no arguments is then a usage error)."""
    return any(param.required for param in command.params)


def plan(quick: bool) -> list[tuple[tuple[str, ...], bytes]]:
    """``--help`` of the tool and of each subcommand, each subcommand with no arguments, the typical calls."""
    calls: list[tuple[tuple[str, ...], bytes]] = [(("--help",), b"")]
    for name in sorted(cli.commands):
        calls += [((name, "--help"), b""), ((name,), b"")]
    calls += TYPICAL
    return [(argv, stdin) for argv, stdin in calls if not (quick and argv[0] in LONG and "--help" not in argv)]


def main() -> int:
    """Run the plan, print each call and the slowest; 1 when a call printed a traceback or timed out."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=float, default=120.0, help="seconds allowed per call (default 120)")
    parser.add_argument("--quick", action="store_true", help="skip the whole default jobs (check, explore)")
    parser.add_argument("--slowest", type=int, default=5, help="how many of the slowest calls to repeat")
    args = parser.parse_args()
    calls = []
    for argv, stdin in plan(args.quick):
        call = run(argv, stdin, args.limit)
        print(call.line(), flush=True)
        calls.append(call)
    print(f"\nslowest {args.slowest} of {len(calls)} calls:")
    for call in sorted(calls, key=lambda c: c.seconds, reverse=True)[: args.slowest]:
        print(call.line())
    helps = [c for c in calls if "--help" in c.argv]
    print(f"--help: slowest {max(c.seconds for c in helps):.2f} s over {len(helps)} calls")
    usage = [c.argv[0] for c in calls if len(c.argv) == 1 and c.argv[0] in cli.commands and c.code == 2]
    needed = sorted(n for n, c in cli.commands.items() if needs_arguments(c))
    print(f"no arguments is a usage error (exit 2) for: {', '.join(sorted(usage)) or 'none'}; "
          f"these need arguments: {', '.join(needed) or 'none'}")  # fmt: skip
    bad = [c for c in calls if c.problem]
    for call in bad:
        print(f"FAILED: {call.line()}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

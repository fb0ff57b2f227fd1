"""Throughput of the syntax layer against hand-written regular-expression splitters (the ceiling).

Run: ``python benchmarks/bench_parse.py [--n 20000] [--seed 1]``. Prints, for one generated corpus:
URIs/s, header values/s and messages/s for sipsmodel and for a regex splitter of the same
language, their ratio (target >= 0.10), and CLI start-up times over a bare ``python -c pass``.

Two figures per line: *cold* (every text distinct, parse caches cleared before the run) and
*warm* (the realistic case of repeated values: each text of the corpus occurs 5 times, so the
functools caches on URI and header text are hit).
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from sipsmodel.syntax import _parse_uri_cached as uri_cache
from sipsmodel.syntax import parse_header, parse_message, parse_uri
from sipsmodel.syntax.headers import parse_value as value_cache

# --- the regex ceiling ------------------------------------------------------------------------

URI_RE = re.compile(
    r"(?i:(sips?)):(?:([^:@;?]+)(?::([^@;?]*))?@)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.\-]+)(?::(\d+))?"
    r"((?:;[^;?]+)*)(?:\?(.*))?\Z"
)
ADDR_RE = re.compile(r'\s*(?:("[^"]*"|[^<"]*?)\s*<([^>]*)>|([^;,\s]+))((?:\s*;[^;,]+)*)\s*(?:,|\Z)')
VIA_RE = re.compile(
    r"\s*([^/\s]+)\s*/\s*([^/\s]+)\s*/\s*(\S+)\s+([^;,\s:]+|\[[^\]]+\])(?:\s*:\s*(\d+))?((?:\s*;[^;,]+)*)\s*(?:,|\Z)"
)


def regex_uri(text: str) -> tuple[Any, ...]:
    """Split a SIP URI into scheme, user, password, host, port, params, headers."""
    m = URI_RE.match(text)
    if m is None:
        scheme, _, rest = text.partition(":")
        return (scheme.lower(), rest)
    params = [p.partition("=") for p in m.group(6).split(";")[1:]]
    headers = [h.partition("=") for h in m.group(7).split("&")] if m.group(7) else []
    port = int(m.group(5)) if m.group(5) else None
    return (m.group(1).lower(), m.group(2), m.group(3), m.group(4), port, params, headers)


def regex_addr_list(text: str) -> list[tuple[Any, ...]]:
    """Split a comma list of name-addr / addr-spec with parameters."""
    out = []
    for m in ADDR_RE.finditer(text):
        if m.end() == m.start():
            break
        uri = m.group(2) if m.group(2) is not None else m.group(3)
        params = [p.strip().partition("=") for p in m.group(4).split(";")[1:]]
        out.append((m.group(1), regex_uri(uri), params))
    return out


def regex_via_list(text: str) -> list[tuple[Any, ...]]:
    """Split a Via value into via-parms."""
    out = []
    for m in VIA_RE.finditer(text):
        if m.end() == m.start():
            break
        params = [p.strip().partition("=") for p in m.group(6).split(";")[1:]]
        out.append((m.group(3).upper(), m.group(4), m.group(5), params))
    return out


NEEDED = {"via": "v", "route": "", "record-route": "", "path": "", "contact": "m", "to": "t", "from": "f"}
COMPACT = {"v": "via", "m": "contact", "t": "to", "f": "from"}


def regex_message(data: bytes) -> dict[str, Any]:
    """Extract Request-URI, Via, Route, Record-Route, Path, Contact, To, From from a message."""
    head, _, _body = data.partition(b"\r\n\r\n")
    text = re.sub(r"\r\n[ \t]+", " ", head.decode("utf-8"))
    lines = text.split("\r\n")
    first = lines[0].split(" ")
    fields: dict[str, Any] = {"ruri": regex_uri(first[1]) if not first[0].startswith("SIP/") else None}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        key = name.strip().lower()
        key = COMPACT.get(key, key)
        if key == "via":
            fields.setdefault(key, []).extend(regex_via_list(value))
        elif key in NEEDED:
            fields.setdefault(key, []).extend(regex_addr_list(value))
    return fields


# --- corpus -----------------------------------------------------------------------------------


def make_uri(rng: random.Random, i: int) -> str:
    """A distinct, valid SIP or SIPS URI."""
    scheme = rng.choice(["sip", "sips"])
    user = rng.choice(["", f"user{i}@", f"+1212555{i:04d}@", f"alice{i}:secret@"])
    host = rng.choice([f"host{i}.example.com", f"192.0.{i % 256}.{i // 256 % 256}", f"[2001:db8::{i % 65536:x}]"])
    port = rng.choice(["", ":5060", ":5061"])
    params = rng.choice(["", ";lr", ";transport=tcp", ";transport=tcp;lr", ";user=phone;ttl=16", ";ob;gr"])
    headers = rng.choice([""] * 5 + [f"?subject=call%20{i}&priority=urgent"])
    return f"{scheme}:{user}{host}{port}{params}{headers}"


def make_route_value(rng: random.Random, i: int) -> str:
    """A Route/Contact-style comma list of name-addrs."""
    items = [
        f"<{make_uri(rng, i * 7 + k)}>" + rng.choice(["", ";expires=3600", ";q=0.5"]) for k in range(rng.randint(1, 3))
    ]
    return ", ".join(items)


def make_via_value(rng: random.Random, i: int) -> str:
    """A Via value with one or two via-parms."""
    parts = []
    for k in range(rng.randint(1, 2)):
        transport = rng.choice(["UDP", "TCP", "TLS", "TLS-SCTP", "WSS"])
        parts.append(f"SIP/2.0/{transport} h{i}-{k}.example.com:5061;branch=z9hG4bK{i}x{k};rport")
    return ", ".join(parts)


def make_message(rng: random.Random, i: int) -> bytes:
    """A request with the headers the model needs and a few others."""
    ruri = make_uri(rng, i).split("?")[0]
    lines = [
        f"INVITE {ruri} SIP/2.0",
        f"Via: {make_via_value(rng, i)}",
        "Max-Forwards: 70",
        f"Route: <sips:p{i}.example.net;lr>",
        f"Record-Route: <sips:r{i}.example.com;lr>, <sips:q{i}.example.net;lr>",
        f"To: Bob <sips:bob{i}@biloxi.com>",
        f"From: Alice <sips:alice{i}@atlanta.com>;tag={i}abc",
        f"Call-ID: {i}a84b4c76e66710@pc33.atlanta.com",
        "CSeq: 314159 INVITE",
        f"Contact: <sips:alice{i}@pc33.atlanta.com>",
        "User-Agent: bench/1.0",
        "Allow: INVITE, ACK, CANCEL, BYE",
        "Content-Type: application/sdp",
        "Content-Length: 4",
        "",
        "v=0\n",
    ]
    return "\r\n".join(lines).encode("utf-8")


# --- measuring --------------------------------------------------------------------------------


def rate(
    func: Callable[[Any], Any], corpus: Sequence[Any], clear: Callable[[], None] | None = None, runs: int = 3
) -> float:
    """Items per second for ``func`` over ``corpus`` (best of ``runs`` runs)."""
    best = float("inf")
    for _ in range(runs):
        if clear is not None:
            clear()
        start = time.perf_counter()
        for item in corpus:
            func(item)
        best = min(best, time.perf_counter() - start)
    return len(corpus) / best


def clear_caches() -> None:
    """Empty the parse caches (for cold figures)."""
    uri_cache.cache_clear()
    value_cache.cache_clear()


def report(label: str, ours: Callable[[Any], Any], regex: Callable[[Any], Any], corpus: list[Any]) -> None:
    """Print cold and warm rates of ``ours`` against ``regex`` on ``corpus``."""
    ceiling = cold = 0.0
    for _ in range(3):  # best of 3 each, interleaved: a load change on a shared machine hits both sides
        ceiling = max(ceiling, rate(regex, corpus, runs=1))
        cold = max(cold, rate(ours, corpus, clear_caches, runs=1))
    warm_corpus = corpus * 5
    random.Random(7).shuffle(warm_corpus)
    warm = rate(ours, warm_corpus, clear_caches)
    print(
        f"{label:<16} regex {ceiling:>10,.0f}/s | sipsmodel cold {cold:>9,.0f}/s ({cold / ceiling:.3f}) "
        f"| warm {warm:>9,.0f}/s ({warm / ceiling:.3f})"
    )


def startup(args: list[str], runs: int = 7) -> float:
    """Median wall time in ms of running ``args``."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, check=False, capture_output=True, input=b"sips:alice@atlanta.com\n")
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    """Generate the corpus, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=20000, help="corpus size per kind")
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    rng = random.Random(options.seed)
    uris = [make_uri(rng, i) for i in range(options.n)]
    routes = [make_route_value(rng, i) for i in range(options.n)]
    vias = [make_via_value(rng, i) for i in range(options.n)]
    messages = [make_message(rng, i) for i in range(options.n // 4)]
    print(f"corpus: {len(uris)} URIs, {len(routes)} Route lists, {len(vias)} Via values, {len(messages)} messages")
    report("URIs", parse_uri, regex_uri, uris)
    report("Route/Contact", lambda v: parse_header("Route", v), regex_addr_list, routes)
    report("Via", lambda v: parse_header("Via", v), regex_via_list, vias)
    report("messages", parse_message, regex_message, messages)
    base = startup([sys.executable, "-c", "pass"])
    version = startup([sys.executable, "-m", "sipsmodel", "--version"])
    parse = startup([sys.executable, "-m", "sipsmodel", "parse", "--uri", "-"])
    print(f"start-up: python -c pass {base:.0f} ms | sipsmodel --version +{version - base:.0f} ms "
          f"| sipsmodel parse --uri +{parse - base:.0f} ms (target <= 80 ms over bare python)")  # fmt: skip


if __name__ == "__main__":
    main()

"""Throughput and memory of ``sipsmodel trace`` on a generated Kamailio sipdump file.

Run: ``python benchmarks/bench_trace.py [--messages 100000] [--small 50000]``. Writes a sipdump text
file of calls through one registrar-proxy (each call: INVITE, 100, INVITE, 200, 200, ACK, ACK, BYE,
BYE, 200, 200 as the proxy logs them; one call in ten is a sips request downgraded to a UDP sip
Contact, the rest all TLS; a REGISTER refresh every 50 calls), then checks it end to end (read, parse,
records, every property) in a fresh process, and prints messages per second (goal: >= 5,000) by the
wall clock and by the process's CPU time (the figure that does not depend on what else the machine
runs), and the peak resident memory. Then it runs both files again under tracemalloc and splits the heap left at the
end into the parser's caches (bounded by their lru_cache sizes), the findings (one per violation: they
grow with the number of violations, by design) and everything else, whose ratio between the two files
shows whether memory grows with the file (it should stay near 1: only open calls and live bindings are
kept while reading).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

PROXY_TLS, PROXY_UDP = ("10.0.0.2", 5061), ("10.0.0.2", 5060)
ALICE, BOB_TLS, BOB_UDP = ("10.0.0.1", 40000), ("10.0.0.3", 5071), ("10.0.0.4", 5070)


def _record(data: str, src: tuple[str, int], dst: tuple[str, int], proto: str, when: float) -> str:
    return (f"====================\ntag: rcv\npid: 1\nprocess: 1\ntime: {when:.6f}\ndate: -\nproto: {proto} ipv4\n"
            f"srcip: {src[0]}\nsrcport: {src[1]}\ndstip: {dst[0]}\ndstport: {dst[1]}\n~~~~~~~~~~~~~~~~~~~~\n"
            f"{data}||||||||||||||||||||\n")


def _message(*lines: str) -> str:
    return "\r\n".join([*lines, "Content-Length: 0", "", ""])


def register(n: int, bob: tuple[str, int], scheme: str, proto: str) -> list[tuple[str, tuple, tuple, str]]:
    aor = f"{scheme}:bob{n % 2}@example.test"
    head = (f"To: <{aor}>", f"From: <{aor}>;tag=r{n}", f"Call-ID: reg-{n}", "CSeq: 1 REGISTER",
            f"Contact: <{scheme}:bob{n % 2}@{bob[0]}:{bob[1]}>")
    via = f"Via: SIP/2.0/{proto.upper()} {bob[0]}:{bob[1]};branch=z9hG4bKr{n}"
    return [(_message(f"REGISTER {scheme}:example.test SIP/2.0", via, "Max-Forwards: 70", *head, "Expires: 3600"),
             bob, PROXY_TLS if proto == "tls" else PROXY_UDP, proto),
            (_message("SIP/2.0 200 OK", via, *head), PROXY_TLS if proto == "tls" else PROXY_UDP, bob, proto)]


def call(n: int) -> list[tuple[str, tuple, tuple, str]]:
    """The eleven messages of one call as the proxy sees them."""
    downgrade = n % 10 == 0
    bob, proto = (BOB_UDP, "udp") if downgrade else (BOB_TLS, "tls")
    user = f"bob{n % 2}"
    contact = f"sip:{user}@{bob[0]}:{bob[1]}" if downgrade else f"sips:{user}@{bob[0]}:{bob[1]}"
    out_proxy = PROXY_UDP if downgrade else PROXY_TLS
    rr = "Record-Route: <sips:10.0.0.2:5061;lr>"
    via_a = f"Via: SIP/2.0/TLS {ALICE[0]}:{ALICE[1]};branch=z9hG4bKa{n}"
    via_p = f"Via: SIP/2.0/{proto.upper()} {out_proxy[0]}:{out_proxy[1]};branch=z9hG4bKp{n}"
    dialog = (f"From: <sips:alice@example.test>;tag=a{n}", f"Call-ID: call-{n}@example.test")
    to, to_tag = f"To: <sips:{user}@example.test>", f"To: <sips:{user}@example.test>;tag=b{n}"
    alice_contact = "Contact: <sips:alice@10.0.0.1:40000>"
    invite = ("Max-Forwards: 70", to, *dialog, "CSeq: 1 INVITE", alice_contact)
    ok = (to_tag, *dialog, "CSeq: 1 INVITE", f"Contact: <{contact}>")
    via_a2, via_p2 = via_a.replace(f"a{n}", f"a{n}x"), via_p.replace(f"p{n}", f"p{n}x")
    via_a3, via_p3 = via_a.replace(f"a{n}", f"a{n}y"), via_p.replace(f"p{n}", f"p{n}y")
    ack = (to_tag, *dialog, "CSeq: 1 ACK")
    bye = (to_tag, *dialog, "CSeq: 2 BYE")
    return [
        (_message("INVITE sips:" + user + "@example.test SIP/2.0", via_a, *invite), ALICE, PROXY_TLS, "tls"),
        (_message("SIP/2.0 100 Trying", via_a, to, *dialog, "CSeq: 1 INVITE"), PROXY_TLS, ALICE, "tls"),
        (_message(f"INVITE {contact} SIP/2.0", rr, via_p, via_a, *invite), out_proxy, bob, proto),
        (_message("SIP/2.0 200 OK", rr, via_p, via_a, *ok), bob, out_proxy, proto),
        (_message("SIP/2.0 200 OK", rr, via_a, *ok), PROXY_TLS, ALICE, "tls"),
        (_message(f"ACK {contact} SIP/2.0", via_a2, "Route: <sips:10.0.0.2:5061;lr>", *ack), ALICE, PROXY_TLS, "tls"),
        (_message(f"ACK {contact} SIP/2.0", via_p2, via_a2, *ack), out_proxy, bob, proto),
        (_message(f"BYE {contact} SIP/2.0", via_a3, "Route: <sips:10.0.0.2:5061;lr>", *bye), ALICE, PROXY_TLS, "tls"),
        (_message(f"BYE {contact} SIP/2.0", via_p3, via_a3, *bye), out_proxy, bob, proto),
        (_message("SIP/2.0 200 OK", via_p3, via_a3, *bye), bob, out_proxy, proto),
        (_message("SIP/2.0 200 OK", via_a3, *bye), PROXY_TLS, ALICE, "tls"),
    ]  # fmt: skip


def messages(total: int) -> Iterator[tuple[str, tuple, tuple, str]]:
    count, n = 0, 0
    while count < total:
        batch = register(n, BOB_TLS, "sips", "tls") + register(n, BOB_UDP, "sip", "udp") if n % 50 == 0 else []
        for item in [*batch, *call(n)]:
            if count < total:
                yield item
                count += 1
        n += 1


def write_sipdump(path: Path, total: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        for number, (data, src, dst, proto) in enumerate(messages(total)):
            out.write(_record(data, src, dst, proto, 1700000000.0 + number * 0.001))


CHILD = """
import gc, json, resource, sys, time, tracemalloc
from pathlib import Path
from sipsmodel.props import load_properties
from sipsmodel.syntax import _parse_uri_cached
from sipsmodel.syntax.headers import parse_value
from sipsmodel.syntax.host import host_kind
from sipsmodel.trace import TraceOptions, run_trace
props = load_properties()
memory = sys.argv[2] == "memory"
if memory:
    tracemalloc.start()
start, cpu = time.perf_counter(), time.process_time()
report = run_trace(TraceOptions([Path(sys.argv[1])], props, ladders=False))
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
figures = {"messages": report.messages, "seconds": seconds, "cpu": cpu, "violations": len(report.violations),
           "problems": len(report.problems), "rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}
if memory:
    gc.collect()
    held, figures["peak"] = tracemalloc.get_traced_memory()
    for cache in (_parse_uri_cached, parse_value, host_kind):
        cache.cache_clear()
    gc.collect()
    after_caches = tracemalloc.get_traced_memory()[0]
    del report
    gc.collect()
    rest = tracemalloc.get_traced_memory()[0]
    figures.update({"caches": held - after_caches, "findings": after_caches - rest, "rest": rest})
print(json.dumps(figures))
"""


def measure(total: int, folder: Path, mode: str) -> dict[str, float]:
    path = folder / f"sipdump-{total}.data"
    if not path.exists():
        write_sipdump(path, total)
    done = subprocess.run([sys.executable, "-c", CHILD, str(path), mode], capture_output=True, text=True,
                          check=True)
    figures: dict[str, float] = json.loads(done.stdout)
    figures["megabytes"] = path.stat().st_size / 1e6
    return figures


def _mib(value: float) -> str:
    return f"{value / 2**20:.1f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        sizes = (args.small, args.messages)
        speed = [measure(n, Path(folder), "speed") for n in sizes]
        memory = [measure(n, Path(folder), "memory") for n in sizes]
    for total, f in zip(sizes, speed, strict=True):
        rate, cpu_rate = f["messages"] / f["seconds"], f["messages"] / f["cpu"]
        print(f"{total:>7} messages ({f['megabytes']:.1f} MB sipdump): {f['seconds']:.1f} s wall, {rate:,.0f} "
              f"messages/s; {f['cpu']:.1f} s CPU, {cpu_rate:,.0f} messages/s of CPU (goal >= 5,000); "
              f"peak RSS {f['rss_kib'] / 1024:.0f} MiB; {f['violations']:.0f} violations, {f['problems']:.0f} "
              "unreadable records")
    for total, f in zip(sizes, memory, strict=True):
        print(f"{total:>7} messages, Python heap (tracemalloc): peak {_mib(f['peak'])} while reading; at the end "
              f"{_mib(f['caches'])} in the parser's bounded caches (lru_cache maxsize), {_mib(f['findings'])} in "
              f"the {f['violations']:.0f} findings, {_mib(f['rest'])} everything else")
    small, large = memory
    print(f"{args.messages} / {args.small} messages: peak heap {large['peak'] / small['peak']:.2f}x, heap left "
          f"without caches and findings {large['rest'] / small['rest']:.2f}x, file "
          f"{large['megabytes'] / small['megabytes']:.1f}x")


if __name__ == "__main__":
    main()

"""Readers, records and the trace command on small hand-made traces (trace_samples.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import trace_samples as s
from click.testing import CliRunner

from sipsmodel.cli import cli
from sipsmodel.errors import ScenarioError
from sipsmodel.model.trace import check_observation
from sipsmodel.props import load_properties
from sipsmodel.trace import Elements, Endpoint, TraceOptions, load_element_map, run_trace
from sipsmodel.trace.builder import Builder
from sipsmodel.trace.inputs import parse
from sipsmodel.trace.logs import read_plain, read_sipp
from sipsmodel.trace.pcap import PcapReader
from sipsmodel.trace.sipdump import read_sipdump


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def run_json(*args: str) -> tuple[int, dict[str, object]]:
    result = CliRunner().invoke(cli, ["trace", "--format", "json", *args])
    return result.exit_code, json.loads(result.output)


def properties_of(report: dict[str, object]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for v in report["violations"]:  # type: ignore[attr-defined]
        found.setdefault(v["property"], []).append(v["record"])
    return found


def test_sipdump_downgrade_is_found_at_its_record(tmp_path: Path) -> None:
    code, report = run_json(str(write(tmp_path, "k.data", s.sipdump())))
    assert code == 1
    assert set(report) == {"tool", "inputs", "records", "violations", "undecided", "leniencies"}
    assert report["records"] == 6
    found = properties_of(report)
    assert found["I-1"] == found["I-2"] == [s.DOWNGRADE_RECORD]
    first = report["violations"][0]  # type: ignore[index]
    assert set(first) == {"property", "rules", "record", "frame", "element", "transmission"}
    assert first["frame"] is None  # a text format has records, not frames
    assert {u["property"] for u in report["undecided"]} >= {"I-13", "I-14"}  # type: ignore[attr-defined]


def test_observation_follows_the_record_schemas(tmp_path: Path) -> None:
    builder = Builder(Elements())
    with write(tmp_path, "k.data", s.sipdump()).open("rb") as stream:
        frames = list(read_sipdump(stream, "k.data"))
    closed = [o for f in frames for o in builder.add(f, parse(f)[0])] + list(builder.finish())  # type: ignore[arg-type]
    call = next(o for o in closed if o.observation["forwards"])
    check_observation(call.observation)
    (forward,) = call.observation["forwards"]
    assert (forward["in_ruri"], forward["out_ruri"], forward["in_secure"], forward["out_secure"]) == (
        "sips", "sip", True, False)
    assert forward["binding"] == "sip"  # retargeted to bob's registered Contact
    hops = call.observation["hops"]
    assert [h["transport"] for h in hops] == ["TLS", "UDP", "UDP", "TLS"]  # from the capture, never from Via
    assert [h["origin"] for h in hops] == ["sips"] * 4
    assert [h["sender"] for h in hops] == ["ua", "proxy", "ua", "proxy"]
    roles = {(d["role"], d["secure"]) for d in call.observation["dialogs"]}
    assert roles == {("uac", True), ("uas", False)}
    assert builder.elements.name(Endpoint(*s.P_TLS)) == builder.elements.name(Endpoint(*s.P_UDP))


def test_damaged_sipdump_records_are_reported_and_the_rest_is_read(tmp_path: Path) -> None:
    garbage = s.sipdump_record(b"\x00\xff not SIP at all\r\n\r\n", s.A, s.P_TLS, "tls")
    bad_meta = (b"====================\ntag: rcv\nproto: carrier-pigeon ipv4\n~~~~~~~~~~~~~~~~~~~~\n"
                b"x||||||||||||||||||||\n")
    data = s.sipdump(s.CALL[:3]) + garbage + bad_meta + s.sipdump(s.CALL[3:])
    code, report = run_json(str(write(tmp_path, "k.data", data)))
    assert code == 1
    assert report["records"] == 8
    problems = report["inputs"][0]["problems"]  # type: ignore[index]
    assert [p["record"] for p in problems] == [4, 5]
    assert "not a SIP message" in problems[0]["why"] and "sipdump metadata without srcip" in problems[1]["why"]
    assert properties_of(report)["I-2"] == [6]  # the downgrade is still found, two records later


def test_truncated_sipdump_says_where_it_stopped(tmp_path: Path) -> None:
    data = s.sipdump()
    code, report = run_json(str(write(tmp_path, "k.data", data[: len(data) - 40])))
    stopped = report["inputs"][0]["stopped"]  # type: ignore[index]
    assert stopped is not None and "record 6" in stopped and "ends inside" in stopped
    assert code == 1  # the downgrade at record 4 was read before the damage


def test_clean_trace_exits_0_and_unreadable_file_exits_2(tmp_path: Path) -> None:
    clean = tuple(r for r in s.CALL if r[0] in (s.REGISTER, s.REGISTER_OK))
    code, report = run_json(str(write(tmp_path, "clean.data", s.sipdump(clean))))
    assert (code, report["violations"]) == (0, [])
    result = CliRunner().invoke(cli, ["trace", str(write(tmp_path, "x.bin", b"\x89PNG\r\n\x1a\n..."))])
    assert result.exit_code == 2
    assert "not a trace sipsmodel reads" in result.output
    assert "Traceback" not in result.output


def udp_call_packets() -> list[bytes]:
    return [s.udp_packet(m, src, dst) for m, src, dst, _ in s.CALL]


@pytest.mark.parametrize("ng", [False, True])
def test_pcap_udp_gives_the_same_findings_as_sipdump(tmp_path: Path, ng: bool) -> None:
    code, report = run_json(str(write(tmp_path, "c.pcap", s.pcap(udp_call_packets(), ng))))
    assert code == 1
    assert report["inputs"][0]["format"] == "pcap"  # type: ignore[index]
    # every hop was captured as UDP here (the capture says so), so the alice hops are not secure either
    assert properties_of(report)["I-1b"] == [3]


def test_sipdump_pcap_transport_comes_from_its_header(tmp_path: Path) -> None:
    packets = []
    for message, src, dst, proto in s.CALL:
        start, rest = message.split(b"\r\n", 1)
        packets.append(s.udp_packet(start + f"\r\nP-KSR-SIPDump: {proto} pid=7 pno=1\r\n".encode() + rest, src, dst))
    _, from_pcap = run_json(str(write(tmp_path, "k.pcap", s.pcap(packets))))
    _, from_text = run_json(str(write(tmp_path, "k.data", s.sipdump())))
    strip = [{k: v for k, v in x.items() if k not in ("frame", "transmission")} for x in from_pcap["violations"]]
    assert strip == [{k: v for k, v in x.items() if k not in ("frame", "transmission")}
                     for x in from_text["violations"]]  # type: ignore[attr-defined]
    lines = from_pcap["violations"][0]["transmission"]["lines"]  # type: ignore[index]
    assert not any(line.startswith("P-KSR-SIPDump") for line in lines)


def test_tcp_stream_is_reassembled_and_framed_by_content_length(tmp_path: Path) -> None:
    stream = s.INVITE_IN + s.INVITE_IN.replace(b"CSeq: 1 INVITE", b"CSeq: 2 INVITE")
    cut1, cut2 = 100, len(s.INVITE_IN) + 7
    segments = [(stream[:cut1], 1001), (stream[cut2:], 1001 + cut2), (stream[cut1:cut2], 1001 + cut1)]
    packets = [s.tcp_packet(b"", s.A, s.P_TLS, 1000, flags=0x02)]
    packets += [s.tcp_packet(data, s.A, s.P_TLS, seq) for data, seq in segments]  # out of order
    reader = PcapReader("t.pcap")
    with write(tmp_path, "t.pcap", s.pcap(packets)).open("rb") as f:
        frames = list(reader.read(f))
    assert [f.data for f in frames] == [s.INVITE_IN, stream[len(s.INVITE_IN):]]  # type: ignore[union-attr]
    assert [f.transport for f in frames] == ["TCP", "TCP"]  # type: ignore[union-attr]
    assert [f.frame for f in frames] == [4, 4]  # type: ignore[union-attr]


def test_truncated_pcap_is_read_up_to_the_damage(tmp_path: Path) -> None:
    data = s.pcap(udp_call_packets())
    code, report = run_json(str(write(tmp_path, "c.pcap", data[:-30])))
    info = report["inputs"][0]  # type: ignore[index]
    assert info["stopped"] is not None and "frame 6" in info["stopped"]
    assert report["records"] == 5
    assert code == 1  # what was read before the damage is still checked


def test_tls_without_a_key_log_is_reported(tmp_path: Path) -> None:
    hello = b"\x16\x03\x01\x00\x05hello"
    packets = [s.tcp_packet(b"", s.A, s.P_TLS, 10, flags=0x02), s.tcp_packet(hello, s.A, s.P_TLS, 11)]
    code, report = run_json(str(write(tmp_path, "tls.pcap", s.pcap(packets))))
    why = report["inputs"][0]["problems"][0]["why"]  # type: ignore[index]
    assert "not decrypted" in why and "--keylog" in why and code == 2


def test_sipp_log(tmp_path: Path) -> None:
    sent = (b"----------------------------------------------- 2023-11-14\t22:13:20.000000\n"
            b"UDP message sent (10 bytes):\n\n")
    received = (b"----------------------------------------------- 2023-11-14\t22:13:20.100000\n"
                b"UDP message received [10] bytes :\n\n")  # fmt: skip
    data = sent + s.INVITE_IN + b"\n\n" + received + s.OK_IN + b"\n\n"
    with write(tmp_path, "sipp.log", data).open("rb") as f:
        frames = list(read_sipp(f, "sipp.log"))
    assert [f.data for f in frames] == [s.INVITE_IN, s.OK_IN]  # type: ignore[union-attr]
    assert [(str(f.src), f.transport) for f in frames] == [("sipp", "UDP"), ("remote", "UDP")]  # type: ignore[union-attr]


def test_plain_log_with_markers(tmp_path: Path) -> None:
    data = b"--- TLS 10.0.0.1:40000 -> 10.0.0.2:5061\n" + s.INVITE_IN + b"\n\n=====\n" + s.OK_IN
    with write(tmp_path, "plain.log", data).open("rb") as f:
        frames = list(read_plain(f, "plain.log"))
    assert [f.data for f in frames] == [s.INVITE_IN, s.OK_IN]  # type: ignore[union-attr]
    assert frames[0].transport == "TLS" and str(frames[0].src) == "10.0.0.1:40000"  # type: ignore[union-attr]


def test_plain_log_without_transport_leaves_transport_properties_undecided(tmp_path: Path) -> None:
    code, report = run_json(str(write(tmp_path, "plain.log", s.INVITE_IN + b"\r\n" + s.OK_IN)))
    undecided = {u["property"]: u["why"] for u in report["undecided"]}  # type: ignore[attr-defined]
    assert "I-1b" in undecided and "transport" in undecided["I-1b"]
    assert "I-1b" not in properties_of(report)


def test_every_leniency_is_reported_at_its_record(tmp_path: Path) -> None:
    lenient = s.INVITE_IN.replace(b"INVITE sips:bob@example.test SIP/2.0",
                                  b"INVITE sips:bob@example.test;transport=udp SIP/2.0")
    data = s.sipdump(((lenient, s.A, s.P_TLS, "tls"), (lenient, s.A, s.P_TLS, "tls")))
    code, report = run_json(str(write(tmp_path, "k.data", data)))
    assert [(n["record"], n["rule"]) for n in report["leniencies"]] == [(1, "R-3261-19.1.1-a"), (2, "R-3261-19.1.1-a")]  # type: ignore[attr-defined]
    assert properties_of(report)["I-17"] == [1]  # the retransmission is folded; the violation is still reported
    assert code == 1


def test_retransmissions_fold_and_forks_stay_apart(tmp_path: Path) -> None:
    fork = s.INVITE_OUT.replace(b"z9hG4bKp1", b"z9hG4bKp2").replace(b"10.0.0.3:5070 SIP", b"10.0.0.4:5070 SIP")
    records = (*s.CALL[:4], s.CALL[3], (fork, s.P_UDP, ("10.0.0.4", 5070), "udp"))
    opts = TraceOptions([write(tmp_path, "k.data", s.sipdump(records))], load_properties())
    report = run_trace(opts)
    assert report.folded == 1
    i2 = [v.where.record for v in report.violations if v.property == "I-2" and v.where]
    assert i2 == [4, 6]


def test_element_map_names_and_facts(tmp_path: Path) -> None:
    path = write(tmp_path, "map.toml", b"""
[[element]]
name = "proxy"
addresses = ["10.0.0.2:5060", "10.0.0.2:5061"]
role = "registrar"
domains = ["example.test"]
aor_key_keeps_scheme = false

[[element]]
name = "bob"
addresses = ["10.0.0.3:5070"]
tls = false
""")
    code, report = run_json("--elements", str(path), str(write(tmp_path, "k.data", s.sipdump())))
    assert {v["element"] for v in report["violations"] if v["property"] == "I-2"} == {"proxy"}  # type: ignore[attr-defined]
    undecided = {u["property"] for u in report["undecided"]}  # type: ignore[attr-defined]
    assert "I-9" not in undecided  # the map says how the registrar keys AoRs
    bad = write(tmp_path, "bad.toml", b'[[element]]\nname = "x"\naddresses = ["nohost"]\n')
    with pytest.raises(ScenarioError, match="HOST:PORT"):
        load_element_map(bad)
    result = CliRunner().invoke(cli, ["trace", "--elements", str(bad), str(tmp_path / "k.data")])
    assert result.exit_code == 2 and "HOST:PORT" in result.output


@pytest.mark.parametrize("fmt", ["text", "markdown", "sarif"])
def test_other_formats(tmp_path: Path, fmt: str) -> None:
    path = write(tmp_path, "k.data", s.sipdump())
    result = CliRunner().invoke(cli, ["trace", "--format", fmt, str(path)])
    assert result.exit_code == 1
    if fmt == "text":
        assert "VIOLATION I-2" in result.output and "<== violation" in result.output
    elif fmt == "markdown":
        assert "| I-2 | 4 |" in result.output
    else:
        log = json.loads(result.output)
        found = [r for r in log["runs"][0]["results"] if r["ruleId"] == "I-2"]
        assert found[0]["locations"][0]["logicalLocations"][0]["name"] == "record 4"
        assert found[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("k.data")


def test_property_and_rules_options(tmp_path: Path) -> None:
    path = str(write(tmp_path, "k.data", s.sipdump()))
    code, report = run_json("--property", "I-2", path)
    assert {v["property"] for v in report["violations"]} == {"I-2"}  # type: ignore[attr-defined]
    _, only_5630 = run_json("--property", "I-2", "--rules", "rfc5630", path)
    assert only_5630["violations"][0]["rules"] == ["R-5630-5.3-a"]  # type: ignore[index]
    result = CliRunner().invoke(cli, ["trace", "--property", "I-99", path])
    assert result.exit_code == 2 and "unknown property" in result.output


def test_late_retransmission_after_the_call_is_over_is_folded(tmp_path: Path) -> None:
    bye = s.msg("BYE sips:bob@10.0.0.3:5070 SIP/2.0", "Via: SIP/2.0/TLS 10.0.0.1:40000;branch=z9hG4bKbye",
                "Max-Forwards: 70", "To: <sips:bob@example.test>;tag=b1", "From: <sips:alice@example.test>;tag=a1",
                "Call-ID: call-1", "CSeq: 2 BYE")
    ok = s.msg("SIP/2.0 200 OK", "Via: SIP/2.0/TLS 10.0.0.1:40000;branch=z9hG4bKbye",
               "To: <sips:bob@example.test>;tag=b1", "From: <sips:alice@example.test>;tag=a1", "Call-ID: call-1",
               "CSeq: 2 BYE")
    records = ((bye, s.A, s.P_TLS, "tls"), (ok, s.P_TLS, s.A, "tls"), (ok, s.P_TLS, s.A, "tls"))
    report = run_trace(TraceOptions([write(tmp_path, "k.data", s.sipdump(records))], load_properties()))
    assert (report.messages, report.folded, report.groups) == (3, 1, 1)


def test_records_are_counted_across_inputs(tmp_path: Path) -> None:
    first = write(tmp_path, "a.data", s.sipdump(s.CALL[:2]))
    second = write(tmp_path, "b.pcap", s.pcap([s.udp_packet(m, src, dst) for m, src, dst, _ in s.CALL[2:]]))
    code, report = run_json(str(first), str(second))
    assert [(i["format"], i["first_record"], i["records"]) for i in report["inputs"]] == [  # type: ignore[attr-defined]
        ("sipdump", 1, 2), ("pcap", 3, 4)]
    assert report["records"] == 6
    assert properties_of(report)["I-2"] == [s.DOWNGRADE_RECORD]
    i2 = next(v for v in report["violations"] if v["property"] == "I-2")  # type: ignore[attr-defined]
    assert i2["frame"] == 2 and i2["transmission"]["source"].endswith("b.pcap")


def test_sarif_follows_the_essentials_of_sarif_2_1_0(tmp_path: Path) -> None:
    import importlib.util

    import jsonschema

    spec = importlib.util.spec_from_file_location(
        "sarif_essentials", Path(__file__).parents[1] / "report" / "test_report_sarif.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = CliRunner().invoke(cli, ["trace", "--format", "sarif", str(write(tmp_path, "k.data", s.sipdump()))])
    jsonschema.validate(json.loads(result.output), module.SARIF_ESSENTIALS)

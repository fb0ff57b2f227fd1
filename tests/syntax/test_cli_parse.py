"""The ``sipsmodel parse`` command: canonical text, JSON, errors with caret and exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

from click.testing import CliRunner

from sipsmodel.cli import cli
from sipsmodel.syntax import SipsTransportWarning

INVITE = (
    "INVITE sips:bob@biloxi.com SIP/2.0\r\n"
    "v: SIP/2.0/TLS pc33.atlanta.com;branch=z9hG4bK776asdhds\r\n"
    "Max-Forwards: 70\r\n"
    "To: Bob <sips:bob@biloxi.com>\r\n"
    "From: <sips:alice@atlanta.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710@pc33.atlanta.com\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Contact: <sips:alice@pc33.atlanta.com>\r\n"
    "X-Note: kept raw\r\n"
    "Content-Length: 2\r\n\r\nhi"
)


def run(*args: str, stdin: str | bytes = "") -> tuple[int, str, str]:
    """Run the CLI in-process; return exit code, stdout (exact, CRLF kept) and stderr."""
    result = CliRunner().invoke(cli, list(args), input=stdin)
    return result.exit_code, result.stdout_bytes.decode("utf-8"), result.stderr


def test_uri_canonical_text() -> None:
    code, out, _ = run("parse", "--uri", "-", stdin="SIPS:alice@atlanta.com;transport=tcp\n")
    assert code == 0 and out == "sips:alice@atlanta.com;transport=tcp\n"


def test_uri_json() -> None:
    code, out, _ = run("parse", "--uri", "--json", "-", stdin="sips:alice:@atlanta.com:5061;lr;transport=tcp?a=b")
    assert code == 0
    assert json.loads(out) == {
        "scheme": "sips",
        "user": "alice",
        "password": "",
        "host": "atlanta.com",
        "port": 5061,
        "params": [["lr", None], ["transport", "tcp"]],
        "headers": [["a", "b"]],
    }


def test_message_canonical_text(tmp_path: Path) -> None:
    path = tmp_path / "invite.sip"
    path.write_bytes(INVITE.encode())
    code, out, _ = run("parse", str(path))
    assert code == 0
    assert out.startswith("INVITE sips:bob@biloxi.com SIP/2.0\r\nVia: SIP/2.0/TLS pc33.atlanta.com")
    assert out.endswith("Content-Length: 2\r\n\r\nhi")


def test_message_json() -> None:
    code, out, _ = run("parse", "--json", "-", stdin=INVITE)
    assert code == 0
    data = json.loads(out)
    assert data["kind"] == "request" and data["method"] == "INVITE" and data["status"] is None
    assert data["request_uri"]["scheme"] == "sips" and data["request_uri"]["host"] == "biloxi.com"
    assert data["body_length"] == 2 and data["reason"] is None
    via = data["headers"][0]
    assert via["name"] == "v" and via["value"].startswith("SIP/2.0/TLS")
    assert via["parsed"][0]["transport"] == "TLS" and via["parsed"][0]["params"] == [["branch", "z9hG4bK776asdhds"]]
    to = data["headers"][2]
    assert to["parsed"]["display_name"] == "Bob" and to["parsed"]["uri"]["user"] == "bob"
    assert data["headers"][5]["parsed"] == {"number": 314159, "method": "INVITE"}
    assert data["headers"][7] == {"name": "X-Note", "value": "kept raw", "parsed": None}


def test_response_json() -> None:
    code, out, _ = run("parse", "--json", "-", stdin="SIP/2.0 380 Alternative Service\r\nContent-Length: 0\r\n\r\n")
    assert code == 0
    data = json.loads(out)
    assert (data["kind"], data["status"], data["reason"], data["request_uri"]) == (
        "response",
        380,
        "Alternative Service",
        None,
    )


def test_error_has_caret_label_and_exit_code_2() -> None:
    code, out, err = run("parse", "--uri", "-", stdin="sips:alice@atlanta.com;transport=udp")
    assert code == 2 and out == ""
    assert "<stdin>:1:24" in err and "[sips-transport-udp]" in err
    assert "\n                       ^" in err and "hint:" in err


def test_lenient_flag_accepts_sips_udp_with_the_tools_own_diagnostic() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", SipsTransportWarning)  # no Python warning reaches the user
        code, out, err = run("parse", "--uri", "--lenient", "-", stdin="sips:alice@atlanta.com;transport=udp")
    assert code == 0 and out.startswith("sips:alice@atlanta.com;transport=udp")
    assert err.splitlines() == [
        "<stdin>:1:24: accepted leniently: a sips URI names transport=udp (sips:alice@atlanta.com;transport=udp)"
        " [R-3261-19.1.1-a]; RFC 3261 section 19.1.1 forbids it; read anyway so that the message and its"
        " violation are kept"
    ]


def test_lenient_message_reports_each_occurrence_every_run(tmp_path: Path) -> None:
    path = tmp_path / "udp.sip"
    text = INVITE.replace("INVITE sips:bob@biloxi.com SIP", "INVITE sips:bob@biloxi.com;transport=udp SIP")
    path.write_bytes(text.replace("<sips:alice@pc33.atlanta.com>", "<sips:alice@pc33.atlanta.com;transport=UDP>").encode())
    for _ in range(2):  # the parse caches must not swallow the second run's diagnostics
        code, out, err = run("parse", "--lenient", str(path))
        assert code == 0 and out.startswith("INVITE sips:bob@biloxi.com;transport=udp SIP/2.0\r\n")
        lines = err.splitlines()
        assert [line.split(": accepted leniently: ")[0] for line in lines] == [f"{path}:1:28", f"{path}:8:39"]
        assert all("[R-3261-19.1.1-a]" in line and "Warning" not in line for line in lines)
    code, _, err = run("parse", str(path))
    assert code == 2 and "[sips-transport-udp]" in err


def test_message_error_exit_code_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.sip"
    path.write_bytes(INVITE.replace("Content-Length: 2", "Content-Length: 20").encode())
    code, _, err = run("parse", str(path))
    assert code == 2 and "[content-length-exceeds-body]" in err and str(path) in err


def test_undecodable_uri_input() -> None:
    code, _, err = run("parse", "--uri", "-", stdin=b"sip:\xff")
    assert code == 2 and "[not-utf8]" in err


def test_missing_file_is_a_usage_error() -> None:
    code, _, _ = run("parse", "/nonexistent/file.sip")
    assert code == 2


def test_cli_module_imports_neither_lark_nor_the_syntax_package() -> None:
    check = "import sys, sipsmodel.cli; print('lark' in sys.modules, 'sipsmodel.syntax' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False False"


def test_console_entry_point_parses_stdin() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sipsmodel", "parse", "--uri", "-"],
        input="sip:alice@atlanta.com",
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and result.stdout == "sip:alice@atlanta.com\n"

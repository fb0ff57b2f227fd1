"""Every loader of a user file, fed broken and random files: a message naming the file, never a traceback.

Issue 13, item 1. ``LOADERS`` is the table: one row per way a command line reads a user file. A new
loader (a candidates file, an element map, a trace file) is one more row.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sipsmodel.cli import cli
from sipsmodel.errors import InputFileError
from sipsmodel.model.tomlfile import first_bad_byte, read_text_file, read_toml
from sipsmodel.resources import resource_dir

SCENARIO = resource_dir("scenarios") / "draft-04-9.1.toml"
EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
SIPDUMP = EXAMPLES / "kamailio-downgrade.data"
RULE_SET = 'name = "mine"\nbase = "rfc5630"\nremove = ["R-5630-5.3-a"]\n'
INVITE = (
    "INVITE sips:bob@biloxi.com SIP/2.0\r\nVia: SIP/2.0/TLS pc33.atlanta.com;branch=z9hG4bK776asdhds\r\n"
    "Max-Forwards: 70\r\nTo: <sips:bob@biloxi.com>\r\nFrom: <sips:alice@atlanta.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710@pc33.atlanta.com\r\nCSeq: 314159 INVITE\r\nContent-Length: 0\r\n\r\n"
)
# A real check on a mutated file that happens to stay valid must stay quick.
QUICK_CHECK = ("--property", "I-1b", "--bound", "1", "--timeout", "2")


@dataclass(frozen=True)
class Loader:
    """A command line that reads one user file, ``{path}`` standing for it, and a valid sample of that file."""

    name: str
    argv: tuple[str, ...]
    sample: str
    in_folder: bool = False  # {path} is a folder and the file is a .toml inside it
    toml: bool = True


LOADERS = (
    Loader("scenario", ("simulate", "{path}"), SCENARIO.read_text(encoding="utf-8")),
    Loader("rule set of rules", ("rules", "--set", "{path}"), RULE_SET),
    Loader("rule set of check", ("check", "--rules", "{path}", *QUICK_CHECK), RULE_SET),
    Loader("rule set of simulate", ("simulate", str(SCENARIO), "--ignore-script", "--rules", "{path}"), RULE_SET),
    Loader("rule set of explore", ("explore", "--rules", "{path}", "--property", "I-1", "--examples", "2"), RULE_SET),
    Loader(
        "property folder of check",
        ("check", "--properties", "{path}", "--rules", "rfc5630", "--bound", "1", "--timeout", "2"),
        (resource_dir("properties") / "I-01b.toml").read_text(encoding="utf-8"),
        in_folder=True,
    ),
    Loader("SIP message of parse", ("parse", "{path}"), INVITE, toml=False),
    Loader("URI of parse", ("parse", "--uri", "{path}"), "sips:alice@atlanta.com;transport=tcp", toml=False),
    Loader("trace file of trace", ("trace", "{path}"), SIPDUMP.read_text(encoding="utf-8"), toml=False),
    Loader(
        "element map of trace",
        ("trace", str(SIPDUMP), "--elements", "{path}"),
        (EXAMPLES / "kamailio-downgrade.toml").read_text(encoding="utf-8"),
    ),
)

LATIN_1 = 'name = "Désiré"\nbase = "rfc3261"\n'.encode("latin-1")
BINARY = bytes(range(256)) * 2
TRUNCATED_TOML = b'name = "mine"\nbase = "rfc5'

#: name -> (how to make the input at a path, what a TOML loader's message must say)
BAD_INPUTS: dict[str, tuple[Callable[[Path], None], str]] = {
    "empty": (lambda p: p.write_bytes(b""), "is empty; expected a"),
    "binary": (lambda p: p.write_bytes(BINARY), "(byte offset 0): byte 0x00 is a NUL byte"),
    "latin-1": (lambda p: p.write_bytes(LATIN_1), ":1:10 (byte offset 9): byte 0xE9 is not UTF-8"),
    "truncated": (lambda p: p.write_bytes(TRUNCATED_TOML), ":2:13: is not valid TOML: Unterminated string"),
    "directory": (lambda p: p.mkdir(), "is a directory; expected a"),
}


def invoke(loader: Loader, folder: Path, make: Callable[[Path], None]) -> tuple[int, str, Path]:
    """Make the input with ``make``, run the loader's command line on it; exit code, all output, the file."""
    file = folder / "input.toml"
    make(file)
    given_path = folder if loader.in_folder else file
    argv = [a.replace("{path}", str(given_path)) for a in loader.argv]
    outcome = CliRunner().invoke(cli, argv)
    assert outcome.exception is None or isinstance(outcome.exception, SystemExit), repr(outcome.exception)
    text = outcome.stdout + outcome.stderr
    assert "Traceback" not in text
    return outcome.exit_code, text, file


@pytest.mark.parametrize("bad", sorted(BAD_INPUTS))
@pytest.mark.parametrize("loader", LOADERS, ids=lambda loader: loader.name)
def test_a_broken_file_is_an_error_naming_it(loader: Loader, bad: str, tmp_path: Path) -> None:
    make, message = BAD_INPUTS[bad]
    code, text, file = invoke(loader, tmp_path, make)
    assert code == 2 and str(file) in text
    if loader.toml:
        assert message in text and "UTF-8 TOML" in text


@pytest.mark.parametrize("loader", LOADERS, ids=lambda loader: loader.name)
def test_a_missing_file_is_an_error_naming_it(loader: Loader, tmp_path: Path) -> None:
    gone = tmp_path / "gone"
    argv = [a.replace("{path}", str(gone / "x.toml")) for a in loader.argv]
    outcome = CliRunner().invoke(cli, argv)
    assert outcome.exit_code == 2 and "Traceback" not in outcome.stderr
    assert str(gone) in outcome.stderr


@pytest.mark.parametrize("loader", LOADERS, ids=lambda loader: loader.name)
def test_the_valid_sample_is_accepted(loader: Loader, tmp_path: Path) -> None:
    code, text, _ = invoke(loader, tmp_path, lambda p: p.write_text(loader.sample, encoding="utf-8"))
    assert code in (0, 1, 3), text  # the sample is read; its verdicts are not this test's business


def mutations(sample: bytes) -> st.SearchStrategy[bytes]:
    """Random bytes, and the sample truncated, with a byte replaced, or with random bytes inserted."""
    cut = st.integers(0, len(sample))
    truncated = cut.map(lambda n: sample[:n])
    replaced = st.tuples(cut, st.integers(0, 255)).map(lambda t: sample[: t[0]] + bytes([t[1]]) + sample[t[0] + 1 :])
    inserted = st.tuples(cut, st.binary(min_size=1, max_size=8)).map(lambda t: sample[: t[0]] + t[1] + sample[t[0] :])
    return st.one_of(st.binary(max_size=300), truncated, replaced, inserted)


@pytest.mark.parametrize("loader", LOADERS, ids=lambda loader: loader.name)
def test_any_bytes_give_an_answer_or_a_message(loader: Loader) -> None:
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.nested_given])
    @given(data=mutations(loader.sample.encode("utf-8")))
    def probe(data: bytes) -> None:
        with tempfile.TemporaryDirectory() as folder:
            code, text, _ = invoke(loader, Path(folder), lambda p: p.write_bytes(data))
        assert code in (0, 1, 2, 3)
        assert code != 2 or text.strip(), "an error exit without a message"

    probe()


def test_the_first_bad_byte_is_located_by_offset_line_and_column() -> None:
    bad = first_bad_byte("a = 1\nb = 'é".encode() + b"\xff\n")
    assert bad is not None and (bad.offset, bad.line, bad.column, bad.value) == (13, 2, 7, 0xFF)
    assert first_bad_byte("ok ✓\n".encode()) is None


def test_read_text_file_drops_a_byte_order_mark_and_read_toml_reports_line_and_caret(tmp_path: Path) -> None:
    path = tmp_path / "x.toml"
    path.write_bytes(b"\xef\xbb\xbfkey = 1\n")
    assert read_text_file(path, "rule set") == "key = 1\n" and read_toml(path, "rule set") == {"key": 1}
    path.write_text("a = 1\nb = = 2\n", encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        read_toml(path, "element map")
    error = caught.value
    assert (error.line, error.column) == (2, 5) and error.expected == "an element map in UTF-8 TOML"
    assert str(error).endswith("b = = 2\n    ^")


def test_an_oversized_file_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    from sipsmodel.model.tomlfile import read_bytes_file

    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 100)
    with pytest.raises(InputFileError, match="is larger than 10 bytes"):
        read_bytes_file(path, "trace", max_bytes=10)


def test_a_bad_should_mode_in_a_rule_set_names_the_file_and_key(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text('name = "mine"\nshould = "sometimes"\n', encoding="utf-8")
    outcome = CliRunner().invoke(cli, ["rules", "--set", str(path)])
    assert outcome.exit_code == 2
    assert f"{path}: key 'should': expected one of ['binding', 'optional'], found 'sometimes'" in outcome.stderr

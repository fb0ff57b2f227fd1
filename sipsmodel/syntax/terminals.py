"""What each terminal of grammar/sip.lark and grammar/property.lark means, in words a user reads.

A parse error says what was expected; Lark names terminals (``RAQUOT``, ``HOSTPORT_TAIL``), which
mean nothing to a SIP engineer. These two tables give every named terminal of the two grammars a
short description, and ``describe_expected`` turns the terminals Lark expected into those
descriptions: deduplicated, in the order of the table (which follows the grammar), with an
anonymous literal terminal (``"in"``, ``"->"`` in the property language) shown as the literal in
quotes. tests/syntax/test_error_messages.py checks that every terminal of both grammars is here,
so a new terminal without a description fails the tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from lark.lexer import TerminalDef

#: Lark's name for the end of the input.
END = "$END"
END_DESCRIPTION = "end of input"

#: grammar/sip.lark: terminal -> description, in the order of the grammar file.
SIP_TERMINALS: dict[str, str] = {
    # Whole messages
    "METHOD_SP": "a method name and a space, e.g. 'INVITE '",
    "VERSION_EOL": "' SIP/2.0' and the end of the request line",
    "STATUS_LINE": "a status line, e.g. 'SIP/2.0 200 OK'",
    "HEADER_LINE": "a header line 'Name: value'",
    "FIELD_TEXT": "header value text (no control characters unless escaped by a backslash)",
    "EOL": "a line end (CRLF)",
    # URIs
    "SIP_HEAD": "a 'sip:' or 'sips:' URI",
    "BARE_SIP_HEAD": "a 'sip:' or 'sips:' URI",
    "SIP_SCHEME": "'sip:' or 'sips:'",
    "OTHER_SCHEME": "a URI of another scheme, e.g. 'tel:+1-212-555-1212'",
    "URIC_BODY": "the rest of the URI after its scheme",
    "BARE_URIC_BODY": "the rest of the URI after its scheme (no ';', '?' or ',' outside '<...>')",
    "ESCAPED": "a %-escape such as '%20'",
    "USERINFO": "a user part ending in '@', e.g. 'alice@' or 'alice:secret@'",
    "BARE_USERINFO": "a user part (no ';', '?' or ',') ending in '@'",
    "USER_CHAR": "a user-part character or a %-escape",
    "BARE_USER_CHAR": "a user-part character (not ';', '?' or ',') or a %-escape",
    "PASSWORD_CHAR": "a password character or a %-escape",
    "HOSTPORT": "a host name, IPv4 address or [IPv6] reference, with an optional ':port'",
    "HOST": "a host name, IPv4 address or [IPv6] reference",
    "IPV6REFERENCE": "an IPv6 reference in brackets, e.g. '[2001:db8::1]'",
    "HOSTPORT_TAIL": "a host name, IPv4 address or [IPv6] reference",
    "URI_PARAM": "a URI parameter ';name' or ';name=value'",
    "PARAMCHAR": "a URI parameter character or a %-escape",
    "URI_HEADERS": "URI headers '?name=value&...'",
    "HNVCHAR": "a URI header character or a %-escape",
    # Address forms
    "DISPLAY_NAME": "a display name before '<'",
    "LAQUOT": "'<' opening the name-addr",
    "RAQUOT": "'>' closing the name-addr",
    "STAR": "'*' (all contacts)",
    "COMMA": "',' and the next value",
    "HEADER_PARAMS": "header parameters ';name=value'",
    "HEADER_PARAM": "a header parameter ';name' or ';name=value'",
    "QUOTED_STRING": "a quoted string '\"...\"'",
    "TOKEN": "a token (letters, digits and - . ! % * _ + ` ' ~)",
    # Via
    "SENT_PROTOCOL": "a sent protocol such as 'SIP/2.0/TLS'",
    "SENT_BY": "a space and the sent-by host[:port]",
    "VIA_PARAMS": "Via parameters such as ';branch=z9hG4bK776'",
    "VIA_PARAM": "a Via parameter ';name' or ';name=value'",
    "VIA_VALUE": "a Via parameter value",
    # Warning
    "WARN_CODE": "a three-digit warning code and a space",
    "WARN_AGENT": "a space and the warning agent (host[:port] or a pseudonym)",
    "WARN_TEXT": "a space and the quoted warning text",
    # Simple headers
    "CSEQ_METHOD": "a space and the CSeq method, e.g. ' INVITE'",
    "CALLID": "a Call-ID 'word' or 'word@word'",
    "WORD": "a Call-ID word",
    "DIGITS": "a number (digits 0-9)",
    "OPTION_TAG": "an option tag such as '100rel'",
    "MEDIA_RANGE": "a media type 'type/subtype' such as 'application/sdp'",
}

#: grammar/property.lark: named terminal -> description. Its anonymous terminals ("in", "->",
#: "(", ...) are described by their literal in quotes.
PROPERTY_TERMINALS: dict[str, str] = {
    "QUANT": "'forall' or 'exists'",
    "COMPARE": "a comparison '==', '!=', '<', '<=', '>' or '>='",
    "NAME": "a name",
    "NUMBER": "a number",
    "STRING": "a string in double quotes",
    "COMMENT": "a comment '# ...'",
    "WS": "white space",  # %import common.WS
}


def describe_expected(
    names: Iterable[str], table: Mapping[str, str], literals: Mapping[str, str] | None = None
) -> tuple[str, ...]:
    """The descriptions of the terminals ``names``, deduplicated, in the order of ``table``.

    ``literals`` maps an anonymous terminal to the literal it matches; it is shown in quotes after
    the named terminals. The end of the input comes last. A name found nowhere is kept as it is.
    """
    order = {name: index for index, name in enumerate(table)}
    literals = literals or {}
    ranked: list[tuple[int, str, str]] = []
    for name in set(names):
        if name in table:
            ranked.append((0, f"{order[name]:06d}", table[name]))
        elif name in literals:
            ranked.append((1, literals[name], f"'{literals[name]}'"))
        elif name == END:
            ranked.append((3, "", END_DESCRIPTION))
        else:
            ranked.append((2, name, name))
    return tuple(dict.fromkeys(text for *_key, text in sorted(ranked)))


def anonymous_literals(terminals: Iterable[TerminalDef], table: Mapping[str, str]) -> dict[str, str]:
    """The string terminals of a Lark parser (``parser.terminals``) missing from ``table`` -> their literal."""
    return {t.name: t.pattern.value for t in terminals if t.name not in table and t.pattern.type == "str"}

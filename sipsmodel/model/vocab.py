"""The finite vocabulary both engines speak: domains, and the records a Trace is observed as.

Every feature, option and trace attribute has a finite domain (an enum, booleans, or a small set of
integers), so the simulator can enumerate options and ``sipsmodel.smt`` can encode them exactly.
SIPS-RULES.md section 0.1 is the source of the vocabulary.
"""

from __future__ import annotations

from dataclasses import dataclass

from sipsmodel.model.expr import RELIABLE_TRANSPORTS, SECURE_TRANSPORTS, Value

__all__ = ["RELIABLE_TRANSPORTS", "SECURE_TRANSPORTS", "Domain", "RECORD_SCHEMAS", "BOOL", "INT"]


@dataclass(frozen=True)
class Domain:
    """A finite set of values: enum names (str), booleans, or integers."""

    name: str
    values: tuple[Value, ...]

    @property
    def kind(self) -> str:
        first = self.values[0]
        if isinstance(first, bool):
            return "bool"
        return "int" if isinstance(first, int) else "enum"

    def __contains__(self, value: object) -> bool:
        return value in self.values and type(value) is type(self.values[0])


BOOL = Domain("bool", (False, True))
#: Unbounded-looking integers (indices, ids) are still finite in any trace; the SMT side uses Int.
INT = Domain("int", (0,))

SCHEME = Domain("scheme", ("sip", "sips"))
OPT_SCHEME = Domain("opt_scheme", ("none", "sip", "sips"))
ANY_SCHEME = Domain("any_scheme", ("none", "sip", "sips", "other"))
TRANSPORT = Domain("transport", ("UDP", "TCP", "SCTP", "TLS", "TLS-SCTP", "WS", "WSS"))
FLOW = Domain("flow", ("none", *TRANSPORT.values))
#: The ``transport`` URI parameter an element writes into a URI it generates (none: no parameter), named like
#: the transports (the URI shows it in lower case); RFC 3261 19.1.1 lists udp, tcp, sctp, tls, and the model
#: offers those SIPS-RULES.md R-04-7-a and R-3261-19.1.1-a speak of.
TPARAM = Domain("tparam", ("none", "TCP", "UDP", "TLS"))
RR_KIND = Domain("rr_kind", ("none", "single", "double"))
REWRITE = Domain("rewrite", ("keep", "sip", "sips"))
UAS_STATUS = Domain("uas_status", (200, 400, 416, 480))
REG_STATUS = Domain("reg_status", (200, 400, 403))
WARN = Domain("warn", (0, 380, 381))
FAILURE = Domain("failure", ("r3xx", "r416", "r480_380", "r480_381"))
RECURSE = Domain("recurse", ("recurse", "forward"))
RETRY = Domain("retry", ("retry", "stop"))
ROLE = Domain("role", ("ua", "proxy", "registrar", "redirect", "gateway"))
KIND = Domain("kind", ("request", "response"))
METHOD = Domain("method", ("INVITE", "ACK", "BYE", "REGISTER", "CANCEL", "OTHER"))
DIALOG_ROLE = Domain("dialog_role", ("uac", "uas"))
ACTOR = Domain("actor", ("ua", "proxy"))

DOMAINS = {
    d.name: d
    for d in (
        BOOL, INT, SCHEME, OPT_SCHEME, ANY_SCHEME, TRANSPORT, FLOW, TPARAM, RR_KIND, REWRITE, UAS_STATUS,
        REG_STATUS, WARN, FAILURE, RECURSE, RETRY, ROLE, KIND, METHOD, DIALOG_ROLE, ACTOR,
    )
}


def is_secure(transport: str) -> bool:
    """``sec(h)``: the hop is protected by TLS (SIPS-RULES.md section 0.1; RFC 3261 section 26.2.1)."""
    return transport in SECURE_TRANSPORTS


# ---------------------------------------------------------------------------------------------
# How a Trace is observed by properties (and encoded by the SMT package): collections of records.
# Each schema maps an attribute to its domain and a one-line meaning.

RECORD_SCHEMAS: dict[str, dict[str, tuple[Domain, str]]] = {
    "hops": {
        "index": (INT, "position of the transmission in the trace (0-based)"),
        "request": (INT, "id of the request this transmission belongs to (responses carry their request's id)"),
        "call": (INT, "id of the call (initial request and everything in its dialogs); -1 for REGISTER"),
        "kind": (KIND, "request or response"),
        "method": (METHOD, "method of the request, or of the request a response answers"),
        "status": (INT, "status code of a response; 0 for requests"),
        "initial": (BOOL, "part of an out-of-dialog request (initial INVITE, REGISTER, retry); False in-dialog"),
        "transport": (TRANSPORT, "transport actually used on this hop"),
        "secure": (BOOL, "sec(h): the hop is TLS-protected (TLS, TLS-SCTP, WSS)"),
        "via_secure": (BOOL, "the top Via (written by the sender) claims a TLS-protected transport"),
        "ruri": (ANY_SCHEME, "scheme of the Request-URI (none for responses)"),
        "origin": (ANY_SCHEME, "scheme of the Request-URI as the originating UAC sent this request"),
        "route0": (OPT_SCHEME, "scheme of the topmost Route value (none when absent)"),
        "contact": (ANY_SCHEME, "scheme of the first Contact (none when absent)"),
        "to": (ANY_SCHEME, "scheme of the To URI"),
        "from": (ANY_SCHEME, "scheme of the From URI"),
        "rr_top": (OPT_SCHEME, "scheme of the topmost Record-Route value (none when absent)"),
        "sender": (ROLE, "role of the sending element"),
        "receiver": (ROLE, "role of the receiving element"),
        "last": (BOOL, "the receiver is the element that answers this request (end of its path)"),
        "binding": (INT, "id of the binding this request is delivered to, -1 otherwise"),
        "tls_param": (BOOL, "some URI in the message carries transport=tls"),
        "udp_param": (BOOL, "the Request-URI carries transport=udp"),
        "sips_udp_param": (BOOL, "some sips URI in the message carries transport=udp (RFC 3261 19.1.1)"),
    },
    "forwards": {
        "index": (INT, "position of the decision in the trace"),
        "in_hop": (INT, "index of the transmission received"),
        "out_hop": (INT, "index of the transmission sent"),
        "in_ruri": (SCHEME, "Request-URI scheme as received"),
        "out_ruri": (SCHEME, "Request-URI scheme as sent"),
        "in_secure": (BOOL, "the incoming hop is TLS-protected"),
        "out_secure": (BOOL, "the outgoing hop is TLS-protected"),
        "out_route0": (OPT_SCHEME, "scheme of the topmost Route value sent"),
        "rr": (RR_KIND, "Record-Route values this proxy inserted: none, single or double"),
        "rr_out": (SCHEME, "scheme of the inserted value on top (the one the next element sees)"),
        "responsible": (BOOL, "the proxy is responsible for the Request-URI's domain (RFC 3261 16.5)"),
        "binding": (OPT_SCHEME, "scheme of the binding Contact this branch targets (none if not retargeting)"),
        "malicious": (BOOL, "the proxy is marked malicious: no rule binds it"),
    },
    "bindings": {
        "id": (INT, "binding id"),
        "contact": (SCHEME, "scheme of the registered Contact"),
        "aor": (SCHEME, "scheme of the AoR (To) it was registered under"),
        "key_scheme": (BOOL, "the registrar's AoR key keeps the scheme (RFC 3261 10.3 literal)"),
        "reg_ruri": (SCHEME, "Request-URI scheme of the REGISTER that created it"),
        "reg_from": (SCHEME, "From scheme of that REGISTER"),
        "reg_path": (OPT_SCHEME, "scheme of the Path value stored with it (none when no Path)"),
        "reg_secure": (BOOL, "the REGISTER's last hop (to the registrar) was TLS-protected"),
        "flow": (FLOW, "transport of the outbound flow it was registered over (none without outbound)"),
    },
    "dialogs": {
        "id": (INT, "dialog id"),
        "call": (INT, "id of the call the dialog belongs to"),
        "request": (INT, "id of the dialog-creating request"),
        "role": (DIALOG_ROLE, "uac or uas"),
        "secure": (BOOL, "the RFC 3261 secure flag (12.1.1 at the UAS, 12.1.2 at the UAC)"),
        "rtarget": (SCHEME, "scheme of the remote target"),
        "rset0": (OPT_SCHEME, "scheme of the first route-set entry (none when the route set is empty)"),
        "lcontact": (SCHEME, "scheme of the local Contact"),
        "tls": (BOOL, "the endpoint supports TLS"),
        "req_ruri": (SCHEME, "UAS only: Request-URI scheme of the dialog-creating request as received"),
        "req_rr_top": (OPT_SCHEME, "UAS only: top Record-Route scheme of that request as received"),
        "req_contact": (SCHEME, "UAS only: Contact scheme of that request as received"),
    },
    "retries": {
        "index": (INT, "position of the decision in the trace"),
        "by": (ACTOR, "ua (a UAC retry or recursion) or proxy (recursion)"),
        "failure": (FAILURE, "the failure that caused it (3xx, 416, 480 with 380 or 381)"),
        "old": (SCHEME, "Request-URI scheme of the failed request"),
        "new": (SCHEME, "scheme of the retry's target (3xx Contact or twin): its Request-URI (R-3261-8.1.3.4-b)"),
        "confirmed": (BOOL, "the user confirmed the retry (UAC only)"),
    },
}

"""The rule table: every R-... rule of SIPS-RULES.md the model expresses, as data.

Each entry names its document and section, its RFC 2119 keyword, the element it binds, a one-line
reading, and its constraint at each choice point (``sipsmodel.rules.choicepoints``) in the
expression language of ``grammar/property.lark``. A rule that changes or deletes an older one says so
in ``supersedes``; rule sets drop superseded rules. Rules the model cannot express are listed in
:data:`UNEXPRESSED` with the reason.
"""

from __future__ import annotations

from sipsmodel.rules.rule import Rule, Unexpressed

R3261 = "RFC 3261"
D04 = "draft-audet-sip-sips-guidelines-04"
R5630 = "RFC 5630"
BCP = "sips trial balloon (SIPS-RULES.md B)"

_SIPS_RURI_TLS = "ruri == sips -> secure(transport)"
_SIPS_ROUTE_TLS = "route0 == sips -> secure(transport)"
_BEST_EFFORT = "tls and next_tls -> secure(transport)"
_DOWNGRADE_RETRY = "ruri == sips and failure in {r416, r480_380} and not confirmed -> action == stop"
_UPDATED_ROUTE = (
    "(not route_strict -> (ruri == sips and route_stored != none -> route0 == sips) and "
    "(ruri == sip -> route0 == route_stored)) and "
    "(route_strict -> (route0 == sips -> ruri == sips) and (route0 == sip -> ruri == route_stored))"
)
# uac_invite: behind a strict first route (route_strict, F-19) the Request-URI (ruri) is the first route entry,
# the next hop is resolved from it (8.1.2), and the target (route0) goes last in Route.
_UAC_NEXT_HOP_SIPS_TLS = "(route0 == sips and not route_strict) or (ruri == sips and route_strict) -> secure(transport)"
_UAC_TARGET_IS = "((ruri == {0} and not route_strict) or (route0 == {0} and route_strict))"
_SIPS_CONTACT_IFF_AOR = "(contact == sips) <-> (aor == sips)"
# R-3263-4.1-a, one reading for every client (UAC, proxy, in-dialog sender): the transport parameter {0} of the URI
# the next hop is resolved from is used, udp only for a sip Request-URI: with a SIPS Request-URI that URI is
# resolved as if it were SIPS (RFC 3261 8.1.2, 16.6 step 7, 19.1.4), where udp cannot be used (19.1.1)
_TPARAM_USED = "({0} == UDP and ruri == sip -> transport == UDP) and ({0} == TCP -> transport in {{TCP, TLS}})"

RULES: tuple[Rule, ...] = (
    # --- RFC 3261: UAC --------------------------------------------------------------------------
    Rule("R-3261-8.1.2-b", R3261, "8.1.2", "MUST", "UAC",
         "a SIPS Request-URI makes the UAC resolve as SIPS, so its first hop is TLS (behind a strict first route "
         "the Request-URI is that entry, not the target: F-19)",
         {"uac_invite": _SIPS_RURI_TLS, "ua_register": _SIPS_RURI_TLS,
          "send_in_dialog": "not proxy and ruri == sips -> secure(transport)"}),
    Rule("R-3261-8.1.1.8-b", R3261, "8.1.1.8", "MUST", "UAC",
         "a SIPS Request-URI or SIPS top Route requires a SIPS Contact",
         {"uac_invite": "ruri == sips or route0 == sips -> contact == sips"}),
    Rule("R-3261-8.1.3.4-b", R3261, "8.1.3.4", "MUST", "UAC",
         "a retry's Request-URI is the whole target URI (the 3xx Contact, or the twin after 416/480)",
         {"uac_invite": "retry -> " + _UAC_TARGET_IS.format("target")}),
    Rule("R-3261-26.3.1-b", R3261, "26.3.1", "SHOULD", "UAC",
         "a UAC contacting a proxy opens TLS",
         {"uac_invite": "route_stored != none and tls and next_tls -> secure(transport)"}),
    Rule("R-3261-8.1.3.5-a", R3261, "8.1.3.5", "SHOULD", "UAC",
         "after a 416 the UAC retries with a SIP URI",
         {"uac_retry": "failure == r416 -> action == retry"}),
    # --- RFC 3261: UAS --------------------------------------------------------------------------
    Rule("R-3261-12.1.1-a", R3261, "12.1.1", "MUST", "UAS",
         "the 2xx Contact is SIPS when the R-URI, the top Record-Route or (without Record-Route) the Contact is",
         {"uas_answer": "status == 200 and (ruri == sips or rr_top == sips or (rr_top == none and "
                        "req_contact == sips)) -> contact == sips"}),
    Rule("R-3261-8.2.2.1-a", R3261, "8.2.2.1", "SHOULD", "UAS",
         "a UAS that does not support SIPS answers a SIPS request with 416",
         {"uas_answer": "ruri == sips and not tls -> status == 416"}),
    # --- RFC 3261: registrar ----------------------------------------------------------------------
    Rule("R-3261-10.2.1-a", R3261, "10.2.1", "SHOULD", "UAC",
         "a SIPS AoR is registered with SIPS Contacts only",
         {"ua_register": "aor == sips -> contact == sips"}),
    Rule("R-3261-10.3-a", R3261, "10.3 step 5", "MUST", "registrar",
         "the AoR key keeps the scheme (literal reading: sip:x and sips:x are different AoRs)",
         {"registrar_accept": "key_scheme"}),
    Rule("R-3261-26.3.2.1-a", R3261, "26.3.2.1", "SHOULD", "UA",
         "a UA registers over TLS",
         {"ua_register": _BEST_EFFORT}),
    # --- RFC 3261: proxy --------------------------------------------------------------------------
    Rule("R-3261-16.5-b", R3261, "16.5", "MUST", "proxy",
         "a proxy not responsible for the R-URI's domain forwards to exactly that R-URI",
         {"proxy_forward": "not responsible -> ruri == in_ruri"}),
    Rule("R-3261-16.6-7", R3261, "16.6 step 7", "MUST", "proxy",
         "a SIPS Request-URI is resolved as SIPS, so the next hop is TLS",
         {"proxy_forward": _SIPS_RURI_TLS, "edge_register": "in_ruri == sips -> secure(transport)",
          "send_in_dialog": "proxy and ruri == sips -> secure(transport)"}),
    Rule("R-3261-16.6-4b", R3261, "16.6 step 4", "MUST", "proxy",
         "a Record-Route value inserted into a request sent SIPS (R-URI or top Route) is SIPS",
         {"proxy_forward": "rr != none and (ruri == sips or route0 == sips) -> rr_out == sips"}),
    Rule("R-3261-16.6-4c", R3261, "16.6 step 4", "MUST", "proxy",
         "a request going out SIPS that came in without TLS is Record-Routed",
         {"proxy_forward": "dialog_forming and (ruri == sips or route0 == sips) and not in_secure -> rr != none"}),
    Rule("R-3261-16.6-4d", R3261, "16.6 step 4", "MUST", "proxy",
         "a request that came in over TLS and goes out SIP is Record-Routed with a non-SIPS value",
         {"proxy_forward": "dialog_forming and in_secure and ruri == sip and route0 != sips -> "
                           "rr != none and rr_out == sip"}),
    Rule("R-3261-16.7-8b", R3261, "16.7 step 8", "MUST", "proxy",
         "on a TLS/non-TLS transition the proxy rewrites its Record-Route value in the response",
         {"proxy_response_rr": "(rr == single and in_secure and not out_secure -> rewrite == sips) and "
                               "(rr == single and not in_secure and out_secure -> rewrite == sip)"}),
    Rule("R-3261-16.7-4a", R3261, "16.7 step 4", "SHOULD NOT", "proxy",
         "no recursion to a non-SIPS Contact when the request was SIPS",
         {"proxy_recurse": "ruri == sips and failure == r3xx and contact == sip -> action == forward"}),
    Rule("R-3261-26.2.2-a", R3261, "26.2.2", "MUST", "proxy",
         "a SIPS request is TLS on every hop up to the element responsible for its domain",
         {"proxy_forward": "in_ruri == sips and not responsible -> secure(transport)"}),
    # --- RFC 3263, 3608, 3327, 5626 -----------------------------------------------------------------
    Rule("R-3263-4.1-a", "RFC 3263", "4.1", "SHOULD", "client",
         "a transport parameter in the URI the next hop is resolved from is used: udp means UDP, tcp means TCP "
         "(TLS runs over TCP, and for a sips URI TCP means TLS, 26.2.2); a received tls is left open (F-17); a "
         "UAC, proxy or in-dialog sender sending a SIPS Request-URI resolves a Route value as if it were SIPS "
         "(RFC 3261 8.1.2, 16.6 step 7), so its udp is not used",
         # an in-dialog sender (UA or proxy) resolves the next hop from the first Route value, else the remote
         # target (steps/routing.py, feature next_tp); ruri is the Request-URI it sends
         {"send_in_dialog": _TPARAM_USED.format("next_tp"),
          # a UAC with a preloaded route resolves the next hop from its first (loose) entry, route_tp
          # (its entry's parameter, route_tp), else from the target (next_tp: a 3xx Contact's on a retry)
          "uac_invite": _TPARAM_USED.format("route_tp") + " and " + _TPARAM_USED.format("next_tp"),
          # a proxy resolves the next hop from the first Route value left (a pushed Path among them), else from
          # the Request-URI (steps/routing.py, feature next_tp), unless it reuses a flow
          "proxy_forward": "flow == none -> " + _TPARAM_USED.format("next_tp")}),
    Rule("R-3263-4.1-c", "RFC 3263", "4.1", "MUST", "client",
         "resolving a SIPS URI keeps only SIPS services, so a SIPS next-hop URI means TLS",
         {"uac_invite": _UAC_NEXT_HOP_SIPS_TLS, "proxy_forward": _SIPS_ROUTE_TLS,
          "send_in_dialog": "next == sips -> secure(transport)"}),
    Rule("R-3608-ua", "RFC 3608", "6.1", "MUST", "UAC",
         "a stored Service-Route is used as the preloaded route as stored",
         {"uac_invite": "(route0 == route_stored and not route_strict) or (ruri == route_stored and route_strict)"}),
    Rule("R-3327-a", "RFC 3327", "(Path)", "MUST", "proxy",
         "the home proxy preloads Route with the stored Path values as stored",
         {"proxy_forward": "route0 == route_next"}),
    Rule("R-5626-5.1", "RFC 5626", "5.1", "MUST", "edge proxy",
         "the first edge proxy inserts a Path value (with a flow token and ob)",
         {"edge_register": "path != none"}),
    Rule("R-5626-7", "RFC 5626", "7", "MUST", "proxy",
         "a request for an outbound binding is sent over the very flow the binding was registered on",
         {"proxy_forward": "flow != none -> transport == flow", "send_in_dialog": "flow != none -> transport == flow"}),
    # --- draft-04 -----------------------------------------------------------------------------------
    Rule("R-04-4-b", D04, "4", "MAY", "proxy",
         "a proxy upgrades SIP to SIPS only with a legitimate reason: a SIPS binding",
         {"proxy_forward": "in_ruri == sip and ruri == sips -> responsible and binding == sips"}),
    Rule("R-04-4-c", D04, "4", "MUST NOT", "proxy",
         "no downgrade of a SIPS request, in scheme or transport, except the last-hop exception",
         {"proxy_forward": "in_ruri == sips and not (responsible and last_hop) -> ruri == sips and secure(transport)"}),
    Rule("R-04-7-a", D04, "7", "MUST NOT", "all",
         "no element generates transport=tls (here: in the Contact a UA sends in an INVITE or its 2xx and the "
         "Route value it preloads, in the Contact of a redirect UA's 302, in the Record-Route values a proxy "
         "inserts, in a REGISTER Contact, and in the Path value an edge proxy inserts)",
         {"uac_invite": "contact_tp != TLS and route_tp != TLS", "uas_answer": "contact_tp != TLS", "proxy_forward": "rr_tp != TLS",
          "ua_register": "contact_tp != TLS", "edge_register": "path_tp != TLS", "redirect_answer": "contact_tp != TLS"}),
    Rule("R-04-4-e", D04, "4", "MUST", "proxy",
         "a 3xx with a SIP Contact to a SIPS request is passed back to the UAC, not recursed on",
         {"proxy_recurse": "ruri == sips and failure == r3xx and contact == sip -> action == forward"},
         supersedes=("R-3261-16.7-4a",)),
    Rule("R-04-4.2-a", D04, "4.2", "MUST", "proxy",
         "double Record-Route where the legs differ in security (F-24 reading B), never rewritten in responses",
         {"proxy_forward": "(rr != none and in_secure != secure(transport) -> rr == double) and "
                           "(rr == double -> in_secure != secure(transport)) and "
                           "(rr == double -> ((rr_in == sips) <-> (in_secure and in_ruri == sips)))",
          "proxy_response_rr": "rewrite == keep"},
         supersedes=("R-3261-16.7-8b",)),
    Rule("R-04-4.2-b", D04, "4.2", "MUST", "proxy",
         "non-TLS in and TLS out: the inserted Record-Route value facing the next element is SIPS",
         {"proxy_forward": "rr != none and not in_secure and secure(transport) -> rr_out == sips"}),
    Rule("R-04-4.2-c", D04, "4.2", "MUST", "UAC",
         "with a SIPS R-URI every preloaded Route entry is SIPS (SIP entries upgraded)",
         {"uac_invite": _UPDATED_ROUTE}, supersedes=("R-3608-ua",)),
    Rule("R-04-5-a", D04, "5", "MUST", "UAC",
         "the AoR is SIPS exactly when every Contact is SIPS",
         {"ua_register": _SIPS_CONTACT_IFF_AOR}),
    Rule("R-04-5-b", D04, "5", "MUST", "registrar",
         "the registrar ignores the AoR scheme",
         {"registrar_accept": "not key_scheme"}, supersedes=("R-3261-10.3-a",)),
    Rule("R-04-5-c", D04, "5", "MUST", "UA",
         "a UA with a SIPS Contact registers to a SIPS R-URI over TLS (policies i and ii)",
         {"ua_register": "contact == sips -> ruri == sips and secure(transport)"}),
    Rule("R-04-5-d", D04, "5", "SHOULD", "edge proxy",
         "a proxy between UA and registrar inserts a Path value",
         {"edge_register": "path != none"}),
    Rule("R-04-5-f", D04, "5", "RECOMMENDED", "UAC",
         "a UAC puts no transport parameter in a REGISTER Contact (the registrar's duties, to accept it and record "
         "the scheme, are the model's mechanics; its RECOMMENDED ignoring of the parameter for routing is not "
         "expressed: with SHOULDs binding no REGISTER Contact carries one under draft-04)",
         {"ua_register": "contact_tp == none"}),
    Rule("R-04-5-e", D04, "5", "MUST", "registrar",
         "a SIPS Contact is bound only if R-URI, To, From, Contacts and Path are SIPS, otherwise 403",
         {"registrar_accept": "contact == sips -> ((status == 200) <-> (ruri == sips and to == sips and "
                              "from == sips and path != sip)) and (status != 200 -> status == 403)"}),
    Rule("R-04-6-c", D04, "6", "MUST", "UAS, UAC",
         "a UAS without SIPS answers 416; the UAC does not downgrade automatically",
         {"uas_answer": "ruri == sips and not tls -> status == 416",
          "uac_retry": "ruri == sips and failure == r416 and not confirmed -> action == stop"},
         supersedes=("R-3261-8.1.3.5-a",)),
    Rule("R-04-6-d", D04, "6", "MUST", "UAS",
         "a UAS that does not take SIP answers a SIP request with 416",
         {"uas_answer": "ruri == sip and not sip_ok -> status == 416"}),
    Rule("R-04-6-e", D04, "6", "RECOMMENDED", "UAC",
         "a SIP R-URI calls for a SIP Contact, even over TLS",
         {"uac_invite": "ruri == sip and route0 != sips -> contact == sip"}),
    # --- RFC 5630 -----------------------------------------------------------------------------------
    Rule("R-5630-5.1.1-a", R5630, "5.1.1", "MUST NOT", "UAC",
         "a UAC never turns a SIPS URI into SIP",
         {"uac_invite": "target == sips -> " + _UAC_TARGET_IS.format("sips")}),
    Rule("R-5630-5.1.1-b", R5630, "5.1.1", "MUST", "UAC",
         "UAs never use transport=tls (its restatement of 8.1.1.8 is R-3261-8.1.1.8-b; here the INVITE and "
         "REGISTER Contacts and the Route value a UAC preloads)",
         {"uac_invite": "contact_tp != TLS and route_tp != TLS", "ua_register": "contact_tp != TLS"}),
    Rule("R-5630-5.1.2-g", R5630, "5.1.2", "MUST NOT", "UAS",
         "a UAS never uses transport=tls (in the Contact of its 2xx, and in the Contact of a redirect UA's 302: a "
         "redirect server is a UAS, RFC 3261 8.3, and RFC 5630 5.4 forbids it transport=tls too)",
         {"uas_answer": "contact_tp != TLS", "redirect_answer": "contact_tp != TLS"}),
    Rule("R-5630-5.1.1-c", R5630, "5.1.1", "MUST NOT", "UAC",
         "no automatic retry with SIP after 416 or 480/380 to a SIPS request",
         {"uac_retry": _DOWNGRADE_RETRY}, supersedes=("R-3261-8.1.3.5-a",)),
    Rule("R-5630-5.1.1-d", R5630, "5.1.1", "MUST", "UAC",
         "with a SIPS R-URI every route-set entry is changed to SIPS (updates RFC 3608)",
         {"uac_invite": _UPDATED_ROUTE}, supersedes=("R-3608-ua",)),
    Rule("R-5630-5.1.1-e", R5630, "5.1.1", "MUST", "UAC",
         "a SIPS top Route is reached over TLS even with a SIP R-URI (a strict one is the SIPS R-URI)",
         {"uac_invite": _UAC_NEXT_HOP_SIPS_TLS}),
    Rule("R-5630-5.1.1.1-c", R5630, "5.1.1.1", "MUST", "UAC",
         "From and To are SIPS exactly when every Contact is SIPS",
         {"ua_register": _SIPS_CONTACT_IFF_AOR}),
    Rule("R-5630-5.1.1.2-a", R5630, "5.1.1.2", "MUST", "UAC",
         "a SIP R-URI with a non-SIPS top Route takes a SIP Contact, even over TLS",
         {"uac_invite": "ruri == sip and route0 != sips -> contact == sip"}),
    Rule("R-5630-5.1.2-c", R5630, "5.1.2", "MUST", "UAS",
         "a UAS that does not want SIPS answers a SIPS request with 480",
         {"uas_answer": "ruri == sips and tls and not sips_ok -> status == 480"}),
    Rule("R-5630-5.1.2-c-warn", R5630, "5.1.2", "SHOULD", "UAS",
         "that 480 carries warn-code 380",
         {"uas_answer": "ruri == sips and status == 480 -> warn == 380"}),
    Rule("R-5630-5.1.2-d", R5630, "5.1.2", "MUST", "UAS",
         "a UAS that does not want SIP answers a SIP request with 480 (SHOULD add 381)",
         {"uas_answer": "ruri == sip and not sip_ok -> status == 480"}),
    Rule("R-5630-5.2-a", R5630, "5.2", "MUST", "registrar",
         "AoRs that differ only in scheme are equivalent",
         {"registrar_accept": "not key_scheme"}, supersedes=("R-3261-10.3-a",)),
    Rule("R-5630-5.2-b", R5630, "5.2", "MUST", "registrar",
         "a SIPS Contact is bound only if R-URI, Contacts and Path are SIPS, otherwise 400",
         {"registrar_accept": "contact == sips -> ((status == 200) <-> (ruri == sips and path != sip)) and "
                              "(status != 200 -> status == 400)"}),
    Rule("R-5630-5.3-a", R5630, "5.3", "MUST NOT", "proxy",
         "no last-hop exception: a SIPS R-URI is forwarded only as SIPS, never to a SIP-registered Contact",
         {"proxy_forward": "in_ruri == sips -> ruri == sips and binding != sip"}),
    Rule("R-5630-5.3-b", R5630, "5.3", "SHOULD", "proxy",
         "SIP requests go over TLS whenever TLS can be used (best-effort TLS)",
         {"proxy_forward": _BEST_EFFORT, "edge_register": _BEST_EFFORT,
          "send_in_dialog": "proxy and tls and next_tls -> secure(transport)"}),
    Rule("R-5630-5.3-c", R5630, "5.3", "MUST", "proxy",
         "a SIP R-URI is never forwarded as SIPS; to a SIPS-registered Contact it goes as SIP over TLS on the hop to the UAS",
         {"proxy_forward": "in_ruri == sip -> ruri == sip and (binding == sips and last_hop -> secure(transport))"}),
    Rule("R-5630-5.3-f", R5630, "5.3", "MUST NOT", "proxy",
         "no recursion on 3xx with a SIP Contact, 416 or 480/380 for a SIPS request",
         {"proxy_recurse": "ruri == sips and (failure in {r416, r480_380} or (failure == r3xx and contact == sip))"
                           " -> action == forward"},
         supersedes=("R-3261-16.7-4a",)),
    Rule("R-5630-5.3-g", R5630, "5.3", "MUST NOT", "proxy",
         "no recursion on 3xx with a SIPS Contact or 480/381 for a SIP request",
         {"proxy_recurse": "ruri == sip and (failure == r480_381 or (failure == r3xx and contact == sips))"
                           " -> action == forward"}),
    Rule("R-5630-AppA-10.2.1", R5630, "Appendix A (3261 10.2.1)", "MUST", "UAC",
         "a SIPS AoR is registered with SIPS Contacts only",
         {"ua_register": "aor == sips -> contact == sips"}, supersedes=("R-3261-10.2.1-a",)),
    Rule("R-5630-AppA-16.7", R5630, "Appendix A (3261 16.7)", "(deletion)", "proxy",
         "deletes the Record-Route rewrite of 3261 16.7 step 8 and puts nothing in its place (F-6)",
         {}, supersedes=("R-3261-16.7-8b",)),
    # --- the trial balloon (SIPS-RULES.md section B) -------------------------------------------------
    Rule("DEAN-1", BCP, "point 1", "SHOULD", "all",
         "elements use TLS for sip: URIs where they can",
         {"uac_invite": _BEST_EFFORT, "proxy_forward": _BEST_EFFORT, "ua_register": _BEST_EFFORT,
          "edge_register": _BEST_EFFORT, "send_in_dialog": _BEST_EFFORT}),
    Rule("DEAN-2", BCP, "point 2", "MUST NOT", "proxy",
         "no last-hop exception for sips: a SIPS R-URI stays SIPS",
         {"proxy_forward": "in_ruri == sips -> ruri == sips"}),
    Rule("DEAN-4b", BCP, "point 4b", "MUST NOT", "gateway",
         "no non-SIP (PSTN) termination of sips: a gateway does not accept a SIPS request",
         {"uas_answer": "gateway and ruri == sips -> status != 200"}),
    Rule("DEAN-4a", BCP, "point 4a", "MUST", "UAC, proxy",
         "a SIPS session uses SIPS for every derived request (redirects, retries)",
         {"proxy_recurse": "ruri == sips and (failure in {r416, r480_380} or (failure == r3xx and contact == sip))"
                           " -> action == forward",
          "uac_retry": "ruri == sips and not confirmed -> action == stop or (failure == r3xx and contact == sips)"}),
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}

#: Rules of SIPS-RULES.md section A that the model does not express as constraints, and why.
UNEXPRESSED: tuple[Unexpressed, ...] = (
    Unexpressed("R-3261-19.1-a", "defines what the scheme means; it is the property I-1, not a constraint"),
    Unexpressed("R-3261-19.1-b", "resource identity of the twins; expressed by the AoR key (R-04-4-a, I-9)"),
    Unexpressed("R-3261-19.1.1-a", "syntax: the parser refuses sips with transport=udp, and the model never "
                                   "generates one (model constraints of every choice point that writes a "
                                   "parameter: the Contacts of uac_invite, uas_answer and ua_register, "
                                   "proxy_forward's Record-Route values, Request-URI and Route value, "
                                   "edge_register's Path value, uac_invite's preloaded Route value and a "
                                   "retry's target, redirect_answer's 302 Contact)"),
    Unexpressed("R-3261-19.1.1-b", "syntax: duplicate URI parameters are a ParseError"),
    Unexpressed("R-3261-19.1.1-c", "syntax: Table 1 contexts; the model never generates disallowed components"),
    Unexpressed("R-3261-19.1.2-a", "syntax: an escaped host is a ParseError"),
    Unexpressed("R-3261-19.1.4-a", "URI equality is implemented in sipsmodel.syntax (uri_equal)"),
    Unexpressed("R-3261-19.1.5-a", "URI-embedded headers are never honoured by the model"),
    Unexpressed("R-3261-19.1.6-a", "tel to sips conversion: gateways are not modelled"),
    Unexpressed("R-3261-8.1.1.1-a", "route-set construction is part of the model's mechanics (12.2.1.1)"),
    Unexpressed("R-3261-8.1.1.8-a", "exactly one Contact: the model always sends one"),
    Unexpressed("R-3261-8.1.2-a", "next-hop selection from the Route set is the model's mechanics"),
    Unexpressed("R-3261-8.1.2-c", "alternate destinations by local policy are not modelled"),
    Unexpressed("R-3261-8.1.2-d", "the model always sends to the top Route value"),
    Unexpressed("R-3261-8.1.3.4-a", "a MAY with a SHOULD-notify: no constraint; the notification is not modelled"),
    Unexpressed("R-3261-12.1.2-a", "restated by R-3261-8.1.1.8-b"),
    Unexpressed("R-3261-12.1.2-b", "definition of the UAC secure flag: model mechanics (dialogs)"),
    Unexpressed("R-3261-12.1.2-c", "route set from Record-Route: model mechanics (dialogs)"),
    Unexpressed("R-3261-12.2.1.1-a", "in-dialog request construction: model mechanics"),
    Unexpressed("R-3261-12.2.1.1-b", "target refresh Contact: re-INVITE Contacts are not varied by the model"),
    Unexpressed("R-3261-12.1.1-b", "definition of the UAS secure flag: model mechanics (dialogs)"),
    Unexpressed("R-3261-12.1.1-c", "UAS route set: model mechanics (dialogs)"),
    Unexpressed("R-3261-26.4.4-b", "UAS inspection of To and Via is a MAY: no constraint"),
    Unexpressed("R-3261-26.2.2-d", "a MAY: policy features sips_ok and sip_ok of uas_answer"),
    Unexpressed("R-3261-10.2-a", "REGISTER form: model mechanics"),
    Unexpressed("R-3261-10.2-b", "the model never Record-Routes a REGISTER"),
    Unexpressed("R-3261-10.3-b", "Contact binding matching is implemented with uri_equal in the registrar"),
    Unexpressed("R-3261-16.5-a", "location lookup with the AoR key: model mechanics (key_scheme)"),
    Unexpressed("R-3261-26.4.4-a", "a permission: the location service may answer any scheme; no constraint"),
    Unexpressed("R-3261-26.4.4-c", "a statement (proxies may retarget SIP to SIPS): no constraint in RFC 3261"),
    Unexpressed("R-3261-16.4-a", "route removal: model mechanics (a proxy removes all of its own entries)"),
    Unexpressed("R-3261-16.5-c", "empty target set gives 480: model mechanics"),
    Unexpressed("R-3261-16.6-2", "R-URI := target; the location service may map schemes (26.4.4-a), so no constraint"),
    Unexpressed("R-3261-16.6-4a", "the model's Record-Route values always carry lr and no transport"),
    Unexpressed("R-3261-16.6-6", "routes pushed by local policy are not modelled"),
    Unexpressed("R-3261-16.7-8a", "a MAY: covered by the rewrite option of proxy_response_rr"),
    Unexpressed("R-3261-26.3.1-a", "TLS implementation duties: capabilities, not choices"),
    Unexpressed("R-3261-26.3.2.2-a", "mutual TLS and connection reuse are not modelled"),
    Unexpressed("R-3261-18.1.1-a", "the top Via names the transport used: model mechanics (except malicious)"),
    Unexpressed("R-3261-18.2.2-a", "responses reuse the request's connection: model mechanics"),
    Unexpressed("R-3261-20.42-a", "Via transport vocabulary: model vocabulary"),
    Unexpressed("R-3261-26.2.1-a", "a statement about TLS scope"),
    Unexpressed("R-3261-26.2.2-b", "certificates and cipher suites are not modelled"),
    Unexpressed("R-3261-26.2.2-c", "a deprecation without a keyword: transport=tls stays an option under RFC 3261"),
    Unexpressed("R-3261-8.1.1.2-a", "a capability: TLS support implies SIPS support in the model"),
    Unexpressed("R-04-3-a", "restated by R-04-4-c and R-3261-26.2.2-a"),
    Unexpressed("R-04-3-b", "an interpretation; in-dialog requests from the UAS follow send_in_dialog rules"),
    Unexpressed("R-04-4-a", "resource identity: the AoR key (R-04-5-b)"),
    Unexpressed("R-04-4-d", "upgrade by guessing is not modelled (the target scheme is given)"),
    Unexpressed("R-04-4.1-a", "UAS inference: no constraint on choices"),
    Unexpressed("R-04-4.1-b", "UAS classification algorithm (RECOMMENDED) is not modelled"),
    Unexpressed("R-04-4.1-c", "local policy MAY: no constraint"),
    Unexpressed("R-04-4.1-d", "SIP Identity is not modelled"),
    Unexpressed("R-04-6-a", "restated by R-3261-8.1.1.8-b"),
    Unexpressed("R-04-6-b", "restated by R-3261-12.1.1-a"),
    Unexpressed("R-04-6-f", "target refresh Contacts are not varied by the model"),
    Unexpressed("R-04-7-b", "Via transport vocabulary"),
    Unexpressed("R-04-8-a", "GRUU is not modelled"),
    Unexpressed("R-04-10-a", "rationale"),
    Unexpressed("R-5630-5.1.1.1-a", "UA policy: the want_sips feature of ua_register"),
    Unexpressed("R-5630-5.1.1.1-b", "the model registers one Contact per UA"),
    Unexpressed("R-5630-5.1.1.2-b", "target refresh Contacts are not varied by the model"),
    Unexpressed("R-5630-5.1.1.3-a", "REFER, Replaces, Join and 3pcc are not modelled"),
    Unexpressed("R-5630-5.1.2-a", "restated by the rules of uas_answer"),
    Unexpressed("R-5630-5.1.2-b", "restated by R-3261-12.1.1-a"),
    Unexpressed("R-5630-5.1.2-e", "the reason for a rejection is not observable; 400 is not constrained"),
    Unexpressed("R-5630-5.1.2-f", "target refresh Contacts are not varied by the model"),
    Unexpressed("R-5630-5.2-c", "Service-Route generation by the registrar is scripted in scenarios"),
    Unexpressed("R-5630-5.2.1-a", "GRUU is not modelled"),
    Unexpressed("R-5630-5.3-d", "the reason for a rejection is not observable"),
    Unexpressed("R-5630-5.3-e", "certificate-less UACs: outbound flows are modelled, the recommendation is not"),
    Unexpressed("R-5630-5.4-a", "a redirect UA's target is configured, its scheme is not a choice (its "
                                "transport=tls ban is read by R-5630-5.1.2-g at redirect_answer)"),
    Unexpressed("R-5630-5.4-b", "a redirect UA's target is configured, its scheme is not a choice (its "
                                "transport=tls ban is read by R-5630-5.1.2-g at redirect_answer)"),
    Unexpressed("R-5630-9", "IANA registration of warn-codes"),
    Unexpressed("R-3608-proxy", "intermediaries never alter Service-Route in the model"),
    Unexpressed("R-3608-reg", "Service-Route generation is scripted in scenarios"),
    Unexpressed("R-3608-sec", "integrity and S/MIME are not modelled"),
    Unexpressed("R-3608-dRR", "expressed by R-04-4.2-a in the draft-04 rule set"),
    Unexpressed("R-5626-4.2.1", "outbound registration parameters: model mechanics"),
    Unexpressed("R-5626-4.3", "certificates are not modelled"),
    Unexpressed("R-5626-5.3.1", "flow tokens: model mechanics"),
    Unexpressed("R-5626-6", "the registrar stores Path and flow: model mechanics"),
    Unexpressed("R-5627-5.1", "GRUU is not modelled"),
    Unexpressed("R-5627-6.1", "GRUU is not modelled"),
    Unexpressed("R-5627-7", "GRUU is not modelled"),
    Unexpressed("R-3263-4.1-b", "numeric hosts and explicit ports are not modelled (F-14)"),
    Unexpressed("R-3263-4.1-d", "DNS records are not modelled"),
    Unexpressed("R-3263-4.1-e", "certificates are not modelled"),
    Unexpressed("R-3263-4.1-f", "DNS records are not modelled"),
    Unexpressed("R-3263-4.2-a", "DNS records are not modelled"),
)

"""Call flows the trace tests drive through a real Kamailio with sipsmodel.replay.agent user agents.

REGISTER (2 messages at the proxy), then INVITE / 100 / 200 / ACK / BYE / 200 (RFC 3261 sections 10, 13, 15):
11 messages at the proxy.
"""

from __future__ import annotations

from sipsmodel.replay.agent import Agent, Incoming, new_tag
from sipsmodel.syntax import parse_message

WAIT = 5.0
MESSAGES_PER_CALL = 11


def register(ua: Agent, proxy: tuple[str, int], aor: str) -> None:
    """REGISTER ``aor`` with the agent's own Contact; wait for the 200."""
    scheme = aor.split(":", 1)[0]
    ua.send(ua.request("REGISTER", f"{scheme}:example.test", f"<{aor}>", f"<{aor}>;tag={new_tag()}",
                       f"reg-{new_tag()}", 1, ("Expires: 300",)), proxy)
    ua.receive_until("SIP/2.0 200", WAIT)


def _in_dialog(ua: Agent, method: str, ok: Incoming, call_id: str, from_: str, to: str, cseq: int) -> bytes:
    """An in-dialog request: Request-URI the remote target, Route the reversed Record-Route (12.2.1.1)."""
    message = parse_message(ok.data, strict=False)
    contacts = message.contacts()
    assert isinstance(contacts, list) and contacts
    routes = [f"Route: {value.render()}" for value in reversed(message.record_routes())]
    return ua.request(method, contacts[0].uri.render(), to, from_, call_id, cseq, tuple(routes),
                      contact=method != "BYE")


def call(caller: Agent, callee: Agent, proxy: tuple[str, int], target: str) -> None:
    """INVITE ``target`` from ``caller`` through ``proxy``; the callee answers 200; ACK; BYE; 200."""
    call_id, tag, callee_tag = f"call-{new_tag()}", new_tag(), new_tag()
    scheme = target.split(":", 1)[0]
    from_, to = f"<{scheme}:alice@example.test>;tag={tag}", f"<{target}>"
    caller.send(caller.request("INVITE", target, to, from_, call_id, 1), proxy)
    invite = callee.receive_until("INVITE", WAIT)
    callee.reply(invite, callee.response(invite, 200, "OK", callee_tag))
    ok = caller.receive_until("SIP/2.0 200", WAIT)
    to_tagged = f"{to};tag={callee_tag}"
    caller.send(_in_dialog(caller, "ACK", ok, call_id, from_, to_tagged, 1), proxy)
    callee.receive_until("ACK", WAIT)
    caller.send(_in_dialog(caller, "BYE", ok, call_id, from_, to_tagged, 2), proxy)
    bye = callee.receive_until("BYE", WAIT)
    callee.reply(bye, callee.response(bye, 200, "OK"))
    caller.receive_until("SIP/2.0 200", WAIT)


def register_for(ua: Agent, proxy: tuple[str, int], aor: str, contact: str) -> None:
    """REGISTER ``contact`` for ``aor`` on behalf of another UA (RFC 3261 10.2: third-party registration)."""
    ua.send(ua.request("REGISTER", "sip:example.test", f"<{aor}>", f"<{aor}>;tag={new_tag()}", f"reg-{new_tag()}",
                       1, ("Expires: 300", f"Contact: <{contact}>"), contact=False), proxy)
    ua.receive_until("SIP/2.0 200", WAIT)


def call_out(caller: Agent, proxy: tuple[str, int], target: str) -> None:
    """The caller's side of a call to a UAS it does not drive (SIPp): INVITE, 200, ACK, BYE, 200."""
    call_id, tag = f"call-{new_tag()}", new_tag()
    scheme = target.split(":", 1)[0]
    from_, to = f"<{scheme}:alice@example.test>;tag={tag}", f"<{target}>"
    caller.send(caller.request("INVITE", target, to, from_, call_id, 1), proxy)
    ok = caller.receive_until("SIP/2.0 200", WAIT)
    to_tag = parse_message(ok.data, strict=False).to()
    assert to_tag is not None
    to_tagged = f"{to};tag={to_tag.tag}"
    caller.send(_in_dialog(caller, "ACK", ok, call_id, from_, to_tagged, 1), proxy)
    caller.send(_in_dialog(caller, "BYE", ok, call_id, from_, to_tagged, 2), proxy)
    caller.receive_until("SIP/2.0 200", WAIT)

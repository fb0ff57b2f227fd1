"""Who acts on a message the simulator delivers, as a table (RFC 3261 8.2, 10.3, 16.3 to 16.10).

Theory of operation: ``deliver`` puts a message on the wire and then calls its receiver, and the
handlers (``proxy``, ``register``, ``ua``) call ``deliver`` to send. So that they do not import each
other in a ring, ``deliver`` never imports a handler: it looks the receiver up in the table the state
carries (``SimState.receivers``), which the engine builds here, once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sipsmodel.sim import proxy, register, ua
from sipsmodel.sim.state import Branch, ServerTxn, SimState, UacTxn
from sipsmodel.syntax import SipMessage

OnRequest = Callable[[SimState, ServerTxn], None]


@dataclass(frozen=True)
class Receivers:
    """The handler of each kind of arrival."""

    ua_request: OnRequest  # a UA receives a request (UAS, RFC 3261 8.2)
    registrar_request: OnRequest  # a registrar receives a REGISTER for a domain of its own (10.3)
    proxy_request: OnRequest  # any other element receives a request (16.3 to 16.6)
    proxy_cancel: OnRequest  # a proxy receives a CANCEL (16.10)
    proxy_response: Callable[[SimState, Branch, SipMessage], None]  # a response to a proxy's branch (16.7)
    ua_response: Callable[[SimState, UacTxn, SipMessage], None]  # a response to a UAC transaction (8.1.3)


RECEIVERS = Receivers(
    ua_request=ua.on_request,
    registrar_request=register.on_register,
    proxy_request=proxy.on_request,
    proxy_cancel=proxy.on_cancel,
    proxy_response=proxy.on_response,
    ua_response=ua.on_response,
)

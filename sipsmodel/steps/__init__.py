"""Protocol steps written once for both engines (issue 11 item 1; DESIGN.md "One semantics, two engines").

Theory of operation
-------------------
A *step* is a piece of protocol behaviour both engines need: which FAILURE a final response is, the
scheme of a retry or recursion target, the best final response a forking proxy forwards, the next hop
from a route set. Each step is a plain function ``step(ops, ...)`` whose values are opaque: booleans
``B``, integers ``N`` and members of a vocab domain ``E``. It computes only through ``ops``, an
:class:`~sipsmodel.steps.ops.Ops`: if-then-else, and/or/not, equality with a vocabulary constant,
integer comparison with a literal, constants of a domain. Nothing else: no Python ``if`` on a value,
no ``==`` on a value, no loop whose length depends on a value (loops over a *list of rows* are fine:
the length of the list is structure, known to both engines).

Two implementations run the same step:

- :data:`sipsmodel.steps.ops.CONCRETE` (here, plain Python: ``bool``, ``int``, ``str``): the simulator
  calls the step on the values it holds (a response's status, a URI's scheme) and gets a value back;
- ``sipsmodel.smt.ops.Z3`` (in ``smt``, the only package that imports z3): the encoding calls the very
  same step on Z3 terms and ``Sym`` values and gets a term back. The Z3 operations build exactly the
  terms the hand-written encoding built (``tests/steps`` checks them structurally), and a condition
  that is a Python ``bool`` (a fact of the bounded family, known while building) folds away instead of
  becoming an ``If``, so a step never costs the solver more than the hand-written terms did.

This is the pattern of ``sipsmodel.model.expr``: the rule and property trees are evaluated by the
simulator and compiled by ``smt.compile``; steps extend it from formulas to the protocol's own
behaviour. The differential test (tests/smt, tests/sim) still runs both engines end to end, and every
counterexample is still replayed by the simulator: what a step shares is its *logic*, not the engines.

What is shared and what stays per engine
----------------------------------------
Shared (``sipsmodel.steps``):

- ``responses``: the failure classification of a final response and whether a proxy may recurse or
  a UAC retry on it (RFC 3261 16.7 step 4, 8.1.3.4; RFC 5630 5.3), the scheme of the retry or
  recursion target, and the ``contact`` feature those visits read;
- ``best``: the best final response of a forking proxy and the 480 (+380) it sends when no branch
  was sent (RFC 3261 16.7 step 6, RFC 5630 5.3);
- ``routing``: the next hop from the Route values left, an outbound proxy or the Request-URI, with the
  ``next``/``next_tp`` features (RFC 3261 12.2.1.1, 16.4, 16.6 steps 6-7; RFC 3263 4.1), and a strict
  router's Request-URI swap: which URI a request is sent with, its top Route value, and which of a
  UAC's sent URIs is the target (12.2.1.1, 8.1.1.1, 16.6 step 6; F-19);
- ``recordroute``: the scheme a proxy rewrites its own Record-Route value to (RFC 3261 16.7 step 8);
- ``features``: the feature mapping of every choice point (``uac_invite``, ``uas_answer``,
  ``redirect_answer``, ``ua_register``, ``edge_register``, ``registrar_accept``, ``proxy_forward``,
  ``proxy_target``, ``proxy_recurse``, ``proxy_response_rr``, ``uac_retry``, ``send_in_dialog``), one
  builder per choice point with the choice point's own names (tests/steps checks that none is missing);
- ``records``: the ``retries`` record (every attribute but the decision's index), the ``dialogs``
  and the ``bindings`` records.

Per engine, and why:

- the simulator's rewriting of real ``SipMessage`` values (Route and Record-Route headers, Via, the
  Request-URI with its parameters, applying a strict router's swap to the headers) stays in ``sim``: a step speaks
  of the vocabulary (schemes, statuses, flags), not of text; the simulator maps a message to those
  values (``sim/wire.py``, ``sim/nexthop.py``) and applies a step's answer to the message.
- how the encoding *obtains* the values (slots, segments, the linear router of ``smt/indialog.py``
  that tabulates the Route values left per owner, the edge proxy's 480 folded into the status pb
  sees) stays in ``smt``: those represent unbounded structure (lists, a walk of any length) in a
  bounded term, which the simulator does not need; the step receives what they produce.
- the event order (when each answer arrives, the segments and ranks of the encoding) stays per
  engine: the simulator runs events, the encoding lays them out as ranks.
- the ``hops`` and ``forwards`` records (``sim/observe.py`` and ``sim/proxy.py`` against
  ``smt/records.py``): the simulator reads them off the SIP message it actually built and sent (its
  Request-URI, Route, Record-Route, Via, parameters), the encoding assembles them from the visit's
  options. Reading the wire is what keeps the simulator an independent check of the encoding's hop
  records (the differential test compares them attribute by attribute); a shared builder would make
  both read the options and so check nothing.
"""

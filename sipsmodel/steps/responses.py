"""Failure classification of a final response and the target a retry or recursion takes (one step, two engines).

RFC 3261 16.7 step 4 (a proxy recursing on a 3xx), 8.1.3.4 (a UAC retrying on a 3xx or a 416), RFC 5630
5.3 and RFC 3261 21.4.25 (480 with warn-code 380 "SIPS Not Allowed" or 381 "SIPS Required", a request
for the twin URI). docs/semantics.md, A call, steps 5-6. Theory of operation: ``sipsmodel.steps``.
"""

from __future__ import annotations

from sipsmodel.model.vocab import FAILURE, SCHEME
from sipsmodel.steps.ops import B, E, N, Ops, in_class


def has_failure(ops: Ops[B, N, E], status: N, warn: N) -> B:
    """The response is one a proxy may recurse on or a UAC may retry (3xx, 416, 480 with 380 or 381)."""
    return ops.or_(in_class(ops, status, 300), ops.eq(status, 416),
                   ops.and_(ops.eq(status, 480), ops.or_(ops.eq(warn, 380), ops.eq(warn, 381))))


def failure_of(ops: Ops[B, N, E], status: N, warn: N) -> E:
    """The FAILURE a final response is (meaningful when :func:`has_failure`; else ``r480_381``)."""
    return ops.ite(in_class(ops, status, 300), ops.const(FAILURE, "r3xx"),
                   ops.ite(ops.eq(status, 416), ops.const(FAILURE, "r416"),
                           ops.ite(ops.and_(ops.eq(status, 480), ops.eq(warn, 380)), ops.const(FAILURE, "r480_380"),
                                   ops.const(FAILURE, "r480_381"))))


def contact_feature(ops: Ops[B, N, E], failure: E, contact: E) -> E:
    """The ``contact`` feature of proxy_recurse and uac_retry: a 3xx's Contact scheme, else ``sip``."""
    return ops.ite(ops.is_(failure, "r3xx"), contact, ops.const(SCHEME, "sip"))


def retry_scheme(ops: Ops[B, N, E], failure: E, contact: E) -> E:
    """The scheme of the new target: the 3xx Contact's, else the twin (480/381: sips; 416, 480/380: sip)."""
    twin = ops.ite(ops.is_(failure, "r480_381"), ops.const(SCHEME, "sips"), ops.const(SCHEME, "sip"))
    return ops.ite(ops.is_(failure, "r3xx"), contact, twin)

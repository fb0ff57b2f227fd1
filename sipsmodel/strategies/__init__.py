"""Public Hypothesis strategies for sipsmodel values (docs/strategies.md).

``sipsmodel.strategies.syntax``: valid SIP and SIPS URIs, absolute URIs, name-addrs, Via values and
whole messages as values, and ``*_texts()`` variants that draw the text a lenient receiver must accept
(RFC 3261 section 25.1). ``sipsmodel.strategies.model``: random topologies and scenarios in the
shape of docs/semantics.md. Import them from here; ``__all__`` lists every public strategy (a test
keeps it equal to the submodules' public functions).
"""

from sipsmodel.strategies.model import scenarios, topologies
from sipsmodel.strategies.syntax import (
    absolute_uris,
    hostnames,
    hosts,
    ipv4_addresses,
    ipv6_addresses,
    name_addr_texts,
    name_addrs,
    sip_message_texts,
    sip_messages,
    sip_uri_texts,
    sip_uris,
    sips_uris,
    tokens,
    uris,
    via_texts,
    via_values,
)

__all__ = [
    "absolute_uris",
    "hostnames",
    "hosts",
    "ipv4_addresses",
    "ipv6_addresses",
    "name_addr_texts",
    "name_addrs",
    "scenarios",
    "sip_message_texts",
    "sip_messages",
    "sip_uri_texts",
    "sip_uris",
    "sips_uris",
    "tokens",
    "topologies",
    "uris",
    "via_texts",
    "via_values",
]

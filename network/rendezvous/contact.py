"""What a node puts in its (sealed) registration: its discovery label and direct addresses.

``msgpack([1, label, [[host, port], ...]])``, at most :data:`~.tags.INFO_SIZE` bytes: addresses
that do not fit are left out. Only members of the circle can read it (it is sealed with a key
derived from the circle secret); a member uses the label to tell whether it already has a link
to that peer (over the LAN, say), and the addresses to try a direct connection before the relay.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass

import msgpack

from .. import strictpack
from .tags import INFO_SIZE

VERSION = 1
MAX_ADDRESSES = 8


@dataclass(frozen=True)
class Contact:
    label: str
    addresses: tuple[tuple[str, int], ...] = ()

    def encode(self) -> bytes:
        fields: list[object] = [VERSION, self.label, []]
        packed = bytes(msgpack.packb(fields, use_bin_type=True))
        if len(packed) > INFO_SIZE:
            raise ValueError("the label alone is too long for a registration")
        kept: list[list[object]] = []
        for host, port in self.addresses[:MAX_ADDRESSES]:
            trial = bytes(
                msgpack.packb([VERSION, self.label, [*kept, [host, port]]], use_bin_type=True)
            )
            if len(trial) > INFO_SIZE:
                break
            kept.append([host, port])
            packed = trial
        return packed


def decode_contact(data: bytes) -> Contact | None:
    """The contact in ``data``, or None when it is not one (nothing raised: it came from a peer)."""
    try:
        value = strictpack.unpack(data, max_bin=0, max_map=0)
    except strictpack.Undecodable:
        return None
    if not (isinstance(value, list) and len(value) == 3 and value[0] == VERSION):
        return None
    _, label, addresses = value
    if not isinstance(label, str) or not 0 < len(label) <= 64 or not isinstance(addresses, list):
        return None
    clean: list[tuple[str, int]] = []
    for item in addresses[:MAX_ADDRESSES]:
        if not (isinstance(item, list) and len(item) == 2):
            return None
        host, port = item
        if not isinstance(host, str) or type(port) is not int or not 1 <= port <= 65535:
            return None
        try:
            ip = ipaddress.ip_address(host)
        except ValueError:
            return None
        if ip.is_unspecified or ip.is_multicast:
            return None
        clean.append((str(ip), port))
    return Contact(label, tuple(clean))


def direct_addresses(
    bound: Sequence[tuple[str, int]], interfaces: Sequence[str]
) -> list[tuple[str, int]]:
    """The addresses a listener bound to ``bound`` is reachable on: a wildcard host stands for
    each of ``interfaces``."""
    out: list[tuple[str, int]] = []
    for host, port in bound:
        hosts = list(interfaces) if host in ("0.0.0.0", "::") else [host]
        out += [(h, port) for h in hosts if (h, port) not in out]
    return out

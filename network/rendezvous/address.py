"""Rendezvous addresses: ``HOST:PORT:KEY``, everything a client needs to reach a server.

* ``HOST``: an IPv4 address (``198.18.1.1``), a DNS name (``rv.example.org``), or an IPv6 address
  in brackets (``[2001:db8::1]``);
* ``PORT``: 1 to 65535, decimal;
* ``KEY``: the server's X25519 public key (its Noise static key), 32 bytes as RFC 4648 base32
  without padding: 52 characters, case-insensitive, written lowercase.

For example ``198.18.1.1:7700:2zq4...`` (52 key characters). The whole text is printable ASCII
and at most :data:`MAX_LENGTH` characters, so it fits an invite link. :func:`parse_address`
raises :class:`~network.rendezvous.errors.AddressError` saying which part is wrong.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from dataclasses import dataclass

from .errors import AddressError

KEY_SIZE = 32
KEY_CHARS = 52
MAX_LENGTH = 255
_HOSTNAME_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def encode_key(key: bytes) -> str:
    if len(key) != KEY_SIZE:
        raise AddressError(f"a server key is {KEY_SIZE} bytes, not {len(key)}")
    return base64.b32encode(key).decode("ascii").rstrip("=").lower()


def decode_key(text: str) -> bytes:
    if len(text) != KEY_CHARS:
        raise AddressError(f"the server key must be {KEY_CHARS} base32 characters, not {len(text)}")
    try:
        key = base64.b32decode(text.upper() + "====", casefold=False)
    except (binascii.Error, ValueError):
        raise AddressError("the server key is not base32 (letters a-z and digits 2-7)") from None
    if len(key) != KEY_SIZE or encode_key(key) != text.lower():
        raise AddressError("the server key is not canonical base32")
    if key == bytes(KEY_SIZE):
        raise AddressError("the server key is all zeros")
    return key


def _clean_host(host: str) -> str:
    """The host as sockets want it: IPv6 without brackets, names in lowercase."""
    if not isinstance(host, str) or not host:
        raise AddressError("the host is missing")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
        if ":" not in host:
            raise AddressError(f"not an IPv6 address: {host!r}")
    if ":" in host:
        try:
            return str(ipaddress.IPv6Address(host))
        except ValueError:
            raise AddressError(f"not an IPv6 address: {host!r}") from None
    if "[" in host or "]" in host:
        raise AddressError("an IPv6 host must be in brackets: [2001:db8::1]")
    if all(part.isdigit() for part in host.split(".")):
        try:
            return str(ipaddress.IPv4Address(host))
        except ValueError:
            raise AddressError(f"not an IPv4 address: {host!r}") from None
    name = host.lower().removesuffix(".")
    if len(name) > 253 or not all(_HOSTNAME_LABEL.match(label) for label in name.split(".")):
        raise AddressError(f"not a valid host name: {host!r}")
    return name


def _clean_port(text: str) -> int:
    if not text:
        raise AddressError("the port is missing")
    if not text.isascii() or not text.isdigit() or len(text) > 5:
        raise AddressError(f"the port must be a number from 1 to 65535, not {text!r}")
    port = int(text)
    if not 1 <= port <= 65535:
        raise AddressError(f"the port must be a number from 1 to 65535, not {port}")
    return port


@dataclass(frozen=True)
class RendezvousAddress:
    """Where a rendezvous server listens and the public key it proves it holds. ``host`` is
    kept as sockets want it (an IPv6 address without brackets)."""

    host: str
    port: int
    public_key: bytes

    def __post_init__(self) -> None:
        object.__setattr__(self, "host", _clean_host(self.host))
        if not isinstance(self.port, int) or not 1 <= self.port <= 65535:
            raise AddressError(f"the port must be a number from 1 to 65535, not {self.port!r}")
        if not isinstance(self.public_key, bytes) or len(self.public_key) != KEY_SIZE:
            raise AddressError(f"the server key must be {KEY_SIZE} bytes")
        if len(str(self)) > MAX_LENGTH:
            raise AddressError(f"a rendezvous address is at most {MAX_LENGTH} characters")

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}:{encode_key(self.public_key)}"

    @classmethod
    def parse(cls, text: str) -> RendezvousAddress:
        return parse_address(text)


def parse_address(text: str) -> RendezvousAddress:
    """``HOST:PORT:KEY`` into a :class:`RendezvousAddress` (see the module docstring)."""
    if not isinstance(text, str):
        raise AddressError("a rendezvous address is text")
    text = text.strip()
    if not text:
        raise AddressError("the rendezvous address is empty")
    if len(text) > MAX_LENGTH:
        raise AddressError(f"a rendezvous address is at most {MAX_LENGTH} characters")
    if not all("!" <= c <= "~" for c in text):
        raise AddressError("a rendezvous address is printable ASCII without spaces")
    rest, sep, key_text = text.rpartition(":")
    if not sep:
        raise AddressError("expected HOST:PORT:KEY")
    host_text, sep, port_text = rest.rpartition(":")
    if not sep:
        raise AddressError("expected HOST:PORT:KEY (the key or the port is missing)")
    if ":" in host_text and not (host_text.startswith("[") and host_text.endswith("]")):
        raise AddressError("an IPv6 host must be in brackets: [2001:db8::1]:PORT:KEY")
    key = decode_key(key_text)
    port = _clean_port(port_text)
    return RendezvousAddress(host_text, port, key)


def format_address(host: str, port: int, public_key: bytes) -> str:
    return str(RendezvousAddress(host, port, public_key))

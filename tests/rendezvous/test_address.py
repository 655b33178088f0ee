"""Rendezvous addresses: HOST:PORT:KEY, parsed strictly with a clear reason, formatted back."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from network.rendezvous.address import (
    KEY_CHARS,
    MAX_LENGTH,
    RendezvousAddress,
    decode_key,
    encode_key,
    format_address,
    parse_address,
)
from network.rendezvous.errors import AddressError, RendezvousError

KEY = bytes(range(1, 33))
KEY_TEXT = encode_key(KEY)


def test_key_text_is_52_lowercase_base32_characters() -> None:
    assert len(KEY_TEXT) == KEY_CHARS == 52
    assert KEY_TEXT.lower() == KEY_TEXT and set(KEY_TEXT) <= set("abcdefghijklmnopqrstuvwxyz234567")
    assert decode_key(KEY_TEXT) == KEY
    assert decode_key(KEY_TEXT.upper()) == KEY  # case-insensitive


@pytest.mark.parametrize(
    ("text", "host", "port"),
    [
        (f"198.18.1.1:7700:{KEY_TEXT}", "198.18.1.1", 7700),
        (f"rv.Example.org:1:{KEY_TEXT}", "rv.example.org", 1),
        (f"localhost:65535:{KEY_TEXT}", "localhost", 65535),
        (f"[2001:db8::1]:7700:{KEY_TEXT}", "2001:db8::1", 7700),
        (f"[2001:DB8:0::1]:7700:{KEY_TEXT}", "2001:db8::1", 7700),
        (f"  198.18.1.1:7700:{KEY_TEXT}\n", "198.18.1.1", 7700),
    ],
)
def test_parse(text: str, host: str, port: int) -> None:
    address = parse_address(text)
    assert (address.host, address.port, address.public_key) == (host, port, KEY)
    assert parse_address(str(address)) == address
    assert RendezvousAddress.parse(text) == address


def test_format_brackets_ipv6_and_round_trips() -> None:
    assert format_address("::1", 7700, KEY) == f"[::1]:7700:{KEY_TEXT}"
    assert format_address("198.18.0.1", 80, KEY) == f"198.18.0.1:80:{KEY_TEXT}"
    assert RendezvousAddress("[::1]", 9, KEY).host == "::1"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("nocolon", "HOST:PORT:KEY"),
        (f"198.18.1.1:{KEY_TEXT}", "key or the port is missing"),
        (f":7700:{KEY_TEXT}", "host is missing"),
        (f"198.18.1.1::{KEY_TEXT}", "port is missing"),
        (f"198.18.1.1:0:{KEY_TEXT}", "1 to 65535"),
        (f"198.18.1.1:65536:{KEY_TEXT}", "1 to 65535"),
        (f"198.18.1.1:-1:{KEY_TEXT}", "1 to 65535"),
        (f"198.18.1.1:77a:{KEY_TEXT}", "1 to 65535"),
        (f"198.18.1.1:007700:{KEY_TEXT}", "1 to 65535"),
        ("198.18.1.1:7700:", "52 base32"),
        ("198.18.1.1:7700:abc", "52 base32"),
        (f"198.18.1.1:7700:{KEY_TEXT}a", "52 base32"),
        (f"198.18.1.1:7700:{KEY_TEXT[:-1]}1", "not base32"),
        (f"198.18.1.1:7700:{KEY_TEXT[:-1]}b", "canonical"),
        (f"198.18.1.1:7700:{encode_key(bytes(32))}", "all zeros"),
        (f"198.18.1.256:7700:{KEY_TEXT}", "IPv4"),
        (f"1.2.3:7700:{KEY_TEXT}", "IPv4"),
        (f"2001:db8::1:7700:{KEY_TEXT}", "brackets"),
        (f"[2001:db8::zz]:7700:{KEY_TEXT}", "IPv6"),
        (f"[198.18.1.1]:7700:{KEY_TEXT}", "IPv6"),
        (f"bad_host:7700:{KEY_TEXT}", "host name"),
        (f"-bad.example:7700:{KEY_TEXT}", "host name"),
        (f"{'a' * 64}.example:7700:{KEY_TEXT}", "host name"),
        (f"198.18.1.1 :7700:{KEY_TEXT}", "printable"),
        (f"hôte:7700:{KEY_TEXT}", "printable"),
        (f"{'a.' * 100}example:7700:{KEY_TEXT}", f"at most {MAX_LENGTH}"),
    ],
)
def test_bad_addresses_say_what_is_wrong(text: str, reason: str) -> None:
    with pytest.raises(AddressError, match=reason) as info:
        parse_address(text)
    assert isinstance(info.value, RendezvousError) and isinstance(info.value, ValueError)


def test_constructor_checks_too() -> None:
    with pytest.raises(AddressError):
        RendezvousAddress("198.18.1.1", 0, KEY)
    with pytest.raises(AddressError):
        RendezvousAddress("198.18.1.1", 7700, KEY[:31])
    with pytest.raises(AddressError):
        parse_address(b"198.18.1.1:1:x")  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses_or_raises_address_error(text: str) -> None:
    try:
        address = parse_address(text)
    except AddressError:
        return
    assert parse_address(str(address)) == address


@settings(max_examples=100, deadline=None)
@given(
    st.binary(min_size=32, max_size=32).filter(any),
    st.integers(min_value=1, max_value=65535),
    st.sampled_from(["198.18.0.1", "::1", "fe80::1", "rv.example.org", "localhost"]),
)
def test_round_trip(key: bytes, port: int, host: str) -> None:
    address = RendezvousAddress(host, port, key)
    assert parse_address(str(address)) == address
    assert len(str(address)) <= MAX_LENGTH


def test_random_keys_round_trip() -> None:
    for _ in range(50):
        key = os.urandom(32)
        assert decode_key(encode_key(key)) == key

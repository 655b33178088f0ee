"""The contact a node registers: its label and direct addresses, bounded, decoded defensively."""

from __future__ import annotations

import msgpack
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from network.rendezvous.contact import MAX_ADDRESSES, Contact, decode_contact, direct_addresses
from network.rendezvous.tags import INFO_SIZE


def test_round_trip() -> None:
    contact = Contact("k3vq7d2mzs5a", (("198.18.0.2", 7000), ("2001:db8::1", 7001)))
    assert decode_contact(contact.encode()) == contact
    assert decode_contact(Contact("k3vq7d2mzs5a").encode()) == Contact("k3vq7d2mzs5a")


def test_addresses_that_do_not_fit_are_left_out() -> None:
    many = tuple((f"2001:db8:aaaa:bbbb:cccc:dddd:eeee:{i + 1:x}", 60000 + i) for i in range(40))
    packed = Contact("k3vq7d2mzs5a", many).encode()
    assert len(packed) <= INFO_SIZE
    decoded = decode_contact(packed)
    assert decoded is not None and 0 < len(decoded.addresses) < MAX_ADDRESSES  # bytes ran out
    assert decoded.addresses == many[: len(decoded.addresses)]
    with pytest.raises(ValueError):
        Contact("x" * 300).encode()


def _raw(value: object) -> bytes:
    return bytes(msgpack.packb(value, use_bin_type=True))


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\xc1",
        _raw([2, "label", []]),
        _raw([1, "label"]),
        _raw([1, 5, []]),
        _raw([1, "", []]),
        _raw([1, "label", "addresses"]),
        _raw([1, "label", [["198.18.0.2"]]]),
        _raw([1, "label", [["198.18.0.2", 0]]]),
        _raw([1, "label", [["198.18.0.2", True]]]),
        _raw([1, "label", [["not-an-ip", 7000]]]),
        _raw([1, "label", [["0.0.0.0", 7000]]]),
        _raw([1, "label", [["224.0.0.251", 5353]]]),
        _raw({"label": 1}),
    ],
)
def test_anything_else_is_no_contact(data: bytes) -> None:
    assert decode_contact(data) is None


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_decode_or_give_none(data: bytes) -> None:
    contact = decode_contact(data)
    if contact is not None:
        assert decode_contact(contact.encode()) == contact


def test_direct_addresses_expand_a_wildcard() -> None:
    bound = [("0.0.0.0", 7000), ("127.0.0.1", 7000)]
    assert direct_addresses(bound, ["198.18.0.2", "127.0.0.1"]) == [
        ("198.18.0.2", 7000),
        ("127.0.0.1", 7000),
    ]
    assert direct_addresses([("198.18.0.2", 7000)], ["10.0.0.1"]) == [("198.18.0.2", 7000)]

"""network.strictpack: every kind of bad input gets its own reason, and limits hold."""

from __future__ import annotations

import msgpack
import pytest

from network.strictpack import Undecodable, UndecodableReason, unpack


def packed(value: object) -> bytes:
    return bytes(msgpack.packb(value, use_bin_type=True))


def test_plain_values_come_back() -> None:
    value = [1, "text", b"bytes", {"k": [True, None]}, -5]
    assert unpack(packed(value)) == value


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", UndecodableReason.EMPTY),
        (b"\xc1", UndecodableReason.MALFORMED),  # never used by msgpack
        (b"\x92\x01", UndecodableReason.MALFORMED),  # truncated array
        (packed([1]) + b"\x00", UndecodableReason.TRAILING),
        (b"\xa2\xff\xfe", UndecodableReason.BAD_UTF8),
        (packed(msgpack.ExtType(1, b"x")), UndecodableReason.MALFORMED),  # no extension types
        (packed({1: 2}), UndecodableReason.MALFORMED),  # map keys are text or bytes
        (b"\xdd\xff\xff\xff\xff", UndecodableReason.MALFORMED),  # announces 4 G items
    ],
)
def test_each_kind_of_garbage_has_its_reason(data: bytes, reason: UndecodableReason) -> None:
    with pytest.raises(Undecodable) as info:
        unpack(data)
    assert info.value.reason is reason


def test_limits() -> None:
    with pytest.raises(Undecodable) as info:
        unpack(packed([1, 2, 3]), max_size=3)
    assert info.value.reason is UndecodableReason.OVERSIZE
    for data, limit in [
        (packed(b"abc"), {"max_bin": 2}),
        (packed("abc"), {"max_str": 2}),
        (packed([1, 2, 3]), {"max_array": 2}),
        (packed({"a": 1}), {"max_map": 0}),
    ]:
        with pytest.raises(Undecodable):
            unpack(data, **limit)
        assert unpack(data) is not None  # fine without the limit

"""The peer table, sans-IO: resolved records in, PeerFound/PeerUpdated/PeerGone out."""

from __future__ import annotations

import ipaddress

import pytest

from network.discovery.errors import InvalidCircleKey
from network.discovery.events import PeerFound, PeerGone, PeerUpdated
from network.discovery.hints import build_txt
from network.discovery.labels import instance_name, label_of, random_label, server_name
from network.discovery.peers import MAX_PEERS, PeerTable

K1, K2, K3 = (bytes([i]) * 32 for i in (1, 2, 3))
LAN = [ipaddress.IPv4Network("198.18.0.0/24")]


def test_found_with_the_circles_we_share() -> None:
    table = PeerTable([K1, K2], LAN)
    event = table.seen("aaaaaaaaaaaa", ["198.18.0.2"], 4000, build_txt([K2, K3]))
    assert event == PeerFound("aaaaaaaaaaaa", ("198.18.0.2",), 4000, frozenset({K2}))
    assert "aaaaaaaaaaaa" in table and len(table) == 1


def test_keys_never_appear_in_an_event_repr() -> None:
    event = PeerTable([K1]).seen("aaaaaaaaaaaa", ["198.18.0.2"], 4000, build_txt([K1]))
    assert event is not None and event.matched_keys == {K1}
    assert K1.hex() not in repr(event) and repr(K1) not in repr(event)


def test_same_records_again_say_nothing_new() -> None:
    table = PeerTable([K1], LAN)
    table.seen("aaaaaaaaaaaa", ["198.18.0.2"], 4000, build_txt([K1]))
    # A re-announcement with a fresh nonce but the same circles changes nothing visible.
    assert table.seen("aaaaaaaaaaaa", ["198.18.0.2"], 4000, build_txt([K1])) is None


def test_updated_on_new_circles_port_or_addresses() -> None:
    table = PeerTable([K1, K2], LAN)
    table.seen("aaaaaaaaaaaa", ["198.18.0.2"], 4000, build_txt([K1]))
    assert table.seen("aaaaaaaaaaaa", ["198.18.0.2"], 4000, build_txt([K2])) == PeerUpdated(
        "aaaaaaaaaaaa", ("198.18.0.2",), 4000, frozenset({K2})
    )
    assert table.seen("aaaaaaaaaaaa", ["198.18.0.2"], 4001, build_txt([K2])) == PeerUpdated(
        "aaaaaaaaaaaa", ("198.18.0.2",), 4001, frozenset({K2})
    )
    event = table.seen("aaaaaaaaaaaa", ["198.18.0.9", "198.18.0.2"], 4001, build_txt([K2]))
    assert event == PeerUpdated("aaaaaaaaaaaa", ("198.18.0.2", "198.18.0.9"), 4001, frozenset({K2}))


def test_changing_my_keys_rematches_known_peers() -> None:
    table = PeerTable([K1])
    table.seen("aaaaaaaaaaaa", ["198.18.0.2"], 4000, build_txt([K1, K2]))
    table.seen("bbbbbbbbbbbb", ["198.18.0.3"], 4000, build_txt([K3]))
    assert table.set_keys([K1, K2]) == [
        PeerUpdated("aaaaaaaaaaaa", ("198.18.0.2",), 4000, frozenset({K1, K2}))
    ]
    assert table.set_keys([K1, K2]) == []
    with pytest.raises(InvalidCircleKey):
        table.set_keys([b"short"])
    assert table.keys == [K1, K2]


def test_gone_only_for_peers_we_reported() -> None:
    table = PeerTable([K1])
    assert table.gone("aaaaaaaaaaaa") is None
    table.seen("aaaaaaaaaaaa", ["198.18.0.2"], 4000, build_txt([]))
    assert table.gone("aaaaaaaaaaaa") == PeerGone("aaaaaaaaaaaa")
    assert table.gone("aaaaaaaaaaaa") is None


@pytest.mark.parametrize(
    ("peer_id", "addresses", "port", "text"),
    [
        ("not-a-label!", ["198.18.0.2"], 4000, build_txt([K1])),
        ("AAAAAAAAAAAA", ["198.18.0.2"], 4000, build_txt([K1])),  # adapter lowercases first
        ("aaaaaaaaaaa", ["198.18.0.2"], 4000, build_txt([K1])),
        ("aaaaaaaaaaaa", ["198.18.0.2"], 0, build_txt([K1])),
        ("aaaaaaaaaaaa", ["198.18.0.2"], 65536, build_txt([K1])),
        ("aaaaaaaaaaaa", ["198.18.0.2"], None, build_txt([K1])),
        ("aaaaaaaaaaaa", [], 4000, build_txt([K1])),
        ("aaaaaaaaaaaa", ["0.0.0.0", "224.0.0.251", "255.255.255.255"], 4000, build_txt([K1])),
        ("aaaaaaaaaaaa", ["fe80::1", "not an address"], 4000, build_txt([K1])),
        ("aaaaaaaaaaaa", ["10.1.2.3"], 4000, build_txt([K1])),  # not on our networks
        ("aaaaaaaaaaaa", ["198.18.0.2"], 4000, None),
        ("aaaaaaaaaaaa", ["198.18.0.2"], 4000, b"\x03v=1"),
    ],
)
def test_invalid_records_are_ignored(
    peer_id: str, addresses: list[str], port: int | None, text: bytes | None
) -> None:
    table = PeerTable([K1], LAN)
    assert table.seen(peer_id, addresses, port, text) is None
    assert len(table) == 0


def test_an_invalid_update_keeps_what_we_knew() -> None:
    table = PeerTable([K1], LAN)
    table.seen("aaaaaaaaaaaa", ["198.18.0.2"], 4000, build_txt([K1]))
    assert table.seen("aaaaaaaaaaaa", ["198.18.0.2"], 4000, b"garbage") is None
    assert table.seen("aaaaaaaaaaaa", ["198.18.0.2"], 4000, build_txt([K1])) is None


def test_only_on_link_addresses_are_kept() -> None:
    table = PeerTable([K1], LAN)
    event = table.seen("aaaaaaaaaaaa", ["10.0.0.5", "198.18.0.7", "198.18.0.7"], 1, build_txt([]))
    assert event is not None and event.addresses == ("198.18.0.7",)


def test_the_table_is_bounded() -> None:
    table = PeerTable([K1])
    text = build_txt([])
    for _ in range(MAX_PEERS):
        assert table.seen(random_label(), ["198.18.0.2"], 4000, text) is not None
    assert table.seen(random_label(), ["198.18.0.2"], 4000, text) is None
    assert len(table) == MAX_PEERS


def test_labels() -> None:
    label = random_label()
    assert label != random_label()
    assert label_of(instance_name(label)) == label
    assert label_of(instance_name(label).upper()) == label
    assert server_name(label) == f"{label}.local."
    assert label_of("myhost._hearth._tcp.local.") is None
    assert label_of(f"{label}._other._tcp.local.") is None
    assert label_of(f"x.{label}._hearth._tcp.local.") is None

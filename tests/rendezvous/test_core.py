"""The server's logic, sans-IO: registrations, limits, refusals, relay pairing, expiry."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence

import pytest

from network.rendezvous import codec
from network.rendezvous.config import ServerConfig
from network.rendezvous.core import Close, Role, Send, ServerCore, Splice
from network.rendezvous.errors import ErrorCode
from network.rendezvous.ratelimit import Rate
from network.rendezvous.tags import EpochKeys

NOW = 1_800_000_000.0
TAG_KEY = os.urandom(32)
KEYS = EpochKeys.derive(TAG_KEY, 500_000)
LOOSE = Rate(burst=10_000, per_second=10_000)


def config(**kw: object) -> ServerConfig:
    base: dict[str, object] = {
        "connection_rate": LOOSE, "request_rate": LOOSE, "tag_rate": LOOSE,
    }  # fmt: skip
    base.update(kw)
    return ServerConfig(**base)  # type: ignore[arg-type]


class Harness:
    def __init__(self, **kw: object) -> None:
        self.core = ServerCore(config(**kw))
        self.next_id = 1

    def conn(self, address: str = "198.18.0.1", now: float = NOW) -> int:
        conn = self.next_id
        self.next_id += 1
        assert self.core.open_connection(conn, address, now)
        self.core.handshake_done(conn, binding(conn))
        return conn

    def register(
        self,
        conn: int,
        keys: EpochKeys = KEYS,
        *,
        issued: float = NOW,
        ttl: int = 600,
        now: float = NOW,
        req_id: int = 1,
        tamper: dict[str, object] | None = None,
    ) -> list[object]:
        info = keys.seal(b"contact")
        request = codec.Register(
            req_id, keys.tag, keys.verify_key, int(issued), ttl, info,
            keys.sign(binding(conn), int(issued), ttl, info),
        )  # fmt: skip
        request = dataclasses.replace(request, **(tamper or {}))  # type: ignore[arg-type]
        return list(self.core.handle(conn, request, now))


def binding(conn: int) -> bytes:
    return conn.to_bytes(64, "big")


def answer(actions: Sequence[object]) -> codec.Response:
    sends = [a for a in actions if isinstance(a, Send)]
    assert len(sends) == 1, actions
    return sends[0].message


def registered(actions: list[object]) -> codec.Registered:
    message = answer(actions)
    assert isinstance(message, codec.Registered), message
    return message


def refused(actions: Sequence[object], code: ErrorCode, *, fatal: bool) -> None:
    message = answer(actions)
    assert isinstance(message, codec.Error) and message.code == code, message
    assert any(isinstance(a, Close) for a in actions) == fatal


# -- registrations ------------------------------------------------------------------------


def test_register_then_lookup() -> None:
    h = Harness()
    member = h.conn()
    reg = registered(h.register(member))
    assert reg.ttl == 600 and len(reg.token) == 16
    seeker = h.conn("198.18.0.2")
    found = answer(h.core.handle(seeker, codec.Lookup(9, KEYS.tag), NOW + 10))
    assert isinstance(found, codec.Found) and found.req_id == 9
    assert [(e.token, KEYS.open(e.info), e.ttl) for e in found.entries] == [
        (reg.token, b"contact", 590)
    ]
    other = answer(h.core.handle(seeker, codec.Lookup(9, bytes(32)), NOW))
    assert other == codec.Found(9, ())


def test_refresh_keeps_the_token_and_moves_the_expiry() -> None:
    h = Harness()
    member = h.conn()
    first = registered(h.register(member))
    again = registered(h.register(member, issued=NOW + 300, now=NOW + 300))
    assert again.token == first.token and again.ttl == 600
    assert h.core.stats().registrations == 1
    h.core.tick(NOW + 700)
    assert h.core.stats().registrations == 1  # refreshed: lives until NOW + 900
    h.core.tick(NOW + 900)
    assert h.core.stats().registrations == 0


def test_ttl_is_clamped_to_ten_minutes() -> None:
    h = Harness()
    reg = registered(h.register(h.conn(), ttl=86_400))
    assert reg.ttl == 600
    h.core.tick(NOW + 600)
    assert h.core.stats().registrations == 0


def test_an_expired_ttl_is_refused() -> None:
    h = Harness()
    member = h.conn()
    refused(h.register(member, issued=NOW - 700, ttl=600), ErrorCode.EXPIRED, fatal=False)
    refused(h.register(member, ttl=0), ErrorCode.EXPIRED, fatal=False)
    # issued well in the future: a clock far off, or a replay kept for later
    refused(h.register(member, issued=NOW + 3600), ErrorCode.EXPIRED, fatal=False)
    assert h.core.stats().registrations == 0
    # a small skew is fine (the registration lives until issued + ttl), and a TTL partly spent
    # gives what is left
    assert registered(h.register(member, issued=NOW + 60, ttl=60)).ttl == 120
    assert registered(h.register(member, issued=NOW - 100, ttl=150)).ttl == 50


def test_a_bad_signature_is_refused_and_the_connection_closed() -> None:
    h = Harness()
    member = h.conn()
    bad = h.register(member, tamper={"signature": bytes(64)})
    refused(bad, ErrorCode.BAD_SIGNATURE, fatal=True)
    changed = h.register(member, tamper={"ttl": 599})  # a field changed after signing
    refused(changed, ErrorCode.BAD_SIGNATURE, fatal=True)
    assert h.core.stats().registrations == 0


def test_a_signature_made_for_another_connection_is_refused() -> None:
    h = Harness()
    first, second = h.conn(), h.conn()
    info = KEYS.seal(b"x")
    signature = KEYS.sign(binding(first), int(NOW), 600, info)
    replay = codec.Register(1, KEYS.tag, KEYS.verify_key, int(NOW), 600, info, signature)
    refused(list(h.core.handle(second, replay, NOW)), ErrorCode.BAD_SIGNATURE, fatal=True)
    registered(list(h.core.handle(first, replay, NOW)))


def test_a_tag_that_does_not_match_the_key_is_refused() -> None:
    h = Harness()
    other = EpochKeys.derive(TAG_KEY, 1)
    refused(h.register(h.conn(), tamper={"tag": other.tag}), ErrorCode.TAG_MISMATCH, fatal=True)


def test_registration_caps() -> None:
    h = Harness(
        max_registrations=3, max_registrations_per_tag=2, max_registrations_per_connection=2
    )
    a, b, c = h.conn(), h.conn(), h.conn()
    registered(h.register(a))
    registered(h.register(b))
    refused(h.register(c), ErrorCode.FULL, fatal=False)  # per tag
    second = EpochKeys.derive(os.urandom(32), 1)
    third = EpochKeys.derive(os.urandom(32), 1)
    registered(h.register(a, second))
    refused(h.register(a, third), ErrorCode.FULL, fatal=False)  # total (and per connection)
    h.core.close_connection(a)
    assert h.core.stats().registrations == 1
    registered(h.register(c, third))


def test_per_connection_cap() -> None:
    h = Harness(max_registrations_per_connection=1)
    a = h.conn()
    registered(h.register(a))
    refused(h.register(a, EpochKeys.derive(os.urandom(32), 1)), ErrorCode.FULL, fatal=False)


def test_unregister() -> None:
    h = Harness()
    a, b = h.conn(), h.conn()
    token = registered(h.register(a)).token
    refused(
        list(h.core.handle(b, codec.Unregister(2, token), NOW)), ErrorCode.NOT_FOUND, fatal=False
    )
    assert answer(list(h.core.handle(a, codec.Unregister(2, token), NOW))) == codec.Ok(2)
    assert h.core.stats().registrations == 0


def test_ping() -> None:
    h = Harness()
    assert answer(list(h.core.handle(h.conn(), codec.Ping(5), NOW))) == codec.Ok(5)


def test_lookup_leaves_out_expired_registrations() -> None:
    h = Harness()
    registered(h.register(h.conn(), ttl=30))
    seeker = h.conn()
    assert len(answer(h.core.handle(seeker, codec.Lookup(1, KEYS.tag), NOW + 29)).entries) == 1  # type: ignore[union-attr]
    assert answer(h.core.handle(seeker, codec.Lookup(1, KEYS.tag), NOW + 30)).entries == ()  # type: ignore[union-attr]


def test_next_deadline() -> None:
    h = Harness()
    assert h.core.next_deadline() is None
    registered(h.register(h.conn(), ttl=30))
    assert h.core.next_deadline() == NOW + 30


# -- rate limits and admission ------------------------------------------------------------


def test_per_address_request_rate() -> None:
    h = Harness(request_rate=Rate(burst=3, per_second=1))
    a, b = h.conn("198.18.0.1"), h.conn("198.18.0.1")
    other = h.conn("198.18.0.9")
    for conn in (a, b, a):
        assert answer(list(h.core.handle(conn, codec.Ping(1), NOW))) == codec.Ok(1)
    refused(list(h.core.handle(b, codec.Ping(1), NOW)), ErrorCode.RATE_LIMITED, fatal=False)
    assert answer(list(h.core.handle(other, codec.Ping(1), NOW))) == codec.Ok(1)
    assert answer(list(h.core.handle(a, codec.Ping(1), NOW + 1))) == codec.Ok(1)


def test_per_key_rate_across_addresses() -> None:
    h = Harness(tag_rate=Rate(burst=2, per_second=0.1))
    conns = [h.conn(f"198.18.0.{i}") for i in range(1, 5)]
    registered(h.register(conns[0]))
    found = answer(list(h.core.handle(conns[1], codec.Lookup(1, KEYS.tag), NOW)))
    assert isinstance(found, codec.Found)
    refused(
        list(h.core.handle(conns[2], codec.Lookup(1, KEYS.tag), NOW)),
        ErrorCode.RATE_LIMITED,
        fatal=False,
    )
    refused(h.register(conns[3]), ErrorCode.RATE_LIMITED, fatal=False)
    other = EpochKeys.derive(os.urandom(32), 1)
    registered(h.register(conns[3], other))  # another tag has its own bucket


def test_connection_admission() -> None:
    h = Harness(
        max_connections=3,
        max_connections_per_address=2,
        connection_rate=Rate(burst=5, per_second=1),
    )
    core = h.core
    assert core.open_connection(1, "a", NOW) and core.open_connection(2, "a", NOW)
    assert not core.open_connection(3, "a", NOW)  # per address
    assert core.open_connection(4, "b", NOW)
    assert not core.open_connection(5, "c", NOW)  # total
    core.close_connection(1)
    assert core.open_connection(6, "a", NOW)
    assert core.stats().refused_connections == 2
    with pytest.raises(ValueError):
        core.open_connection(6, "a", NOW)


def test_connection_rate_per_address() -> None:
    h = Harness(connection_rate=Rate(burst=2, per_second=1))
    core = h.core
    assert core.open_connection(1, "a", NOW)
    core.close_connection(1)
    assert core.open_connection(2, "a", NOW)
    core.close_connection(2)
    assert not core.open_connection(3, "a", NOW)
    assert core.open_connection(4, "a", NOW + 1)


def test_requests_before_the_handshake_or_on_a_relay_are_unexpected() -> None:
    h = Harness()
    assert h.core.open_connection(50, "a", NOW)
    refused(list(h.core.handle(50, codec.Ping(1), NOW)), ErrorCode.UNEXPECTED, fatal=True)


def test_malformed_input_is_answered_and_closed() -> None:
    h = Harness()
    actions = h.core.malformed(h.conn(), "not msgpack")
    refused(actions, ErrorCode.MALFORMED, fatal=True)
    assert answer(actions).req_id == 0  # type: ignore[union-attr]


# -- relays -------------------------------------------------------------------------------


def _pair(h: Harness) -> tuple[int, int, int, bytes]:
    target = h.conn("198.18.0.1")
    token = registered(h.register(target)).token
    dialer = h.conn("198.18.0.2")
    actions = list(h.core.handle(dialer, codec.Connect(7, token), NOW))
    incoming = answer(actions)
    assert isinstance(incoming, codec.Incoming) and incoming.token == token
    assert [a.conn for a in actions if isinstance(a, Send)] == [target]
    assert h.core.role(dialer) is Role.DIALING
    acceptor = h.conn("198.18.0.1")
    return target, dialer, acceptor, incoming.relay_token


def test_connect_and_accept_splice_two_connections() -> None:
    h = Harness()
    target, dialer, acceptor, relay_token = _pair(h)
    actions = list(h.core.handle(acceptor, codec.Accept(3, relay_token), NOW + 1))
    assert actions == [
        Send(dialer, codec.Spliced(7)),
        Send(acceptor, codec.Spliced(3)),
        Splice(dialer, acceptor),
    ]
    assert h.core.role(dialer) is h.core.role(acceptor) is Role.RELAY
    assert h.core.stats().relays == 1 and h.core.stats().pending_relays == 0
    refused(list(h.core.handle(dialer, codec.Ping(1), NOW)), ErrorCode.UNEXPECTED, fatal=True)
    # one end goes: the other is closed, the relay slot freed
    assert h.core.close_connection(acceptor) == [Close(dialer, "the other end of the relay closed")]
    assert h.core.stats().relays == 0
    assert h.core.close_connection(dialer) == []
    assert h.core.role(target) is Role.CONTROL


def test_a_relay_token_works_once() -> None:
    h = Harness()
    _, _, acceptor, relay_token = _pair(h)
    h.core.handle(acceptor, codec.Accept(3, relay_token), NOW)
    late = h.conn()
    refused(
        list(h.core.handle(late, codec.Accept(3, relay_token), NOW)),
        ErrorCode.NOT_FOUND,
        fatal=False,
    )


def test_unanswered_connect_times_out() -> None:
    h = Harness(accept_timeout=10.0)
    _, dialer, acceptor, relay_token = _pair(h)
    assert h.core.tick(NOW + 9) == []
    actions = h.core.tick(NOW + 10)
    assert actions == [
        Send(dialer, codec.Error(7, ErrorCode.TIMEOUT, "the member did not answer")),
        Close(dialer, "timeout"),
    ]
    refused(
        list(h.core.handle(acceptor, codec.Accept(1, relay_token), NOW)),
        ErrorCode.NOT_FOUND,
        fatal=False,
    )


def test_the_target_going_away_fails_the_dialer() -> None:
    h = Harness()
    target, dialer, _, _ = _pair(h)
    actions = h.core.close_connection(target)
    assert actions[0] == Send(dialer, codec.Error(7, ErrorCode.NOT_FOUND, "the member went away"))
    assert isinstance(actions[1], Close)


def test_the_dialer_going_away_drops_the_pending_relay() -> None:
    h = Harness()
    _, dialer, acceptor, relay_token = _pair(h)
    assert h.core.close_connection(dialer) == []
    assert h.core.stats().pending_relays == 0
    refused(
        list(h.core.handle(acceptor, codec.Accept(1, relay_token), NOW)),
        ErrorCode.NOT_FOUND,
        fatal=False,
    )


def test_connect_refusals() -> None:
    h = Harness(max_pending_per_target=1, max_relays_per_address=1)
    target = h.conn()
    token = registered(h.register(target)).token
    refused(
        list(h.core.handle(target, codec.Connect(1, token), NOW)), ErrorCode.UNEXPECTED, fatal=True
    )
    dialer = h.conn("198.18.0.5")
    refused(
        list(h.core.handle(dialer, codec.Connect(1, bytes(16)), NOW)),
        ErrorCode.NOT_FOUND,
        fatal=False,
    )
    first = answer(list(h.core.handle(dialer, codec.Connect(1, token), NOW)))
    assert isinstance(first, codec.Incoming)
    second = h.conn("198.18.0.5")
    refused(list(h.core.handle(second, codec.Connect(1, token), NOW)), ErrorCode.FULL, fatal=False)
    h.core.handle(h.conn(), codec.Accept(1, first.relay_token), NOW)
    # one relay from 198.18.0.5 is running: a second one from there is refused
    refused(list(h.core.handle(second, codec.Connect(1, token), NOW)), ErrorCode.FULL, fatal=False)


def test_connect_to_an_expired_registration() -> None:
    h = Harness()
    token = registered(h.register(h.conn(), ttl=5)).token
    refused(
        list(h.core.handle(h.conn(), codec.Connect(1, token), NOW + 5)),
        ErrorCode.NOT_FOUND,
        fatal=False,
    )


def test_relay_caps() -> None:
    h = Harness(max_relays=1)
    _, _, acceptor, relay_token = _pair(h)
    token = next(iter(h.core.registrations(KEYS.tag))).token
    refused(
        list(h.core.handle(h.conn("x"), codec.Connect(1, token), NOW)), ErrorCode.FULL, fatal=False
    )
    h.core.handle(acceptor, codec.Accept(1, relay_token), NOW)
    refused(
        list(h.core.handle(h.conn("y"), codec.Connect(1, token), NOW)), ErrorCode.FULL, fatal=False
    )


def test_pending_cap() -> None:
    h = Harness(max_pending_relays=1)
    _pair(h)
    token = next(iter(h.core.registrations(KEYS.tag))).token
    refused(
        list(h.core.handle(h.conn("x"), codec.Connect(1, token), NOW)), ErrorCode.FULL, fatal=False
    )


def test_config_is_checked() -> None:
    with pytest.raises(ValueError):
        ServerConfig(max_ttl=601)
    with pytest.raises(ValueError):
        ServerConfig(max_relays=0)
    with pytest.raises(ValueError):
        ServerConfig(accept_timeout=0)


def test_connections_without_a_registration_time_out_registered_ones_stay() -> None:
    h = Harness(unregistered_timeout=30.0)
    idle, member = h.conn(), h.conn()
    h.register(member)
    assert h.core.tick(NOW + 29) == []
    closes = [a for a in h.core.tick(NOW + 30) if isinstance(a, Close)]
    assert [c.conn for c in closes] == [idle]
    assert h.core.role(idle) is None and h.core.role(member) is Role.CONTROL
    assert h.core.tick(NOW + 400) == []  # still registered (refreshes keep it so)


def test_one_network_is_capped_across_its_addresses() -> None:
    core = ServerCore(config(max_connections_per_network=3, max_connections_per_address=2))
    admitted = [core.open_connection(i, f"198.18.0.{i}", NOW, "198.18.0.0/24") for i in range(1, 6)]
    assert admitted == [True, True, True, False, False]
    assert core.open_connection(9, "198.18.1.1", NOW, "198.18.1.0/24")


def test_a_full_server_makes_room_by_letting_an_idle_connection_go() -> None:
    core = ServerCore(config(max_connections=3))
    for i, (address, net) in enumerate(
        [("198.18.0.1", "a"), ("198.18.0.2", "a"), ("198.18.1.1", "b")], start=1
    ):
        assert core.open_connection(i, address, NOW + i, net)
        core.handshake_done(i, binding(i))
    assert core.make_room("198.18.2.1", "c")[0] == Close(1, "room for a new client")
    assert core.open_connection(4, "198.18.2.1", NOW + 10, "c")
    assert core.make_room("198.18.2.2", "c")[0] == Close(2, "room for a new client")


def test_a_full_server_never_lets_a_registered_connection_go() -> None:
    h = Harness(max_connections=2)
    for conn in (h.conn(), h.conn()):
        h.register(conn, EpochKeys.derive(os.urandom(32), 500_000))
    assert h.core.make_room("198.18.9.9") == []
    assert not h.core.open_connection(99, "198.18.9.9", NOW)


def test_server_network_keys() -> None:
    from network.rendezvous.server import network_key

    assert network_key(("198.18.7.9", 1)) == "198.18.7.0/24"
    assert network_key(("::ffff:198.18.7.9", 1, 0, 0)) == "198.18.7.0/24"
    assert network_key(("2001:db8:1:2:3::4", 1, 0, 0)) == "2001:db8:1::/48"


def test_registered_connections_leave_places_for_lookups() -> None:
    h = Harness(max_connections=8, reserved_connections=2)
    registered = [h.conn(f"198.18.3.{i}") for i in range(7)]
    answers = [answer(h.register(c, EpochKeys.derive(os.urandom(32), 500_000))) for c in registered]
    assert [type(a) for a in answers] == [codec.Registered] * 6 + [codec.Error]
    assert isinstance(answers[-1], codec.Error) and answers[-1].code is ErrorCode.FULL
    h.core.close_connection(registered[0])  # a place frees up when a registered one goes
    again = answer(h.register(registered[-1], EpochKeys.derive(os.urandom(32), 500_000)))
    assert isinstance(again, codec.Registered)

"""A real server on 127.0.0.1 with real clients: register, look up, relay, refusals, limits."""

from __future__ import annotations

import asyncio
import os
import time

import pytest

from network.channel import ChannelConfig
from network.framing import encode_frame
from network.noise import KeyPair
from network.rendezvous import (
    EpochKeys,
    ErrorCode,
    Refused,
    RendezvousAddress,
    RendezvousError,
    ServerLink,
    Unavailable,
    codec,
    epoch_of,
)
from network.rendezvous.ratelimit import Rate
from network.rendezvous.session import Session
from network.rendezvous.tags import EPOCH_LENGTH
from network.stream import accept_channel, connect_channel

from .helpers import LIMIT, Wiretap, fast_client, running_server, until

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(30)]

TAG_KEY = os.urandom(32)


def keys_now(tag_key: bytes = TAG_KEY) -> EpochKeys:
    return EpochKeys.derive(tag_key, epoch_of(time.time()))


async def started_link(address: RendezvousAddress) -> ServerLink:
    link = await ServerLink.open(address)
    link.start()
    return link


async def test_register_lookup_connect_and_splice_both_ways() -> None:
    async with running_server() as server:
        address = server.addresses[0]
        accepted: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = asyncio.Queue()

        async def on_incoming(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await accepted.put((reader, writer))

        member = fast_client(address, on_incoming)
        seeker = fast_client(address)
        try:
            handle = await member.register(TAG_KEY, b"member contact")
            assert handle.registered and handle.ttl is not None and 599 <= handle.ttl <= 600
            found = await seeker.lookup(TAG_KEY)
            assert [(r.token, r.info) for r in found] == [(handle.token, b"member contact")]
            assert await member.lookup(TAG_KEY) == []  # our own registration is left out
            assert await seeker.lookup(os.urandom(32)) == []

            d_reader, d_writer = await seeker.connect(found[0])
            a_reader, a_writer = await asyncio.wait_for(accepted.get(), LIMIT)
            d_writer.write(b"hello through the relay")
            assert await a_reader.readexactly(23) == b"hello through the relay"
            a_writer.write(b"and back" * 10_000)
            assert await d_reader.readexactly(80_000) == b"and back" * 10_000
            # a half-close passes through; the other direction keeps working
            d_writer.write_eof()
            assert await a_reader.read() == b""
            a_writer.write(b"last words")
            a_writer.close()
            assert await d_reader.read() == b"last words"
            d_writer.close()
            await until(lambda: server.core.stats().relays == 0)
            assert server.core.stats().relays_started == 1
            assert server.relayed_bytes == 23 + 80_000 + 10
        finally:
            await member.close()
            await seeker.close()


async def test_a_noise_channel_over_the_relay_is_end_to_end() -> None:
    async with running_server() as server:
        tap = Wiretap("127.0.0.1", server.addresses[0].port)
        port = await tap.start()
        tapped = RendezvousAddress("127.0.0.1", port, server.public_key)
        secret = b"the words only members may read " * 4
        alice, bob = KeyPair.generate(), KeyPair.generate()
        psk = os.urandom(32)
        heard: asyncio.Queue[bytes] = asyncio.Queue()

        async def on_incoming(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            hello = await reader.readexactly(5)
            stream = await accept_channel(
                reader, writer, ChannelConfig(bob, psk=psk), cleartext=hello
            )
            await heard.put(await stream.recv())
            await stream.send(b"reply: " + secret)
            await stream.wait_closed()

        member = fast_client(tapped, on_incoming)
        seeker = fast_client(tapped)
        try:
            await member.register(TAG_KEY)
            [registration] = await seeker.lookup(TAG_KEY)
            reader, writer = await seeker.connect(registration)
            writer.write(b"HELLO")
            stream = await connect_channel(
                reader, writer, ChannelConfig(alice, psk=psk), cleartext=b"HELLO"
            )
            assert stream.remote_static == bob.public  # the member's key, not the server's
            await stream.send(secret)
            assert await asyncio.wait_for(heard.get(), LIMIT) == secret
            assert await stream.recv() == b"reply: " + secret
            await stream.close()
            await until(lambda: server.core.stats().relays == 0)
        finally:
            await member.close()
            await seeker.close()
            await tap.close()
        assert server.relayed_bytes > len(secret) * 2
        assert len(tap.seen) > server.relayed_bytes
        assert secret[:32] not in tap.seen and b"only members" not in tap.seen
        assert b"contact" not in tap.seen


async def test_a_bad_signature_is_refused_and_the_connection_closed() -> None:
    async with running_server() as server:
        first = await started_link(server.addresses[0])
        second = await started_link(server.addresses[0])
        keys = keys_now()
        issued, info = int(time.time()), keys.seal(b"")
        replayed = keys.sign(first.handshake_hash, issued, 600, info)  # signed for `first`
        with pytest.raises(Refused) as refusal:
            await second.call(
                lambda r: codec.Register(r, keys.tag, keys.verify_key, issued, 600, info, replayed)
            )
        assert refusal.value.code == ErrorCode.BAD_SIGNATURE
        await asyncio.wait_for(second.wait_closed(), LIMIT)
        with pytest.raises(RendezvousError):
            await second.ping()
        # the genuine one, on its own connection, is accepted
        registered = await first.call(
            lambda r: codec.Register(r, keys.tag, keys.verify_key, issued, 600, info, replayed)
        )
        assert isinstance(registered, codec.Registered)
        await first.close()
        await second.close()


async def test_a_tag_that_does_not_commit_to_the_key_is_refused() -> None:
    async with running_server() as server:
        link = await started_link(server.addresses[0])
        keys, forger = keys_now(), keys_now(os.urandom(32))
        issued, info = int(time.time()), forger.seal(b"")
        signature = forger.sign(link.handshake_hash, issued, 600, info)
        with pytest.raises(Refused) as refusal:
            await link.call(
                lambda r: codec.Register(
                    r, keys.tag, forger.verify_key, issued, 600, info, signature
                )
            )
        assert refusal.value.code == ErrorCode.TAG_MISMATCH
        await asyncio.wait_for(link.wait_closed(), LIMIT)
        assert server.core.stats().registrations == 0


async def test_an_expired_ttl_is_refused_and_a_long_one_clamped() -> None:
    async with running_server() as server:
        link = await started_link(server.addresses[0])
        keys = keys_now()
        with pytest.raises(Refused) as refusal:
            await link.register(keys, keys.seal(b""), int(time.time()) - 1000, 600)
        assert refusal.value.code == ErrorCode.EXPIRED
        await link.ping()  # not fatal: the connection stays
        answer = await link.register(keys, keys.seal(b""), int(time.time()), 86_400)
        assert 595 <= answer.ttl <= 600
        await link.close()


async def test_per_address_request_rate_limit() -> None:
    async with running_server(request_rate=Rate(burst=3, per_second=0.01)) as server:
        link = await started_link(server.addresses[0])
        for _ in range(3):
            await link.ping()
        with pytest.raises(Refused) as refusal:
            await link.ping()
        assert refusal.value.code == ErrorCode.RATE_LIMITED
        other = await started_link(server.addresses[0])  # same address: same bucket
        with pytest.raises(Refused):
            await other.ping()
        await link.close()
        await other.close()


async def test_per_key_rate_limit() -> None:
    # Mid-epoch on purpose: near an epoch boundary a lookup also asks under the next epoch's
    # tag, which has a bucket of its own, and the refusal this test expects would not come.
    mid_epoch = (time.time() // EPOCH_LENGTH) * EPOCH_LENGTH + EPOCH_LENGTH / 2

    def clock() -> float:
        return mid_epoch

    async with running_server(tag_rate=Rate(burst=2, per_second=0.01), clock=clock) as server:
        client = fast_client(server.addresses[0], clock=clock)
        await client.register(TAG_KEY)
        await client.lookup(TAG_KEY)
        with pytest.raises(Refused) as refusal:
            await client.lookup(TAG_KEY)
        assert refusal.value.code == ErrorCode.RATE_LIMITED
        assert await client.lookup(os.urandom(32)) == []  # another circle is not affected
        await client.close()


async def test_per_address_connection_rate_limit() -> None:
    async with running_server(connection_rate=Rate(burst=2, per_second=0.01)) as server:
        links = [await ServerLink.open(server.addresses[0]) for _ in range(2)]
        with pytest.raises(Unavailable):
            await ServerLink.open(server.addresses[0])
        assert server.core.stats().refused_connections == 1
        for link in links:
            await link.close()


async def test_registration_cap() -> None:
    async with running_server(max_registrations=2) as server:
        clients = [fast_client(server.addresses[0]) for _ in range(3)]
        await clients[0].register(TAG_KEY)
        await clients[1].register(os.urandom(32))
        with pytest.raises(Refused) as refusal:
            await clients[2].register(os.urandom(32))
        assert refusal.value.code == ErrorCode.FULL
        await clients[0].close()
        await until(lambda: server.core.stats().registrations == 1)
        await clients[2].register(os.urandom(32))
        for client in clients:
            await client.close()
        await until(lambda: server.core.stats().registrations == 0)


async def raw_connection(
    address: RendezvousAddress,
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    return await asyncio.open_connection(address.host, address.port)


async def closed_by_server(reader: asyncio.StreamReader) -> bytes:
    """Everything the server sends until it closes the connection."""
    return await asyncio.wait_for(reader.read(), LIMIT)


@pytest.mark.parametrize(
    "garbage",
    [
        encode_frame(bytes(48)),  # a handshake message that does not decrypt
        b"\xff\xff" + bytes(100),  # a handshake frame far too long, refused from its length
        b"\x00\x00",  # an empty frame
        b"\x00\x10" + bytes(16),  # a handshake frame of the wrong size
        b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
    ],
)
async def test_malformed_handshakes_close_the_connection(garbage: bytes) -> None:
    async with running_server() as server:
        reader, writer = await raw_connection(server.addresses[0])
        writer.write(garbage)
        assert await closed_by_server(reader) == b""
        writer.close()
        await until(lambda: server.core.stats().connections == 0)


async def test_a_client_with_the_wrong_server_key_cannot_talk() -> None:
    async with running_server() as server:
        wrong = RendezvousAddress("127.0.0.1", server.addresses[0].port, os.urandom(32))
        with pytest.raises(Unavailable):
            await ServerLink.open(wrong)


async def _handshaken(
    address: RendezvousAddress,
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter, Session]:
    reader, writer = await raw_connection(address)
    session = Session(server_key=address.public_key)
    writer.write(session.data_to_send())
    size = int.from_bytes(await reader.readexactly(2), "big")
    session.receive_frame(await reader.readexactly(size))
    return reader, writer, session


async def test_an_authentic_malformed_request_is_answered_then_closed() -> None:
    async with running_server() as server:
        reader, writer, session = await _handshaken(server.addresses[0])
        session.send(codec.Ok(1))  # a response is not a request
        writer.write(session.data_to_send())
        size = int.from_bytes(await reader.readexactly(2), "big")
        error = session.receive_frame(await reader.readexactly(size))
        assert isinstance(error, codec.Error) and error.code == ErrorCode.MALFORMED
        assert await closed_by_server(reader) == b""
        writer.close()


async def test_an_oversized_request_frame_is_refused_from_its_length() -> None:
    async with running_server() as server:
        reader, writer, _ = await _handshaken(server.addresses[0])
        writer.write((codec.MAX_REQUEST_FRAME + 1).to_bytes(2, "big"))  # and never the body
        data = await closed_by_server(reader)
        assert len(data) < 200  # at most the ERROR frame
        writer.close()


async def test_a_tampered_request_closes_the_connection() -> None:
    async with running_server() as server:
        reader, writer, session = await _handshaken(server.addresses[0])
        session.send(codec.Ping(1))
        frame = bytearray(session.data_to_send())
        frame[10] ^= 1
        writer.write(bytes(frame))
        assert await closed_by_server(reader) == b""
        writer.close()


async def test_silent_connections_time_out() -> None:
    async with running_server(handshake_timeout=0.2, control_idle_timeout=0.3) as server:
        reader, writer = await raw_connection(server.addresses[0])
        assert await closed_by_server(reader) == b""  # no handshake
        writer.close()
        link = await started_link(server.addresses[0])
        await asyncio.wait_for(link.wait_closed(), LIMIT)  # handshake, then nothing
        await link.close()


async def _relay(
    server_address: RendezvousAddress,
) -> tuple[
    asyncio.StreamReader,
    asyncio.StreamWriter,
    asyncio.StreamReader,
    asyncio.StreamWriter,
    list[object],
]:
    accepted: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = asyncio.Queue()

    async def on_incoming(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await accepted.put((reader, writer))

    member, seeker = fast_client(server_address, on_incoming), fast_client(server_address)
    await member.register(TAG_KEY)
    [registration] = await seeker.lookup(TAG_KEY)
    d_reader, d_writer = await seeker.connect(registration)
    a_reader, a_writer = await asyncio.wait_for(accepted.get(), LIMIT)
    return d_reader, d_writer, a_reader, a_writer, [member, seeker]


async def _read_until_closed(reader: asyncio.StreamReader) -> bytes:
    data = bytearray()
    try:
        while chunk := await asyncio.wait_for(reader.read(65536), LIMIT):
            data += chunk
    except ConnectionError:
        pass
    return bytes(data)


async def test_a_relay_is_cut_past_its_byte_limit() -> None:
    async with running_server(relay_max_bytes=10_000) as server:
        d_reader, d_writer, a_reader, a_writer, clients = await _relay(server.addresses[0])
        d_writer.write(b"x" * 4000)
        assert await a_reader.readexactly(4000) == b"x" * 4000
        d_writer.write(b"y" * 20_000)
        received = await _read_until_closed(a_reader)
        assert len(received) < 20_000
        assert await _read_until_closed(d_reader) == b""
        await until(lambda: server.core.stats().relays == 0)
        for writer in (d_writer, a_writer):
            writer.close()
        for client in clients:
            await client.close()  # type: ignore[attr-defined]


async def test_an_idle_relay_is_cut() -> None:
    async with running_server(relay_idle_timeout=0.3) as server:
        d_reader, d_writer, a_reader, a_writer, clients = await _relay(server.addresses[0])
        d_writer.write(b"ping")
        assert await a_reader.readexactly(4) == b"ping"
        assert await _read_until_closed(a_reader) == b""  # then silence: cut
        assert await _read_until_closed(d_reader) == b""
        for writer in (d_writer, a_writer):
            writer.close()
        for client in clients:
            await client.close()  # type: ignore[attr-defined]


async def test_a_member_that_does_not_accept_times_the_dialer_out() -> None:
    async with running_server(accept_timeout=0.3) as server:
        member, seeker = fast_client(server.addresses[0]), fast_client(server.addresses[0])
        await member.register(TAG_KEY)  # no on_incoming handler: it never accepts
        [registration] = await seeker.lookup(TAG_KEY)
        with pytest.raises(Refused) as refusal:
            await seeker.connect(registration)
        assert refusal.value.code == ErrorCode.TIMEOUT
        assert member.incoming_refused == 1
        await member.close()
        with pytest.raises(Refused) as refusal:
            await seeker.connect(registration)  # gone now
        assert refusal.value.code == ErrorCode.NOT_FOUND
        await seeker.close()


async def test_closing_the_server_ends_everything() -> None:
    async with running_server() as server:
        d_reader, d_writer, a_reader, a_writer, clients = await _relay(server.addresses[0])
        link = await started_link(server.addresses[0])
    assert await _read_until_closed(d_reader) == b""
    assert await _read_until_closed(a_reader) == b""
    await asyncio.wait_for(link.wait_closed(), LIMIT)
    assert server.core.stats().connections == 0
    for writer in (d_writer, a_writer):
        writer.close()
    for client in clients:
        await client.close()  # type: ignore[attr-defined]
    await link.close()

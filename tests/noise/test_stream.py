"""Two secure streams talking over real loopback TCP sockets."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

import pytest

from network.channel import (
    ChannelClosedError,
    ChannelConfig,
    ChannelError,
    CloseCode,
    HandshakeError,
    HandshakeTimeout,
    IdleTimeout,
    IntegrityError,
    TruncatedError,
)
from network.stream import SecureStream, accept_channel, connect_channel
from tests.noise.channel_helpers import configs

pytestmark = [pytest.mark.asyncio, pytest.mark.timeout(30)]

HELLO = b"HRTH\x01abcd"
LIMIT = 10.0  # seconds: a bound on every wait in these tests, never a speed assertion


@dataclass
class Server:
    """A loopback listener that runs ``accept_channel`` for each connection."""

    config: ChannelConfig
    behaviour: Callable[[SecureStream], Awaitable[None]] | None = None
    streams: asyncio.Queue[SecureStream | BaseException] = field(default_factory=asyncio.Queue)
    port: int = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            hello = await reader.readexactly(len(HELLO))
            stream = await accept_channel(reader, writer, self.config, cleartext=hello)
        except (ChannelError, asyncio.IncompleteReadError) as exc:
            writer.close()
            await self.streams.put(exc)
            return
        await self.streams.put(stream)
        if self.behaviour is not None:
            await self.behaviour(stream)

    async def next(self) -> SecureStream | BaseException:
        async with asyncio.timeout(LIMIT):
            return await self.streams.get()


@contextlib.asynccontextmanager
async def serving(server: Server) -> AsyncIterator[Server]:
    listener = await asyncio.start_server(server.handle, host="127.0.0.1", port=0)
    server.port = listener.sockets[0].getsockname()[1]
    try:
        yield server
    finally:
        listener.close()
        await listener.wait_closed()


async def dial(port: int, config: ChannelConfig, hello: bytes = HELLO) -> SecureStream:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(hello)
    try:
        async with asyncio.timeout(LIMIT):
            return await connect_channel(reader, writer, config, cleartext=hello)
    except BaseException:
        writer.close()
        raise


async def echo(stream: SecureStream) -> None:
    with contextlib.suppress(ChannelError):
        async for message in stream:
            await stream.send(message)


async def test_echo_over_loopback_then_close_with_a_reason() -> None:
    config_a, config_b = configs()
    async with serving(Server(config_b, echo)) as server:
        client = await dial(server.port, config_a)
        remote = await server.next()
        assert isinstance(remote, SecureStream)
        assert client.handshake_hash == remote.handshake_hash
        assert client.remote_static == config_b.static.public
        assert remote.remote_static == config_a.static.public
        assert client.peer_identity == "verified:bob" and remote.peer_identity == "verified:alice"
        assert remote.peer_early_payload == b"hello"
        for size in (1, 100, 65536, 200_000, 0):
            message = os.urandom(size)
            await client.send(message)
            async with asyncio.timeout(LIMIT):
                assert await client.recv() == message
        await client.close(CloseCode.GOING_AWAY)
        async with asyncio.timeout(LIMIT):
            await remote.wait_closed()
        assert remote.close_code == CloseCode.GOING_AWAY and remote.closed_by_peer
        assert remote.error is None
        with pytest.raises(ChannelClosedError):
            await client.send(b"after close")


async def test_peer_close_reaches_recv_with_its_code() -> None:
    config_a, config_b = configs(psk=None)

    async def replace_then_close(stream: SecureStream) -> None:
        await stream.send(b"bye")
        await stream.close(CloseCode.REPLACED)

    async with serving(Server(config_b, replace_then_close)) as server:
        client = await dial(server.port, config_a)
        async with asyncio.timeout(LIMIT):
            assert await client.recv() == b"bye"  # data before the close is delivered
            with pytest.raises(ChannelClosedError) as info:
                await client.recv()
        assert info.value.code == CloseCode.REPLACED and info.value.by_peer
        await client.close()


async def test_handshake_timeout_on_a_silent_server() -> None:
    config_a, _ = configs(handshake_timeout=0.3)
    held: list[asyncio.StreamWriter] = []

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    listener = await asyncio.start_server(silent, host="127.0.0.1", port=0)
    port = listener.sockets[0].getsockname()[1]
    try:
        with pytest.raises(HandshakeTimeout):
            await dial(port, config_a)
    finally:
        for writer in held:
            writer.close()
        listener.close()
        await listener.wait_closed()


async def test_handshake_timeout_on_a_silent_client() -> None:
    _, config_b = configs(handshake_timeout=0.3)
    async with serving(Server(config_b)) as server:
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(HELLO)  # then nothing
        result = await server.next()
        assert isinstance(result, HandshakeTimeout)
        async with asyncio.timeout(LIMIT):
            assert await reader.read() == b""  # the server hung up
        writer.close()


async def test_garbage_before_the_handshake() -> None:
    _, config_b = configs(handshake_timeout=1.0)
    async with serving(Server(config_b)) as server:
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(HELLO + b"\x00\x40" + os.urandom(64) + b"GET / HTTP/1.1\r\n\r\n")
        result = await server.next()
        assert isinstance(result, HandshakeError)
        async with asyncio.timeout(LIMIT):
            await reader.read()
        writer.close()


async def test_wrong_psk_fails_on_both_sides() -> None:
    config_a, config_b = configs()
    config_b = dataclasses.replace(config_b, psk=os.urandom(32))
    async with serving(Server(config_b)) as server:
        with pytest.raises(HandshakeError, match="wrong circle key"):
            await dial(server.port, config_a)
        assert isinstance(await server.next(), HandshakeError)


async def test_refused_peer_learns_why() -> None:
    config_a, config_b = configs()
    config_a = dataclasses.replace(config_a, handshake_payload=b"mallory")
    async with serving(Server(config_b)) as server:
        with pytest.raises(HandshakeError) as info:
            await dial(server.port, config_a)
        assert info.value.code == CloseCode.PEER_REJECTED
        await server.next()


async def test_idle_timeout_and_keepalive() -> None:
    config_a, config_b = configs()
    quiet_b = dataclasses.replace(config_b, keepalive_interval=None, idle_timeout=30.0)
    impatient_a = dataclasses.replace(config_a, keepalive_interval=None, idle_timeout=0.3)
    async with serving(Server(quiet_b)) as server:
        client = await dial(server.port, impatient_a)
        remote = await server.next()
        assert isinstance(remote, SecureStream)
        async with asyncio.timeout(LIMIT):
            with pytest.raises(IdleTimeout):
                await client.recv()
            with pytest.raises(ChannelClosedError) as info:
                await remote.recv()
        assert info.value.code == CloseCode.IDLE_TIMEOUT and info.value.by_peer

    chatty_a = dataclasses.replace(config_a, keepalive_interval=0.05, idle_timeout=5.0)
    chatty_b = dataclasses.replace(config_b, keepalive_interval=0.05, idle_timeout=5.0)
    async with serving(Server(chatty_b)) as server:
        client = await dial(server.port, chatty_a)
        remote = await server.next()
        assert isinstance(remote, SecureStream)
        await asyncio.sleep(0.5)  # ten keepalive intervals with no application traffic
        # the dialer pings, the other side only answers: both stay open
        assert client.last_rtt is not None and remote.last_rtt is None
        assert not client.closed and not remote.closed
        async with asyncio.timeout(LIMIT):
            assert await client.ping() >= 0.0
        await client.close()
        await remote.wait_closed()


async def test_abrupt_disconnect_is_truncation() -> None:
    config_a, config_b = configs()

    async def vanish(stream: SecureStream) -> None:
        stream._writer.transport.abort()

    async with serving(Server(config_b, vanish)) as server:
        client = await dial(server.port, config_a)
        async with asyncio.timeout(LIMIT):
            with pytest.raises(TruncatedError):
                await client.recv()
        await client.close()


async def test_a_byte_flipped_in_flight_is_detected() -> None:
    """A relay between the two flips one byte of the first large frame."""
    config_a, config_b = configs()
    relays: list[asyncio.Task[None]] = []
    async with serving(Server(config_b, echo)) as server:

        async def relay_task(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            relays.append(asyncio.current_task())  # type: ignore[arg-type]
            await relay(reader, writer)

        async def relay(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", server.port)

            async def pipe(
                src: asyncio.StreamReader, dst: asyncio.StreamWriter, tamper: bool
            ) -> None:
                flipped = False
                while data := await src.read(65536):
                    if tamper and not flipped and len(data) > 2000:
                        data = data[:1000] + bytes([data[1000] ^ 0x01]) + data[1001:]
                        flipped = True
                    dst.write(data)
                dst.close()

            await asyncio.gather(
                pipe(reader, up_writer, True),
                pipe(up_reader, writer, False),
                return_exceptions=True,
            )

        proxy = await asyncio.start_server(relay_task, host="127.0.0.1", port=0)
        try:
            client = await dial(proxy.sockets[0].getsockname()[1], config_a)
            remote = await server.next()
            assert isinstance(remote, SecureStream)
            await client.send(os.urandom(5000))
            async with asyncio.timeout(LIMIT):
                await remote.wait_closed()
                assert isinstance(remote.error, IntegrityError)
                with pytest.raises(ChannelClosedError) as info:
                    await client.recv()
            assert info.value.code == CloseCode.INTEGRITY_ERROR
            async with asyncio.timeout(LIMIT):
                await asyncio.gather(*relays)  # both directions saw the connections end
        finally:
            proxy.close()
            await proxy.wait_closed()


async def test_a_slow_reader_gets_every_message_in_order() -> None:
    """More messages than the receive queue holds: reading pauses, nothing is lost."""
    config_a, config_b = configs()
    count = 300

    async def flood(stream: SecureStream) -> None:
        for i in range(count):
            await stream.send(i.to_bytes(4, "big") + bytes(1000))
        await stream.close()

    async with serving(Server(config_b, flood)) as server:
        client = await dial(server.port, config_a)
        await asyncio.sleep(0.2)  # let the queue fill up while nobody reads
        received = []
        async with asyncio.timeout(LIMIT):
            async for message in client:
                received.append(int.from_bytes(message[:4], "big"))
        assert received == list(range(count))
        assert client.close_code == CloseCode.NORMAL and client.closed_by_peer

"""The join protocol over real TCP sockets on 127.0.0.1, through the thin asyncio adapters."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import pytest
import pytest_asyncio

from messenger.circle import create_circle
from messenger.invite_link import InviteLink
from messenger.joincode import (
    AttemptFailed,
    CodeAccepted,
    FailureReason,
    HostConnection,
    Invitation,
    JoinCode,
    JoinEvent,
    JoinFailed,
    JoinRequested,
    Refused,
    Welcomed,
    join_over_stream,
)

CODE = JoinCode(7, ("amber", "lantern"))


@dataclass
class Host:
    invitation: Invitation
    port: int = 0
    events: list[JoinEvent] = field(default_factory=list)
    handlers: list[asyncio.Task[None]] = field(default_factory=list)
    decide: Callable[[JoinRequested], None] | None = None
    step_timeout: float = 20.0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        def on_event(event: JoinEvent) -> None:
            self.events.append(event)
            if isinstance(event, JoinRequested) and self.decide is not None:
                self.decide(event)

        connection = HostConnection(
            self.invitation.new_session(),
            reader,
            writer,
            time.time,
            on_event,
            step_timeout=self.step_timeout,
        )
        task = asyncio.current_task()
        assert task is not None
        self.handlers.append(task)
        await connection.run()


@pytest.fixture(scope="module")
def link() -> InviteLink:
    circle, _ = create_circle("Tuesday evening", "Quiet Heron")
    return InviteLink.for_circle(circle)


@pytest_asyncio.fixture
async def host(link: InviteLink) -> AsyncIterator[Host]:
    state = Host(Invitation(CODE, link.to_text(), now=time.time()))
    server = await asyncio.start_server(state.handle, "127.0.0.1", 0)
    state.port = server.sockets[0].getsockname()[1]
    try:
        yield state
    finally:
        server.close()
        await server.wait_closed()
        await asyncio.wait_for(asyncio.gather(*state.handlers, return_exceptions=True), 10)


async def _join(host: Host, code: JoinCode = CODE) -> tuple[JoinEvent, list[JoinEvent]]:
    reader, writer = await asyncio.open_connection("127.0.0.1", host.port)
    seen: list[JoinEvent] = []
    outcome = await asyncio.wait_for(
        join_over_stream(reader, writer, code, "Kind Otter", on_event=seen.append), 30
    )
    return outcome, seen


@pytest.mark.asyncio
async def test_join_over_tcp_with_approval(host: Host, link: InviteLink) -> None:
    def approve(request: JoinRequested) -> None:
        session = host.invitation.request(request.request_id)
        assert session is not None
        session.approve()

    host.decide = approve
    outcome, seen = await _join(host)
    assert outcome == Welcomed(link)
    assert seen[0] == CodeAccepted()
    assert host.invitation.admitted == 1


@pytest.mark.asyncio
async def test_decision_made_later_is_flushed(host: Host) -> None:
    def later(request: JoinRequested) -> None:
        session = host.invitation.request(request.request_id)
        assert session is not None
        asyncio.get_running_loop().call_later(0.05, session.deny, "Not tonight, sorry.")

    host.decide = later
    outcome, _ = await _join(host)
    assert outcome == Refused("Not tonight, sorry.")


@pytest.mark.asyncio
async def test_wrong_code_over_tcp(host: Host) -> None:
    outcome, _ = await _join(host, JoinCode(7, ("amber", "lagoon")))
    assert outcome == JoinFailed(FailureReason.WRONG_CODE)
    await asyncio.wait_for(asyncio.gather(*host.handlers), 10)
    assert AttemptFailed(attempts_left=2) in host.events
    assert host.invitation.failures == 1


@pytest.mark.asyncio
async def test_a_silent_client_is_dropped(host: Host) -> None:
    host.step_timeout = 0.2
    reader, writer = await asyncio.open_connection("127.0.0.1", host.port)
    try:
        assert await asyncio.wait_for(reader.read(100), 10) == b""  # the host hung up
    finally:
        writer.close()
        await writer.wait_closed()
    await asyncio.wait_for(asyncio.gather(*host.handlers), 10)
    assert host.events == [JoinFailed(FailureReason.ABANDONED)]
    assert host.invitation.failures == 0


@pytest.mark.asyncio
async def test_a_host_that_hangs_up_leaves_the_newcomer_told(host: Host) -> None:
    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.close()

    server = await asyncio.start_server(hang_up, "127.0.0.1", 0)
    try:
        reader, writer = await asyncio.open_connection(
            "127.0.0.1", server.sockets[0].getsockname()[1]
        )
        outcome = await asyncio.wait_for(join_over_stream(reader, writer, CODE, "Kind Otter"), 30)
        assert outcome == JoinFailed(FailureReason.ABANDONED)
    finally:
        server.close()
        await server.wait_closed()

"""A stale TXT answer, as zeroconf itself can send one: a host answers a question with the
records it held when the question came, up to ~1.6 s later, so the answer can follow the
announcements of a change it predates (see ``network.discovery.service.REANNOUNCE_AFTER``).

Here a third zeroconf on loopback sends such an answer on purpose, at a chosen moment."""

from __future__ import annotations

import asyncio

from zeroconf import (  # type: ignore[attr-defined]  # DNSOutgoing, DNSText: not in __all__
    DNSOutgoing,
    DNSQuestionType,
    DNSText,
    IPVersion,
)
from zeroconf.asyncio import AsyncServiceInfo, AsyncZeroconf

from network.discovery import SERVICE_TYPE
from network.discovery.labels import instance_name

LOOPBACK = "127.0.0.1"
_RESPONSE = 0x8400  # RFC 1035/6762 header flags: a response, authoritative


async def current_txt(peer_id: str) -> DNSText:
    """The TXT record a peer announces now, as any observer on the LAN reads it."""
    async with AsyncZeroconf(interfaces=[LOOPBACK], ip_version=IPVersion.V4Only) as observer:
        info = AsyncServiceInfo(SERVICE_TYPE, instance_name(peer_id))
        assert await info.async_request(observer.zeroconf, 5000, DNSQuestionType.QM)
        return info.dns_text()


async def send_stale(record: DNSText) -> None:
    """Multicast ``record`` as an answer (cache-flush set: receivers replace what they hold)."""
    async with AsyncZeroconf(interfaces=[LOOPBACK], ip_version=IPVersion.V4Only) as late:
        answer = DNSOutgoing(_RESPONSE, multicast=True)
        answer.add_answer_at_time(record, 0)
        late.zeroconf.async_send(answer)
        await asyncio.sleep(0.2)

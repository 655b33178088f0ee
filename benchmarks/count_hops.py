"""How many calls of the messenger's middle layer one post takes from ``Messenger.post`` on one
peer to the ``post`` event on another (two in-process peers on 127.0.0.1, discovery off).

Counted: every call event (a coroutine resuming counts again) in a top-level ``messenger/``
module, on the event loop's thread and on each peer's database thread (before issue 14's
storage-as-output the conversation engine's calls ran on the latter); not counted: the engines
and the store (``messenger/conversation``, ``moderation``, ``storage`` ...) and the network.
Run it on any checkout: ``python -m benchmarks.count_hops [ROOT]`` (ROOT goes first on
``sys.path``). docs/ARCHITECTURE.md quotes its figures.
"""

from __future__ import annotations

import asyncio
import os
import sys
from types import FrameType
from typing import Any

from messenger.views import CircleSettingsView


def main(root: str) -> list[tuple[str, str]]:
    root = os.path.abspath(root)
    sys.path.insert(0, root)
    from messenger.events import Event, PeerConnectedEvent, PostEvent
    from messenger.facade import Messenger
    from messenger.options import parse_args
    from network.node import NodeConfig

    middle = os.path.join(root, "messenger") + os.sep
    calls: list[tuple[str, str]] = []

    def profile(frame: FrameType, event: str, _arg: Any) -> None:
        name = frame.f_code.co_filename
        if event == "call" and name.startswith(middle) and os.sep not in name[len(middle) :]:
            calls.append((os.path.relpath(name, root), frame.f_code.co_name))

    async def run() -> None:
        def make() -> Messenger:
            options = parse_args(["--headless", "--ephemeral", "--interface", "127.0.0.1"])
            config = NodeConfig(interfaces=("127.0.0.1",), discovery=False)
            return Messenger(options, node_config=config)

        alice, bob = make(), make()
        await alice.start()
        await bob.start()
        shown, met = asyncio.Event(), asyncio.Event()

        def seen(event: Event) -> None:
            if isinstance(event, PostEvent):
                shown.set()
            elif isinstance(event, PeerConnectedEvent):
                met.set()

        bob.subscribe(seen)
        try:
            circle = await alice.create_circle(
                "Hops", pseudonym="Quiet Heron", settings=CircleSettingsView(auto_approve=True)
            )
            await bob.join_link(circle.invite_link, pseudonym="Gentle Fern")
            port = int(alice.listen_addresses[0].rsplit(":", 1)[1])
            await bob.dial("127.0.0.1", port, circle.id)
            await asyncio.wait_for(met.wait(), 20)
            await asyncio.sleep(0.5)  # the catch-up after linking is done
            stores = [peer._db() for peer in (alice, bob)]  # the database threads count too
            for store in stores:
                await store.run(lambda _db: sys.setprofile(profile))
            sys.setprofile(profile)
            try:
                await alice.post(circle.id, "hello")
                await asyncio.wait_for(shown.wait(), 20)
            finally:
                sys.setprofile(None)
                for store in stores:
                    await store.run(lambda _db: sys.setprofile(None))
        finally:
            await alice.close()
            await bob.close()

    asyncio.run(run())
    return calls


if __name__ == "__main__":
    found = main(sys.argv[1] if len(sys.argv) > 1 else ".")
    print(f"middle-layer calls for one post, composer to the peer's screen: {len(found)}")
    for module, function in found:
        print(f"  {module} {function}")

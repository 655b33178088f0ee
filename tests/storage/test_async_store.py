"""The asyncio side: Argon2id in the caller's executor, database work on the store's thread."""

from __future__ import annotations

import asyncio
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from messenger.storage import (
    MINIMUM,
    AsyncStore,
    DatabaseFailure,
    ProfileLocked,
    ProfileMissing,
    Store,
    StoreClosed,
    WrongPassphrase,
    change_passphrase_async,
    create_profile_async,
    open_ephemeral_async,
    open_profile,
    open_profile_async,
    wipe_profile_async,
)

from .helpers import CIRCLE, PASS, circle, post


def _thread_name(_store: Store) -> str:
    return threading.current_thread().name


@pytest.mark.asyncio
async def test_profile_life_cycle_without_blocking_the_loop(profile_dir: Path) -> None:
    kdf_threads: list[str] = []
    with ThreadPoolExecutor(1, thread_name_prefix="caller-kdf") as executor:
        store = await create_profile_async(profile_dir, PASS, kdf=MINIMUM, executor=executor)
        try:
            await store.save_circle(circle())
            assert await store.add_post(post(1)) is True
            assert await store.add_posts([post(1), post(2)]) == [post(2).id]
            assert [p.seq for p in await store.newest_posts(CIRCLE, 10)] == [2, 1]
            assert [p.seq for p in await store.search(CIRCLE, "number")] == [2, 1]
            assert await store.high_water_marks(CIRCLE) == {post(1).author_key: 2}
            name = await store.run(_thread_name)
            assert name.startswith("hearth-db")
            assert name == await store.run(_thread_name)  # always the same single thread
            with pytest.raises(ProfileLocked):
                await open_profile_async(profile_dir, PASS, executor=executor)
            await change_passphrase_async(profile_dir, PASS, "renewed", executor=executor)
            kdf_threads.append(
                await asyncio.get_running_loop().run_in_executor(
                    executor, lambda: threading.current_thread().name
                )
            )
        finally:
            await store.close()
        assert store.closed
        with pytest.raises(StoreClosed):
            await store.posts_count(CIRCLE)
        with pytest.raises(WrongPassphrase):
            await open_profile_async(profile_dir, PASS, executor=executor)
        again = await open_profile_async(profile_dir, "renewed", executor=executor)
        assert await again.posts_count(CIRCLE) == 2
        await again.close()
    assert kdf_threads[0].startswith("caller-kdf")


@pytest.mark.asyncio
async def test_the_connection_belongs_to_the_database_thread(profile_dir: Path) -> None:
    store = await create_profile_async(profile_dir, PASS, kdf=MINIMUM)
    try:
        with pytest.raises(DatabaseFailure, match="thread"):
            store._store.posts_count(CIRCLE)  # from the loop's thread: refused by SQLite
    finally:
        await store.close()


@pytest.mark.asyncio
async def test_close_finishes_queued_calls_first() -> None:
    store = await open_ephemeral_async()
    await store.save_circle(circle())
    pending = [asyncio.ensure_future(store.add_post(post(i))) for i in range(50)]
    await asyncio.sleep(0)  # the tasks make their calls
    await store.close()
    assert all(await asyncio.gather(*pending))
    await store.close()  # twice is fine


@pytest.mark.asyncio
async def test_async_wipe_drops_queued_work_and_leaves_nothing(profile_dir: Path) -> None:
    store = await create_profile_async(profile_dir, PASS, kdf=MINIMUM)
    await store.save_circle(circle())
    queued = [asyncio.ensure_future(store.add_posts([post(i)])) for i in range(200)]
    await asyncio.sleep(0)
    await wipe_profile_async(profile_dir, store)
    results = await asyncio.gather(*queued, return_exceptions=True)
    dropped = [r for r in results if isinstance(r, asyncio.CancelledError)]
    done = [r for r in results if isinstance(r, list)]
    assert dropped and len(dropped) + len(done) == len(results)  # dropped, not failed
    assert os.listdir(profile_dir) == []
    assert store.closed


@pytest.mark.asyncio
async def test_a_failed_open_shuts_its_thread_down(profile_dir: Path) -> None:
    before = {t.name for t in threading.enumerate()}
    with pytest.raises(ProfileMissing):
        await AsyncStore.open(lambda: open_profile(profile_dir, PASS))
    await asyncio.sleep(0.05)
    after = {t.name for t in threading.enumerate() if t.name.startswith("hearth-db")}
    assert after <= before


@pytest.mark.asyncio
async def test_cancelling_an_open_leaves_nothing_open(profile_dir: Path) -> None:
    from messenger.storage import create_profile

    create_profile(profile_dir, PASS, kdf=MINIMUM).close()
    go, opened = threading.Event(), threading.Event()

    def slow_open() -> Store:
        go.wait(10)
        try:
            return open_profile(profile_dir, PASS)
        finally:
            opened.set()

    task = asyncio.ensure_future(AsyncStore.open(slow_open))
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    go.set()  # the factory finishes on its thread after the caller gave up
    assert await asyncio.get_running_loop().run_in_executor(None, opened.wait, 10)
    for _ in range(200):  # bounded: 10 s at most
        try:
            open_profile(profile_dir, PASS).close()
            break
        except ProfileLocked:
            await asyncio.sleep(0.05)
    else:
        pytest.fail("the orphaned store kept the profile locked")

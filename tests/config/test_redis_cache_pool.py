"""Every socket and request runs in an async context of its own, and Django keeps a cache object per context. With
Django's own Redis cache each of them opened (and kept) a connection to Redis: 1,000 idle chat sockets held 1,000
Redis connections. config.cache shares one pool per process. Runs when REDIS_URL is set, as in CI."""

from __future__ import annotations

import asyncio
import contextvars

import pytest
import redis
from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.cache import caches

pytestmark = pytest.mark.skipif(not settings.REDIS_URL, reason="needs Redis: runs when REDIS_URL is set")


def _connections_to_redis() -> int:
    with redis.Redis.from_url(settings.REDIS_URL) as probe:
        return len(probe.client_list())


def _read_the_cache(key: str):
    return caches["default"].get(key)


async def _connections_while_open(sockets: int) -> int:
    """Redis connections while `sockets` tasks are open, each its own context (like a socket) that has read the
    cache from a worker thread and stays open, as an idle socket does."""
    all_read, done = asyncio.Barrier(sockets + 1), asyncio.Event()

    async def socket(number: int) -> None:
        await sync_to_async(_read_the_cache)(f"probe:{number}")
        await all_read.wait()
        await done.wait()

    tasks = [asyncio.create_task(socket(number)) for number in range(sockets)]
    await all_read.wait()
    count = await sync_to_async(_connections_to_redis, thread_sensitive=False)()
    done.set()
    await asyncio.gather(*tasks)
    return count


def _in_a_fresh_server(sockets: int) -> int:
    """As in a server process, where nothing has used the cache before the sockets do: an empty context (the test's
    own context already holds a cache object, which its tasks would inherit)."""
    return contextvars.Context().run(asyncio.run, _connections_while_open(sockets))


def test_open_sockets_share_a_few_redis_connections():
    before = _in_a_fresh_server(1)
    # One per open socket (what Django's own Redis cache does) would be 60 more.
    assert _in_a_fresh_server(61) - before < 5


def test_values_written_in_one_context_are_read_in_another():
    async def write_then_read() -> object:
        await asyncio.create_task(sync_to_async(caches["default"].set)("shared-pool-probe", 42, 30))
        return await asyncio.create_task(sync_to_async(_read_the_cache)("shared-pool-probe"))

    assert asyncio.run(write_then_read()) == 42

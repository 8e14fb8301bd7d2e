"""Django's Redis cache with one connection pool per process.

Django keeps a cache object per async context (`caches` is an asgiref `Local`), and each of Django's Redis cache
objects builds its own connection pool. Under daphne every socket and every request runs in a context of its own, so
each one opened a new connection to Redis and kept it (and its pool) for as long as it lived: 1,000 idle chat sockets
held 1,000 Redis connections, about 8 KB of server memory each, and every connect paid a TCP handshake. Here the
cache objects of one process share one client, whose pool hands connections to whichever thread needs one
(redis-py's pool is thread-safe and starts afresh after a fork).
"""

from __future__ import annotations

import threading

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

_clients: dict[tuple, RedisCacheClient] = {}
_clients_lock = threading.Lock()


def _shared_client(servers: list[str], options: dict) -> RedisCacheClient:
    key = (tuple(servers), repr(sorted(options.items())))
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            client = _clients[key] = RedisCacheClient(servers, **options)
        return client


class SharedPoolRedisCache(RedisCache):
    """`django.core.cache.backends.redis.RedisCache`, sharing one client (and so one connection pool) per process."""

    @property
    def _cache(self) -> RedisCacheClient:
        return _shared_client(self._servers, self._options)

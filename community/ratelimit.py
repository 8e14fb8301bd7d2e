"""Cache-backed attempt counters, shared across processes when the cache is Redis."""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache

from community.errors import RateLimited


def _bucket_key(key: str, window_seconds: int) -> tuple[str, int]:
    window_start = int(time.time()) // window_seconds * window_seconds
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"rl:{digest}:{window_start}", window_start + window_seconds


def rate_limit_hit(*, key: str, limit: int, window_seconds: int, detail: str | None = None) -> None:
    """Count one attempt against `key`; raise RateLimited once more than `limit` fall in one window."""
    cache_key, window_end = _bucket_key(key, window_seconds)
    cache.add(cache_key, 0, timeout=window_seconds + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # the key expired between add and incr
        cache.set(cache_key, 1, timeout=window_seconds + 1)
        count = 1
    if count > limit:
        raise RateLimited(detail, retry_after=max(int(window_end - time.time()), 1))


def rate_limit_reset(*, key: str, window_seconds: int) -> None:
    cache_key, _ = _bucket_key(key, window_seconds)
    cache.delete(cache_key)


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"

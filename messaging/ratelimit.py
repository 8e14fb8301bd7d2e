"""A per-person token bucket for chat, shared by every process through the cache.

Each limit is a bucket of `capacity` tokens that refills evenly over `period` seconds; an action takes one token
from every bucket of its kind, or from none. Stored as one "theoretical arrival time" per bucket (GCRA), so a bucket is
one small cache value. With Redis the check-and-take is one Lua script, so it holds across daphne processes; with the
local-memory cache (one process) a lock makes it atomic.

The limits come from settings (raise them for a benchmark, never in production):
HN_CHAT_BURST_MESSAGES / HN_CHAT_BURST_SECONDS (default 5 in 5 s) and HN_CHAT_MESSAGES_PER_MINUTE (default 30),
HN_CHAT_REACTIONS_PER_MINUTE (default 60).
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

from community.errors import RateLimited


@dataclass(frozen=True)
class Bucket:
    name: str
    capacity: int
    period: float  # seconds to refill a full bucket

    @property
    def interval(self) -> float:
        return self.period / self.capacity


def message_buckets() -> tuple[Bucket, ...]:
    return (
        Bucket(
            "burst",
            int(getattr(settings, "HN_CHAT_BURST_MESSAGES", 5)),
            float(getattr(settings, "HN_CHAT_BURST_SECONDS", 5)),
        ),
        Bucket("minute", int(getattr(settings, "HN_CHAT_MESSAGES_PER_MINUTE", 30)), 60.0),
    )


def reaction_buckets() -> tuple[Bucket, ...]:
    return (Bucket("reactions", int(getattr(settings, "HN_CHAT_REACTIONS_PER_MINUTE", 60)), 60.0),)


_local_lock = threading.Lock()

# KEYS: one per bucket. ARGV: now, then (interval, capacity) per bucket. Returns 0 if taken, else ms to wait.
_LUA = """
local now = tonumber(ARGV[1])
local wait = 0
local tats = {}
for i, key in ipairs(KEYS) do
  local interval = tonumber(ARGV[i * 2])
  local capacity = tonumber(ARGV[i * 2 + 1])
  local tat = tonumber(redis.call('GET', key) or '0')
  if tat < now then tat = now end
  local new_tat = tat + interval
  local over = new_tat - now - interval * capacity
  if over > wait then wait = over end
  tats[i] = new_tat
end
if wait > 0 then return math.ceil(wait * 1000) end
for i, key in ipairs(KEYS) do
  local interval = tonumber(ARGV[i * 2])
  local capacity = tonumber(ARGV[i * 2 + 1])
  redis.call('SET', key, tostring(tats[i]), 'PX', math.ceil(interval * capacity * 1000) + 1000)
end
return 0
"""


def _keys(scope: str, buckets: tuple[Bucket, ...]) -> list[str]:
    return [cache.make_and_validate_key(f"chat-rl:{scope}:{bucket.name}") for bucket in buckets]


def _take_redis(keys: list[str], buckets: tuple[Bucket, ...], now: float) -> float:
    client = caches["default"]._cache.get_client(keys[0], write=True)
    args = [now]
    for bucket in buckets:
        args += [bucket.interval, bucket.capacity]
    return int(client.eval(_LUA, len(keys), *keys, *args)) / 1000


def _take_local(scope: str, buckets: tuple[Bucket, ...], now: float) -> float:
    names = [f"chat-rl:{scope}:{bucket.name}" for bucket in buckets]
    with _local_lock:
        stored = cache.get_many(names)
        wait, new = 0.0, {}
        for name, bucket in zip(names, buckets, strict=True):
            tat = max(float(stored.get(name, 0)), now) + bucket.interval
            wait = max(wait, tat - now - bucket.interval * bucket.capacity)
            new[name] = (tat, bucket)
        if wait > 0:
            return wait
        for name, (tat, bucket) in new.items():
            cache.set(name, tat, timeout=math.ceil(bucket.period) + 1)
    return 0.0


def take_token(
    *, scope: str, buckets: tuple[Bucket, ...], detail: str | None = None, code: str = "rate_limited"
) -> None:
    """Take one token from each bucket for `scope` (e.g. "message:42"), or raise RateLimited with the wait."""
    now = time.time()
    if isinstance(caches["default"], RedisCache):
        wait = _take_redis(_keys(scope, buckets), buckets, now)
    else:
        wait = _take_local(scope, buckets, now)
    if wait > 0:
        raise RateLimited(
            detail or "You're sending messages very quickly. Take a breath and try again in a moment.",
            retry_after=max(1, math.ceil(wait)),
            code=code,
        )


def message_rate_limit(*, user_id: int) -> None:
    take_token(scope=f"message:{user_id}", buckets=message_buckets())


def reaction_rate_limit(*, user_id: int) -> None:
    take_token(
        scope=f"reaction:{user_id}",
        buckets=reaction_buckets(),
        detail="That's a lot of reactions in a short time. Please wait a moment and try again.",
    )


def slow_mode_take(*, user_id: int, room_id: int, seconds: int) -> None:
    """One message per `seconds` per person in a room in slow mode (shared by every process through the cache)."""
    if seconds <= 0:
        return
    take_token(
        scope=f"slow:{room_id}:{user_id}",
        buckets=(Bucket("slow", 1, float(seconds)),),
        detail=f"This chat is in slow mode: one message every {seconds} seconds each, so everyone gets a say.",
        code="slow_mode",
    )
